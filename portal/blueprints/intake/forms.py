"""The forms of /cases/new: the person (unless an existing one was chosen) and the case. The
fields themselves: person_fields (who the person is) and case_fields (what happened)."""

from __future__ import annotations

from wtforms import HiddenField

from .case_fields import REQUIRED, CaseEditForm, CaseFields
from .person_fields import PersonEditForm, PersonFields

__all__ = [
    "REQUIRED",
    "CaseEditForm",
    "CaseFields",
    "CaseOnlyForm",
    "PersonEditForm",
    "PersonFields",
    "RegisterForm",
]


class RegisterForm(PersonFields, CaseFields):
    """One form on /cases/new: the person (unless an existing one was chosen) and the case."""

    person_id = HiddenField()

    def prepare(self, office, local_types, ppks) -> None:
        CaseFields.prepare(self, office, local_types, ppks)
        self.setup_regions(office)

    def upload(self) -> tuple[bytes, str] | None:
        """The photo sent with the form, as services.intake.open_case takes it."""
        photo = self.photo.data
        return (photo.read(), photo.filename) if photo else None


class CaseOnlyForm(CaseFields):
    """/cases/new?person=N: a new case for a person already registered."""

    person_id = HiddenField()

    def person_values(self) -> None:
        return None  # the person is registered already

    def upload(self) -> None:
        return None

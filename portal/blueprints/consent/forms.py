"""The guardian form and the basis-of-processing form. The rules (a valid NIK, who may consent
for a child, what each basis needs) are services.consent's: the guardian form shows all its
problems at once beside their fields, the basis form the service's refusal beside its field."""

from __future__ import annotations

from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...forms import Form, OfficeDated, VersionField
from ...services import consent, labels
from ...services.i18n import lazy as _l


def _choices(mapping: dict) -> list:
    return list(mapping.items())


class GuardianForm(OfficeDated, Form):
    role = RadioField(
        _l("Peran"), choices=_choices(labels.GUARDIAN_ROLES), default="wali", validate_choice=False
    )
    relation = SelectField(
        _l("Hubungan"), choices=[("", _l("— pilih —"))] + _choices(labels.GUARDIAN_RELATIONS),
        validators=[InputRequired(_l("Pilih hubungan dari daftar."))],
    )  # fmt: skip
    name = StringField(
        _l("Nama"),
        validators=[InputRequired(_l("Nama wali/pendamping wajib diisi.")), Length(max=120)],
    )
    nik = StringField(_l("NIK"), validators=[Optional(), Length(max=30)])
    phone = StringField(_l("Telepon"), validators=[Optional(), Length(max=30)])
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])
    version = VersionField()
    conflict = None
    conflict_message = None

    def load(self, guardian) -> None:
        for name in consent.GUARDIAN_FIELDS:
            self[name].data = getattr(guardian, name) or ""
        self.version.data = guardian.version_id

    def values(self) -> dict:
        return {name: self[name].data or "" for name in consent.GUARDIAN_FIELDS}

    def check(self, person, guardian=None) -> bool:
        """The form's own checks, then the service's rules (each beside its field); `guardian`:
        the one being edited (not a duplicate of itself)."""
        valid = self.validate_on_submit()
        if not self.is_submitted():
            return False
        for field, message in consent.guardian_problems(
            person, self.values(), self.today, guardian.id if guardian else None
        ).items():
            if not self[field].errors:
                self[field].errors = [*self[field].errors, message]
            valid = False
        return valid


class BasisForm(OfficeDated, Form):
    basis = RadioField(
        _l("Dasar pemrosesan (UU PDP Pasal 20 ayat (2))"),
        choices=_choices(labels.PROCESSING_BASES),
        validate_choice=False,
    )
    consent_by = RadioField(
        _l("Persetujuan diberikan oleh"), choices=_choices(labels.CONSENT_BY), validate_choice=False
    )
    guardian_id = SelectField(_l("Wali/pendamping yang memberi persetujuan"), validate_choice=False)
    consent_given_on = DateField(_l("Tanggal persetujuan"), validators=[Optional()])
    purpose = TextAreaField(
        _l("Untuk apa persetujuan diberikan"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Mis.: penanganan kasus, rujukan ke RSJ, pemulangan ke daerah asal."),
    )
    note = TextAreaField(
        _l("Catatan"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Tanpa persetujuan: mengapa tidak ada yang dapat memberikannya."),
    )
    version = VersionField()
    conflict = None
    conflict_message = None

    def setup(self, guardians) -> None:
        self.guardian_id.choices = [("", _l("— pilih —"))] + [
            (str(g.id), f"{g.name} ({labels.GUARDIAN_RELATIONS.get(g.relation, g.relation)})")
            for g in guardians
        ]

    def load(self, basis) -> None:
        for name in consent.BASIS_FIELDS:
            self[name].data = getattr(basis, name)
        self.guardian_id.data = str(basis.guardian_id or "")
        self.version.data = basis.version_id

    def values(self) -> dict:
        values = {name: self[name].data for name in consent.BASIS_FIELDS}
        chosen = self.guardian_id.data or ""
        values["guardian_id"] = int(chosen) if chosen.isdigit() else None
        return values

"""Identifying a person registered without identity (an ODGJ found wandering, a stranded man
who could not say his name), from any of his cases, open or closed; and correcting the identity
given afterwards (a typo in the name or the birth date), the same way.

An identification is a correction of who the person is, not a step of the case: a closed case
stays closed (no reopening, no approval), and letters already issued keep what they printed
(they are archived PDFs: services.letters). What the record said before, how and when he was
identified and by whom are kept (PersonIdentification), shown on the timeline of each of his
cases and written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..extensions import db
from ..models import Case, CaseEvent, Person, PersonIdentification, User
from ..models._base import utcnow
from . import access, audit, search
from .cases import _check_version, _flush_version, _values, diff
from .errors import NotPermitted
from .i18n import lazy as _l
from .intake import PERSON_FIELDS, apply_person_fields, ensure_nik_free, record_nik_confirmation
from .timeutil import office_today

# The fields an identification sets (the found-without-identity fields stay as they were).
IDENTITY_FIELDS = (
    "full_name",
    "nik",
    "kk_number",
    "sex",
    "birth_date",
    "estimated_age",
    "birth_place",
    "street",
    "province_code",
    "regency_code",
    "district_code",
    "village_code",
    "origin_regency_code",
)


@dataclass
class HowIdentified:
    method: str  # models.people.IDENTIFICATION_METHODS
    identified_on: date
    note: str = ""


def identify(
    case: Case, user: User, values: dict, how: HowIdentified, version: int, ip: str = ""
) -> PersonIdentification:
    """Give the unknown person of `case` his identity (`values`: IDENTITY_FIELDS, and the NIK
    confirmation of the form). Refuses another's NIK (intake.NikTaken) and a stale form."""
    person = case.person
    if not access.may_identify(user, case):
        raise NotPermitted(str(_l("Anda tidak dapat mengidentifikasi orang ini.")))
    ensure_nik_free(person.office_id, values.get("nik"), exclude_person_id=person.id)
    _check_version(person, "person", version)
    previous_label, correction = person.display_name, person.identity_known
    before = _values(person, PERSON_FIELDS)
    fields = {name: values[name] for name in IDENTITY_FIELDS if name in values}
    apply_person_fields(person, fields | {"identity_known": True}, office_today(user.office))
    changes = diff(before, _values(person, PERSON_FIELDS))
    person.updated_at = utcnow()
    _flush_version()
    record = PersonIdentification(
        office_id=person.office_id,
        person_id=person.id,
        case_id=case.id,
        method=how.method,
        identified_on=how.identified_on,
        note=how.note,
        previous_label=previous_label,
        previous_values={name: pair[0] for name, pair in changes.items()},
        by_id=user.id,
    )
    db.session.add(record)
    kind = "identity_corrected" if correction else "identified"
    _on_timelines(person, user, how, previous_label, changes, kind)
    confirmation = record_nik_confirmation(case, user, values)
    _audit(case, person, user, how, changes, confirmation, ip, kind)
    for each in person.cases:
        search.index_case(each)
    return record


def _on_timelines(person: Person, user: User, how, previous_label, changes, kind) -> None:
    """Each of the person's cases shows the identification or the correction of the identity
    (`kind`: "identified" or "identity_corrected"), closed cases too."""
    data = {
        "method": how.method,
        "identified_on": how.identified_on.isoformat(),
        "previous_label": previous_label,
        "changes": changes,
    }
    for each in person.cases:
        db.session.add(
            CaseEvent(case_id=each.id, kind=kind, actor_id=user.id, body=how.note, data=data)
        )


def _audit(case, person, user, how, changes, confirmation, ip, kind) -> None:
    details = {
        "version": person.version_id,
        "method": how.method,
        "identified_on": how.identified_on.isoformat(),
        "changes": changes,
        "case_status": case.status,
    }
    if confirmation:
        details["nik_confirmation"] = confirmation
    audit.record(
        "person.identity_correct" if kind == "identity_corrected" else "person.identify",
        user=user,
        ip=ip,
        object_type="person",
        object_id=person.id,
        case_id=case.id,
        details=details,
    )

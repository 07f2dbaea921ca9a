"""Merging two records of one person (issue 13): an unidentified man turns out to be someone the
office registered before. The kept record takes the values the manager chose per field, the
other becomes a pointer (person.merged_into_id) and everything that hung on it moves over.

What moves: the rows that name the person directly, cases (and through them referrals, letters,
follow-ups, aid, closures, notes and their audit entries), No. KK history and attachments
(photos). Their ids are kept in the PersonMerge record, so that `undo` moves back exactly those.

Audit entries are append-only and are never rewritten: the kept person's processing trail
(services.people.trail_query) reads the entries about his own record, about every record merged
into him (object_type "person", the old ids) and about his cases (which carry their case_id
wherever the case's person goes). What the person pages show: services.people."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import (
    Attachment,
    Case,
    CaseEvent,
    Person,
    PersonGuardian,
    PersonIdentification,
    PersonKkHistory,
    PersonMerge,
    RegistryCheck,
)
from ..models._base import utcnow
from . import audit, search
from .cases import changes_since
from .errors import Refused, StaleVersion
from .i18n import lazy as _l
from .identity import check_nik
from .intake import apply_person_fields, person_with_nik
from .timeutil import office_today

# The rows of the merge page: one choice per group of fields that belong together.
FIELD_GROUPS = {
    "full_name": ("full_name",),
    "nik": ("nik",),
    "kk_number": ("kk_number",),
    "sex": ("sex",),
    "birth_date": ("birth_date",),
    "estimated_age": ("estimated_age",),
    "birth_place": ("birth_place",),
    "phone": ("phone",),
    "address": ("street", "province_code", "regency_code", "district_code", "village_code"),
    "origin": ("origin_regency_code",),
    "description": ("physical_description",),
    "found": ("found_place", "found_at"),
    "photo": ("photo_id",),
}
GROUP_LABELS = {
    "full_name": _l("Nama"),
    "nik": _l("NIK"),
    "kk_number": _l("No. KK"),
    "sex": _l("Jenis kelamin"),
    "birth_date": _l("Tanggal lahir"),
    "estimated_age": _l("Perkiraan umur"),
    "birth_place": _l("Tempat lahir"),
    "phone": _l("Telepon"),
    "address": _l("Alamat"),
    "origin": _l("Daerah asal"),
    "description": _l("Ciri-ciri"),
    "found": _l("Ditemukan"),
    "photo": _l("Foto"),
}
FIELDS = tuple(f for group in FIELD_GROUPS.values() for f in group)
SNAPSHOT = (*FIELDS, "identity_known", "name_key", "birth_year", "first_case_number")
DATES = {"birth_date": date, "found_at": datetime}
MOVED_TABLES = {
    "case": Case,
    "person_kk_history": PersonKkHistory,
    "attachment": Attachment,
    "person_identification": PersonIdentification,
    "registry_check": RegistryCheck,  # his checks' history (the latest status stays each one's)
    "person_guardian": PersonGuardian,
}


def _snapshot(person: Person) -> dict:
    values = {}
    for name in SNAPSHOT:
        value = getattr(person, name)
        values[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return values


def _value(values: dict, name: str):
    value = values.get(name)
    if value is not None and name in DATES:
        return DATES[name].fromisoformat(value)
    return value


def _empty(person: Person, group: str) -> bool:
    return all(getattr(person, name) in (None, "") for name in FIELD_GROUPS[group])


def default_choices(kept: Person, merged: Person) -> dict[str, str]:
    """Per row, the value kept unless told otherwise: the non-empty one; of two, the identified
    person's (the kept one when both or neither are identified)."""
    prefer = "merge" if merged.identity_known and not kept.identity_known else "keep"
    choices = {}
    for group in FIELD_GROUPS:
        if _empty(kept, group) != _empty(merged, group):
            choices[group] = "merge" if _empty(kept, group) else "keep"
        else:
            choices[group] = prefer
    return choices


def _stale(person: Person, version: int) -> StaleVersion:
    return StaleVersion(
        str(_l("Data %(name)s sudah diubah orang lain.", name=person.display_name)),
        changes=changes_since("person", person.id, version),
    )


def _check_versions(pairs) -> None:
    for person, version in pairs:
        if person.version_id != version:
            raise _stale(person, version)


def _flush(person: Person) -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise _stale(person, person.version_id) from None


def _move(table: str, ids, source: int, target: int) -> list[int]:
    """Move rows of `table` from person `source` to `target`: these ids (None: all of them)."""
    model = MOVED_TABLES[table]
    query = select(model.id).where(model.person_id == source)
    if ids is not None:
        query = query.where(model.id.in_(ids or [0]))
    moved = list(db.session.scalars(query.order_by(model.id)))
    if moved:
        db.session.execute(update(model).where(model.id.in_(moved)).values(person_id=target))
    return moved


def _mark_cases(user, kind: str, record: PersonMerge, people: list[Person]) -> None:
    """A timeline entry on every case of these people naming the other record (on a moved case
    the kept person, on the kept person's own cases the merged one); search index refreshed."""
    for person in people:
        db.session.expire(person, ["cases", "kk_history"])
    moved = set(record.moved.get("case", []))
    names = {
        True: (record.kept_person_id, record.kept_values),
        False: (record.merged_person_id, record.merged_values),
    }
    if kind == "person_merged":  # the kept person's name is the one chosen now
        names[True] = (record.kept_person_id, _snapshot(people[0]))
    ids = [p.id for p in people]
    cases = db.session.scalars(select(Case).where(Case.person_id.in_(ids)).order_by(Case.id))
    for case in cases:
        db.session.expire(case, ["person_id", "person"])
        other_id, other = names[case.id in moved]
        data = {
            "merge_id": record.id,
            "with_id": other_id,
            "with_name": other.get("full_name") or "",
        }
        data["with_number"] = other.get("first_case_number") or ""  # an unknown person's label
        db.session.add(CaseEvent(case_id=case.id, kind=kind, actor_id=user.id, data=data))
        search.index_case(case)


def record_person_view(user, person: Person, action: str, ip: str = "") -> None:
    """The person page or his trail seen (UU PDP Pasal 31), committed at once."""
    audit.record_now(action, user=user, ip=ip, object_type="person", object_id=person.id)


def record_merge_view(user, kept: Person, merged: Person, ip: str = "") -> None:
    """Both records shown side by side to be merged."""
    audit.record(
        "person.merge_view", user=user, ip=ip, object_type="person", object_id=kept.id,
        details={"kept_person_id": kept.id, "merged_person_id": merged.id},
    )  # fmt: skip


def record_undo_view(user, record: PersonMerge, ip: str = "") -> None:
    """The confirmation page of an undo seen (inside the view's transaction)."""
    audit.record(
        "person.merge_undo_view", user=user, ip=ip, object_type="person",
        object_id=record.kept_person_id, details={"merge_id": record.id},
    )  # fmt: skip


def check_pair(kept: Person, merged: Person) -> None:
    """Two different records, neither merged already (a pointer is merged no further)."""
    if kept.id == merged.id:
        raise Refused(str(_l("Orang tidak dapat digabungkan dengan dirinya sendiri.")), "merge")
    if kept.merged_into_id or merged.merged_into_id:
        raise Refused(str(_l("Data ini sudah digabungkan ke orang lain.")), "merge")
    if kept.anonymised_at or merged.anonymised_at:  # irreversible (services.retention)
        raise Refused(str(_l("Data yang sudah dianonimkan tidak dapat digabungkan.")), "merge")


def nik_warnings(kept: Person, merged: Person, choices: dict) -> list[str]:
    """Why the NIK kept needs the manager's confirmation and a reason (as the registration form
    asks for a NIK that disagrees with it): the two records have different NIKs, or the chosen
    NIK's birth date or sex disagrees with the chosen birth date or sex."""
    warnings = []
    if kept.nik and merged.nik and kept.nik != merged.nik:
        warnings.append(
            str(
                _l(
                    "Kedua data mempunyai NIK berbeda: hanya satu yang dipakai. Pastikan keduanya orang yang sama."
                )
            )
        )
    chosen = {
        g: merged if choices.get(g) == "merge" else kept for g in ("nik", "sex", "birth_date")
    }
    if chosen["nik"].nik:
        sex, birth_date = chosen["sex"].sex, chosen["birth_date"].birth_date
        warnings += check_nik(chosen["nik"].nik, sex=sex, birth_date=birth_date).mismatches
    return warnings


def _confirmed(warnings: list[str], confirmation: dict | None) -> dict | None:
    """The manager's confirmation of the NIK kept (None: nothing to confirm); refused without it."""
    if not warnings:
        return None
    confirmation = confirmation or {}
    if not confirmation.get("confirmed"):
        raise Refused(
            str(_l("NIK perlu diperiksa: centang ini bila sudah diperiksa.")), "nik_confirmed"
        )
    if not confirmation.get("reason"):
        raise Refused(str(_l("Tulis alasannya.")), "nik_reason")
    return {"warnings": warnings, "reason": confirmation["reason"]}


def merge(
    user, kept: Person, merged: Person, choices: dict, versions, ip: str = "", confirmation=None
):
    """Merge `merged` into `kept` (access.merge_pair_for gave them), each field group from the
    record `choices` names ("keep" or "merge"). Refuses a record changed since the form was
    opened (StaleVersion: `versions` are the kept and merged versions the form showed), and a
    NIK to confirm (nik_warnings) without `confirmation` ({"confirmed": bool, "reason": str})."""
    check_pair(kept, merged)
    _check_versions(zip((kept, merged), versions, strict=True))
    confirmed = _confirmed(nik_warnings(kept, merged, choices), confirmation)
    kept_before, merged_before = _snapshot(kept), _snapshot(merged)
    merged.nik = None  # the NIK is unique per office: it leaves the pointer before moving
    merged.merged_into_id, merged.merged_at = kept.id, utcnow()
    _flush(merged)
    values = {"identity_known": kept.identity_known or merged_before["identity_known"]}
    for group, fields in FIELD_GROUPS.items():
        source = merged_before if choices.get(group) == "merge" else kept_before
        values |= {name: _value(source, name) for name in fields}
    apply_person_fields(kept, values, office_today(user.office))
    kept.photo_id, kept.updated_at = values["photo_id"], utcnow()
    _flush(kept)
    moved = {table: _move(table, None, merged.id, kept.id) for table in MOVED_TABLES}
    record = PersonMerge(
        office_id=kept.office_id,
        kept_person_id=kept.id,
        merged_person_id=merged.id,
        by_id=user.id,
        kept_values=kept_before,
        merged_values=merged_before,
        moved=moved,
    )
    db.session.add(record)
    db.session.flush()
    _mark_cases(user, "person_merged", record, [kept])
    if confirmed:
        _nik_confirmed(user, kept, confirmed)
    _audit("person.merge", user, record, ip, confirmed)
    return record


def _nik_confirmed(user, kept: Person, confirmed: dict) -> None:
    """The NIK kept although it needed checking: on each of his cases' timelines, with the
    reason (as registration records it: intake.record_nik_confirmation)."""
    data = {"warnings": confirmed["warnings"], "nik": kept.nik}
    for case in db.session.scalars(select(Case).where(Case.person_id == kept.id)):
        db.session.add(
            CaseEvent(case_id=case.id, kind="nik_confirmed", actor_id=user.id,
                      body=confirmed["reason"], data=data)
        )  # fmt: skip


def _audit(action: str, user, record: PersonMerge, ip: str, confirmed=None) -> None:
    audit.record(
        action,
        user=user,
        ip=ip,
        object_type="person",
        object_id=record.kept_person_id,
        details={
            "merge_id": record.id,
            "kept_person_id": record.kept_person_id,
            "merged_person_id": record.merged_person_id,
            "moved": record.moved,
        }
        | ({"nik_confirmation": confirmed} if confirmed else {}),
    )


def undo_refusal(record: PersonMerge, undo_days: int) -> str | None:
    """Why this merge can no longer be undone (None: it can)."""
    if record.undone_at is not None:
        return str(_l("Penggabungan ini sudah dibatalkan."))
    if utcnow() - record.at > timedelta(days=undo_days):
        return str(_l("Batas waktu pembatalan (%(n)d hari) sudah lewat.", n=undo_days))
    if record.kept_person.merged_into_id is not None or _later_merge(record):
        return str(_l("Orang ini sudah digabungkan lagi: batalkan penggabungan itu dahulu."))
    return None


def _later_merge(record: PersonMerge) -> bool:
    """A later merge into the same person, not undone: its values were chosen after this one."""
    later = select(PersonMerge.id).where(
        PersonMerge.kept_person_id == record.kept_person_id,
        PersonMerge.id > record.id,
        PersonMerge.undone_at.is_(None),
    )
    return db.session.scalar(later.limit(1)) is not None


def undo(user, record: PersonMerge, kept_version: int, undo_days: int, ip: str = "") -> None:
    """Restore both records' fields as they were before the merge and move back exactly the rows
    the merge moved (rows added to the kept person since stay with him)."""
    reason = undo_refusal(record, undo_days)
    if reason:
        raise Refused(reason)
    kept, merged = record.kept_person, record.merged_person
    _check_versions([(kept, kept_version)])
    for values in (record.kept_values, record.merged_values):
        _ensure_nik_free(kept, merged, values.get("nik"))
    _restore(kept, record.kept_values)
    _flush(kept)
    _restore(merged, record.merged_values)
    merged.merged_into_id, merged.merged_at = None, None
    _flush(merged)
    for table, ids in record.moved.items():
        _move(table, ids, kept.id, merged.id)
    record.undone_at, record.undone_by_id = utcnow(), user.id
    db.session.flush()
    _mark_cases(user, "person_merge_undone", record, [kept, merged])
    _audit("person.merge_undo", user, record, ip)


def _ensure_nik_free(kept: Person, merged: Person, nik: str | None) -> None:
    holder = person_with_nik(kept.office_id, nik) if nik else None
    if holder is not None and holder.id not in (kept.id, merged.id):
        raise Refused(str(_l("NIK %(nik)s kini tercatat untuk orang lain.", nik=nik)))


def _restore(person: Person, values: dict) -> None:
    for name in SNAPSHOT:
        if name in values:  # (a merge recorded before a field was snapshotted leaves it)
            setattr(person, name, _value(values, name))
    person.updated_at = utcnow()

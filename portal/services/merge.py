"""Merging two records of one person (issue 13): an unidentified man turns out to be someone the
office registered before. The kept record takes the values the manager chose per field, the
other becomes a pointer (person.merged_into_id) and everything that hung on it moves over.

What moves: the rows that name the person directly, cases (and through them referrals, letters,
follow-ups, aid, closures, notes and their audit entries), No. KK history and attachments
(photos). Their ids are kept in the PersonMerge record, so that `undo` moves back exactly those.

Audit entries are append-only and are never rewritten: the kept person's processing trail
(`trail_query`) reads the entries about his own record, about every record merged into him
(object_type "person", the old ids) and about his cases (which carry their case_id wherever the
case's person goes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import (
    Attachment,
    AuditLog,
    Case,
    CaseEvent,
    Person,
    PersonGuardian,
    PersonIdentification,
    PersonKkHistory,
    PersonMerge,
)
from ..models._base import utcnow
from . import access, audit, search
from .cases import changes_since
from .errors import Refused, StaleVersion
from .i18n import lazy as _l
from .intake import Candidate, apply_person_fields, find_duplicates, person_with_nik
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


def check_pair(kept: Person, merged: Person) -> None:
    """Two different records, neither merged already (a pointer is merged no further)."""
    if kept.id == merged.id:
        raise Refused(str(_l("Orang tidak dapat digabungkan dengan dirinya sendiri.")), "merge")
    if kept.merged_into_id or merged.merged_into_id:
        raise Refused(str(_l("Data ini sudah digabungkan ke orang lain.")), "merge")


def merge(user, kept: Person, merged: Person, choices: dict, versions, ip: str = ""):
    """Merge `merged` into `kept` (access.merge_pair_for gave them), each field group from the
    record `choices` names ("keep" or "merge"). Refuses a record changed since the form was
    opened (StaleVersion: `versions` are the kept and merged versions the form showed)."""
    check_pair(kept, merged)
    _check_versions(zip((kept, merged), versions, strict=True))
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
    _audit("person.merge", user, record, ip)
    return record


def _audit(action: str, user, record: PersonMerge, ip: str) -> None:
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
        },
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


# --- what the person page shows -----------------------------------------------------------------


def absorbed_ids(person: Person) -> list[int]:
    """The ids of the records merged into this person (and into those, transitively)."""
    found, frontier = [], [person.id]
    while frontier and len(found) < 200:
        frontier = list(
            db.session.scalars(
                select(PersonMerge.merged_person_id).where(
                    PersonMerge.kept_person_id.in_(frontier), PersonMerge.undone_at.is_(None)
                )
            )
        )
        found += frontier
    return found


def trail_query(person: Person):
    """Who saw and changed this person: entries about his record and every record merged into
    him, and about his cases (moved cases bring theirs: entries keep their case_id)."""
    ids = [person.id, *absorbed_ids(person)]
    case_ids = select(Case.id).where(Case.person_id == person.id)
    return select(AuditLog).where(
        or_(
            and_(AuditLog.object_type == "person", AuditLog.object_id.in_(ids)),
            AuditLog.case_id.in_(case_ids),
        )
    )


def merges_of(person: Person, limit: int = 20) -> list[PersonMerge]:
    """The merges into this person, newest first."""
    return list(
        db.session.scalars(
            select(PersonMerge)
            .where(PersonMerge.kept_person_id == person.id)
            .order_by(PersonMerge.id.desc())
            .limit(limit)
        )
    )


def other_niks(person: Person, merges: list[PersonMerge]) -> list[str]:
    """NIKs recorded for records merged into this person that are not his NIK now."""
    niks = [m.merged_values.get("nik") for m in merges if m.undone_at is None]
    niks += [m.kept_values.get("nik") for m in merges if m.undone_at is None]
    return sorted({n for n in niks if n and n != person.nik})


def candidates(user, kept: Person, text: str, limit: int = 20) -> list[Person]:
    """People of the office (not `kept`, not pointers) whose cases match `text` (name, NIK,
    case number, phone), for choosing whom to merge."""
    if not (text or "").strip():
        return []
    matching = search.apply(access.visible_cases(user), user.office_id, text)
    person_ids = matching.with_only_columns(Case.person_id).limit(200)
    return list(
        db.session.scalars(
            select(Person)
            .where(
                Person.id.in_(person_ids),
                Person.id != kept.id,
                Person.merged_into_id.is_(None),
            )
            .options(selectinload(Person.cases))
            .order_by(Person.full_name, Person.id)
            .limit(limit)
        )
    )


@dataclass
class PersonPage:
    person: Person
    cases: list[Case]
    hidden_cases: int
    merges: list[PersonMerge]
    other_niks: list[str]
    lookalikes: list[Candidate]  # for a manager: records that may be the same person


def lookalikes(person: Person) -> list[Candidate]:
    """Other records of the office that may be this person (same NIK, KK, or a name alike):
    after an identification, the record his family had already: the manager merges them."""
    return find_duplicates(
        person.office_id, nik=person.nik, kk_number=person.kk_number,
        full_name=person.full_name, birth_year=person.birth_year,
        regency_code=person.regency_code, district_code=person.district_code,
        birth_date=person.birth_date, exclude_person_id=person.id,
    )  # fmt: skip


def person_page(user, person: Person) -> PersonPage:
    cases = list(person.cases)
    visible = [c for c in cases if access.can_view_case(user, c)]
    manager = access.can_merge_people(user, person.office_id)
    merges = merges_of(person) if manager else []
    return PersonPage(
        person=person,
        cases=visible,
        hidden_cases=len(cases) - len(visible),
        merges=merges,
        other_niks=other_niks(person, merges or merges_of(person)),
        lookalikes=lookalikes(person) if manager else [],
    )

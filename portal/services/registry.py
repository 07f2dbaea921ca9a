"""Social-registry status of a person (issue 14 part C): DTKS/DTSEN status and decile, health
insurance, social assistance received, each check with its date and source. No public API
exists, so the office records what it found by hand (cek bansos, SIKS-NG) or from a SIKS-NG
file (services.registry_import).

For the other parts: `for_person()` is everything kept about one person (the data-subject
export); `PERSON_TABLES` lists the tables holding a person's registry data by their person
column, and `forget()` deletes them (anonymisation)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import Case, Person, PersonRegistry, RegistryCheck
from . import audit, labels
from .errors import Refused, StaleVersion
from .i18n import lazy as _l
from .timeutil import office_today

NOT_REGISTERED = ("not_registered", "proposed")  # "belum terdaftar": the lists and the report
FILTERS = ("belum", *labels.DTSEN_STATUSES)  # the case list's registry filter
FIELDS = ("dtsen_status", "decile", "insurance", "insurance_number", "aid", "aid_other",
          "checked_on", "source")  # fmt: skip
NO_DECILE = ("not_registered", "unchecked")  # a decile is DTSEN's ranking: none outside it
DECILE_UNREGISTERED = _l(
    "Orang yang tidak terdaftar di DTSEN tidak punya desil: kosongkan desilnya."
)
PERSON_TABLES = (
    (PersonRegistry, PersonRegistry.person_id),
    (RegistryCheck, RegistryCheck.person_id),
)


def _check(values: dict, today: date) -> dict:
    """The values cleaned, or a Refused naming the field."""
    if values.get("dtsen_status") not in labels.DTSEN_STATUSES:
        raise Refused(_l("Pilih status DTKS/DTSEN."), "dtsen_status")
    decile = values.get("decile")
    if decile is not None and not (isinstance(decile, int) and 1 <= decile <= 10):
        raise Refused(_l("Desil antara 1 dan 10."), "decile")
    if decile is not None and values["dtsen_status"] in NO_DECILE:
        raise Refused(DECILE_UNREGISTERED, "decile")
    if (values.get("insurance") or "") not in ("", *labels.INSURANCES):
        raise Refused(_l("Pilih jenis jaminan kesehatan."), "insurance")
    number = (values.get("insurance_number") or "").strip()
    if number and not (number.isascii() and number.isdigit() and len(number) <= 20):
        raise Refused(_l("Nomor kartu hanya angka, paling banyak 20."), "insurance_number")
    aid = list(values.get("aid") or [])
    if any(a not in labels.REGISTRY_AID for a in aid):
        raise Refused(_l("Jenis bantuan tidak dikenal."), "aid")
    checked_on = values.get("checked_on")
    if not isinstance(checked_on, date) or checked_on > today:
        raise Refused(_l("Tanggal pengecekan tidak boleh setelah hari ini."), "checked_on")
    if values.get("source") not in labels.REGISTRY_SOURCES:
        raise Refused(_l("Pilih sumber pengecekan."), "source")
    return {
        **{name: values.get(name) for name in FIELDS},
        "insurance": values.get("insurance") or "",
        "insurance_number": number,
        "aid": [a for a in labels.REGISTRY_AID if a in aid],
        "aid_other": (values.get("aid_other") or "").strip()[:100],
    }


def _shown(name: str, value):
    return value.isoformat() if isinstance(value, date) else value


def _same(before, after) -> bool:
    """Nothing and empty are the same: no status yet (None) and an empty cell ("", []) change
    nothing (the preview listed "Nomor kartu JKN/KIS: — → —")."""
    return before == after or (before in (None, "", []) and after in (None, "", []))


def changes(row: PersonRegistry | None, values: dict) -> dict:
    """What the new values change on the latest status: field -> [before, after]."""
    before = {name: getattr(row, name) if row else None for name in FIELDS}
    return {
        name: [_shown(name, before[name]), _shown(name, values[name])]
        for name in FIELDS
        if name not in ("checked_on", "source") and not _same(before[name], values[name])
    }


def record(user, person: Person, values: dict, *, version: int | None = None, ip: str = "",
           import_id: int | None = None) -> RegistryCheck:  # fmt: skip
    """A check of this person against the registers: kept in the history, and the latest status
    unless an earlier check date is entered after a later one. Audited with what it changed."""
    values = _check(values, office_today(user.office))
    row = person.registry_status
    if row is not None and version is not None and row.version_id != version:
        raise StaleVersion(str(_l("Data sudah diubah orang lain.")))
    found = changes(row, values)
    check = RegistryCheck(person_id=person.id, office_id=person.office_id, by_id=user.id,
                          import_id=import_id, **values)  # fmt: skip
    db.session.add(check)
    if row is None:
        row = PersonRegistry(person_id=person.id, office_id=person.office_id)
        db.session.add(row)
        person.registry_status = row
    if row.checked_on is None or values["checked_on"] >= row.checked_on:
        for name, value in values.items():
            setattr(row, name, value)
        row.checked_by_id = user.id
    audit.record(
        "person.registry", user=user, ip=ip, object_type="person", object_id=person.id,
        details={"changes": found, "source": values["source"], "import_id": import_id,
                 "checked_on": values["checked_on"].isoformat()},
    )  # fmt: skip
    return check


def record_form_view(user, person: Person, ip: str = "") -> None:
    """The form shows the person's status and its history: a view (UU PDP Pasal 31), written
    in the view's own transaction (a transactional view holds SQLite's write lock)."""
    audit.record(
        "person.registry_view", user=user, ip=ip, object_type="person", object_id=person.id
    )


def history(person: Person, limit: int = 10) -> list[RegistryCheck]:
    return list(
        db.session.scalars(
            select(RegistryCheck)
            .where(RegistryCheck.person_id == person.id)
            .order_by(RegistryCheck.checked_on.desc(), RegistryCheck.id.desc())
            .limit(limit)
        )
    )


def is_unregistered(row: PersonRegistry | None) -> bool:
    return row is not None and row.dtsen_status in NOT_REGISTERED


def filter_cases(query, office_id: int, which: str):
    """Cases whose person has this registry status ("belum": not registered or proposed;
    "unchecked": never checked, or recorded as not checked)."""
    people = select(PersonRegistry.person_id).where(PersonRegistry.office_id == office_id)
    if which == "unchecked":
        checked = people.where(PersonRegistry.dtsen_status != "unchecked")
        return query.where(Case.person_id.not_in(checked))
    wanted = NOT_REGISTERED if which == "belum" else (which,)
    return query.where(Case.person_id.in_(people.where(PersonRegistry.dtsen_status.in_(wanted))))


def count_unregistered(cases, office_id: int) -> int:
    """How many people of these cases (a select(Case)) are not yet registered: the office's
    not-registered people read from the status index, each looked up among the cases by
    person (EXISTS, correlated: with `IN (select person_id …)` SQLite first listed the person
    of every case reported by then, 350,000 at 500,000 cases, even with no one to look up)."""
    theirs = cases.with_only_columns(Case.id).order_by(None)
    theirs = theirs.where(Case.person_id == PersonRegistry.person_id)
    return db.session.scalar(
        select(func.count(PersonRegistry.person_id)).where(
            PersonRegistry.office_id == office_id,
            PersonRegistry.dtsen_status.in_(NOT_REGISTERED),
            theirs.exists(),
        )
    )


def for_person(person: Person) -> dict:
    """Everything kept about this person's registry status (the data-subject export)."""

    def values(item) -> dict:
        return {c.key: _shown(c.key, getattr(item, c.key)) for c in item.__table__.columns}

    checks = db.session.scalars(select(RegistryCheck).where(RegistryCheck.person_id == person.id))
    return {
        "person_registry": [values(person.registry_status)] if person.registry_status else [],
        "registry_check": [values(c) for c in checks],
    }


def forget(person_ids: list[int]) -> None:
    """Delete every registry row of these people (anonymisation: the status counts no figure
    of the reports, so nothing of it is kept)."""
    for model, column in reversed(PERSON_TABLES):
        db.session.execute(delete(model).where(column.in_(person_ids)))

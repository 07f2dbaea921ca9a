"""The data-subject export's PDF as the person who asked reads it: every exported column under
an Indonesian label, Ya/Tidak for yes and no, dates as "23 November 2026", stored (UTC) times
in the office's time zone ("23 November 2026 14.05 WITA"), codes as their labels, ids as the
names and numbers they stand for (a referral as its kind and case number, a letter as its
number). Nothing is left out but the system's own counters and keys (SKIPPED: edit versions, a
sort key, a search key) and record numbers nobody outside could look up; the ZIP keeps the
machine-readable rows as they are (services.data_subject).

Like a letter, the report is Indonesian whatever the reader's language (UU PDP asks for it in
the person's language), so the labels here are plain Indonesian, as in the letter templates.
The labels are in services/data_subject_labels.py; tests/test_data_subject.py fails on an
exported column, tests/test_audit_labels.py on an audit detail key, without one there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date, format_datetime
from flask_babel import force_locale
from lokal import format_rupiah
from sqlalchemy import JSON, Boolean, Date, DateTime, select

from ..extensions import db
from ..models import LocalCaseType, Office, Organisation, PersonGuardian, PpksCategory, User
from . import labels
from .data_subject_labels import (  # noqa: F401 - SKIPPED and LABELS are read by the tests
    CODES,
    CODES_IN,
    KEY_CODES,
    KEY_LABELS,
    LABELS,
    LABELS_IN,
    PEOPLE,
    RECORD_WORDS,
    RECORDS,
    SKIPPED,
    USERS,
)
from .letter_text import ZONES
from .regions import region_path
from .timeutil import utc_to_local


@dataclass
class Section:
    table: str
    label: str
    total: int
    rows: list[list[tuple[str, str]]]  # per row: (label, text) of every column with a value


class Reader:
    """Turns the export's plain rows into text, with the names behind the ids (a few queries
    for the whole report)."""

    def __init__(self, export, office: Office):
        self.export, self.office = export, office
        data = export.data
        ids = {key: set() for key in ("user", "org", "type", "guardian")}
        for rows in data.values():
            for row in rows:
                details = row.get("details") if isinstance(row.get("details"), dict) else {}
                ids["user"] |= {
                    r[k] for r in (row, details) for k in USERS if isinstance(r.get(k), int)
                }
                ids["org"] |= {row["organisation_id"]} if row.get("organisation_id") else set()
                ids["type"] |= {row["local_type_id"]} if row.get("local_type_id") else set()
                ids["guardian"] |= {row["guardian_id"]} if row.get("guardian_id") else set()
        self.users = self._names(User, User.full_name, ids["user"])
        self.orgs = self._names(Organisation, Organisation.name, ids["org"])
        self.types = self._names(LocalCaseType, LocalCaseType.name, ids["type"])
        self.guardians = self._names(PersonGuardian, PersonGuardian.name, ids["guardian"])
        self.offices = {office.id: office.name}
        self.people = {row["id"]: row.get("full_name") or f"Tanpa identitas ({row.get('first_case_number')})" for row in data["person"]}  # fmt: skip
        self.cases = {row["id"]: row["number"] for row in data["case"]}
        self.records = {table: {row["id"]: self._record(table, row) for row in data.get(table, [])}
                        for table in RECORD_WORDS}  # fmt: skip
        ppks = {row["ppks_code"] for row in data["case"] if row.get("ppks_code")}
        self.ppks = dict(db.session.execute(
            select(PpksCategory.code, PpksCategory.name).where(PpksCategory.code.in_(ppks))
        ).all())  # fmt: skip

    def _record(self, table: str, row: dict) -> str:
        """A row of the export as its reader knows it ("Pemulangan ke daerah asal,
        KS-2026-000003", a letter's number), never its record number."""
        words = [str(part) for part in RECORD_WORDS[table](row) if part]
        case = self.cases.get(row.get("case_id"))
        return ", ".join(words + ([case] if case and table != "letter" else []))

    @staticmethod
    def _names(model, column, ids) -> dict:
        if not ids:
            return {}
        return dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all())

    # --- one value -------------------------------------------------------------------------

    def when(self, value) -> str:
        """A stored UTC time in the office's zone: 23 November 2026 14.05 WITA."""
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        local = utc_to_local(moment, self.office.timezone)
        zone = ZONES.get(self.office.timezone, "WIB")
        return f"{format_datetime(local, 'd MMMM y HH.mm', locale='id')} {zone}"

    @staticmethod
    def day(value) -> str:
        return format_date(date.fromisoformat(str(value)[:10]), "d MMMM y", locale="id")

    def ref(self, key: str, value) -> str | None:
        """The name or number an id or code stands for (None: not a reference)."""
        if key in USERS:
            return self.users.get(value, f"pengguna no. {value}")
        if key in PEOPLE:
            return self.people.get(value, "")
        if key in RECORDS:
            return self.records[RECORDS[key]].get(value, "")
        lookups = {
            "case_id": (self.cases, "kasus"), "office_id": (self.offices, "kantor"),
            "organisation_id": (self.orgs, "lembaga"), "local_type_id": (self.types, "jenis"),
            "guardian_id": (self.guardians, "wali/pendamping"), "ppks_code": (self.ppks, "PPKS"),
        }  # fmt: skip
        if key in lookups:
            names, what = lookups[key]
            return str(names.get(value, f"{what} {value}"))
        if key.endswith("_code"):
            return region_path(value) or str(value)
        if key == "case":
            return self.cases.get(value, f"kasus no. {value}")
        if key.endswith("_id") or key == "id":
            return ""  # a record number of the system: nothing its reader could look up
        return None

    def object(self, row: dict) -> str:
        """What an audit entry is about, by its name or number ("" when not in the export)."""
        kind, value = row.get("object_type"), row.get("object_id")
        names = {"person": self.people, "case": self.cases, **self.records}.get(kind, {})
        return names.get(value, "")

    def column(self, table: str, column, value, row=None) -> str | None:
        """The value in words (None: not worth a line, the office every row is held by, a
        record number)."""
        key = column.key
        if key == "office_id" and value == self.office.id:
            return None
        if key == "object_id":
            return self.object(row or {}) or None
        codes = CODES_IN.get(table, {}).get(key) or CODES.get(key)
        if isinstance(column.type, Boolean):
            return "Ya" if value else "Tidak"
        if isinstance(column.type, DateTime):
            return self.when(value)
        if isinstance(column.type, Date):
            return self.day(value)
        if isinstance(column.type, JSON):
            return self.json(value, codes, key if key in RECORDS else "")
        if codes is not None:
            return str(codes.get(value, value))
        shown = self.ref(key, value)
        if shown is not None:
            return shown or None
        if key in ("amount", "ticket_cost", "pocket_money"):
            return format_rupiah(value)
        return str(value)

    def json(self, value, codes=None, key: str = "") -> str:
        """A JSON value in words: "Label: value; ..." for a mapping, a list joined by commas,
        a change [before, after] as "before → after"."""
        if value is None:
            return ""
        if isinstance(value, dict):
            parts = []
            for name, item in value.items():
                if item in (None, "", [], {}) or name in SKIPPED:
                    continue
                codes = KEY_CODES.get(name)
                if key == "changes" and isinstance(item, list) and len(item) == 2:
                    text = " → ".join(self.json(v, codes, name) or "—" for v in item)
                else:
                    text = self.json(item, codes, name)
                if text:
                    parts.append(f"{self.key_label(name)}: {text}")
            return "; ".join(parts)
        if key == "fields" and isinstance(value, list):
            return ", ".join(labels_of(str(name)) or str(name) for name in value)
        if isinstance(value, list):
            return ", ".join(filter(None, (self.json(item, codes, key) for item in value)))
        if isinstance(value, bool):
            return "Ya" if value else "Tidak"
        if codes is not None and value in codes:
            return str(codes[value])
        if isinstance(value, str) and key:
            return self.text_value(key, value)
        if isinstance(value, int) and key:
            shown = self.ref(key, value)
            return str(value) if shown is None else shown
        return str(value)

    def text_value(self, key: str, value: str) -> str:
        try:
            if key.endswith("_at") or key == "at":
                return self.when(value)
            if key.endswith(("_on", "_date")) or key == "birth_date":
                return self.day(value)
        except ValueError:
            return value
        if key.endswith("_code") or key in ("sex", "channel", "urgency"):
            return self.ref(key, value) or str(CODES.get(key, {}).get(value, value))
        return value

    @staticmethod
    def key_label(key: str) -> str:
        return KEY_LABELS.get(key) or labels_of(key) or _table_label(key) or key.replace("_", " ")

    # --- the report ------------------------------------------------------------------------

    def sections(self) -> list[Section]:
        from .data_subject import _columns

        out = []
        for source, rows, total in self.export.sections():
            columns = [c for c in _columns(source.model) if c.key not in SKIPPED]
            shown = []
            for row in rows:
                pairs = [(c, row.get(c.key)) for c in columns]
                texts = [(label_of(source.table, c.key), self.column(source.table, c, v, row))
                         for c, v in pairs if v not in (None, "", [], {})]  # fmt: skip
                shown.append([(name, text) for name, text in texts if text is not None])
            out.append(Section(source.table, str(source.label), total, shown))
        return out


def labels_of(key: str) -> str | None:
    value = LABELS.get(key) or labels.REGISTRY_FIELDS.get(key)
    return str(value) if value is not None else None


def _table_label(key: str) -> str | None:
    """A table's name in audit details (e.g. the counts of a merge) as its heading in the PDF."""
    from .data_subject import SOURCES

    return next((str(source.label) for source in SOURCES if source.table == key), None)


def has_label(table: str, key: str) -> bool:
    return bool(LABELS_IN.get(table, {}).get(key) or LABELS.get(key))


def label_of(table: str, key: str) -> str:
    """The column's label; a column added later without one reads as its name (the test
    `test_the_pdf_reads_in_words_not_as_a_database_dump` fails on it) rather than failing the
    person's export."""
    return str(LABELS_IN.get(table, {}).get(key) or LABELS.get(key) or key.replace("_", " "))


def sections(export, office: Office) -> list[Section]:
    """The export's sections in words, in Indonesian whatever the reader's language."""
    with force_locale("id"):
        return Reader(export, office).sections()

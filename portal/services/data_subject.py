"""A person's request to see everything the office holds about him (UU PDP Pasal 7 and 32): his
record (with the records merged into him), his cases and all that hangs on them, the documents,
and the processing trail (who viewed, changed, printed, exported).

What is exported is a registry, SOURCES: one declaration per table saying how to select the
person's rows. A new table that can hold a person's data is added here with one line
(tests/test_data_subject.py fails while a table is neither here, in NOT_EXPORTED nor in
NO_CLIENT_DATA). The export is one PDF (every value in words: services.data_subject_text;
escaped by Jinja) and a ZIP of JSON (one file per table, the rows as stored), the documents
(attachments, archived letters) and that PDF. Producing it is audited."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import LargeBinary, or_, select
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import (
    Aid,
    AnonymisationRequest,
    Attachment,
    AuditLog,
    Case,
    CaseClosure,
    CaseEvent,
    FollowUp,
    Letter,
    Person,
    PersonGuardian,
    PersonIdentification,
    PersonKkHistory,
    PersonMerge,
    PersonRegistry,
    ProcessingBasis,
    Referral,
    RegistryCheck,
)
from . import audit
from .i18n import lazy as _l

PDF_ROWS_PER_TABLE = 500  # the PDF stays printable; the ZIP holds every row


@dataclass(frozen=True)
class Scope:
    """Whose rows: the person, the records merged into him, and his cases."""

    person: Person
    person_ids: tuple[int, ...]
    case_ids: tuple[int, ...]


@dataclass(frozen=True)
class Source:
    table: str  # the file name in the ZIP (<table>.json)
    model: type
    rows: Callable[[Scope], object]  # the WHERE clause selecting the person's rows
    label: object  # the heading in the PDF
    order: Callable[[], object] | None = None


def _person_ids(model, *columns):
    return lambda s: or_(*(getattr(model, c).in_(s.person_ids) for c in columns))


def _case_ids(model):
    return lambda s: model.case_id.in_(s.case_ids)


def _trail(scope: Scope):
    from .people import trail_query

    return AuditLog.id.in_(trail_query(scope.person).with_only_columns(AuditLog.id))


SOURCES: list[Source] = [
    Source("person", Person, _person_ids(Person, "id"), _l("Data orang")),
    Source("person_kk_history", PersonKkHistory, _person_ids(PersonKkHistory, "person_id"),
           _l("Riwayat No. KK")),
    Source("person_identification", PersonIdentification,
           lambda s: or_(PersonIdentification.person_id.in_(s.person_ids),
                         PersonIdentification.case_id.in_(s.case_ids)), _l("Identifikasi")),
    Source("person_merge", PersonMerge,
           _person_ids(PersonMerge, "kept_person_id", "merged_person_id"),
           _l("Penggabungan data")),
    Source("attachment", Attachment, _person_ids(Attachment, "person_id"), _l("Lampiran dan foto")),
    Source("person_guardian", PersonGuardian, _person_ids(PersonGuardian, "person_id"),
           _l("Wali dan pendamping")),
    Source("person_registry", PersonRegistry, _person_ids(PersonRegistry, "person_id"),
           _l("Status registrasi sosial")),
    Source("registry_check", RegistryCheck, _person_ids(RegistryCheck, "person_id"),
           _l("Riwayat pengecekan registrasi sosial")),
    Source("case", Case, lambda s: Case.id.in_(s.case_ids), _l("Kasus")),
    Source("case_event", CaseEvent, _case_ids(CaseEvent), _l("Riwayat kasus")),
    Source("referral", Referral, _case_ids(Referral), _l("Rujukan")),
    Source("letter", Letter, _case_ids(Letter), _l("Surat yang diterbitkan")),
    Source("aid", Aid, _case_ids(Aid), _l("Bantuan")),
    Source("follow_up", FollowUp, _case_ids(FollowUp), _l("Tindak lanjut")),
    Source("case_closure", CaseClosure, _case_ids(CaseClosure), _l("Penutupan kasus")),
    Source("processing_basis", ProcessingBasis, _case_ids(ProcessingBasis),
           _l("Dasar pemrosesan data")),
    Source("anonymisation_request", AnonymisationRequest, _case_ids(AnonymisationRequest),
           _l("Permintaan anonimisasi")),
    Source("audit_log", AuditLog, _trail, _l("Jejak pemrosesan (siapa melihat, mengubah, "
                                              "mencetak, mengekspor)")),
]  # fmt: skip

# Tables with a person_id or case_id column that are deliberately not exported, and why.
NOT_EXPORTED = {
    "case_search_term": "the search index: tokens made from the exported values above",
    "registry_import": "a SIKS-NG file between upload and confirmation (a day at most, and it "
    "holds the whole file, other people's rows too); what it says of him, once applied, is "
    "in registry_check above",
    "letter_batch": "a manager's batch print (a day at most): his archived letters, exported "
    "above, joined with other people's",
}

# Tables that hold nothing of a person the office serves, and why. Every other table can hold
# his data, by a key column or by a value inside it (registry_import's rows name people by NIK
# and id): it is in SOURCES or NOT_EXPORTED here and in services.retention's lists (the tests
# fail on a table in none of them).
NO_CLIENT_DATA = {
    "office": "the office's settings and letterhead",
    "user": "the office's staff",
    "login_throttle": "failed log-ins of staff, by address or user name",
    "organisation": "the institutions cases are referred to",
    "region": "reference data: provinces to villages",
    "reference_data": "which reference data set was loaded",
    "ppks_category": "reference data: the PPKS categories",
    "local_case_type": "the office's own case types",
    "counter": "serial numbers per register and year",
    "case_tally": "counts per office, month and category: no row names anyone",
    "case_day_tally": "counts per office, day and category: no row names anyone",
}


def scope_of(person: Person) -> Scope:
    from .people import absorbed_ids

    case_ids = db.session.scalars(select(Case.id).where(Case.person_id == person.id))
    return Scope(person, (person.id, *absorbed_ids(person)), tuple(case_ids))


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _columns(model) -> list:
    return [c for c in model.__table__.columns if not isinstance(c.type, LargeBinary)]


def rows_of(source: Source, scope: Scope) -> list[dict]:
    """The person's rows of one table as plain dicts (binary columns left out: they are files)."""
    columns = _columns(source.model)
    query = select(*columns).where(source.rows(scope)).order_by(*source.model.__table__.primary_key)
    return [
        {c.key: _plain(value) for c, value in zip(columns, row, strict=True)}
        for row in db.session.execute(query)
    ]


def collect(person: Person) -> dict[str, list[dict]]:
    """Every registered table's rows of this person: {table: [row, ...]}."""
    scope = scope_of(person)
    return {source.table: rows_of(source, scope) for source in SOURCES}


def documents(data: dict[str, list[dict]]) -> list[tuple[str, bytes]]:
    """The files: attachments (photos, documents) and the letters' archived PDFs."""
    files = []
    ids = [row["id"] for row in data.get("attachment", [])]
    for item in db.session.scalars(
        select(Attachment).where(Attachment.id.in_(ids)).options(undefer(Attachment.data))
    ):
        files.append((f"dokumen/lampiran-{item.id}-{_safe(item.filename)}", item.data))
    ids = [row["id"] for row in data.get("letter", [])]
    for letter in db.session.scalars(
        select(Letter).where(Letter.id.in_(ids)).options(undefer(Letter.pdf))
    ):
        if letter.pdf:
            files.append(
                (f"dokumen/surat-{letter.id}-{_safe(letter.number or '')}.pdf", letter.pdf)
            )
    return files


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name or "")[:80] or "berkas"


@dataclass
class Export:
    person: Person
    data: dict[str, list[dict]]

    def sections(self):
        for source in SOURCES:
            rows = self.data[source.table]
            yield source, rows[:PDF_ROWS_PER_TABLE], len(rows)


def build(person: Person) -> Export:
    return Export(person, collect(person))


def render_pdf(export: Export, user, today: date) -> bytes:
    from .data_subject_text import sections
    from .letters import render_document

    return render_document(
        "people/data_subject_pdf.html",
        {"export": export, "sections": sections(export, user.office), "printed_by": user,
         "printed_on": today},
        user.office,
    )  # fmt: skip


def render_zip(export: Export, pdf: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("laporan-data-pribadi.pdf", pdf)
        for table, rows in export.data.items():
            archive.writestr(f"data/{table}.json", json.dumps(rows, ensure_ascii=False, indent=1))
        for name, content in documents(export.data):
            archive.writestr(name, content)
    return out.getvalue()


def export(user, person: Person, fmt: str, today: date, ip: str = "") -> bytes:
    """The data-subject export as `fmt` ("pdf" or "zip"); the request is in the audit log
    (committed with the view's unit of work), with the number of rows per table."""
    result = build(person)
    pdf = render_pdf(result, user, today)
    audit.record(
        "person.data_export", user=user, ip=ip, object_type="person", object_id=person.id,
        details={"fmt": fmt, "rows": {t: len(r) for t, r in result.data.items()}},
    )  # fmt: skip
    return pdf if fmt == "pdf" else render_zip(result, pdf)

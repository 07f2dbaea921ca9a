"""The data-subject export's PDF as the person who asked reads it: every exported column under
an Indonesian label, Ya/Tidak for yes and no, dates as "23 November 2026", stored (UTC) times
in the office's time zone ("23 November 2026 14.05 WITA"), codes as their labels, ids as the
names and numbers they stand for. Nothing is left out but the system's own counters and keys
(SKIPPED: edit versions, a sort key, a search key); the ZIP keeps the machine-readable rows as
they are (services.data_subject).

Like a letter, the report is Indonesian whatever the reader's language (UU PDP asks for it in
the person's language), so the labels here are plain Indonesian, as in the letter templates.
tests/test_data_subject.py fails on an exported column without a label here."""

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
from .letter_text import ZONES
from .regions import region_path
from .timeutil import utc_to_local

# Columns not printed: a number counting edits, and the name folded for search (the name itself
# is printed). Both are in the ZIP.
SKIPPED = {
    "version_id",
    "version",
    "name_key",
    "urgency_rank",
}  # counters and copies for the system

# A column's label, the same in every table unless LABELS_IN says otherwise.
LABELS = {
    "id": "Nomor data", "office_id": "Kantor", "person_id": "Orang", "case_id": "Kasus",
    "created_at": "Dicatat pada", "created_by_id": "Dicatat oleh", "updated_at": "Terakhir diubah",
    "at": "Waktu", "by_id": "Oleh", "note": "Catatan", "kind": "Jenis", "status": "Status",
    "summary": "Ringkasan", "reason": "Alasan", "purpose": "Tujuan", "name": "Nama",
    "nik": "NIK", "phone": "Telepon", "relation": "Hubungan", "role": "Peran",
    "closed_at": "Ditutup pada", "anonymised_at": "Dianonimkan pada", "year": "Tahun",
    "number": "Nomor", "decided_by_id": "Diputuskan oleh", "decided_at": "Diputuskan pada",
    "decision_comment": "Catatan keputusan", "requested_by_id": "Diminta oleh",
    "requested_at": "Diminta pada", "assigned_to_id": "Petugas", "referral_id": "Rujukan",
    "insurance": "Jaminan kesehatan", "insurance_number": "Nomor kartu jaminan kesehatan",
    "kk_number": "No. KK", "recorded_at": "Dicatat pada", "recorded_by_id": "Dicatat oleh",
    "dtsen_status": "Status DTKS/DTSEN", "decile": "Desil", "aid": "Bantuan sosial",
    "aid_other": "Bantuan lain", "checked_on": "Tanggal dicek", "source": "Sumber",
    "checked_by_id": "Dicek oleh", "import_id": "Berkas hasil cek SIKS-NG",
    **labels.FIELDS,
    # person
    "birth_year": "Tahun lahir", "photo_id": "Foto wajah (lampiran)",
    "first_case_number": "Nomor kasus pertama", "merged_into_id": "Digabungkan ke",
    "merged_at": "Digabungkan pada",
    # identification, merge
    "method": "Cara identifikasi", "identified_on": "Tanggal identifikasi",
    "previous_label": "Sebutan sebelumnya", "previous_values": "Data sebelumnya",
    "kept_person_id": "Data yang dipertahankan", "merged_person_id": "Data yang digabungkan",
    "kept_values": "Isi data yang dipertahankan", "merged_values": "Isi data yang digabungkan",
    "moved": "Yang dipindahkan", "undone_at": "Dibatalkan pada", "undone_by_id": "Dibatalkan oleh",
    # attachment
    "doc_type": "Jenis dokumen", "doc_date": "Tanggal dokumen", "sensitive": "Data kesehatan",
    "pages": "Jumlah halaman", "filename": "Nama berkas", "mimetype": "Format berkas",
    "size": "Ukuran (byte)", "sha256": "Sidik berkas (SHA-256)", "uploaded_by_id": "Diunggah oleh",
    # case
    "local_type_id": "Jenis kasus lokal", "household_kk": "Jumlah KK terdampak",
    "household_people": "Jumlah jiwa terdampak", "actor_id": "Oleh", "body": "Isi",
    "data": "Rincian",
    # referral
    "organisation_id": "Lembaga tujuan", "organisation_text": "Lembaga tujuan (ditulis)",
    "planned_date": "Tanggal rencana", "escort": "Pendamping", "transport": "Transportasi",
    "notes": "Catatan", "medical_referral": "Ada rujukan medis", "medical_doctor": "Dokter",
    "medical_facility": "Fasilitas kesehatan", "medical_date": "Tanggal pemeriksaan",
    "observations": "Hasil pengamatan", "diagnosis": "Diagnosis",
    "family_status": "Keadaan keluarga", "family_reason": "Alasan keluarga",
    "destination_regency_code": "Kabupaten/kota tujuan", "family_contact": "Kontak keluarga",
    "route": "Rute", "ticket_cost": "Biaya tiket", "pocket_money": "Uang saku",
    "programme": "Program", "expected_duration": "Perkiraan lama",
    "attachment_ids": "Lampiran yang dibawa", "submitted_by_id": "Diajukan oleh",
    "submitted_at": "Diajukan pada", "handover_date": "Tanggal serah terima",
    "handover_place": "Tempat serah terima", "receiver_name": "Nama penerima",
    "receiver_position": "Jabatan penerima", "receiver_institution": "Lembaga penerima",
    "handover_note": "Catatan serah terima", "witness1_name": "Saksi 1",
    "witness1_position": "Jabatan saksi 1", "witness2_name": "Saksi 2",
    "witness2_position": "Jabatan saksi 2", "cancel_reason": "Alasan pembatalan",
    # letter
    "serial": "Nomor urut", "classification": "Kode klasifikasi", "issued_on": "Tanggal surat",
    "subject": "Perihal", "sifat": "Sifat", "recipient": "Kepada",
    "signatory_prefix": "Atas nama", "signatory_position": "Jabatan penanda tangan",
    "signatory_name": "Penanda tangan", "signatory_rank": "Pangkat penanda tangan",
    "signatory_nip": "NIP penanda tangan", "void_reason": "Alasan pembatalan",
    "voided_at": "Dibatalkan pada", "voided_by_id": "Dibatalkan oleh",
    "pdf_sha256": "Sidik PDF arsip (SHA-256)", "token": "Kode verifikasi",
    "code": "Kode surat",
    # aid, follow-up, closure, basis
    "quantity": "Jumlah", "unit": "Satuan", "amount": "Nilai", "given_on": "Tanggal diberikan",
    "given_by": "Diberikan oleh", "due_date": "Jadwal", "previous_id": "Tindak lanjut sebelumnya",
    "outcome_date": "Tanggal pelaksanaan", "findings": "Temuan", "next_step": "Langkah berikutnya",
    "closed_by_id": "Ditutup oleh", "closed_on": "Tanggal penutupan",
    "previous_status": "Status sebelumnya", "reopened_by_id": "Dibuka kembali oleh",
    "reopened_at": "Dibuka kembali pada", "reopen_reason": "Alasan dibuka kembali",
    "basis": "Dasar pemrosesan", "consent_by": "Persetujuan diberikan oleh",
    "guardian_id": "Wali/pendamping", "consent_given_on": "Tanggal persetujuan",
    # audit
    "user_id": "Oleh", "action": "Tindakan", "object_type": "Tentang", "object_id": "Objek",
    "ip": "Alamat IP", "details": "Rincian",
}  # fmt: skip
LABELS_IN = {
    "person_guardian": {"name": "Nama wali/pendamping", "nik": "NIK wali/pendamping",
                        "phone": "Telepon wali/pendamping"},
    "attachment": {"kind": "Asal", "note": "Keterangan"},
    "case_closure": {"reason": "Alasan penutupan", "summary": "Ringkasan penutupan"},
    "follow_up": {"reason": "Alasan (tidak terlaksana/dibatalkan)"},
    "referral": {"closed_at": "Selesai pada"},
    "case_event": {"created_at": "Waktu"},
}  # fmt: skip

# A column's codes, as their labels (per table where one name means different lists).
CODES = {
    "sex": labels.SEXES, "channel": labels.CHANNELS, "urgency": labels.URGENCIES,
    "doc_type": labels.DOC_TYPES, "method": labels.IDENTIFICATION_METHODS,
    "role": labels.GUARDIAN_ROLES, "relation": labels.GUARDIAN_RELATIONS,
    "dtsen_status": labels.DTSEN_STATUSES, "insurance": labels.INSURANCES,
    "aid": labels.REGISTRY_AID, "source": labels.REGISTRY_SOURCES,
    "disaster_type": labels.DISASTER_TYPES, "basis": labels.PROCESSING_BASES,
    "consent_by": labels.CONSENT_BY, "action": labels.AUDIT_ACTIONS,
    "object_type": {**labels.AUDIT_OBJECTS, "attachment": "lampiran",
                    "person_guardian": "wali/pendamping",
                    "processing_basis": "dasar pemrosesan data",
                    "registry_import": "berkas hasil cek SIKS-NG"},
}  # fmt: skip
CODES_IN = {
    "case": {"status": labels.STATUSES},
    "case_event": {"kind": labels.EVENTS},
    "referral": {"kind": labels.REFERRAL_KINDS, "status": labels.REFERRAL_STATUSES},
    "letter": {"kind": labels.LETTER_KINDS, "status": {"issued": "Terbit", "void": "Dibatalkan"}},
    "aid": {"kind": labels.AID_KINDS},
    "follow_up": {"kind": labels.FOLLOWUP_KINDS, "status": labels.FOLLOWUP_STATUSES},
    "case_closure": {"reason": labels.CLOSURE_REASONS, "status": labels.CLOSURE_STATUSES,
                     "previous_status": labels.STATUSES},
    "attachment": {"kind": {"photo": "Foto saat pendaftaran", "document": "Dokumen"}},
    "anonymisation_request": {"status": {"requested": "Diminta", "approved": "Disetujui",
                                         "rejected": "Ditolak"}},
}  # fmt: skip
# Keys inside a JSON column (a timeline entry's data, an audit entry's details, a merge's values)
KEY_CODES = {
    "kind": {**labels.EVENTS, **labels.AID_KINDS, **labels.FOLLOWUP_KINDS,
             **labels.REFERRAL_KINDS, **labels.LETTER_KINDS},
    "status": {**labels.STATUSES, **labels.REFERRAL_STATUSES, **labels.FOLLOWUP_STATUSES,
               **labels.CLOSURE_STATUSES},
    "reason": labels.CLOSURE_REASONS, "referral_kind": labels.REFERRAL_KINDS,
    "followup_kind": labels.FOLLOWUP_KINDS, "aid_kind": labels.AID_KINDS,
    **{key: codes for key, codes in CODES.items() if key not in ("action", "object_type")},
}  # fmt: skip
KEY_LABELS = {
    "changes": "Perubahan", "fmt": "Format", "rows": "Jumlah baris", "reason": "Alasan",
    "request_id": "Nomor permintaan", "person_anonymised": "Orangnya ikut dianonimkan",
    "referral_kind": "Jenis rujukan", "followup_kind": "Jenis tindak lanjut",
    "aid_kind": "Jenis bantuan", "letter_number": "Nomor surat", "attachment_id": "Lampiran",
    "merge_id": "Penggabungan", "with_id": "Dengan data", "with_name": "Dengan nama",
    "with_number": "Dengan kasus", "fields": "Yang dicatat", "letter_id": "Surat",
    "followup_id": "Tindak lanjut", "aid_id": "Bantuan", "closure_id": "Penutupan",
    "receiver": "Penerima", "assigned_to": "Petugas", "case": "Kasus", "person": "Orang",
    "version": "Versi data",
}  # fmt: skip
USERS = {"assigned_to", "created_by_id", "by_id", "recorded_by_id", "checked_by_id", "uploaded_by_id",
         "actor_id", "assigned_to_id", "submitted_by_id", "decided_by_id", "voided_by_id",
         "closed_by_id", "requested_by_id", "reopened_by_id", "undone_by_id", "user_id"}  # fmt: skip
PEOPLE = {"person_id", "kept_person_id", "merged_person_id", "merged_into_id"}


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
                ids["user"] |= {row[k] for k in USERS if row.get(k)}
                ids["org"] |= {row["organisation_id"]} if row.get("organisation_id") else set()
                ids["type"] |= {row["local_type_id"]} if row.get("local_type_id") else set()
                ids["guardian"] |= {row["guardian_id"]} if row.get("guardian_id") else set()
        self.users = self._names(User, User.full_name, ids["user"])
        self.orgs = self._names(Organisation, Organisation.name, ids["org"])
        self.types = self._names(LocalCaseType, LocalCaseType.name, ids["type"])
        self.guardians = self._names(PersonGuardian, PersonGuardian.name, ids["guardian"])
        self.offices = {office.id: office.name}
        self.people = {row["id"]: row.get("full_name") or f"no. {row['id']}" for row in data["person"]}  # fmt: skip
        self.cases = {row["id"]: row["number"] for row in data["case"]}
        ppks = {row["ppks_code"] for row in data["case"] if row.get("ppks_code")}
        self.ppks = dict(db.session.execute(
            select(PpksCategory.code, PpksCategory.name).where(PpksCategory.code.in_(ppks))
        ).all())  # fmt: skip

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
            return self.people.get(value, f"orang no. {value}")
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
        if key.endswith("_id"):
            return f"no. {value}"
        return None

    def column(self, table: str, column, value) -> str | None:
        """The value in words (None: not worth a line, the office every row is held by)."""
        key = column.key
        if key == "office_id" and value == self.office.id:
            return None
        codes = CODES_IN.get(table, {}).get(key) or CODES.get(key)
        if isinstance(column.type, Boolean):
            return "Ya" if value else "Tidak"
        if isinstance(column.type, DateTime):
            return self.when(value)
        if isinstance(column.type, Date):
            return self.day(value)
        if isinstance(column.type, JSON):
            return self.json(value, codes)
        if codes is not None:
            return str(codes.get(value, value))
        shown = self.ref(key, value)
        if shown is not None:
            return shown
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
                parts.append(f"{self.key_label(name)}: {text}")
            return "; ".join(parts)
        if key == "fields" and isinstance(value, list):
            return ", ".join(labels_of(str(name)) or str(name) for name in value)
        if isinstance(value, list):
            return ", ".join(self.json(item, codes, key) for item in value)
        if isinstance(value, bool):
            return "Ya" if value else "Tidak"
        if codes is not None and value in codes:
            return str(codes[value])
        if isinstance(value, str) and key:
            return self.text_value(key, value)
        if isinstance(value, int) and key:
            return self.ref(key, value) or str(value)
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
                texts = [(label_of(source.table, c.key), self.column(source.table, c, v))
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

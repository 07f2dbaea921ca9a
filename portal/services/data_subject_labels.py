"""The words of the data-subject PDF (services.data_subject_text): a label for every exported
column and for every key of an audit entry's details or a timeline entry's data, and the codes
shown as their labels. Plain Indonesian, like a letter (the report is Indonesian whatever the
reader's language). tests/test_data_subject.py and tests/test_audit_labels.py fail on a column
or a detail key the portal writes without a label here."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from . import labels

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
LETTER_STATUSES = {"valid": "Berlaku", "void": "Dibatalkan"}  # models.Letter.status
FAMILY_STATUSES = {
    "consented": "Diberi tahu dan setuju",
    "informed": "Diberi tahu",
    "not": "Tidak diberi tahu",
}  # an RSJ referral's family (referrals/kinds/rsj.html)
# an RSJ referral's health insurance (blueprints/referrals/forms.py), not the registry's list
REFERRAL_INSURANCES = {"bpjs": "BPJS Kesehatan", "kis": "KIS (PBI)", "none": "Tidak ada"}
CODES_IN = {
    "case": {"status": labels.STATUSES},
    "case_event": {"kind": labels.EVENTS},
    "referral": {"kind": labels.REFERRAL_KINDS, "status": labels.REFERRAL_STATUSES,
                 "family_status": FAMILY_STATUSES, "insurance": REFERRAL_INSURANCES},
    "letter": {"kind": labels.LETTER_KINDS, "status": LETTER_STATUSES},
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
               **labels.CLOSURE_STATUSES, **LETTER_STATUSES},
    "reason": labels.CLOSURE_REASONS, "referral_kind": labels.REFERRAL_KINDS,
    "followup_kind": labels.FOLLOWUP_KINDS, "aid_kind": labels.AID_KINDS,
    **{key: codes for key, codes in CODES.items() if key not in ("action", "object_type")},
    "document": {"laporan_kasus": "Laporan penanganan kasus"},
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
    "version": "Versi data", "from": "Dari", "to": "Ke", "previous": "Sebelumnya",
    "document": "Dokumen", "batch": "Jumlah surat dicetak bersama", "q": "Kata pencarian",
    "batch_id": "Cetak bersama", "page": "Halaman", "applied": "Jumlah diterapkan", "confirmed": "Baris yang dikonfirmasi",
    "counts": "Jumlah per hasil", "district": "Kecamatan", "start": "Dari tanggal",
    "end": "Sampai tanggal", "format": "Format", "username": "Nama pengguna",
}  # fmt: skip
USERS = {"assigned_to", "from", "to", "previous", "created_by_id", "by_id", "recorded_by_id", "checked_by_id", "uploaded_by_id",
         "actor_id", "assigned_to_id", "submitted_by_id", "decided_by_id", "voided_by_id",
         "closed_by_id", "requested_by_id", "reopened_by_id", "undone_by_id", "user_id"}  # fmt: skip
PEOPLE = {"person_id", "kept_person_id", "merged_person_id", "merged_into_id"}


def _day(value) -> str | None:
    return (
        format_date(date.fromisoformat(str(value)[:10]), "d MMMM y", locale="id") if value else None
    )


# An id naming a row of the export (in a column or an audit entry's details): printed as what
# the reader knows that row by (RECORD_WORDS, then its case number), never as a record number.
RECORDS = {
    "referral_id": "referral", "letter_id": "letter", "attachment_id": "attachment",
    "photo_id": "attachment", "attachment_ids": "attachment", "followup_id": "follow_up",
    "previous_id": "follow_up", "aid_id": "aid", "closure_id": "case_closure",
    "merge_id": "person_merge", "request_id": "anonymisation_request",
    "identification_id": "person_identification", "basis_id": "processing_basis",
    "event_id": "case_event",
}  # fmt: skip
RECORD_WORDS = {
    "referral": lambda r: [labels.REFERRAL_KINDS.get(r.get("kind"))],
    "letter": lambda r: [r.get("number") or labels.LETTER_KINDS.get(r.get("kind"))],
    "attachment": lambda r: [labels.DOC_TYPES.get(r.get("doc_type")), r.get("filename")],
    "follow_up": lambda r: [labels.FOLLOWUP_KINDS.get(r.get("kind")), _day(r.get("due_date"))],
    "aid": lambda r: [labels.AID_KINDS.get(r.get("kind")), _day(r.get("given_on"))],
    "case_closure": lambda r: ["penutupan kasus"],
    "person_merge": lambda r: ["penggabungan data"],
    "anonymisation_request": lambda r: ["permintaan anonimisasi"],
    "processing_basis": lambda r: ["dasar pemrosesan data"],
    "person_identification": lambda r: ["identifikasi", _day(r.get("identified_on"))],
    "person_guardian": lambda r: [r.get("name")],
    "case_event": lambda r: [labels.EVENTS.get(r.get("kind"))],
}  # fmt: skip

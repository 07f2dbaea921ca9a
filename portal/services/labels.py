"""Human labels (Indonesian source strings, translated by Flask-Babel) for coded values."""

from . import referral_kinds
from .i18n import lazy as _l

ROLES = {
    "worker": _l("Pekerja sosial"),
    "manager": _l("Manajer (Kabid/Kasi)"),
    "admin": _l("Admin"),
}
STATUSES = {
    "new": _l("Baru"),
    "in_progress": _l("Ditangani"),
    "referred": _l("Dirujuk"),
    "closing": _l("Menunggu penutupan"),
    "closed": _l("Ditutup"),
}
CHANNELS = {
    "residents": _l("Laporan warga"),
    "family": _l("Keluarga"),
    "satpol_pp": _l("Satpol PP"),
    "police": _l("Kepolisian"),
    "hospital": _l("Rumah sakit"),
    "outreach": _l("Penjangkauan petugas"),
    "self": _l("Datang sendiri"),
    "other": _l("Lainnya"),
}
URGENCIES = {
    "low": _l("Rendah"),
    "normal": _l("Biasa"),
    "high": _l("Tinggi"),
    "emergency": _l("Darurat"),
}
SEXES = {"L": _l("Laki-laki"), "P": _l("Perempuan")}
ORGANISATION_KINDS = {
    "rsj": _l("Rumah Sakit Jiwa (RSJ)"),
    "panti": _l("Panti / UPTD / Balai"),
    "dinsos": _l("Dinas Sosial daerah lain"),
    "hospital": _l("Rumah sakit / RSUD"),
    "puskesmas": _l("Puskesmas"),
    "police": _l("Kepolisian"),
    "other": _l("Lainnya"),
}
FIELDS = {
    "identity_known": _l("Identitas diketahui"),
    "full_name": _l("Nama lengkap"),
    "nik": _l("NIK"),
    "kk_number": _l("No. KK"),
    "sex": _l("Jenis kelamin"),
    "birth_date": _l("Tanggal lahir"),
    "estimated_age": _l("Perkiraan umur"),
    "birth_place": _l("Tempat lahir"),
    "phone": _l("Telepon"),
    "street": _l("Alamat (jalan, RT/RW)"),
    "province_code": _l("Provinsi"),
    "regency_code": _l("Kabupaten/kota"),
    "district_code": _l("Kecamatan"),
    "village_code": _l("Desa/kelurahan"),
    "origin_regency_code": _l("Daerah asal"),
    "physical_description": _l("Ciri-ciri fisik"),
    "found_place": _l("Tempat ditemukan"),
    "found_at": _l("Waktu ditemukan"),
    "ppks_code": _l("Kategori PPKS"),
    "local_type_id": _l("Jenis kasus lokal"),
    "channel": _l("Sumber laporan"),
    "reporter_name": _l("Nama pelapor"),
    "reporter_phone": _l("Telepon pelapor"),
    "reported_at": _l("Waktu laporan"),
    "place": _l("Tempat kejadian"),
    "summary": _l("Ringkasan situasi"),
    "urgency": _l("Tingkat urgensi"),
    "disaster_type": _l("Jenis bencana"),
    "event_date": _l("Tanggal kejadian bencana"),
    "event_place": _l("Tempat kejadian bencana"),
}
REFERRAL_KINDS = {code: kind.label for code, kind in referral_kinds.KINDS.items()}
REFERRAL_STATUSES = {
    "draft": _l("Draf"),
    "submitted": _l("Menunggu keputusan"),
    "approved": _l("Disetujui"),
    "rejected": _l("Ditolak"),
    "returned": _l("Dikembalikan untuk diperbaiki"),
    "completed": _l("Selesai (diserahterimakan)"),
    "cancelled": _l("Dibatalkan"),
}
LETTER_KINDS = {
    **{kind.letter: kind.letter_label for kind in referral_kinds.KINDS.values()},
    "surat_jalan": _l("Surat jalan"),
    "berita_acara": _l("Berita acara serah terima"),
}
EVENTS = {
    "referral_created": _l("Rujukan dibuat (draf)"),
    "referral_submitted": _l("Rujukan diajukan"),
    "referral_approved": _l("Rujukan disetujui"),
    "referral_rejected": _l("Rujukan ditolak"),
    "referral_returned": _l("Rujukan dikembalikan untuk diperbaiki"),
    "referral_completed": _l("Serah terima rujukan"),
    "referral_cancelled": _l("Rujukan dibatalkan"),
    "registered": _l("Kasus didaftarkan"),
    "edited": _l("Data kasus diubah"),
    "person_edited": _l("Data orang diubah"),
    "nik_confirmed": _l("NIK tidak cocok dengan formulir, diperiksa dan dipertahankan"),
    "identified": _l("Orang diidentifikasi"),
    "identity_corrected": _l("Identitas dikoreksi"),
    "person_merged": _l("Data orang digabungkan"),
    "person_merge_undone": _l("Penggabungan data orang dibatalkan"),
    "assigned": _l("Kasus ditugaskan"),
    "guardian_added": _l("Wali/pendamping dicatat"),
    "guardian_edited": _l("Data wali/pendamping diubah"),
    "basis_recorded": _l("Dasar pemrosesan data dicatat"),
    "basis_changed": _l("Dasar pemrosesan data diubah"),
    "note": _l("Catatan"),
    "followup_scheduled": _l("Tindak lanjut dijadwalkan"),
    "followup_done": _l("Tindak lanjut terlaksana"),
    "followup_not_reached": _l("Tindak lanjut: tidak berhasil ditemui"),
    "followup_cancelled": _l("Tindak lanjut dibatalkan"),
    "followup_reassigned": _l("Tindak lanjut dialihkan"),
    "aid_given": _l("Bantuan diberikan"),
    "closure_requested": _l("Penutupan kasus diajukan"),
    "closure_approved": _l("Penutupan kasus disetujui"),
    "closure_returned": _l("Penutupan kasus dikembalikan"),
    "case_closed": _l("Kasus ditutup"),
    "case_reopened": _l("Kasus dibuka kembali"),
    "document_added": _l("Dokumen ditambahkan"),
}
DOC_TYPES = {  # models.people.DOC_TYPES
    "ktp": _l("KTP"),
    "kk": _l("Kartu Keluarga (KK)"),
    "polisi": _l("Surat keterangan kepolisian"),
    "rujukan_medis": _l("Rujukan Puskesmas/RS"),
    "pemeriksaan": _l("Hasil pemeriksaan"),
    "pernyataan": _l("Surat pernyataan keluarga"),
    "tiket": _l("Tiket / bukti perjalanan"),
    "foto": _l("Foto"),
    "lainnya": _l("Lainnya"),
}
# What an audit log entry records (services.audit), as a person reads it; an action not listed
# is shown by its code.
AUDIT_ACTIONS = {
    "login": _l("Masuk"),
    "logout": _l("Keluar"),
    "login.failed": _l("Gagal masuk"),
    "login.locked": _l("Akun dikunci (terlalu banyak gagal masuk)"),
    "user.create": _l("Membuat pengguna"),
    "user.update": _l("Mengubah pengguna"),
    "user.password": _l("Mengganti kata sandi"),
    "user.password_reset": _l("Mengatur ulang kata sandi"),
    "office.update": _l("Mengubah data kantor"),
    "organisation.create": _l("Menambah lembaga"),
    "organisation.update": _l("Mengubah lembaga"),
    "case_type.create": _l("Menambah jenis kasus lokal"),
    "case_type.update": _l("Mengubah jenis kasus lokal"),
    "case.view": _l("Melihat kasus"),
    "case.view_unidentified": _l("Melihat daftar orang tanpa identitas"),
    "case.audit_view": _l("Melihat jejak akses kasus"),
    "case.print": _l("Mencetak kasus"),
    "case.create": _l("Mendaftarkan kasus"),
    "case.update": _l("Mengubah data kasus"),
    "case.assign": _l("Menugaskan kasus"),
    "case.note": _l("Menambah catatan"),
    "case.closure_request": _l("Mengajukan penutupan kasus"),
    "case.closure_approve": _l("Menyetujui penutupan kasus"),
    "case.closure_return": _l("Mengembalikan pengajuan penutupan"),
    "case.close": _l("Menutup kasus"),
    "case.reopen": _l("Membuka kembali kasus"),
    "person.view": _l("Melihat data orang"),
    "person.photo_view": _l("Membuka foto orang"),
    "person.audit_view": _l("Melihat jejak akses orang"),
    "person.update": _l("Mengubah data orang"),
    "person.identify": _l("Mengidentifikasi orang"),
    "person.identity_correct": _l("Mengoreksi identitas"),
    "person.merge_view": _l("Membuka penggabungan data orang"),
    "person.merge": _l("Menggabungkan data orang"),
    "person.merge_undo_view": _l("Membuka pembatalan penggabungan"),
    "person.merge_undo": _l("Membatalkan penggabungan data orang"),
    "referral.view": _l("Melihat rujukan"),
    "referral.created": _l("Membuat rujukan"),
    "referral.update": _l("Mengubah rujukan"),
    "referral.submitted": _l("Mengajukan rujukan"),
    "referral.approved": _l("Menyetujui rujukan"),
    "referral.rejected": _l("Menolak rujukan"),
    "referral.returned": _l("Mengembalikan rujukan"),
    "referral.completed": _l("Mencatat serah terima rujukan"),
    "referral.cancelled": _l("Membatalkan rujukan"),
    "letter.issue": _l("Menerbitkan surat"),
    "letter.number": _l("Memberi nomor surat"),
    "letter.download": _l("Mengunduh surat"),
    "letter.void": _l("Membatalkan surat"),
    "followup.schedule": _l("Menjadwalkan tindak lanjut"),
    "followup.done": _l("Mencatat tindak lanjut terlaksana"),
    "followup.not_reached": _l("Mencatat tindak lanjut tidak berhasil"),
    "followup.cancelled": _l("Membatalkan tindak lanjut"),
    "followup.reassign": _l("Mengalihkan tindak lanjut"),
    "aid.record": _l("Mencatat bantuan"),
    "report.export": _l("Mengekspor laporan"),
    "letter.print_batch": _l("Mencetak surat sekaligus"),
    "attachment.add": _l("Menambah dokumen"),
    "attachment.view": _l("Melihat dokumen"),
    "attachment.download": _l("Mengunduh dokumen"),
    "attachment.thumb": _l("Melihat miniatur dokumen"),  # entries written before QA of issue 14
    "guardian.add": _l("Mencatat wali/pendamping"),
    "guardian.update": _l("Mengubah wali/pendamping"),
    "basis.record": _l("Mencatat dasar pemrosesan data"),
    "basis.update": _l("Mengubah dasar pemrosesan data"),
    "person.registry": _l("Mencatat status registrasi sosial"),
    "person.registry_view": _l("Melihat status registrasi sosial"),
    "registry.import_read": _l("Mengunggah hasil cek SIKS-NG"),
    "registry.import_view": _l("Melihat pratinjau hasil cek SIKS-NG"),
    "registry.import_apply": _l("Menerapkan hasil cek SIKS-NG"),
    "person.data_export": _l("Mengekspor data pribadi (permintaan subjek data)"),
    "case.anonymise_request": _l("Meminta anonimisasi kasus"),
    "case.anonymise_reject": _l("Menolak anonimisasi kasus"),
    "case.anonymise": _l("Menganonimkan kasus"),
}
AUDIT_OBJECTS = {
    "case": _l("kasus"),
    "person": _l("orang"),
    "referral": _l("rujukan"),
    "letter": _l("surat"),
    "follow_up": _l("tindak lanjut"),
    "aid": _l("bantuan"),
    "case_closure": _l("penutupan kasus"),
    "case_event": _l("catatan kasus"),
    "report": _l("laporan"),
    "user": _l("pengguna"),
    "attachment": _l("lampiran"),
    "person_guardian": _l("wali/pendamping"),
    "processing_basis": _l("dasar pemrosesan data"),
    "registry_import": _l("berkas hasil cek SIKS-NG"),
}
IDENTIFICATION_METHODS = {  # models.people.IDENTIFICATION_METHODS
    "family": _l("keluarga"),
    "police": _l("kepolisian"),
    "dukcapil": _l("biometrik Dukcapil"),
    "self_report": _l("pengakuan sendiri"),
    "other": _l("lainnya"),
}
# services.consent: guardians and the legal basis of processing (UU PDP Pasal 20, 25, 26)
GUARDIAN_ROLES = {"wali": _l("Wali"), "pendamping": _l("Pendamping")}
GUARDIAN_RELATIONS = {  # models.consent.GUARDIAN_RELATIONS
    "parent": _l("Orang tua"),
    "grandparent": _l("Kakek/nenek"),
    "sibling": _l("Saudara kandung"),
    "spouse": _l("Suami/istri"),
    "child": _l("Anak"),
    "relative": _l("Kerabat lain"),
    "court_guardian": _l("Wali yang ditetapkan pengadilan"),
    "social_worker": _l("Pekerja sosial / TKSK"),
    "institution": _l("Petugas panti / lembaga"),
    "other": _l("Lainnya"),
}
PROCESSING_BASES = {  # models.consent.BASES; UU PDP Pasal 20 ayat (2)
    "consent": _l("Persetujuan (huruf a)"),
    "vital_interest": _l("Pelindungan kepentingan vital (huruf d)"),
    "legal_duty": _l("Kewajiban hukum dinas sosial (huruf c)"),
    "public_task": _l("Tugas pelayanan publik / kewenangan (huruf e)"),
}
CONSENT_BY = {"self": _l("Orang itu sendiri"), "guardian": _l("Wali/pendamping")}
GUARDIAN_REASONS = {
    "child": _l("anak (di bawah 18 tahun)"),
    "cannot_decide": _l("ODGJ / penyandang disabilitas"),
}
FOLLOWUP_KINDS = {
    "home_visit": _l("Kunjungan rumah"),
    "phone_call": _l("Telepon"),
    "facility_visit": _l("Kunjungan ke RSJ / panti"),
    "dinsos_coordination": _l("Koordinasi dengan Dinas Sosial penerima"),
}
FOLLOWUP_STATUSES = {
    "open": _l("Terjadwal"),
    "done": _l("Terlaksana"),
    "not_reached": _l("Tidak berhasil ditemui"),
    "cancelled": _l("Dibatalkan"),
}
TASK_BUCKETS = {
    "overdue": _l("Terlambat"),
    "today": _l("Hari ini"),
    "week": _l("Minggu ini"),
    "later": _l("Nanti"),
}
AID_KINDS = {
    "food": _l("Pangan"),
    "clothing": _l("Sandang / pakaian"),
    "shelter_kit": _l("Perlengkapan pengungsian / hunian"),
    "psychosocial": _l("Dukungan psikososial"),
    "transport_ticket": _l("Tiket transportasi"),
    "pocket_money": _l("Uang saku"),
    "medical_cost": _l("Biaya pengobatan"),
    "other": _l("Lainnya"),
}
CLOSURE_REASONS = {
    "returned_family": _l("Dikembalikan ke keluarga"),
    "returned_origin": _l("Dipulangkan ke daerah asal"),
    "placed": _l("Ditempatkan di panti / UPTD"),
    "recovered": _l("Pulih / mandiri"),
    "referred_agency": _l("Dirujuk ke lembaga lain"),
    "died": _l("Meninggal dunia"),
    "lost_contact": _l("Hilang kontak"),
    "other": _l("Lainnya"),
}
CLOSURE_STATUSES = {
    "requested": _l("Menunggu persetujuan"),
    "approved": _l("Disetujui"),
    "returned": _l("Dikembalikan"),
    "closed": _l("Ditutup"),
    "reopened": _l("Dibuka kembali"),
}
DISASTER_TYPES = {  # models.cases.DISASTER_GROUPS: alam, non-alam, sosial (UU 24/2007, BNPB)
    "flood": _l("Banjir"),
    "earthquake": _l("Gempa bumi"),
    "tsunami": _l("Tsunami"),
    "landslide": _l("Tanah longsor"),
    "eruption": _l("Erupsi gunung api"),
    "drought": _l("Kekeringan"),
    "whirlwind": _l("Puting beliung"),
    "tidal_wave": _l("Gelombang pasang/abrasi"),
    "forest_fire": _l("Kebakaran hutan dan lahan"),
    "fire": _l("Kebakaran permukiman"),
    "epidemic": _l("Epidemi/wabah penyakit"),
    "tech_failure": _l("Kegagalan teknologi"),
    "conflict": _l("Konflik sosial"),
    "terror": _l("Aksi teror"),
    "other": _l("Bencana lain"),
}
REFERRAL_KINDS_SHORT = {code: kind.short_label for code, kind in referral_kinds.KINDS.items()}
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
YES = _l("Ya")
NO = _l("Tidak")
# social-registry status (services.registry): DTKS, becoming DTSEN (Inpres 4/2025)
DTSEN_STATUSES = {
    "registered": _l("Terdaftar"),
    "not_registered": _l("Tidak terdaftar"),
    "proposed": _l("Diusulkan masuk DTSEN"),
    "unchecked": _l("Belum dicek"),
}
INSURANCES = {
    "pbi": _l("PBI-JK"),
    "mandiri": _l("BPJS mandiri"),
    "none": _l("Tidak punya"),
}
REGISTRY_AID = {
    "pkh": _l("PKH"),
    "bpnt": _l("BPNT/Sembako"),
    "blt": _l("BLT"),
    "other": _l("Bantuan lain"),
}
REGISTRY_SOURCES = {
    "cek_bansos": _l("Cek bansos"),
    "siks_ng": _l("SIKS-NG"),
    "dukcapil": _l("Dukcapil"),
    "other": _l("Lainnya"),
}
REGISTRY_FIELDS = {
    "dtsen_status": _l("Status DTKS/DTSEN"),
    "decile": _l("Desil"),
    "insurance": _l("Jaminan kesehatan"),
    "insurance_number": _l("Nomor kartu JKN/KIS"),
    "aid": _l("Bantuan sosial"),
    "aid_other": _l("Bantuan lain"),
}

"""Human labels (Indonesian source strings, translated by Flask-Babel) for coded values."""

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
}
REFERRAL_KINDS = {
    "rsj": _l("Rujukan ke Rumah Sakit Jiwa (RSJ)"),
    "return_home": _l("Pemulangan ke daerah asal"),
    "placement": _l("Penempatan di panti / UPTD / balai"),
    "service": _l("Rujukan layanan lain"),
}
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
    "rujukan_rsj": _l("Surat rujukan/rekomendasi RSJ"),
    "pengantar_pemulangan": _l("Surat pengantar pemulangan"),
    "rujukan_panti": _l("Surat rujukan panti/UPTD"),
    "rujukan_layanan": _l("Surat rujukan layanan"),
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
    "assigned": _l("Kasus ditugaskan"),
    "note": _l("Catatan"),
}
YES = _l("Ya")
NO = _l("Tidak")

"""The 26 PPKS categories (Permensos 08/2012; PMKS renamed PPKS in 2019)."""

PPKS = [
    ("01", "Anak Balita Telantar"),
    ("02", "Anak Telantar"),
    ("03", "Anak yang Berhadapan dengan Hukum"),
    ("04", "Anak Jalanan"),
    ("05", "Anak dengan Kedisabilitasan"),
    ("06", "Anak Korban Tindak Kekerasan/Diperlakukan Salah"),
    ("07", "Anak yang Memerlukan Perlindungan Khusus"),
    ("08", "Lanjut Usia Telantar"),
    ("09", "Penyandang Disabilitas"),
    ("10", "Tuna Susila"),
    ("11", "Gelandangan"),
    ("12", "Pengemis"),
    ("13", "Pemulung"),
    ("14", "Kelompok Minoritas"),
    ("15", "Bekas Warga Binaan Lembaga Pemasyarakatan"),
    ("16", "Orang dengan HIV/AIDS"),
    ("17", "Korban Penyalahgunaan NAPZA"),
    ("18", "Korban Trafficking"),
    ("19", "Korban Tindak Kekerasan"),
    ("20", "Pekerja Migran Bermasalah Sosial"),
    ("21", "Korban Bencana Alam"),
    ("22", "Korban Bencana Sosial"),
    ("23", "Perempuan Rawan Sosial Ekonomi"),
    ("24", "Fakir Miskin"),
    ("25", "Keluarga Bermasalah Sosial Psikologis"),
    ("26", "Komunitas Adat Terpencil"),
]

# Local case types every new office starts with (editable by its admin).
DEFAULT_LOCAL_TYPES = [
    ("ODGJ terlantar", "09", "Orang dengan gangguan jiwa yang ditemukan telantar/menggelandang."),
    ("Orang terlantar", "20", "Perantau/musafir yang kehabisan bekal dan perlu dipulangkan."),
]

from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ...forms import Form, strip
from ...services import regions
from ...services.admin import COPY_KINDS
from ...services.i18n import lazy as _l
from ...services.images import PhotoRejected, read_photo
from ...services.labels import ORGANISATION_KINDS, ROLES
from ...services.letters import copies_for
from ..form_checks import add_error
from . import letter_fields

REQUIRED = _l("Wajib diisi.")


class UserForm(Form):
    username = StringField(
        _l("Nama pengguna"),
        filters=[strip],
        validators=[
            InputRequired(message=REQUIRED),
            Length(min=3, max=64),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l("Hanya huruf, angka, titik, garis bawah dan minus."),
            ),
        ],
    )
    full_name = StringField(
        _l("Nama lengkap"),
        filters=[strip],
        validators=[InputRequired(message=REQUIRED), Length(max=120)],
    )
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[Optional(), Length(max=120), Email(message=_l("Alamat e-mail tidak sah."))],
    )
    role = SelectField(_l("Peran"), choices=list(ROLES.items()), validators=[InputRequired()])
    position = StringField(_l("Jabatan"), filters=[strip], validators=[Length(max=120)])
    nip = StringField(
        _l("NIP"),
        filters=[lambda v: (v or "").replace(" ", "")],
        validators=[Optional(), Regexp(r"^[0-9]{18}$", message=_l("NIP terdiri dari 18 digit."))],
    )
    phone = StringField(
        _l("Telepon dinas (dicetak pada surat jalan)"),
        filters=[strip],
        validators=[Length(max=50)],
    )
    password = PasswordField(
        _l("Kata sandi awal"),
        validators=[
            Optional(),
            Length(min=10, max=200, message=_l("Kata sandi minimal 10 karakter.")),
        ],
    )
    active = BooleanField(_l("Aktif"), default=True)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_new and not self.password.data:
            self.password.errors.append(str(_l("Kata sandi awal wajib diisi.")))
            valid = False
        return valid

    is_new = True


class ResetPasswordForm(Form):
    password = PasswordField(
        _l("Kata sandi baru"),
        validators=[
            InputRequired(message=REQUIRED),
            Length(min=10, max=200, message=_l("Kata sandi minimal 10 karakter.")),
        ],
    )


class OfficeForm(Form):
    version = HiddenField()
    name = StringField(
        _l("Nama kantor"),
        filters=[strip],
        validators=[InputRequired(message=REQUIRED), Length(max=200)],
    )
    government_line = StringField(
        _l("Baris pemerintah (kop)"),
        filters=[strip],
        validators=[InputRequired(message=REQUIRED), Length(max=200)],
        description=_l("Contoh: PEMERINTAH KOTA MAKASSAR"),
    )
    city = StringField(
        _l("Tempat surat"),
        filters=[strip],
        validators=[InputRequired(message=REQUIRED), Length(max=100)],
        description=_l("Nama tempat di tanggal surat, contoh: Makassar"),
    )
    region_code = SelectField(_l("Wilayah kerja (kabupaten/kota)"), validate_choice=False)
    address = TextAreaField(_l("Alamat"), filters=[strip], validators=[Length(max=300)])
    phone = StringField(_l("Telepon"), filters=[strip], validators=[Length(max=50)])
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[Optional(), Length(max=120), Email(message=_l("Alamat e-mail tidak sah."))],
    )
    website = StringField(_l("Situs web"), filters=[strip], validators=[Length(max=120)])
    timezone = SelectField(
        _l("Zona waktu"),
        choices=[
            ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
            ("Asia/Makassar", "WITA (Asia/Makassar)"),
            ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
        ],
    )
    letter_number_template = StringField(
        _l("Templat nomor surat"),
        filters=[strip],
        validators=[InputRequired(message=REQUIRED), Length(max=120)],
        description=_l(
            "Tanda yang dapat dipakai: {klasifikasi} {nomor} {bulan_romawi} {bulan} {tahun} {kode_kantor}"
        ),
    )
    head_title = StringField(
        _l("Jabatan kepala dinas"),
        filters=[strip],
        validators=[Length(max=200)],
        description=_l("Contoh: Kepala Dinas Sosial Kota Makassar"),
    )
    head_name = StringField(_l("Nama kepala dinas"), filters=[strip], validators=[Length(max=120)])
    head_rank = StringField(
        _l("Pangkat/golongan kepala dinas"), filters=[strip], validators=[Length(max=120)]
    )
    head_nip = StringField(
        _l("NIP kepala dinas"),
        filters=[lambda v: (v or "").replace(" ", "")],
        validators=[Optional(), Regexp(r"^[0-9]{18}$", message=_l("NIP terdiri dari 18 digit."))],
    )
    signing_mode = SelectField(
        _l("Penanda tangan surat"),
        choices=[
            ("head", _l("Kepala dinas sendiri")),
            ("an", _l("a.n. Kepala Dinas (pejabat lain)")),
            ("plt", _l("Plt. (pelaksana tugas)")),
            ("plh", _l("Plh. (pelaksana harian)")),
        ],
    )
    signer_name = StringField(
        _l("Nama penanda tangan (a.n./Plt./Plh.)"), filters=[strip], validators=[Length(max=120)]
    )
    signer_position = StringField(
        _l("Jabatan penanda tangan"), filters=[strip], validators=[Length(max=200)]
    )
    signer_rank = StringField(
        _l("Pangkat/golongan penanda tangan"), filters=[strip], validators=[Length(max=120)]
    )
    signer_nip = StringField(
        _l("NIP penanda tangan"),
        filters=[lambda v: (v or "").replace(" ", "")],
        validators=[Optional(), Regexp(r"^[0-9]{18}$", message=_l("NIP terdiri dari 18 digit."))],
    )

    paper_size = SelectField(
        _l("Ukuran kertas surat"),
        choices=[("F4", "F4 / Folio (215 × 330 mm)"), ("A4", "A4 (210 × 297 mm)")],
    )
    copies_rujukan_rsj = TextAreaField(
        _l("Tembusan surat rujukan RSJ (satu per baris)"),
        filters=[strip],
        validators=[Length(max=1000)],
    )
    copies_pengantar_pemulangan = TextAreaField(
        _l("Tembusan surat pengantar pemulangan (satu per baris)"),
        filters=[strip],
        validators=[Length(max=1000)],
    )
    copies_rujukan_panti = TextAreaField(
        _l("Tembusan surat rujukan panti (satu per baris)"),
        filters=[strip],
        validators=[Length(max=1000)],
    )
    copies_rujukan_layanan = TextAreaField(
        _l("Tembusan surat rujukan layanan (satu per baris)"),
        filters=[strip],
        validators=[Length(max=1000)],
    )

    def validate_letter_number_template(self, field):
        from ...services.letter_numbers import template_errors

        errors = template_errors(field.data or "")
        if errors:
            raise ValidationError(" ".join(errors))

    def validate_signer_name(self, field):
        if self.signing_mode.data != "head" and not field.data:
            raise ValidationError(_l("Isi nama pejabat yang menandatangani."))

    closure_approval = BooleanField(
        _l("Penutupan kasus oleh pekerja sosial perlu persetujuan manajer"), default=True
    )
    followup_days_rsj = IntegerField(
        _l("Tindak lanjut setelah rujukan RSJ selesai (hari)"),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=0, max=365)],
        description=_l("Kunjungan ke RSJ; 0: tidak diusulkan"),
    )
    followup_days_return_home = IntegerField(
        _l("Tindak lanjut setelah pemulangan (hari)"),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=0, max=365)],
        description=_l("Konfirmasi kedatangan dengan Dinas Sosial penerima; 0: tidak diusulkan"),
    )
    followup_days_placement = IntegerField(
        _l("Tindak lanjut setelah penempatan di panti (hari)"),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=0, max=365)],
        description=_l("Kunjungan ke panti; 0: tidak diusulkan"),
    )
    followup_days_service = IntegerField(
        _l("Tindak lanjut setelah rujukan layanan lain (hari)"),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=0, max=365)],
        description=_l("0: tidak diusulkan"),
    )
    attachment_max_mb = IntegerField(
        _l("Ukuran maksimal satu dokumen (MB)"),
        validators=[Optional(), NumberRange(min=1, max=50)],
        description=_l("Dokumen kasus: JPG, PNG, PDF, HEIC"),
    )
    case_attachments_max_mb = IntegerField(
        _l("Ukuran maksimal semua dokumen satu kasus (MB)"),
        validators=[Optional(), NumberRange(min=1, max=2000)],
    )

    retention_years = IntegerField(
        _l("Masa simpan kasus setelah ditutup (tahun)"),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=1, max=100)],
        description=_l("Sesudahnya kasus tampil di Retensi data untuk dianonimkan (UU PDP)"),
    )
    letter_archive_years = IntegerField(
        _l("Masa simpan arsip PDF surat (tahun sejak tanggal surat)"),
        validators=[InputRequired(message=REQUIRED), NumberRange(min=0, max=100)],
        description=_l(
            "Jadwal retensi arsip: PDF surat kasus yang dianonimkan dihapus sesudahnya; nomor "
            "dan SHA-256 tetap. 0: dihapus saat kasus dianonimkan"
        ),
    )

    logo_file = FileField(
        _l("Logo daerah (PNG atau JPG, maks. 1 MB)"),
        validators=[FileAllowed(["png", "jpg", "jpeg"], _l("Logo harus PNG atau JPG."))],
    )

    logo = None  # (bytes, mimetype) once check_against() read an uploaded logo

    def setup(self, office) -> None:
        """Region choices; the office's letter settings when the form is first shown."""
        self.region_code.choices = [("", "—")] + [
            (r.code, f"{r.name}") for p in regions.children(None) for r in regions.children(p.code)
        ]
        if self.is_submitted():
            return
        self.version.data = office.version_id
        letter_fields.load(self, office)
        for kind in COPY_KINDS:
            lines = [line for line in copies_for(office, kind) if line != "Arsip"]
            getattr(self, f"copies_{kind}").data = "\n".join(lines)

    def check_against(self, office) -> bool:
        """After the field checks: the uploaded logo, the region, and that nobody saved the
        settings since the form was opened. True when all is well."""
        if self.logo_file.data:
            try:
                self.logo = read_photo(self.logo_file.data.read(), 1024 * 1024)
            except PhotoRejected as refusal:
                too_many_pixels = refusal.reason == "too_many_pixels"
                message = _l("Logo harus gambar PNG atau JPG, maksimal 1 MB.")
                add_error(self.logo_file, str(refusal) if too_many_pixels else message)
        if self.region_code.data and not regions.exists(self.region_code.data, 2):
            add_error(self.region_code, _l("Pilih wilayah dari daftar."))
        if str(office.version_id) != (self.version.data or ""):
            add_error(
                self.version,
                _l(
                    "Pengaturan kantor sudah diubah orang lain sejak formulir dibuka. "
                    "Muat ulang halaman."
                ),
            )
        return not any(f.errors for f in self)

    def office_values(self) -> dict:
        values = dict(self.data, region_code=self.region_code.data or None)
        for name in ("attachment_max_mb", "case_attachments_max_mb"):  # left empty: unchanged
            if values.get(name) is None:
                values.pop(name, None)
        return values | letter_fields.values(self)


letter_fields.install(OfficeForm)


class OrganisationForm(Form):
    name = StringField(
        _l("Nama"), filters=[strip], validators=[InputRequired(message=REQUIRED), Length(max=200)]
    )
    kind = SelectField(
        _l("Jenis"), choices=list(ORGANISATION_KINDS.items()), validators=[InputRequired()]
    )
    address = TextAreaField(_l("Alamat"), filters=[strip], validators=[Length(max=300)])
    province = SelectField(_l("Provinsi"), validate_choice=False)
    region_code = SelectField(_l("Kabupaten/kota"), validate_choice=False)
    contact_name = StringField(_l("Narahubung"), filters=[strip], validators=[Length(max=120)])
    phone = StringField(_l("Telepon"), filters=[strip], validators=[Length(max=50)])
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[Optional(), Length(max=120), Email(message=_l("Alamat e-mail tidak sah."))],
    )
    active = BooleanField(_l("Aktif"), default=True)


class CaseTypeForm(Form):
    name = StringField(
        _l("Nama jenis kasus"),
        filters=[strip],
        validators=[InputRequired(message=REQUIRED), Length(max=120)],
    )
    ppks_code = SelectField(_l("Dipetakan ke PPKS"), validators=[InputRequired(message=REQUIRED)])
    description = TextAreaField(_l("Keterangan"), filters=[strip], validators=[Length(max=1000)])
    active = BooleanField(_l("Aktif"), default=True)

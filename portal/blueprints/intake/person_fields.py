"""Who the person is, as typed by a social worker (registration and the person's edit page)."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...forms import Form, VersionField, strip
from ...services import regions
from ...services.i18n import lazy as _l
from ...services.identity import check_kk, check_nik, clean_digits, normalize_phone
from ...services.images import PhotoRejected, read_photo
from ...services.labels import SEXES
from ...services.timeutil import local_to_utc, local_today

AS_TYPED = object()
# The person's values for services.intake, in order: field name, and what an empty field means
# (AS_TYPED: its data as it is).
PERSON_VALUES = (
    ("full_name", ""),
    ("nik", None),
    ("kk_number", None),
    ("sex", AS_TYPED),
    ("birth_date", AS_TYPED),
    ("estimated_age", AS_TYPED),
    ("birth_place", ""),
    ("phone", None),
    ("street", ""),
    ("province_code", None),
    ("regency_code", None),
    ("district_code", None),
    ("village_code", None),
    ("origin_regency_code", None),
    ("physical_description", ""),
    ("found_place", ""),
)


def region_choices(parent: str | None, placeholder) -> list[tuple[str, str]]:
    choices = [("", str(placeholder))]
    if parent is not None:
        choices += [(r.code, r.name) for r in regions.children(parent or None)]
    return choices


class PersonFields(Form):
    """Who the person is. Set `office` on the instance before validating."""

    identity_unknown = BooleanField(_l("Identitas tidak diketahui (belum bisa disebutkan)"))
    full_name = StringField(_l("Nama lengkap"), filters=[strip], validators=[Length(max=120)])
    nik = StringField(
        _l("NIK"),
        filters=[strip],
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "numeric"},
    )
    kk_number = StringField(
        _l("No. KK"),
        filters=[strip],
        validators=[Optional(), Length(max=30)],
        render_kw={"inputmode": "numeric"},
    )
    sex = RadioField(
        _l("Jenis kelamin"),
        choices=list(SEXES.items()),
        validators=[InputRequired(message=_l("Pilih jenis kelamin."))],
    )
    birth_date = DateField(_l("Tanggal lahir"), validators=[Optional()])
    estimated_age = IntegerField(
        _l("Perkiraan umur (tahun)"),
        validators=[Optional(), NumberRange(0, 120, message=_l("Umur antara 0 dan 120 tahun."))],
    )
    birth_place = StringField(_l("Tempat lahir"), filters=[strip], validators=[Length(max=100)])
    phone = StringField(
        _l("Nomor telepon"),
        filters=[strip],
        validators=[Length(max=30)],
        render_kw={"inputmode": "tel"},
    )
    province_code = SelectField(_l("Provinsi"), validate_choice=False)
    regency_code = SelectField(_l("Kabupaten/kota"), validate_choice=False)
    district_code = SelectField(_l("Kecamatan"), validate_choice=False)
    village_code = SelectField(_l("Desa/kelurahan"), validate_choice=False)
    street = StringField(_l("Jalan, RT/RW"), filters=[strip], validators=[Length(max=300)])
    origin_province = SelectField(_l("Provinsi asal"), validate_choice=False)
    origin_regency_code = SelectField(_l("Kabupaten/kota asal"), validate_choice=False)
    physical_description = TextAreaField(
        _l("Ciri-ciri fisik"), filters=[strip], validators=[Length(max=2000)]
    )
    found_place = StringField(_l("Tempat ditemukan"), filters=[strip], validators=[Length(max=300)])
    found_at = DateTimeLocalField(
        _l("Waktu ditemukan"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    photo = FileField(
        _l("Foto"),
        validators=[
            FileAllowed(["jpg", "jpeg", "png", "webp"], _l("Foto harus JPG, PNG atau WebP."))
        ],
    )

    nik_confirmed = BooleanField(
        _l(
            "Saya sudah memeriksa: NIK ini benar milik orang ini, walaupun tidak cocok "
            "dengan data di formulir."
        )
    )
    nik_reason = StringField(
        _l("Alasan (mis. KTP dilihat, tanggal lahir di KTP berbeda)"),
        filters=[strip],
        validators=[Length(max=300)],
    )

    nik_warnings: list[str]
    nik_mismatches: list[str] = []
    office = None

    def setup_regions(self, office) -> None:
        """Fill the region selects for what is chosen (or the office's own region by default)."""
        self.office = office
        self._preselect(office.region_code or "")
        for name, parent, placeholder in (
            ("province_code", "", _l("— pilih provinsi —")),
            ("regency_code", self.province_code.data or None, _l("— pilih kabupaten/kota —")),
            ("district_code", self.regency_code.data or None, _l("— pilih kecamatan —")),
            ("village_code", self.district_code.data or None, _l("— pilih desa/kelurahan —")),
            ("origin_province", "", _l("— pilih provinsi asal —")),
            (
                "origin_regency_code",
                self.origin_province.data or None,
                _l("— pilih kabupaten/kota asal —"),
            ),
        ):
            self[name].choices = region_choices(parent, placeholder)

    def _preselect(self, default: str) -> None:
        """A new form starts at the office's province and regency; the origin's province
        follows its regency."""
        if not self.is_submitted() and not self.province_code.data and default:
            self.province_code.data = default[:2]
            if default.count(".") >= 1:
                self.regency_code.data = default[:5]
        if not self.origin_province.data and self.origin_regency_code.data:
            self.origin_province.data = self.origin_regency_code.data[:2]

    # --- validation -------------------------------------------------------------------------
    def today(self) -> date:
        return local_today(self.office.timezone if self.office else "Asia/Makassar")

    def validate_full_name(self, field):
        if not self.identity_unknown.data and not field.data:
            raise ValidationError(_l("Isi nama lengkap, atau centang 'identitas tidak diketahui'."))

    def validate_photo(self, field):
        """A file that is no photo is reported with the other fields' errors, not only once
        they are fixed (services.intake reads it again when the case is registered)."""
        if not field.data or field.errors:
            return
        data = field.data.read()
        field.data.seek(0)
        try:
            read_photo(data, current_app.config["PHOTO_MAX_BYTES"])
        except PhotoRejected as rejected:
            raise ValidationError(str(rejected)) from None

    def validate_physical_description(self, field):
        if self.identity_unknown.data and not field.data:
            raise ValidationError(_l("Tanpa identitas, ciri-ciri fisik wajib diisi."))

    def validate_found_place(self, field):
        if self.identity_unknown.data and not field.data:
            raise ValidationError(_l("Tanpa identitas, tempat ditemukan wajib diisi."))

    def validate_nik(self, field):
        self.nik_warnings = []
        if not field.data:
            field.data = None
            return
        result = check_nik(
            field.data,
            lookup_region=regions.region_name,
            sex=self.sex.data if self.sex.data in ("L", "P") else None,
            birth_date=self.birth_date.data,
            today=self.today(),
        )
        if result.errors:
            raise ValidationError(" ".join(result.errors))
        self.nik_warnings = result.warnings
        self.nik_mismatches = result.mismatches
        field.data = result.nik

    def _check_nik_confirmed(self) -> bool:
        """A NIK that disagrees with the form needs the worker's confirmation and a reason."""
        if not self.nik_mismatches:
            return True
        if not self.nik_confirmed.data:
            self.nik_confirmed.errors.append(
                str(_l("NIK tidak cocok dengan formulir: periksa kembali, lalu centang ini."))
            )
        if not self.nik_reason.data:
            self.nik_reason.errors.append(str(_l("Tulis alasannya.")))
        return bool(self.nik_confirmed.data and self.nik_reason.data)

    def nik_confirmation(self) -> dict | None:
        """What the worker confirmed about a NIK that disagrees with the form (kept in the
        timeline and the audit log), or None."""
        if not self.nik_mismatches:
            return None
        return {"warnings": list(self.nik_mismatches), "reason": self.nik_reason.data}

    def validate_kk_number(self, field):
        if not field.data:
            field.data = None
            return
        errors = check_kk(field.data)
        if errors:
            raise ValidationError(" ".join(errors))
        field.data = clean_digits(field.data)

    def validate_birth_date(self, field):
        if field.data:
            if field.data > self.today():
                raise ValidationError(_l("Tanggal lahir tidak boleh di masa depan."))
            if field.data.year < self.today().year - 120:
                raise ValidationError(_l("Tanggal lahir terlalu jauh di masa lalu."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            self.estimated_age.data is None
            and not self.birth_date.data
            and not self.birth_date.errors
            and not self.estimated_age.errors
        ):
            self.estimated_age.errors.append(str(_l("Isi tanggal lahir atau perkiraan umur.")))
            valid = False
        return self._check_nik_confirmed() and valid

    def validate_phone(self, field):
        if not field.data:
            field.data = None
            return
        normalised = normalize_phone(field.data)
        if not normalised:
            raise ValidationError(_l("Nomor telepon tidak dikenali (contoh: 0812-3456-7890)."))
        field.data = normalised

    def _check_region(self, field, level: int, parent: str | None):
        if not field.data:
            field.data = None
            return
        if not regions.exists(field.data, level) or (
            parent and not field.data.startswith(parent + ".")
        ):
            raise ValidationError(_l("Pilih wilayah dari daftar."))

    def validate_province_code(self, field):
        self._check_region(field, 1, None)

    def validate_regency_code(self, field):
        self._check_region(field, 2, self.province_code.data)

    def validate_district_code(self, field):
        self._check_region(field, 3, self.regency_code.data)

    def validate_village_code(self, field):
        self._check_region(field, 4, self.district_code.data)

    def validate_origin_regency_code(self, field):
        self._check_region(field, 2, self.origin_province.data)

    def validate_found_at(self, field):
        if field.data and field.data > datetime.combine(self.today(), datetime.max.time()):
            raise ValidationError(_l("Waktu ditemukan tidak boleh di masa depan."))
        if field.data and field.data.year < 1950:
            raise ValidationError(_l("Tahun tidak masuk akal."))

    def person_values(self) -> dict:
        values = {"identity_known": not self.identity_unknown.data}
        for name, empty in PERSON_VALUES:
            data = self[name].data
            values[name] = data if empty is AS_TYPED else (data or empty)
        values["found_at"] = local_to_utc(self.found_at.data, self.office.timezone)
        values["nik_confirmation"] = self.nik_confirmation()
        return values

    def load_person(self, person, tz: str) -> None:
        from ...services.timeutil import utc_to_local

        self.identity_unknown.data = not person.identity_known
        for name, _empty in PERSON_VALUES:
            getattr(self, name).data = getattr(person, name)
        self.origin_province.data = (person.origin_regency_code or "")[:2]
        self.found_at.data = utc_to_local(person.found_at, tz)


class PersonEditForm(PersonFields):
    version = VersionField()
    conflict = None  # StaleVersion.changes once a save met someone else's

    def load(self, person, tz: str) -> None:
        self.load_person(person, tz)
        self.version.data = person.version_id

    def version_number(self) -> int:
        return self.version.number()

"""The person and the case, as typed by a social worker. Registration uses both."""

from __future__ import annotations

from datetime import date, datetime

from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...forms import Form, strip
from ...services import regions
from ...services.i18n import lazy as _l
from ...services.identity import check_kk, check_nik, clean_digits, normalize_phone
from ...services.labels import CHANNELS, DISASTER_TYPES, SEXES, URGENCIES
from ...services.timeutil import local_to_utc, local_today

REQUIRED = _l("Wajib diisi.")


def _region_choices(parent: str | None, placeholder) -> list[tuple[str, str]]:
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

    nik_warnings: list[str]
    office = None

    def setup_regions(self, office) -> None:
        """Fill the region selects for what is chosen (or the office's own region by default)."""
        self.office = office
        default = office.region_code or ""
        if not self.is_submitted() and not self.province_code.data and default:
            self.province_code.data = default[:2]
            if default.count(".") >= 1:
                self.regency_code.data = default[:5]
        prov, reg, dis = self.province_code.data, self.regency_code.data, self.district_code.data
        self.province_code.choices = _region_choices("", _l("— pilih provinsi —"))
        self.regency_code.choices = _region_choices(
            prov or None if prov else None, _l("— pilih kabupaten/kota —")
        )
        self.district_code.choices = _region_choices(
            reg if reg else None, _l("— pilih kecamatan —")
        )
        self.village_code.choices = _region_choices(
            dis if dis else None, _l("— pilih desa/kelurahan —")
        )
        self.origin_province.choices = _region_choices("", _l("— pilih provinsi asal —"))
        if not self.origin_province.data and self.origin_regency_code.data:
            self.origin_province.data = self.origin_regency_code.data[:2]
        origin = self.origin_province.data
        self.origin_regency_code.choices = _region_choices(
            origin if origin else None, _l("— pilih kabupaten/kota asal —")
        )

    # --- validation -------------------------------------------------------------------------
    def today(self) -> date:
        return local_today(self.office.timezone if self.office else "Asia/Makassar")

    def validate_full_name(self, field):
        if not self.identity_unknown.data and not field.data:
            raise ValidationError(_l("Isi nama lengkap, atau centang 'identitas tidak diketahui'."))

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
        field.data = result.nik

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
        return valid

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
        tz = self.office.timezone
        unknown = bool(self.identity_unknown.data)
        return {
            "identity_known": not unknown,
            "full_name": self.full_name.data or "",
            "nik": self.nik.data or None,
            "kk_number": self.kk_number.data or None,
            "sex": self.sex.data,
            "birth_date": self.birth_date.data,
            "estimated_age": self.estimated_age.data,
            "birth_place": self.birth_place.data or "",
            "phone": self.phone.data or None,
            "street": self.street.data or "",
            "province_code": self.province_code.data or None,
            "regency_code": self.regency_code.data or None,
            "district_code": self.district_code.data or None,
            "village_code": self.village_code.data or None,
            "origin_regency_code": self.origin_regency_code.data or None,
            "physical_description": self.physical_description.data or "",
            "found_place": self.found_place.data or "",
            "found_at": local_to_utc(self.found_at.data, tz),
        }

    def load_person(self, person, tz: str) -> None:
        from ...services.timeutil import utc_to_local

        self.identity_unknown.data = not person.identity_known
        for name in (
            "full_name", "nik", "kk_number", "sex", "birth_date", "estimated_age", "birth_place",
            "phone", "street", "province_code", "regency_code", "district_code", "village_code",
            "origin_regency_code", "physical_description", "found_place",
        ):  # fmt: skip
            getattr(self, name).data = getattr(person, name)
        self.origin_province.data = (person.origin_regency_code or "")[:2]
        self.found_at.data = utc_to_local(person.found_at, tz)


class CaseFields(Form):
    """What happened. Set `office` and category choices before validating."""

    category = SelectField(
        _l("Kategori / jenis kasus"), validators=[InputRequired(message=REQUIRED)]
    )
    channel = SelectField(
        _l("Sumber laporan"),
        choices=[("", "—")] + [(k, v) for k, v in CHANNELS.items()],
        validators=[InputRequired(message=REQUIRED)],
    )
    reporter_name = StringField(_l("Nama pelapor"), filters=[strip], validators=[Length(max=120)])
    reporter_phone = StringField(
        _l("Telepon pelapor"),
        filters=[strip],
        validators=[Length(max=30)],
        render_kw={"inputmode": "tel"},
    )
    reported_at = DateTimeLocalField(
        _l("Waktu laporan"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired(message=_l("Isi tanggal dan jam laporan."))],
    )
    place = StringField(_l("Tempat kejadian"), filters=[strip], validators=[Length(max=300)])
    case_district = SelectField(_l("Kecamatan kejadian"), validate_choice=False)
    summary = TextAreaField(
        _l("Ringkasan situasi"),
        filters=[strip],
        validators=[InputRequired(message=REQUIRED), Length(max=5000)],
    )
    urgency = SelectField(
        _l("Tingkat urgensi"),
        choices=list(URGENCIES.items()),
        default="normal",
        validators=[InputRequired(message=REQUIRED)],
    )
    # korban bencana (PPKS 21/22): the disaster and its event, for the reports
    disaster_type = SelectField(
        _l("Jenis bencana"),
        choices=[("", "—")] + list(DISASTER_TYPES.items()),
        description=_l("Wajib untuk korban bencana (PPKS 21/22)."),
        validate_choice=False,  # validate_disaster_type
    )
    event_date = DateField(_l("Tanggal kejadian bencana"), validators=[Optional()])
    event_place = StringField(
        _l("Tempat kejadian bencana"), filters=[strip], validators=[Length(max=200)]
    )

    office = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return valid and not self.event_date.errors  # see validate_event_place

    def _is_disaster(self) -> bool:
        from ...models.cases import DISASTER_PPKS

        kind, _, ident = (self.category.data or "").partition(":")
        if kind == "L" and ident.isdigit() and int(ident) in getattr(self, "_local_types", {}):
            return self._local_types[int(ident)].ppks_code in DISASTER_PPKS
        return kind == "P" and ident in DISASTER_PPKS

    def validate_disaster_type(self, field):
        if field.data and field.data not in DISASTER_TYPES:
            raise ValidationError(_l("Pilih jenis bencana dari daftar."))
        if not field.data and self._is_disaster():
            raise ValidationError(_l("Pilih jenis bencana untuk korban bencana."))

    def validate_event_date(self, field):
        if field.errors:
            return
        if field.data is None:
            return
        tz = self.office.timezone if self.office else "Asia/Makassar"
        if field.data > local_today(tz):
            raise ValidationError(_l("Tanggal kejadian tidak boleh di masa depan."))
        if field.data.year < 2000:
            raise ValidationError(_l("Tahun kejadian tidak masuk akal."))

    def validate_event_place(self, field):
        # an empty date stops at Optional(): its requirement is checked here
        if self._is_disaster() and self.event_date.data is None and not self.event_date.errors:
            self.event_date.errors.append(_l("Isi tanggal kejadian bencana."))
        if not field.data and self._is_disaster():
            raise ValidationError(_l("Isi tempat kejadian bencana."))

    def setup_case_choices(self, office, local_types, ppks) -> None:
        self.office = office
        self.category.choices = (
            [("", str(_l("— pilih kategori —")))]
            + [(f"L:{t.id}", f"{t.name} (PPKS {t.ppks_code})") for t in local_types]
            + [(f"P:{p.code}", f"PPKS {p.code} {p.name}") for p in ppks]
        )
        self.case_district.choices = _region_choices(
            office.region_code
            if office.region_code and office.region_code.count(".") == 1
            else None,
            _l("— pilih kecamatan —"),
        )
        self._local_types = {t.id: t for t in local_types}
        self._ppks = {p.code for p in ppks}

    def validate_category(self, field):
        value = field.data or ""
        kind, _, ident = value.partition(":")
        if kind == "L" and ident.isdigit() and int(ident) in self._local_types:
            return
        if kind == "P" and ident in self._ppks:
            return
        raise ValidationError(_l("Pilih kategori dari daftar."))

    def validate_reporter_phone(self, field):
        if not field.data:
            return
        normalised = normalize_phone(field.data)
        if not normalised:
            raise ValidationError(_l("Nomor telepon tidak dikenali (contoh: 0812-3456-7890)."))
        field.data = normalised

    def validate_reported_at(self, field):
        if not field.data:
            return
        tz = self.office.timezone if self.office else "Asia/Makassar"
        now_local = datetime.combine(local_today(tz), datetime.max.time())
        if field.data > now_local:
            raise ValidationError(_l("Waktu laporan tidak boleh di masa depan."))
        if field.data.year < 2000:
            raise ValidationError(_l("Tahun laporan tidak masuk akal."))

    def validate_case_district(self, field):
        if not field.data:
            field.data = None
            return
        codes = {code for code, _label in self.case_district.choices if code}
        if field.data not in codes:
            raise ValidationError(_l("Pilih kecamatan dari daftar."))

    def case_values(self) -> dict:
        disaster = self._is_disaster()
        kind, _, ident = self.category.data.partition(":")
        if kind == "L":
            local = self._local_types[int(ident)]
            ppks_code, local_type_id = local.ppks_code, local.id
        else:
            ppks_code, local_type_id = ident, None
        return {
            "ppks_code": ppks_code,
            "local_type_id": local_type_id,
            "channel": self.channel.data,
            "reporter_name": self.reporter_name.data or "",
            "reporter_phone": self.reporter_phone.data or "",
            "reported_at": local_to_utc(self.reported_at.data, self.office.timezone),
            "place": self.place.data or "",
            "district_code": self.case_district.data or None,
            "summary": self.summary.data or "",
            "urgency": self.urgency.data,
            # kept only for a disaster victim, so other cases never count as one
            "disaster_type": (self.disaster_type.data or None) if disaster else None,
            "event_date": self.event_date.data if disaster else None,
            "event_place": (self.event_place.data or "") if disaster else "",
        }

    def load_case(self, case, tz: str) -> None:
        from ...services.timeutil import utc_to_local

        self.category.data = (
            f"L:{case.local_type_id}" if case.local_type_id else f"P:{case.ppks_code}"
        )
        for name in ("channel", "reporter_name", "reporter_phone", "place", "summary", "urgency",
                     "event_date", "event_place"):  # fmt: skip
            getattr(self, name).data = getattr(case, name)
        self.case_district.data = case.district_code
        self.disaster_type.data = case.disaster_type or ""
        self.reported_at.data = utc_to_local(case.reported_at, tz)


class RegisterForm(PersonFields, CaseFields):
    """One form on /cases/new: the person (unless an existing one was chosen) and the case."""

    person_id = HiddenField()


class CaseOnlyForm(CaseFields):
    """/cases/new?person=N: a new case for a person already registered."""

    person_id = HiddenField()


class PersonEditForm(PersonFields):
    version = HiddenField()


class CaseEditForm(CaseFields):
    version = HiddenField()

"""What happened, as typed by a social worker (registration and the case's edit page)."""

from __future__ import annotations

from datetime import datetime

from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...forms import Form, VersionField, strip
from ...models.cases import DISASTER_PPKS as DISASTER_PPKS_CODES
from ...services.i18n import lazy as _l
from ...services.identity import normalize_phone
from ...services.labels import CHANNELS, DISASTER_TYPES, URGENCIES
from ...services.timeutil import local_to_utc, local_today
from .person_fields import region_choices

REQUIRED = _l("Wajib diisi.")


def category_choices(local_types, ppks, first) -> list[SelectChoice]:
    """The categories in one style, grouped: the office's own case types, then the 26 PPKS."""
    office_types, national = str(_l("Jenis kasus kantor ini")), str(_l("PPKS (Permensos 8/2012)"))
    return (
        [SelectChoice("", str(first))]
        + [
            SelectChoice(f"L:{t.id}", f"{t.name} (PPKS {t.ppks_code})", optgroup=office_types)
            for t in local_types
        ]
        + [
            SelectChoice(f"P:{p.code}", f"{p.name} (PPKS {p.code})", optgroup=national)
            for p in ppks
        ]
    )


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
    household_kk = IntegerField(
        _l("Jumlah KK"),
        description=_l("Keluarga (kartu keluarga) yang diwakili kasus ini."),
        validators=[Optional(), NumberRange(min=1, max=10000)],
    )
    household_people = IntegerField(
        _l("Jumlah jiwa"),
        description=_l("Orang dalam keluarga tersebut, termasuk korban yang didaftarkan."),
        validators=[Optional(), NumberRange(min=1, max=50000)],
    )
    event_date = DateField(_l("Tanggal kejadian bencana"), validators=[Optional()])
    event_place = StringField(
        _l("Tempat kejadian bencana"), filters=[strip], validators=[Length(max=200)]
    )

    office = None
    disaster_categories: list[str] = []  # set by setup_case_choices

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
        if field.data and self._is_disaster():
            from ...services.intake import disaster_mismatch

            problem = disaster_mismatch(self._category_codes()[0], field.data)
            if problem:
                raise ValidationError(problem)

    def validate_household_people(self, field):
        kk = self.household_kk.data
        if field.data is not None and kk is not None and not self.household_kk.errors:
            if field.data < kk:
                raise ValidationError(_l("Jumlah jiwa tidak boleh kurang dari jumlah KK."))

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
        self.disaster_categories = [f"P:{code}" for code in DISASTER_PPKS_CODES] + [
            f"L:{t.id}" for t in local_types if t.ppks_code in DISASTER_PPKS_CODES
        ]  # the categories that show the disaster block (static/js/app.js)
        self.category.choices = category_choices(local_types, ppks, _l("— pilih kategori —"))
        self.case_district.choices = region_choices(
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

    def _category_codes(self) -> tuple[str, int | None]:
        """(PPKS code, local case type id) of the chosen category."""
        kind, _, ident = self.category.data.partition(":")
        if kind == "L":
            local = self._local_types[int(ident)]
            return local.ppks_code, local.id
        return ident, None

    def _disaster_values(self) -> dict:
        """Kept only for a disaster victim, so other cases never count as one."""
        if not self._is_disaster():
            return {
                "disaster_type": None,
                "event_date": None,
                "event_place": "",
                "household_kk": None,
                "household_people": None,
            }
        return {
            "disaster_type": self.disaster_type.data or None,
            "household_kk": self.household_kk.data,
            "household_people": self.household_people.data,
            "event_date": self.event_date.data,
            "event_place": self.event_place.data or "",
        }

    def case_values(self) -> dict:
        ppks_code, local_type_id = self._category_codes()
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
            **self._disaster_values(),
        }

    def prepare(self, office, local_types, ppks) -> None:
        """Choices; the report's time (now, at the office) when the form is first shown."""
        from ...services.timeutil import utc_to_local, utcnow

        self.setup_case_choices(office, local_types, ppks)
        if not self.is_submitted():
            now = utc_to_local(utcnow(), office.timezone)
            self.reported_at.data = now.replace(second=0, microsecond=0)

    def load_case(self, case, tz: str) -> None:
        from ...services.timeutil import utc_to_local

        self.category.data = (
            f"L:{case.local_type_id}" if case.local_type_id else f"P:{case.ppks_code}"
        )
        for name in (
            "channel",
            "reporter_name",
            "reporter_phone",
            "place",
            "summary",
            "urgency",
            "event_date",
            "event_place",
            "household_kk",
            "household_people",
        ):
            getattr(self, name).data = getattr(case, name)
        self.case_district.data = case.district_code
        self.disaster_type.data = case.disaster_type or ""
        self.reported_at.data = utc_to_local(case.reported_at, tz)


class CaseEditForm(CaseFields):
    version = VersionField()
    conflict = None

    def load(self, case, tz: str) -> None:
        self.load_case(case, tz)
        self.version.data = case.version_id

    def version_number(self) -> int:
        return self.version.number()

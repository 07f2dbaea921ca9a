from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ...forms import Form, strip
from ...services.i18n import lazy as _l
from ...services.labels import (
    CLOSURE_REASONS,
    DISASTER_TYPES,
    DTSEN_STATUSES,
    REFERRAL_KINDS,
    SEXES,
    STATUSES,
)
from ...services.registry import FILTERS as REGISTRY_FILTERS


class NoteForm(Form):
    body = TextAreaField(
        _l("Catatan"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Tulis catatannya dulu.")),
            Length(max=5000, message=_l("Catatan paling panjang 5.000 karakter.")),
        ],
    )


class AssignForm(Form):
    worker = SelectField(
        _l("Pekerja sosial"), validators=[InputRequired(message=_l("Pilih pekerja sosial."))]
    )

    @classmethod
    def for_case(cls, case, workers):
        """The case page's assign form (None when the user may not assign: workers is None)."""
        if workers is None:
            return None
        form = cls(worker=str(case.assigned_to_id or ""))
        form.worker.choices = [("", "—")] + [(str(w.id), w.full_name) for w in workers]
        return form


MAX_AGE = 120  # as the registration form's estimated age (intake.person_fields)
_AGE = [Optional(), NumberRange(0, MAX_AGE, message=_l("Umur antara 0 dan 120 tahun."))]


def _range_check(low_name: str, message):
    """A validator for the upper end of a range: not below the lower end (`low_name`)."""

    def check(form, field):
        low = getattr(form, low_name)
        if field.data is not None and low.data is not None and not low.errors:
            if field.data < low.data:
                raise ValidationError(str(message))

    return check


def _without_bad_ranges(form, values: dict, ranges) -> dict:
    """An impossible range (its upper end in error: "to" before "from") is ignored whole."""
    for low, high in ranges:
        if getattr(form, high).errors:
            values[low] = values[high] = None
    return values


class PersonFilterForm(Form):
    """Finding someone found without a name: the words of a description, when they were found,
    their age and sex (the case list and the page of unidentified people). A GET form."""

    class Meta:
        csrf = False

    q = StringField(_l("Cari"), validators=[Optional(), Length(max=100)])
    found_from = DateField(_l("Ditemukan dari tanggal"), validators=[Optional()])
    found_to = DateField(
        _l("Ditemukan sampai tanggal"),
        validators=[
            Optional(),
            _range_check("found_from", _l("Tanggal ini sebelum tanggal awal.")),
        ],
    )
    age_min = IntegerField(_l("Umur dari"), validators=_AGE)
    age_max = IntegerField(
        _l("Umur sampai"),
        validators=[*_AGE, _range_check("age_min", _l("Umur ini lebih kecil dari umur awal."))],
    )
    sex = SelectField(
        _l("Jenis kelamin"), choices=[("", _l("Semua"))] + list(SEXES.items()),
        validate_choice=False,
    )  # fmt: skip

    PERSON = ("found_from", "found_to", "age_min", "age_max", "sex")

    def person_values(self) -> dict:
        """The search words and the filters on the person (a field in error is ignored)."""
        values = {"q": "" if self.q.errors else (self.q.data or "")[:100]}
        for name in self.PERSON:
            field = getattr(self, name)
            values[name] = None if field.errors else field.data
        values["sex"] = values["sex"] if values["sex"] in SEXES else ""
        return _without_bad_ranges(
            self, values, (("found_from", "found_to"), ("age_min", "age_max"))
        )


class FilterForm(PersonFilterForm):
    """The case list's filters: a plain GET form (works without JavaScript)."""

    unknown = SelectField(
        _l("Identitas"),
        choices=[("", _l("Semua")), ("1", _l("Identitas tidak diketahui"))],
        validate_choice=False,
    )
    status = SelectField(
        _l("Status"),
        choices=[("", _l("Semua status")), ("open", _l("Semua yang masih terbuka"))]
        + list(STATUSES.items()),
        validate_choice=False,
    )
    category = SelectField(_l("Kategori"), validate_choice=False)
    worker = SelectField(_l("Petugas"), validate_choice=False)
    district = SelectField(_l("Kecamatan"), validate_choice=False)
    date_from = DateField(_l("Dari tanggal"), validators=[Optional()])
    date_to = DateField(
        _l("Sampai tanggal"),
        validators=[Optional(), _range_check("date_from", _l("Tanggal ini sebelum tanggal awal."))],
    )
    # the dashboard's and the reports' links (hidden inputs keep them while other filters change)
    reason = SelectField(_l("Alasan penutupan"), validate_choice=False)
    closed_from = DateField(_l("Ditutup dari tanggal"), validators=[Optional()])
    closed_to = DateField(_l("Ditutup sampai tanggal"), validators=[Optional()])
    active_on = DateField(_l("Aktif pada tanggal"), validators=[Optional()])
    referral = SelectField(
        _l("Rujukan"),
        choices=[
            ("", ""),
            ("waiting", _l("Rujukan menunggu persetujuan")),
            ("approved", _l("Rujukan disetujui")),
            ("handover", _l("Rujukan diserahterimakan")),
        ],
        validate_choice=False,
    )
    referral_kind = SelectField(
        _l("Jenis rujukan"),
        choices=[("", "")] + list(REFERRAL_KINDS.items()),
        validate_choice=False,
    )
    ref_from = DateField(_l("Rujukan dari tanggal"), validators=[Optional()])
    ref_to = DateField(_l("Rujukan sampai tanggal"), validators=[Optional()])
    overdue = SelectField(
        _l("Tindak lanjut"), choices=[("", ""), ("1", _l("Ada tindak lanjut terlambat"))],
        validate_choice=False,
    )  # fmt: skip
    disaster = SelectField(
        _l("Jenis bencana"),
        choices=[("", "")] + list(DISASTER_TYPES.items()),
        validate_choice=False,
    )

    registry = SelectField(
        _l("Registrasi sosial"),
        choices=[
            ("", _l("Semua")),
            ("belum", _l("Belum terdaftar DTSEN (tidak terdaftar atau diusulkan)")),
        ]
        + list(DTSEN_STATUSES.items()),
        validate_choice=False,
    )

    EXTRA = ("reason", "closed_from", "closed_to", "active_on", "referral", "referral_kind",
             "ref_from", "ref_to", "overdue", "disaster")  # fmt: skip

    CHOICES = ("status", "category", "worker", "district")

    sort = SelectField(
        _l("Urutkan"),
        choices=[
            ("newest", _l("Terbaru didaftarkan")),
            ("oldest", _l("Terlama didaftarkan")),
            ("reported", _l("Waktu laporan terbaru")),
            ("number", _l("Nomor kasus")),
        ],
        default="newest",
        validate_choice=False,
    )

    def filter_values(self) -> dict:
        """The filters as services.case_list.CaseFilters takes them (a field in error is ignored)."""
        values = {name: getattr(self, name).data or "" for name in self.CHOICES}
        values |= self.person_values()
        values["unknown"] = self.unknown.data == "1"
        values["registry"] = self.registry.data if self.registry.data in REGISTRY_FILTERS else ""
        values["sort"] = self.sort.data or "newest"
        for name in ("date_from", "date_to"):
            field = getattr(self, name)
            values[name] = None if field.errors else field.data
        values = _without_bad_ranges(self, values, (("date_from", "date_to"),))
        return values | self._extra_values()

    def _extra_values(self) -> dict:
        """The filters behind a number of the dashboard or a report (invalid ones are ignored)."""
        values = {}
        for name in self.EXTRA:
            field = getattr(self, name)
            if field.errors or not field.data:
                continue
            if name == "reason" and field.data not in (*CLOSURE_REASONS, "none"):
                continue
            values[name] = field.data == "1" if name == "overdue" else field.data
        return values

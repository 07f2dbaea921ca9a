from flask_babel.speaklater import LazyString
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from ...forms import Form
from ...services.i18n import lazy as _l
from ...services.i18n import month_name

MAX_RANGE_DAYS = 366 * 5


class PeriodForm(Form):
    """The report's period and kecamatan: a plain GET form (no CSRF, bookmarkable)."""

    class Meta:
        csrf = False

    period = SelectField(
        _l("Periode"),
        choices=[
            ("month", _l("Bulan")),
            ("quarter", _l("Triwulan")),
            ("year", _l("Tahun")),
            ("range", _l("Rentang tanggal")),
        ],
        default="year",
    )
    year = IntegerField(
        _l("Tahun"),
        validators=[
            Optional(),
            NumberRange(min=2000, max=2100, message=_l("Tahun antara 2000 dan 2100.")),
        ],
    )
    month = SelectField(
        _l("Bulan"),
        choices=[(str(i), LazyString(month_name, i)) for i in range(1, 13)],
        default="1",
    )
    quarter = SelectField(
        _l("Triwulan"), choices=[("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")], default="1"
    )
    date_from = DateField(_l("Dari tanggal"), validators=[Optional()])
    date_to = DateField(_l("Sampai tanggal"), validators=[Optional()])
    district = SelectField(_l("Kecamatan"), default="")

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then what the chosen period needs (Optional() stops a field's own
        chain on an empty value, so the requirements are checked here)."""
        valid = super().validate(extra_validators)
        if self.period.data in ("month", "quarter", "year"):
            _require(self.year, _l("Isi tahun."))
        elif self.period.data == "range":
            self._check_range()
        return valid and not any(field.errors for field in self)

    def _check_range(self) -> None:
        start, end = self.date_from.data, self.date_to.data
        _require(self.date_from, _l("Isi tanggal awal."))
        _require(self.date_to, _l("Isi tanggal akhir."))
        if not (start and end):
            return
        if end < start:
            self.date_to.errors.append(_l("Tanggal akhir tidak boleh sebelum tanggal awal."))
        elif (end - start).days > MAX_RANGE_DAYS:
            self.date_to.errors.append(_l("Rentang paling panjang lima tahun."))


def _require(field, message) -> None:
    """An empty field that the period needs (one already in error keeps its own message)."""
    if field.data is None and not field.errors:
        field.errors.append(message)

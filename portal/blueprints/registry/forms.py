from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import Form, OfficeDated, VersionField, strip
from ...services.i18n import lazy as _l
from ...services.labels import DTSEN_STATUSES, INSURANCES, REGISTRY_AID, REGISTRY_SOURCES


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _not_in_future(form, field):
    if field.data and field.data > form.today:
        from wtforms.validators import ValidationError

        raise ValidationError(str(_l("Tanggal pengecekan tidak boleh setelah hari ini.")))


class RegistryForm(OfficeDated, Form):
    """A person's social-registry status as found in cek bansos, SIKS-NG or at Dukcapil."""

    dtsen_status = SelectField(
        _l("Status DTKS/DTSEN"), choices=list(DTSEN_STATUSES.items()),
        validators=[InputRequired(message=_l("Pilih status DTKS/DTSEN."))],
    )  # fmt: skip
    decile = IntegerField(
        _l("Desil"),
        validators=[Optional(), NumberRange(1, 10, message=_l("Desil antara 1 dan 10."))],
    )
    insurance = SelectField(
        _l("Jaminan kesehatan"), choices=[("", _l("Belum diketahui")), *INSURANCES.items()]
    )
    insurance_number = StringField(
        _l("Nomor kartu JKN/KIS"), filters=[strip], validators=[Optional(), Length(max=20)]
    )
    aid = CheckboxesField(_l("Bantuan sosial yang diterima"), choices=list(REGISTRY_AID.items()))
    aid_other = StringField(
        _l("Bantuan lain (sebutkan)"), filters=[strip], validators=[Optional(), Length(max=100)]
    )
    checked_on = DateField(
        _l("Tanggal dicek"),
        validators=[InputRequired(message=_l("Isi tanggal pengecekan.")), _not_in_future],
    )
    source = SelectField(_l("Sumber"), choices=list(REGISTRY_SOURCES.items()))
    version = VersionField()

    def load(self, row, today) -> None:
        """Opened on the latest status (the date of this check: today at the office)."""
        for name in ("dtsen_status", "decile", "insurance", "insurance_number", "aid", "aid_other"):
            if row is not None:
                getattr(self, name).data = getattr(row, name)
        self.source.data = row.source if row is not None and row.source else "cek_bansos"
        self.checked_on.data = today
        self.version.data = str(row.version_id) if row is not None else "0"

    def values(self) -> dict:
        names = ("dtsen_status", "decile", "insurance", "insurance_number", "aid", "aid_other",
                 "checked_on", "source")  # fmt: skip
        return {name: getattr(self, name).data for name in names}


class ImportForm(OfficeDated, Form):
    """A SIKS-NG check result to read (the preview follows)."""

    file = FileField(_l("Berkas hasil cek SIKS-NG (CSV atau XLSX)"))
    checked_on = DateField(
        _l("Tanggal dicek"),
        validators=[InputRequired(message=_l("Isi tanggal pengecekan.")), _not_in_future],
    )


class ApplyForm(Form):
    """Confirming a preview (the rows wait on the server); `confirm` holds the numbers of the
    rows whose name differs that the manager ticked to apply anyway."""

    confirm = SelectMultipleField(coerce=int, validate_choice=False)

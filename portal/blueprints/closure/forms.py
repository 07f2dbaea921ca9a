"""Closing a case, deciding a closure request, reopening a closed case."""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField, DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from ...forms import Form, OfficeDated, strip
from ...services.i18n import lazy as _l
from ...services.labels import CLOSURE_REASONS


def _add(field, message) -> None:
    field.errors = list(field.errors) + [str(message)]


class ClosureForm(OfficeDated, Form):
    reason = SelectField(
        _l("Alasan penutupan"),
        choices=[("", "—")] + list(CLOSURE_REASONS.items()),
        validators=[InputRequired(message=_l("Pilih alasan penutupan."))],
        validate_choice=False,
    )
    closed_on = DateField(
        _l("Tanggal penutupan"), validators=[InputRequired(message=_l("Isi tanggalnya."))]
    )
    summary = TextAreaField(
        _l("Ringkasan penanganan"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Tulis ringkasan penanganan kasus.")),
            Length(max=5000, message=_l("Paling panjang 5.000 karakter.")),
        ],
        description=_l("Apa yang dilakukan, kondisi terakhir klien, di mana klien sekarang."),
    )
    cancel_followups = BooleanField(_l("Batalkan tindak lanjut yang masih terbuka"))
    cancel_reason = TextAreaField(
        _l("Alasan pembatalan tindak lanjut"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Paling panjang 2.000 karakter."))],
    )

    earliest: date | None = None
    open_followups: int = 0

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.reason.data and self.reason.data not in CLOSURE_REASONS:
            _add(self.reason, _l("Pilih alasan dari daftar."))
            valid = False
        if self.closed_on.data:
            if self.closed_on.data > self.today:
                _add(self.closed_on, _l("Tanggal tidak boleh di masa depan."))
                valid = False
            elif self.earliest and self.closed_on.data < self.earliest:
                _add(self.closed_on, _l("Tanggal tidak boleh sebelum kasus dilaporkan."))
                valid = False
        if self.open_followups:
            if not self.cancel_followups.data:
                _add(
                    self.cancel_followups,
                    _l(
                        "Masih ada %(n)d tindak lanjut terbuka: catat hasilnya dulu, atau centang "
                        "untuk membatalkannya.",
                        n=self.open_followups,
                    ),
                )
                valid = False
            elif not self.cancel_reason.data:
                _add(self.cancel_reason, _l("Tulis alasan pembatalan tindak lanjut."))
                valid = False
        return valid


class ClosureDecisionForm(Form):
    action = HiddenField(validators=[InputRequired()])
    comment = TextAreaField(
        _l("Komentar"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Paling panjang 2.000 karakter."))],
    )


class ReopenForm(Form):
    reopen_reason = TextAreaField(
        _l("Alasan membuka kembali"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Alasan membuka kembali wajib diisi.")),
            Length(max=2000, message=_l("Paling panjang 2.000 karakter.")),
        ],
    )

"""Closing a case, deciding a closure request, reopening a closed case."""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField, DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from ...forms import Form, OfficeDated, strip
from ...services.i18n import lazy as _l
from ...services.labels import CLOSURE_REASONS
from ..form_checks import check_day, passes


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
        unknown = bool(self.reason.data) and self.reason.data not in CLOSURE_REASONS
        checks = [
            passes((unknown, self.reason, _l("Pilih alasan dari daftar."))),
            check_day(self.closed_on, self.today, self.earliest),
            self._check_open_followups(),
        ]
        return valid and all(checks)

    def _check_open_followups(self) -> bool:
        """Open follow-ups are cancelled with the case (ticked, with a reason), never left."""
        if not self.open_followups:
            return True
        message = _l(
            "Masih ada %(n)d tindak lanjut terbuka: catat hasilnya dulu, atau centang "
            "untuk membatalkannya.",
            n=self.open_followups,
        )
        return passes(
            (not self.cancel_followups.data, self.cancel_followups, message),
            (
                not self.cancel_reason.data,
                self.cancel_reason,
                _l("Tulis alasan pembatalan tindak lanjut."),
            ),
        )


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

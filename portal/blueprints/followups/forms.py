"""Forms for follow-ups (schedule, outcome) and aid given."""

from __future__ import annotations

from datetime import date, timedelta

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ...forms import Form, OfficeDated, RupiahField, strip
from ...services import aid as aid_service
from ...services import followups as service
from ...services.i18n import lazy as _l
from ...services.labels import AID_KINDS, FOLLOWUP_KINDS

REQUIRED = _l("Wajib diisi.")


def _add(field, message) -> None:
    field.errors = list(field.errors) + [str(message)]


class _Schedule(OfficeDated):
    """A kind, a due date (a date or a number of working days), a worker and a purpose; the
    same fields serve a new follow-up and the next one scheduled with an outcome."""

    def setup_schedule(self, prefix: str, candidates, today: date) -> None:
        self.today = today
        getattr(self, f"{prefix}assigned_to").choices = [("", "—")] + [
            (str(u.id), u.full_name) for u in candidates
        ]
        self._candidate_ids = {str(u.id) for u in candidates}

    def check_schedule(self, prefix: str) -> bool:
        ok = True
        due_date = getattr(self, f"{prefix}due_date")
        due_in = getattr(self, f"{prefix}due_in")
        worker = getattr(self, f"{prefix}assigned_to")
        kind = getattr(self, f"{prefix}kind")
        if kind.errors:
            ok = False
        elif not kind.data:
            _add(kind, _l("Pilih jenis tindak lanjut."))
            ok = False
        if due_date.errors or due_in.errors:
            ok = False
        elif due_date.data is None and due_in.data is None:
            _add(due_date, _l("Isi tanggal jatuh tempo, atau jumlah hari kerja dari hari ini."))
            ok = False
        elif due_date.data is not None and due_in.data is not None:
            _add(due_in, _l("Isi tanggal atau jumlah hari kerja, tidak keduanya."))
            ok = False
        elif due_date.data is not None:
            if due_date.data < self.today:
                _add(due_date, _l("Tanggal jatuh tempo tidak boleh di masa lalu."))
                ok = False
            elif due_date.data > self.today + timedelta(days=service.MAX_AHEAD_DAYS):
                _add(due_date, _l("Tanggal terlalu jauh di masa depan."))
                ok = False
        if worker.errors:
            ok = False
        elif not worker.data:
            _add(worker, _l("Pilih petugas."))
            ok = False
        elif worker.data not in self._candidate_ids:
            _add(worker, _l("Pilih petugas dari daftar."))
            ok = False
        return ok

    def due(self, prefix: str = "") -> date:
        return service.due_from(
            self.today,
            due_date=getattr(self, f"{prefix}due_date").data,
            working_days=getattr(self, f"{prefix}due_in").data,
        )


def _due_in_field(label):
    return IntegerField(
        label,
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=service.MAX_WORKING_DAYS,
                message=_l("Antara 1 dan %(max)d hari kerja.", max=service.MAX_WORKING_DAYS),
            ),
        ],
        description=_l("Melewati Sabtu, Minggu, libur nasional dan cuti bersama."),
    )


class FollowUpForm(_Schedule, Form):
    kind = SelectField(
        _l("Jenis tindak lanjut"),
        choices=[("", "—")] + list(FOLLOWUP_KINDS.items()),
        validators=[InputRequired(message=_l("Pilih jenis tindak lanjut."))],
        validate_choice=False,
    )
    due_date = DateField(_l("Tanggal jatuh tempo"), validators=[Optional()])
    due_in = _due_in_field(_l("Atau: dalam berapa hari kerja"))
    assigned_to = SelectField(
        _l("Petugas"),
        validators=[InputRequired(message=_l("Pilih petugas."))],
        validate_choice=False,
    )
    purpose = TextAreaField(
        _l("Tujuan"),
        filters=[strip],
        validators=[
            InputRequired(message=_l("Tulis tujuan tindak lanjut.")),
            Length(max=2000, message=_l("Paling panjang 2.000 karakter.")),
        ],
    )

    def validate_kind(self, field):
        if field.data and field.data not in FOLLOWUP_KINDS:
            raise ValidationError(_l("Pilih jenis dari daftar."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.check_schedule("") and valid


class OutcomeForm(_Schedule, Form):
    version = HiddenField()
    outcome = RadioField(
        _l("Hasil"),
        choices=[
            ("done", _l("Terlaksana")),
            ("not_reached", _l("Tidak berhasil ditemui / dihubungi")),
            ("cancelled", _l("Dibatalkan")),
        ],
        validate_choice=False,
    )
    outcome_date = DateField(_l("Tanggal pelaksanaan"), validators=[Optional()])
    findings = TextAreaField(
        _l("Apa yang ditemukan"),
        filters=[strip],
        validators=[Length(max=5000, message=_l("Paling panjang 5.000 karakter."))],
    )
    next_step = TextAreaField(
        _l("Langkah berikutnya"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Paling panjang 2.000 karakter."))],
    )
    reason = TextAreaField(
        _l("Alasan"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Paling panjang 2.000 karakter."))],
        description=_l("Untuk hasil tidak berhasil ditemui atau dibatalkan."),
    )
    schedule_next = BooleanField(_l("Jadwalkan tindak lanjut berikutnya"))
    next_kind = SelectField(
        _l("Jenis tindak lanjut berikutnya"),
        choices=[("", "—")] + list(FOLLOWUP_KINDS.items()),
        validate_choice=False,
    )
    next_due_date = DateField(_l("Tanggal jatuh tempo"), validators=[Optional()])
    next_due_in = _due_in_field(_l("Atau: dalam berapa hari kerja"))
    next_assigned_to = SelectField(_l("Petugas"), validate_choice=False)
    next_purpose = TextAreaField(
        _l("Tujuan"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Paling panjang 2.000 karakter."))],
        description=_l("Kosong: langkah berikutnya di atas."),
    )

    earliest: date | None = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        outcome = self.outcome.data
        if outcome not in service.OUTCOMES:
            _add(self.outcome, _l("Pilih hasilnya."))
            return False
        if self.outcome_date.data:
            if self.outcome_date.data > self.today:
                _add(self.outcome_date, _l("Tanggal tidak boleh di masa depan."))
                valid = False
            elif self.earliest and self.outcome_date.data < self.earliest:
                _add(self.outcome_date, _l("Tanggal tidak boleh sebelum kasus dilaporkan."))
                valid = False
        if outcome == "done":
            if self.outcome_date.data is None and not self.outcome_date.errors:
                _add(self.outcome_date, _l("Isi tanggal pelaksanaan."))
                valid = False
            if not self.findings.data:
                _add(self.findings, _l("Tulis apa yang ditemukan."))
                valid = False
        elif not self.reason.data:
            _add(self.reason, _l("Tulis alasannya."))
            valid = False
        if self.schedule_next.data:
            if outcome == "cancelled":
                _add(
                    self.schedule_next,
                    _l("Tindak lanjut berikutnya dijadwalkan dari hasil yang terlaksana."),
                )
                valid = False
            elif not self.check_schedule("next_"):
                valid = False
            elif not (self.next_purpose.data or self.next_step.data):
                _add(self.next_purpose, _l("Tulis tujuan tindak lanjut berikutnya."))
                valid = False
        return valid

    def outcome_values(self) -> service.Outcome:
        return service.Outcome(
            status=self.outcome.data,
            outcome_date=self.outcome_date.data,
            findings=self.findings.data or "",
            next_step=self.next_step.data or "",
            reason=self.reason.data or "",
        )


class AidForm(OfficeDated, Form):
    kind = SelectField(
        _l("Jenis bantuan"),
        choices=[("", "—")] + list(AID_KINDS.items()),
        validators=[InputRequired(message=_l("Pilih jenis bantuan."))],
        validate_choice=False,
    )
    quantity = IntegerField(
        _l("Jumlah"),
        validators=[
            Optional(),
            NumberRange(min=1, max=1_000_000, message=_l("Antara 1 dan 1.000.000.")),
        ],
    )
    unit = StringField(
        _l("Satuan"),
        filters=[strip],
        validators=[Length(max=30, message=_l("Paling panjang 30 karakter."))],
        description=_l("Contoh: paket, kg, lembar, set, tiket, sesi"),
    )
    amount = RupiahField(_l("Nilai (Rp)"))
    given_on = DateField(
        _l("Tanggal diberikan"), validators=[InputRequired(message=_l("Isi tanggalnya."))]
    )
    given_by = StringField(
        _l("Diberikan oleh"),
        filters=[strip],
        validators=[InputRequired(message=REQUIRED), Length(max=120)],
        description=_l("Petugas, tim, atau lembaga pemberi"),
    )
    note = TextAreaField(
        _l("Catatan"),
        filters=[strip],
        validators=[Length(max=2000, message=_l("Paling panjang 2.000 karakter."))],
    )

    earliest: date | None = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data and self.kind.data not in AID_KINDS:
            _add(self.kind, _l("Pilih jenis dari daftar."))
            valid = False
        quantity, amount = self.quantity.data, self.amount.amount
        if self.quantity.errors or self.amount.errors:
            valid = False
        else:
            if quantity is not None and not self.unit.data:
                _add(self.unit, _l("Isi satuannya (paket, kg, lembar, …)."))
                valid = False
            if quantity is None and self.unit.data:
                _add(self.quantity, _l("Isi jumlahnya."))
                valid = False
            if amount is not None and amount <= 0:
                _add(self.amount, _l("Nilai harus lebih dari Rp0."))
                valid = False
            if self.kind.data in aid_service.AMOUNT_REQUIRED and amount is None:
                _add(self.amount, _l("Isi nilainya dalam Rupiah."))
                valid = False
            elif quantity is None and amount is None and not self.unit.data:
                _add(self.quantity, _l("Isi jumlah dan satuan, atau nilai dalam Rupiah."))
                valid = False
        if self.given_on.data:
            if self.given_on.data > self.today:
                _add(self.given_on, _l("Tanggal tidak boleh di masa depan."))
                valid = False
            elif self.earliest and self.given_on.data < self.earliest:
                _add(self.given_on, _l("Tanggal tidak boleh sebelum kasus dilaporkan."))
                valid = False
        return valid

    def values(self) -> dict:
        return {
            "kind": self.kind.data,
            "quantity": self.quantity.data,
            "unit": self.unit.data or "",
            "amount": self.amount.amount,
            "given_on": self.given_on.data,
            "given_by": self.given_by.data or "",
            "note": self.note.data or "",
        }

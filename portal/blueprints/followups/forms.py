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
from ...services.i18n import lazy_in
from ...services.labels import AID_KINDS, FOLLOWUP_KINDS
from ..form_checks import add_error, check_day, passes

REQUIRED = _l("Wajib diisi.")


class _Schedule(OfficeDated):
    """A kind, a due date (a date or a number of working days), a worker and a purpose; the
    same fields serve a new follow-up and the next one scheduled with an outcome."""

    def setup_schedule(self, prefix: str, candidates, today: date) -> None:
        self.today = today
        getattr(self, f"{prefix}assigned_to").choices = [("", "—")] + [
            (str(u.id), u.full_name) for u in candidates
        ]
        self._candidates = {str(u.id): u for u in candidates}
        self._candidate_ids = set(self._candidates)

    def check_schedule(self, prefix: str) -> bool:
        kind = getattr(self, f"{prefix}kind")
        worker = getattr(self, f"{prefix}assigned_to")
        checks = [
            passes(
                (kind.errors, None, None), (not kind.data, kind, _l("Pilih jenis tindak lanjut."))
            ),
            self._check_due(getattr(self, f"{prefix}due_date"), getattr(self, f"{prefix}due_in")),
            passes(
                (worker.errors, None, None),
                (not worker.data, worker, _l("Pilih petugas.")),
                (worker.data not in self._candidate_ids, worker, _l("Pilih petugas dari daftar.")),
            ),
        ]
        return all(checks)

    def _check_due(self, due_date, due_in) -> bool:
        day, days = due_date.data, due_in.data
        latest = self.today + timedelta(days=service.MAX_AHEAD_DAYS)
        return passes(
            (due_date.errors or due_in.errors, None, None),
            (
                day is None and days is None,
                due_date,
                _l("Isi tanggal jatuh tempo, atau jumlah hari kerja dari hari ini."),
            ),
            (
                day is not None and days is not None,
                due_in,
                _l("Isi tanggal atau jumlah hari kerja, tidak keduanya."),
            ),
            (
                day is not None and day < self.today,
                due_date,
                _l("Tanggal jatuh tempo tidak boleh di masa lalu."),
            ),
            (day is not None and day > latest, due_date, _l("Tanggal terlalu jauh di masa depan.")),
        )

    def due(self, prefix: str = "") -> date:
        return service.due_from(
            self.today,
            due_date=getattr(self, f"{prefix}due_date").data,
            working_days=getattr(self, f"{prefix}due_in").data,
        )

    def assignee(self, prefix: str = ""):
        """The chosen worker (one of the candidates: check_schedule)."""
        return self._candidates[getattr(self, f"{prefix}assigned_to").data]


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

    def default_assignee(self, user_id: int) -> None:
        self.assigned_to.data = str(user_id) if str(user_id) in self._candidate_ids else ""

    def schedule_values(self) -> dict:
        """services.followups.schedule's keywords."""
        return {
            "kind": self.kind.data,
            "due_date": self.due(),
            "assigned_to": self.assignee(),
            "purpose": self.purpose.data,
        }


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

    def prepare(self, followup, candidates, today: date, earliest: date) -> None:
        """Choices and limits; the follow-up's values when the form is first shown."""
        self.setup_schedule("next_", candidates, today)
        self.earliest = earliest
        if not self.is_submitted():
            self.load(followup, today)

    def load(self, followup, today: date) -> None:
        self.version.data = followup.version_id
        self.outcome_date.data = today
        self.next_kind.data = followup.kind
        self.next_assigned_to.data = str(followup.assigned_to_id)

    def version_number(self) -> int:
        return int(self.version.data) if (self.version.data or "").isdigit() else -1

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.outcome.data not in service.OUTCOMES:
            add_error(self.outcome, _l("Pilih hasilnya."))
            return False
        checks = [
            check_day(self.outcome_date, self.today, self.earliest),
            self._check_outcome(),
            self._check_next(),
        ]
        return valid and all(checks)

    def _check_outcome(self) -> bool:
        """Done: its date and what was found; not reached or cancelled: the reason."""
        if self.outcome.data != "done":
            return passes((not self.reason.data, self.reason, _l("Tulis alasannya.")))
        date_missing = self.outcome_date.data is None and not self.outcome_date.errors
        checks = [
            passes((date_missing, self.outcome_date, _l("Isi tanggal pelaksanaan."))),
            passes((not self.findings.data, self.findings, _l("Tulis apa yang ditemukan."))),
        ]
        return all(checks)

    def _check_next(self) -> bool:
        if not self.schedule_next.data:
            return True
        if self.outcome.data == "cancelled":
            message = _l("Tindak lanjut berikutnya dijadwalkan dari hasil yang terlaksana.")
            return passes((True, self.schedule_next, message))
        if not self.check_schedule("next_"):
            return False
        no_purpose = not (self.next_purpose.data or self.next_step.data)
        message = _l("Tulis tujuan tindak lanjut berikutnya.")
        return passes((no_purpose, self.next_purpose, message))

    def record_values(self) -> dict:
        """services.followups.record_outcome's outcome, version and next follow-up."""
        return {
            "outcome": self.outcome_values(),
            "version": self.version_number(),
            "next_followup": self.next_followup(),
        }

    def next_followup(self) -> service.NextFollowUp | None:
        """The next follow-up to schedule with the outcome, when asked for."""
        if not self.schedule_next.data:
            return None
        return service.NextFollowUp(
            kind=self.next_kind.data,
            due_date=self.due("next_"),
            assigned_to=self.assignee("next_"),
            purpose=self.next_purpose.data or "",
        )

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
        lazy_in("banyaknya barang", "Jumlah"),
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
        unknown_kind = bool(self.kind.data) and self.kind.data not in AID_KINDS
        checks = [
            passes((unknown_kind, self.kind, _l("Pilih jenis dari daftar."))),
            self._check_amounts(),
            check_day(self.given_on, self.today, self.earliest),
        ]
        return valid and all(checks)

    def _check_amounts(self) -> bool:
        """A quantity with its unit, or an amount in Rupiah (required for some kinds)."""
        if self.quantity.errors or self.amount.errors:
            return False
        quantity, amount, unit = self.quantity.data, self.amount.amount, self.unit.data
        required = self.kind.data in aid_service.AMOUNT_REQUIRED
        nothing = quantity is None and amount is None and not unit
        checks = [
            passes(
                (
                    quantity is not None and not unit,
                    self.unit,
                    _l("Isi satuannya (paket, kg, lembar, …)."),
                )
            ),
            passes((quantity is None and bool(unit), self.quantity, _l("Isi jumlahnya."))),
            passes(
                (amount is not None and amount <= 0, self.amount, _l("Nilai harus lebih dari Rp0."))
            ),
            passes(
                (required and amount is None, self.amount, _l("Isi nilainya dalam Rupiah.")),
                (nothing, self.quantity, _l("Isi jumlah dan satuan, atau nilai dalam Rupiah.")),
            ),
        ]
        return all(checks)

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

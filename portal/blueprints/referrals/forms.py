"""Referral forms, one per kind, sharing the common part. Drafts may be incomplete; submitting
checks completeness (services.referrals.missing_for_submit) and marks what is missing."""

from __future__ import annotations

from datetime import date, timedelta

from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from ...forms import Form, OfficeDated, RupiahField, VersionField, strip
from ...services import access, referral_kinds, regions
from ...services.i18n import lazy as _l

YES_NO = [("yes", _l("Ya")), ("no", _l("Tidak"))]


def _sane_date(field, *, past_days: int, future_days: int, today: date):
    if field.data is None:
        return
    if field.data < today - timedelta(days=past_days):
        raise ValidationError(_l("Tanggal terlalu jauh di masa lalu."))
    if field.data > today + timedelta(days=future_days):
        raise ValidationError(_l("Tanggal terlalu jauh di masa depan."))


class ReferralFormBase(OfficeDated, Form):
    version = VersionField()
    basis_missing = ""  # mark_missing: the case has no basis of processing (services.consent)
    organisation_id = SelectField(_l("Organisasi tujuan"), validate_choice=False)
    organisation_text = StringField(
        _l("Atau ketik nama organisasi (jika tidak ada di daftar)"),
        filters=[strip],
        validators=[Length(max=200)],
    )
    planned_date = DateField(_l("Tanggal rencana"), validators=[Optional()])
    escort = StringField(_l("Petugas pendamping"), filters=[strip], validators=[Length(max=300)])
    transport = StringField(_l("Transportasi"), filters=[strip], validators=[Length(max=120)])
    notes = TextAreaField(_l("Catatan"), filters=[strip], validators=[Length(max=3000)])
    # the case's documents the letter carries (checked against the choices by the service)
    attachment_ids = SelectMultipleField(_l("Lampiran surat"), coerce=int, validate_choice=False)
    documents: list = []  # services.attachments.letter_choices, set by the view

    # set per kind from services/referral_kinds.py (FORMS below)
    kind = ""
    organisation_kinds: tuple[str, ...] = ()
    declaration: referral_kinds.ReferralKind | None = None
    FIELD_NAMES: tuple[str, ...] = ()
    # May this user see and fill the health data (access.may_see_sensitive)? Set by the view;
    # when not, those fields are neither filled nor shown, and the service keeps what is stored.
    sensitive = False

    def setup(self, organisations, today: date) -> None:
        self.today = today
        self.organisation_id.choices = [("", "—")] + [
            (str(o.id), o.name) for o in organisations if o.kind in self.organisation_kinds
        ]
        self._organisation_ids = {
            str(o.id) for o in organisations if o.kind in self.organisation_kinds
        }

    def prefill(self, case) -> None:
        """A new referral's form starts from what the case already says (per kind)."""

    def validate_organisation_id(self, field):
        if field.data and field.data not in self._organisation_ids:
            raise ValidationError(_l("Pilih organisasi dari daftar."))

    def validate_planned_date(self, field):
        _sane_date(field, past_days=30, future_days=365, today=self.today)

    def values(self) -> dict:
        values = {
            "organisation_id": int(self.organisation_id.data)
            if self.organisation_id.data
            else None,
            "organisation_text": self.organisation_text.data or "",
            "planned_date": self.planned_date.data,
            "escort": self.escort.data or "",
            "transport": self.transport.data or "",
            "notes": self.notes.data or "",
            "attachment_ids": list(self.attachment_ids.data or []),
        }
        values.update(self.kind_values())
        return values

    def kind_values(self) -> dict:
        return {}

    def load(self, referral) -> None:
        self.version.data = referral.version_id
        self.organisation_id.data = str(referral.organisation_id or "")
        for name in ("organisation_text", "planned_date", "escort", "transport", "notes"):
            getattr(self, name).data = getattr(referral, name)
        self.attachment_ids.data = list(referral.attachment_ids or [])
        self.load_kind(referral)

    def load_kind(self, referral) -> None:
        for name in self.FIELD_NAMES:
            if self.sensitive or name not in access.SENSITIVE_FIELDS:
                getattr(self, name).data = getattr(referral, name)

    def mark_missing(self, missing: list[tuple[str, str]]) -> None:
        """Put 'required before submitting' beside each field that is still empty."""
        for name, label in missing:
            message = str(_l("%(label)s wajib diisi sebelum diajukan.", label=label))
            if name == "processing_basis":  # on the case, not this form: a link above the form
                self.basis_missing = message
                continue
            field = getattr(
                self, "organisation_id" if name == referral_kinds.RECEIVER else name, None
            )
            if field is None:
                field = self.notes
            field.errors = list(field.errors) + [message]


class RsjReferralForm(ReferralFormBase):
    FIELD_NAMES = (
        "medical_doctor", "medical_facility", "medical_date", "observations", "diagnosis",
        "insurance", "insurance_number", "family_status", "family_reason",
    )  # fmt: skip
    medical_referral = RadioField(
        _l("Ada rujukan medis dari Puskesmas/RSUD?"), choices=YES_NO, validate_choice=False
    )
    medical_doctor = StringField(
        _l("Dokter perujuk"), filters=[strip], validators=[Length(max=120)]
    )
    medical_facility = StringField(
        _l("Puskesmas / RSUD perujuk"), filters=[strip], validators=[Length(max=200)]
    )
    medical_date = DateField(_l("Tanggal rujukan medis"), validators=[Optional()])
    observations = TextAreaField(
        _l("Hasil pengamatan (data sensitif)"), filters=[strip], validators=[Length(max=5000)]
    )
    diagnosis = TextAreaField(
        _l("Diagnosis / dugaan diagnosis (data sensitif)"),
        filters=[strip],
        validators=[Length(max=2000)],
    )
    insurance = SelectField(
        _l("Jaminan kesehatan"),
        default="",
        choices=[
            ("", "—"),
            ("bpjs", "BPJS Kesehatan"),
            ("kis", "KIS (PBI)"),
            ("none", _l("Tidak ada")),
        ],
    )
    insurance_number = StringField(
        _l("Nomor BPJS/KIS"),
        filters=[lambda v: (v or "").replace(" ", "")],
        validators=[
            Optional(),
            Regexp(r"^[0-9]{13}$", message=_l("Nomor BPJS/KIS terdiri dari 13 digit.")),
        ],
    )
    family_status = SelectField(
        _l("Keluarga"),
        default="",
        choices=[
            ("", "—"),
            ("consented", _l("Diberi tahu dan setuju")),
            ("informed", _l("Diberi tahu")),
            ("not", _l("Tidak diberi tahu / tidak ditemukan")),
        ],
    )
    family_reason = TextAreaField(
        _l("Alasan (jika keluarga tidak diberi tahu)"),
        filters=[strip],
        validators=[Length(max=1000)],
    )

    def validate_medical_referral(self, field):
        if field.data not in (None, "", "yes", "no"):
            raise ValidationError(_l("Pilihan tidak sah."))

    def validate_medical_date(self, field):
        _sane_date(field, past_days=365, future_days=0, today=self.today)

    def kind_values(self) -> dict:
        values = {name: getattr(self, name).data for name in self.FIELD_NAMES}
        values["medical_referral"] = {"yes": True, "no": False}.get(self.medical_referral.data)
        for name in self.FIELD_NAMES:
            if values[name] is None and name != "medical_date":
                values[name] = ""
        return values

    def load_kind(self, referral) -> None:
        super().load_kind(referral)
        self.medical_referral.data = {True: "yes", False: "no"}.get(referral.medical_referral)


class ReturnHomeReferralForm(ReferralFormBase):
    FIELD_NAMES = ("family_contact", "route")
    destination_province = SelectField(_l("Provinsi tujuan"), validate_choice=False)
    destination_regency_code = SelectField(_l("Kabupaten/kota tujuan"), validate_choice=False)
    family_contact = TextAreaField(
        _l("Kontak keluarga di daerah tujuan"), filters=[strip], validators=[Length(max=300)]
    )
    route = SelectField(
        _l("Rute"),
        default="",
        choices=[
            ("", "—"),
            ("direct", _l("Langsung ke Dinas Sosial daerah asal")),
            ("relay", _l("Estafet melalui Dinas Sosial provinsi")),
        ],
    )
    ticket_cost = RupiahField(_l("Biaya tiket (Rp)"))
    pocket_money = RupiahField(_l("Uang saku (Rp)"))

    def setup(self, organisations, today: date) -> None:
        super().setup(organisations, today)
        self._partners = {
            o.region_code: str(o.id)
            for o in organisations
            if o.region_code and o.kind in self.organisation_kinds
        }
        self._destination_choices()

    def prefill(self, case) -> None:
        """Home is where the person's recorded origin is; its Dinsos when the office has it as
        a partner."""
        origin = case.person.origin_regency_code
        if origin and not self.destination_regency_code.data:
            self.destination_regency_code.data = origin
            self.destination_province.data = origin[:2]
            self._destination_choices()
            if origin in self._partners:
                self.organisation_id.data = self._partners[origin]

    def _destination_choices(self) -> None:
        self.destination_province.choices = [("", "—")] + [
            (r.code, r.name) for r in regions.children(None)
        ]
        if not self.destination_province.data and self.destination_regency_code.data:
            self.destination_province.data = self.destination_regency_code.data[:2]
        prov = self.destination_province.data
        self.destination_regency_code.choices = [("", "—")] + [
            (r.code, r.name) for r in (regions.children(prov) if prov else [])
        ]

    def validate_destination_regency_code(self, field):
        if field.data and not (
            regions.exists(field.data, 2)
            and field.data.startswith(f"{self.destination_province.data}.")
        ):
            raise ValidationError(_l("Pilih wilayah dari daftar."))

    def kind_values(self) -> dict:
        return {
            "destination_regency_code": self.destination_regency_code.data or None,
            "family_contact": self.family_contact.data or "",
            "route": self.route.data or "",
            "ticket_cost": self.ticket_cost.amount,
            "pocket_money": self.pocket_money.amount,
        }

    def load_kind(self, referral) -> None:
        super().load_kind(referral)
        self.destination_regency_code.data = referral.destination_regency_code
        self.destination_province.data = (referral.destination_regency_code or "")[:2]
        self.ticket_cost.data = referral.ticket_cost
        self.pocket_money.data = referral.pocket_money


class PlacementReferralForm(ReferralFormBase):
    FIELD_NAMES = ("programme", "expected_duration")
    programme = StringField(_l("Program"), filters=[strip], validators=[Length(max=200)])
    expected_duration = StringField(
        _l("Perkiraan lama penempatan"),
        filters=[strip],
        validators=[Length(max=60)],
        description=_l("Contoh: 6 bulan"),
    )

    def kind_values(self) -> dict:
        return {name: getattr(self, name).data or "" for name in self.FIELD_NAMES}


class ServiceReferralForm(ReferralFormBase):
    FIELD_NAMES = ("purpose",)
    purpose = TextAreaField(
        _l("Tujuan layanan"),
        filters=[strip],
        validators=[Length(max=2000)],
        description=_l("Contoh: pendaftaran BPJS PBI, pemeriksaan di RSUD, pendaftaran DTSEN"),
    )

    def kind_values(self) -> dict:
        return {"purpose": self.purpose.data or ""}


def _form_for_kind(kind: referral_kinds.ReferralKind) -> type[ReferralFormBase]:
    """The kind's own subclass of the form it names, carrying its code and receivers."""
    base = {cls.__name__: cls for cls in ReferralFormBase.__subclasses__()}[kind.form]
    attributes = {
        "kind": kind.code,
        "organisation_kinds": kind.organisation_kinds,
        "declaration": kind,
    }
    return type(base.__name__, (base,), attributes)


FORMS = {code: _form_for_kind(kind) for code, kind in referral_kinds.KINDS.items()}


class DecisionForm(Form):
    action = HiddenField(validators=[InputRequired()])
    comment = TextAreaField(_l("Komentar"), filters=[strip], validators=[Length(max=2000)])

    def agenda_numbers(self) -> dict:
        """The office agenda's numbers typed per letter kind (`agenda_number_<kind>`), for an
        office numbering from its agenda (templates/referrals/_agenda_numbers.html)."""
        from flask import request

        prefix = "agenda_number_"
        form = request.form
        return {
            key[len(prefix) :]: (form.get(key) or "")[:100]
            for key in form
            if key.startswith(prefix)
        }


class HandoverForm(OfficeDated, Form):
    handover_date = DateField(
        _l("Tanggal serah terima"), validators=[InputRequired(message=_l("Wajib diisi."))]
    )
    handover_place = StringField(
        _l("Tempat serah terima"),
        filters=[strip],
        validators=[InputRequired(message=_l("Wajib diisi.")), Length(max=200)],
    )
    receiver_name = StringField(
        _l("Nama penerima"),
        filters=[strip],
        validators=[InputRequired(message=_l("Wajib diisi.")), Length(max=120)],
    )
    receiver_position = StringField(
        _l("Jabatan penerima"),
        filters=[strip],
        validators=[InputRequired(message=_l("Wajib diisi.")), Length(max=120)],
    )
    receiver_institution = StringField(
        _l("Instansi penerima"),
        filters=[strip],
        validators=[InputRequired(message=_l("Wajib diisi.")), Length(max=200)],
    )
    handover_note = TextAreaField(_l("Catatan"), filters=[strip], validators=[Length(max=3000)])
    witness1_name = StringField(_l("Saksi 1: nama"), filters=[strip], validators=[Length(max=120)])
    witness1_position = StringField(
        _l("Saksi 1: jabatan / instansi"), filters=[strip], validators=[Length(max=200)]
    )
    witness2_name = StringField(_l("Saksi 2: nama"), filters=[strip], validators=[Length(max=120)])
    witness2_position = StringField(
        _l("Saksi 2: jabatan / instansi"), filters=[strip], validators=[Length(max=200)]
    )
    WITNESS_FIELDS = ("witness1_name", "witness1_position", "witness2_name", "witness2_position")

    approved_on: date | None = None

    def witnesses(self) -> dict:
        """The optional witnesses (saksi), as services.referrals.Handover takes them."""
        return {name: getattr(self, name).data or "" for name in self.WITNESS_FIELDS}

    def validate_witness1_position(self, field):
        if field.data and not self.witness1_name.data:
            raise ValidationError(_l("Isi juga nama saksi."))

    def validate_witness2_position(self, field):
        if field.data and not self.witness2_name.data:
            raise ValidationError(_l("Isi juga nama saksi."))

    def validate_handover_date(self, field):
        if field.data and field.data > self.today:
            raise ValidationError(_l("Tanggal serah terima tidak boleh di masa depan."))
        if field.data and self.approved_on and field.data < self.approved_on:
            raise ValidationError(_l("Tanggal serah terima tidak boleh sebelum rujukan disetujui."))


class CancelForm(Form):
    reason = TextAreaField(
        _l("Alasan pembatalan"),
        filters=[strip],
        validators=[InputRequired(message=_l("Alasan pembatalan wajib diisi.")), Length(max=2000)],
    )

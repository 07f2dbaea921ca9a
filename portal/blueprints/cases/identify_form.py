"""The Identifikasi form: who an unknown person turned out to be, how and when it was found."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from ...forms import strip
from ...services.i18n import lazy as _l
from ...services.identification import IDENTITY_FIELDS, HowIdentified
from ...services.identity import clean_digits
from ...services.labels import IDENTIFICATION_METHODS
from ..intake.person_fields import PersonEditForm


class IdentifyForm(PersonEditForm):
    """The person's identity fields (as on the person's edit form, with the same NIK checks),
    without those of a person found without identity, plus how and when he was identified."""

    # not asked here: the description, the place and time found and the photo stay as they were
    identity_unknown = None
    phone = None
    physical_description = None
    found_place = None
    found_at = None
    photo = None

    full_name = StringField(  # required here: an identification names him
        _l("Nama lengkap"),
        filters=[strip],
        validators=[InputRequired(message=_l("Isi nama lengkap orang ini.")), Length(max=120)],
    )
    method = SelectField(
        _l("Diidentifikasi melalui"),
        choices=[("", _l("— pilih —"))] + list(IDENTIFICATION_METHODS.items()),
        validators=[InputRequired(message=_l("Pilih bagaimana orang ini dikenali."))],
    )
    identified_on = DateField(
        _l("Tanggal identifikasi"), validators=[InputRequired(message=_l("Isi tanggalnya."))]
    )
    note = TextAreaField(
        _l("Catatan identifikasi"),
        filters=[strip],
        validators=[Length(max=2000)],
        description=_l("Mis. dikenali oleh kakaknya yang datang ke kantor; nomor laporan polisi."),
    )

    def validate_method(self, field):
        if field.data not in IDENTIFICATION_METHODS:
            raise ValidationError(_l("Pilih bagaimana orang ini dikenali."))

    def validate_full_name(self, field):
        if not field.data:
            raise ValidationError(_l("Isi nama lengkap orang ini."))

    def validate_identified_on(self, field):
        if field.data and field.data > self.today():
            raise ValidationError(_l("Tanggal identifikasi tidak boleh di masa depan."))

    def load(self, person, tz: str) -> None:
        """A new form: what is known of the person (sex, estimated age), today's date."""
        for name in IDENTITY_FIELDS:
            self[name].data = getattr(person, name)
        self.origin_province.data = (person.origin_regency_code or "")[:2]
        self.version.data = person.version_id
        self.identified_on.data = self.today()

    def person_values(self) -> dict:
        values = {name: self[name].data for name in IDENTITY_FIELDS}
        for name in ("nik", "kk_number", "province_code", "regency_code", "district_code"):
            values[name] = values[name] or None
        for name in ("village_code", "origin_regency_code"):
            values[name] = values[name] or None
        for name in ("full_name", "birth_place", "street"):
            values[name] = values[name] or ""
        values["nik_confirmation"] = self.nik_confirmation()
        return values

    def duplicate_criteria(self) -> dict:
        """What services.intake.find_duplicates compares, from what was typed."""
        birth_date = self.birth_date.data
        age = self.estimated_age.data
        birth_year = birth_date.year if birth_date else None
        if birth_year is None and age is not None:
            birth_year = self.today().year - age
        return {
            "nik": clean_digits(self.nik.data)[:16] or None,
            "kk_number": clean_digits(self.kk_number.data)[:16] or None,
            "full_name": (self.full_name.data or "")[:120],
            "birth_year": birth_year,
            "birth_date": birth_date,
            "regency_code": self.regency_code.data or None,
            "district_code": self.district_code.data or None,
        }

    def how(self) -> HowIdentified:
        return HowIdentified(self.method.data, self.identified_on.data, self.note.data or "")

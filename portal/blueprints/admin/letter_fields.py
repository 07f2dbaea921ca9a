"""The office form's letter settings (services/letter_settings.py): numbering, page margins and
font size, "Sifat" per letter kind, and the classification table (category group x letter kind,
a blank cell meaning the group's default). Declared from the registries, added to OfficeForm."""

from decimal import Decimal

from wtforms import DecimalField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from ...forms import strip
from ...services import labels, letter_settings
from ...services.i18n import lazy as _l

REQUIRED = _l("Wajib diisi.")


def _margin_field(side: str) -> DecimalField:
    label, _default, low, high = letter_settings.MARGINS[side]
    return DecimalField(
        _l("Margin %(side)s (cm)", side=label),
        places=1,
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(
                min=Decimal(low) / 10,
                max=Decimal(high) / 10,
                message=_l(
                    "Antara %(low)s dan %(high)s cm (Tata Naskah Dinas).",
                    low=f"{low / 10:g}".replace(".", ","),
                    high=f"{high / 10:g}".replace(".", ","),
                ),
            ),
        ],
    )


def fields() -> dict:
    result = {
        "letter_numbering": SelectField(
            _l("Nomor surat"), choices=list(letter_settings.NUMBERING.items())
        ),
        "letter_font_size": SelectField(
            _l("Ukuran huruf isi surat (pt)"),
            choices=[
                (f"{size:g}", f"{size:g}".replace(".", ",")) for size in letter_settings.FONT_SIZES
            ],
            description=_l("Tata Naskah Dinas: Arial atau setara, 11–12 pt."),
        ),
        **{f"letter_margin_{side}": _margin_field(side) for side in letter_settings.MARGINS},
    }
    for kind in letter_settings.SIFAT_KINDS:
        result[f"sifat__{kind}"] = SelectField(
            _l("Sifat: %(kind)s", kind=labels.LETTER_KINDS[kind]),
            choices=[(value, value) for value in letter_settings.SIFAT],
        )
    for group in letter_settings.GROUPS:
        for kind in letter_settings.KINDS:
            result[letter_settings.field_name(group.code, kind)] = StringField(
                _l(
                    "Klasifikasi %(kind)s, %(group)s",
                    kind=labels.LETTER_KINDS[kind],
                    group=group.label,
                ),
                filters=[strip],
                validators=[
                    Optional(),
                    Length(max=20),
                    Regexp(
                        letter_settings.CODE_PATTERN,
                        message=_l("Kode klasifikasi seperti 400.9.3."),
                    ),
                ],
            )
    return result


def install(form_class) -> None:
    for name, field in fields().items():
        setattr(form_class, name, field)


def load(form, office) -> None:
    """The office's values when the form is first shown (margins in cm; blank table cells)."""
    margins = letter_settings.margins_of(office)
    for side, value in margins.items():
        getattr(form, f"letter_margin_{side}").data = Decimal(value) / 10
    form.letter_font_size.data = f"{letter_settings.font_size_of(office):g}"
    for kind in letter_settings.SIFAT_KINDS:
        getattr(form, f"sifat__{kind}").data = letter_settings.sifat_for(office, kind)
    table = office.letter_classifications or {}
    for group in letter_settings.GROUPS:
        for kind in letter_settings.KINDS:
            value = (table.get(group.code) or {}).get(kind, "")
            getattr(form, letter_settings.field_name(group.code, kind)).data = value


def values(form) -> dict:
    """The office columns these fields set (margins in mm)."""
    result = {
        "letter_numbering": form.letter_numbering.data,
        "letter_font_size": float(form.letter_font_size.data),
    }
    for side in letter_settings.MARGINS:
        result[f"letter_margin_{side}"] = int(getattr(form, f"letter_margin_{side}").data * 10)
    return result


def is_table_field(name: str) -> bool:
    return name.startswith("cls__")


def table_rows(form) -> list[tuple]:
    """(group, [(kind, field)]) for the template's table."""
    return [
        (
            group,
            [
                (kind, getattr(form, letter_settings.field_name(group.code, kind)))
                for kind in letter_settings.KINDS
            ],
        )
        for group in letter_settings.GROUPS
    ]

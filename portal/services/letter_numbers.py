"""A letter's number from the office's template: the placeholders an office may use
({klasifikasi}/{nomor}/Dinsos/{bulan_romawi}/{tahun} by default), checking a template an admin
types, and filling it in for one letter."""

from __future__ import annotations

import string
from datetime import date

from .i18n import lazy as _l

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
PLACEHOLDERS = {"klasifikasi", "nomor", "bulan_romawi", "bulan", "tahun", "kode_kantor"}
DEFAULT_TEMPLATE = "{klasifikasi}/{nomor}/Dinsos/{bulan_romawi}/{tahun}"


NUMBER_LENGTH = 80  # models.referrals.Letter.number
# The widest value each placeholder can take: a classification code as long as the office form
# allows, a year's millionth letter, the longest month, an office code as long as its column.
WIDEST = {
    "klasifikasi": "9" * 20,
    "nomor": 999_999,
    "bulan_romawi": "VIII",
    "bulan": "12",
    "tahun": 9999,
    "kode_kantor": "x" * 32,
}


def _parts(template: str):
    """(text, placeholder or None, format spec, conversion) as str.format would read them."""
    return list(string.Formatter().parse(template))


def template_errors(template: str) -> list[str]:
    """What is wrong with a number template ([] when it is usable): only the placeholders
    above, each as it is ({nomor}, never {nomor:0>5}, {nomor!r} or {nomor.real}), and a
    number that fits its column even with the widest values."""
    try:
        parts = _parts(template)
    except ValueError:
        return [str(_l("Kurung kurawal tidak berpasangan."))]
    names = {name for _, name, _, _ in parts if name is not None}
    errors = []
    unknown = names - PLACEHOLDERS
    if unknown:
        errors.append(
            str(
                _l(
                    "Tidak dikenal: %(names)s.",
                    names=", ".join("{" + n + "}" for n in sorted(unknown)),
                )
            )
        )
    if any(spec or conversion for _, name, spec, conversion in parts if name is not None):
        errors.append(str(_l("Tanda ditulis tanpa format, misalnya {nomor}, bukan {nomor:05}.")))
    if not {"nomor", "tahun"} <= names:
        errors.append(str(_l("Templat harus memuat {nomor} dan {tahun}.")))
    if not errors and len(_render(parts, WIDEST)) > NUMBER_LENGTH:
        errors.append(
            str(
                _l(
                    "Nomor surat bisa lebih dari %(n)d karakter: persingkat templat.",
                    n=NUMBER_LENGTH,
                )
            )
        )
    return errors


def _render(parts, values: dict) -> str:
    """The template filled in: each placeholder by its value as text (a format spec, should an
    old template hold one, is not applied; an unknown placeholder stays as it was typed)."""
    out = []
    for text, name, _spec, _conversion in parts:
        out.append(text)
        if name is not None:
            out.append(str(values[name]) if name in values else "{" + name + "}")
    return "".join(out)


def format_number(
    template: str, *, classification: str, serial: int, issued_on: date, office_code: str
) -> str:
    values = {
        "klasifikasi": classification,
        "nomor": serial,
        "bulan_romawi": ROMAN[issued_on.month - 1],
        "bulan": f"{issued_on.month:02d}",
        "tahun": issued_on.year,
        "kode_kantor": office_code,
    }
    try:
        parts = _parts(template)
    except ValueError:
        parts = _parts(DEFAULT_TEMPLATE)
    return _render(parts, values)[:NUMBER_LENGTH]

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


def template_errors(template: str) -> list[str]:
    """What is wrong with a number template ([] when it is usable)."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return [str(_l("Kurung kurawal tidak berpasangan."))]
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
    if not {"nomor", "tahun"} <= names:
        errors.append(str(_l("Templat harus memuat {nomor} dan {tahun}.")))
    return errors


def format_number(
    template: str, *, classification: str, serial: int, issued_on: date, office_code: str
) -> str:
    return template.format_map(
        {
            "klasifikasi": classification,
            "nomor": serial,
            "bulan_romawi": ROMAN[issued_on.month - 1],
            "bulan": f"{issued_on.month:02d}",
            "tahun": issued_on.year,
            "kode_kantor": office_code,
        }
    )

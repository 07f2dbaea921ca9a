"""NIK, No. KK, phone: what the structure of an Indonesian identity number can and cannot tell."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from lokal import normalize_phone as _normalize_phone
from lokal import parse_nik

from .i18n import lazy as _l

_DIGITS = re.compile(r"[\s.\-]")


@dataclass
class NikCheck:
    nik: str | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # the NIK disagrees with the form (birth date, sex): a warning the worker confirms with a
    # reason (a NIK is the person's, the form may be wrong, or the NIK was issued so)
    mismatches: list[str] = field(default_factory=list)
    birth_date: date | None = None
    sex: str | None = None
    province_code: str | None = None
    regency_code: str | None = None
    district_code: str | None = None

    @property
    def valid(self) -> bool:
        return not self.errors


def check_nik(
    value: str,
    *,
    lookup_region: Callable[[str], str | None] | None = None,
    sex: str | None = None,
    birth_date: date | None = None,
    today: date | None = None,
) -> NikCheck:
    """Structure, birth date (day + 40 for women) and sex against the form; region unknown = warning."""
    info = parse_nik(value, lookup_wilayah=lookup_region, reference_date=today)
    result = NikCheck(nik=info.nik)
    for issue in info.errors:
        message = _NIK_MESSAGES.get(issue.code)
        result.errors.append(str(message) if message else issue.message)
    if info.warnings:
        result.warnings.append(
            str(
                _l(
                    "Kode wilayah NIK tidak ada di data Kemendagri terbaru "
                    "(bisa jadi kode lama sebelum pemekaran). Periksa kembali."
                )
            )
        )
    if info.valid:
        result.birth_date = date.fromisoformat(info.birth_date) if info.birth_date else None
        result.sex = info.gender
        result.province_code = info.province_code
        result.regency_code = info.regency_code
        result.district_code = info.district_code
        if today and result.birth_date and result.birth_date > today:
            result.errors.append(str(_l("Tanggal lahir di NIK ada di masa depan.")))
        result.mismatches = _against_the_form(result, sex, birth_date)
    return result


def _against_the_form(nik: NikCheck, sex, birth_date) -> list[str]:
    """A valid NIK's birth date and sex against what the form says (warnings to confirm)."""
    mismatches = []
    if sex and nik.sex and sex != nik.sex:
        mismatches.append(
            str(_l("Jenis kelamin tidak cocok dengan NIK (tanggal lahir perempuan ditambah 40)."))
        )
    if birth_date and nik.birth_date and birth_date != nik.birth_date:
        mismatches.append(str(_l("Tanggal lahir tidak cocok dengan NIK.")))
    return mismatches


_NIK_MESSAGES = dict(
    format=_l("NIK harus terdiri dari 16 digit angka."),
    province=_l("Kode provinsi pada NIK tidak dikenal."),
    wilayah=_l("Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00."),
    birth_date=_l("Tanggal lahir yang tersimpan di NIK tidak mungkin ada."),
    serial=_l("Nomor urut NIK tidak boleh 0000."),
)


def clean_digits(value: str | None) -> str:
    return _DIGITS.sub("", value or "")


def check_kk(value: str) -> list[str]:
    digits = clean_digits(value)
    if not re.fullmatch(r"[0-9]{16}", digits):
        return [str(_l("No. KK harus terdiri dari 16 digit angka."))]
    if digits[:2] == "00" or digits.endswith("0000"):
        return [str(_l("No. KK ini tidak mungkin ada."))]
    return []


def normalize_phone(value: str | None) -> str | None:
    """'0812-3456-7890' -> '+6281234567890'; None when it cannot be an Indonesian number."""
    if not value or not value.strip():
        return None
    return _normalize_phone(value)


def mask_nik(nik: str | None) -> str:
    if not nik:
        return ""
    return nik[:4] + "*" * 8 + nik[-4:]

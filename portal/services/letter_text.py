"""Wording that letters spell out: dates in words (berita acara), the kop's agency line, and how an
unidentified person is described. Always Indonesian, whatever the reader's UI language."""

from __future__ import annotations

from datetime import date

from lokal import terbilang

MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
DAYS = "Senin Selasa Rabu Kamis Jumat Sabtu Minggu".split()  # date.weekday() order


def date_in_words(day: date | None) -> str:
    """'Selasa tanggal satu bulan Desember tahun dua ribu dua puluh enam' (the opening of a
    berita acara: "Pada hari ini ..."); '' without a date."""
    if not day:
        return ""
    return (
        f"{DAYS[day.weekday()]} tanggal {terbilang(day.day)} bulan {MONTHS[day.month - 1]} "
        f"tahun {terbilang(day.year)}"
    )


def agency_line(office) -> str:
    """The kop's second line: the office's own name, without the region the government line
    above it already names ("Dinas Sosial Kota Makassar" under "Pemerintah Kota Makassar" prints
    "DINAS SOSIAL"; "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak" stays whole)."""
    name = " ".join((office.name or "").split())
    government = " ".join((office.government_line or "").split())
    region = (
        government[len("pemerintah ") :] if government.lower().startswith("pemerintah ") else ""
    )
    if region and name.lower().endswith(" " + region.lower()):
        name = name[: -len(region)].rstrip(" ,")
    return name.upper()


ZONES = {"Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}  # the rest of Indonesia is WIB


def found_when(person, office) -> str:
    """When an unidentified person was found, on the office's clock: '20 November 2026 pukul
    08.00 WITA' ('' when unknown)."""
    from .timeutil import utc_to_local

    if not person.found_at:
        return ""
    local = utc_to_local(person.found_at, office.timezone)
    zone = ZONES.get(office.timezone, "WIB")
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} pukul {local:%H.%M} {zone}"


def photo_uri(person) -> str | None:
    """The person's photo as a data: URL (the renderer fetches nothing else), or None."""
    from ..extensions import db
    from ..models import Attachment
    from .pdf import data_uri

    if not person or not person.photo_id:
        return None
    photo = db.session.get(Attachment, person.photo_id)
    if photo is None or not photo.mimetype.startswith("image/"):
        return None
    return data_uri(photo.data, photo.mimetype)


def witnesses_of(referral) -> list[dict]:
    """The handover's witnesses (saksi) as [{"name", "position"}]: the berita acara prints its
    witness block only when there is one."""
    return referral.witnesses if referral is not None else []

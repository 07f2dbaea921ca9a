"""Whom a referral's letter is addressed to, and its tembusan, as real posts: never a placeholder
such as "Kepala Dinas Sosial daerah asal" or "Kepala Puskesmas perujuk".

- The addressee's title follows the receiving organisation's kind: a hospital or an RSJ is led by
  a "Direktur", a Dinsos, panti, Puskesmas or police unit by a "Kepala"; a typed name is read by
  its first words ("RSUD ..." -> Direktur).
- A return home goes to the Dinsos of the destination regency: the office's partner organisation
  with that region code when it keeps one (with its address), else "Dinas Sosial Kabupaten X".
- Tembusan lines may name posts that depend on the referral, as {tokens} in the office's list:
  {provinsi tujuan} (the destination's province), {daerah kantor} (the office's own region) and
  {perujuk} (the head of the referring Puskesmas/hospital). A line whose token has no value for
  this referral is left out rather than printed half empty. Lists saved before these tokens
  ("Kepala Dinas Sosial Provinsi", "Kepala Puskesmas perujuk") are read as the tokens.
- A referral whose letter would still print a placeholder (a receiver typed as "Dinas Sosial
  daerah asal") cannot be submitted: services.referrals reports the field to fill."""

from __future__ import annotations

import re

from sqlalchemy import select

from ..extensions import db
from ..models import Office, Organisation, Referral
from .i18n import lazy as _l
from .regions import region_name

HEAD_TITLES = {  # the head of an organisation, by Organisation.kind
    "hospital": "Direktur",
    "rsj": "Direktur",
    "puskesmas": "Kepala",
    "police": "Kepala",
    "dinsos": "Kepala",
    "panti": "Kepala",
}
HOSPITAL_WORDS = ("RS", "RSU", "RSUD", "RSUP", "RSJ", "RSK", "RSKD", "RSIA", "RSAD", "RSAL")
HEADED_BY_KEPALA = (
    "dinas", "puskesmas", "panti", "uptd", "upt", "balai", "badan", "kantor", "polres",
    "polsek", "polda", "polrestabes", "lembaga", "lpks", "bidang", "kecamatan", "kelurahan",
)  # fmt: skip
# Words that mark a name as a stand-in for an organisation not yet known.
PLACEHOLDER_WORDS = ("daerah asal", "perujuk", "penerima", "tujuan", "setempat", "...", "…")
GENERIC_NAMES = {  # a kind of organisation without saying which one
    "dinas sosial", "dinas sosial provinsi", "dinas sosial kabupaten", "dinas sosial kota",
    "dinas kesehatan", "puskesmas", "rsud", "rumah sakit", "rsj", "rumah sakit jiwa", "panti",
    "instansi", "-",
}  # fmt: skip
LEGACY_COPIES = {  # tembusan lines of the first defaults, read as the posts they meant
    "kepala dinas sosial provinsi": "Kepala Dinas Sosial Provinsi {provinsi tujuan}",
    "kepala puskesmas perujuk": "{perujuk}",
    "kepala dinas kesehatan": "Kepala Dinas Kesehatan {daerah kantor}",
}
TOKEN = re.compile(r"\{([^{}]+)\}")


def is_placeholder(name: str) -> bool:
    text = " ".join((name or "").lower().split())
    return text in GENERIC_NAMES or any(word in text for word in PLACEHOLDER_WORDS)


def head_title(name: str, organisation_kind: str | None = None, default: str = "Pimpinan") -> str:
    """'Direktur' for a hospital, 'Kepala' for a Dinsos, Puskesmas, panti …, else `default`."""
    if organisation_kind in HEAD_TITLES:
        return HEAD_TITLES[organisation_kind]
    words = (name or "").split()
    first = words[0].strip(".,").upper() if words else ""
    if first in HOSPITAL_WORDS or (name or "").lower().startswith("rumah sakit"):
        return "Direktur"
    if first.lower() in HEADED_BY_KEPALA:
        return "Kepala"
    return default


def dinsos_name(region_code: str | None) -> str:
    """'Dinas Sosial Kabupaten Pasangkayu' ('' for an unknown region); a province code gives
    'Dinas Sosial Provinsi Sulawesi Barat'."""
    name = region_name(region_code)
    if not name:
        return ""
    return f"Dinas Sosial Provinsi {name}" if "." not in region_code else f"Dinas Sosial {name}"


def partner_dinsos(office_id: int, region_code: str | None) -> Organisation | None:
    """The office's partner Dinsos serving exactly this region, if it keeps one."""
    if not region_code:
        return None
    return db.session.scalar(
        select(Organisation)
        .where(
            Organisation.office_id == office_id,
            Organisation.kind == "dinsos",
            Organisation.region_code == region_code,
            Organisation.active.is_(True),
        )
        .order_by(Organisation.id)
        .limit(1)
    )


def fill_receiver(referral: Referral, previous_destination: str | None = None) -> None:
    """A return home with no receiver chosen or typed goes to the destination's Dinsos: the
    partner organisation for that regency when the office keeps one, else its name built from
    the region ("Dinas Sosial Kabupaten Pasangkayu"); a name built for the previous
    destination follows a changed one. A typed receiver is left as typed."""
    if referral.kind != "return_home" or referral.organisation_id:
        return
    built = dinsos_name(previous_destination) if previous_destination else ""
    if built and referral.organisation_text == built:
        referral.organisation_text = ""
    if (referral.organisation_text or "").strip() or not referral.destination_regency_code:
        return
    partner = partner_dinsos(referral.office_id, referral.destination_regency_code)
    if partner is not None:
        referral.organisation_id, referral.organisation = partner.id, partner
    else:
        referral.organisation_text = dinsos_name(referral.destination_regency_code)


def recipient(referral: Referral) -> str:
    """'Direktur RSUD Daya Kota Makassar', 'Kepala Dinas Sosial Kabupaten Pasangkayu'."""
    kind = referral.declaration
    name = referral.receiver_label
    if not name:
        return kind.recipient_fallback
    org = referral.organisation
    return f"{head_title(name, org.kind if org else None, kind.recipient_title)} {name}"


def referring_post(referral: Referral) -> str:
    """The head of the Puskesmas/hospital that referred an RSJ patient ('' when none)."""
    facility = " ".join((referral.medical_facility or "").split())
    if not referral.medical_referral or not facility or is_placeholder(facility):
        return ""
    return f"{head_title(facility, default='Kepala')} {facility}"


def _office_region(office: Office) -> str:
    name = region_name(office.region_code) or ""
    if name:
        return name
    line = " ".join((office.government_line or "").split())
    return line[len("Pemerintah ") :] if line.lower().startswith("pemerintah ") else ""


def token_values(office: Office, referral: Referral | None) -> dict[str, str]:
    destination = referral.destination_regency_code if referral is not None else None
    return {
        "provinsi tujuan": region_name(destination.split(".")[0]) or "" if destination else "",
        "daerah kantor": _office_region(office),
        "perujuk": referring_post(referral) if referral is not None else "",
    }


def resolve_copies(lines: list[str], office: Office, referral: Referral | None) -> list[str]:
    """The tembusan as printed: tokens filled in, lines without a value left out."""
    values = token_values(office, referral)
    out = []
    for line in lines:
        line = LEGACY_COPIES.get(" ".join(line.lower().split()), line)
        tokens = TOKEN.findall(line)
        if any(not values.get(token.strip().lower()) for token in tokens):
            continue
        out.append(TOKEN.sub(lambda m: values[m.group(1).strip().lower()], line))
    return out


def placeholder_problems(referral: Referral) -> list[tuple[str, str]]:
    """(field, label) of what would print as a placeholder on the letter."""
    problems = []
    if not referral.organisation_id and referral.organisation_text.strip():
        if is_placeholder(referral.organisation_text):
            problems.append(("organisation_text", _receiver_label(referral.organisation_text)))
    facility = referral.medical_facility or ""
    if referral.kind == "rsj" and referral.medical_referral and facility.strip():
        if is_placeholder(facility):
            problems.append(("medical_facility", _facility_label(facility)))
    return problems


def _receiver_label(typed: str) -> str:
    return str(
        _l(
            "Penerima: nama instansi yang sebenarnya, bukan “%(typed)s”,",
            typed=" ".join(typed.split())[:60],
        )
    )


def _facility_label(typed: str) -> str:
    return str(
        _l(
            "Puskesmas / RSUD perujuk: nama fasilitas yang sebenarnya, bukan “%(typed)s”,",
            typed=" ".join(typed.split())[:60],
        )
    )

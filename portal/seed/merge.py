"""A merged pair: an unidentified man found wandering at the harbour, recognised days later as
someone the office had registered before (his family's record exists). The manager merged the
two records; the merge can still be undone from the kept person's page."""

from __future__ import annotations

from datetime import date, timedelta

from ..services import intake
from ..services import merge as merge_service
from .common import Demo

KNOWN = {
    "identity_known": True,
    "full_name": "Hasanuddin Daeng Tompo",
    "sex": "L",
    "birth_date": date(1971, 8, 17),
    "birth_place": "Makassar",
    "nik": "7371031708710002",
    "kk_number": "7371030202100011",
    "phone": "+6281355501234",
    "street": "Jl. Sunu Kompleks IKIP Blok C No. 7",
    "province_code": "73",
    "regency_code": "73.71",
}
UNKNOWN = {
    "identity_known": False,
    "full_name": "",
    "sex": "L",
    "estimated_age": 55,
    "physical_description": "Laki-laki kurus, rambut beruban, kaos biru lusuh, bekas luka di "
    "pelipis kiri; menyebut nama kampung Tompo.",
    "found_place": "Dermaga Pelabuhan Paotere",
}


def seed_merged_pair(demo: Demo) -> None:
    office, users, now = demo.office, demo.users, demo.now
    worker, manager = users["pekerja"], users["manajer"]
    known = intake.register(
        office,
        worker,
        KNOWN,
        {
            "ppks_code": "24",
            "channel": "family",
            "reported_at": now - timedelta(days=200),
            "place": KNOWN["street"],
            "summary": "Keluarga prasejahtera; kepala keluarga pernah dirawat di RSJ Dadi.",
            "urgency": "normal",
        },
        now=now - timedelta(days=200),
    )
    found = now - timedelta(days=6)
    unknown = intake.register(
        office,
        worker,
        UNKNOWN | {"found_at": found - timedelta(hours=2)},
        {
            "ppks_code": "11",
            "channel": "outreach",
            "reported_at": found,
            "place": UNKNOWN["found_place"],
            "summary": "Ditemukan berjalan tanpa arah di dermaga; tidak dapat menyebut alamat.",
            "urgency": "high",
        },
        now=found,
    )
    kept, merged = known.person, unknown.person
    choices = merge_service.default_choices(kept, merged)
    versions = (kept.version_id, merged.version_id)
    merge_service.merge(manager, kept, merged, choices, versions)

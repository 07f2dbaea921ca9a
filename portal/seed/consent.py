"""The demo's guardians and bases of processing (issue 14 part B, UU PDP Pasal 20, 25, 26):
children have a parent as wali who consented for them; most known ODGJ a relative as wali (an
unknown ODGJ has none, and the case file nudges for one), processed on vital interest; other
adults consented themselves or are handled under the office's legal duty. Every case handed to
a social worker records its basis (the referrals seeded next need one); a few unassigned cases
show "belum dicatat". Runs before the referrals, on a generator of its own (the rest of the
demo draws the same)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select, update

from ..extensions import db
from ..models import Case, PersonGuardian, ProcessingBasis
from ..services import consent
from ..services.timeutil import local_date
from .cases import FAMILY, MEN, WOMEN
from .common import Demo, backdated

VITAL = (
    "Ditemukan menggelandang tanpa identitas dan tidak mampu memberi persetujuan; keluarga "
    "belum ditemukan. Data diproses untuk pelindungan jiwa dan kesehatannya."
)
DUTY = "Penanganan PPKS adalah tugas Dinas Sosial (UU 11/2009, Permensos 08/2012)."


def _nik(rng: random.Random, born: date, sex: str) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"737101{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"


def _guardian(rng: random.Random, case: Case, relation: str, today: date) -> dict:
    sex = rng.choice("LP")
    name = f"{rng.choice(WOMEN if sex == 'P' else MEN)} {rng.choice(FAMILY)}"
    born = date(today.year - rng.randint(30, 60), rng.randint(1, 12), rng.randint(1, 28))
    phone = f"0812{rng.randint(10**7, 10**8 - 1)}"
    return {"role": "wali", "relation": relation, "name": name, "phone": phone,
            "nik": _nik(rng, born, sex) if rng.random() < 0.8 else ""}  # fmt: skip


def _basis(rng: random.Random, case: Case, reason: str | None, guardian, day: date) -> dict:
    person = case.person
    if guardian is not None:
        return {"basis": "consent", "consent_by": "guardian", "guardian_id": guardian.id,
                "consent_given_on": day, "purpose": "Penanganan kasus, rujukan dan pendampingan."}  # fmt: skip
    if reason is not None or not person.identity_known:
        return {"basis": "vital_interest", "note": VITAL}
    if rng.random() < 0.6:
        return {"basis": "consent", "consent_by": "self", "consent_given_on": day,
                "purpose": "Penanganan kasus dan rujukan ke lembaga yang diperlukan."}  # fmt: skip
    return {"basis": "legal_duty", "note": DUTY}


def _seed_case(rng: random.Random, demo: Demo, case: Case) -> None:
    person, worker = case.person, case.assigned_to or case.created_by
    when = case.reported_at + timedelta(hours=3)
    day = local_date(case.reported_at, demo.office.timezone)
    reason = consent.guardian_reason(person, day)
    guardian = None
    with backdated(case, when):
        if reason == "child" or (reason and person.identity_known and rng.random() < 0.7):
            relation = "parent" if reason == "child" else rng.choice(("sibling", "spouse", "child"))
            guardian = consent.add_guardian(case, worker, _guardian(rng, case, relation, day))
            _stamp(PersonGuardian, guardian.id, created_at=when, updated_at=when)
        if case.assigned_to_id is not None or rng.random() < 0.8:
            basis = consent.record_basis(case, worker, _basis(rng, case, reason, guardian, day))
            _stamp(ProcessingBasis, basis.id, recorded_at=when, updated_at=when)


def _stamp(model, row_id: int, **moments) -> None:
    """The row's own timestamps: when the step happened in the demo's story."""
    db.session.execute(update(model).where(model.id == row_id).values(**moments))


def seed_consent(demo: Demo) -> None:
    rng = random.Random(20261214)
    cases = db.session.scalars(
        select(Case).where(Case.office_id == demo.office.id).order_by(Case.reported_at)
    )
    for case in cases.all():
        _seed_case(rng, demo, case)
    db.session.flush()

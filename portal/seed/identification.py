"""The demo's identification: a man registered without identity, whose case was closed, is
identified by his family afterwards (issue 13): the closed case stays closed, its timeline says
who identified him, through whom and when."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case, Person
from ..services import identification
from ..services.timeutil import utc_to_local
from .common import Demo, backdated

NAMES = {"L": "Baso Daeng Ngai", "P": "Hj. St. Nurhasanah"}


def seed_identification(demo: Demo) -> None:
    case = db.session.scalar(
        select(Case)
        .join(Person, Case.person_id == Person.id)
        .where(
            Case.office_id == demo.office.id,
            Case.status == "closed",
            Person.identity_known.is_(False),
        )
        .order_by(Case.reported_at)
    )
    if case is None:
        return
    person = case.person
    closed_on = utc_to_local(case.closed_at or demo.now, demo.office.timezone).date()
    when = min(demo.today, closed_on + timedelta(days=5))
    values = {
        "full_name": NAMES.get(person.sex or "L", NAMES["L"]),
        "sex": person.sex,
        "estimated_age": person.estimated_age,
        "birth_place": "Gowa",
        "province_code": "73",
        "regency_code": "73.06",
        "origin_regency_code": "73.06",
    }
    how = identification.HowIdentified(
        "family", when, "Kakaknya datang ke kantor membawa foto keluarga dan Kartu Keluarga."
    )
    worker = case.assigned_to or demo.users["manajer"]
    with backdated(case, demo.at(when)):
        identification.identify(case, worker, values, how, person.version_id)

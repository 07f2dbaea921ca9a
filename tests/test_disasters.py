"""Disaster victims: types per UU 24/2007 and BNPB, a type that contradicts the category refused
beside the field, the household (KK and jiwa) captured at intake and counted in the reports, and
the disaster block shown only for a disaster category."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case
from portal.services import intake, reports
from portal.services.errors import Refused

from .test_intake import case_form

DISASTER = {"event_date": "2026-11-19", "event_place": "Kel. Tallo"}


@pytest.mark.parametrize(
    ("category", "kind", "message"),
    [
        ("P:22", "flood", "Bencana alam dicatat sebagai korban bencana alam (PPKS 21)"),
        ("P:21", "conflict", "Bencana sosial dicatat sebagai korban bencana sosial (PPKS 22)"),
    ],
)
def test_intake_refuses_a_disaster_type_that_contradicts_the_category(
    world, client, auth, category, kind, message
):
    auth.login("pekerja")
    data = case_form(category=category, disaster_type=kind, reported_at="2026-11-20T08:30")
    response = client.post("/cases/new", data=data | DISASTER)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert page.rindex(message) > page.index('name="disaster_type"')  # beside the field
    assert 'value="Kel. Tallo"' in page  # what was typed is kept


@pytest.mark.parametrize(("category", "kind"), [("P:21", "earthquake"), ("P:22", "fire"),
                                               ("P:21", "fire"), ("P:22", "conflict")])  # fmt: skip
def test_a_fitting_disaster_type_is_registered_with_its_household(
    world, client, auth, category, kind
):
    auth.login("pekerja")
    data = case_form(category=category, disaster_type=kind, household_kk="3",
                     household_people="11", reported_at="2026-11-20T08:30")  # fmt: skip
    assert client.post("/cases/new", data=data | DISASTER).status_code == 302
    case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert (case.disaster_type, case.household_kk, case.household_people) == (kind, 3, 11)


def test_the_service_refuses_a_contradicting_type_too(world):
    with pytest.raises(Refused) as refused:
        intake.check_disaster({"ppks_code": "22", "disaster_type": "earthquake"})
    assert refused.value.field == "disaster_type"


def test_fewer_people_than_families_is_refused(world, client, auth):
    auth.login("pekerja")
    data = case_form(category="P:21", disaster_type="flood", household_kk="4",
                     household_people="2", reported_at="2026-11-20T08:30")  # fmt: skip
    response = client.post("/cases/new", data=data | DISASTER)
    assert response.status_code == 422
    assert "Jumlah jiwa tidak boleh kurang dari jumlah KK." in response.get_data(as_text=True)


def test_the_report_counts_disaster_victims_in_kk_and_jiwa(world, factory, client, auth):
    office, manager = world["office"], world["manager"]
    factory.case(office, manager, ppks_code="21", disaster_type="flood",
                 household_kk=2, household_people=7)  # fmt: skip
    factory.case(office, manager, ppks_code="21", disaster_type="flood",
                 household_kk=1, household_people=4)  # fmt: skip
    factory.case(office, manager, ppks_code="22", disaster_type="fire")  # none recorded: 1, 1
    report = reports.build(manager, reports.Period.month(2026, 11))  # reported 20 November
    assert report.disasters["flood"] == 2 and report.disaster_kk["flood"] == 3
    assert report.disaster_people["flood"] == 11
    assert (report.disaster_kk_total, report.disaster_people_total) == (4, 12)
    assert "3 korban bencana (4 KK, 12 jiwa)" in " ".join(report.summary)
    auth.login("manajer")
    page = client.get("/reports?period=year&year=2026").get_data(as_text=True)
    assert ">KK<" in page and ">Jiwa<" in page and ">12<" in page


def test_the_disaster_block_shows_only_for_a_disaster_category(world, client, auth):
    auth.login("pekerja")
    other = client.post("/cases/new", data=case_form(category="P:11", summary=""))
    assert 'class="section disaster"' in other.get_data(as_text=True)
    assert _block(other.get_data(as_text=True)).endswith(" hidden>")
    disaster = client.post("/cases/new", data=case_form(category="P:21", summary=""))
    block = _block(disaster.get_data(as_text=True))
    assert "hidden" not in block and "P:21 P:22" in block


def _block(page: str) -> str:
    start = page.index('<fieldset class="section disaster"')
    return page[start : page.index(">", start) + 1]

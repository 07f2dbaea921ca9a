"""The office's clock (WITA here), not UTC's: what a social worker and a manager see and print
when they work between 00:00 and 08:00 WITA, while it is still the day before in UTC, and on
New Year's morning. Each test stops the clock at the instant it is about."""

import io
import re
from datetime import UTC, date, datetime, timedelta

import time_machine
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, Letter, Referral
from portal.services import dashboard, tallies, workdays
from portal.services import reports as report_service
from portal.services.timeutil import office_today

from .conftest import AWKWARD_INSTANTS, stored
from .test_intake import case_form
from .test_referrals import orgs, rsj_form  # noqa: F401  (the fixture)

# 00:30 WITA on Tuesday 1 December 2026 (16:30 UTC on Monday 30 November)
AFTER_MIDNIGHT = AWKWARD_INSTANTS["0030-wita"]
# 07:30 WITA on 1 January 2027 (23:30 UTC on 31 December 2026)
NEW_YEAR = AWKWARD_INSTANTS["new-year"]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def approve(world, orgs, client, auth):  # noqa: F811
    auth.login("pekerja")
    data = dict(rsj_form(orgs), submit_now="1")
    client.post(f"/cases/{world['case'].id}/referrals/new?kind=rsj", data=data)
    referral = db.session.scalar(select(Referral).order_by(Referral.id.desc()))
    auth.logout()
    auth.login("manajer")
    assert (
        client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"}).status_code
        == 302
    )
    return db.session.get(Referral, referral.id)


def test_a_letter_approved_after_midnight_is_dated_and_numbered_by_the_office(
    world,
    orgs,  # noqa: F811
    client,
    auth,
):
    with time_machine.travel(AFTER_MIDNIGHT + timedelta(minutes=18), tick=False):  # 00:48 WITA
        referral = approve(world, orgs, client, auth)
        letter = db.session.scalar(select(Letter).where(Letter.referral_id == referral.id))
        assert letter.issued_on == date(2026, 12, 1)
        assert letter.number == "400.9.4/1/Dinsos/XII/2026"
        text = pdf_text(client.get(f"/letters/{letter.id}.pdf").data)
        assert "1 Desember 2026" in text and "30 November 2026" not in text
    # the handover on that same day, typed in only two days later (00:20 WITA, 3 December)
    with time_machine.travel(AFTER_MIDNIGHT + timedelta(days=2, minutes=-10), tick=False):
        handover = {
            "handover_date": "2026-12-01",
            "handover_place": "IGD RSJ Dadi",
            "receiver_name": "Ns. Hasanah",
            "receiver_position": "Perawat jaga",
            "receiver_institution": "RSJ Dadi Makassar",
        }
        auth.logout()
        auth.login("pekerja")
        assert client.post(f"/referrals/{referral.id}/complete", data=handover).status_code == 302
        record = db.session.scalar(select(Letter).where(Letter.kind == "berita_acara"))
        # dated and numbered in the order of issue; the text tells the handover's own day
        assert (record.serial, record.issued_on) == (2, date(2026, 12, 3))
        assert record.number.endswith("/2/Dinsos/XII/2026")
        text = re.sub(r"\s+", " ", pdf_text(client.get(f"/letters/{record.id}.pdf").data))
        assert "Selasa tanggal satu bulan Desember tahun dua ribu dua puluh enam" in text
    numbers = db.session.execute(select(Letter.serial, Letter.issued_on).order_by(Letter.serial))
    dates = [issued_on for _serial, issued_on in numbers]
    assert dates == sorted(dates)  # the register's dates never go backwards


def test_new_years_morning_opens_the_new_register_and_case_numbers(
    world,
    orgs,  # noqa: F811
    client,
    auth,
):
    with time_machine.travel(NEW_YEAR, tick=False):
        referral = approve(world, orgs, client, auth)
        letter = db.session.scalar(select(Letter).where(Letter.referral_id == referral.id))
        assert (letter.year, letter.serial, letter.issued_on) == (2027, 1, date(2027, 1, 1))
        assert letter.number == "400.9.4/1/Dinsos/I/2027"
        auth.logout()
        auth.login("pekerja")
        response = client.post("/cases/new", data=case_form(reported_at="2027-01-01T07:15"))
        assert response.status_code == 302
        case = db.session.scalar(select(Case).order_by(Case.id.desc()))
        this_year = db.session.scalars(
            select(Case.number).where(Case.year == 2027, Case.office_id == case.office_id)
        ).all()
        assert case.year == 2027 and case.number == f"KS-2027-{len(this_year):06d}"
        assert case.reported_at == datetime(2026, 12, 31, 23, 15)  # stored in UTC


def test_a_case_registered_after_midnight_counts_in_the_office_month(world, client, auth):
    with time_machine.travel(AFTER_MIDNIGHT + timedelta(minutes=14), tick=False):  # 00:44 WITA
        auth.login("pekerja")
        form = case_form(full_name="Daeng Ngalle", reported_at="2026-12-01T00:40")
        assert client.post("/cases/new", data=form).status_code == 302
        case = db.session.scalar(select(Case).where(Case.person.has(full_name="Daeng Ngalle")))
        assert case.reported_at == datetime(2026, 11, 30, 16, 40)  # UTC: still November there
        manager = world["manager"]
        board = dashboard.build(manager)
        assert board.today == date(2026, 12, 1)
        assert board.new_this_month.value == 1  # December's first case
        assert board.new_this_month.args["date_from"] == "2026-12-01"
        december = report_service.build(manager, report_service.Period.month(2026, 12))
        november = report_service.build(manager, report_service.Period.month(2026, 11))
        assert sum(row.new for row in december.rows) == 1
        assert "Daeng Ngalle" not in str(november.rows) and sum(r.new for r in november.rows) == 2
        # the case list's date filter is the office's day too
        auth.logout()
        auth.login("manajer")
        listed = client.get("/cases", query_string={"date_from": "2026-12-01"}).text
        assert "Daeng Ngalle" in listed and "Andi Baso" not in listed
        assert tallies.differences(world["office"].id) == {}


def test_follow_ups_fall_due_by_the_office_date(world, client, auth):
    case = world["case"]
    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        assert workdays.bucket_of(date(2026, 12, 1), office_today(world["office"])) == ("today")
        auth.login("pekerja")
        data = {"kind": "home_visit", "assigned_to": str(world["worker"].id),
                "purpose": "Kunjungan rumah"}  # fmt: skip
        url = f"/cases/{case.id}/follow-ups/new"
        # 30 November is yesterday at the office, although still today in UTC
        refused = client.post(url, data=dict(data, due_date="2026-11-30"))
        assert refused.status_code == 422
        assert "Tanggal jatuh tempo tidak boleh di masa lalu." in refused.text
        assert client.post(url, data=dict(data, due_date="2026-12-01")).status_code == 302
        tasks = client.get("/tasks").text
        assert "Kunjungan rumah" in tasks


def test_an_office_moving_time_zone_has_its_months_recounted(factory):
    office = factory.office(code="mamuju", timezone="Asia/Makassar")
    worker = factory.user(office, "worker")
    # 00:30 WITA on 1 December, which is 23:30 WIB on 30 November
    factory.case(office, worker, ppks_code="04", reported_at=datetime(2026, 12, 1, 0, 30))
    rows = {(t[2], t[3]) for t in tallies.stored(office.id) if t[1] == 0}
    assert ("new", date(2026, 12, 1)) in rows
    office.timezone = "Asia/Jakarta"
    db.session.commit()
    rows = {(t[2], t[3]) for t in tallies.stored(office.id) if t[1] == 0}
    assert ("new", date(2026, 11, 1)) in rows and ("new", date(2026, 12, 1)) not in rows
    assert tallies.differences(office.id) == {}


def test_letter_dates_of_stored_times_follow_the_office(world, client, auth):
    """The case report prints the day a case was reported as the office saw it."""
    case = world["case"]
    case.reported_at = stored(datetime(2026, 12, 1, 6, 0))  # 06:00 WITA: 22:00 UTC the day before
    db.session.commit()
    with time_machine.travel(datetime(2026, 12, 2, 1, 0, tzinfo=UTC), tick=False):
        auth.login("manajer")
        text = pdf_text(client.get(f"/cases/{case.id}/report.pdf").data)
    assert "1 Desember 2026" in text and "30 November 2026" not in text

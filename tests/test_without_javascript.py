"""Cascading selects without JavaScript: a "Pilih" button posts the form back to show the next
level's choices, keeping what was typed and saving nothing; the pemulangan form starts from
the person's recorded origin."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Case, Organisation, Person, Referral

from .test_intake import case_form


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_registration_picks_regency_district_and_village_without_javascript(world, client, auth):
    auth.login("pekerja")
    cases = _count(Case)
    typed = case_form(regency_code="", district_code="", village_code="", full_name="Daeng Tiro")
    page = client.post("/cases/new", data=dict(typed, refresh="province_code"))
    assert page.status_code == 200
    assert 'value="73.71"' in page.text and "Kota Makassar" in page.text
    assert 'value="Daeng Tiro"' in page.text and 'class="errors"' not in page.text
    page = client.post("/cases/new", data=dict(typed, regency_code="73.71", refresh="regency_code"))
    assert 'value="73.71.01"' in page.text
    page = client.post(
        "/cases/new",
        data=dict(typed, regency_code="73.71", district_code="73.71.01", refresh="district_code"),
    )
    assert 'value="73.71.01.1001"' in page.text
    assert _count(Case) == cases  # nothing saved while choosing
    page = client.post(
        "/cases/new", data=dict(typed, refresh="origin_province", origin_province="64")
    )
    assert 'value="64.71"' in page.text  # Balikpapan, as the origin's regency
    assert client.post("/cases/new", data=case_form(full_name="Daeng Tiro")).status_code == 302


def test_the_buttons_are_there_for_a_browser_without_javascript(world, client, auth):
    auth.login("pekerja")
    page = client.get("/cases/new").get_data(as_text=True)
    assert page.count('name="refresh"') == 4  # province, regency, district, origin province


def test_a_return_home_starts_from_the_recorded_origin_and_its_dinsos(world, client, auth):
    office = world["office"]
    case = world["case"]
    db.session.get(Person, case.person_id).origin_regency_code = "64.71"
    db.session.add(
        Organisation(
            office_id=office.id,
            name="Dinas Sosial Kota Balikpapan",
            kind="dinsos",
            region_code="64.71",
        )  # fmt: skip
    )
    db.session.commit()
    auth.login("pekerja")
    page = client.get(f"/cases/{case.id}/referrals/new?kind=return_home").get_data(as_text=True)
    assert '<option selected value="64">' in page or 'value="64" selected' in page
    assert '<option selected value="64.71">' in page or 'value="64.71" selected' in page
    assert "Dinas Sosial Kota Balikpapan</option>" in page
    assert 'selected value="' in page.split('id="organisation_id"')[1].split("</select>")[0]


def test_a_return_home_chooses_its_destination_without_javascript(world, client, auth):
    auth.login("pekerja")
    url = f"/cases/{world['case'].id}/referrals/new?kind=return_home"
    page = client.post(
        url,
        data={"destination_province": "35", "escort": "Rina", "refresh": "destination_province"},
    )
    assert page.status_code == 200 and 'value="35.78"' in page.text  # Kota Surabaya
    assert 'value="Rina"' in page.text
    assert _count(Referral) == 0
    saved = client.post(
        url, data={"destination_province": "35", "destination_regency_code": "35.78"}
    )
    assert saved.status_code == 302
    assert db.session.scalar(select(Referral.destination_regency_code)) == "35.78"


def test_a_partner_organisation_picks_its_regency_without_javascript(world, client, auth):
    auth.login("admin")
    data = {"name": "RSJ Atma Husada Mahakam", "kind": "rsj", "province": "64"}
    page = client.post("/admin/organisations/new", data=dict(data, refresh="province"))
    assert page.status_code == 200 and 'value="64.72"' in page.text
    assert 'value="RSJ Atma Husada Mahakam"' in page.text
    assert _count(Organisation) == 0

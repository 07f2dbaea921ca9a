"""Issue 13, part B: the person without a name. An unknown person is labelled by his first
case's number, identified later from an open or a closed case (which stays closed, its issued
letters unchanged), with the duplicate panel beside the form; a NIK that disagrees with the
form is a warning the worker confirms with a reason."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditLog,
    Case,
    CaseEvent,
    Letter,
    Organisation,
    Person,
    PersonIdentification,
)
from portal.services.search import query_words, tokens_for

from .conftest import office_today


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def unknown(world, factory):
    """A man found wandering, registered without identity by the worker."""
    return factory.case(
        world["office"],
        world["worker"],
        identity_known=False,
        full_name="",
        estimated_age=45,
        physical_description="Laki-laki, kurus, rambut gondrong, kaos merah.",
        found_place="Pasar Terong",
        ppks_code="09",
    )


def identify_form(case, **overrides):
    data = {
        "full_name": "Baso Daeng Ngai",
        "nik": "",
        "kk_number": "",
        "sex": "L",
        "birth_date": "1981-05-14",
        "estimated_age": "",
        "birth_place": "Gowa",
        "province_code": "73",
        "regency_code": "73.71",
        "district_code": "73.71.01",
        "village_code": "",
        "street": "Jl. Sunu No. 5",
        "method": "family",
        "identified_on": office_today().isoformat(),
        "note": "Dikenali kakaknya yang datang ke kantor.",
        "version": str(case.person.version_id),
    }
    data.update(overrides)
    return data


def test_an_unknown_person_is_labelled_by_his_case_number(world, unknown, client, auth):
    assert unknown.person.display_name == f"Tanpa identitas ({unknown.number})"
    auth.login("pekerja")
    page = client.get(f"/cases/{unknown.id}").get_data(as_text=True)
    assert f"Tanpa identitas ({unknown.number})" in page
    assert f"Tanpa identitas #{unknown.person.id}" not in page
    listing = client.get("/cases").get_data(as_text=True)
    assert f"Tanpa identitas ({unknown.number})" in listing


def test_identifying_a_closed_case_keeps_it_closed_and_its_letters(
    world, unknown, factory, client, auth
):
    office = world["office"]
    office.head_name, office.head_nip = "Drs. Andi Bakti", "196803041990031005"
    hospital = Organisation(office_id=office.id, name="RSUD Daya", kind="hospital")
    db.session.add(hospital)
    db.session.commit()
    referral = factory.referral(
        unknown, "completed", "service", organisation_id=hospital.id, purpose="Pemeriksaan"
    )
    factory.closure(unknown, "closed")
    letters = db.session.scalars(select(Letter).where(Letter.case_id == unknown.id)).all()
    assert letters and referral.letter in letters
    before = {letter.id: letter.pdf for letter in letters}
    assert "identitas belum diketahui" in pdf_text(referral.letter.pdf)

    auth.login("pekerja")
    page = client.get(f"/cases/{unknown.id}")
    assert "Identifikasi" in page.get_data(as_text=True)
    response = client.post(f"/cases/{unknown.id}/identify", data=identify_form(unknown))
    assert response.status_code == 302, response.get_data(as_text=True)

    db.session.expire_all()
    case = db.session.get(Case, unknown.id)
    assert case.status == "closed"  # not reopened, no approval asked
    assert case.person.identity_known and case.person.full_name == "Baso Daeng Ngai"
    for letter_id, pdf in before.items():
        download = client.get(f"/letters/{letter_id}.pdf")
        assert download.status_code == 200 and download.data == pdf
        text = pdf_text(download.data)
        assert "Baso Daeng Ngai" not in text
    assert "identitas belum diketahui" in pdf_text(
        client.get(f"/letters/{referral.letter.id}.pdf").data
    )


def test_the_identification_is_in_the_timeline_the_audit_and_the_search(
    world, unknown, client, auth
):
    label = unknown.person.display_name
    auth.login("pekerja")
    response = client.post(f"/cases/{unknown.id}/identify", data=identify_form(unknown))
    assert response.status_code == 302
    page = client.get(f"/cases/{unknown.id}").get_data(as_text=True)
    worker = world["worker"].full_name
    when = office_today()
    assert f"Diidentifikasi oleh {worker} melalui keluarga pada {when.day}" in page
    assert label in page  # the label before: "sebelumnya Tanpa identitas (KS-...)"
    assert "Dikenali kakaknya" in page
    assert "Identifikasi</a>" not in page  # identified: the button now corrects
    assert "Koreksi identitas</a>" in page
    record = db.session.scalar(select(PersonIdentification))
    assert record.method == "family" and record.identified_on == when
    assert record.previous_label == label and record.case_id == unknown.id
    assert record.by_id == world["worker"].id
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "person.identify"))
    assert entry.case_id == unknown.id and entry.details["method"] == "family"
    assert entry.details["changes"]["full_name"] == ["", "Baso Daeng Ngai"]
    found = client.get("/cases?q=daeng ngai").get_data(as_text=True)
    assert unknown.number in found
    assert "daeng" in tokens_for(db.session.get(Case, unknown.id))


def test_identify_is_refused_to_other_roles_and_offices(world, unknown, client, auth):
    for username, status in (("pekerja2", 404), ("admin", 403), ("bpp_manajer", 404)):
        auth.login(username)
        assert client.get(f"/cases/{unknown.id}/identify").status_code == status, username
        post = client.post(f"/cases/{unknown.id}/identify", data=identify_form(unknown))
        assert post.status_code == status, username
        auth.logout()
    db.session.expire_all()
    assert not db.session.get(Person, unknown.person_id).identity_known
    auth.login("manajer")
    page = client.get(f"/cases/{unknown.id}/identify").get_data(as_text=True)
    assert re.search(r'Nama lengkap <span class="req"', page)  # required: marked
    # a known person's identity is corrected on the same page
    page = client.get(f"/cases/{world['case'].id}/identify")
    assert page.status_code == 200 and "Koreksi identitas" in page.get_data(as_text=True)


def test_an_identity_is_corrected_on_a_closed_case_audited_without_reopening(
    world, unknown, factory, client, auth
):
    auth.login("pekerja")
    assert client.post(f"/cases/{unknown.id}/identify", data=identify_form(unknown)).status_code
    factory.closure(unknown, "closed")
    db.session.expire_all()
    case = db.session.get(Case, unknown.id)
    page = client.get(f"/cases/{case.id}/identify")
    assert page.status_code == 200 and "Koreksi identitas" in page.get_data(as_text=True)
    form = identify_form(case, full_name="Baso Daeng Ngai Rewa", birth_date="1981-05-15")
    response = client.post(f"/cases/{case.id}/identify", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    case = db.session.get(Case, unknown.id)
    assert case.status == "closed" and case.person.full_name == "Baso Daeng Ngai Rewa"
    timeline = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"Identitas dikoreksi oleh {world['worker'].full_name}" in timeline
    assert "sebelumnya Baso Daeng Ngai" in timeline
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "person.identity_correct"))
    assert entry.details["changes"]["full_name"] == ["Baso Daeng Ngai", "Baso Daeng Ngai Rewa"]
    assert entry.details["case_status"] == "closed"


def test_identify_form_refuses_a_taken_nik_and_keeps_the_input(
    world, unknown, factory, client, auth
):
    factory.case(world["office"], world["worker"], full_name="Orang Lain", nik="7371011405810003")
    auth.login("pekerja")
    response = client.post(
        f"/cases/{unknown.id}/identify", data=identify_form(unknown, nik="7371011405810003")
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "NIK ini sudah terdaftar" in text and 'value="Baso Daeng Ngai"' in text
    assert "Buka kasusnya</a>." in text  # a sentence apart from "Jika ini orang yang sama"
    assert "Jika ini orang yang sama" in text


def test_a_taken_nik_on_identify_offers_a_merge_not_a_new_case(
    world, unknown, factory, client, auth
):
    """The NIK belongs to the family's earlier record: the same man twice is merged by a
    manager; registering yet another case for the holder would leave the two records apart."""
    holder = factory.case(
        world["office"], world["worker"], full_name="Baso Dg. Ngai", nik="7371011405810003"
    )
    data = identify_form(unknown, nik="7371011405810003")
    auth.login("pekerja")
    text = client.post(f"/cases/{unknown.id}/identify", data=data).get_data(as_text=True)
    assert "Terdaftar atas nama" in text and "Baso Dg. Ngai" in text
    assert "Daftarkan kasus baru untuk orang ini" not in text
    assert "minta manajer menggabungkan kedua data" in text
    assert "Gabungkan dengan orang ini" not in text  # a worker does not merge
    auth.logout()
    auth.login("manajer")
    data["version"] = str(unknown.person.version_id)
    text = client.post(f"/cases/{unknown.id}/identify", data=data).get_data(as_text=True)
    merge = f"/people/merge?keep={holder.person_id}&amp;merge={unknown.person_id}"
    assert "Daftarkan kasus baru untuk orang ini" not in text
    assert text.count(merge) == 2  # beside the NIK and in the duplicate panel


@pytest.mark.parametrize(
    ("stored", "typed", "note"),
    [("Baso Dg. Ngai", "Baso Daeng Ngai", "Dg. = Daeng"), ("Nurhasanah", "Nur Hasanah", "Nur Hasanah = Nurhasanah")],
)  # fmt: skip
def test_names_as_written_match_in_the_duplicate_panel(
    world, unknown, factory, client, auth, stored, typed, note
):
    factory.case(world["office"], world["worker"], full_name=stored, estimated_age=45)
    auth.login("pekerja")
    panel = client.get(
        "/cases/duplicates",
        query_string={"full_name": typed, "estimated_age": "45", "identifying": unknown.person_id},
    ).get_data(as_text=True)
    assert stored in panel
    assert f"Nama mirip: {note}" in panel
    # the identify form, sent with the same name, shows the same panel (without JavaScript)
    response = client.post(
        f"/cases/{unknown.id}/identify",
        data=identify_form(unknown, full_name=typed, birth_date="", estimated_age="45", method=""),
    )
    assert response.status_code == 422 and f"Nama mirip: {note}" in response.get_data(as_text=True)


def test_the_same_birth_date_is_given_as_a_reason(world, factory, client, auth):
    factory.case(world["office"], world["worker"], full_name="Abd. Rahman", birth_date=None)
    person = db.session.scalar(select(Person).where(Person.full_name == "Abd. Rahman"))
    from datetime import date

    person.birth_date = date(1980, 1, 2)
    person.birth_year = 1980
    db.session.commit()
    auth.login("pekerja")
    panel = client.get(
        "/cases/duplicates", query_string={"full_name": "Abdul Rahman", "birth_date": "1980-01-02"}
    ).get_data(as_text=True)
    assert "Abd. Rahman" in panel
    assert "Tanggal lahir sama" in panel and "Abd. = Abdul" in panel


def test_search_finds_names_as_written():
    assert query_words("Dg.") == ["daeng"]
    assert query_words("Hj. Siti") == ["siti"]


MISMATCHED_NIK = "7371011405790003"  # born 14 May 1979, a man


def register_form(**overrides):
    from .test_intake import case_form

    return case_form(**({"nik": MISMATCHED_NIK, "birth_date": "1979-05-15"} | overrides))


def test_a_nik_disagreeing_with_the_birth_date_needs_a_confirmation(world, client, auth):
    auth.login("pekerja")
    response = client.post("/cases/new", data=register_form())
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tanggal lahir tidak cocok dengan NIK." in text
    assert "Saya sudah memeriksa" in text
    assert 'value="Rahmat Hidayat"' in text and 'value="1979-05-15"' in text
    assert f'value="{MISMATCHED_NIK}"' in text and "Pasar Terong" in text
    assert db.session.scalar(select(Person).where(Person.nik == MISMATCHED_NIK)) is None
    # ticked without a reason: still asked
    again = client.post("/cases/new", data=register_form(nik_confirmed="y"))
    assert again.status_code == 422 and "Tulis alasannya." in again.get_data(as_text=True)


def test_a_confirmed_nik_registers_and_the_reason_is_kept(world, client, auth):
    auth.login("pekerja")
    reason = "KTP dilihat: tanggal lahir di KTP 15 Mei, NIK dari Dukcapil memang begitu."
    response = client.post("/cases/new", data=register_form(nik_confirmed="y", nik_reason=reason))
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.nik == MISMATCHED_NIK))
    case = person.cases[0]
    event = db.session.scalar(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "nik_confirmed")
    )
    assert event.body == reason
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "case.create"))
    assert entry.details["nik_confirmation"]["reason"] == reason
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert reason in page and "Tanggal lahir tidak cocok dengan NIK." in page


def test_a_future_birth_date_stays_an_error(world, client, auth):
    auth.login("pekerja")
    response = client.post(
        "/cases/new",
        data=register_form(birth_date="2090-01-01", nik_confirmed="y", nik_reason="x"),
    )
    assert response.status_code == 422 and "masa depan" in response.get_data(as_text=True)


def test_identify_with_a_mismatching_nik_keeps_the_reason(world, unknown, client, auth):
    auth.login("manajer")
    data = identify_form(unknown, nik=MISMATCHED_NIK, birth_date="1979-05-15")
    shown = client.post(f"/cases/{unknown.id}/identify", data=data)
    assert shown.status_code == 422 and "Saya sudah memeriksa" in shown.get_data(as_text=True)
    data |= {"nik_confirmed": "y", "nik_reason": "Menurut kakaknya lahir 15 Mei."}
    assert client.post(f"/cases/{unknown.id}/identify", data=data).status_code == 302
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "person.identify"))
    assert entry.details["nik_confirmation"]["reason"] == "Menurut kakaknya lahir 15 Mei."


def test_the_person_edit_form_asks_for_the_same_confirmation(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    page = client.get(f"/cases/{case.id}/person").get_data(as_text=True)
    assert "Saya sudah memeriksa" not in page  # no mismatch: no confirmation asked
    data = {
        "full_name": "Andi Baso",
        "nik": MISMATCHED_NIK,
        "sex": "P",
        "estimated_age": "47",
        "version": str(case.person.version_id),
    }
    shown = client.post(f"/cases/{case.id}/person", data=data)
    text = shown.get_data(as_text=True)
    assert shown.status_code == 422 and "Jenis kelamin tidak cocok" in text
    assert "Saya sudah memeriksa" in text and f'value="{MISMATCHED_NIK}"' in text
    data |= {"nik_confirmed": "y", "nik_reason": "Salah cetak di KTP, sudah dicek ke Dukcapil."}
    assert client.post(f"/cases/{case.id}/person", data=data).status_code == 302
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "person.update"))
    assert entry.details["nik_confirmation"]["reason"].startswith("Salah cetak")
    timeline = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Salah cetak di KTP" in timeline


def test_an_identified_person_leaves_the_unknown_filter_and_the_unidentified_page(
    world, unknown, client, auth
):
    # the filter answers from the search index's marker: identifying re-indexes the case
    auth.login("pekerja")
    assert unknown.number in client.get("/cases?unknown=1").get_data(as_text=True)
    assert unknown.number in client.get("/unidentified").get_data(as_text=True)
    response = client.post(f"/cases/{unknown.id}/identify", data=identify_form(unknown))
    assert response.status_code == 302
    assert unknown.number not in client.get("/cases?unknown=1").get_data(as_text=True)
    assert unknown.number not in client.get("/unidentified").get_data(as_text=True)
    assert unknown.number in client.get("/cases?q=daeng ngai").get_data(as_text=True)

"""Registering a case on /cases/new: the person, the case, duplicates, NIK rules, bad input."""

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attachment, AuditLog, Case, CaseEvent, LocalCaseType, Person

from .conftest import office_today


def case_form(**overrides):
    data = {
        "full_name": "Rahmat Hidayat",
        "nik": "",
        "kk_number": "",
        "sex": "L",
        "birth_date": "1985-03-02",
        "estimated_age": "",
        "birth_place": "Makassar",
        "phone": "0812-3456-7890",
        "province_code": "73",
        "regency_code": "73.71",
        "district_code": "73.71.01",
        "village_code": "73.71.01.1001",
        "street": "Jl. Sunu No. 5",
        "category": "P:11",
        "channel": "satpol_pp",
        "reporter_name": "Satpol PP Kec. Mariso",
        "reporter_phone": "",
        "reported_at": "2026-11-20T08:30",
        "place": "Pasar Terong",
        "case_district": "73.71.01",
        "summary": "Terjaring razia, tidur di emperan pasar.",
        "urgency": "normal",
    }
    data.update(overrides)
    return data


def png_bytes(size=(40, 50)):
    out = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.office_clock
def test_register_a_case(world, client, auth):
    auth.login("pekerja")
    response = client.post("/cases/new", data=case_form())
    assert response.status_code == 302
    case = db.session.scalar(select(Case).order_by(Case.id.desc()))
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert case.number.startswith(f"KS-{office_today().year}-") and case.number.endswith("000003")
    assert case.person.full_name == "Rahmat Hidayat"
    assert case.person.phone == "+6281234567890"
    assert case.person.birth_year == 1985
    assert case.assigned_to_id == world["worker"].id  # a worker's own registration is theirs
    assert case.status == "in_progress"
    assert case.ppks_code == "11"
    # Reported at 08:30 WITA is 00:30 UTC.
    assert case.reported_at.hour == 0 and case.reported_at.minute == 30
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rahmat Hidayat" in page and case.number in page
    assert "20 November 2026" in page
    assert "Mariso, Kota Makassar, Sulawesi Selatan" in page
    kinds = db.session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert kinds == ["registered"]
    assert db.session.scalar(
        select(func.count()).where(AuditLog.action == "case.create", AuditLog.case_id == case.id)
    )


@pytest.mark.office_clock
def test_case_numbers_count_per_office_and_year(world, factory):
    other = factory.case(world["other_office"], world["other_worker"])
    assert other.number.endswith("000002")
    mine = factory.case(world["office"], world["worker"])
    assert mine.number.endswith("000003")


def test_local_case_type_maps_to_ppks(world, client, auth):
    odgj = db.session.scalar(
        select(LocalCaseType).where(
            LocalCaseType.office_id == world["office"].id, LocalCaseType.name == "ODGJ terlantar"
        )
    )
    auth.login("pekerja")
    client.post("/cases/new", data=case_form(category=f"L:{odgj.id}"))
    case = db.session.scalar(select(Case).order_by(Case.id.desc()))
    assert case.local_type_id == odgj.id and case.ppks_code == odgj.ppks_code == "09"


def test_another_offices_case_type_is_refused(world, client, auth):
    foreign = db.session.scalar(
        select(LocalCaseType).where(LocalCaseType.office_id == world["other_office"].id)
    )
    auth.login("pekerja")
    response = client.post("/cases/new", data=case_form(category=f"L:{foreign.id}"))
    assert response.status_code == 422
    assert "Pilih kategori dari daftar." in response.get_data(as_text=True)


def test_register_without_identity_with_photo(world, client, auth):
    auth.login("pekerja")
    data = case_form(
        full_name="",
        identity_unknown="y",
        birth_date="",
        estimated_age="45",
        phone="",
        physical_description="Rambut gondrong, kaos merah lusuh, bekas luka di dahi.",
        found_place="Emperan Pasar Butung",
        found_at="2026-11-19T22:15",
        category="P:09",
    )
    data["photo"] = (io.BytesIO(png_bytes()), "foto.png")
    response = client.post("/cases/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    case = db.session.scalar(select(Case).order_by(Case.id.desc()))
    person = case.person
    assert not person.identity_known and person.full_name == ""
    assert person.birth_year == office_today().year - 45
    photo = db.session.get(Attachment, person.photo_id)
    assert photo.mimetype == "image/png" and photo.size > 0
    shown = client.get(f"/people/{person.id}/photo")
    assert shown.status_code == 200 and shown.data == photo.data
    assert shown.headers["Cache-Control"] == "private, no-store"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "identitas belum diketahui" in page and "Rambut gondrong" in page


def test_without_identity_description_and_place_are_required(world, client, auth):
    auth.login("pekerja")
    response = client.post(
        "/cases/new", data=case_form(full_name="", identity_unknown="y", birth_date="")
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "ciri-ciri fisik wajib diisi" in text
    assert "tempat ditemukan wajib diisi" in text
    assert "Isi tanggal lahir atau perkiraan umur." in text
    # the fields required without identity say so before they are sent
    form = client.get("/cases/new").get_data(as_text=True)
    assert form.count("(wajib bila tanpa identitas)") == 2
    assert "(wajib bila tanggal lahir kosong)" in form


def test_a_photo_must_be_an_image(world, client, auth):
    auth.login("pekerja")
    data = case_form()
    data["photo"] = (io.BytesIO(b"<?php echo 1; ?>"), "foto.png")
    response = client.post("/cases/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "bukan foto" in response.get_data(as_text=True)
    # reported in the same pass as the other fields' errors, not after they are fixed
    data = case_form(summary="")
    data["photo"] = (io.BytesIO(b"bukan gambar, hanya teks"), "foto.jpg")
    response = client.post("/cases/new", data=data, content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "bukan foto" in text
    assert 'id="summary-errors"' in text
    data = case_form()
    data["photo"] = (io.BytesIO(b"GIF89a"), "foto.gif")
    response = client.post("/cases/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "JPG, PNG atau WebP" in response.get_data(as_text=True)


def test_a_too_large_upload_is_refused(world, client, auth, app):
    app.config["PHOTO_MAX_BYTES"] = 1000
    auth.login("pekerja")
    data = case_form()
    data["photo"] = (io.BytesIO(png_bytes((600, 600))), "besar.png")
    response = client.post("/cases/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "terlalu besar" in response.get_data(as_text=True)


def test_required_fields_missing_answer_422_and_keep_input(world, client, auth):
    auth.login("pekerja")
    response = client.post(
        "/cases/new", data=case_form(summary="", channel="", category="", sex="", reported_at="")
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert text.count("Wajib diisi.") >= 2
    assert "Pilih jenis kelamin." in text
    assert "Isi tanggal dan jam laporan." in text
    assert 'value="Rahmat Hidayat"' in text  # what was typed is kept
    assert 'value="Pasar Terong"' in text
    assert db.session.scalar(select(func.count()).select_from(Case)) == 3


def test_over_long_text_is_refused(world, client, auth):
    auth.login("pekerja")
    response = client.post("/cases/new", data=case_form(full_name="A" * 121, summary="x" * 5001))
    assert response.status_code == 422
    assert "120" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nik", "12345", "16 digit"),
        ("nik", "7371013102850003", "tidak mungkin ada"),
        ("kk_number", "12", "No. KK harus terdiri dari 16 digit"),
        ("phone", "12", "Nomor telepon tidak dikenali"),
        ("birth_date", "2090-01-01", "masa depan"),
        ("reported_at", "2099-01-01T10:00", "masa depan"),
        ("reported_at", "1890-01-01T10:00", "tidak masuk akal"),
        ("estimated_age", "300", "antara 0 dan 120"),
        ("district_code", "64.71.01", "Pilih wilayah dari daftar."),
        ("village_code", "73.71.02.1001", "Pilih wilayah dari daftar."),
    ],
)
def test_invalid_values_are_explained_beside_the_field(world, client, auth, field, value, message):
    auth.login("pekerja")
    response = client.post("/cases/new", data=case_form(**{field: value}))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in text
    assert f'id="{field}-errors"' in text


def test_nik_matching_the_form(world, client, auth):
    auth.login("pekerja")
    ok = client.post("/cases/new", data=case_form(nik="7371010203850004"))
    assert ok.status_code == 302
    assert db.session.scalar(select(Person).where(Person.nik == "7371010203850004"))
    wrong_sex = client.post("/cases/new", data=case_form(nik="7371014203850005"))
    assert wrong_sex.status_code == 422
    assert "Jenis kelamin tidak cocok" in wrong_sex.get_data(as_text=True)


def test_nik_with_unknown_region_is_accepted_with_a_warning(world, client, auth):
    auth.login("pekerja")
    check = client.get("/cases/check-nik?nik=7399990203850004&sex=L&birth_date=1985-03-02")
    assert check.status_code == 200
    assert "pemekaran" in check.get_data(as_text=True)
    response = client.post("/cases/new", data=case_form(nik="7399990203850004"))
    assert response.status_code == 302


def test_inline_nik_check_says_what_is_wrong(world, client, auth):
    auth.login("pekerja")
    text = client.get("/cases/check-nik?nik=7371013102850003").get_data(as_text=True)
    assert "tidak mungkin ada" in text
    text = client.get("/cases/check-nik?nik=7371014203850005&sex=P").get_data(as_text=True)
    assert "Struktur NIK benar" in text and "2 Maret 1985" in text


def test_second_person_with_existing_nik_is_refused_with_a_link(world, client, auth, factory):
    existing = factory.case(world["office"], world["worker"], nik="7371010203850004")
    auth.login("pekerja")
    response = client.post("/cases/new", data=case_form(full_name="Orang Lain"))
    assert response.status_code == 302
    response = client.post(
        "/cases/new", data=case_form(full_name="Orang Lain Lagi", nik="7371010203850004")
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "NIK ini sudah terdaftar untuk orang lain." in text
    assert f"/cases/new?person={existing.person_id}" in text


def test_same_nik_in_another_office_is_a_different_register(world, client, auth, factory):
    factory.case(world["other_office"], world["other_worker"], nik="7371010203850004")
    auth.login("pekerja")
    response = client.post("/cases/new", data=case_form(nik="7371010203850004"))
    assert response.status_code == 302


def test_register_a_new_case_for_an_existing_person(world, client, auth):
    person = world["case"].person
    auth.login("pekerja")
    page = client.get(f"/cases/new?person={person.id}").get_data(as_text=True)
    assert "Untuk orang yang sudah terdaftar" in page and "Andi Baso" in page
    response = client.post(f"/cases/new?person={person.id}", data=case_form(full_name="ignored"))
    assert response.status_code == 302
    cases = db.session.scalars(select(Case).where(Case.person_id == person.id)).all()
    assert len(cases) == 2
    assert db.session.scalar(select(func.count()).select_from(Person)) == 3
    file_page = client.get(f"/cases/{cases[-1].id}").get_data(as_text=True)
    assert world["case"].number in file_page  # the other case of this person is linked


def test_a_worker_cannot_register_for_a_person_they_cannot_see(world, client, auth):
    auth.login("pekerja")
    assert client.get(f"/cases/new?person={world['case2'].person_id}").status_code == 404


def test_html_in_every_text_field_is_shown_escaped(world, client, auth):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    auth.login("pekerja")
    fields = [
        "full_name",
        "birth_place",
        "street",
        "reporter_name",
        "place",
        "summary",
    ]
    response = client.post("/cases/new", data=case_form(**{f: evil for f in fields}))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    listing = client.get("/cases").get_data(as_text=True)
    assert "<script>alert" not in listing


def test_html_typed_is_kept_escaped_on_a_failed_form(world, client, auth):
    auth.login("pekerja")
    response = client.post(
        "/cases/new", data=case_form(full_name='"><script>x</script>', summary="")
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>x</script>" not in text
    assert "&#34;&gt;&lt;script&gt;x&lt;/script&gt;" in text


# --- possible duplicates while typing -----------------------------------------------------


def dup(client, **params):
    response = client.get("/cases/duplicates", query_string=params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_duplicates_by_nik_and_kk(world, client, auth, factory):
    factory.case(
        world["office"],
        world["worker"],
        full_name="Hasnah Daeng Ngai",
        sex="P",
        nik="7371015203850004",
        kk_number="7371010101090007",
    )
    auth.login("pekerja")
    text = dup(client, nik="7371015203850004")
    assert "Hasnah Daeng Ngai" in text and "NIK sama" in text
    assert "7371********0004" in text and "7371015203850004" not in text
    text = dup(client, kk_number="7371-0101-0109-0007")
    assert "Hasnah Daeng Ngai" in text and "No. KK sama (keluarga?)" in text


@pytest.mark.parametrize(
    "typed",
    ["Muhammad Djoko Soesilo", "M. Joko Susilo", "Moh. Djoko Susilo", "Mohammad Jokko Susillo"],
)
def test_duplicates_by_name_variant_and_close_birth_year(world, client, auth, factory, typed):
    factory.case(
        world["office"],
        world["worker"],
        full_name="Mochammad Joko Susilo",
        birth_date=date(1979, 5, 14),
        estimated_age=None,
    )
    auth.login("pekerja")
    text = dup(client, full_name=typed, birth_date="1980-01-01")
    assert "Mochammad Joko Susilo" in text and "Nama mirip" in text
    assert "Kasus terbuka" in text
    far = dup(client, full_name=typed, birth_date="1950-01-01")
    assert "Mochammad Joko Susilo" not in far


def test_duplicates_by_name_and_same_region_without_birth_year(world, client, auth, factory):
    factory.case(world["office"], world["worker"], full_name="Tjahjo Wibowo", estimated_age=None)
    auth.login("pekerja")
    text = dup(client, full_name="Cahyo Wibowo", district_code="73.71.01")
    assert "Tjahjo Wibowo" in text


def test_duplicates_never_cross_offices(world, client, auth):
    auth.login("pekerja")
    text = dup(client, full_name="Budi Santoso")
    assert "Budi Santoso" not in text


def test_duplicates_a_worker_may_not_open_are_only_counted(world, client, auth):
    auth.login("pekerja")
    text = dup(client, full_name="Sitti Rahmah", estimated_age="40")
    assert "Sitti Rahmah" not in text
    assert "1 kemungkinan lain" in text


def test_region_selects_fill_each_other(world, client, auth):
    auth.login("pekerja")
    text = client.get("/regions/options?from=province_code&province_code=73").get_data(as_text=True)
    assert 'value="73.71"' in text and "Kota Makassar" in text
    assert 'id="district_code" hx-swap-oob="innerHTML"' in text
    text = client.get("/regions/options?from=district_code&district_code=73.71.01").get_data(
        as_text=True
    )
    assert "Bontorannu" in text
    assert client.get("/regions/options?from=nope").status_code == 400


def test_the_form_preselects_the_offices_region(world, client, auth):
    auth.login("pekerja")
    page = client.get("/cases/new").get_data(as_text=True)
    assert '<option selected value="73.71">Kota Makassar</option>' in page
    assert "Mariso" in page  # the kecamatan of Makassar are there to choose

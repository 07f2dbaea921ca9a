"""/admin: users, the office, partner organisations, local case types, the audit log."""

import io

from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Case, LocalCaseType, Office, Organisation, User
from tests.conftest import PASSWORD


def user_form(**overrides):
    data = {
        "username": "pekerja3",
        "full_name": "Baso Tang",
        "email": "",
        "role": "worker",
        "position": "Pekerja Sosial",
        "nip": "19680304 199003 1 005",
        "password": "Tanjung-Bunga-45",
        "active": "y",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user_who_can_log_in(world, client, auth, app):
    auth.login("admin")
    response = client.post("/admin/users/new", data=user_form())
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "pekerja3"))
    assert user.office_id == world["office"].id and user.role == "worker"
    assert user.nip == "196803041990031005"
    assert "Tanjung-Bunga-45" not in user.password_hash
    other = app.test_client()
    assert (
        other.post(
            "/login", data={"username": "pekerja3", "password": "Tanjung-Bunga-45"}
        ).status_code
        == 302
    )
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "user.create"))


def test_user_form_errors(world, client, auth):
    auth.login("admin")
    taken = client.post("/admin/users/new", data=user_form(username="pekerja"))
    assert taken.status_code == 422
    assert "sudah dipakai" in taken.get_data(as_text=True)
    bad = client.post(
        "/admin/users/new",
        data=user_form(username="a b", password="123", nip="123", full_name="", email="x@"),
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Hanya huruf" in text and "minimal 10 karakter" in text and "18 digit" in text
    assert "Wajib diisi." in text and "e-mail tidak sah" in text
    no_password = client.post("/admin/users/new", data=user_form(password=""))
    assert "Kata sandi awal wajib diisi." in no_password.get_data(as_text=True)


def test_deactivating_a_user_ends_their_session(world, app, client, auth):
    worker_client = app.test_client()
    worker_client.post("/login", data={"username": "pekerja", "password": PASSWORD})
    assert worker_client.get("/cases").status_code == 200
    auth.login("admin")
    worker = world["worker"]
    data = user_form(username="pekerja", full_name=worker.full_name, password="", nip="")
    data.pop("active")
    response = client.post(f"/admin/users/{worker.id}", data=data)
    assert response.status_code == 302
    assert worker_client.get("/cases").status_code == 302
    assert (
        worker_client.post("/login", data={"username": "pekerja", "password": PASSWORD}).status_code
        == 422
    )


def test_admin_cannot_lock_themselves_out(world, client, auth):
    auth.login("admin")
    admin = world["admin"]
    data = user_form(
        username="admin", full_name=admin.full_name, role="worker", password="", nip=""
    )
    response = client.post(f"/admin/users/{admin.id}", data=data)
    assert response.status_code == 422
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_reset_password_unlocks(world, client, auth, app):
    auth.login("admin")
    worker = world["worker"]
    response = client.post(
        f"/admin/users/{worker.id}/password", data={"password": "jalan lurus 88 ke pantai"}
    )
    assert response.status_code == 302
    other = app.test_client()
    assert (
        other.post(
            "/login", data={"username": "pekerja", "password": "jalan lurus 88 ke pantai"}
        ).status_code
        == 302
    )


def test_admin_cannot_touch_another_offices_user(world, client, auth):
    auth.login("admin")
    target = world["other_manager"]
    assert client.get(f"/admin/users/{target.id}").status_code == 404
    assert (
        client.post(f"/admin/users/{target.id}/password", data={"password": "x" * 9}).status_code
        == 404
    )


def office_form(office, **overrides):
    data = {
        "version": str(office.version_id),
        "name": office.name,
        "government_line": "PEMERINTAH KOTA MAKASSAR",
        "city": "Makassar",
        "region_code": "73.71",
        "address": "Jl. Arief Rate No. 1",
        "phone": "(0411) 3615282",
        "email": "dinsos@makassarkota.go.id",
        "website": "dinsos.makassarkota.go.id",
        "timezone": "Asia/Makassar",
        "letter_number_template": "{klasifikasi}/{nomor}/Dinsos/{bulan_romawi}/{tahun}",
        "letter_numbering": "simpul",
        "letter_font_size": "11",
        "letter_margin_top": "1.5",
        "letter_margin_right": "2.0",
        "letter_margin_bottom": "1.5",
        "letter_margin_left": "2.5",
        "sifat__rujukan_rsj": "Rahasia",
        "sifat__pengantar_pemulangan": "Biasa",
        "sifat__rujukan_panti": "Biasa",
        "sifat__rujukan_layanan": "Biasa",
        "head_title": "Kepala Dinas Sosial Kota Makassar",
        "head_name": "Drs. H. Andi Mappaewa, M.Si.",
        "head_rank": "Pembina Utama Muda (IV/c)",
        "head_nip": "19680304 199003 1 005",
        "signing_mode": "head",
        "closure_approval": "y",
        "followup_days_rsj": "14",
        "followup_days_return_home": "3",
        "followup_days_placement": "30",
        "followup_days_service": "0",
        "retention_years": str(office.retention_years),
        "letter_archive_years": str(office.letter_archive_years),
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def test_office_settings_with_logo(world, client, auth):
    auth.login("admin")
    office = world["office"]
    logo = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 0, 0)).save(logo, "PNG")
    data = office_form(office)
    data["logo_file"] = (io.BytesIO(logo.getvalue()), "logo.png")
    response = client.post("/admin/office", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    office = db.session.get(Office, office.id)
    assert office.government_line == "PEMERINTAH KOTA MAKASSAR"
    assert office.logo_mimetype == "image/png"
    assert client.get("/admin/office/logo").data == office.logo
    stale = client.post("/admin/office", data=office_form(office, version="1", city="Gowa"))
    assert stale.status_code == 422
    assert "sudah diubah orang lain" in stale.get_data(as_text=True)


def test_office_settings_refuse_a_bad_logo(world, client, auth):
    auth.login("admin")
    data = office_form(world["office"])
    data["logo_file"] = (io.BytesIO(b"not an image"), "logo.png")
    response = client.post("/admin/office", data=data, content_type="multipart/form-data")
    assert response.status_code == 422


def test_partner_organisation(world, client, auth):
    auth.login("admin")
    response = client.post(
        "/admin/organisations/new",
        data={
            "name": "RSJ Atma Husada Mahakam",
            "kind": "rsj",
            "province": "64",
            "region_code": "64.72",
            "address": "Jl. Kakap 23",
            "active": "y",
        },
    )
    assert response.status_code == 302
    org = db.session.scalar(select(Organisation))
    assert org.region_code == "64.72" and org.office_id == world["office"].id
    page = client.get("/admin/").get_data(as_text=True)
    assert "RSJ Atma Husada Mahakam" in page and "Kota Samarinda" in page
    bad = client.post(
        "/admin/organisations/new",
        data={"name": "", "kind": "rsj", "province": "64", "region_code": "73.71"},
    )
    assert bad.status_code == 422


def test_local_case_type_mapping_moves_its_cases(world, client, auth, factory):
    odgj = db.session.scalar(
        select(LocalCaseType).where(
            LocalCaseType.office_id == world["office"].id, LocalCaseType.name == "ODGJ terlantar"
        )
    )
    case = factory.case(world["office"], world["worker"], ppks_code="09", local_type_id=odgj.id)
    auth.login("admin")
    response = client.post(
        f"/admin/case-types/{odgj.id}",
        data={"name": "ODGJ terlantar", "ppks_code": "25", "description": "", "active": "y"},
    )
    assert response.status_code == 302
    assert db.session.get(Case, case.id).ppks_code == "25"
    new = client.post(
        "/admin/case-types/new", data={"name": "Korban kebakaran", "ppks_code": "22", "active": "y"}
    )
    assert new.status_code == 302
    duplicate = client.post(
        "/admin/case-types/new", data={"name": "Korban kebakaran", "ppks_code": "22"}
    )
    assert duplicate.status_code == 422


def test_audit_log_page_is_read_only(world, client, auth):
    auth.login("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "login" in page
    assert client.post("/admin/audit").status_code == 405
    assert client.delete("/admin/audit").status_code == 405
    filtered = client.get("/admin/audit?action=case.view").get_data(as_text=True)
    assert "Belum ada catatan." in filtered


def test_letter_settings(world, client, auth):
    auth.login("admin")
    office = world["office"]
    bad = client.post(
        "/admin/office",
        data=office_form(office, letter_number_template="{nomor}/{tanggal}", signing_mode="plt"),
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Tidak dikenal: {tanggal}" in text and "{tahun}" in text
    assert "Isi nama pejabat yang menandatangani." in text
    ok = client.post(
        "/admin/office",
        data=office_form(
            office,
            letter_number_template="{klasifikasi}/{nomor}/Dissos/{bulan_romawi}/{tahun}",
            cls__rehsos__rujukan_rsj="460",
            signing_mode="an",
            signer_name="Drs. Muhammad Syarif",
            signer_position="Kepala Bidang Rehabilitasi Sosial",
            signer_nip="197406121999031004",
        ),
    )
    assert ok.status_code == 302
    office = db.session.get(Office, office.id)
    assert office.letter_classifications == {"rehsos": {"rujukan_rsj": "460"}}
    assert office.signing_mode == "an" and office.head_nip == "196803041990031005"


def test_admin_page_warns_when_the_public_url_is_not_set(app, world, client, auth):
    auth.login("admin")
    app.config.update(TESTING=False, PUBLIC_URL=None)
    try:
        page = client.get("/admin/").get_data(as_text=True)
        assert "PORTAL_PUBLIC_URL" in page
        app.config["PUBLIC_URL"] = "https://simpul.makassarkota.go.id"
        assert "PORTAL_PUBLIC_URL" not in client.get("/admin/").get_data(as_text=True)
    finally:
        app.config.update(TESTING=True, PUBLIC_URL=None)
    assert "PORTAL_PUBLIC_URL" not in client.get("/admin/").get_data(as_text=True)

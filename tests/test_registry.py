"""Social-registry status (issue 14 part C): a worker records what cek bansos showed, the case
list finds who is not yet in DTSEN, the report counts them, and a manager's SIKS-NG file
updates many people at once after a preview matched by NIK."""

import io
import re
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, PersonRegistry, RegistryCheck, RegistryImport
from portal.services import registry
from portal.services import reports as report_service

from .conftest import office_today

NIK_A, NIK_B, NIK_C = "7371011405790003", "7371010202800004", "7371014505850001"


def login(client, user):
    client.post("/logout")
    assert (
        client.post(
            "/login", data={"username": user.username, "password": "rahasia123"}
        ).status_code
        == 302
    )


def form_values(**over):
    values = {
        "dtsen_status": "proposed", "decile": "2", "insurance": "pbi",
        "insurance_number": "0001234567890", "aid": ["pkh", "bpnt"], "aid_other": "",
        "checked_on": office_today().isoformat(), "source": "cek_bansos", "version": "0",
    }  # fmt: skip
    return values | over


@pytest.fixture
def people(world, factory):
    office, worker = world["office"], world["worker"]
    a = factory.case(office, worker, full_name="Daeng Ngai", nik=NIK_A)
    b = factory.case(office, worker, full_name="Nurhayati", nik=NIK_B, sex="P")
    c = factory.case(office, worker, full_name="Baso Tang", nik=NIK_C)
    return {"a": a, "b": b, "c": c}


def test_recording_a_status_from_the_case_file(client, world, people):
    case = people["a"]
    login(client, world["worker"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Registrasi sosial" in page and "Belum dicek di DTKS/DTSEN" in page
    form = client.get(f"/people/{case.person_id}/registry?case={case.id}")
    assert form.status_code == 200
    assert f'value="{office_today().isoformat()}"' in form.get_data(as_text=True)
    response = client.post(f"/people/{case.person_id}/registry?case={case.id}", data=form_values())
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/cases/{case.id}"
    )
    row = db.session.get(PersonRegistry, case.person_id)
    assert (row.dtsen_status, row.decile, row.insurance, row.aid) == (
        "proposed",
        2,
        "pbi",
        ["pkh", "bpnt"],
    )
    assert row.checked_on == office_today() and row.source == "cek_bansos"
    page = client.get(f"/people/{case.person_id}").get_data(as_text=True)
    assert "Diusulkan masuk DTSEN" in page and "desil 2" in page and "0001234567890" in page
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "person.registry")).one()
    assert entry.object_id == case.person_id and entry.details["changes"]["dtsen_status"] == [
        None,
        "proposed",
    ]
    # a second check keeps the first in the history
    client.post(
        f"/people/{case.person_id}/registry",
        data=form_values(dtsen_status="registered", version="1"),
    )
    assert db.session.get(PersonRegistry, case.person_id).dtsen_status == "registered"
    assert len(db.session.scalars(select(RegistryCheck)).all()) == 2


def test_bad_input_is_refused_with_the_form_kept(client, world, people):
    person_id = people["a"].person_id
    login(client, world["worker"])
    future = (office_today() + timedelta(days=2)).isoformat()
    response = client.post(
        f"/people/{person_id}/registry", data=form_values(decile="11", checked_on=future)
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Desil antara 1 dan 10." in text and "tidak boleh setelah hari ini" in text
    assert 'value="0001234567890"' in text
    assert db.session.get(PersonRegistry, person_id) is None
    # a form opened before someone else's check is refused as stale
    client.post(f"/people/{person_id}/registry", data=form_values())
    stale = client.post(
        f"/people/{person_id}/registry", data=form_values(dtsen_status="registered")
    )
    assert stale.status_code == 409
    assert db.session.get(PersonRegistry, person_id).dtsen_status == "proposed"


def test_who_may_record(client, world, people):
    person_id = world["case"].person_id  # worker's case
    for user, status in (
        (world["worker2"], 404),
        (world["other_manager"], 404),
        (world["admin"], 403),
    ):
        login(client, user)
        assert (
            client.post(f"/people/{person_id}/registry", data=form_values()).status_code == status
        )
    assert db.session.get(PersonRegistry, person_id) is None
    login(client, world["manager"])
    assert client.post(f"/people/{person_id}/registry", data=form_values()).status_code == 303


def _record(user, case, status):
    values = {"dtsen_status": status, "checked_on": office_today(), "source": "siks_ng"}
    registry.record(user, case.person, values)
    db.session.commit()


def test_filter_badge_and_report_count(client, world, people):
    manager = world["manager"]
    _record(manager, people["a"], "not_registered")
    _record(manager, people["b"], "proposed")
    _record(manager, people["c"], "registered")
    login(client, manager)
    page = client.get("/cases?registry=belum").get_data(as_text=True)
    assert "2 kasus" in page and "Daeng Ngai" in page and "Nurhayati" in page
    assert "Baso Tang" not in page and "Andi Baso" not in page
    assert "Tidak terdaftar" in page and "Diusulkan masuk DTSEN" in page
    page = client.get("/cases?registry=unchecked").get_data(as_text=True)
    assert "Andi Baso" in page and "Daeng Ngai" not in page
    assert "Baso Tang" in client.get("/cases?registry=registered").get_data(as_text=True)
    today = office_today()
    report = report_service.build(manager, report_service.Period.month(today.year, today.month))
    assert report.unregistered == 2
    assert "2 orang dari kasus yang masih aktif belum terdaftar DTSEN" in " ".join(report.summary)
    page = client.get(f"/reports?year={today.year}&month={today.month}").get_data(as_text=True)
    assert "Belum terdaftar DTSEN: 2 orang" in page
    # a worker's report counts his own cases only
    worker_report = report_service.build(world["worker2"], report.period)
    assert worker_report.unregistered == 0


def _csv(rows) -> bytes:
    return "\n".join(";".join(r) for r in rows).encode()


def _upload(client, data: bytes, name="cek.csv"):
    return client.post(
        "/registry/import",
        data={"file": (io.BytesIO(data), name), "checked_on": office_today().isoformat()},
        content_type="multipart/form-data",
    )


def test_upload_previews_by_nik_and_applies(client, world, people):
    manager = world["manager"]
    _record(manager, people["c"], "registered")
    book = Workbook()
    sheet = book.active
    sheet.append(["NO", "NIK", "NAMA", "STATUS DTKS/DTSEN", "DESIL", "PBI", "PKH", "BPNT"])
    sheet.append([1, int(NIK_A), "DAENG NGAI", "TIDAK TERDAFTAR", "", "TIDAK", "", ""])
    sheet.append([2, NIK_B, "NURHAYATI", "TERDAFTAR", "DESIL 1", "YA", "YA", "YA"])
    sheet.append([3, "7371011212900002", "ORANG LAIN", "TERDAFTAR", 3, "YA", "", ""])
    sheet.append([4, "12345", "SALAH KETIK", "TERDAFTAR", 3, "", "", ""])
    sheet.append([5, NIK_C, "BASO TANG", "TERDAFTAR", "", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    login(client, manager)
    response = _upload(client, out.getvalue(), "hasil.xlsx")
    assert response.status_code == 303
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Cocok: 3" in preview
        and "NIK tidak ditemukan: 1" in preview
        and "NIK tidak sah: 1" in preview
    )
    assert (
        "Daeng Ngai" in preview and "Terapkan ke <span data-apply-count>3</span> orang" in preview
    )
    assert "Tidak terdaftar" in preview and "tidak berubah" in preview  # Baso Tang: as before
    assert "— → <strong>—</strong>" not in preview  # QA: empty to empty is no change
    assert db.session.get(PersonRegistry, people["a"].person_id) is None  # nothing yet
    item = db.session.scalars(select(RegistryImport)).one()
    applied = client.post(response.headers["Location"], data={})
    assert applied.status_code == 303
    db.session.expire_all()
    a = db.session.get(PersonRegistry, people["a"].person_id)
    b = db.session.get(PersonRegistry, people["b"].person_id)
    assert (a.dtsen_status, a.insurance, a.source) == ("not_registered", "none", "siks_ng")
    assert (b.dtsen_status, b.decile, b.insurance, b.aid) == (
        "registered",
        1,
        "pbi",
        ["pkh", "bpnt"],
    )
    audited = db.session.scalars(
        select(AuditLog.object_id).where(AuditLog.action == "person.registry")
    ).all()
    assert set(audited) >= {people["a"].person_id, people["b"].person_id}
    # the stored preview keeps no names or NIKs once applied, and is not applied twice
    db.session.refresh(item)
    assert (
        item.applied_at is not None
        and NIK_A not in str(item.rows)
        and "DAENG" not in str(item.rows)
    )
    again = client.post(response.headers["Location"], data={})
    assert again.status_code == 409 and "sudah diterapkan" in again.get_data(as_text=True)


def test_upload_csv_and_refusals(client, world, people):
    login(client, world["manager"])
    rows = [["NIK", "NAMA", "STATUS DTSEN"], [NIK_A, "Daeng Ngai\xe9", "Diusulkan"]]
    response = _upload(client, "\n".join(";".join(r) for r in rows).encode("cp1252"))
    assert response.status_code == 303
    client.post(response.headers["Location"], data={})
    assert db.session.get(PersonRegistry, people["a"].person_id).dtsen_status == "proposed"
    cases = [
        (b"", "Berkasnya kosong."),
        (b"PK\x03\x04not really a zip", "Berkas XLSX tidak dapat dibaca."),
        (b"\x00\x01\x02binary", "bukan CSV atau XLSX"),
        (_csv([["NAMA", "ALAMAT"], ["X", "Y"]]), "Kolom NIK dan STATUS"),
        (b"NIK;STATUS\n" + b"x" * 300_000 + b";YA\n", "bukan CSV atau XLSX"),  # a huge field
        (b"NIK;STATUS\n", "tidak berisi baris data"),
        (b"NIK;STATUS\n" + b"1;TERDAFTAR\n" * 200_000, "Berkas terlalu besar"),
    ]
    for data, message in cases:
        refused = _upload(client, data)
        assert refused.status_code == 422, message
        assert message in refused.get_data(as_text=True)
    assert len(db.session.scalars(select(RegistryImport)).all()) == 1


def test_upload_is_for_the_office_managers(client, world, people):
    login(client, world["worker"])
    assert _upload(client, _csv([["NIK", "STATUS"], [NIK_A, "YA"]])).status_code == 403
    login(client, world["manager"])
    location = _upload(client, _csv([["NIK", "STATUS"], [NIK_A, "YA"]])).headers["Location"]
    item_id = int(re.search(r"/(\d+)$", location).group(1))
    login(client, world["other_manager"])
    assert client.get(f"/registry/imports/{item_id}").status_code == 404
    assert client.post(f"/registry/imports/{item_id}", data={}).status_code == 404
    login(client, world["worker"])
    assert client.post(f"/registry/imports/{item_id}", data={}).status_code == 403
    assert db.session.get(PersonRegistry, people["a"].person_id) is None


def test_the_demo_has_varied_statuses(runner):
    assert runner.invoke(args=["seed-demo", "--cases", "40"]).exit_code == 0
    statuses = set(db.session.scalars(select(PersonRegistry.dtsen_status)))
    assert {"registered", "not_registered", "proposed"} <= statuses
    assert db.session.scalar(select(RegistryCheck.id).limit(1)) is not None


def test_confirming_needs_the_csrf_token(csrf_app, world, people):
    from tests.test_csrf import token_from

    client = csrf_app.test_client()
    token = token_from(client.get("/login").get_data(as_text=True))
    client.post(
        "/login", data={"username": "manajer", "password": "rahasia123", "csrf_token": token}
    )
    data = _csv([["NIK", "STATUS"], [NIK_A, "TERDAFTAR"]])
    upload = {"file": (io.BytesIO(data), "cek.csv"), "checked_on": office_today().isoformat()}
    assert (
        client.post("/registry/import", data=upload, content_type="multipart/form-data").status_code
        == 400
    )
    token = token_from(client.get("/registry/import").get_data(as_text=True))  # after log-in
    upload = upload | {"file": (io.BytesIO(data), "cek.csv"), "csrf_token": token}
    location = client.post(
        "/registry/import", data=upload, content_type="multipart/form-data"
    ).headers["Location"]
    assert client.post(location, data={}).status_code == 400
    assert db.session.get(PersonRegistry, people["a"].person_id) is None
    assert client.post(location, data={"csrf_token": token}).status_code == 303
    assert db.session.get(PersonRegistry, people["a"].person_id).dtsen_status == "registered"


def test_preview_warns_of_a_different_name_and_a_bad_decile_and_shows_the_result(
    client, world, people
):
    """QA of issue 14: a NIK that matches under another person's name was shown "Cocok" and
    applied; a desil of 12 vanished silently; after "Terapkan" the table was gone."""
    rows = [
        ["NIK", "NAMA", "STATUS DTSEN", "DESIL"],
        [NIK_A, "DG. NGAI", "TIDAK TERDAFTAR", ""],  # the same name, spelt otherwise
        [NIK_B, "SUPARMAN WIJAYA", "TERDAFTAR", "2"],  # another name under this NIK
        [NIK_C, "BASO TANG", "TERDAFTAR", "12"],  # no such decile
    ]
    login(client, world["manager"])
    location = _upload(client, _csv(rows)).headers["Location"]
    preview = client.get(location).get_data(as_text=True)
    assert "Cocok: 1" in preview and "NIK cocok, nama berbeda: 1" in preview
    assert "1 baris NIK-nya cocok tetapi namanya berbeda" in preview
    assert 'Nama di berkas "SUPARMAN WIJAYA", di data kami "Nurhayati"' in preview
    assert "Desil tidak sah (harus 1-10): 1" in preview and 'desil di berkas "12"' in preview
    applied = client.post(location, data={}, follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PersonRegistry, people["a"].person_id).dtsen_status == "not_registered"
    assert db.session.get(PersonRegistry, people["b"].person_id) is None  # skipped by default
    assert db.session.get(PersonRegistry, people["c"].person_id) is None
    # the result stays on the page: what was applied, what was skipped and why
    assert "Baris diterapkan: 1; dilewati: 2." in applied
    assert "Dilewati: NIK cocok, nama berbeda" in applied and "Nurhayati" in applied
    assert "Dilewati: Desil tidak sah (harus 1-10)" in applied and "Daeng Ngai" in applied


def test_a_row_whose_name_differs_is_applied_once_the_manager_ticks_it(client, world, people):
    rows = [["NIK", "NAMA", "STATUS DTSEN"], [NIK_B, "SUPARMAN WIJAYA", "TERDAFTAR"]]
    login(client, world["manager"])
    location = _upload(client, _csv(rows)).headers["Location"]
    assert 'name="confirm" value="2"' in client.get(location).get_data(as_text=True)
    assert client.post(location, data={"confirm": ["2"]}).status_code == 303
    db.session.expire_all()
    assert db.session.get(PersonRegistry, people["b"].person_id).dtsen_status == "registered"
    done = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "registry.import_apply")
    ).one()
    assert done.details["confirmed"] == [2]


def test_not_registered_with_a_decile_is_refused_and_the_filter_says_what_it_finds(
    client, world, people
):
    """QA of issue 14: "Tidak terdaftar" was stored with a desil; the filter "Belum terdaftar
    DTSEN (semua)" left out the people never checked."""
    person_id = people["a"].person_id
    login(client, world["worker"])
    response = client.post(
        f"/people/{person_id}/registry", data=form_values(dtsen_status="not_registered")
    )  # desil 2
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Orang yang tidak terdaftar di DTSEN tidak punya desil" in text
    assert db.session.get(PersonRegistry, person_id) is None
    rows = [["NIK", "NAMA", "STATUS DTSEN", "DESIL"], [NIK_A, "DAENG NGAI", "TIDAK TERDAFTAR", "4"]]
    login(client, world["manager"])
    location = _upload(client, _csv(rows)).headers["Location"]
    preview = client.get(location).get_data(as_text=True)
    assert "Desil untuk orang yang tidak terdaftar: 1" in preview
    refused = client.post(location, data={})  # nothing in the file can be applied
    assert refused.status_code == 422 and "Tidak ada baris yang akan diterapkan" in refused.text
    assert db.session.get(PersonRegistry, person_id) is None
    page = client.get("/cases").get_data(as_text=True)
    assert "Belum terdaftar DTSEN (tidak terdaftar atau diusulkan)" in page
    assert "(semua)" not in page


def test_a_preview_left_for_more_than_a_day_can_no_longer_be_seen_or_applied(client, world, people):
    login(client, world["manager"])
    response = _upload(
        client, _csv([["NIK", "NAMA", "STATUS DTSEN"], [NIK_A, "Daeng Ngai", "Diusulkan"]])
    )
    item = db.session.scalars(select(RegistryImport)).one()
    item.at -= timedelta(days=1, minutes=1)  # nobody confirmed it within a day
    db.session.commit()
    seen = client.get(response.headers["Location"])
    assert seen.status_code == 404 and "kedaluwarsa" in seen.get_data(as_text=True)
    assert "Daeng Ngai" not in seen.get_data(as_text=True)
    assert client.post(response.headers["Location"], data={}).status_code == 404
    assert db.session.get(PersonRegistry, people["a"].person_id) is None


def test_a_preview_older_than_a_later_change_skips_that_person(client, world, people):
    """QA: an old preview applied after a newer one showed "before" values no longer true and
    silently overwrote the newer status."""
    login(client, world["manager"])
    old = _upload(
        client,
        _csv([["NIK", "NAMA", "STATUS DTSEN", "DESIL"], [NIK_A, "Daeng Ngai", "Terdaftar", "3"]]),
    )
    new = _upload(
        client, _csv([["NIK", "NAMA", "STATUS DTSEN"], [NIK_A, "Daeng Ngai", "Tidak terdaftar"]])
    )
    assert client.post(new.headers["Location"], data={}).status_code == 303
    applied = client.post(old.headers["Location"], data={})
    assert applied.status_code == 303
    page = client.get(old.headers["Location"]).get_data(as_text=True)
    assert "Dilewati: Data registrasinya berubah sejak pratinjau" in page
    db.session.expire_all()
    status = db.session.get(PersonRegistry, people["a"].person_id)
    assert (status.dtsen_status, status.decile) == ("not_registered", None)


def test_a_file_without_a_decile_keeps_the_decile_of_a_registered_person(client, world, people):
    """QA: an empty DESIL cell (or a file without the column) erased the decile on record."""
    manager = world["manager"]
    registry.record(manager, people["a"].person, {"dtsen_status": "registered", "decile": 5,
                    "checked_on": office_today(), "source": "siks_ng"})  # fmt: skip
    registry.record(manager, people["b"].person, {"dtsen_status": "registered", "decile": 2,
                    "checked_on": office_today(), "source": "siks_ng"})  # fmt: skip
    db.session.commit()
    login(client, manager)
    rows = [["NIK", "NAMA", "STATUS DTSEN"], [NIK_A, "Daeng Ngai", "Terdaftar"],
            [NIK_B, "Nurhayati", "Tidak terdaftar"]]  # fmt: skip
    response = _upload(client, _csv(rows))
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Desil" not in preview.split("Daeng Ngai", 1)[1].split("</tr>", 1)[0]  # no change shown
    assert client.post(response.headers["Location"], data={}).status_code == 303
    db.session.expire_all()
    a = db.session.get(PersonRegistry, people["a"].person_id)
    b = db.session.get(PersonRegistry, people["b"].person_id)
    assert (a.dtsen_status, a.decile) == ("registered", 5)
    assert (b.dtsen_status, b.decile) == ("not_registered", None)  # outside DTSEN: no decile


def test_a_row_with_several_problems_shows_every_one(client, world, people):
    """QA: a row with two problems showed only the first."""
    rows = [
        ["NIK", "NAMA", "STATUS DTSEN", "DESIL"],
        [NIK_A, "DAENG NGAI", "ENTAHLAH", "12"],  # a status nobody knows and no such decile
        [NIK_B, "SUPARMAN WIJAYA", "MUNGKIN", ""],  # another name, and an unknown status
        ["123", "SIAPA", "TIDAK TERDAFTAR", "3"],  # a bad NIK, and a decile for the unregistered
        [NIK_C, "BASO TANG", "TERDAFTAR", "2"],
    ]
    login(client, world["manager"])
    location = _upload(client, _csv(rows)).headers["Location"]
    preview = client.get(location).text
    cells = re.findall(r"<ul class=\"problems\">(.*?)</ul>", preview, re.S)
    assert len(cells) == 3
    assert "Desil tidak sah (harus 1-10)" in cells[0] and "Status tidak dikenali" in cells[0]
    assert 'desil di berkas "12"' in cells[0]
    assert "NIK cocok, nama berbeda" in cells[1] and "Status tidak dikenali" in cells[1]
    assert "NIK tidak sah" in cells[2] and "Desil untuk orang yang tidak terdaftar" in cells[2]
    assert "Status tidak dikenali: 2" in preview and "Cocok: 1" in preview
    assert 'name="confirm"' not in preview  # a row with another problem cannot be ticked
    applied = client.post(location, data={}, follow_redirects=True).text
    assert "Dilewati: Desil tidak sah (harus 1-10); Status tidak dikenali" in applied


def test_the_apply_button_counts_what_it_applies_and_nothing_chosen_is_refused(
    client, world, people
):
    """QA: "Terapkan ke 0 orang" could be clicked when only rows whose name differs were there,
    and applied nothing without a word."""
    rows = [["NIK", "NAMA", "STATUS DTSEN"], [NIK_B, "SUPARMAN WIJAYA", "TERDAFTAR"]]
    login(client, world["manager"])
    location = _upload(client, _csv(rows)).headers["Location"]
    preview = client.get(location).text
    assert 'data-apply-base="0">Terapkan ke <span data-apply-count>0</span> orang' in preview
    refused = client.post(location, data={})
    assert refused.status_code == 422
    assert "Tidak ada baris yang akan diterapkan: centang" in refused.text
    db.session.expire_all()
    assert db.session.get(RegistryImport, _id(location)).applied_at is None
    assert client.post(location, data={"confirm": ["2"]}).status_code == 303
    assert db.session.get(PersonRegistry, people["b"].person_id).dtsen_status == "registered"
    bad = [["NIK", "NAMA", "STATUS DTSEN"], ["123", "X", "TERDAFTAR"]]
    nothing = client.get(_upload(client, _csv(bad)).headers["Location"]).text
    assert 'data-apply-base="0" disabled>Terapkan ke <span data-apply-count>0</span>' in nothing
    matched = [["NIK", "NAMA", "STATUS DTSEN"], [NIK_A, "DG NGAI", "TERDAFTAR"]]
    one = client.get(_upload(client, _csv(matched)).headers["Location"]).text
    assert 'data-apply-base="1">Terapkan ke <span data-apply-count>1</span> orang' in one


def _id(location: str) -> int:
    return int(location.rstrip("/").rsplit("/", 1)[1])

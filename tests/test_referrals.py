"""Referrals: every transition allowed and refused, every role, the letter register."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog, Case, CaseEvent, Letter, Organisation, Referral, User
from portal.services import referrals as service
from portal.services.timeutil import local_today


@pytest.fixture
def orgs(world, factory):
    """The office's partners; the world's cases record their basis of processing (a referral
    shares the client's data: services.consent)."""
    factory.basis(world["case"])
    factory.basis(world["case2"])
    office = world["office"]
    items = {
        "rsj": Organisation(office_id=office.id, name="RSJ Dadi Makassar", kind="rsj"),
        "dinsos": Organisation(
            office_id=office.id, name="Dinas Sosial Kota Bandung", kind="dinsos"
        ),
        "panti": Organisation(office_id=office.id, name="UPTD Rehabilitasi Sosial", kind="panti"),
    }
    db.session.add_all(items.values())
    db.session.commit()
    return items


def today():
    return local_today("Asia/Makassar")


def rsj_form(orgs, **overrides):
    """A complete RSJ referral as the form posts it (rsj_values() as text)."""
    data = {name: _posted(value) for name, value in rsj_values(orgs).items()}
    data.update(overrides)
    return data


def _posted(value) -> str:
    if value is True:
        return "yes"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def rsj_values(orgs):
    """rsj_form() as the referral service takes it."""
    return {
        "organisation_id": orgs["rsj"].id,
        "medical_referral": True,
        "medical_doctor": "dr. Hasna",
        "medical_facility": "Puskesmas Kaluku Bodoa",
        "medical_date": today() - timedelta(days=2),
        "observations": "Berbicara sendiri, tidak tidur tiga malam.",
        "diagnosis": "Suspek skizofrenia paranoid",
        "insurance": "none",
        "family_status": "not",
        "family_reason": "Keluarga belum ditemukan.",
        "escort": "Rahmat, Nurul",
        "transport": "Ambulans Dinsos",
        "planned_date": today() + timedelta(days=1),
    }


def test_worker_submits_a_complete_rsj_referral(world, orgs, client, auth):
    auth.login("pekerja")
    data = rsj_form(orgs, submit_now="1")
    response = client.post(f"/cases/{world['case'].id}/referrals/new?kind=rsj", data=data)
    referral = db.session.scalar(select(Referral).order_by(Referral.id.desc()))
    assert response.status_code == 302
    assert referral.status == "submitted"
    assert referral.submitted_by_id == world["worker"].id
    kinds = db.session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == world["case"].id).order_by(CaseEvent.id)
    ).all()
    assert kinds[-2:] == ["referral_created", "referral_submitted"]
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "referral.submitted"))


def test_an_incomplete_referral_is_kept_as_draft_and_says_what_is_missing(
    world, orgs, client, auth
):
    auth.login("pekerja")
    data = rsj_form(orgs, organisation_id="", observations="", escort="", submit_now="1")
    response = client.post(f"/cases/{world['case'].id}/referrals/new?kind=rsj", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "RSJ tujuan wajib diisi sebelum diajukan." in text
    assert "Hasil pengamatan wajib diisi sebelum diajukan." in text
    assert "Petugas pendamping wajib diisi sebelum diajukan." in text
    assert "Berbicara sendiri" not in text or 'name="observations"' in text
    referral = db.session.scalar(select(Referral))
    assert referral.status == "draft"
    refused = client.post(f"/referrals/{referral.id}/submit")
    assert refused.status_code == 302
    assert db.session.get(Referral, referral.id).status == "draft"


def test_draft_can_be_saved_incomplete_then_completed(world, orgs, client, auth):
    auth.login("pekerja")
    response = client.post(
        f"/cases/{world['case'].id}/referrals/new?kind=rsj",
        data={"organisation_id": str(orgs["rsj"].id)},
    )
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Belum dapat diajukan" in page and "Hasil pengamatan" in page
    data = rsj_form(orgs, version=str(referral.version_id), submit_now="1")
    assert client.post(f"/referrals/{referral.id}/edit", data=data).status_code == 302
    assert db.session.get(Referral, referral.id).status == "submitted"


def _posted_version(page: str) -> str:
    """The hidden version field as the re-shown form posts it back."""
    import re

    found = re.search(r'name="version"[^>]*value="([^"]*)"', page) or re.search(
        r'value="([^"]*)"[^>]*name="version"', page
    )
    return found.group(1) if found else ""


def test_a_refused_referral_is_corrected_and_submitted_from_the_reshown_form(
    world, orgs, client, auth
):
    """Refused at submit, corrected twice on the re-shown form, then submitted: no 409."""
    auth.login("pekerja")
    data = rsj_form(orgs, observations="", escort="", submit_now="1")
    refused = client.post(f"/cases/{world['case'].id}/referrals/new?kind=rsj", data=data)
    assert refused.status_code == 422
    referral = db.session.scalar(select(Referral))
    still = client.post(
        f"/referrals/{referral.id}/edit",
        data=dict(data, observations="Gelisah", version=_posted_version(refused.text)),
    )
    assert still.status_code == 422
    assert "Petugas pendamping wajib diisi sebelum diajukan." in still.text
    assert "sudah diubah orang lain" not in still.text
    corrected = dict(rsj_form(orgs, submit_now="1"), version=_posted_version(still.text))
    assert client.post(f"/referrals/{referral.id}/edit", data=corrected).status_code == 302
    assert db.session.get(Referral, referral.id).status == "submitted"


def test_a_stale_referral_form_says_so_without_a_field_name(world, orgs, client, auth):
    auth.login("pekerja")
    client.post(
        f"/cases/{world['case'].id}/referrals/new?kind=rsj",
        data={"organisation_id": str(orgs["rsj"].id)},
    )
    referral = db.session.scalar(select(Referral))
    stale = rsj_form(orgs, version=str(referral.version_id - 1 or 99))
    response = client.post(f"/referrals/{referral.id}/edit", data=stale)
    assert response.status_code == 409
    assert "sudah diubah orang lain" in response.text
    assert "Version" not in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("planned_date", "2099-01-01", "terlalu jauh di masa depan"),
        ("planned_date", "1999-01-01", "terlalu jauh di masa lalu"),
        ("medical_date", "2099-01-01", "terlalu jauh di masa depan"),
        ("insurance_number", "12ab", "13 digit"),
        ("organisation_id", "999999", "Pilih organisasi dari daftar."),
        ("observations", "x" * 5001, "5000"),
    ],
)
def test_bad_referral_input_is_explained(world, orgs, client, auth, field, value, message):
    auth.login("pekerja")
    response = client.post(
        f"/cases/{world['case'].id}/referrals/new?kind=rsj", data=rsj_form(orgs, **{field: value})
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert 'value="Rahmat, Nurul"' in response.get_data(as_text=True)  # input kept
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.500.000", 1500000), ("1500000", 1500000), ("Rp 1,5 juta", 1500000), ("Rp1.500.000", 1500000),
     ("250 ribu", 250000)],
)  # fmt: skip
def test_rupiah_amounts_as_people_type_them(world, orgs, client, auth, typed, amount):
    auth.login("pekerja")
    data = {
        "destination_province": "32",
        "destination_regency_code": "32.73",
        "organisation_id": str(orgs["dinsos"].id),
        "route": "direct",
        "transport": "Kapal Pelni",
        "escort": "Andi",
        "planned_date": today().isoformat(),
        "ticket_cost": typed,
        "pocket_money": "200000",
    }
    response = client.post(f"/cases/{world['case'].id}/referrals/new?kind=return_home", data=data)
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert referral.ticket_cost == amount and referral.pocket_money == 200000
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert f"Rp{amount:,}".replace(",", ".") in page
    assert "Kota Bandung, Jawa Barat" in page


def test_unreadable_rupiah_is_refused(world, orgs, client, auth):
    auth.login("pekerja")
    response = client.post(
        f"/cases/{world['case'].id}/referrals/new?kind=return_home",
        data={"ticket_cost": "sejuta-an kira2", "destination_province": "32"},
    )
    assert response.status_code == 422
    assert "Jumlah tidak dikenali" in response.get_data(as_text=True)


@pytest.mark.office_clock
def test_manager_approves_and_the_letter_gets_the_next_number(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    response = client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    assert response.status_code == 302
    letter = db.session.scalar(select(Letter))
    now = today()
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][
        now.month - 1
    ]
    assert letter.number == f"400.9.4/1/Dinsos/{roman}/{now.year}"
    assert letter.kind == "rujukan_rsj" and letter.recipient == "Direktur RSJ Dadi Makassar"
    assert db.session.get(Referral, referral.id).status == "approved"
    assert db.session.get(Case, world["case"].id).status == "referred"
    page = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert "Rujukan disetujui" in page and letter.number in page
    second_case_referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    client.post(f"/referrals/{second_case_referral.id}/decide", data={"action": "approve"})
    numbers = db.session.scalars(select(Letter.serial).order_by(Letter.serial)).all()
    assert numbers == [1, 2]


def test_signatory_is_recorded_as_it_stood(world, orgs, client, auth, factory):
    office = world["office"]
    office.head_title, office.head_name, office.head_nip = (
        "Kepala Dinas Sosial Kota Uji",
        "Ir. Kepala",
        "1" * 18,
    )
    office.signing_mode, office.signer_name = "plt", "Drs. Pelaksana Tugas"
    db.session.commit()
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    letter = db.session.scalar(select(Letter))
    assert letter.signatory_prefix == "Plt."
    assert letter.signatory_position == "Plt. Kepala Dinas Sosial Kota Uji"
    assert letter.signatory_name == "Drs. Pelaksana Tugas"


def test_reject_needs_a_reason_and_return_needs_a_comment(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    client.post(f"/referrals/{referral.id}/decide", data={"action": "reject", "comment": " "})
    assert db.session.get(Referral, referral.id).status == "submitted"
    client.post(f"/referrals/{referral.id}/decide", data={"action": "return", "comment": ""})
    assert db.session.get(Referral, referral.id).status == "submitted"
    client.post(
        f"/referrals/{referral.id}/decide", data={"action": "return", "comment": "Lengkapi BPJS."}
    )
    assert db.session.get(Referral, referral.id).status == "returned"
    auth.logout()
    auth.login("pekerja")
    page = client.get(f"/referrals/{referral.id}/edit").get_data(as_text=True)
    assert "Lengkapi BPJS." in page
    referral = db.session.get(Referral, referral.id)
    data = rsj_form(orgs, version=str(referral.version_id), submit_now="1", insurance="none")
    assert client.post(f"/referrals/{referral.id}/edit", data=data).status_code == 302
    assert db.session.get(Referral, referral.id).status == "submitted"
    auth.logout()
    auth.login("manajer")
    client.post(
        f"/referrals/{referral.id}/decide", data={"action": "reject", "comment": "Tidak perlu."}
    )
    referral = db.session.get(Referral, referral.id)
    assert referral.status == "rejected" and referral.decision_comment == "Tidak perlu."
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 0


def test_a_submitted_referral_cannot_be_edited(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("pekerja")
    response = client.post(
        f"/referrals/{referral.id}/edit",
        data=rsj_form(orgs, version=str(referral.version_id), escort="X"),
    )
    assert response.status_code == 302
    assert db.session.get(Referral, referral.id).escort == "Rahmat, Nurul"


def test_nobody_decides_their_own_referral(world, orgs, client, auth, factory):
    second_manager = factory.user(world["office"], "manager", "manajer2")
    referral = factory.referral(world["case"], "submitted", by=world["manager"], **rsj_values(orgs))
    auth.login("manajer")
    client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    assert db.session.get(Referral, referral.id).status == "submitted"
    page = client.get("/approvals").get_data(as_text=True)
    assert "Anda mengajukan rujukan ini sendiri" in page
    auth.logout()
    auth.login(second_manager.username)
    client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    assert db.session.get(Referral, referral.id).status == "approved"


def test_only_managers_of_the_office_decide(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    for user, expected in (
        ("pekerja", 403),
        ("pekerja2", 403),
        ("admin", 403),
        ("bpp_manajer", 404),
    ):
        auth.login(user)
        assert (
            client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"}).status_code
            == expected
        )
        auth.logout()
    assert db.session.get(Referral, referral.id).status == "submitted"


@pytest.mark.parametrize(
    ("user", "status"),
    [("pekerja", 200), ("manajer", 200), ("pekerja2", 404), ("bpp_manajer", 404), ("admin", 403)],
)
def test_who_may_open_a_referral(world, orgs, client, auth, user, status, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login(user)
    assert client.get(f"/referrals/{referral.id}").status_code == status
    assert client.get(f"/referrals/{referral.id}/edit").status_code in (status, 302)


@pytest.mark.office_clock
def test_approved_referral_is_completed_with_a_handover(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    auth.logout()
    auth.login("pekerja")
    handover = {
        "handover_date": today().isoformat(),
        "handover_place": "IGD RSJ Dadi",
        "receiver_name": "Ns. Hasanah",
        "receiver_position": "Perawat jaga",
        "receiver_institution": "RSJ Dadi Makassar",
    }
    future = dict(handover, handover_date=(today() + timedelta(days=3)).isoformat())
    assert client.post(f"/referrals/{referral.id}/complete", data=future).status_code == 422
    before = dict(handover, handover_date=(today() - timedelta(days=30)).isoformat())
    response = client.post(f"/referrals/{referral.id}/complete", data=before)
    assert "sebelum rujukan disetujui" in response.get_data(as_text=True)
    missing = client.post(
        f"/referrals/{referral.id}/complete", data=dict(handover, receiver_name="")
    )
    assert missing.status_code == 422
    assert client.post(f"/referrals/{referral.id}/complete", data=handover).status_code == 302
    referral = db.session.get(Referral, referral.id)
    assert referral.status == "completed" and referral.receiver_name == "Ns. Hasanah"
    page = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert "Serah terima rujukan" in page and "Ns. Hasanah" in page
    again = client.post(f"/referrals/{referral.id}/complete", data=handover)
    assert again.status_code == 403


def test_cancel_needs_a_reason(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    response = client.post(f"/referrals/{referral.id}/cancel", data={"reason": ""})
    assert response.status_code == 422
    assert "Alasan pembatalan wajib diisi." in response.get_data(as_text=True)
    client.post(f"/referrals/{referral.id}/cancel", data={"reason": "Klien melarikan diri."})
    assert db.session.get(Referral, referral.id).status == "cancelled"
    assert db.session.get(Case, world["case"].id).status == "in_progress"
    assert db.session.scalar(select(Letter)).status == "valid"  # the number stays used


def test_transitions_refused_in_the_wrong_state(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "draft", **rsj_values(orgs))
    manager = db.session.scalar(select(User).where(User.username == "manajer"))
    referral = db.session.get(Referral, referral.id)
    for step in (
        lambda: service.approve(referral, manager),
        lambda: service.reject(referral, manager, "x"),
        lambda: service.return_for_changes(referral, manager, "x"),
        lambda: service.complete(referral, manager, service.Handover(today(), "x", "x", "x", "x")),
        lambda: service.cancel(referral, manager, "x"),
    ):
        with pytest.raises(service.TransitionRefused):
            step()
    db.session.rollback()


def test_health_data_only_for_assigned_worker_and_managers(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    assert "Suspek skizofrenia" in client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    approvals = client.get("/approvals").get_data(as_text=True)
    assert "Suspek skizofrenia" not in approvals and "Berbicara sendiri" not in approvals
    assert "Suspek skizofrenia" not in client.get("/cases").get_data(as_text=True)
    client.post(f"/cases/{world['case'].id}/assign", data={"worker": str(world["worker2"].id)})
    auth.logout()
    auth.login("pekerja")  # registered the case, no longer assigned
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Suspek skizofrenia" not in page and "disembunyikan" in page
    auth.logout()
    auth.login("pekerja2")
    assert "Suspek skizofrenia" in client.get(f"/referrals/{referral.id}").get_data(as_text=True)


def test_approvals_desk_oldest_first_inline_htmx(world, orgs, client, auth, factory):
    other_case = factory.case(world["office"], world["worker"], full_name="Kedua Orang")
    factory.basis(other_case)
    first = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("pekerja")
    client.post(
        f"/cases/{other_case.id}/referrals/new?kind=rsj", data=dict(rsj_form(orgs), submit_now="1")
    )
    auth.logout()
    auth.login("manajer")
    page = client.get("/approvals").get_data(as_text=True)
    assert page.index("Andi Baso") < page.index("Kedua Orang")
    assert client.get("/approvals/count").get_data(as_text=True).strip().endswith("2</span>")
    response = client.post(
        f"/referrals/{first.id}/decide", data={"action": "approve"}, headers={"HX-Request": "true"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert f'id="approval-{first.id}"' in text and "400.9.4/1/" in text
    refused = client.post(
        f"/referrals/{first.id}/decide",
        data={"action": "reject", "comment": "x"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    assert "tidak sedang menunggu keputusan" in refused.get_data(as_text=True)
    assert ">1</span>" in client.get("/approvals/count").get_data(as_text=True)


def test_worker_home_shows_decisions_since_last_look(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("pekerja")
    client.get("/")  # looked: nothing decided yet
    auth.logout()
    auth.login("manajer")
    client.post(
        f"/referrals/{referral.id}/decide", data={"action": "approve", "comment": "Segera."}
    )
    auth.logout()
    auth.login("pekerja")
    home = client.get("/").get_data(as_text=True)
    assert "Disetujui" in home and "Segera." in home and "400.9.4/1/" in home
    again = client.get("/").get_data(as_text=True)
    assert "Tidak ada keputusan baru." in again


def test_letter_register(world, orgs, client, auth, factory):
    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    client.post(f"/referrals/{referral.id}/decide", data={"action": "approve"})
    letter = db.session.scalar(select(Letter))
    page = client.get("/letters").get_data(as_text=True)
    assert letter.number in page and "Andi Baso" in page
    assert letter.number in client.get("/letters?q=400.9.4/1").get_data(as_text=True)
    assert letter.number in client.get("/letters?q=andi").get_data(as_text=True)
    assert letter.number not in client.get("/letters?kind=rujukan_panti").get_data(as_text=True)
    auth.logout()
    auth.login("pekerja")
    assert letter.number in client.get("/letters").get_data(as_text=True)
    auth.logout()
    auth.login("pekerja2")
    assert letter.number not in client.get("/letters").get_data(as_text=True)
    auth.logout()
    auth.login("bpp_manajer")
    assert letter.number not in client.get("/letters").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert client.get("/letters").status_code == 403


def test_referral_on_another_offices_case_is_404(world, orgs, client, auth):
    auth.login("manajer")
    response = client.get(f"/cases/{world['other_case'].id}/referrals/new?kind=rsj")
    assert response.status_code == 404


def test_fifty_concurrent_approvals_get_numbers_one_to_fifty(app, world, orgs, factory):
    """Several managers approve at the same moment: serials are unique and gapless."""
    office, worker = world["office"], world["worker"]
    managers = [world["manager"]]
    for i in range(3):
        user = User(office_id=office.id, username=f"kabid{i}", full_name=f"Kabid {i}", role="manager",
                    password_hash="x")  # fmt: skip
        db.session.add(user)
        managers.append(user)
    ids = []
    for _ in range(50):
        ids.append(factory.referral(world["case"], "submitted", by=worker).id)
    manager_ids = [m.id for m in managers]
    barrier = threading.Barrier(10)
    errors = []

    def approve_some(chunk, manager_id):
        with app.app_context():
            barrier.wait()
            for referral_id in chunk:
                try:
                    manager = db.session.get(User, manager_id)
                    service.approve(db.session.get(Referral, referral_id), manager)
                    db.session.commit()
                except Exception as exc:  # noqa: BLE001 - reported below
                    db.session.rollback()
                    errors.append(repr(exc))
            db.session.remove()

    threads = [
        threading.Thread(target=approve_some, args=(ids[i::10], manager_ids[i % len(manager_ids)]))
        for i in range(10)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    db.session.expire_all()
    serials = db.session.scalars(select(Letter.serial).order_by(Letter.serial)).all()
    assert serials == list(range(1, 51))
    assert len(set(db.session.scalars(select(Letter.number)).all())) == 50


def test_the_manager_approves_from_the_referral_page_as_a_browser_sends_it(
    world, orgs, client, auth, factory
):
    """The referral page's decision form sends only the button's action (no empty hidden one
    before it), and a boosted form (htmx on the body) gets the page back, not the desk's row."""
    import re

    referral = factory.referral(world["case"], "submitted", **rsj_values(orgs))
    auth.login("manajer")
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*class="decision".*?</form>', page, re.S).group(0)
    assert not re.search(r'<input[^>]*name="action"', form)
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    response = client.post(
        f"/referrals/{referral.id}/decide", data={"action": "approve"}, headers=boosted
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/referrals/{referral.id}")
    assert db.session.get(Referral, referral.id).status == "approved"

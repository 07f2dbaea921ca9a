"""Closing a case: the guards, the manager's approval on /approvals, the read-only closed case,
reopening; every role and another office's case."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog, Case, CaseClosure, CaseEvent, FollowUp, Office
from portal.services import closure as service
from portal.services.timeutil import local_today


def today():
    return local_today("Asia/Makassar")


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def event_kinds(case):
    return db.session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()


def closure_form(**overrides):
    data = {
        "reason": "returned_family",
        "closed_on": today().isoformat(),
        "summary": "Klien dijemput kakaknya dan tinggal di Gowa.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def status(case):
    return db.session.get(Case, case.id).status


def request_closure(client, auth, case, user="pekerja", **overrides):
    auth.logout()
    auth.login(user)
    response = client.post(f"/cases/{case.id}/closure", data=closure_form(**overrides))
    auth.logout()
    return response


# --- requesting and deciding ----------------------------------------------------------------------


@pytest.mark.office_clock
def test_worker_requests_closure_and_the_manager_approves_on_approvals(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    form_page = client.get(f"/cases/{case.id}/closure").get_data(as_text=True)
    assert "Penutupan diajukan kepada manajer" in form_page
    auth.logout()
    response = request_closure(client, auth, case)
    assert response.status_code == 302
    assert status(case) == "closing"
    closure = db.session.scalar(select(CaseClosure))
    assert closure.status == "requested" and closure.previous_status == "in_progress"
    assert event_kinds(case)[-1] == "closure_requested"
    assert count(AuditLog, AuditLog.action == "case.closure_request") == 1

    auth.login("pekerja")
    page = client.get(f"/cases/{case.id}/closure").get_data(as_text=True)
    assert "Menunggu persetujuan manajer" in page
    assert "Tutup kasus" not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    auth.logout()

    auth.login("manajer")
    desk = client.get("/approvals").get_data(as_text=True)
    assert f'id="closure-{closure.id}"' in desk and "Dikembalikan ke keluarga" in desk
    assert '(<span id="desk-count-all">1</span>)' in desk
    assert client.get("/approvals/count").get_data(as_text=True).strip().endswith(">1</span>")
    response = client.post(
        f"/cases/{case.id}/closure/decide",
        data={"action": "approve", "comment": "Baik."},
        headers={"HX-Request": "true"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert f'id="closure-{closure.id}"' in text and "Disetujui" in text
    assert response.headers["HX-Trigger"] == "approvals-changed"
    # the desk's counts follow the decision without a reload (QA: they stayed at 1)
    assert '<span id="desk-count-all" hx-swap-oob="true">0</span>' in text
    assert '<span id="desk-count-closure" hx-swap-oob="true">0</span>' in text
    case = db.session.get(Case, case.id)
    assert case.status == "closed" and case.closed_at is not None
    assert db.session.get(CaseClosure, closure.id).decided_by_id == world["manager"].id
    assert event_kinds(case)[-1] == "closure_approved"
    assert client.get("/approvals/count").get_data(as_text=True).strip() == ""
    again = client.post(
        f"/cases/{case.id}/closure/decide",
        data={"action": "return", "comment": "x"},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 422
    assert "tidak sedang menunggu keputusan" in again.get_data(as_text=True)


def test_referrals_and_closures_share_the_desk_oldest_first(world, factory, client, auth):
    request_closure(client, auth, world["case2"], user="pekerja2")
    referral = factory.referral(world["case"], "submitted")
    referral.submitted_at = db.session.scalar(select(CaseClosure)).requested_at + timedelta(
        minutes=1
    )
    db.session.commit()
    auth.login("manajer")
    page = client.get("/approvals").get_data(as_text=True)
    assert page.index("Sitti Rahmah") < page.index("Andi Baso")
    assert client.get("/approvals/count").get_data(as_text=True).strip().endswith(">2</span>")
    home = client.get("/").get_data(as_text=True)
    assert "2 rujukan dan penutupan kasus menunggu keputusan." in home


def test_manager_returns_a_closure_with_a_comment(world, client, auth):
    case = world["case"]
    request_closure(client, auth, case)
    auth.login("manajer")
    boosted = (
        client.post(  # the closure's own page (a boosted form) gets a page, not the desk's row
            f"/cases/{case.id}/closure/decide",
            data={"action": "return", "comment": " "},
            headers={"HX-Request": "true", "HX-Boosted": "true"},
        )
    )
    assert boosted.status_code == 422 and "<html" in boosted.get_data(as_text=True)
    assert "Tulis mengapa penutupan dikembalikan." in boosted.get_data(as_text=True)
    refused = client.post(
        f"/cases/{case.id}/closure/decide",
        data={"action": "return", "comment": " "},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    assert "Tulis mengapa penutupan dikembalikan." in refused.get_data(as_text=True)
    assert status(case) == "closing"
    response = client.post(
        f"/cases/{case.id}/closure/decide",
        data={"action": "return", "comment": "Pastikan alamat keluarga."},
    )
    assert response.status_code == 302
    assert status(case) == "in_progress"
    assert db.session.scalar(select(CaseClosure)).status == "returned"
    assert event_kinds(case)[-1] == "closure_returned"
    auth.logout()
    auth.login("pekerja")
    page = client.get(f"/cases/{case.id}/closure").get_data(as_text=True)
    assert "Pastikan alamat keluarga." in page and 'name="summary"' in page
    assert "Pastikan alamat keluarga." in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_without_approval_the_worker_closes_directly(world, client, auth):
    office = db.session.get(Office, world["office"].id)
    office.closure_approval = False
    db.session.commit()
    case = world["case"]
    response = request_closure(client, auth, case)
    assert response.status_code == 302
    assert status(case) == "closed"
    assert db.session.scalar(select(CaseClosure)).status == "closed"
    assert event_kinds(case)[-1] == "case_closed"
    assert count(AuditLog, AuditLog.action == "case.close") == 1


def test_a_manager_closes_directly(world, client, auth):
    request_closure(client, auth, world["case"], user="manajer")
    assert status(world["case"]) == "closed"


@pytest.mark.parametrize(
    ("user", "expected"),
    [("pekerja", 403), ("pekerja2", 403), ("admin", 403), ("bpp_manajer", 404)],
)
def test_only_managers_of_the_office_decide_closures(world, client, auth, user, expected):
    case = world["case"]
    request_closure(client, auth, case)
    auth.login(user)
    response = client.post(f"/cases/{case.id}/closure/decide", data={"action": "approve"})
    assert response.status_code == expected
    assert status(case) == "closing"


def test_nobody_decides_their_own_closure(world):
    closure = CaseClosure(
        office_id=world["office"].id, case_id=world["case"].id, reason="other",
        closed_on=today(), status="requested", requested_by_id=world["manager"].id,
    )  # fmt: skip
    assert not service.can_decide(world["manager"], closure)
    with pytest.raises(service.TransitionRefused):
        service.approve(closure, world["manager"])


# --- guards ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("referral_status", "refused", "message"),
    [
        ("submitted", True, "masih menunggu keputusan manajer"),
        ("approved", True, "serah terimanya belum dicatat"),
        ("completed", False, ""),
        ("draft", False, ""),
        ("rejected", False, ""),
        ("cancelled", False, ""),
    ],
)
def test_closing_waits_for_referrals(
    world, factory, client, auth, referral_status, refused, message
):
    factory.referral(world["case"], referral_status, archive=False)
    before = status(world["case"])
    auth.login("pekerja")
    if refused:
        page = client.get(f"/cases/{world['case'].id}/closure").get_data(as_text=True)
        assert message in page  # said before the form is filled
    response = request_closure(client, auth, world["case"])
    if refused:
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
        assert "Klien dijemput kakaknya" in response.get_data(as_text=True)  # input kept
        unchanged = "referred" if referral_status == "approved" else "in_progress"
        assert status(world["case"]) == before == unchanged
    else:
        assert response.status_code == 302
        assert status(world["case"]) == "closing"


def test_open_follow_ups_refuse_closure_unless_cancelled_in_the_same_step(
    world, factory, client, auth
):
    followup = factory.followup(world["case"])
    case = world["case"]
    response = request_closure(client, auth, case)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = text.split('id="cancel_followups-errors"', 1)[1].split("</ul>", 1)[0]
    assert "Masih ada 1 tindak lanjut terbuka" in beside
    no_reason = request_closure(client, auth, case, cancel_followups="y")
    assert no_reason.status_code == 422
    assert "Tulis alasan pembatalan" in no_reason.get_data(as_text=True)
    assert db.session.get(FollowUp, followup.id).status == "open"
    ok = request_closure(
        client, auth, case, cancel_followups="y", cancel_reason="Klien sudah pulang ke keluarga."
    )
    assert ok.status_code == 302
    followup = db.session.get(FollowUp, followup.id)
    assert followup.status == "cancelled" and followup.reason == "Klien sudah pulang ke keluarga."
    assert status(case) == "closing"
    assert event_kinds(case)[-2:] == ["followup_cancelled", "closure_requested"]


def test_approval_checks_the_guards_again(world, factory):
    case = db.session.get(Case, world["case"].id)
    closure = factory.closure(case, "requested", reason="recovered", summary="Mandiri.")
    # A follow-up slipped in (e.g. written straight to the database): approval refuses.
    db.session.add(
        FollowUp(office_id=case.office_id, case_id=case.id, kind="phone_call", due_date=today(),
                 assigned_to_id=world["worker"].id, created_by_id=world["worker"].id)
    )  # fmt: skip
    db.session.commit()
    with pytest.raises(service.TransitionRefused, match="tindak lanjut terbuka"):
        service.approve(closure, world["manager"])
    db.session.rollback()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reason": ""}, "reason", "Pilih alasan penutupan."),
        ({"reason": "bored"}, "reason", "Pilih alasan dari daftar."),
        ({"closed_on": ""}, "closed_on", "Isi tanggalnya."),
        ({"closed_on": "31-12-2026"}, "closed_on", "Tanggal tidak sah."),
        ({"closed_on": "2099-01-01"}, "closed_on", "tidak boleh di masa depan"),
        ({"closed_on": "2020-01-01"}, "closed_on", "sebelum kasus dilaporkan"),
        ({"summary": ""}, "summary", "Tulis ringkasan penanganan kasus."),
        ({"summary": "x" * 5001}, "summary", "5.000 karakter"),
    ],
)
def test_bad_closure_input_is_explained_beside_the_field(
    world, client, auth, overrides, field, message
):
    auth.login("pekerja")
    data = closure_form(**overrides)
    response = client.post(f"/cases/{world['case'].id}/closure", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = text.split(f'id="{field}-errors"', 1)
    assert len(beside) == 2, f"no errors beside {field}"
    assert message in beside[1].split("</ul>", 1)[0]
    if field != "summary":
        assert "Klien dijemput kakaknya" in text  # input kept
    assert status(world["case"]) == "in_progress"


@pytest.mark.parametrize(
    ("user", "get", "post"),
    [("pekerja", 200, 302), ("manajer", 200, 302), ("pekerja2", 404, 404),
     ("bpp_manajer", 404, 404), ("admin", 403, 403)],
)  # fmt: skip
def test_who_may_close(world, client, auth, user, get, post):
    case = world["case"]
    auth.login(user)
    assert client.get(f"/cases/{case.id}/closure").status_code == get
    assert client.post(f"/cases/{case.id}/closure", data=closure_form()).status_code == post


def test_a_case_waiting_for_closure_takes_no_new_referral_or_follow_up(world, client, auth):
    case = world["case"]
    request_closure(client, auth, case)
    auth.login("pekerja")
    assert client.get(f"/cases/{case.id}/referrals/new").status_code == 403
    assert client.get(f"/cases/{case.id}/follow-ups/new").status_code == 403
    again = client.post(f"/cases/{case.id}/closure", data=closure_form())
    assert again.status_code == 302 and count(CaseClosure) == 1
    note = client.post(f"/cases/{case.id}/notes", data={"body": "Menunggu persetujuan."})
    assert note.status_code == 302  # notes still welcome


# --- the closed case ------------------------------------------------------------------------------


def close(world, client, auth, case=None):
    case = case or world["case"]
    request_closure(client, auth, case, user="manajer")
    assert status(case) == "closed"
    return case


def test_a_closed_case_is_read_only(world, client, auth):
    case = close(world, client, auth)
    from tests.test_cases import edit_case_form

    for user in ("pekerja", "manajer"):
        auth.login(user)
        assert client.get(f"/cases/{case.id}/edit").status_code == 403
        assert client.post(f"/cases/{case.id}/edit", data=edit_case_form(case)).status_code == 403
        assert client.get(f"/cases/{case.id}/person").status_code == 403
        assert client.post(f"/cases/{case.id}/notes", data={"body": "x"}).status_code == 403
        assert client.get(f"/cases/{case.id}/referrals/new").status_code == 403
        assert client.get(f"/cases/{case.id}/follow-ups/new").status_code == 403
        assert client.get(f"/cases/{case.id}/aid/new").status_code == 403
        assert client.post(f"/cases/{case.id}/closure", data=closure_form()).status_code == 403
        page = client.get(f"/cases/{case.id}").get_data(as_text=True)
        assert "Kasus ditutup" in page and "Berkas ini hanya dapat dibaca." in page
        assert "Ubah kasus" not in page and 'id="note-form"' not in page
        assert "+ Catat bantuan" not in page and "+ Jadwalkan tindak lanjut" not in page
        auth.logout()
    auth.login("manajer")
    assign = client.post(f"/cases/{case.id}/assign", data={"worker": str(world["worker2"].id)})
    assert assign.status_code == 403


def test_closure_confirmation_leaves_room_for_the_case_report(world, client, auth):
    case = close(world, client, auth)
    auth.login("pekerja")
    page = client.get(f"/cases/{case.id}/closure").get_data(as_text=True)
    assert 'id="laporan-kasus"' in page and "Laporan penanganan kasus" in page
    assert "Klien dijemput kakaknya" in page and "Dikembalikan ke keluarga" in page


# --- reopening ------------------------------------------------------------------------------------


@pytest.mark.office_clock
def test_reopen_needs_a_reason_and_makes_the_case_active_again(world, client, auth):
    case = close(world, client, auth)
    auth.login("pekerja")
    refused = client.post(f"/cases/{case.id}/reopen", data={"reopen_reason": "  "})
    # back to the page by a GET (a reload re-sends nothing), the message beside the field
    assert refused.status_code == 303
    assert refused.headers["Location"] == f"/cases/{case.id}/closure"
    text = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Alasan membuka kembali wajib diisi." in text.split('id="reopen_reason-errors"')[1]
    assert "Alasan membuka kembali wajib diisi." not in client.get(f"/cases/{case.id}/closure").text
    typed = client.post(f"/cases/{case.id}/reopen", data={"reopen_reason": "x" * 2001})
    text = client.get(typed.headers["Location"]).text
    assert "x" * 2001 in text.split('id="reopen_reason"')[1]  # the text typed is kept
    assert 'id="reopen_reason-errors"' in text
    response = client.post(
        f"/cases/{case.id}/reopen", data={"reopen_reason": "Klien kembali ke jalan."}
    )
    assert response.status_code == 302
    case = db.session.get(Case, case.id)
    assert case.status == "in_progress" and case.closed_at is None
    closure = db.session.scalar(select(CaseClosure))
    assert closure.status == "reopened" and closure.reopened_by_id == world["worker"].id
    assert event_kinds(case)[-1] == "case_reopened"
    assert count(AuditLog, AuditLog.action == "case.reopen") == 1
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Kasus dibuka kembali" in page and "Klien kembali ke jalan." in page
    assert client.get(f"/cases/{case.id}/edit").status_code == 200
    # and it can be closed again later
    assert request_closure(client, auth, case).status_code == 302
    assert status(case) == "closing"


@pytest.mark.parametrize(
    ("user", "expected"),
    [("manajer", 302), ("pekerja", 302), ("pekerja2", 404), ("bpp_manajer", 404),
     ("admin", 403)],
)  # fmt: skip
def test_who_may_reopen(world, client, auth, user, expected):
    case = close(world, client, auth)
    auth.login(user)
    response = client.post(f"/cases/{case.id}/reopen", data={"reopen_reason": "Perlu lagi."})
    assert response.status_code == expected
    assert status(case) == ("in_progress" if expected == 302 else "closed")


def test_a_registering_worker_no_longer_assigned_may_not_reopen(world, client, auth):
    case = world["case"]
    auth.login("manajer")
    client.post(f"/cases/{case.id}/assign", data={"worker": str(world["worker2"].id)})
    auth.logout()
    close(world, client, auth)
    auth.login("pekerja")  # registered it, still sees it, no longer handles it
    assert client.get(f"/cases/{case.id}").status_code == 200
    response = client.post(f"/cases/{case.id}/reopen", data={"reopen_reason": "x"})
    assert response.status_code == 403
    auth.logout()
    auth.login("pekerja2")
    response = client.post(f"/cases/{case.id}/reopen", data={"reopen_reason": "Kambuh."})
    assert response.status_code == 302


def test_an_open_case_is_not_reopened(world, client, auth):
    auth.login("manajer")
    response = client.post(f"/cases/{world['case'].id}/reopen", data={"reopen_reason": "x"})
    assert response.status_code == 403


def test_another_offices_case_answers_404(world, client, auth):
    other = world["other_case"]
    auth.login("manajer")
    assert client.get(f"/cases/{other.id}/closure").status_code == 404
    assert client.post(f"/cases/{other.id}/closure", data=closure_form()).status_code == 404
    assert client.post(f"/cases/{other.id}/closure/decide", data={}).status_code == 404
    assert client.post(f"/cases/{other.id}/reopen", data={}).status_code == 404


# --- two people at the same moment ----------------------------------------------------------------


def test_a_decision_taken_meanwhile_by_another_manager_is_refused_not_a_500(world, factory):
    from sqlalchemy import update

    case = db.session.get(Case, world["case"].id)
    closure = factory.closure(case, "requested", reason="recovered", summary="Mandiri.")
    # Another manager's decision was saved after this one loaded the request.
    db.session.execute(
        update(CaseClosure)
        .where(CaseClosure.id == closure.id)
        .values(version_id=CaseClosure.version_id + 1),
        execution_options={"synchronize_session": False},
    )
    with pytest.raises(service.TransitionRefused, match="tidak sedang menunggu keputusan"):
        service.approve(closure, world["manager"])
    db.session.rollback()


def test_a_case_closed_meanwhile_is_not_closed_twice(world):
    from sqlalchemy import update

    case = db.session.get(Case, world["case"].id)
    assert case.status == "in_progress"
    db.session.execute(
        update(Case).where(Case.id == case.id).values(status="closing"),
        execution_options={"synchronize_session": False},
    )
    with pytest.raises(service.TransitionRefused):
        service.request(
            case, world["worker"], reason="recovered", closed_on=today(), summary="Mandiri."
        )
    db.session.rollback()
    assert count(CaseClosure) == 0

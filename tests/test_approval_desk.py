"""The manager's desk (/approvals): most urgent first, bounded pages, filters by kind, and
several items decided at once with one comment."""

import re

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog, CaseClosure, Letter, Referral


def _numbers_in_order(page: str) -> list[str]:
    return re.findall(r'class="mono desk-number">([^<]+)<', page)


def _waiting(factory, world, n, **case_values):
    cases = [factory.case(world["office"], world["worker"], **case_values) for _ in range(n)]
    return [factory.referral(case, "submitted") for case in cases]


def test_the_most_urgent_comes_first_then_the_longest_waiting(world, client, auth, factory):
    old = factory.referral(world["case"], "submitted")
    urgent_case = factory.case(world["office"], world["worker"], urgency="high")
    urgent = factory.referral(urgent_case, "submitted")
    closing = factory.closure(world["case2"], "requested")
    auth.login("manajer")
    page = client.get("/approvals").get_data(as_text=True)
    assert _numbers_in_order(page) == [urgent.case.number, old.case.number, closing.case.number]
    assert "Tinggi" in page and "Penutupan kasus" in page


def test_the_order_follows_an_urgency_changed_after_the_item_was_sent(world, client, auth, factory):
    """The desk sorts on the urgency rank each waiting item carries (an index, not a join with the
    cases): editing the case afterwards reorders the desk, for referrals and closure requests."""
    from .test_cases import edit_case_form

    first, second, third = _waiting(factory, world, 3)  # all "normal", the oldest first
    closing = factory.closure(world["case2"], "requested")
    auth.login("manajer")
    before = _numbers_in_order(client.get("/approvals").get_data(as_text=True))
    assert before == [r.case.number for r in (first, second, third)] + [closing.case.number]
    auth.login("pekerja")
    for case, urgency in ((third.case, "emergency"), (second.case, "high"), (closing.case, "high")):
        response = client.post(f"/cases/{case.id}/edit", data=edit_case_form(case, urgency=urgency))
        assert response.status_code == 302
    auth.login("manajer")
    after = _numbers_in_order(client.get("/approvals").get_data(as_text=True))
    assert after == [third.case.number, second.case.number, closing.case.number, first.case.number]
    rsj = _numbers_in_order(client.get("/approvals?kind=rsj").get_data(as_text=True))
    assert rsj == [third.case.number, second.case.number, first.case.number]
    assert "Darurat" in client.get("/approvals").get_data(as_text=True)
    # back to normal: the longest waiting first again
    auth.login("pekerja")
    db.session.refresh(third.case)
    client.post(f"/cases/{third.case.id}/edit", data=edit_case_form(third.case, urgency="normal"))
    auth.login("manajer")
    again = _numbers_in_order(client.get("/approvals").get_data(as_text=True))
    assert again == [second.case.number, closing.case.number, first.case.number, third.case.number]


def test_the_desk_is_paged_and_filtered_by_kind(world, client, auth, factory):
    referrals = _waiting(factory, world, 27)
    closing = factory.closure(world["case2"], "requested")
    auth.login("manajer")
    first = client.get("/approvals").get_data(as_text=True)
    assert len(_numbers_in_order(first)) == 25
    assert "Halaman 1 dari 2" in first and "Semua (28)" in re.sub("<[^>]+>", "", first)
    second = client.get("/approvals?page=2").get_data(as_text=True)
    assert len(_numbers_in_order(second)) == 3
    assert client.get("/approvals?page=99999999999999999999").status_code == 200
    only_closures = client.get("/approvals?kind=closure").get_data(as_text=True)
    assert _numbers_in_order(only_closures) == [closing.case.number]
    only_rsj = client.get("/approvals?kind=rsj").get_data(as_text=True)
    assert closing.case.number not in _numbers_in_order(only_rsj)
    assert referrals[0].case.number in _numbers_in_order(only_rsj)


def test_several_referrals_approved_at_once_get_consecutive_letters(world, client, auth, factory):
    referrals = _waiting(factory, world, 3)
    auth.login("manajer")
    keys = [f"referral:{r.id}" for r in referrals]
    response = client.post(
        "/approvals/decide", data={"keys": keys, "action": "approve", "comment": "Lanjutkan."}
    )
    assert response.status_code == 302
    assert {db.session.get(Referral, r.id).status for r in referrals} == {"approved"}
    serials = sorted(db.session.scalars(select(Letter.serial)).all())
    assert serials == list(range(serials[0], serials[0] + 3))
    assert {db.session.get(Referral, r.id).decision_comment for r in referrals} == {"Lanjutkan."}
    page = client.get("/approvals").get_data(as_text=True)
    assert "3 diputuskan" in page and "Tidak ada yang menunggu keputusan." in page
    audited = select(func.count()).where(AuditLog.action == "referral.approved")
    assert db.session.scalar(audited) == 3


def test_one_refusal_leaves_the_others_decided(world, client, auth, factory):
    referrals = _waiting(factory, world, 2)
    closing = factory.closure(world["case2"], "requested")
    auth.login("manajer")
    client.post(f"/referrals/{referrals[0].id}/decide", data={"action": "approve"})
    keys = [f"referral:{r.id}" for r in referrals] + [f"closure:{closing.id}", "referral:x"]
    client.post("/approvals/decide", data={"keys": keys, "action": "approve"})
    assert db.session.get(Referral, referrals[1].id).status == "approved"
    assert db.session.get(CaseClosure, closing.id).status == "approved"
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 2  # no second letter
    page = client.get("/approvals").get_data(as_text=True)
    assert "2 diputuskan" in page
    assert f"{referrals[0].case.number}: " in page and "tidak sedang menunggu" in page


def test_returning_several_needs_the_comment(world, client, auth, factory):
    referrals = _waiting(factory, world, 2)
    auth.login("manajer")
    keys = [f"referral:{r.id}" for r in referrals]
    client.post("/approvals/decide", data={"keys": keys, "action": "return", "comment": " "})
    assert {db.session.get(Referral, r.id).status for r in referrals} == {"submitted"}
    client.post("/approvals/decide", data={"keys": keys, "action": "return", "comment": "Foto?"})
    assert {db.session.get(Referral, r.id).status for r in referrals} == {"returned"}


def test_nothing_ticked_says_so(world, client, auth, factory):
    _waiting(factory, world, 1)
    auth.login("manajer")
    client.post("/approvals/decide", data={"action": "approve"})
    assert "Pilih minimal satu item." in client.get("/approvals").get_data(as_text=True)


def test_only_a_manager_of_the_office_decides_from_the_desk(world, client, auth, factory):
    referral = factory.referral(world["case"], "submitted")
    data = {"keys": [f"referral:{referral.id}"], "action": "approve"}
    auth.login("pekerja")
    assert client.post("/approvals/decide", data=data).status_code == 403
    auth.logout()
    auth.login("bpp_manajer")
    client.post("/approvals/decide", data=data)
    assert db.session.get(Referral, referral.id).status == "submitted"

"""Follow-ups and aid given: working days across weekends and national holidays, every
transition and guard, /tasks for each role, the proposal after a completed referral."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Aid, AuditLog, CaseEvent, FollowUp, Office
from portal.services import followups as service
from portal.services import proposals, tasks, workdays
from portal.services.timeutil import local_today

# Real 2026 dates from lokal-id's official data (SKB 3 Menteri):
FRI_BEFORE_INDEPENDENCE = date(2026, 8, 14)  # Monday 17 August 2026: Proklamasi Kemerdekaan
INDEPENDENCE_DAY = date(2026, 8, 17)
WED_BEFORE_CHRISTMAS = date(2026, 12, 23)  # 24 Dec cuti bersama, 25 Dec Natal (Thu, Fri)


def today():
    return local_today("Asia/Makassar")


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def events(case, kind):
    return db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
    ).all()


def schedule_form(world, **overrides):
    data = {
        "kind": "home_visit",
        "due_date": (today() + timedelta(days=3)).isoformat(),
        "assigned_to": str(world["worker"].id),
        "purpose": "Cek kondisi klien di rumah keluarga.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def frozen():
    """Stop the clock at 10:00 WITA on `day`: the office's "today" of every view and service."""
    travels = []

    def freeze(day: date):
        travels.append(time_machine.travel(datetime.combine(day, time(2, 0), UTC), tick=False))
        travels[-1].start()

    yield freeze
    for travel in reversed(travels):
        travel.stop()


# --- working days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1: the weekend is skipped
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
        (FRI_BEFORE_INDEPENDENCE, 1, date(2026, 8, 18)),  # weekend and 17 August skipped
        (WED_BEFORE_CHRISTMAS, 1, date(2026, 12, 28)),  # cuti bersama, Natal, weekend
        (date(2026, 3, 17), 1, date(2026, 3, 25)),  # Nyepi and Idulfitri with cuti bersama
        (date(2028, 1, 7), 1, date(2028, 1, 10)),  # no official data yet: weekends only
    ],
)
def test_working_days_skip_weekends_and_national_holidays(start, n, expected):
    assert workdays.add_working_days(start, n) == expected


def test_holidays_are_named_when_a_date_is_explained():
    skipped = workdays.holidays_between(FRI_BEFORE_INDEPENDENCE, date(2026, 8, 18))
    assert skipped == [(INDEPENDENCE_DAY, "Proklamasi Kemerdekaan")]


@pytest.mark.parametrize(
    ("due", "on", "bucket", "late"),
    [
        # Due on a Friday: not overdue over the weekend, overdue on Monday.
        (date(2026, 11, 27), date(2026, 11, 27), "today", 0),
        (date(2026, 11, 27), date(2026, 11, 28), "today", 0),
        (date(2026, 11, 29), date(2026, 11, 29), "today", 0),  # a Sunday
        (date(2026, 11, 27), date(2026, 11, 30), "overdue", 1),
        (date(2026, 11, 27), date(2026, 12, 2), "overdue", 3),
        # Due the Friday before 17 August: the holiday Monday does not count either.
        (FRI_BEFORE_INDEPENDENCE, INDEPENDENCE_DAY, "today", 0),
        (FRI_BEFORE_INDEPENDENCE, date(2026, 8, 18), "overdue", 1),
        (FRI_BEFORE_INDEPENDENCE, date(2026, 8, 19), "overdue", 2),
        # Due on the holiday itself: the next working day is the deadline.
        (INDEPENDENCE_DAY, date(2026, 8, 18), "today", 0),
        (INDEPENDENCE_DAY, date(2026, 8, 19), "overdue", 1),
        # Due before Christmas: overdue only on Monday 28 December.
        (WED_BEFORE_CHRISTMAS, date(2026, 12, 25), "today", 0),
        (WED_BEFORE_CHRISTMAS, date(2026, 12, 27), "today", 0),
        (WED_BEFORE_CHRISTMAS, date(2026, 12, 28), "overdue", 1),
        # Not due yet.
        (date(2026, 11, 26), date(2026, 11, 24), "week", 0),
        (date(2026, 11, 29), date(2026, 11, 24), "week", 0),  # Sunday ends the week
        (date(2026, 11, 30), date(2026, 11, 24), "later", 0),
    ],
)
def test_overdue_is_counted_in_working_days(due, on, bucket, late):
    assert workdays.bucket_of(due, on) == bucket
    if bucket == "overdue":
        assert workdays.working_days_late(due, on) == late


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 8, 14), 1),  # due 13 Aug (Thu) is overdue on Friday
        (INDEPENDENCE_DAY, 1),  # the holiday: 14 Aug is not overdue yet
        (date(2026, 8, 18), 2),  # Tuesday: 13 and 14 Aug overdue, 17 Aug not yet
        (date(2026, 8, 19), 3),
    ],
)
def test_overdue_count_in_the_database_matches(world, on, expected, factory):
    for due in (date(2026, 8, 13), FRI_BEFORE_INDEPENDENCE, INDEPENDENCE_DAY, date(2026, 8, 20)):
        factory.followup(world["case"], due)
    assert tasks.overdue_count(world["worker"], on) == expected
    assert tasks.overdue_count(world["manager"], on) == expected
    assert tasks.overdue_count(world["worker2"], on) == 0
    assert tasks.overdue_count(world["other_manager"], on) == 0
    assert tasks.overdue_count(world["admin"], on) == 0


# --- scheduling ---------------------------------------------------------------------------------


@pytest.mark.office_clock
def test_worker_schedules_a_follow_up_on_their_case(world, client, auth):
    auth.login("pekerja")
    case = world["case"]
    page = client.get(f"/cases/{case.id}/follow-ups/new")
    assert page.status_code == 200
    assert 'value="home_visit"' in page.get_data(as_text=True)
    response = client.post(f"/cases/{case.id}/follow-ups/new", data=schedule_form(world))
    assert response.status_code == 302
    followup = db.session.scalar(select(FollowUp))
    assert followup.status == "open" and followup.assigned_to_id == world["worker"].id
    assert followup.due_date == today() + timedelta(days=3)
    assert followup.office_id == world["office"].id
    [event] = events(case, "followup_scheduled")
    assert event.data["due_date"] == followup.due_date.isoformat()
    assert count(AuditLog, AuditLog.action == "followup.schedule") == 1
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Tindak lanjut dijadwalkan" in page and "Cek kondisi klien" in page
    assert "Kunjungan rumah" in page


def test_due_date_in_working_days_skips_the_holiday(world, client, auth, frozen, factory):
    frozen(FRI_BEFORE_INDEPENDENCE)
    case = factory.case(world["office"], world["worker"], reported_at=datetime(2026, 8, 1, 8))
    auth.login("pekerja")
    response = client.post(
        f"/cases/{case.id}/follow-ups/new",
        data=schedule_form(world, due_date=None, due_in="1", kind="phone_call"),
    )
    assert response.status_code == 302
    assert db.session.scalar(select(FollowUp.due_date)) == date(2026, 8, 18)
    preview = client.get("/follow-ups/due-preview?due_in=1").get_data(as_text=True)
    assert "18 Agustus 2026" in preview and "Proklamasi Kemerdekaan" in preview
    assert client.get("/follow-ups/due-preview?due_in=x").get_data(as_text=True).strip() == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": ""}, "kind", "Pilih jenis tindak lanjut."),
        ({"kind": "picnic"}, "kind", "Pilih jenis dari daftar."),
        ({"due_date": None}, "due_date", "Isi tanggal jatuh tempo, atau jumlah hari kerja"),
        ({"due_date": "2026-02-30"}, "due_date", "tanggal"),
        ({"due_in": "3"}, "due_in", "tidak keduanya"),
        ({"due_date": None, "due_in": "0"}, "due_in", "Antara 1 dan 250 hari kerja."),
        ({"due_date": None, "due_in": "abc"}, "due_in", "bilangan"),
        ({"due_date": "2020-01-01"}, "due_date", "tidak boleh di masa lalu"),
        ({"due_date": "2099-01-01"}, "due_date", "terlalu jauh di masa depan"),
        ({"assigned_to": ""}, "assigned_to", "Pilih petugas."),
        ({"assigned_to": "999999"}, "assigned_to", "Pilih petugas dari daftar."),
        ({"purpose": ""}, "purpose", "Tulis tujuan tindak lanjut."),
        ({"purpose": "x" * 2001}, "purpose", "2.000 karakter"),
    ],
)
def test_bad_schedule_input_is_explained_beside_the_field(
    world, client, auth, overrides, field, message
):
    auth.login("pekerja")
    data = schedule_form(world, **overrides)
    if "purpose" not in overrides:
        data["purpose"] = "Tujuan yang diketik tetap ada"
    response = client.post(f"/cases/{world['case'].id}/follow-ups/new", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    errors = text.split(f'id="{field}-errors"', 1)
    assert len(errors) == 2, f"no errors beside {field}"
    assert message.lower() in errors[1].split("</ul>", 1)[0].lower()
    if "purpose" not in overrides:
        assert "Tujuan yang diketik tetap ada" in text  # input kept
    assert count(FollowUp) == 0


def test_only_people_who_see_the_case_can_be_assigned(world, client, auth):
    auth.login("manajer")
    case = world["case"]
    page = client.get(f"/cases/{case.id}/follow-ups/new").get_data(as_text=True)
    assert world["worker"].full_name in page and world["manager"].full_name in page
    assert world["worker2"].full_name not in page  # cannot open this case
    assert world["other_manager"].full_name not in page
    refused = client.post(
        f"/cases/{case.id}/follow-ups/new",
        data=schedule_form(world, assigned_to=str(world["worker2"].id)),
    )
    assert refused.status_code == 422
    ok = client.post(
        f"/cases/{case.id}/follow-ups/new",
        data=schedule_form(world, assigned_to=str(world["manager"].id)),
    )
    assert ok.status_code == 302


@pytest.mark.parametrize(
    ("user", "status"),
    [("pekerja", 200), ("manajer", 200), ("pekerja2", 404), ("bpp_manajer", 404), ("admin", 403)],
)
def test_who_may_schedule(world, client, auth, user, status):
    auth.login(user)
    case = world["case"]
    assert client.get(f"/cases/{case.id}/follow-ups/new").status_code == status
    posted = client.post(f"/cases/{case.id}/follow-ups/new", data=schedule_form(world))
    assert posted.status_code == (302 if status == 200 else status)


def test_another_offices_case_answers_404_everywhere(world, client, auth, factory):
    other = world["other_case"]
    followup = factory.followup(other, today())
    auth.login("manajer")
    assert client.get(f"/cases/{other.id}/follow-ups/new").status_code == 404
    assert client.get(f"/cases/{other.id}/aid/new").status_code == 404
    assert client.get(f"/follow-ups/{followup.id}/outcome").status_code == 404
    assert client.post(f"/follow-ups/{followup.id}/outcome", data={}).status_code == 404
    assert "Budi Santoso" not in client.get("/tasks").get_data(as_text=True)
    referral = factory.referral(other, "completed", archive=False)
    assert client.post(f"/referrals/{referral.id}/follow-up").status_code == 404
    assert client.post("/referrals/999999/follow-up").status_code == 404
    assert count(FollowUp) == 1


# --- outcome ------------------------------------------------------------------------------------


def outcome_form(followup, **overrides):
    data = {
        "version": str(followup.version_id),
        "outcome": "done",
        "outcome_date": today().isoformat(),
        "findings": "Klien sehat, tinggal bersama kakak.",
        "next_step": "Telepon keluarga bulan depan.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.office_clock
def test_done_outcome_schedules_the_next_follow_up_in_the_same_form(world, client, auth, factory):
    followup = factory.followup(world["case"], today())
    auth.login("pekerja")
    page = client.get(f"/follow-ups/{followup.id}/outcome")
    assert page.status_code == 200
    data = outcome_form(
        followup,
        schedule_next="y",
        next_kind="phone_call",
        next_due_in="5",
        next_assigned_to=str(world["worker"].id),
    )
    response = client.post(f"/follow-ups/{followup.id}/outcome", data=data)
    assert response.status_code == 302
    done = db.session.get(FollowUp, followup.id)
    assert done.status == "done" and done.findings.startswith("Klien sehat")
    assert done.outcome_date == today() and done.closed_by_id == world["worker"].id
    following = db.session.scalar(select(FollowUp).where(FollowUp.previous_id == followup.id))
    assert following.kind == "phone_call" and following.status == "open"
    assert following.due_date == workdays.add_working_days(today(), 5)
    assert following.purpose == "Telepon keluarga bulan depan."  # the next step
    [event] = events(world["case"], "followup_done")
    assert event.body.startswith("Klien sehat") and event.data["next_step"]
    assert count(AuditLog, AuditLog.action == "followup.done") == 1
    again = client.post(f"/follow-ups/{followup.id}/outcome", data=outcome_form(followup))
    assert again.status_code == 302  # already recorded: nothing changes
    assert count(FollowUp) == 2


@pytest.mark.parametrize("outcome", ["not_reached", "cancelled"])
def test_not_reached_and_cancelled_need_a_reason(world, client, auth, outcome, factory):
    followup = factory.followup(world["case"], today())
    auth.login("pekerja")
    data = outcome_form(followup, outcome=outcome, findings="", next_step="")
    refused = client.post(f"/follow-ups/{followup.id}/outcome", data=data)
    assert refused.status_code == 422
    assert "Tulis alasannya." in refused.get_data(as_text=True).split('id="reason-errors"')[1]
    data["reason"] = "Rumah kosong, tetangga tidak tahu."
    assert client.post(f"/follow-ups/{followup.id}/outcome", data=data).status_code == 302
    followup = db.session.get(FollowUp, followup.id)
    assert followup.status == outcome and followup.reason.startswith("Rumah kosong")
    assert events(world["case"], f"followup_{outcome}")[0].body.startswith("Rumah kosong")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"outcome": None}, "outcome", "Pilih hasilnya."),
        ({"outcome": "maybe"}, "outcome", "Pilih hasilnya."),
        ({"outcome_date": None}, "outcome_date", "Isi tanggal pelaksanaan."),
        ({"outcome_date": "2099-01-01"}, "outcome_date", "tidak boleh di masa depan"),
        ({"outcome_date": "2020-01-01"}, "outcome_date", "sebelum kasus dilaporkan"),
        ({"findings": ""}, "findings", "Tulis apa yang ditemukan."),
        ({"findings": "x" * 5001}, "findings", "5.000 karakter"),
        ({"schedule_next": "y"}, "next_kind", "Pilih jenis tindak lanjut."),
        ({"schedule_next": "y", "next_kind": "phone_call", "next_assigned_to": "1"},
         "next_due_date", "Isi tanggal jatuh tempo"),
        ({"schedule_next": "y", "outcome": "cancelled", "reason": "x"}, "schedule_next",
         "dari hasil yang terlaksana"),
    ],
)  # fmt: skip
def test_bad_outcome_input_is_explained(world, client, auth, overrides, field, message, factory):
    followup = factory.followup(world["case"], today())
    auth.login("pekerja")
    data = outcome_form(followup, **overrides)
    data["next_step"] = "Langkah yang diketik"
    response = client.post(f"/follow-ups/{followup.id}/outcome", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = text.split(f'id="{field}-errors"', 1)
    assert len(beside) == 2, f"no errors beside {field}"
    assert message in beside[1].split("</ul>", 1)[0]
    assert "Langkah yang diketik" in text  # input kept
    assert db.session.get(FollowUp, followup.id).status == "open"


def test_an_outcome_saved_meanwhile_is_not_overwritten(world, client, auth, factory):
    followup = factory.followup(world["case"], today())
    stale = outcome_form(followup)
    service.record_outcome(
        db.session.get(FollowUp, followup.id),
        world["manager"],
        service.Outcome("cancelled", reason="Dobel"),
    )
    db.session.commit()
    auth.login("pekerja")
    assert client.post(f"/follow-ups/{followup.id}/outcome", data=stale).status_code == 302
    assert db.session.get(FollowUp, followup.id).status == "cancelled"
    fresh = factory.followup(world["case"], today())
    response = client.post(
        f"/follow-ups/{fresh.id}/outcome", data=outcome_form(fresh, version="99")
    )
    assert response.status_code == 422
    assert "sudah diubah orang lain" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("user", "status"),
    [("pekerja", 302), ("manajer", 302), ("pekerja2", 404), ("bpp_manajer", 404), ("admin", 403)],
)
def test_who_may_record_an_outcome(world, client, auth, user, status, factory):
    followup = factory.followup(world["case"], today())
    auth.login(user)
    response = client.post(f"/follow-ups/{followup.id}/outcome", data=outcome_form(followup))
    assert response.status_code == status
    expected = "done" if status == 302 else "open"
    assert db.session.get(FollowUp, followup.id).status == expected


def test_service_refuses_outcomes_in_the_wrong_state(world, factory):
    followup = factory.followup(world["case"], today())
    worker = world["worker"]
    for outcome in (
        service.Outcome("done"),  # no date, no findings
        service.Outcome("not_reached"),  # no reason
        service.Outcome("lost"),
        service.Outcome("done", today() + timedelta(days=1), "x"),
    ):
        with pytest.raises(service.TransitionRefused):
            service.record_outcome(followup, worker, outcome, today=today())
    with pytest.raises(service.TransitionRefused):
        service.record_outcome(followup, world["worker2"], service.Outcome("cancelled", reason="x"))
    service.record_outcome(followup, worker, service.Outcome("cancelled", reason="x"))
    with pytest.raises(service.TransitionRefused):
        service.record_outcome(followup, worker, service.Outcome("cancelled", reason="x"))
    db.session.rollback()


# --- /tasks -------------------------------------------------------------------------------------


def test_tasks_of_a_worker_overdue_first_and_marked(world, client, auth, frozen, factory):
    frozen(date(2026, 8, 18))  # Tuesday after 17 August
    factory.followup(world["case"], date(2026, 8, 25), purpose="Tugas nanti saja")
    factory.followup(world["case"], date(2026, 8, 18), purpose="Tugas jatuh tempo sekarang")
    factory.followup(world["case"], FRI_BEFORE_INDEPENDENCE, purpose="Jumat sebelum libur")
    factory.followup(world["case"], date(2026, 8, 20), purpose="Kamis ini")
    factory.followup(world["case2"], date(2026, 8, 19), purpose="Milik rekan")
    auth.login("pekerja")
    page = client.get("/tasks").get_data(as_text=True)
    assert "Tugas saya" in page
    texts = ("Jumat sebelum libur", "Tugas jatuh tempo sekarang", "Kamis ini", "Tugas nanti saja")
    order = [page.index(text) for text in texts]
    assert order == sorted(order)
    assert "Terlambat 1 hari kerja" in page
    assert 'class="task task-overdue"' in page
    assert "Milik rekan" not in page
    assert client.get("/tasks/count").get_data(as_text=True).strip().endswith(">1</span>")
    home = client.get("/").get_data(as_text=True)
    assert "1 tindak lanjut terlambat" in home


def test_tasks_of_a_manager_grouped_by_worker_with_counts(world, client, auth, frozen, factory):
    frozen(date(2026, 8, 19))
    factory.followup(world["case"], date(2026, 8, 13), purpose="A terlambat")
    factory.followup(world["case"], date(2026, 8, 19), purpose="A hari ini")
    factory.followup(world["case2"], date(2026, 8, 12), purpose="B terlambat")
    factory.followup(world["case2"], date(2026, 8, 11), purpose="B terlambat juga")
    factory.followup(world["other_case"], date(2026, 8, 10), purpose="Kantor lain")
    auth.login("manajer")
    page = client.get("/tasks").get_data(as_text=True)
    assert "Tugas kantor" in page and "Per petugas" in page
    assert "Kantor lain" not in page
    w1, w2 = world["worker"].full_name, world["worker2"].full_name
    assert page.index(w2) < page.index(w1)  # the worker with most overdue first
    assert f'id="petugas-{world["worker2"].id}"' in page
    assert 'class="num overdue-count">2</td>' in page
    assert client.get("/tasks/count").get_data(as_text=True).strip().endswith(">3</span>")


@pytest.mark.office_clock
def test_task_counts_for_every_role(world, client, auth, factory):
    factory.followup(world["case"], date(2026, 1, 5))
    for user, expected in (("pekerja", "1"), ("pekerja2", ""), ("manajer", "1"), ("admin", "")):
        auth.login(user)
        text = client.get("/tasks/count").get_data(as_text=True).strip()
        assert text.endswith(f">{expected}</span>") if expected else text == "", user
        auth.logout()
    auth.login("admin")
    assert client.get("/tasks").status_code == 403
    auth.logout()
    assert client.get("/tasks").status_code == 302  # to the login page


def test_navigation_shows_tasks_with_the_overdue_count(world, client, auth):
    auth.login("pekerja")
    page = client.get("/cases").get_data(as_text=True)
    assert 'href="/tasks"' in page and 'hx-get="/tasks/count"' in page
    auth.logout()
    auth.login("admin")
    assert 'href="/tasks"' not in client.get("/admin/").get_data(as_text=True)


# --- a case that changes hands ------------------------------------------------------------------


def test_open_follow_ups_follow_the_case_to_its_new_worker(world, client, auth, factory):
    case = factory.case(world["office"], world["manager"], full_name="Kasus Manajer")
    auth.login("manajer")
    client.post(f"/cases/{case.id}/assign", data={"worker": str(world["worker"].id)})
    followup = factory.followup(case, today())
    done = factory.followup(case, today())
    service.record_outcome(
        db.session.get(FollowUp, done.id),
        world["manager"],
        service.Outcome("cancelled", reason="x"),
    )
    db.session.commit()
    client.post(f"/cases/{case.id}/assign", data={"worker": str(world["worker2"].id)})
    assert db.session.get(FollowUp, followup.id).assigned_to_id == world["worker2"].id
    assert db.session.get(FollowUp, done.id).assigned_to_id == world["worker"].id  # history kept
    assert len(events(case, "followup_reassigned")) == 1
    # The registering worker still sees the case: their follow-ups stay theirs.
    own = factory.followup(world["case"], today())
    client.post(f"/cases/{world['case'].id}/assign", data={"worker": str(world["worker2"].id)})
    assert db.session.get(FollowUp, own.id).assigned_to_id == world["worker"].id


# --- the follow-up a completed referral proposes ------------------------------------------------


def test_completed_referral_proposes_a_follow_up_created_with_one_click(
    world, client, auth, factory
):
    referral = factory.referral(world["case"], "completed")
    auth.login("pekerja")
    expected_due = workdays.working_deadline(today() + timedelta(days=14))
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Jadwalkan tindak lanjut" in page and "14 hari setelah serah terima" in page
    case_page = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert "Usulan setelah" in case_page and "Kunjungan ke RSJ / panti" in case_page
    response = client.post(f"/referrals/{referral.id}/follow-up")
    assert response.status_code == 302
    followup = db.session.scalar(select(FollowUp))
    assert followup.referral_id == referral.id and followup.kind == "facility_visit"
    assert followup.due_date == expected_due and followup.assigned_to_id == world["worker"].id
    assert "RSJ Dadi Makassar" in followup.purpose
    assert "Usulan setelah" not in client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    client.post(f"/referrals/{referral.id}/follow-up")  # a second click adds nothing
    assert count(FollowUp) == 1


@pytest.mark.parametrize(
    ("kind", "days", "followup_kind"),
    [("rsj", 14, "facility_visit"), ("return_home", 3, "dinsos_coordination"),
     ("placement", 30, "facility_visit")],
)  # fmt: skip
def test_proposal_per_referral_kind_from_the_office_setting(
    world, kind, days, followup_kind, factory
):
    handover = date(2026, 8, 3)
    referral = factory.referral(world["case"], "completed", kind, handover=handover)
    office = db.session.get(Office, world["office"].id)
    proposal = proposals.proposal_for(referral, office, [], date(2026, 8, 3))
    assert proposal.kind == followup_kind and proposal.days == days
    assert proposal.due_date == workdays.working_deadline(handover + timedelta(days=days))
    assert workdays.is_working_day(proposal.due_date)
    # Late recording: never proposed in the past.
    late = proposals.proposal_for(referral, office, [], date(2026, 12, 23))
    assert late.due_date == date(2026, 12, 23)
    setattr(office, f"followup_days_{kind}", 0)
    assert proposals.proposal_for(referral, office, [], date(2026, 8, 3)) is None


def test_proposal_days_are_an_office_setting_for_the_admin(world, client, auth):
    from tests.test_admin import office_form

    auth.login("admin")
    office = world["office"]
    response = client.post(
        "/admin/office", data=office_form(office, followup_days_rsj="7", closure_approval=None)
    )
    assert response.status_code == 302
    office = db.session.get(Office, office.id)
    assert office.followup_days_rsj == 7 and office.closure_approval is False
    bad = client.post("/admin/office", data=office_form(office, followup_days_rsj="-1"))
    assert bad.status_code == 422


def test_no_proposal_while_the_referral_is_not_completed(world, client, auth, factory):
    auth.login("pekerja")
    referral = factory.referral(world["case"], "approved", archive=False)
    client.post(f"/referrals/{referral.id}/follow-up")
    assert count(FollowUp) == 0


# --- aid given ----------------------------------------------------------------------------------


def aid_form(**overrides):
    data = {
        "kind": "food",
        "quantity": "2",
        "unit": "paket",
        "amount": "",
        "given_on": today().isoformat(),
        "given_by": "Tim Reaksi Cepat",
        "note": "Sembako untuk satu minggu.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.office_clock
def test_aid_is_recorded_shown_on_the_timeline_and_totalled(world, client, auth):
    auth.login("pekerja")
    case = world["case"]
    assert client.get(f"/cases/{case.id}/aid/new").status_code == 200
    assert client.post(f"/cases/{case.id}/aid/new", data=aid_form()).status_code == 302
    client.post(
        f"/cases/{case.id}/aid/new",
        data=aid_form(kind="transport_ticket", quantity="1", unit="tiket", amount="Rp 450 ribu"),
    )
    client.post(
        f"/cases/{case.id}/aid/new",
        data=aid_form(kind="pocket_money", quantity="", unit="", amount="1.500.000"),
    )
    client.post(f"/cases/{case.id}/aid/new", data=aid_form(quantity="3"))
    aids = db.session.scalars(select(Aid).order_by(Aid.id)).all()
    assert [a.amount for a in aids] == [None, 450000, 1500000, None]
    assert aids[0].recorded_by_id == world["worker"].id and aids[0].given_by == "Tim Reaksi Cepat"
    assert len(events(case, "aid_given")) == 4
    assert count(AuditLog, AuditLog.action == "aid.record") == 4
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Bantuan diberikan" in page  # the timeline
    assert "Rp1.950.000" in page  # the total
    assert "5 paket" in page  # food: 2 + 3 paket
    assert "Uang saku" in page and "Rp1.500.000" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": ""}, "kind", "Pilih jenis bantuan."),
        ({"kind": "gold"}, "kind", "Pilih jenis dari daftar."),
        ({"unit": ""}, "unit", "Isi satuannya"),
        ({"quantity": ""}, "quantity", "Isi jumlahnya."),
        ({"quantity": "", "unit": ""}, "quantity", "Isi jumlah dan satuan, atau nilai"),
        ({"quantity": "0"}, "quantity", "Antara 1 dan 1.000.000."),
        ({"quantity": "dua"}, "quantity", "bilangan"),
        ({"amount": "banyak sekali"}, "amount", "Jumlah tidak dikenali"),
        ({"amount": "0"}, "amount", "lebih dari Rp0"),
        ({"kind": "pocket_money"}, "amount", "Isi nilainya dalam Rupiah."),
        ({"given_on": ""}, "given_on", "Isi tanggalnya."),
        ({"given_on": "2099-01-01"}, "given_on", "tidak boleh di masa depan"),
        ({"given_on": "2020-01-01"}, "given_on", "sebelum kasus dilaporkan"),
        ({"given_by": ""}, "given_by", "Wajib diisi."),
        ({"note": "x" * 2001}, "note", "2.000 karakter"),
    ],
)
def test_bad_aid_input_is_explained_beside_the_field(
    world, client, auth, overrides, field, message
):
    auth.login("pekerja")
    response = client.post(f"/cases/{world['case'].id}/aid/new", data=aid_form(**overrides))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    beside = text.split(f'id="{field}-errors"', 1)
    assert len(beside) == 2, f"no errors beside {field}"
    assert message in beside[1].split("</ul>", 1)[0]
    if field != "given_by":
        assert 'value="Tim Reaksi Cepat"' in text  # input kept
    assert count(Aid) == 0


@pytest.mark.parametrize(
    ("user", "status"),
    [("pekerja", 200), ("manajer", 200), ("pekerja2", 404), ("bpp_manajer", 404), ("admin", 403)],
)
def test_who_may_record_aid(world, client, auth, user, status):
    auth.login(user)
    case = world["case"]
    assert client.get(f"/cases/{case.id}/aid/new").status_code == status
    posted = client.post(f"/cases/{case.id}/aid/new", data=aid_form())
    assert posted.status_code == (302 if status == 200 else status)


def test_an_outcome_saved_at_the_same_moment_is_refused_not_a_500(world, client, auth, factory):
    from sqlalchemy import update

    followup = factory.followup(world["case"], today())
    db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == followup.id)
        .values(version_id=FollowUp.version_id + 1),
        execution_options={"synchronize_session": False},
    )
    with pytest.raises(service.TransitionRefused, match="sudah dicatat"):
        service.record_outcome(followup, world["worker"], service.Outcome("cancelled", reason="x"))
    db.session.rollback()
    auth.login("pekerja")
    response = client.post(
        f"/follow-ups/{followup.id}/outcome", data=outcome_form(followup, version="abc")
    )
    assert response.status_code == 422
    assert "sudah diubah orang lain" in response.get_data(as_text=True)


def test_english_counts_aid_in_the_singular_and_the_plural(world, client, auth):
    auth.login("pekerja")
    client.post("/account/language", data={"lang": "en"})
    case = world["case"]
    client.post(f"/cases/{case.id}/aid/new", data=aid_form())
    assert "given 1 time<" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    client.post(f"/cases/{case.id}/aid/new", data=aid_form(quantity="3"))
    assert "given 2 times<" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_the_task_list_stops_at_its_limit_and_the_totals_count_everything(
    world, client, auth, frozen, factory, monkeypatch
):
    from portal.services import tasks

    monkeypatch.setattr(tasks, "TASK_LIMIT", 3)
    frozen(date(2026, 8, 18))  # Tuesday after 17 August
    for day in (FRI_BEFORE_INDEPENDENCE, date(2026, 8, 18), date(2026, 8, 20), date(2026, 8, 25)):
        factory.followup(world["case"], day, purpose=f"Tugas {day.isoformat()}")
    factory.followup(world["case"], date(2026, 9, 1), purpose="Tugas paling akhir")
    auth.login("pekerja")
    page = client.get("/tasks").get_data(as_text=True)
    assert "Menampilkan 3 tindak lanjut dengan jatuh tempo terdekat dari 5." in page
    assert "Tugas paling akhir" not in page and "Tugas 2026-08-14" in page
    totals = re.findall(r'<span class="n">(\d+)</span>', page)
    assert totals == ["1", "1", "1", "2"]  # overdue, today, this week, later: all of them

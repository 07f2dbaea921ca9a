"""The case file and the case list: timeline, notes, edits without lost updates, audit."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Aid, AuditLog, Case, CaseEvent, FollowUp, Person, PersonKkHistory
from portal.models.audit import AuditLogImmutable

from .conftest import office_today


def edit_case_form(case, **overrides):
    data = {
        "version": str(case.version_id),
        "category": f"P:{case.ppks_code}",
        "channel": case.channel,
        "reporter_name": case.reporter_name,
        "reporter_phone": "",
        "reported_at": "2026-11-20T16:00",
        "place": case.place,
        "case_district": case.district_code or "",
        "summary": case.summary,
        "urgency": case.urgency,
    }
    data.update(overrides)
    return data


def edit_person_form(person, **overrides):
    data = {
        "version": str(person.version_id),
        "full_name": person.full_name,
        "nik": person.nik or "",
        "kk_number": person.kk_number or "",
        "sex": person.sex,
        "birth_date": "",
        "estimated_age": str(person.estimated_age or ""),
        "birth_place": person.birth_place,
        "phone": "",
        "province_code": person.province_code or "",
        "regency_code": person.regency_code or "",
        "district_code": person.district_code or "",
        "village_code": "",
        "street": person.street,
    }
    data.update(overrides)
    return data


def audit_count(action, case_id=None):
    query = select(func.count()).where(AuditLog.action == action)
    if case_id:
        query = query.where(AuditLog.case_id == case_id)
    return db.session.scalar(query)


def test_viewing_a_case_file_is_audited_with_address(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    client.get(f"/cases/{case.id}", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    entry = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "case.view", AuditLog.case_id == case.id)
    )
    assert entry.user_id == world["worker"].id and entry.ip == "10.1.2.3"


def test_case_file_shows_person_case_and_timeline(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert case.number in page and "Andi Baso" in page
    assert "Kasus didaftarkan" in page
    assert "Ditemukan di pasar." in page
    assert "no-store" in client.get(f"/cases/{case.id}").headers["Cache-Control"]


def test_case_file_query_count_does_not_grow_with_the_timeline(world, client, auth, app):
    from sqlalchemy import event

    case = world["case"]
    url = f"/cases/{case.id}"  # once: reloading `case` in the test is no query of the page
    auth.login("pekerja")
    statements_of_last_run = []

    def count_queries():
        statements = []

        def before(conn, cursor, statement, *args):
            if not statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE is no query
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        statements_of_last_run[:] = statements
        return len(statements)

    few = count_queries()
    for i in range(60):
        client.post(f"{url}/notes", data={"body": f"Catatan {i}"})
    client.post(f"{url}/edit", data=edit_case_form(case, urgency="high"))
    many = count_queries()
    assert many == few, statements_of_last_run
    assert many < 10

    # Follow-ups and aid: one query each, however many there are.
    def add_work(n):
        for i in range(n):
            client.post(
                f"{url}/follow-ups/new",
                data={"kind": "home_visit", "due_in": str(i + 1), "purpose": f"Kunjungan {i}",
                      "assigned_to": str(world["worker"].id)},
            )  # fmt: skip
            client.post(
                f"{url}/aid/new",
                data={"kind": "food", "quantity": "2", "unit": "paket",
                      "given_on": office_today().isoformat(), "given_by": "Tim"},
            )  # fmt: skip

    add_work(1)
    with_work = count_queries()
    add_work(5)
    assert db.session.scalar(select(func.count()).select_from(Aid)) == 6
    assert db.session.scalar(select(func.count()).select_from(FollowUp)) == 6
    more = count_queries()
    assert more == with_work, statements_of_last_run
    assert more < 10, statements_of_last_run


def test_add_a_note_inline_with_htmx(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    response = client.post(
        f"/cases/{case.id}/notes",
        data={"body": "Kunjungan rumah: klien sehat."},
        headers={"HX-Request": "true"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text  # a fragment
    assert "Kunjungan rumah: klien sehat." in text
    assert "Catatan dan riwayat" in text
    assert audit_count("case.note", case.id) == 1


def test_an_empty_note_is_refused_beside_the_field(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    response = client.post(
        f"/cases/{case.id}/notes", data={"body": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#note-form"
    assert "Tulis catatannya dulu." in response.get_data(as_text=True)
    long = client.post(f"/cases/{case.id}/notes", data={"body": "x" * 5001})
    assert long.status_code == 422
    assert db.session.scalar(select(func.count()).where(CaseEvent.kind == "note")) == 0


def test_a_note_without_htmx_redirects_back(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    response = client.post(f"/cases/{case.id}/notes", data={"body": "<b>tebal</b>"})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "&lt;b&gt;tebal&lt;/b&gt;" in page


def test_editing_a_case_records_what_changed(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    form = client.get(f"/cases/{case.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{case.version_id}"' in form
    response = client.post(
        f"/cases/{case.id}/edit", data=edit_case_form(case, urgency="emergency", place="Losari")
    )
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.urgency == "emergency" and case.place == "Losari"
    event = db.session.scalar(select(CaseEvent).where(CaseEvent.kind == "edited"))
    assert event.data["changes"]["urgency"] == ["normal", "emergency"]
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "case.update"))
    assert entry.details["changes"]["place"] == ["", "Losari"]
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Data kasus diubah" in page and "Darurat" in page


def test_a_concurrent_case_edit_is_refused_and_says_what_changed(world, app, client, auth):
    case = world["case"]
    stale = edit_case_form(case)  # both open the form at the same version
    other = app.test_client()
    other.post("/login", data={"username": "manajer", "password": "rahasia123"})
    first = other.post(f"/cases/{case.id}/edit", data=dict(stale, urgency="high"))
    assert first.status_code == 302
    auth.login("pekerja")
    second = client.post(f"/cases/{case.id}/edit", data=dict(stale, place="Pantai Losari"))
    text = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "sudah diubah orang lain" in text
    assert world["manager"].full_name in text
    assert "Tingkat urgensi" in text and "Tinggi" in text
    assert 'value="Pantai Losari"' in text  # what this user typed is kept
    db.session.refresh(case)
    assert case.urgency == "high" and case.place == ""


def test_a_concurrent_person_edit_is_refused(world, app, client, auth):
    case = world["case"]
    person = case.person
    stale = edit_person_form(person)
    other = app.test_client()
    other.post("/login", data={"username": "manajer", "password": "rahasia123"})
    assert (
        other.post(f"/cases/{case.id}/person", data=dict(stale, birth_place="Gowa")).status_code
        == 302
    )
    auth.login("pekerja")
    second = client.post(f"/cases/{case.id}/person", data=dict(stale, birth_place="Maros"))
    assert second.status_code == 409
    assert "Tempat lahir" in second.get_data(as_text=True)
    db.session.refresh(person)
    assert person.birth_place == "Gowa"


def test_person_edit_keeps_kk_history_and_reindexes_search(world, client, auth):
    case = world["case"]
    person = case.person
    auth.login("pekerja")
    response = client.post(
        f"/cases/{case.id}/person",
        data=edit_person_form(
            person, full_name="Andi Baso Daeng Tula", kk_number="7371010101090007"
        ),
    )
    assert response.status_code == 302
    response = client.post(
        f"/cases/{case.id}/person",
        data=edit_person_form(
            db.session.get(Person, person.id),
            full_name="Andi Baso Daeng Tula",
            kk_number="7371010202100008",
        ),
    )
    assert response.status_code == 302
    history = db.session.scalars(
        select(PersonKkHistory.kk_number).where(PersonKkHistory.person_id == person.id)
    ).all()
    assert history == ["7371010101090007", "7371010202100008"]
    assert "Daeng Tula" in client.get("/cases?q=tula").get_data(as_text=True)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Riwayat No. KK" in page and "Data orang diubah" in page


def test_manager_assigns_and_the_worker_then_sees_the_case(world, client, auth):
    case = world["case"]
    auth.login("pekerja2")
    assert client.get(f"/cases/{case.id}").status_code == 404
    auth.logout()
    auth.login("manajer")
    response = client.post(f"/cases/{case.id}/assign", data={"worker": str(world["worker2"].id)})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Kasus ditugaskan" in page and world["worker2"].full_name in page
    auth.logout()
    auth.login("pekerja2")
    assert client.get(f"/cases/{case.id}").status_code == 200
    assert audit_count("case.assign", case.id) == 1


def test_assign_refuses_a_worker_of_another_office(world, client, auth):
    auth.login("manajer")
    response = client.post(
        f"/cases/{world['case'].id}/assign", data={"worker": str(world["other_worker"].id)}
    )
    assert response.status_code == 303
    db.session.refresh(world["case"])
    assert world["case"].assigned_to_id == world["worker"].id


def test_audit_log_is_append_only(world):
    entry = AuditLog(action="case.view", case_id=world["case"].id)
    db.session.add(entry)
    db.session.commit()
    entry.action = "something.else"
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditLog, entry.id))
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    db.session.rollback()


def test_manager_reads_who_saw_a_case(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    client.get(f"/cases/{case.id}")
    auth.logout()
    auth.login("manajer")
    page = client.get(f"/cases/{case.id}/audit").get_data(as_text=True)
    assert "Melihat kasus" in page and world["worker"].full_name in page
    assert f"kasus {case.number}" in page and f"#{case.id}" not in page
    assert client.post(f"/cases/{case.id}/audit").status_code == 405


# --- the list ------------------------------------------------------------------------------


def test_worker_starts_on_my_cases_with_masked_nik(world, client, auth, factory):
    factory.case(world["office"], world["worker"], full_name="Hasnah", nik="7371015203850004")
    auth.login("pekerja")
    page = client.get("/cases").get_data(as_text=True)
    assert "Kasus saya" in page
    assert "7371********0004" in page and "7371015203850004" not in page


@pytest.mark.parametrize(
    "query",
    [
        "hasnah",
        "HASNAH ngai",
        "7371015203850004",
        "73710152",
        "KS-{year}-000003",
        "000003",
        "3",
        "0813 1234",
        "+62813",
    ],
)
def test_search_by_name_nik_number_phone(world, client, auth, factory, query):
    factory.case(
        world["office"],
        world["worker"],
        full_name="Hasnah Daeng Ngai",
        nik="7371015203850004",
        phone="+6281312345678",
    )
    auth.login("pekerja")
    query = query.format(year=office_today().year)  # the case number's year is the office's
    page = client.get("/cases", query_string={"q": query}).get_data(as_text=True)
    assert "Hasnah Daeng Ngai" in page
    assert "Andi Baso" not in page


def test_several_common_words_are_counted_only_so_far(world, client, auth, factory, monkeypatch):
    from portal.services import case_list, search

    monkeypatch.setattr(search, "LEAD_MAX", 0)  # every word counts as common, as at 500,000
    monkeypatch.setattr(case_list, "COMMON_WORDS_COUNT_CAP", 2)
    for name in ("Muhammad Andi Saleh", "Muh. Andi Latif", "Moh. Andi Hamid"):
        factory.case(world["office"], world["manager"], full_name=name)
    auth.login("manajer")
    page = client.get("/cases", query_string={"q": "muh andi"}).get_data(as_text=True)
    assert "Lebih dari 2 kasus; persempit pencarian." in page
    assert "Muhammad Andi Saleh" in page and "Moh. Andi Hamid" in page  # the page is shown
    one_word = client.get("/cases", query_string={"q": "muh"}).get_data(as_text=True)
    assert "3 kasus" in one_word and "Lebih dari" not in one_word  # one word: counted in full


def test_search_as_you_type_answers_a_fragment_and_full_page_on_history_restore(
    world, client, auth
):
    auth.login("manajer")
    fragment = client.get("/cases?q=andi", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Andi Baso" in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    restore = client.get(
        "/cases?q=andi", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.get_data(as_text=True)
    plain = client.get("/cases?q=andi")
    assert "<html" in plain.get_data(as_text=True) and 'name="q"' in plain.get_data(as_text=True)


def test_filters_and_sorting(world, client, auth, factory):
    from datetime import datetime

    office, manager = world["office"], world["manager"]
    factory.case(
        office,
        manager,
        full_name="Lansia Satu",
        ppks_code="08",
        district_code="73.71.02",
        reported_at=datetime(2026, 1, 5, 9, 0),
    )
    auth.login("manajer")

    def names(**params):
        return client.get("/cases", query_string=params).get_data(as_text=True)

    assert "Lansia Satu" in names(category="P:08")
    assert "Andi Baso" not in names(category="P:08")
    assert "Lansia Satu" in names(status="new")
    assert "Andi Baso" not in names(status="new")
    assert "Lansia Satu" in names(worker="none")
    assert "Andi Baso" in names(worker=str(world["worker"].id))
    assert "Sitti Rahmah" not in names(worker=str(world["worker"].id))
    assert "Lansia Satu" in names(date_from="2026-01-01", date_to="2026-01-31")
    assert "Andi Baso" not in names(date_from="2026-01-01", date_to="2026-01-31")
    oldest = names(sort="reported")
    assert oldest.index("Andi Baso") < oldest.index("Lansia Satu")
    assert client.get("/cases?date_from=kemarin&page=abc&sort=zzz").status_code == 200


def test_pagination(world, client, auth, factory):
    for i in range(30):
        factory.case(world["office"], world["manager"], full_name=f"Orang Nomor {i:02d}")
    auth.login("manajer")
    first = client.get("/cases").get_data(as_text=True)
    assert "32 kasus" in first and "Halaman 1 dari 2" in first
    second = client.get("/cases?page=2").get_data(as_text=True)
    assert "Halaman 2 dari 2" in second
    assert client.get("/cases?page=999").status_code == 200


def test_case_counter_never_repeats(world, factory):
    numbers = {factory.case(world["office"], world["worker"]).number for _ in range(10)}
    assert len(numbers) == 10
    in_office = select(func.count(func.distinct(Case.number))).where(
        Case.office_id == world["office"].id
    )
    assert db.session.scalar(in_office) == 12


def test_notes_and_assignment_never_make_an_open_edit_form_stale(world, client, auth):
    case = world["case"]
    stale = edit_case_form(case)
    auth.login("manajer")
    client.post(f"/cases/{case.id}/notes", data={"body": "Catatan manajer"})
    client.post(f"/cases/{case.id}/assign", data={"worker": str(world["worker2"].id)})
    response = client.post(f"/cases/{case.id}/edit", data=dict(stale, place="Pasar Butung"))
    assert response.status_code == 302
    assert db.session.get(Case, case.id).place == "Pasar Butung"


def test_the_assign_message_ends_with_one_full_stop(world, client, auth, factory):
    """QA: "Kasus ditugaskan kepada Andi, S.Sos.." when the name ends with a full stop."""
    worker = factory.user(world["office"], "worker", "andi", full_name="Andi Rahman, S.Sos.")
    db.session.commit()
    auth.login("manajer")
    case = world["case"]
    client.post(f"/cases/{case.id}/assign", data={"worker": str(worker.id)})
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Kasus ditugaskan kepada Andi Rahman, S.Sos.<" in page.replace("\n", "").replace(
        " <", "<"
    )
    assert "S.Sos.." not in page

"""Retention and anonymisation: the closed cases past the office's period are listed for its
managers; one manager asks, another approves; anonymising keeps the reports' figures and the
letters' register entries and hashes, and leaves no trace of the name, NIK, KK or phone in any
text column of the database; it is refused while a case is open or within the period, to the
requester himself and to other roles."""

import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import JSON, LargeBinary, String, Text, select

from portal.extensions import db
from portal.models import AnonymisationRequest, AuditLog, Case, Letter, Person
from portal.services import audit, retention
from portal.services import reports as report_service
from portal.services.report_period import Period
from portal.services.timeutil import office_today

from .test_data_subject import KK, NAME, NIK, PHONE, holding_people, login, rich_person

LONG_AGO = datetime(2020, 1, 10, 3, 0)  # UTC: closed more than 5 years before any test date
WHY = {"reason": "Masa retensi lewat"}


def _age(*cases):
    for case in cases:
        db.session.get(Case, case.id).closed_at = LONG_AGO
    db.session.commit()


def _request_and_approve(client, world, factory, case):
    login(client, world["manager"])
    assert client.post(f"/cases/{case.id}/anonymise", data=WHY).status_code == 303
    flashed = client.get("/retention").get_data(as_text=True)  # not as if already approved
    assert f"Anonimisasi {case.number} diminta; menunggu persetujuan manajer lain." in flashed
    item = db.session.scalars(select(AnonymisationRequest).order_by(AnonymisationRequest.id.desc())).first()  # fmt: skip
    login(client, factory.manager(world["office"], besides=world["manager"]))
    response = client.post(
        f"/retention/requests/{item.id}", data={"action": "approve", "confirm": case.number}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    db.session.expire_all()
    return item


def _refused(client, url, data=None, page="1"):
    """A refused request answers with a redirect to the page's GET address (a reload sends
    nothing again); the page there says why. Answers that page's text."""
    response = client.post(f"{url}?page={page}", data=data or {})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    assert response.headers["Location"] == f"/retention?page={page}"
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _report(world):
    office = world["office"]
    report = report_service.build(world["manager"], Period(date(2019, 1, 1), office_today(office)))
    return (report_service_summary(report), repr(report.total), repr(report.rows))


def report_service_summary(report):
    from portal.services.report_summary import summary

    return summary(report)


def _traces(*needles) -> list[str]:
    """Every String/Text/JSON column of every table holding one of `needles` (any case)."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                text = json.dumps(value) if isinstance(value, dict | list) else str(value or "")
                found += [f"{table.name}.{column.name}: {n}" for n in needles if n.lower() in text.lower()]  # fmt: skip
    return found


def test_the_retention_page_lists_the_cases_past_the_period(client, world, factory):
    rich = rich_person(world, factory)
    _age(rich["older"])
    login(client, world["manager"])
    page = client.get("/retention").get_data(as_text=True)
    assert rich["older"].number in page and rich["first"].number not in page
    assert "Minta anonimisasi" in page


def test_anonymising_keeps_the_figures_and_leaves_no_trace_of_the_person(client, world, factory):
    rich = rich_person(world, factory)
    world["office"].letter_archive_years = 0  # the archive schedule lets the PDFs go at once
    db.session.commit()
    _age(rich["first"], rich["older"])
    audit.record("person.update", object_type="person", object_id=rich["person"].id,
                 details={"changes": {"full_name": [NAME, NAME.upper()], "nik": [None, NIK]}})  # fmt: skip
    db.session.commit()
    issued = db.session.scalars(select(Letter).where(Letter.case_id == rich["first"].id))
    letters = {letter.id: letter.pdf_sha256 for letter in issued}
    assert letters and all(letters.values())
    before = _report(world)
    assert _traces(NAME, NIK, KK, PHONE[1:], "wiraguna")

    _request_and_approve(client, world, factory, rich["first"])
    # his other case is not anonymised yet: the person keeps his identity for it
    person = db.session.get(Person, rich["person"].id)
    assert person.full_name == NAME and person.anonymised_at is None
    assert db.session.get(Case, rich["first"].id).summary == ""

    _request_and_approve(client, world, factory, rich["older"])
    person = db.session.get(Person, rich["person"].id)
    assert person.anonymised_at is not None and person.nik is None
    assert _report(world) == before
    assert _traces(NAME, NIK, KK, PHONE[1:], "wiraguna") == []
    for letter in db.session.scalars(select(Letter).where(Letter.id.in_(letters))):
        assert letter.pdf_sha256 == letters[letter.id] and letter.number and letter.pdf is None
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "case.anonymise")).all()
    assert len(entry) == 2 and entry[-1].details["person_anonymised"] is True
    login(client, world["manager"])
    page = client.get(f"/cases/{rich['first'].id}").get_data(as_text=True)
    assert "Dianonimkan" in page and NAME not in page
    assert client.get(f"/letters/{next(iter(letters))}.pdf").status_code in (409, 422)


def test_an_anonymised_case_reads_as_such_not_as_brackets_or_blanks(client, world, factory):
    """QA of issue 14: the timeline's closure lines said "— [anonim], [anonim]" and the case
    report an empty "Nama :" once anonymised."""
    import io

    from pypdf import PdfReader

    rich = rich_person(world, factory)
    _age(rich["first"], rich["older"])
    _request_and_approve(client, world, factory, rich["first"])
    _request_and_approve(client, world, factory, rich["older"])
    login(client, world["manager"])
    page = client.get(f"/cases/{rich['first'].id}").get_data(as_text=True)
    assert "[anonim]" not in page
    closure = " ".join(page[page.index("Penutupan kasus disetujui") :].split()[:12])
    assert "Penutupan kasus disetujui</strong> — Dikembalikan ke keluarga, " in closure, closure
    assert "(dihapus saat anonimisasi)" in page  # a name that was there (who received him)
    summary = page[page.index("Ringkasan situasi") :]
    assert summary.split("</p>")[0].endswith("(dihapus saat anonimisasi)"), summary[:200]
    person = client.get(f"/people/{rich['person'].id}").get_data(as_text=True)
    assert "Gabungkan dengan orang lain" not in person  # nothing left to merge it with
    pdf = client.get(f"/cases/{rich['first'].id}/report.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Nama : dianonimkan (data pribadi dihapus setelah masa retensi)" in " ".join(
        text.split()
    )
    assert "[anonim]" not in text and NAME not in text


def test_refused_while_open_or_within_the_period(client, world, factory):
    rich = rich_person(world, factory)
    login(client, world["manager"])
    for case, message in (
        (world["case"], "masih terbuka"),  # open
        (rich["first"], "belum lewat"),  # closed today: within the period
    ):
        assert message in _refused(client, f"/cases/{case.id}/anonymise")
    assert db.session.scalar(select(AnonymisationRequest)) is None


def test_one_year_is_said_in_the_singular_in_english(client, world, factory):
    """QA of issue 14: "Cases closed more than 1 years ago"."""
    rich = rich_person(world, factory)
    world["office"].retention_years = 1
    person = world["case"].person
    person.birth_date, person.estimated_age = None, 1
    db.session.commit()
    login(client, world["manager"])
    client.post("/account/language", data={"lang": "en"})
    assert "closed more than 1 year ago" in client.get("/retention").get_data(as_text=True)
    refused = _refused(client, f"/cases/{rich['first'].id}/anonymise")
    assert "(1 year after closure)" in refused
    page = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert "estimated age 1 year<" in page and "1 years" not in page
    world["office"].retention_years = 5
    db.session.commit()
    assert "closed more than 5 years ago" in client.get("/retention").get_data(as_text=True)


def test_a_refused_request_leaves_the_browser_on_the_page_not_the_post_address(
    client, world, factory
):
    """QA: after a refused request the browser stayed on POST /cases/<id>/anonymise, so a
    reload sent it again (or, through htmx, asked that address for a page: 405)."""
    rich = rich_person(world, factory)
    case = rich["older"]
    _age(case)
    login(client, world["manager"])
    typed = "Alasan <singkat> & jelas" + "!" * 500  # too long, kept as typed (escaped)
    for headers in ({}, {"HX-Request": "true", "HX-Boosted": "true"}):
        response = client.post(
            f"/cases/{case.id}/anonymise?page=1", data={"reason": typed}, headers=headers
        )
        assert response.status_code == 303 and response.headers["Location"] == "/retention?page=1"
        page = client.get("/retention?page=1", headers=headers).get_data(as_text=True)
        assert (
            f'<p class="error-text" id="reason-{case.id}-error">Alasan paling panjang 500' in page
        )
        assert 'value="Alasan &lt;singkat&gt; &amp; jelas!!!' in page
        again = client.get("/retention?page=1").get_data(as_text=True)  # a reload: no stale error
        assert "paling panjang 500" not in again and "&lt;singkat&gt;" not in again
    assert db.session.scalar(select(AnonymisationRequest)) is None
    open_case = _refused(client, f"/cases/{world['case'].id}/anonymise", WHY)
    assert '<p class="flash flash-error">Kasus yang masih terbuka' in open_case


def test_the_requester_and_other_roles_may_not_approve(client, world, factory):
    rich = rich_person(world, factory)
    _age(rich["older"])
    login(client, world["worker"])
    assert client.post(f"/cases/{rich['older'].id}/anonymise").status_code == 403
    assert client.get("/retention").status_code == 403
    login(client, world["manager"])
    assert client.post(f"/cases/{rich['older'].id}/anonymise", data=WHY).status_code == 303
    item = db.session.scalar(select(AnonymisationRequest))
    confirm = {"action": "approve", "confirm": rich["older"].number}
    response = client.post(f"/retention/requests/{item.id}", data=confirm)
    assert response.status_code == 403 and "manajer lain" in response.get_data(as_text=True)
    login(client, factory.manager(world["office"], besides=world["manager"]))
    wrong = _refused(
        client, f"/retention/requests/{item.id}", {"action": "approve", "confirm": "x"}
    )
    assert "Ketik nomor kasus" in wrong
    login(client, world["other_manager"])
    assert client.post(f"/retention/requests/{item.id}", data=confirm).status_code == 404
    db.session.expire_all()
    assert db.session.get(Case, rich["older"].id).anonymised_at is None


def test_asking_and_refusing_take_a_reason_kept_in_the_audit(client, world, factory):
    """QA of issue 14: "Minta anonimisasi" and "Tolak" took no reason."""
    rich = rich_person(world, factory)
    case = rich["older"]
    _age(case)
    login(client, world["manager"])
    page = _refused(client, f"/cases/{case.id}/anonymise", {"reason": "  "})
    assert (
        f'<p class="error-text" id="reason-{case.id}-error">Tulis alasan permintaan anonimisasi.</p>'
        in page
    )
    assert db.session.scalar(select(AnonymisationRequest)) is None
    long_text = "x" * 501
    page = _refused(client, f"/cases/{case.id}/anonymise", {"reason": long_text})
    assert "paling panjang 500" in page and f'value="{long_text}"' in page  # the text kept
    asked = client.post(
        f"/cases/{case.id}/anonymise", data={"reason": "Lewat 5 tahun, arsip dibersihkan"}
    )
    assert asked.status_code == 303
    item = db.session.scalar(select(AnonymisationRequest))
    login(client, factory.manager(world["office"], besides=world["manager"]))
    desk = client.get("/retention").get_data(as_text=True)
    assert "Alasan: Lewat 5 tahun, arsip dibersihkan" in desk  # the deciding manager reads why
    page = _refused(client, f"/retention/requests/{item.id}", {"action": "reject", "reason": ""})
    assert f'id="reject-reason-{item.id}-error">Tulis alasan penolakan.' in page
    db.session.expire_all()
    assert db.session.get(AnonymisationRequest, item.id).status == "requested"
    why = "Keluarga masih meminta salinan berkas"
    done = client.post(f"/retention/requests/{item.id}", data={"action": "reject", "reason": why})
    assert done.status_code == 303
    entries = {
        e.action: e.details["reason"]
        for e in db.session.scalars(select(AuditLog).where(AuditLog.action.like("case.anonymise%")))
    }
    assert entries == {
        "case.anonymise_request": "Lewat 5 tahun, arsip dibersihkan",
        "case.anonymise_reject": why,
    }
    trail = client.get(f"/cases/{case.id}/audit").get_data(as_text=True)
    assert "Meminta anonimisasi kasus" in trail and "Menolak anonimisasi kasus" in trail


def test_the_audit_log_refuses_changes_but_the_scrub(app, world):
    import pytest
    from sqlalchemy import delete, update

    from portal.models.audit import AuditLogImmutable

    entry = audit.record("case.view", details={"name": NAME})
    db.session.commit()
    for statement in (update(AuditLog).values(action="x"), delete(AuditLog)):
        with pytest.raises(AuditLogImmutable):
            db.session.execute(statement)
        db.session.rollback()
    assert audit.scrub_details([entry.id]) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(AuditLog, entry.id).details == {"name": audit.REMOVED}


def test_every_table_that_can_hold_a_persons_data_is_anonymised_or_said_why_not(app):
    """A new table (unless data_subject.NO_CLIENT_DATA says it holds nobody's data) fails here
    until retention.CASE_SCRUBS or PERSON_SCRUBS clears it, PERSON_FORGETS removes him from
    it, or KEPT says why it stays. registry_import, whose rows name people only inside a JSON
    list, went unnoticed by the earlier check of person_id/case_id columns."""
    scrubbed = {s.model.__tablename__ for s in retention.CASE_SCRUBS + retention.PERSON_SCRUBS}
    tables = holding_people(db.metadata.sorted_tables)
    assert "registry_import" in tables
    missing = tables - scrubbed - set(retention.PERSON_FORGETS) - set(retention.KEPT)
    assert not missing, f"add to services/retention's registry: {sorted(missing)}"


def test_the_demo_has_cases_past_the_period_and_two_managers(app, runner, client):
    from portal.models import User

    assert runner.invoke(args=["seed-demo", "--cases", "10"]).exit_code == 0
    assert db.session.scalar(select(AnonymisationRequest)).status == "requested"
    client.post("/login", data={"username": "manajer2", "password": "demo1234"})
    page = client.get("/retention").get_data(as_text=True)
    assert "3 kasus melewati masa retensi" in page and "Setujui dan anonimkan" in page
    assert db.session.scalar(select(User).where(User.username == "manajer2")).role == "manager"


def test_the_admin_sets_the_retention_and_archive_periods(client, world):
    from .test_admin import office_form

    login(client, world["admin"])
    office = world["office"]
    form = office_form(office, retention_years="7", letter_archive_years="0")
    assert client.post("/admin/office", data=form).status_code == 302
    db.session.expire_all()
    assert (office.retention_years, office.letter_archive_years) == (7, 0)
    wrong = client.post("/admin/office", data=office_form(office, retention_years="0"))
    assert wrong.status_code == 422 and "Masa simpan kasus" in wrong.get_data(as_text=True)


def test_an_anonymised_case_is_never_reopened_and_its_letters_follow_the_schedule(
    client, runner, world, factory
):
    rich = rich_person(world, factory)
    _age(rich["first"], rich["older"])
    _request_and_approve(client, world, factory, rich["older"])
    case = db.session.get(Case, rich["older"].id)
    login(client, world["manager"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Dianonimkan" in page and "Buka kembali" not in page
    assert client.post(f"/cases/{case.id}/reopen", data={"reason": "x"}).status_code in (403, 404)
    _request_and_approve(client, world, factory, rich["first"])
    letters = list(db.session.scalars(select(Letter).where(Letter.case_id == rich["first"].id)))
    assert letters and all(letter.pdf for letter in letters)  # 10 years: kept for now
    world["office"].letter_archive_years = 0
    db.session.commit()
    result = runner.invoke(args=["purge-letter-archive"])
    assert f"{len(letters)} archived letter PDFs removed" in result.output
    db.session.expire_all()
    assert all(letter.pdf is None and letter.pdf_sha256 for letter in letters)
    item = db.session.scalars(select(AnonymisationRequest)).first()
    other = factory.manager(world["office"], besides=world["manager"])
    login(client, other)
    again = client.post(f"/retention/requests/{item.id}", data={"action": "reject", **WHY})
    assert again.status_code in (403, 409)


def test_the_retention_page_costs_the_same_for_one_case_or_twenty(client, world, factory):
    from sqlalchemy import event

    from portal.services import retention as service

    office, worker = world["office"], world["worker"]

    def old_case(i, local_type=None):
        case = factory.case(office, worker, full_name=f"Lama {i}", local_type_id=local_type)
        factory.closure(case)
        db.session.get(Case, case.id).closed_at = LONG_AGO
        db.session.commit()
        service.request(world["manager"], case, office_today(office), "Lewat masa retensi")
        db.session.commit()

    def count():
        statements = []

        def before(conn, cursor, statement, *args):
            if not statement.startswith("BEGIN"):
                statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get("/retention").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    old_case(0)
    login(client, factory.manager(office, besides=world["manager"]))
    few = count()
    types = [t.id for t in office_local_types(office)]
    for i in range(1, 20):
        old_case(i, types[i % len(types)] if types else None)
    assert count() == few


def office_local_types(office):
    from portal.models import LocalCaseType

    return list(
        db.session.scalars(select(LocalCaseType).where(LocalCaseType.office_id == office.id))
    )


def test_an_anonymised_record_takes_no_identity_merge_or_registry_status_again(
    client, world, factory
):
    """Irreversible: no Koreksi identitas on the anonymised case, no merge of the anonymised
    person into a named one, no registry status recorded for him."""
    case = factory.case(world["office"], world["worker"], full_name="Daeng Matutu")
    factory.closure(case, "closed")
    _age(case)
    _request_and_approve(client, world, factory, case)
    named = factory.case(world["office"], world["worker"], full_name="Daeng Matutu Baru")
    login(client, world["manager"])
    assert client.get(f"/cases/{case.id}/identify").status_code == 403
    person_id = db.session.get(Case, case.id).person_id
    merge_page = client.get(f"/people/merge?keep={named.person_id}&merge={person_id}")
    assert merge_page.status_code == 422
    assert "sudah dianonimkan" in merge_page.get_data(as_text=True)
    assert client.get(f"/people/{person_id}/registry").status_code == 403
    assert "Daeng Matutu" not in db.session.get(Case, case.id).person.display_name


def _blobs(*contents: bytes) -> list[str]:
    """Every binary column of every table holding one of `contents` (whole or inside)."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, LargeBinary)]
        for column in columns:
            for (value,) in db.session.execute(select(column).where(column.is_not(None))):
                found += [f"{table.name}.{column.name}" for c in contents if c in bytes(value)]
    return found


def test_anonymising_one_case_of_a_person_who_keeps_another_leaves_no_trace_of_it(
    client, world, factory
):
    """Issue 14: the documents added on the expired case hung on the person too and stayed
    (their bytes, thumbnails, names); the person's papers (KTP) and the kept case's stay."""
    from portal.models import Attachment
    from portal.services import attachments

    from .test_attachments import pdf, png

    office, worker = world["office"], world["worker"]
    expired = factory.case(office, worker, full_name=NAME, nik=NIK,
                           summary="Ditemukan tidur di dermaga Paotere.")  # fmt: skip
    person = expired.person

    def add(case, doc_type, data, filename, note, **values):
        values = {"doc_type": doc_type, "note": note, **values}
        return attachments.add(case, worker, values, io.BytesIO(data), filename)

    police = add(expired, "polisi", pdf(2), "laporan-polsek-tallo.pdf", "Laporan Polsek Tallo")
    ticket = add(expired, "tiket", png(60, 40, (10, 200, 90)), "tiket-pelni-lambelu.png",
                 "Tiket KM Lambelu")  # fmt: skip
    lab = add(expired, "rujukan_medis", png(50, 50, (90, 10, 200)), "rujukan-rsud-daya.png",
              "Rujukan RSUD Daya")  # fmt: skip
    ktp = add(expired, "ktp", png(80, 50, (250, 250, 10)), "ktp.png", "KTP asli")
    db.session.commit()
    gone = [db.session.get(Attachment, item.id) for item in (police, ticket, lab)]
    contents = [item.data for item in gone] + [item.thumbnail for item in gone if item.thumbnail]
    assert len(contents) == 5
    factory.closure(expired)
    kept = factory.case(office, worker, person=db.session.get(Person, person.id))
    bus = add(kept, "tiket", png(70, 30, (10, 10, 250)), "tiket-bus.png", "Tiket bus Bone")
    db.session.commit()
    _age(expired)
    needles = ("Polsek Tallo", "laporan-polsek", "Lambelu", "tiket-pelni", "RSUD Daya",
               "rujukan-rsud", "dermaga Paotere")  # fmt: skip
    assert len(_traces(*needles)) >= len(needles) and _blobs(*contents)

    _request_and_approve(client, world, factory, expired)
    assert db.session.get(Person, person.id).full_name == NAME  # he keeps his other case
    assert _traces(*needles) == []
    assert _blobs(*contents) == []
    left = set(db.session.scalars(select(Attachment.id).where(Attachment.person_id == person.id)))
    assert left == {ktp.id, bus.id}  # his KTP goes with him to every case; the bus ticket's case
    login(client, world["manager"])
    page = client.get(f"/cases/{kept.id}").get_data(as_text=True)
    assert "Tiket bus Bone" in page and "KTP asli" in page


def test_a_siks_ng_preview_naming_the_person_keeps_no_name_or_nik_once_he_is_anonymised(
    client, world, factory
):
    """Issue 14: a SIKS-NG file's preview waiting for "Terapkan" kept his NIK and name (the
    file's and ours) after he was anonymised; applying it then stops at his row."""
    from portal.models import RegistryImport

    from .test_registry import _csv, _upload

    case = factory.case(world["office"], world["worker"], full_name=NAME, nik=NIK)
    factory.closure(case)
    _age(case)
    other = world["case"].person
    other.nik = OTHER_NIK = "7371015203850004"
    db.session.commit()
    login(client, world["manager"])
    rows = [["NIK", "NAMA", "STATUS DTSEN"], [NIK, "BAHARUDIN W.", "TERDAFTAR"],
            [NIK, "Baharuddin", "TERDAFTAR"], [OTHER_NIK, other.full_name, "TERDAFTAR"]]  # fmt: skip
    pending = _upload(client, _csv(rows)).headers["Location"]
    assert _traces(NAME, NIK, "BAHARUDIN W.")

    _request_and_approve(client, world, factory, case)
    assert _traces(NAME, NIK, "BAHARUDIN W.") == []
    login(client, world["manager"])
    page = client.get(pending).get_data(as_text=True)
    assert "Orangnya sudah dianonimkan: 2" in page and other.full_name in page
    assert client.post(pending, data={}).status_code == 303
    item = db.session.scalar(select(RegistryImport))
    assert [row.get("applied") for row in item.rows] == [False, False, True]


@pytest.mark.office_clock
def test_the_page_keeps_a_note_of_what_was_anonymised_lately(client, world, factory):
    """QA: an anonymised case simply left the list, with nothing there saying what was done."""
    rich = rich_person(world, factory)
    _age(rich["older"])
    approver = factory.manager(world["office"], besides=world["manager"])
    item = _request_and_approve(client, world, factory, rich["older"])
    page = client.get("/retention").get_data(as_text=True)
    note = page[page.index("Baru dianonimkan (30 hari terakhir)") :]
    assert rich["older"].number in note and world["manager"].full_name in note
    assert approver.full_name in note and NAME not in note
    old = db.session.get(AnonymisationRequest, item.id)
    old.decided_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=32)
    db.session.commit()
    assert "Baru dianonimkan" not in client.get("/retention").get_data(as_text=True)
    login(client, world["other_manager"])  # another office's managers see nothing of it
    assert rich["older"].number not in client.get("/retention").get_data(as_text=True)

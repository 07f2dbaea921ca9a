"""The data-subject request (UU PDP Pasal 7 and 32): a manager gets, for one person, every record
the office holds about him (per table) and the processing trail, as a PDF and a ZIP of JSON with
the documents; nothing of anyone else; the request is audited; other roles are refused."""

import io
import json
import zipfile
from datetime import datetime

from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Aid,
    AuditLog,
    Case,
    CaseClosure,
    CaseEvent,
    FollowUp,
    Letter,
    PersonKkHistory,
    PersonMerge,
    Referral,
)
from portal.services import cases as case_service
from portal.services import data_subject
from portal.services import merge as merge_service

from .test_routes_access import png_bytes

NAME, NIK, KK, PHONE = "Baharuddin Wiraguna", "7371011405790003", "7371010101090007", "0812345678"
OTHER_NAME, OTHER_NIK = "Sitti Rahmawangi", "7371015203850004"


def login(client, user):
    client.post("/logout")
    assert client.post("/login", data={"username": user.username, "password": "rahasia123"}).status_code == 302  # fmt: skip


def rich_person(world, factory, reported_at=datetime(2019, 3, 1, 9, 0)):
    """A person with everything: NIK, KK, phone, a photo, two cases (one of a record merged into
    him), a completed return home with its letters, a follow-up, aid, a note naming him, a
    closure; and in the same office another person who must never appear in his export."""
    office, worker = world["office"], world["worker"]
    first = factory.case(
        office, worker, full_name=NAME, nik=NIK, kk_number=KK, phone=PHONE,
        birth_date=datetime(1979, 5, 14).date(), reported_at=reported_at,
        summary=f"{NAME} ditemukan di terminal.", photo=(png_bytes(), "image/png", "wiraguna.png"),
    )  # fmt: skip
    older = factory.case(office, worker, full_name="Bahar Wiraguna", reported_at=reported_at)
    other = factory.case(office, worker, full_name=OTHER_NAME, nik=OTHER_NIK, sex="P")
    manager = world["manager"]
    merged = older.person
    merge_service.merge(manager, first.person, merged, {}, (first.person.version_id, merged.version_id))  # fmt: skip
    db.session.commit()
    factory.referral(first, "completed", kind="return_home", escort=f"Keluarga {NAME}")
    factory.followup(first, purpose=f"Kunjungi {NAME} di rumah")
    factory.aid(first, note=f"Diterima {NAME}")
    case_service.add_note(first, worker, f"{NAME} menyebut kakaknya tinggal di Bone.")
    factory.closure(first, summary=f"{NAME} kembali ke keluarga.", cancel_reason="Selesai.")
    factory.closure(older, summary="Pulang.")
    db.session.commit()
    return {
        "first": first, "older": older, "other": other, "person": first.person, "merged": merged,
    }  # fmt: skip


def _export(client, person, fmt):
    response = client.post(f"/people/{person.id}/export.{fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_the_export_holds_every_record_of_the_person_per_table_and_nothing_of_another(
    client, world, factory
):
    rich = rich_person(world, factory)
    person = rich["person"]
    login(client, world["manager"])
    archive = zipfile.ZipFile(io.BytesIO(_export(client, person, "zip").data))
    data = {
        name[5:-5]: json.loads(archive.read(name))
        for name in archive.namelist()
        if name.startswith("data/")
    }
    case_ids = {rich["first"].id, rich["older"].id}

    def ids(table):
        return {row["id"] for row in data[table]}

    def expected(model, *where):
        return set(db.session.scalars(select(model.id).where(*where)))

    assert ids("person") == {person.id, rich["merged"].id}
    assert {row["full_name"] for row in data["person"]} == {NAME, "Bahar Wiraguna"}
    assert ids("case") == case_ids
    assert ids("person_kk_history") == expected(PersonKkHistory, PersonKkHistory.person_id == person.id)  # fmt: skip
    assert ids("person_kk_history")
    assert ids("person_merge") == expected(PersonMerge) and ids("person_merge")
    assert ids("attachment") == {person.photo_id}
    assert ids("case_event") == expected(CaseEvent, CaseEvent.case_id.in_(case_ids))
    assert any(NAME in row["body"] for row in data["case_event"])
    assert ids("referral") == expected(Referral, Referral.case_id.in_(case_ids)) and ids("referral")
    letters = expected(Letter, Letter.case_id.in_(case_ids))
    assert ids("letter") == letters and len(letters) >= 2  # pengantar, surat jalan, berita acara
    assert ids("aid") == expected(Aid, Aid.case_id.in_(case_ids)) and ids("aid")
    assert ids("follow_up") == expected(FollowUp, FollowUp.case_id.in_(case_ids))
    assert ids("follow_up")
    assert ids("case_closure") == expected(CaseClosure, CaseClosure.case_id.in_(case_ids))
    assert len(ids("case_closure")) == 2
    assert data["anonymisation_request"] == [] and data["person_identification"] == []
    trail = expected(AuditLog, AuditLog.case_id.in_(case_ids))
    assert trail and trail <= ids("audit_log")  # who registered, edited, printed his cases
    documents = [n for n in archive.namelist() if n.startswith("dokumen/")]
    assert any(n.startswith("dokumen/lampiran-") for n in documents)
    assert len([n for n in documents if n.startswith("dokumen/surat-")]) == len(letters)
    blob = b"".join(archive.read(n) for n in archive.namelist() if not n.endswith(".pdf"))
    assert NIK.encode() in blob and KK.encode() in blob
    assert OTHER_NAME.encode() not in blob and OTHER_NIK.encode() not in blob
    text = _pdf_text(archive.read("laporan-data-pribadi.pdf"))
    assert OTHER_NAME not in text and OTHER_NIK not in text
    for name in documents:
        if name.endswith(".pdf"):
            assert OTHER_NAME not in _pdf_text(archive.read(name))


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_report_is_readable_and_escapes_what_users_typed(client, world, factory):
    rich = rich_person(world, factory)
    case_service.add_note(rich["first"], world["worker"], '<img src="file:///etc/passwd"> catatan')
    db.session.commit()
    login(client, world["manager"])
    response = _export(client, rich["person"], "pdf")
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    for expected in (NAME, NIK, KK, rich["first"].number, "Jejak pemrosesan", "Riwayat No. KK"):
        assert expected in text, expected
    assert '<img src="file:///etc/passwd">' in text  # printed as text, nothing fetched
    assert OTHER_NAME not in text


def test_the_request_is_audited(client, world, factory):
    rich = rich_person(world, factory)
    login(client, world["manager"])
    _export(client, rich["person"], "zip")
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "person.data_export"))
    assert entry.user_id == world["manager"].id and entry.object_id == rich["person"].id
    assert entry.details["fmt"] == "zip" and entry.details["rows"]["case"] == 2


def test_only_the_offices_managers_may_ask(client, world, factory):
    rich = rich_person(world, factory)
    person = rich["person"]
    for user, status in (
        (world["worker"], 403),  # his own worker sees the person, but exports are the managers'
        (world["admin"], 403),
        (world["other_manager"], 404),
    ):
        login(client, user)
        assert client.post(f"/people/{person.id}/export.zip").status_code == status, user.username
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "person.data_export")) is None  # fmt: skip
    login(client, world["manager"])
    page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Permintaan data pribadi" in page


def _names_people_or_cases(table) -> bool:
    for column in table.columns:
        if column.name in ("person_id", "case_id"):
            return True
        if any(fk.column.table.name in ("person", "case") for fk in column.foreign_keys):
            return True
    return False


def holding_people(tables) -> set[str]:
    """The tables that can hold a person's data: all but those data_subject.NO_CLIENT_DATA
    says hold none (a new table counts until it is said so), which must name no person or
    case by a key."""
    none = set(data_subject.NO_CLIENT_DATA)
    assert not {t.name for t in tables if t.name in none and _names_people_or_cases(t)}
    return {t.name for t in tables} - none


def test_every_table_that_can_hold_a_persons_data_is_exported_or_said_why_not(app):
    """A new table (guardians, registry status, typed attachments, a file's preview, ...) fails
    here until it is in data_subject.SOURCES or NOT_EXPORTED, or NO_CLIENT_DATA says it holds
    nobody's data."""
    registered = {source.table for source in data_subject.SOURCES} | set(data_subject.NOT_EXPORTED)
    tables = holding_people(db.metadata.sorted_tables)
    assert "registry_import" in tables
    missing = tables - registered
    assert not missing, f"add to services/data_subject.SOURCES: {sorted(missing)}"
    assert {"person", "case", "attachment", "audit_log"} <= registered
    assert Case.__tablename__ in tables


def test_the_pdf_reads_in_words_not_as_a_database_dump(client, world, factory, tmp_path):
    """QA of issue 14: the PDF showed column names, True/False, UTC ISO times and raw codes.
    Now Indonesian labels, Ya/Tidak, "1 Maret 2019" and local times (WITA), codes as names;
    every exported column has a label (data_subject_text.LABELS)."""
    import os
    import re

    from portal.services import audit, data_subject_text

    rich = rich_person(world, factory)
    audit.record("person.update", user=world["worker"], object_type="person",
                 object_id=rich["person"].id,
                 details={"changes": {"full_name": ["Bahar", NAME], "sex": [None, "L"]}})  # fmt: skip
    db.session.commit()
    login(client, world["manager"])
    response = _export(client, rich["person"], "pdf")
    if os.environ.get("DATA_SUBJECT_PDF"):  # to look at it: pdftoppm -png -r 60 <file> page
        with open(os.environ["DATA_SUBJECT_PDF"], "wb") as out:
            out.write(response.data)
    text = " ".join(_pdf_text(response.data).split())
    for raw in ("full_name", "kk_number", "created_at", "True", "False", "returned_family",
                "case.view", "person_id", "in_progress"):  # fmt: skip
        assert raw not in text, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)
    for words in (f"Nama lengkap : {NAME}", f"No. KK : {KK}", "Jenis kelamin : Laki-laki",
                  "Tanggal lahir : 14 Mei 1979", "Waktu laporan : 1 Maret 2019 09.00 WITA",
                  "Alasan penutupan : Dikembalikan ke keluarga", "Data kesehatan : Tidak",
                  f"Nomor : {rich['first'].number}", "Status : Ditutup",
                  f"Dicatat oleh : {world['worker'].full_name}",
                  f"Perubahan: Nama lengkap: Bahar → {NAME}; Jenis kelamin: — → Laki-"):  # fmt: skip
        assert words in text, words
    for source in data_subject.SOURCES:
        for column in data_subject._columns(source.model):
            if column.key not in data_subject_text.SKIPPED:
                assert data_subject_text.has_label(source.table, column.key), column.key


def test_the_pdf_names_records_by_what_a_person_knows_not_by_record_numbers(client, world, factory):
    """QA: the PDF printed "Nomor data : 4", "Objek: no. 1", "Rujukan : no. 1" and raw detail
    keys ("from", "to", "document"): now the case number, the letter number, the referral's
    kind and case, the people's names; internal numbers left out."""
    import re

    from portal.models import Letter, Referral
    from portal.services import audit

    rich = rich_person(world, factory)
    case, worker, manager = rich["first"], world["worker"], world["manager"]
    audit.record("case.assign", user=manager, object_type="case", object_id=case.id,
                 case_id=case.id, details={"from": worker.id, "to": manager.id})  # fmt: skip
    audit.record("case.print", user=manager, object_type="case", object_id=case.id,
                 case_id=case.id, details={"document": "laporan_kasus"})  # fmt: skip
    db.session.commit()
    login(client, manager)
    text = " ".join(_pdf_text(_export(client, rich["person"], "pdf").data).split())
    assert "Nomor data" not in text
    assert not re.search(r"\bno\. \d", text), re.search(r".{40}\bno\. \d.{20}", text)
    referral = db.session.scalars(select(Referral).where(Referral.case_id == case.id)).first()
    letter = db.session.scalars(select(Letter).where(Letter.case_id == case.id)).first()
    kind = f"Pemulangan ke daerah asal, {case.number}"
    assert referral and f"Rujukan : {kind}" in text
    assert f"Tentang: rujukan · Objek: {kind}" in text
    assert f"Tentang: surat · Objek: {letter.number}" in text
    assert f"Tentang: orang · Objek: {NAME}" in text
    assert f"Dari: {worker.full_name}; Ke: {manager.full_name}" in text
    assert "Dokumen: Laporan penanganan kasus" in text
    assert "Foto wajah (lampiran) : Foto" in text


def test_a_letters_status_and_a_referrals_codes_are_in_words(client, world, factory):
    """QA: the PDF said "Status : valid" for a letter (and "void" for a cancelled one),
    "Jaminan kesehatan : kis" and "Keadaan keluarga : not" for an RSJ referral."""
    from portal.services import letters as letter_service

    rich = rich_person(world, factory)
    case_letters = db.session.scalars(
        select(Letter).where(Letter.case_id == rich["first"].id).order_by(Letter.id)
    ).all()
    voided = case_letters[0]
    letter_service.void(voided, world["manager"], "Salah tanggal")
    case = world["case2"]  # and an RSJ referral's codes (its insurance: not the registry's list)
    factory.referral(
        case,
        "approved",
        "rsj",
        insurance="kis",
        insurance_number="0001234567890",
        family_status="not",
        family_reason="Keluarga belum ditemukan.",
    )
    db.session.commit()
    login(client, world["manager"])
    text = " ".join(_pdf_text(_export(client, rich["person"], "pdf").data).split())
    assert "Status : Berlaku" in text and "Status : Dibatalkan" in text
    assert "Status : valid" not in text and "Status : void" not in text
    text = " ".join(_pdf_text(_export(client, case.person, "pdf").data).split())
    assert (
        "Jaminan kesehatan : KIS (PBI)" in text and "Keadaan keluarga : Tidak diberi tahu" in text
    )

"""Batch print: a manager ticks letters on the register (or takes all its filter finds) and gets
one PDF of their archived bytes, each letter's print in the audit log; letters the manager may
not download are left out; at most BATCH_MAX at once."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Letter
from portal.services.letter_batch import BATCH_MAX


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def batch_audits() -> list[int]:
    db.session.rollback()
    query = select(AuditLog.object_id).where(AuditLog.action == "letter.print_batch")
    return sorted(db.session.scalars(query))


def test_register_offers_batch_print_to_a_manager_only(world, client, auth, factory):
    letter = factory.referral(world["case"], "approved", "service").letter
    auth.login("manajer")
    page = client.get("/letters").text
    assert 'id="batch-print"' in page and f'name="ids" value="{letter.id}"' in page
    assert "Cetak semua hasil pencarian ini" in page
    auth.logout()
    auth.login("pekerja")
    page = client.get("/letters").text
    assert "batch-print" not in page and 'name="ids"' not in page
    assert client.post("/letters/print", data={"ids": [letter.id]}).status_code == 403


def test_ticked_letters_come_as_one_pdf_each_audited(world, client, auth, factory):
    first = factory.referral(world["case"], "approved", "service").letter
    second = factory.referral(world["case2"], "approved", "placement").letter
    foreign = factory.referral(world["other_case"], "approved", "service").letter
    numbers = {first.id: first.number, second.id: second.number}
    auth.login("manajer")
    answer = client.post("/letters/print", data={"ids": [first.id, second.id, foreign.id]})
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["X-Letters-Printed"] == "2"
    assert answer.headers["X-Letters-Left-Out"] == "1"  # another office's letter
    pages = pdf_pages(answer.data)
    assert len(pages) == 2
    assert numbers[first.id] in pages[0] and numbers[second.id] in pages[1]
    assert batch_audits() == sorted([first.id, second.id])


def test_all_finds_of_the_filter(world, client, auth, factory):
    wanted = factory.referral(world["case"], "approved", "service").letter
    factory.referral(world["case2"], "approved", "service")
    auth.login("manajer")
    answer = client.post("/letters/print", data={"scope": "filter", "q": world["case"].number})
    assert answer.status_code == 200
    assert answer.headers["X-Letters-Printed"] == "1"
    assert wanted.number in pdf_pages(answer.data)[0]
    assert batch_audits() == [wanted.id]


def test_nothing_chosen_or_too_many_is_refused_and_nothing_audited(world, client, auth, factory):
    factory.referral(world["case"], "approved", "service")
    auth.login("manajer")
    answer = client.post("/letters/print", data={"ids": []}, follow_redirects=True)
    assert "Pilih dulu surat yang akan dicetak." in answer.text
    many = list(range(1, BATCH_MAX + 2))
    answer = client.post("/letters/print", data={"ids": many}, follow_redirects=True)
    assert f"Paling banyak {BATCH_MAX} surat sekali cetak" in answer.text
    assert batch_audits() == []


def test_an_unarchived_letter_is_archived_when_printed(world, client, auth, factory):
    letter_id = factory.referral(world["case"], "approved", "service", archive=False).letter.id
    auth.login("manajer")
    answer = client.post("/letters/print", data={"ids": [letter_id]})
    assert answer.status_code == 200
    db.session.expire_all()
    assert db.session.get(Letter, letter_id).pdf_sha256 != ""
    assert len(pdf_pages(answer.data)) == 1

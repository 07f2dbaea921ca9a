"""What a QA tester found in the case search (issue 13 follow-up): a merged-away NIK, compound
names written together or apart, titles and ages typed, impossible ranges, colleagues' matches
and the letter register's search."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import CaseSearchTerm
from portal.services import search

OLD_NIK = "7371015508800004"
KEPT_NIK = "7371011405790003"


def listed(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _merge(world, factory):
    from portal.services import merge

    office, worker = world["office"], world["worker"]
    kept = factory.case(office, worker, full_name="Ahmad Yani", nik=KEPT_NIK)
    gone = factory.case(office, worker, full_name="Ahmad Yani", nik=OLD_NIK)
    record = merge.merge(
        world["manager"], kept.person, gone.person, {},
        (kept.person.version_id, gone.person.version_id),
        confirmation={"confirmed": True, "reason": "KTP lama sebelum perekaman ulang"},
    )  # fmt: skip
    db.session.commit()
    return kept, gone, record


def test_the_merged_away_nik_finds_the_person(world, factory, client, auth):
    kept, gone, _record = _merge(world, factory)
    auth.login("manajer")
    page = listed(client, f"/cases?q={OLD_NIK}")
    assert kept.number in page and gone.number in page and "2 kasus" in page


def test_undoing_the_merge_takes_the_nik_back(world, factory, client, auth):
    from portal.services import merge

    kept, gone, record = _merge(world, factory)
    db.session.refresh(kept.person)
    merge.undo(world["manager"], record, kept.person.version_id, undo_days=30)
    db.session.commit()
    auth.login("manajer")
    page = listed(client, f"/cases?q={OLD_NIK}")
    assert gone.number in page and kept.number not in page


def test_the_batched_reindex_keeps_the_merged_nik(world, factory):
    kept, _gone, _record = _merge(world, factory)

    def tokens():
        return set(
            db.session.scalars(
                select(CaseSearchTerm.token).where(CaseSearchTerm.case_id == kept.id)
            )
        )

    before = tokens()
    assert OLD_NIK in before
    for _done, _total in search.reindex_office(world["office"].id, batch=1):
        pass
    db.session.commit()
    assert tokens() == before


@pytest.mark.parametrize("typed", ["Nur Hasanah", "Nurhasanah", "nur hasanah", "Hasanah"])
def test_nur_hasanah_written_together_or_apart(world, factory, client, auth, typed):
    office, worker = world["office"], world["worker"]
    together = factory.case(office, worker, full_name="Hj. St. Nurhasanah", sex="P")
    apart = factory.case(office, worker, full_name="Nur Hasanah", sex="P")
    auth.login("manajer")
    page = listed(client, f"/cases?q={typed}")
    assert together.number in page and apart.number in page


@pytest.mark.parametrize("typed", ["Abdul Rahman", "Abdulrahman", "Abd. Rahman", "Rahman"])
def test_abdul_rahman_written_together_or_apart(world, factory, client, auth, typed):
    office, worker = world["office"], world["worker"]
    together = factory.case(office, worker, full_name="Abdulrahman")
    apart = factory.case(office, worker, full_name="Abdul Rahman")
    auth.login("manajer")
    page = listed(client, f"/cases?q={typed}")
    assert together.number in page and apart.number in page


@pytest.mark.parametrize("typed", ["Hj", "H.", "Hj.", "haji"])
def test_a_title_alone_finds_nothing_rather_than_everything(world, client, auth, typed):
    auth.login("manajer")
    page = listed(client, f"/cases?q={typed}")
    assert world["case"].number not in page and world["case2"].number not in page
    assert "Tidak ada kasus" in page or "0 kasus" in page


@pytest.mark.parametrize("typed", ["48", "48 tahun", "sekitar 48 tahun", "umur 48", "usia 48 thn"])
def test_an_age_typed_with_its_words(world, factory, client, auth, typed):
    office, worker = world["office"], world["worker"]
    man = factory.case(office, worker, full_name="", identity_known=False, estimated_age=48)
    auth.login("manajer")
    page = listed(client, f"/cases?q={typed}")
    assert man.number in page and world["case"].number not in page


def _unknown(world, factory, age, found_day, **values):
    from datetime import datetime

    from portal.services.timeutil import local_to_utc

    office = world["office"]
    case = factory.case(
        office, world["worker"], full_name="", identity_known=False, estimated_age=age, **values
    )
    case.person.found_at = local_to_utc(datetime(2026, 11, found_day, 8, 0), office.timezone)
    db.session.commit()
    return case


def test_an_impossible_age_range_is_shown_and_ignored(world, factory, client, auth):
    young = _unknown(world, factory, 25, 10)
    auth.login("manajer")
    for url in ("/cases?age_min=60&age_max=20", "/unidentified?age_min=60&age_max=20"):
        page = listed(client, url)
        assert "Umur ini lebih kecil dari umur awal." in page
        assert young.number in page  # the range ignored, not "nobody"
        assert 'value="60"' in page and 'value="20"' in page  # as typed


def test_an_impossible_found_range_is_shown_and_ignored(world, factory, client, auth):
    early = _unknown(world, factory, 30, 5)
    auth.login("manajer")
    for url in ("/cases?found_from=2026-11-20&found_to=2026-11-01",
                "/unidentified?found_from=2026-11-20&found_to=2026-11-01"):  # fmt: skip
        page = listed(client, url)
        assert "Tanggal ini sebelum tanggal awal." in page
        assert early.number in page


def test_the_reported_range_on_the_case_list_too(world, client, auth):
    auth.login("manajer")
    page = listed(client, "/cases?date_from=2026-11-25&date_to=2026-11-01")
    assert "Tanggal ini sebelum tanggal awal." in page and world["case"].number in page


def test_the_age_limit_and_its_message_agree(world, client, auth):
    auth.login("manajer")
    page = listed(client, "/unidentified?age_min=125")
    assert "Umur antara 0 dan 120 tahun." in page and 'max="120"' in page
    assert "130" not in page


def test_a_worker_is_told_how_many_colleagues_cases_match(world, factory, client, auth):
    office = world["office"]
    mine = factory.case(office, world["worker"], full_name="", identity_known=False,
                        physical_description="Kaos biru, bekas luka di pelipis.")  # fmt: skip
    theirs = [
        factory.case(
            office,
            world["worker2"],
            full_name="",
            identity_known=False,
            physical_description=f"Kaos biru lusuh, sandal {i}.",
        )  # fmt: skip
        for i in range(2)
    ]
    auth.login("pekerja")
    for url in ("/unidentified?q=kaos+biru", "/cases?q=kaos+biru"):
        page = listed(client, url)
        assert mine.number in page
        assert all(case.number not in page for case in theirs)  # the access rule kept
        assert "2 orang lain yang cocok ada di kasus rekan Anda; tanyakan kepada manajer." in page
    gallery = listed(client, "/unidentified")
    assert "ditangani kantor ini" not in gallery and "Anda daftarkan" in gallery
    assert "2 orang lain yang cocok" in gallery
    assert "orang lain yang cocok" not in listed(client, "/cases?q=pelipis")  # only his match
    auth.logout()
    auth.login("manajer")  # sees them all: nothing to hint
    page = listed(client, "/unidentified?q=kaos+biru")
    assert "rekan Anda" not in page and all(c.number in page for c in [mine, *theirs])


def test_the_letter_register_finds_letters_of_the_unidentified(world, factory, client, auth):
    office = world["office"]
    nameless = factory.case(office, world["worker"], full_name="", identity_known=False)
    theirs = factory.referral(nameless, "approved")
    named = factory.referral(world["case"], "approved")
    db.session.commit()
    auth.login("manajer")
    page = listed(client, "/letters?q=Tanpa+identitas")
    assert theirs.letter.number in page and named.letter.number not in page
    assert "Belum ada surat" not in page
    none = listed(client, "/letters?q=tidak+ada+yang+begini")
    assert "Tidak ada surat yang cocok." in none and "Belum ada surat" not in none


def test_an_unidentified_card_names_its_number_once(world, factory, client, auth):
    nameless = factory.case(world["office"], world["worker"], full_name="", identity_known=False)
    auth.login("manajer")
    page = listed(client, "/unidentified")
    assert page.count(nameless.number) == 1
    assert f"{nameless.number}</a> · Tanpa identitas" in page

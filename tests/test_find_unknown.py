"""Finding the unknown (issue 13): someone found without a name is found by the words of their
description, the place they were found, their age and sex; the page of unidentified people."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from sqlalchemy import delete, func, select, update

from portal.extensions import db
from portal.models import AuditLog, CaseSearchTerm, Office
from portal.services import search
from portal.services.timeutil import local_to_utc

from .conftest import office_today


def png_bytes(size=(600, 400)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def unknown(factory, office, user, description, place, found=datetime(2026, 11, 19, 22, 0),
            sex="L", age=40, photo=None):  # fmt: skip
    from portal.services import intake

    person = {"identity_known": False, "full_name": "", "sex": sex, "estimated_age": age,
              "physical_description": description, "found_place": place,
              "found_at": local_to_utc(found, office.timezone)}  # fmt: skip
    case = intake.register(
        office, user, person,
        {"ppks_code": "09", "channel": "satpol_pp", "summary": "ODGJ ditemukan.",
         "urgency": "high", "reported_at": local_to_utc(found, office.timezone)},
        photo=photo,
    )  # fmt: skip
    db.session.commit()
    return case


@pytest.fixture
def found(world, factory):
    office, worker = world["office"], world["worker"]
    return {
        "blue": unknown(factory, office, worker,
                        "Laki-laki kurus, berambut gondrong, memakai kaos biru lusuh; bekas "
                        "luka di pelipis kiri.", "Pasar Losari", datetime(2026, 11, 19, 22, 0),
                        photo=(png_bytes(), "image/png", "foto.png")),
        "woman": unknown(factory, office, worker,
                         "Perempuan, rambut panjang diikat, daster batik cokelat; tahi lalat di "
                         "pipi kanan.", "Pantai Losari", datetime(2026, 10, 2, 7, 0),
                         sex="P", age=62),
        "other": unknown(factory, world["other_office"], world["other_worker"],
                         "Laki-laki, kaos biru, bekas luka di pelipis.", "Pantai Losari"),
    }  # fmt: skip


def listed(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_family_describing_them_finds_the_case(found, client, auth):
    auth.login("manajer")
    page = listed(client, "/cases?q=kaos+biru%2C+bekas+luka+di+pelipis")
    assert found["blue"].number in page and "1 kasus" in page
    assert found["woman"].number not in page
    assert found["other"].number not in page  # another office's person stays there


@pytest.mark.parametrize(
    "words", ["gondrong", "pelipis", "Losari", "berambut", "rambut gondrong", "luka di pelipis"]
)
def test_description_and_place_words_find_the_unknown(found, client, auth, words):
    auth.login("manajer")
    page = listed(client, f"/cases?q={words}")
    assert found["blue"].number in page


def test_words_are_stemmed_and_stopwords_dropped(found, client, auth):
    auth.login("manajer")
    # "rambut" is indexed from "berambut"; "memakai" is found as "pakai"; "dan", "yang" dropped
    assert found["blue"].number in listed(client, "/cases?q=pakai+rambut")
    assert found["blue"].number in listed(client, "/cases?q=yang+memakai+kaos+dan+berambut")
    assert search.query_words("kaos biru, bekas luka di pelipis") == [
        "kaos", "biru", "bekas", "luka", "pelipis",
    ]  # fmt: skip
    assert search.query_words("berambut") == ["rambut"]
    page = listed(client, "/cases?q=kaos+merah")
    assert "Tidak ada kasus yang cocok." in page


def test_losari_finds_both_places_and_tanpa_identitas_every_unknown(found, world, client, auth):
    auth.login("manajer")
    page = listed(client, "/cases?q=losari")
    assert found["blue"].number in page and found["woman"].number in page
    page = listed(client, "/cases?q=Tanpa+identitas")
    assert found["blue"].number in page and found["woman"].number in page
    assert world["case"].number not in page and "2 kasus" in page


def test_names_are_still_found(world, found, client, auth):
    auth.login("manajer")
    page = listed(client, "/cases?q=andi+baso")
    assert world["case"].number in page and found["blue"].number not in page


def test_identity_unknown_filter(found, world, client, auth):
    auth.login("manajer")
    page = listed(client, "/cases?unknown=1")
    assert found["blue"].number in page and found["woman"].number in page
    assert world["case"].number not in page and world["case2"].number not in page
    # htmx asks for the results only
    part = client.get("/cases?unknown=1", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert found["blue"].number in part and "<html" not in part


def test_found_between_dates_filter(found, client, auth):
    auth.login("manajer")
    page = listed(client, "/cases?found_from=2026-11-01&found_to=2026-11-30")
    assert found["blue"].number in page and found["woman"].number not in page
    page = listed(client, "/cases?found_to=2026-10-02")
    assert found["woman"].number in page and found["blue"].number not in page


def test_age_filter_reads_the_estimated_age_and_the_birth_year(found, world, factory, client, auth):
    year = office_today().year
    born = factory.case(world["office"], world["worker"], full_name="Hasnah Tua",
                        birth_date=datetime(year - 61, 6, 1).date(), estimated_age=None)  # fmt: skip
    auth.login("manajer")
    page = listed(client, "/cases?age_min=60&age_max=70")
    assert found["woman"].number in page and born.number in page
    assert found["blue"].number not in page
    page = listed(client, "/cases?age_max=45&unknown=1")
    assert found["blue"].number in page and found["woman"].number not in page


def test_sex_filter(found, client, auth):
    auth.login("manajer")
    page = listed(client, "/cases?sex=P&unknown=1")
    assert found["woman"].number in page and found["blue"].number not in page


def test_a_wrong_age_is_shown_beside_the_field_and_ignored(found, client, auth):
    auth.login("manajer")
    page = listed(client, "/cases?age_min=abc")
    assert found["blue"].number in page  # no filter
    assert "Umur dari" in page


def test_the_unidentified_page_shows_cards_with_thumbnails(found, world, client, auth):
    auth.login("manajer")
    page = listed(client, "/unidentified")
    blue, woman = found["blue"], found["woman"]
    assert "Orang tanpa identitas" in page and "2 orang tanpa identitas" in page
    assert blue.number in page and woman.number in page
    assert f"/people/{blue.person.id}/photo?thumb=1" in page
    assert "Pasar Losari" in page and "19 November 2026" in page
    assert "kaos biru lusuh" in page and "40 tahun" in page and "Perempuan" in page
    assert "Tanpa foto" in page  # the woman has no photo
    assert world["case"].number not in page and found["other"].number not in page
    # each case shown is in its audit trail
    seen = db.session.scalars(
        select(AuditLog.case_id).where(AuditLog.action == "case.view_unidentified")
    ).all()
    assert sorted(seen) == sorted([blue.id, woman.id])


def test_the_unidentified_page_is_filtered(found, client, auth):
    auth.login("manajer")
    page = listed(client, "/unidentified?q=daster+batik")
    assert found["woman"].number in page and found["blue"].number not in page
    page = listed(client, "/unidentified?sex=L&age_min=30&age_max=50&found_from=2026-11-01")
    assert found["blue"].number in page and found["woman"].number not in page
    part = client.get("/unidentified?q=gondrong", headers={"HX-Request": "true"})
    assert found["blue"].number in part.get_data(as_text=True)
    assert "<html" not in part.get_data(as_text=True)


def test_the_thumbnail_is_small(found, client, auth):
    from PIL import Image

    auth.login("manajer")
    person = found["blue"].person
    thumb = client.get(f"/people/{person.id}/photo?thumb=1")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 240
    assert thumb.headers["Cache-Control"] == "private, no-store"
    full = client.get(f"/people/{person.id}/photo")
    assert Image.open(io.BytesIO(full.data)).size == (600, 400)


def test_opening_the_full_photo_is_audited_a_thumbnail_is_not(found, client, auth):
    auth.login("manajer")
    person = found["blue"].person
    photo_views = select(AuditLog).where(AuditLog.action == "person.photo_view")
    assert client.get(f"/people/{person.id}/photo?thumb=1").status_code == 200
    assert db.session.scalars(photo_views).all() == []
    assert client.get(f"/people/{person.id}/photo").status_code == 200
    (entry,) = db.session.scalars(photo_views).all()
    assert entry.object_type == "person" and entry.object_id == person.id
    trail = client.get(f"/people/{person.id}/audit").get_data(as_text=True)
    assert "Membuka foto orang" in trail


def test_another_office_sees_none_of_them(found, client, auth):
    auth.login("bpp_manajer")
    page = listed(client, "/unidentified")
    assert found["other"].number in page
    assert found["blue"].number not in page and found["woman"].number not in page
    assert client.get(f"/people/{found['blue'].person.id}/photo?thumb=1").status_code == 404


def test_a_colleague_sees_only_their_own(found, world, factory, client, auth):
    mine = unknown(factory, world["office"], world["worker2"], "Kaos hijau.", "Terminal Daya")
    auth.login("pekerja2")
    page = listed(client, "/unidentified")
    assert mine.number in page and found["blue"].number not in page


def test_the_administrator_may_not_see_the_page(found, client, auth):
    auth.login("admin")
    assert client.get("/unidentified").status_code == 403


def test_the_case_list_links_to_the_page(found, client, auth):
    auth.login("pekerja")
    assert 'href="/unidentified"' in listed(client, "/cases")


def test_editing_the_description_reindexes(found, world, client, auth):
    from portal.services import cases

    case = found["blue"]
    person = case.person
    cases.update_person(
        person, case, world["worker"],
        {"physical_description": "Kemeja kotak-kotak merah, sarung."}, person.version_id,
    )  # fmt: skip
    db.session.commit()
    auth.login("manajer")
    assert case.number in listed(client, "/cases?q=kotak+sarung")
    assert case.number not in listed(client, "/cases?q=pelipis")


def test_reindex_command_rebuilds_old_offices(found, world, runner):
    office = world["office"]
    # as before the upgrade: only names and numbers indexed, the office not marked
    db.session.execute(delete(CaseSearchTerm).where(CaseSearchTerm.token == "pelipis"))
    db.session.execute(update(Office).where(Office.id == office.id).values(search_version=None))
    db.session.commit()

    def pelipis():
        return db.session.scalar(
            select(func.count()).where(
                CaseSearchTerm.token == "pelipis", CaseSearchTerm.office_id == office.id
            )
        )

    assert pelipis() == 0
    result = runner.invoke(args=["reindex-search", "--if-needed"])
    assert result.exit_code == 0, result.output
    assert "makassar: search index rebuilt." in result.output
    assert "balikpapan" not in result.output  # already current
    db.session.expire_all()
    assert pelipis() == 1
    assert db.session.get(Office, office.id).search_version == search.SEARCH_INDEX_VERSION
    again = runner.invoke(args=["reindex-search", "--if-needed"])
    assert again.exit_code == 0 and "rebuilt" not in again.output
    every = runner.invoke(args=["reindex-search"])
    assert "makassar" in every.output and "balikpapan" in every.output


def test_reindex_in_batches_gives_the_same_tokens(found, world):
    office = world["office"]

    def tokens():
        return sorted(
            db.session.execute(
                select(CaseSearchTerm.case_id, CaseSearchTerm.token).where(
                    CaseSearchTerm.office_id == office.id
                )
            ).all()
        )

    before = tokens()
    for _done, _total in search.reindex_office(office.id, batch=2):
        pass
    db.session.commit()
    assert tokens() == before and len(before) > 20

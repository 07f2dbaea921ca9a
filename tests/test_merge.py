"""Merging two records of one person (issue 13 part C): an unidentified man turns out to be
someone the office registered before. Everything that hung on the merged record moves to the
kept one, the old URLs lead there, and a manager can undo it within the window."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Aid,
    Attachment,
    AuditLog,
    Case,
    CaseEvent,
    CaseSearchTerm,
    FollowUp,
    Letter,
    Person,
    PersonIdentification,
    PersonKkHistory,
    PersonMerge,
    Referral,
)
from portal.services.merge import FIELD_GROUPS

from .test_routes_access import png_bytes

KNOWN_NIK = "7371011405790003"


@pytest.fixture
def pair(world, factory):
    """A registered man (with NIK, KK and a case) and an unidentified man found later (a photo,
    a case with a referral and its letter, a follow-up and aid)."""
    office, worker = world["office"], world["worker"]
    known_case = factory.case(
        office, worker, full_name="Mochammad Djoko Soesilo", nik=KNOWN_NIK,
        kk_number="7371010101090007", phone="+6281234567890",
    )  # fmt: skip
    unknown_case = factory.case(
        office, worker, full_name="", identity_known=False, kk_number="7371010101090099",
        photo=(png_bytes(), "image/png", "foto.png"),
    )  # fmt: skip
    unknown = unknown_case.person
    unknown.identity_known, unknown.physical_description = False, "Kaos merah, bekas luka di dahi"
    db.session.commit()
    referral = factory.referral(unknown_case, "approved", archive=False)
    followup = factory.followup(unknown_case)
    aid = factory.aid(unknown_case)
    # an earlier identification on his record (say the police named him, then withdrew it)
    earlier = PersonIdentification(
        office_id=office.id, person_id=unknown.id, case_id=unknown_case.id, method="police",
        identified_on=unknown_case.reported_at.date(), by_id=worker.id,
    )  # fmt: skip
    db.session.add(earlier)
    db.session.commit()
    return {
        "kept": known_case.person,
        "merged": unknown,
        "known_case": known_case,
        "unknown_case": unknown_case,
        "referral": referral,
        "letter": referral.letter,
        "followup": followup,
        "aid": aid,
        "identification": earlier,
    }


def login(client, user):
    client.post("/logout")
    response = client.post("/login", data={"username": user.username, "password": "rahasia123"})
    assert response.status_code == 302


def merge_form(kept, merged, **choices) -> dict:
    data = {
        "keep": kept.id,
        "merge": merged.id,
        "keep_version": kept.version_id,
        "merge_version": merged.version_id,
    }
    return data | {group: choices.get(group, "keep") for group in FIELD_GROUPS}


def person_ids(model, ids) -> set:
    rows = db.session.execute(select(model.id, model.person_id).where(model.id.in_(ids)))
    return {person_id for _, person_id in rows}


def merge_them(client, world, pair, confirm=False, **choices):
    login(client, world["manager"])
    kept, merged = pair["kept"], pair["merged"]
    data = merge_form(kept, merged, **choices)
    if confirm:  # the NIK kept needs the manager's confirmation
        data |= {"nik_confirmed": "y", "nik_reason": "KTP dilihat"}
    response = client.post("/people/merge", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    return db.session.scalars(select(PersonMerge)).one()


def test_the_merge_page_shows_both_side_by_side_with_the_identified_values_chosen(
    client, world, pair
):
    login(client, world["manager"])
    page = client.get(f"/people/merge?keep={pair['kept'].id}&merge={pair['merged'].id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Mochammad Djoko Soesilo" in html and pair["merged"].display_name in html
    assert KNOWN_NIK in html and "Kaos merah" in html
    # the identified man's name is chosen; the description only the unknown man has is his
    assert checked(html, "full_name") == "keep"
    assert checked(html, "description") == "merge"
    assert checked(html, "nik") == "keep"
    # the records are named by their case numbers, not by database ids
    assert f"({pair['known_case'].number})" in html
    assert not re.search(rf"#({pair['kept'].id}|{pair['merged'].id})\b", html)


def checked(html: str, group: str) -> str:
    """The value of the radio button of this row that is checked."""

    tags = re.findall(rf'<input[^>]*name="{group}"[^>]*>', html)
    values = [re.search(r'value="(\w+)"', t).group(1) for t in tags if "checked" in t]
    assert len(values) == 1, tags
    return values[0]


def test_a_merge_moves_every_dependent_row_table_by_table(client, world, pair):
    kept, merged = pair["kept"], pair["merged"]
    photo_id = merged.photo_id
    kk_ids = [h.id for h in merged.kk_history]
    identification_id = pair["identification"].id
    record = merge_them(client, world, pair, description="merge", photo="merge", found="merge")

    assert person_ids(Case, [pair["unknown_case"].id]) == {kept.id}
    assert db.session.get(Referral, pair["referral"].id).case.person_id == kept.id
    assert db.session.get(Letter, pair["letter"].id).case.person_id == kept.id
    assert db.session.get(FollowUp, pair["followup"].id).case.person_id == kept.id
    assert db.session.get(Case, db.session.get(Aid, pair["aid"].id).case_id).person_id == kept.id
    assert person_ids(Attachment, [photo_id]) == {kept.id}
    assert person_ids(PersonKkHistory, kk_ids) == {kept.id}
    assert person_ids(PersonIdentification, [identification_id]) == {kept.id}
    kept, merged = db.session.get(Person, kept.id), db.session.get(Person, merged.id)
    assert kept.photo_id == photo_id and kept.nik == KNOWN_NIK
    assert kept.physical_description == "Kaos merah, bekas luka di dahi"
    assert kept.full_name == "Mochammad Djoko Soesilo" and kept.identity_known
    assert {h.kk_number for h in kept.kk_history} == {"7371010101090007", "7371010101090099"}
    assert merged.merged_into_id == kept.id and merged.merged_at is not None
    assert merged.nik is None and merged.cases == []
    assert record.moved == {
        "case": [pair["unknown_case"].id],
        "person_kk_history": kk_ids,
        "attachment": [photo_id],
        "person_identification": [identification_id],
        "registry_check": [],
        "person_guardian": [],  # services.consent (tests/test_consent.py moves one)
    }
    # the moved case is found under the kept man's name
    tokens = db.session.scalars(
        select(CaseSearchTerm.token).where(CaseSearchTerm.case_id == pair["unknown_case"].id)
    )
    assert "7371011405790003" in set(tokens)
    page = client.get(f"/people/{kept.id}").get_data(as_text=True)
    assert pair["unknown_case"].number in page and pair["known_case"].number in page
    assert "Batalkan penggabungan" in page


def test_the_old_person_urls_redirect_to_the_kept_one(client, world, pair):
    kept, merged = pair["kept"], pair["merged"]
    merge_them(client, world, pair, photo="merge")
    page = client.get(f"/people/{merged.id}")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/people/{kept.id}")
    followed = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "Data ini sudah digabungkan ke Mochammad Djoko Soesilo." in followed
    photo = client.get(f"/people/{merged.id}/photo")
    assert photo.headers["Location"].endswith(f"/people/{kept.id}/photo")
    assert client.get(f"/people/{kept.id}/photo").status_code == 200
    # the case's own worker follows the old URL too
    login(client, world["worker"])
    assert client.get(f"/people/{merged.id}").status_code == 302
    assert client.get(f"/people/{kept.id}").status_code == 200


def test_the_merge_is_audited_with_both_ids_and_shown_on_the_case_timelines(client, world, pair):
    kept, merged = pair["kept"], pair["merged"]
    record = merge_them(client, world, pair)
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "person.merge")).one()
    assert entry.object_id == kept.id
    assert entry.details["kept_person_id"] == kept.id
    assert entry.details["merged_person_id"] == merged.id
    assert entry.details["merge_id"] == record.id
    known = client.get(f"/cases/{pair['known_case'].id}").get_data(as_text=True)
    assert (
        f'Data orang digabungkan: <a href="/people/{merged.id}">'
        f"Tanpa identitas ({pair['unknown_case'].number})</a>" in known
    )
    moved = client.get(f"/cases/{pair['unknown_case'].id}").get_data(as_text=True)
    assert (
        f'Data orang digabungkan: <a href="/people/{kept.id}">Mochammad Djoko Soesilo</a>' in moved
    )


def test_the_kept_persons_trail_includes_the_merged_records_entries(client, world, pair):
    kept, merged = pair["kept"], pair["merged"]
    login(client, world["manager"])
    client.get(f"/people/{merged.id}")  # person.view of the old record, before the merge
    before = db.session.scalars(
        select(AuditLog).where(AuditLog.object_type == "person", AuditLog.object_id == merged.id)
    ).all()
    assert before
    merge_them(client, world, pair)
    page = client.get(f"/people/{kept.id}/audit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # the old record's view, named as a person reads it (no database ids, no action codes)
    assert f"orang Tanpa identitas ({pair['unknown_case'].number})" in html
    assert f"kasus {pair['unknown_case'].number}" in html  # the moved case's entries
    assert "Melihat data orang" in html and "Menggabungkan data orang" in html
    assert not re.search(rf"#({merged.id}|{pair['unknown_case'].id})\b", html)
    assert "person.merge" not in html and "case.view" not in html
    login(client, world["worker"])
    assert client.get(f"/people/{kept.id}/audit").status_code == 403


def test_undo_restores_everything_table_by_table(client, world, pair):
    kept, merged = pair["kept"], pair["merged"]
    photo_id, kept_photo = merged.photo_id, kept.photo_id
    kk_ids = [h.id for h in merged.kk_history]
    kept_kk = [h.id for h in kept.kk_history]
    record = merge_them(client, world, pair, full_name="keep", description="merge", photo="merge")
    kept = db.session.get(Person, kept.id)
    # the person page leads to a confirmation that says what goes back (no JavaScript needed)
    person_page = client.get(f"/people/{kept.id}").get_data(as_text=True)
    assert f'href="/people/merges/{record.id}/undo"' in person_page
    confirm = client.get(f"/people/merges/{record.id}/undo")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Batalkan penggabungan?" in html
    assert pair["unknown_case"].number in html and "Ya, batalkan penggabungan" in html
    db.session.expire_all()
    assert db.session.get(PersonMerge, record.id).undone_at is None  # GET changes nothing
    response = client.post(
        f"/people/merges/{record.id}/undo", data={"kept_version": kept.version_id}
    )
    assert response.status_code == 303
    db.session.expire_all()
    kept, merged = db.session.get(Person, kept.id), db.session.get(Person, merged.id)
    assert person_ids(Case, [pair["unknown_case"].id]) == {merged.id}
    assert person_ids(Case, [pair["known_case"].id]) == {kept.id}
    assert db.session.get(Referral, pair["referral"].id).case.person_id == merged.id
    assert db.session.get(Case, db.session.get(Aid, pair["aid"].id).case_id).person_id == merged.id
    assert db.session.get(FollowUp, pair["followup"].id).case.person_id == merged.id
    assert db.session.get(Letter, pair["letter"].id).case.person_id == merged.id
    assert person_ids(Attachment, [photo_id]) == {merged.id}
    assert person_ids(PersonKkHistory, kk_ids) == {merged.id}
    assert person_ids(PersonIdentification, [pair["identification"].id]) == {merged.id}
    assert person_ids(PersonKkHistory, kept_kk) == {kept.id}
    assert kept.photo_id == kept_photo and kept.physical_description == ""
    assert merged.photo_id == photo_id and merged.physical_description.startswith("Kaos merah")
    assert merged.merged_into_id is None and not merged.identity_known
    assert kept.nik == KNOWN_NIK
    assert db.session.get(PersonMerge, record.id).undone_at is not None
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "person.merge_undo")).one()
    assert entry.details["kept_person_id"] == kept.id
    assert entry.details["merged_person_id"] == merged.id
    assert client.get(f"/people/{merged.id}").status_code == 200
    events = db.session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == pair["unknown_case"].id)
    ).all()
    assert "person_merge_undone" in events
    timeline = client.get(f"/cases/{pair['known_case'].id}").get_data(as_text=True)
    assert "Penggabungan dengan <a" in timeline and "</a> dibatalkan" in timeline


def test_undo_with_the_nik_chosen_from_the_merged_record(client, world, factory, pair):
    """The unknown man's record held a NIK after all: the kept record takes it, and undo gives
    each record its own NIK back (the unique NIK moves in the right order)."""
    merged = pair["merged"]
    merged.nik = "7371015505800001"
    db.session.commit()
    record = merge_them(client, world, pair, confirm=True, nik="merge")
    kept = db.session.get(Person, pair["kept"].id)
    assert kept.nik == "7371015505800001"
    page = client.get(f"/people/{kept.id}").get_data(as_text=True)
    assert "NIK lain yang pernah tercatat" in page and KNOWN_NIK in page
    client.post(f"/people/merges/{record.id}/undo", data={"kept_version": kept.version_id})
    db.session.expire_all()
    assert db.session.get(Person, kept.id).nik == KNOWN_NIK
    assert db.session.get(Person, merged.id).nik == "7371015505800001"


def test_the_merged_record_leaves_the_duplicate_search(client, world, factory, pair):
    from portal.services.intake import apply_person_fields, find_duplicates

    merged = pair["merged"]
    values = {"full_name": "Joko Susilo", "identity_known": True}
    apply_person_fields(merged, values, factory.today(world["office"]))
    db.session.commit()
    before = find_duplicates(world["office"].id, full_name="Joko Susilo")
    assert merged.id in {c.person.id for c in before}
    merge_them(client, world, pair)
    after = find_duplicates(world["office"].id, full_name="Joko Susilo")
    assert merged.id not in {c.person.id for c in after}


def test_undo_is_refused_after_the_window(app, client, world, pair):
    record = merge_them(client, world, pair)
    record.at = record.at - timedelta(days=app.config["MERGE_UNDO_DAYS"] + 1)
    db.session.commit()
    kept = db.session.get(Person, pair["kept"].id)
    page = client.get(f"/people/{kept.id}").get_data(as_text=True)
    assert "Batalkan penggabungan" not in page
    response = client.post(
        f"/people/merges/{record.id}/undo", data={"kept_version": kept.version_id}
    )
    assert response.status_code == 422
    assert "Batas waktu pembatalan (30 hari) sudah lewat" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, pair["merged"].id).merged_into_id == kept.id


def test_a_social_worker_may_not_merge_nor_undo(client, world, pair):
    login(client, world["worker"])
    kept, merged = pair["kept"], pair["merged"]
    assert client.get(f"/people/merge?keep={kept.id}&merge={merged.id}").status_code == 403
    assert client.post("/people/merge", data=merge_form(kept, merged)).status_code == 403
    page = client.get(f"/people/{kept.id}").get_data(as_text=True)
    assert "Gabungkan dengan orang lain" not in page
    record = merge_them(client, world, pair)
    login(client, world["worker"])
    response = client.post(f"/people/merges/{record.id}/undo", data={"kept_version": 1})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Person, merged.id).merged_into_id == kept.id


def test_another_offices_manager_is_refused(client, world, pair):
    login(client, world["other_manager"])
    kept, merged = pair["kept"], pair["merged"]
    assert client.get(f"/people/merge?keep={kept.id}&merge={merged.id}").status_code == 404
    assert client.post("/people/merge", data=merge_form(kept, merged)).status_code == 404
    other = world["other_case"].person
    mixed = merge_form(other, merged)
    assert client.post("/people/merge", data=mixed).status_code == 404
    db.session.expire_all()
    assert db.session.get(Person, merged.id).merged_into_id is None


def test_merging_a_person_with_himself_or_a_merged_pointer_is_refused(client, world, pair):
    login(client, world["manager"])
    kept, merged = pair["kept"], pair["merged"]
    response = client.post("/people/merge", data=merge_form(kept, kept))
    assert response.status_code == 422
    assert "dengan dirinya sendiri" in response.get_data(as_text=True)
    merge_them(client, world, pair)
    third = world["case2"].person
    again = client.post("/people/merge", data=merge_form(third, merged))
    assert again.status_code == 422
    assert "sudah digabungkan" in again.get_data(as_text=True)


def test_a_stale_version_is_refused_with_409(client, world, pair):
    login(client, world["manager"])
    kept, merged = pair["kept"], pair["merged"]
    data = merge_form(kept, merged)
    data["merge_version"] = merged.version_id - 1 if merged.version_id > 1 else 99
    response = client.post("/people/merge", data=data)
    assert response.status_code == 409
    assert "sudah diubah orang lain" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, merged.id).merged_into_id is None
    assert db.session.scalars(select(PersonMerge)).all() == []


def test_the_picker_finds_people_by_name_and_case_number(client, world, pair):
    login(client, world["manager"])
    kept = pair["kept"]
    number = pair["unknown_case"].number
    page = client.get(f"/people/merge?keep={kept.id}&q={number}").get_data(as_text=True)
    assert f"merge={pair['merged'].id}" in page
    assert f"merge={kept.id}" not in page


def test_the_demo_has_a_merge_that_can_be_undone(runner, client):
    result = runner.invoke(args=["seed-demo", "--cases", "10"])
    assert result.exit_code == 0, result.output
    record = db.session.scalars(select(PersonMerge)).one()
    assert record.kept_person.full_name == "Hasanuddin Daeng Tompo"
    assert record.merged_person.merged_into_id == record.kept_person_id
    assert not record.merged_values["identity_known"]
    client.post("/login", data={"username": "manajer", "password": "demo1234"})
    page = client.get(f"/people/{record.kept_person_id}").get_data(as_text=True)
    assert "Batalkan penggabungan" in page and "Dermaga Pelabuhan Paotere" in page


def test_a_new_case_for_the_merged_record_is_registered_for_the_kept_one(client, world, pair):
    merge_them(client, world, pair)
    page = client.get(f"/cases/new?person={pair['merged'].id}").get_data(as_text=True)
    assert "Mochammad Djoko Soesilo" in page
    assert f'name="person" value="{pair["kept"].id}"' in page or f"person={pair['kept'].id}" in page


def test_an_earlier_merge_is_undone_only_after_the_later_one(client, world, factory, pair):
    first = merge_them(client, world, pair)
    third = factory.case(world["office"], world["worker"], full_name="Djoko Soesilo").person
    kept = db.session.get(Person, pair["kept"].id)
    assert client.post("/people/merge", data=merge_form(kept, third)).status_code == 303
    db.session.expire_all()
    kept = db.session.get(Person, kept.id)
    refused = client.post(f"/people/merges/{first.id}/undo", data={"kept_version": kept.version_id})
    assert refused.status_code == 422
    assert "batalkan penggabungan itu dahulu" in refused.get_data(as_text=True)
    later = db.session.scalars(select(PersonMerge).where(PersonMerge.id != first.id)).one()
    for record in (later, first):
        db.session.expire_all()
        kept = db.session.get(Person, kept.id)
        response = client.post(
            f"/people/merges/{record.id}/undo", data={"kept_version": kept.version_id}
        )
        assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Person, third.id).merged_into_id is None
    assert db.session.get(Person, pair["merged"].id).merged_into_id is None


def test_the_person_page_offers_a_manager_the_record_that_may_be_the_same_man(
    client, world, factory
):
    """After an identification, the family's earlier record is on his person page for the
    manager, with why it matched and the way to merge; a social worker gets no merge."""
    office, worker = world["office"], world["worker"]
    family = factory.case(office, worker, full_name="Baharuddin Dg. Nai").person
    found = factory.case(office, worker, full_name="Baharuddin Daeng Nai").person
    login(client, world["manager"])
    html = client.get(f"/people/{found.id}").get_data(as_text=True)
    assert "Baharuddin Dg. Nai" in html and "Dg. = Daeng" in html
    assert f"/people/merge?keep={family.id}&amp;merge={found.id}" in html
    login(client, worker)
    html = client.get(f"/people/{found.id}").get_data(as_text=True)
    assert "Baharuddin Daeng Nai" in html and "/people/merge" not in html


def test_two_different_niks_need_a_confirmation_with_a_reason(client, world, factory, pair):
    kept, merged = pair["kept"], pair["merged"]
    merged.nik = "7371011405790011"
    db.session.commit()
    login(client, world["manager"])
    page = client.get(f"/people/merge?keep={kept.id}&merge={merged.id}").get_data(as_text=True)
    assert "Kedua data mempunyai NIK berbeda" in page and 'name="nik_reason"' in page
    form = merge_form(kept, merged, description="merge", phone="merge")
    refused = client.post("/people/merge", data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "centang ini bila sudah diperiksa" in html
    assert checked(html, "description") == "merge" and checked(html, "phone") == "merge"
    db.session.expire_all()
    assert db.session.get(Person, merged.id).merged_into_id is None
    form |= {"nik_confirmed": "y", "nik_reason": ""}
    no_reason = client.post("/people/merge", data=form)
    assert no_reason.status_code == 422 and "Tulis alasannya." in no_reason.get_data(as_text=True)
    form["nik_reason"] = "KTP asli dilihat; NIK lain salah ketik polisi"
    assert client.post("/people/merge", data=form).status_code == 303
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "person.merge"))
    assert entry.details["nik_confirmation"]["reason"].startswith("KTP asli dilihat")
    timeline = client.get(f"/cases/{pair['known_case'].id}").get_data(as_text=True)
    assert "KTP asli dilihat; NIK lain salah ketik polisi" in timeline


def test_a_kept_nik_contradicting_the_chosen_birth_date_needs_a_confirmation(client, world, pair):
    kept, merged = pair["kept"], pair["merged"]
    merged.birth_date = date(1980, 1, 2)  # the NIK says 14 May 1979
    db.session.commit()
    login(client, world["manager"])
    form = merge_form(kept, merged, birth_date="merge")
    refused = client.post("/people/merge", data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Tanggal lahir" in html
    assert checked(html, "birth_date") == "merge"
    form |= {"nik_confirmed": "y", "nik_reason": "Akta kelahiran dilihat"}
    assert client.post("/people/merge", data=form).status_code == 303
    # the NIK's own birth date needs nothing
    assert client.get(f"/people/{kept.id}").status_code == 200


def test_the_merge_page_marks_differing_rows_and_says_why_they_were_matched(client, world, pair):
    login(client, world["manager"])
    kept, merged = pair["kept"], pair["merged"]
    merged.full_name, merged.identity_known = "Mochammad Djoko Susilo", True
    db.session.commit()
    html = client.get(f"/people/merge?keep={kept.id}&merge={merged.id}").get_data(as_text=True)
    assert "Mengapa dianggap orang yang sama" in html and "Nama mirip" in html
    rows = re.findall(r'<tr class="differs"><th scope="row">([^<]+)', html)
    rows = [row.strip() for row in rows]
    assert "Nama" in rows and "No. KK" in rows and "Jenis kelamin" not in rows

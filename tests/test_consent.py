"""Guardians and the basis of processing (issue 14, UU PDP Pasal 20, 25, 26): a referral cannot
leave the office before the case records its basis; guardians' NIKs are checked as every NIK;
only those who may edit the case record either; everything lands in the audit log."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, CaseEvent, PersonGuardian, ProcessingBasis, Referral
from portal.services import consent
from portal.services import referrals as service
from portal.services.errors import BasisMissing, Refused

VALID_NIK = "7371014501800003"  # Makassar, a woman born 5 January 1980


def _basis_form(**values) -> dict:
    return {
        "basis": "vital_interest",
        "note": "ODGJ ditemukan sendirian, tidak ada keluarga.",
    } | values


def test_a_referral_without_a_basis_cannot_be_submitted_and_says_what_to_do(
    world, factory, client, auth
):
    case = world["case"]
    referral = factory.referral(case, "draft", basis=None)
    auth.login("pekerja")
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Dasar pemrosesan data" in page
    assert f"/cases/{case.id}/basis?referral={referral.id}" in page  # the link to record it
    refused = client.post(f"/referrals/{referral.id}/submit", follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "membagikan data klien kepada instansi lain" in text
    assert db.session.get(Referral, referral.id).status == "draft"
    with pytest.raises(BasisMissing) as missing:
        service.submit(referral, world["worker"])
    assert missing.value.case_id == case.id and missing.value.field == "processing_basis"


def test_the_referral_form_keeps_the_draft_and_links_to_the_basis(world, factory, client, auth):
    case = world["case"]
    values = factory.referral_values(case, "service")
    auth.login("pekerja")
    form = {"organisation_id": str(values["organisation_id"]), "purpose": values["purpose"]}
    response = client.post(
        f"/cases/{case.id}/referrals/new?kind=service", data=form | {"submit_now": "1"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Dasar pemrosesan data" in text and "wajib diisi sebelum diajukan." in text
    assert f"/cases/{case.id}/basis?referral=" in text
    assert db.session.scalar(select(Referral)).status == "draft"


def test_recording_the_basis_lets_the_referral_be_submitted(world, factory, client, auth):
    case = world["case"]
    referral = factory.referral(case, "draft", basis=None)
    auth.login("pekerja")
    assert client.get(f"/cases/{case.id}/basis").status_code == 200
    saved = client.post(f"/cases/{case.id}/basis?referral={referral.id}", data=_basis_form())
    assert saved.status_code == 302 and saved.headers["Location"].endswith(
        f"/referrals/{referral.id}"
    )
    basis = db.session.scalar(select(ProcessingBasis).where(ProcessingBasis.case_id == case.id))
    assert basis.basis == "vital_interest" and "sendirian" in basis.note
    submitted = client.post(f"/referrals/{referral.id}/submit", follow_redirects=True)
    assert "Rujukan diajukan" in submitted.get_data(as_text=True)
    assert db.session.get(Referral, referral.id).status == "submitted"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Pelindungan kepentingan vital" in page and "sendirian" in page


def test_consent_needs_who_when_and_what_for(world, client, auth, factory):
    case = world["case"]
    auth.login("pekerja")
    empty = client.post(f"/cases/{case.id}/basis", data={"basis": "consent", "consent_by": "self"})
    assert empty.status_code == 422
    assert "Isi tanggal persetujuan" in empty.get_data(as_text=True)
    no_note = client.post(f"/cases/{case.id}/basis", data={"basis": "legal_duty"})
    assert no_note.status_code == 422
    assert "Tulis mengapa tidak ada yang dapat memberi persetujuan." in no_note.get_data(
        as_text=True
    )
    today = factory.today(world["office"])
    future = {"basis": "consent", "consent_by": "self", "purpose": "Rujukan ke panti"}
    tomorrow = (today + timedelta(days=1)).isoformat()
    refused = client.post(f"/cases/{case.id}/basis", data=future | {"consent_given_on": tomorrow})
    assert refused.status_code == 422
    assert 'value="Rujukan ke panti"' in refused.get_data(as_text=True) or "Rujukan ke panti" in (
        refused.get_data(as_text=True)
    )  # the typed purpose is kept
    ok = client.post(
        f"/cases/{case.id}/basis", data=future | {"consent_given_on": today.isoformat()}
    )
    assert ok.status_code == 302
    basis = consent.basis_of(case)
    assert (basis.basis, basis.consent_by, basis.consent_given_on) == ("consent", "self", today)


def test_a_child_consents_through_a_guardian(world, factory, client, auth):
    child = factory.case(world["office"], world["worker"], full_name="Ical", estimated_age=12,
                         ppks_code="04")  # fmt: skip
    auth.login("pekerja")
    page = client.get(f"/cases/{child.id}").get_data(as_text=True)
    assert "Belum ada wali/pendamping tercatat" in page and "anak" in page
    today = factory.today(world["office"]).isoformat()
    data = {"basis": "consent", "consent_by": "self", "consent_given_on": today,
            "purpose": "Penempatan di panti"}  # fmt: skip
    refused = client.post(f"/cases/{child.id}/basis", data=data)
    assert refused.status_code == 422
    assert "orang tua atau wali (UU PDP Pasal 25)" in refused.get_data(as_text=True)
    added = client.post(
        f"/cases/{child.id}/guardians/new",
        data={"role": "wali", "relation": "parent", "name": "Hasnah Daeng Caya",
              "nik": VALID_NIK, "phone": "0812-3456-7890"},
    )  # fmt: skip
    assert added.status_code == 302
    guardian = db.session.scalar(select(PersonGuardian))
    assert (guardian.nik, guardian.phone) == (VALID_NIK, "+6281234567890")
    data |= {"consent_by": "guardian", "guardian_id": str(guardian.id)}
    assert client.post(f"/cases/{child.id}/basis", data=data).status_code == 302
    page = client.get(f"/cases/{child.id}").get_data(as_text=True)
    assert "Belum ada wali/pendamping tercatat" not in page
    assert "Hasnah Daeng Caya" in page and "7371********0003" in page
    person_page = client.get(f"/people/{child.person_id}").get_data(as_text=True)
    assert "Hasnah Daeng Caya" in person_page


def test_an_odgj_without_a_guardian_is_nudged(world, factory, client, auth):
    odgj = factory.case(world["office"], world["worker"], ppks_code="09")
    auth.login("pekerja")
    page = client.get(f"/cases/{odgj.id}").get_data(as_text=True)
    assert "Belum ada wali/pendamping tercatat" in page and "ODGJ" in page
    adult = client.get(f"/cases/{world['case'].id}").get_data(as_text=True)
    assert "Belum ada wali/pendamping tercatat" not in adult


def test_a_guardian_nik_is_checked_as_every_nik(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    data = {"role": "pendamping", "relation": "sibling", "name": "Baso", "nik": "7371010000000000",
            "phone": "12"}  # fmt: skip
    response = client.post(f"/cases/{case.id}/guardians/new", data=data)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "NIK" in text and "Nomor telepon tidak dikenali" in text
    assert 'value="Baso"' in text  # the form is kept
    short = client.post(
        f"/cases/{case.id}/guardians/new", data=data | {"nik": "12345", "phone": ""}
    )
    assert "NIK harus terdiri dari 16 digit angka." in short.get_data(as_text=True)
    assert db.session.scalar(select(PersonGuardian)) is None
    with pytest.raises(Refused) as refused:
        consent.add_guardian(case, world["worker"], data | {"phone": ""})
    assert refused.value.field == "nik"


def test_the_same_guardian_is_not_recorded_twice(world, factory, client, auth):
    """QA of issue 14: the same guardian could be recorded twice for a person."""
    case = world["case"]
    first = factory.guardian(case, nik=VALID_NIK)  # Hasnah Daeng Caya, parent
    auth.login("pekerja")
    url = f"/cases/{case.id}/guardians/new"
    same_name = {"role": "wali", "relation": "parent", "name": "Hasnah Dg. Caya", "phone": ""}
    response = client.post(url, data=same_name)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'value="Hasnah Dg. Caya"' in page  # the form kept
    assert "Hasnah Daeng Caya sudah tercatat dengan hubungan yang sama" in page
    same_nik = {"role": "pendamping", "relation": "sibling", "name": "Orang Lain", "nik": VALID_NIK}
    page = client.post(url, data=same_nik).get_data(as_text=True)
    assert "NIK ini sudah tercatat untuk Hasnah Daeng Caya." in page
    with pytest.raises(Refused) as refused:
        consent.add_guardian(case, world["worker"], same_nik)
    assert refused.value.field == "nik"
    db.session.rollback()
    assert len(db.session.scalars(select(PersonGuardian)).all()) == 1
    # the same name in another relation is another person; editing one is no duplicate of itself
    other = {"role": "pendamping", "relation": "sibling", "name": "Hasnah Daeng Caya", "phone": ""}
    assert client.post(url, data=other).status_code == 302
    edit = same_name | {"name": "Hasnah Daeng Caya", "nik": VALID_NIK, "version": first.version_id}
    assert client.post(f"/cases/{case.id}/guardians/{first.id}", data=edit).status_code == 302


def test_editing_a_guardian_is_optimistically_locked(world, factory, client, auth):
    case = world["case"]
    guardian = factory.guardian(case, nik=VALID_NIK)
    auth.login("pekerja")
    url = f"/cases/{case.id}/guardians/{guardian.id}"
    form = client.get(url).get_data(as_text=True)
    assert "Hasnah Daeng Caya" in form
    data = {"role": "wali", "relation": "parent", "name": "Hasnah D. Caya", "nik": VALID_NIK,
            "version": str(guardian.version_id)}  # fmt: skip
    assert client.post(url, data=data).status_code == 302
    stale = client.post(url, data=data | {"name": "Nama Lain"})
    assert stale.status_code == 409
    assert "sudah diubah orang lain" in stale.get_data(as_text=True)
    assert db.session.get(PersonGuardian, guardian.id).name == "Hasnah D. Caya"


def test_wrong_role_and_other_office_are_refused(world, factory, client, auth):
    case = world["case"]  # registered by pekerja
    guardian = factory.guardian(case)
    urls = (
        f"/cases/{case.id}/basis",
        f"/cases/{case.id}/guardians/new",
        f"/cases/{case.id}/guardians/{guardian.id}",
    )
    for username, statuses in (
        ("admin", (403,)),
        ("pekerja2", (404,)),
        ("bpp_manajer", (404,)),
        ("bpp_pekerja", (404,)),
    ):
        auth.login(username)
        for url in urls:
            assert client.get(url).status_code in statuses, (username, url)
            assert client.post(url, data=_basis_form()).status_code in statuses, (username, url)
        auth.logout()
    other = world["other_case"]
    auth.login("pekerja")  # a guardian of another person, through my own case: not found
    other_guardian = factory.guardian(other)
    assert client.get(f"/cases/{case.id}/guardians/{other_guardian.id}").status_code == 404
    auth.logout()
    factory.closure(case, "closed")
    auth.login("manajer")  # a closed case is read-only
    assert client.post(urls[0], data=_basis_form()).status_code == 403
    assert consent.basis_of(case) is None
    assert db.session.scalars(select(PersonGuardian)).all() == [guardian, other_guardian]


def test_the_basis_and_guardians_are_audited_and_on_the_timeline(world, client, auth):
    case = world["case"]
    auth.login("pekerja")
    client.post(
        f"/cases/{case.id}/guardians/new",
        data={
            "role": "wali",
            "relation": "court_guardian",
            "name": "Andi Rahman",
            "nik": VALID_NIK,
        },
    )
    guardian = db.session.scalar(select(PersonGuardian))
    client.post(
        f"/cases/{case.id}/guardians/{guardian.id}",
        data={"role": "wali", "relation": "court_guardian", "name": "Andi Rahman",
              "nik": VALID_NIK, "phone": "081234567890", "version": str(guardian.version_id)},
    )  # fmt: skip
    client.post(f"/cases/{case.id}/basis", data=_basis_form(basis="legal_duty"))
    basis = consent.basis_of(case)
    client.post(f"/cases/{case.id}/basis", data=_basis_form(version=str(basis.version_id)))
    entries = db.session.scalars(
        select(AuditLog).where(AuditLog.case_id == case.id).order_by(AuditLog.id)
    ).all()
    actions = [e.action for e in entries if e.action.startswith(("guardian.", "basis."))]
    assert actions == ["guardian.add", "guardian.update", "basis.record", "basis.update"]
    update = next(e for e in entries if e.action == "guardian.update")
    assert update.details["fields"] == ["phone"] and update.object_id == guardian.id
    assert VALID_NIK not in str([e.details for e in entries])  # the NIK stays out of the log
    changed = next(e for e in entries if e.action == "basis.update")
    assert changed.details["basis"] == "vital_interest" and changed.user_id == world["worker"].id
    kinds = db.session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    assert kinds[-4:] == ["guardian_added", "guardian_edited", "basis_recorded", "basis_changed"]
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Wali/pendamping dicatat" in page and "Dasar pemrosesan data diubah" in page
    auth.logout()
    auth.login("manajer")
    trail = client.get(f"/cases/{case.id}/audit").get_data(as_text=True)
    assert "processing_basis" not in trail and "person_guardian" not in trail  # QA: table names
    assert "dasar pemrosesan data" in trail and "wali/pendamping" in trail


def test_a_merge_moves_the_guardians(world, factory):
    from portal.services import merge

    office, worker = world["office"], world["worker"]
    kept = factory.case(office, worker, full_name="Orang Tetap").person
    merged_case = factory.case(office, worker, full_name="Orang Gabung")
    guardian = factory.guardian(merged_case)
    manager = factory.manager(office)
    merge.merge(
        manager, kept, merged_case.person, {}, (kept.version_id, merged_case.person.version_id)
    )
    db.session.commit()
    assert db.session.get(PersonGuardian, guardian.id).person_id == kept.id

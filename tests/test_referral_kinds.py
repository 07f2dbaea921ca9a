"""The referral-kind registry (services/referral_kinds.py): every kind declared in full, so a kind
declared by halves fails here rather than on a user's page."""

from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from portal.blueprints.admin.forms import OfficeForm
from portal.blueprints.referrals.forms import FORMS
from portal.extensions import db
from portal.models import Office, Referral
from portal.models.offices import ORGANISATION_KINDS
from portal.services import admin, labels, letter_settings, letters, proposals, referral_kinds
from portal.services import referrals as service

TEMPLATES = Path(__file__).resolve().parent.parent / "portal" / "templates"
KINDS = list(referral_kinds.KINDS.values())
REFERRAL_COLUMNS = {column.key for column in inspect(Referral).columns}
OFFICE_COLUMNS = {column.key for column in inspect(Office).columns}


def ids(kind):
    return kind.code


def test_the_registry_keeps_the_stored_codes():
    """referral.kind in the database and ?kind= in URLs: renaming one needs a migration."""
    assert referral_kinds.CODES[:4] == ("rsj", "return_home", "placement", "service")
    assert all(code == kind.code for code, kind in referral_kinds.KINDS.items())
    assert all(len(code) <= Referral.kind.type.length for code in referral_kinds.CODES)


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_every_kind_has_labels(app, kind):
    with app.test_request_context():
        assert str(kind.label) and str(kind.short_label) and str(kind.letter_label)
        assert labels.REFERRAL_KINDS[kind.code] is kind.label
        assert labels.REFERRAL_KINDS_SHORT[kind.code] is kind.short_label
        assert labels.LETTER_KINDS[kind.letter] is kind.letter_label


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_every_kind_has_a_form_with_its_fields(kind):
    form = FORMS[kind.code]
    assert form.kind == kind.code and form.declaration is kind
    assert form.__name__ == kind.form
    assert kind.organisation_kinds and set(kind.organisation_kinds) <= set(ORGANISATION_KINDS)
    assert set(kind.fields) <= REFERRAL_COLUMNS
    for name in (*service.COMMON_FIELDS, *kind.fields):
        assert hasattr(form, name), f"{kind.code}: the form has no field {name}"
    assert (TEMPLATES / kind.template).is_file(), kind.template


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_every_required_field_exists_on_the_form_and_the_model(app, kind):
    assert kind.required, f"{kind.code}: nothing is required to submit"
    editable = {*service.COMMON_FIELDS, *kind.fields}
    blank = Referral(kind=kind.code, organisation_text="")
    with app.test_request_context():
        for required in kind.required:
            assert str(required.label)
            required.applies(blank)  # a condition reads only what a referral has
            if required.field == referral_kinds.RECEIVER:
                assert {"organisation_id", "organisation_text"} <= editable
                continue
            assert required.field in REFERRAL_COLUMNS, required.field
            assert required.field in editable, f"{kind.code}: {required.field} is never edited"
            assert hasattr(FORMS[kind.code], required.field), required.field


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_every_kind_issues_a_letter_that_exists(kind):
    assert (TEMPLATES / kind.letter_template).is_file(), kind.letter_template
    assert letters.TEMPLATES[kind.letter] == kind.letter_template
    assert letters.SUBJECTS[kind.letter] == kind.letter_subject != ""
    assert letter_settings.KIND_DEFAULTS[kind.letter]
    assert letters.DEFAULT_COPIES[kind.letter] == list(kind.default_copies)
    for letter in kind.person_letters:
        assert (TEMPLATES / letters.TEMPLATES[letter]).is_file()
    assert kind.recipient("Mitra Contoh").endswith(" Mitra Contoh")
    assert referral_kinds.by_letter(kind.letter) is kind


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_every_kind_has_its_office_settings(kind):
    assert kind.letter in admin.COPY_KINDS and kind.letter in admin.LETTER_KINDS
    assert hasattr(OfficeForm, kind.copies_setting), kind.copies_setting
    for group in letter_settings.GROUPS:  # its column of the classification table
        assert hasattr(OfficeForm, letter_settings.field_name(group.code, kind.letter))
    assert hasattr(OfficeForm, f"sifat__{kind.letter}")


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_every_kind_proposes_a_followup(app, kind):
    assert kind.followup_kind in labels.FOLLOWUP_KINDS
    assert kind.followup_days_setting in OFFICE_COLUMNS
    assert kind.followup_days_setting in admin.OFFICE_FIELDS
    assert hasattr(OfficeForm, kind.followup_days_setting)
    with app.test_request_context():
        assert "Mitra" in str(kind.followup_purpose % {"receiver": "Mitra"})
    assert proposals.PROPOSED_KIND[kind.code] == kind.followup_kind


@pytest.mark.parametrize("kind", KINDS, ids=ids)
def test_every_kind_is_drafted_and_shown_through_its_pages(kind, world, client, auth):
    """The form renders, an empty draft says what is missing beside its fields (422), and the
    draft's page shows the kind's summary."""
    case = world["case"]
    auth.login("pekerja")
    page = client.get(f"/cases/{case.id}/referrals/new?kind={kind.code}")
    assert page.status_code == 200
    assert str(kind.label) in page.get_data(as_text=True)
    response = client.post(
        f"/cases/{case.id}/referrals/new?kind={kind.code}", data={"submit_now": "1"}
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    referral = db.session.scalar(select(Referral).where(Referral.case_id == case.id))
    assert referral.kind == kind.code and referral.status == "draft"
    for name, label in service.missing_for_submit(referral):
        assert f"{label} wajib diisi sebelum diajukan." in text, name
    assert client.get(f"/referrals/{referral.id}").status_code == 200

"""A letter names real posts: the receiving Dinsos of the destination regency, the province named
in the tembusan, the referring Puskesmas from the referral, a hospital's Direktur; a referral whose
letter would print a placeholder is refused at submit with the field to fill."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import Organisation, Referral
from portal.services import letters as letter_service
from portal.services import referrals as service
from portal.services.errors import Refused

PLACEHOLDERS = ("Dinas Sosial daerah asal", "perujuk", "Pimpinan RSUD", "Instansi penerima")


def letter_text(letter) -> str:
    data = letter_service.render_letter(letter)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_no_placeholder(text: str) -> None:
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text, placeholder
    assert not re.search(r"Dinas Sosial Provinsi(?! [A-Z])", text), "a province not named"


def add_org(office, name, kind, region_code="73.71", address=""):
    org = Organisation(
        office_id=office.id, name=name, kind=kind, region_code=region_code, address=address
    )
    db.session.add(org)
    db.session.commit()
    return org


def test_a_return_home_goes_to_the_dinsos_built_from_the_destination(world, factory):
    add_org(world["office"], "Dinas Sosial Kota Bandung", "dinsos", "32.73")  # not this region
    referral = factory.referral(
        world["case"], "approved", "return_home",
        organisation_id=None, organisation_text="", destination_regency_code="76.01",
    )  # fmt: skip
    assert referral.receiver_label == "Dinas Sosial Kabupaten Pasangkayu"
    text = flat(letter_text(referral.letter))
    assert "Yth. Kepala Dinas Sosial Kabupaten Pasangkayu" in text
    assert "Kepala Dinas Sosial Provinsi Sulawesi Barat" in text
    assert_no_placeholder(text)
    surat_jalan = next(item for item in referral.letters if item.kind == "surat_jalan")
    assert_no_placeholder(flat(letter_text(surat_jalan)))


def test_a_return_home_goes_to_the_partner_dinsos_of_that_region_with_its_address(world, factory):
    partner = add_org(
        world["office"], "Dinas Sosial Kabupaten Pasangkayu", "dinsos", "76.01",
        address="Jl. Ir. Soekarno No. 12, Pasangkayu",
    )  # fmt: skip
    referral = factory.referral(
        world["case"], "completed", "return_home",
        organisation_id=None, organisation_text="", destination_regency_code="76.01",
    )  # fmt: skip
    assert referral.organisation_id == partner.id
    text = flat(letter_text(referral.letter))
    assert "Yth. Kepala Dinas Sosial Kabupaten Pasangkayu" in text
    assert "Jl. Ir. Soekarno No. 12, Pasangkayu" in text
    berita_acara = next(item for item in referral.letters if item.kind == "berita_acara")
    assert "Dinas Sosial Kabupaten Pasangkayu" in flat(letter_text(berita_acara))


@pytest.mark.parametrize(
    ("name", "kind", "addressee"),
    [
        ("RSUD Daya", "hospital", "Direktur RSUD Daya"),
        ("Puskesmas Kaluku Bodoa", "puskesmas", "Kepala Puskesmas Kaluku Bodoa"),
        ("Yayasan Peduli Sesama", "other", "Pimpinan Yayasan Peduli Sesama"),
    ],
)
def test_the_addressee_title_follows_the_receiving_organisation(
    world, factory, name, kind, addressee
):
    org = add_org(world["office"], name, kind)
    referral = factory.referral(world["case"], "approved", "service", organisation=org)
    assert f"Yth. {addressee}" in flat(letter_text(referral.letter))


def test_a_typed_hospital_is_addressed_to_its_direktur(world, factory):
    referral = factory.referral(
        world["case"], "approved", "service",
        organisation_id=None, organisation_text="RSUD Haji Makassar",
    )  # fmt: skip
    assert "Yth. Direktur RSUD Haji Makassar" in flat(letter_text(referral.letter))


def test_the_rsj_tembusan_names_the_referring_puskesmas_and_drops_it_when_none(world, factory):
    medical = {
        "medical_referral": True, "medical_doctor": "dr. Hasna",
        "medical_facility": "Puskesmas Kaluku Bodoa", "medical_date": factory.today(world["office"]),
    }  # fmt: skip
    referred = factory.referral(world["case"], "approved", "rsj", **medical)
    text = flat(letter_text(referred.letter))
    assert "Kepala Puskesmas Kaluku Bodoa" in text
    assert "Kepala Dinas Kesehatan Kota" in text  # the office's own region
    assert_no_placeholder(text)
    walked_in = factory.referral(world["case2"], "approved", "rsj", medical_referral=False)
    text = flat(letter_text(walked_in.letter))
    assert "Puskesmas" not in text.split("Tembusan:")[-1]
    assert_no_placeholder(text)


def test_tembusan_saved_before_the_tokens_read_as_the_posts_they_meant(world, factory):
    world["office"].letter_copies = {
        "pengantar_pemulangan": ["Kepala Dinas Sosial Provinsi", "Yang bersangkutan"],
        "rujukan_rsj": ["Kepala Puskesmas perujuk", "Kepala Dinas Sosial Provinsi {provinsi tujuan}"],
    }  # fmt: skip
    db.session.commit()
    home = factory.referral(world["case"], "approved", "return_home")  # to Kota Bandung
    text = flat(letter_text(home.letter))
    assert "Kepala Dinas Sosial Provinsi Jawa Barat" in text
    rsj = factory.referral(world["case2"], "approved", "rsj", medical_referral=False)
    text = flat(letter_text(rsj.letter))
    assert_no_placeholder(text)
    assert "Dinas Sosial Provinsi" not in text  # an RSJ patient has no destination province


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("return_home", {"organisation_text": "Dinas Sosial daerah asal"}, "organisation_text"),
        ("service", {"organisation_text": "Instansi penerima"}, "organisation_text"),
        ("rsj", {"medical_referral": True, "medical_doctor": "dr. A",
                 "medical_facility": "Puskesmas perujuk"}, "medical_facility"),
    ],
)  # fmt: skip
def test_a_referral_whose_letter_would_print_a_placeholder_is_refused(
    world, factory, kind, values, field
):
    values = {"organisation_id": None, **values} if "organisation_text" in values else values
    if kind == "rsj":
        values["medical_date"] = factory.today(world["office"])
    referral = factory.referral(world["case"], "draft", kind, **values)
    with pytest.raises(Refused) as refused:
        service.submit(referral, world["worker"])
    assert refused.value.field == field
    assert "bukan" in str(refused.value)


def test_the_form_says_which_field_holds_a_placeholder_and_keeps_what_was_typed(
    world, client, auth
):
    auth.login("pekerja")
    data = {
        "organisation_text": "Dinas Sosial daerah asal",
        "purpose": "Pendaftaran BPJS PBI",
        "submit_now": "1",
    }
    response = client.post(f"/cases/{world['case'].id}/referrals/new?kind=service", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "nama instansi yang sebenarnya" in page
    assert 'value="Dinas Sosial daerah asal"' in page
    assert db.session.scalar(select(Referral)).status == "draft"

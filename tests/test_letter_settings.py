"""The office's letter settings: the classification code follows the client's category
(Permendagri 83/2022), numbers from the office's agenda typed by a manager (checked, unique,
rendered only once numbered), Sifat per kind, margins and font size within Tata Naskah limits."""

import io

from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Letter, Office, Referral
from portal.services import letter_settings
from portal.services.letter_numbers import ROMAN
from portal.services.timeutil import office_today

from .test_admin import office_form


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_code_follows_the_clients_category_and_an_office_override_wins(world, factory):
    office = world["office"]
    child = factory.case(office, world["worker"], full_name="Anak Uji", ppks_code="04")
    odgj = factory.case(office, world["worker"], full_name="ODGJ Uji", ppks_code="09")
    flood = factory.case(office, world["worker"], full_name="Korban Banjir", ppks_code="21")
    assert factory.referral(child, "approved", "placement").letter.classification == "400.9.2"
    odgj_letter = factory.referral(odgj, "approved", "rsj").letter
    assert odgj_letter.classification == "400.9.3"
    assert odgj_letter.number.startswith("400.9.3/")
    assert factory.referral(flood, "approved", "service").letter.classification == "400.9.10"
    office.letter_classifications = {"rehsos": {"rujukan_rsj": "440"}}
    db.session.commit()
    other = factory.case(office, world["worker"], full_name="ODGJ Dua", ppks_code="09")
    letter = factory.referral(other, "approved", "rsj").letter
    assert letter.number.startswith("440/") and "440/" in pdf_text(letter.pdf)
    # the override is for the RSJ letter of that group only
    assert letter_settings.classification_for(office, "rujukan_panti", "09") == "400.9.3"


def test_every_ppks_category_has_a_code():
    from portal.services.ppks import PPKS

    for code, _name in PPKS:
        assert letter_settings.GROUP_OF_PPKS[code].classification.startswith("400.9.")


def test_admin_edits_the_table_blank_is_the_default_and_bad_codes_are_explained(
    world, client, auth
):
    auth.login("admin")
    page = client.get("/admin/office").get_data(as_text=True)
    assert 'placeholder="400.9.2"' in page and 'placeholder="400.9.10"' in page
    office = world["office"]
    bad = client.post(
        "/admin/office",
        data=office_form(
            office, cls__anak__rujukan_panti="abc", letter_margin_left="1.0", letter_font_size="14"
        ),
    )
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Kode klasifikasi seperti 400.9.3." in text
    assert "Antara 2 dan 4 cm (Tata Naskah Dinas)." in text
    ok = client.post(
        "/admin/office",
        data=office_form(
            office,
            cls__anak__rujukan_panti="400.9.2.1",
            cls__lansia__rujukan_panti="400.9.6",  # the default: not stored
            sifat__rujukan_layanan="Segera",
            letter_margin_left="3.0",
            letter_font_size="12",
            letter_numbering="agenda",
        ),
    )
    assert ok.status_code == 302
    office = db.session.get(Office, office.id)
    assert office.letter_classifications == {"anak": {"rujukan_panti": "400.9.2.1"}}
    assert office.letter_sifat == {"rujukan_layanan": "Segera"}
    assert (office.letter_margin_left, office.letter_font_size) == (30, 12.0)
    assert office.letter_numbering == "agenda"


def test_sifat_margins_and_font_size_reach_the_letter(world, factory):
    office = world["office"]
    rsj = factory.referral(world["case"], "approved", "rsj").letter
    assert "Sifat : Rahasia" in pdf_text(rsj.pdf)
    office.letter_sifat = {"rujukan_panti": "Penting"}
    office.letter_font_size, office.letter_margin_left = 12.0, 35
    db.session.commit()
    panti = factory.referral(world["case2"], "approved", "placement").letter
    assert "Sifat : Penting" in pdf_text(panti.pdf)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(panti.pdf)) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
    body = next(w for w in words if w["text"] == "Sifat")
    assert round(body["size"]) == 12
    assert min(w["x0"] for w in words) >= 35 * 72 / 25.4 - 1


# --- numbers from the office's agenda -----------------------------------------------------------


def agenda_office(world):
    office = world["office"]
    office.letter_numbering = "agenda"
    db.session.commit()
    return office


def number_for(office, code="400.9.4", serial=17, on=None):
    on = on or office_today(office)
    return f"{code}/{serial}/Dinsos/{ROMAN[on.month - 1]}/{on.year}"


def submitted(factory, world, kind="rsj"):
    return factory.referral(world["case"], "submitted", kind)


def test_agenda_the_approving_manager_types_the_number(world, factory, client, auth):
    office = agenda_office(world)
    referral = submitted(factory, world)
    auth.login("manajer")
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Nomor dari agenda kantor" in page and 'name="agenda_number_rujukan_rsj"' in page
    typed = number_for(office).replace("/", " / ")  # spaces around slashes are dropped
    response = client.post(
        f"/referrals/{referral.id}/decide",
        data={"action": "approve", "agenda_number_rujukan_rsj": typed},
    )
    assert response.status_code == 302
    letter = db.session.scalar(select(Letter).where(Letter.referral_id == referral.id))
    assert letter.number == number_for(office) and letter.serial is None
    assert number_for(office) in pdf_text(client.get(f"/letters/{letter.id}.pdf").data)
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_id == letter.id))
    assert "letter.number" in set(actions)


def test_agenda_a_letter_waits_for_its_number_and_is_rendered_only_then(
    world, factory, client, auth
):
    office = agenda_office(world)
    referral = factory.referral(world["case"], "approved", "return_home")
    pengantar, surat_jalan = sorted(referral.letters, key=lambda item: item.kind)
    assert pengantar.number is None and pengantar.pdf is None and not pengantar.pdf_sha256
    auth.login("manajer")
    refused = client.get(f"/letters/{pengantar.id}.pdf")
    assert refused.status_code == 422
    assert "menunggu nomor dari agenda kantor" in refused.get_data(as_text=True)
    register = client.get("/letters").get_data(as_text=True)
    assert "Menunggu nomor agenda" in register and f"waiting-{surat_jalan.id}" in register
    number = number_for(office, "400.9.4", 5)
    assert (
        client.post(f"/letters/{pengantar.id}/number", data={"agenda_number": number}).status_code
        == 303
    )
    db.session.expire_all()
    letter = db.session.get(Letter, pengantar.id)
    assert letter.number == number and letter.pdf_sha256
    assert number in pdf_text(client.get(f"/letters/{letter.id}.pdf").data)
    assert db.session.get(Letter, surat_jalan.id).pdf is None  # still waiting


def test_agenda_refuses_a_duplicate_a_wrong_year_and_a_wrong_shape(world, factory, client, auth):
    office = agenda_office(world)
    first = factory.referral(world["case"], "approved", "rsj").letter
    second = factory.referral(world["case2"], "approved", "rsj").letter
    auth.login("manajer")
    taken = number_for(office, serial=8)
    assert client.post(
        f"/letters/{first.id}/number", data={"agenda_number": taken}
    ).status_code == (303)
    today = office_today(office)
    cases = {
        taken: "sudah dipakai surat lain kantor ini",
        taken.replace(str(today.year), str(today.year - 1)): f"memuat tahun surat ({today.year})",
        number_for(office, code="400.9.2", serial=9): "memuat kode klasifikasi 400.9.4",
        f"400.9.4/9/Dinsos/{today.year}": "tidak sesuai templat nomor kantor",
    }
    for typed, message in cases.items():
        response = client.post(f"/letters/{second.id}/number", data={"agenda_number": typed})
        text = response.get_data(as_text=True)
        assert response.status_code == 422, typed
        assert message in text and f'value="{typed}"' in text, typed
    db.session.expire_all()
    assert db.session.get(Letter, second.id).number is None


def test_agenda_duplicate_is_refused_by_the_database_too(world, factory):
    """Two managers at the same second: the unique constraint holds the line."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    office = agenda_office(world)
    first = factory.referral(world["case"], "approved", "rsj").letter
    second = factory.referral(world["case2"], "approved", "rsj").letter
    first.number = second.number = number_for(office, serial=3)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_agenda_only_a_manager_numbers_and_a_worker_sees_the_letter_waiting(
    world, factory, client, auth
):
    agenda_office(world)
    referral = factory.referral(world["case"], "completed", "rsj")
    berita = next(item for item in referral.letters if item.kind == "berita_acara")
    assert berita.number is None
    auth.login("pekerja")
    assert "menunggu nomor" in client.get("/letters").get_data(as_text=True)
    refused = client.post(f"/letters/{berita.id}/number", data={"agenda_number": "x"})
    assert refused.status_code == 403
    assert db.session.get(Referral, referral.id).status == "completed"

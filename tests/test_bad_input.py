"""Bad input from outside answers 4xx with a message, never 500 (issue 12, "500s on races and bad
input"): ids and numbers out of range, a tampered version, blank required fields, image bombs
and pictures carrying their GPS position, a letter-number template with a format spec."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import Attachment, LocalCaseType, Office, Organisation, Person

from .test_admin import office_form
from .test_cases import edit_case_form, edit_person_form
from .test_intake import case_form

HUGE = ["9223372036854775808", "99999999999999999999", "2147483648"]

# --- ids and numbers out of range ------------------------------------------------------------


def test_every_id_out_of_range_is_404(app, world, client, auth):
    """Every route with an id in its path, generated from app.url_map, for each huge id."""
    auth.login("admin")
    manager = app.test_client()
    manager.post("/login", data={"username": "manajer", "password": "rahasia123"})
    checked = 0
    for rule in app.url_map.iter_rules():
        ints = [
            arg
            for arg, conv in rule._converters.items()
            if "int" in type(conv).__name__.lower() or conv.regex.startswith(r"\d")
        ]
        if not ints:
            continue
        for huge in HUGE:
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<int:{arg}>", huge).replace(f"<{arg}>", "csv")
            for who in (client, manager):
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    answer = who.open(url, method=method)
                    # 2**31 has ten digits: it matches a URL's shape, then is no id; where
                    # GET and POST are two routes (closure) Werkzeug answers 405 for it
                    expected = (404, 405) if len(huge) == 10 else (404,)
                    assert answer.status_code in expected, (method, url, answer.status_code)
                    checked += 1
    assert checked > 100


def test_the_urls_of_the_report(world, client, auth):
    auth.login("pekerja")
    assert client.get("/cases/9223372036854775808").status_code == 404
    assert client.get("/letters/99999999999999999999.pdf").status_code == 404
    assert client.get("/cases/new?person=99999999999999999999").status_code == 404


@pytest.mark.parametrize("value", [*HUGE, "-1", "-99999999999999999999", "abc", ""])
def test_numbers_out_of_range_in_a_query_are_ignored(world, client, auth, value):
    auth.login("manajer")
    cases = client.get(f"/cases?page={value}&worker={value}")
    assert cases.status_code == 200 and "Andi Baso" in cases.get_data(as_text=True)
    assert client.get(f"/letters?page={value}").status_code == 200
    assert client.get(f"/cases/{world['case'].id}/audit?page={value}").status_code == 200
    client.post("/logout")
    auth.login("admin")
    audit = client.get(f"/admin/audit?user={value}&case={value}&page={value}")
    assert audit.status_code == 200 and "login" in audit.get_data(as_text=True)


# --- a tampered version ----------------------------------------------------------------------


@pytest.mark.parametrize("version", ["abc", "1e3", "99999999999999999999", "٣"])
def test_a_tampered_version_is_a_stale_form(world, client, auth, factory, version):
    case = world["case"]
    auth.login("pekerja")
    edit = client.post(
        f"/cases/{case.id}/edit", data=edit_case_form(case, place="Losari", version=version)
    )
    assert edit.status_code == 409
    page = edit.get_data(as_text=True)
    assert "Muat ulang halaman" in page and "Losari" in page  # the typed form is kept
    person = client.post(
        f"/cases/{case.id}/person",
        data=edit_person_form(case.person, full_name="Andi Baso Ketikan", version=version),
    )
    assert person.status_code == 409 and "Andi Baso Ketikan" in person.get_data(as_text=True)
    referral = factory.referral(case, "draft")
    answer = client.post(f"/referrals/{referral.id}/edit", data={"version": version})
    assert answer.status_code in (409, 422)
    db.session.expire_all()
    assert db.session.get(Person, case.person_id).full_name == "Andi Baso"


# --- blanks in required fields ---------------------------------------------------------------

BLANKS = ["   ", "\t \u3000", " \x00 "]


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_names_are_refused(world, client, auth, blank):
    office = world["office"]
    auth.login("admin")
    answer = client.post("/admin/office", data=office_form(office, name=blank))
    assert answer.status_code == 422 and "Wajib diisi" in answer.get_data(as_text=True)
    answer = client.post(
        "/admin/organisations/new",
        data={"name": blank, "kind": "rsj", "province": "73", "region_code": "73.71"},
    )
    assert answer.status_code == 422
    answer = client.post("/admin/case-types/new", data={"name": blank, "ppks_code": "22"})
    assert answer.status_code == 422
    db.session.expire_all()
    assert db.session.get(Office, office.id).name == "Dinas Sosial Kota Makassar"
    for model in (Organisation, LocalCaseType):
        assert all(name.strip() for name in db.session.scalars(select(model.name)))


@pytest.mark.parametrize("field", ["full_name", "summary", "reported_at", "channel"])
def test_blank_intake_fields_are_refused(world, client, auth, field):
    auth.login("pekerja")
    answer = client.post("/cases/new", data=case_form(**{field: "   "}, place="Pasar Terong"))
    assert answer.status_code == 422
    assert "Pasar Terong" in answer.get_data(as_text=True)


def test_spaces_around_text_are_not_kept(world, client, auth):
    auth.login("admin")
    office = world["office"]
    answer = client.post("/admin/office", data=office_form(office, name="  Dinas Sosial X \x00 "))
    assert answer.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(Office, office.id).name == "Dinas Sosial X"


# --- images ----------------------------------------------------------------------------------


def bomb_png(width: int, height: int) -> bytes:
    """A real PNG of width x height black pixels (1 bit), small as a file: its rows of zeros
    compress ~1000:1 (256 megapixels: about 250 KB)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (5.0, 8.0, 24.0), 3: "E", 4: (119.0, 25.0, 12.0)})
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 120, 200)).save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the GPS position is there
    return data


@pytest.mark.parametrize("size", [(16000, 16000), (12000, 12000), (6400, 6400)])
def test_an_image_bomb_is_refused_beside_the_field(world, client, auth, size):
    auth.login("pekerja")
    data = case_form(full_name="Pemilik Foto Besar")
    data["photo"] = (io.BytesIO(bomb_png(*size)), "bom.png")
    answer = client.post("/cases/new", data=data, content_type="multipart/form-data")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "maksimal 40 megapiksel" in page and "Pemilik Foto Besar" in page
    assert db.session.scalar(select(Attachment)) is None


def test_a_logo_bomb_is_refused(world, client, auth):
    auth.login("admin")
    data = office_form(world["office"])
    data["logo_file"] = (io.BytesIO(bomb_png(16000, 16000)), "logo.png")
    answer = client.post("/admin/office", data=data, content_type="multipart/form-data")
    assert answer.status_code == 422
    assert "maksimal 40 megapiksel" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Office, world["office"].id).logo is None


def test_a_photo_is_kept_without_its_metadata(world, client, auth):
    auth.login("pekerja")
    data = case_form()
    data["photo"] = (io.BytesIO(jpeg_with_gps()), "foto.jpg")
    answer = client.post("/cases/new", data=data, content_type="multipart/form-data")
    assert answer.status_code == 302
    photo = db.session.scalar(select(Attachment).where(Attachment.kind == "photo"))
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.size == (80, 60) and photo.mimetype == "image/jpeg"
    assert not stored.getexif() and b"Exif" not in photo.data and b"KameraUji" not in photo.data


def test_a_logo_is_kept_without_its_metadata(world, client, auth):
    auth.login("admin")
    data = office_form(world["office"])
    data["logo_file"] = (io.BytesIO(jpeg_with_gps()), "logo.jpg")
    answer = client.post("/admin/office", data=data, content_type="multipart/form-data")
    assert answer.status_code in (302, 303)
    db.session.expire_all()
    logo = db.session.get(Office, world["office"].id).logo
    assert logo and b"Exif" not in logo and not Image.open(io.BytesIO(logo)).getexif()


# --- the letter-number template ----------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "{nomor:0>78}/{tahun}",
        "{nomor:>999999999}/{tahun}",
        "{nomor!r}/{tahun}",
        "{nomor.real}/{tahun}",
        "{nomor[0]}/{tahun}",
        "{nomor:{tahun}}/{tahun}",
        "{}/{nomor}/{tahun}",
        "SURAT-DINAS-SOSIAL-" * 3 + "{klasifikasi}/{nomor}/{tahun}",
    ],
)
def test_a_number_template_with_a_format_is_refused(world, client, auth, template):
    office = world["office"]
    auth.login("admin")
    answer = client.post("/admin/office", data=office_form(office, letter_number_template=template))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    field = page[page.index('name="letter_number_template"') :][:3000]
    assert (
        "Tanda ditulis tanpa format" in field or "Tidak dikenal" in field or "80 karakter" in field
    )
    db.session.expire_all()
    assert db.session.get(Office, office.id).letter_number_template != template


def test_a_format_in_a_stored_template_is_not_applied(world, factory):
    """A template saved before the check (as in the report) numbers letters all the same."""
    office = world["office"]
    office.letter_number_template = "{nomor:0>78}/{tahun}"
    db.session.commit()
    referral = factory.referral(world["case"], "approved", archive=False)
    assert referral.letter.number == f"1/{referral.letter.issued_on.year}"

"""Documents on a case (services.attachments, services.files): what is refused and why, with the
form kept; who may see and download which (and that it is audited); several photos of a person,
the first his face; a letter's Lampiran."""

import io
import os
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Attachment, AuditLog, CaseEvent

JPEG_GPS_MAKE = "KameraUji"


def png(width=40, height=30, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = JPEG_GPS_MAKE
    exif.get_ifd(0x8825).update({1: "S", 2: (5.0, 8.0, 24.0), 3: "E", 4: (119.0, 25.0, 12.0)})
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def pdf(pages=1, javascript=False) -> bytes:
    """A blank PDF; `javascript`: with a document-level script (the /Names /JavaScript tree)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:
        script = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert('hai');"),
                }
            )
        )
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("a"), script])}
        )
        names = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
        writer._root_object[NameObject("/Names")] = writer._add_object(names)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_page_action() -> bytes:
    """A page whose additional action (/AA) runs when it is opened."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    action = DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("http://x")})  # fmt: skip
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_open_action() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A real 1-bit PNG of width x height pixels, small as a file (its zero rows compress)."""

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


def upload(client, case, data: bytes, filename="dokumen.pdf", htmx=False, **fields):
    form = {
        "doc_type": fields.pop("doc_type", "polisi"),
        "doc_date": fields.pop("doc_date", "2026-11-20"),
        "note": fields.pop("note", "Catatan berkas uji"),
        "file": (io.BytesIO(data), filename),
        **fields,
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/cases/{case.id}/documents",
        data=form,
        content_type="multipart/form-data",
        headers=headers,
    )


def documents():
    return db.session.scalars(select(Attachment).where(Attachment.kind == "document")).all()


# --- refusals, each beside the field with the form kept -----------------------------------------


REFUSALS = {
    "300 megapixels": (lambda: bomb_png(17_320, 17_320), "besar.png", "maksimal 40 megapiksel"),
    "renamed executable": (
        lambda: b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot be run in DOS mode",
        "ktp.pdf",
        "Jenis berkas tidak diterima",
    ),
    "PDF with JavaScript": (lambda: pdf(javascript=True), "surat.pdf", "JavaScript"),
    "PDF opening a script": (pdf_with_open_action, "surat.pdf", "JavaScript"),
    "PDF with a page action": (pdf_with_page_action, "surat.pdf", "tindakan otomatis"),
    "empty file": (lambda: b"", "kosong.jpg", "Berkas kosong"),
    "over the office's limit": (
        lambda: b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10),
        "besar.pdf",
        "maksimal 1 MB per berkas",
    ),
}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("name", list(REFUSALS))
def test_each_bad_file_is_refused_beside_the_field_and_the_form_kept(
    world, client, auth, name, htmx
):
    world["office"].attachment_max_mb = 1
    db.session.commit()
    make, filename, message = REFUSALS[name]
    auth.login("pekerja")
    answer = upload(
        client, world["case"], make(), filename, htmx=htmx, note="Dari Polsek Tallo nomor 17"
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="file-errors"' in page and message in page  # beside the file field
    assert "Dari Polsek Tallo nomor 17" in page  # the note kept
    assert 'value="2026-11-20"' in page  # the date kept
    assert '<option selected value="polisi">' in page  # the type kept
    assert documents() == []
    if not htmx:
        assert "Andi Baso" in page  # the whole case file around the form


def noise_png(side=420) -> bytes:
    """A picture that does not compress: about 3 bytes a pixel, also once re-encoded."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def test_the_case_total_is_an_office_setting(world, client, auth):
    world["office"].case_attachments_max_mb = 1
    db.session.commit()
    auth.login("pekerja")
    assert upload(client, world["case"], noise_png(), "a.png", doc_type="foto").status_code == 302
    answer = upload(client, world["case"], noise_png(), "b.png", doc_type="foto")
    assert answer.status_code == 422
    assert "Ruang berkas kasus ini (1 MB) tidak cukup" in answer.get_data(as_text=True)
    assert len(documents()) == 1


def test_the_limits_are_edited_with_the_office_settings(world, client, auth):
    auth.login("admin")
    page = client.get("/admin/office").get_data(as_text=True)
    assert 'name="attachment_max_mb"' in page and 'value="10"' in page
    assert 'name="case_attachments_max_mb"' in page and 'value="100"' in page


# --- what is kept -------------------------------------------------------------------------------


def test_a_pdf_is_kept_with_its_pages_and_the_upload_is_audited(world, client, auth):
    auth.login("pekerja")
    answer = upload(client, world["case"], pdf(pages=3), "../../etc/surat polisi.pdf", htmx=True)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Surat keterangan kepolisian" in page and "3 halaman" in page
    assert "Dokumen disimpan" in page
    (item,) = documents()
    assert (item.mimetype, item.pages, item.doc_type, item.case_id) == (
        "application/pdf",
        3,
        "polisi",
        world["case"].id,
    )
    assert item.filename == "surat polisi.pdf" and not item.sensitive
    assert item.uploaded_by_id == world["worker"].id
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "attachment.add"))
    assert entry.object_id == item.id and entry.case_id == world["case"].id
    event = db.session.scalar(select(CaseEvent).where(CaseEvent.kind == "document_added"))
    assert event.data == {"doc_type": "polisi"}
    assert "Dokumen ditambahkan" in client.get(f"/cases/{world['case'].id}").get_data(as_text=True)


def test_a_photo_is_reencoded_without_its_gps_and_given_a_thumbnail(world, client, auth):
    auth.login("pekerja")
    sent = jpeg_with_gps()
    assert upload(client, world["case"], sent, "foto.png", doc_type="foto").status_code == 302
    (item,) = documents()
    assert item.mimetype == "image/jpeg" and item.data != sent  # the name said PNG
    kept = Image.open(io.BytesIO(item.data))
    assert not kept.getexif().get_ifd(0x8825) and JPEG_GPS_MAKE.encode() not in item.data
    assert Image.open(io.BytesIO(item.thumbnail)).size[0] <= 160
    thumb = client.get(f"/documents/{item.id}?thumb=1")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert thumb.data == item.thumbnail


def test_a_png_thumbnail_is_served_as_the_jpeg_it_is(world, client, auth):
    """QA of issue 14: a PNG's thumbnail (a JPEG) was sent under a .png name."""
    auth.login("pekerja")
    assert upload(client, world["case"], png(), "ktp.png", doc_type="ktp").status_code == 302
    (item,) = documents()
    thumb = client.get(f"/documents/{item.id}?thumb=1")
    assert thumb.mimetype == "image/jpeg" and thumb.data[:3] == b"\xff\xd8\xff"
    assert thumb.headers["Content-Disposition"] == f'inline; filename="ktp-{item.id}.jpg"'
    full = client.get(f"/documents/{item.id}")
    assert full.mimetype == "image/png" and full.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert full.headers["Content-Disposition"] == f'inline; filename="ktp-{item.id}.png"'


def test_thumbnails_add_no_audit_entry_of_their_own(world, client, auth):
    """QA of issue 14: every thumbnail shown wrote an "attachment.thumb" entry. The pages that
    show them (the case file, the person's page) audit their own view."""
    auth.login("pekerja")
    case = world["case"]
    for colour in ((200, 30, 30), (30, 200, 30)):
        upload(client, case, png(colour=colour), "foto.png", doc_type="foto")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    person_page = client.get(f"/people/{case.person_id}").get_data(as_text=True)
    for item in documents():
        assert (
            f"/documents/{item.id}?thumb=1" in page
            and f"/documents/{item.id}?thumb=1" in person_page
        )
        assert client.get(f"/documents/{item.id}?thumb=1").status_code == 200
    actions = db.session.scalars(select(AuditLog.action)).all()
    assert "attachment.thumb" not in actions
    assert "case.view" in actions and "person.view" in actions
    client.get(f"/documents/{documents()[0].id}")  # the picture itself is still audited
    assert "attachment.view" in db.session.scalars(select(AuditLog.action)).all()


def test_heic_from_a_phone_is_kept_as_jpeg(world, client, auth):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(out, "HEIF")
    auth.login("pekerja")
    assert upload(client, world["case"], out.getvalue(), "IMG_0001.HEIC", doc_type="ktp").status_code == 302  # fmt: skip
    (item,) = documents()
    assert item.mimetype == "image/jpeg" and item.thumbnail


# --- who sees what ------------------------------------------------------------------------------


def test_a_download_is_audited_and_refused_to_others(world, client, auth):
    auth.login("pekerja")
    upload(client, world["case"], pdf(), "polisi.pdf")
    (item,) = documents()
    answer = client.get(f"/documents/{item.id}")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF-")
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in answer.headers["Cache-Control"]
    entries = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "attachment.download")
    ).all()
    assert [(e.user_id, e.object_id) for e in entries] == [(world["worker"].id, item.id)]
    for user, statuses in (
        ("pekerja2", (403, 404)),  # a colleague who does not handle the case
        ("bpp_manajer", (404,)),  # another office
        ("bpp_pekerja", (404,)),
        ("admin", (403,)),
    ):
        auth.logout()
        auth.login(user)
        assert client.get(f"/documents/{item.id}").status_code in statuses, user
        assert client.get(f"/documents/{item.id}?thumb=1").status_code in statuses, user
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action.like("attachment.%"))
        )
        == 2
    )  # the upload and the one download
    auth.logout()
    auth.login("manajer")
    assert client.get(f"/documents/{item.id}").status_code == 200


def test_a_medical_document_is_hidden_from_who_may_not_see_health_data(world, client, auth):
    case = world["case"]
    case.assigned_to_id = world["worker2"].id  # registered by pekerja, handled by pekerja2
    db.session.commit()
    auth.login("pekerja2")
    upload(client, case, pdf(), "lab.pdf", doc_type="pemeriksaan", note="Hasil lab RSUD")
    upload(client, case, png(), "ktp.png", doc_type="ktp", note="KTP asli dilihat")
    medical = next(d for d in documents() if d.doc_type == "pemeriksaan")
    assert medical.sensitive  # a medical paper is sensitive from the start
    assert "Hasil lab RSUD" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    auth.logout()
    auth.login("pekerja")  # registered the case: sees it, but not its health data
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "KTP asli dilihat" in page
    assert "Hasil lab RSUD" not in page and f"/documents/{medical.id}" not in page
    assert "data kesehatan</span>" not in page
    answer = client.get(f"/documents/{medical.id}")
    assert answer.status_code == 403 and b"%PDF" not in answer.data
    auth.logout()
    auth.login("manajer")
    assert client.get(f"/documents/{medical.id}").status_code == 200


def test_a_closed_case_takes_no_documents(world, client, auth, factory):
    closed = factory.case(world["office"], world["worker"], full_name="Kasus Selesai")
    factory.closure(closed, "closed")
    auth.login("pekerja")
    assert upload(client, closed, pdf()).status_code == 403
    assert 'id="document-form"' not in client.get(f"/cases/{closed.id}").get_data(as_text=True)


# --- photos -------------------------------------------------------------------------------------


def test_several_photos_of_a_person_the_first_is_the_face(world, client, auth, factory):
    case = world["case"]
    auth.login("pekerja")
    for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255)):
        assert upload(client, case, png(colour=colour), "f.png", doc_type="foto").status_code == 302  # fmt: skip
    photos = documents()
    assert len(photos) == 3
    db.session.refresh(case.person)
    assert case.person.photo_id == photos[0].id
    face = client.get(f"/people/{case.person_id}/photo")
    assert face.data == photos[0].data
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert page.count("foto utama") == 1
    # the person's papers go with him to his next case
    second = factory.case(world["office"], world["worker"], person=case.person)
    page = client.get(f"/cases/{second.id}").get_data(as_text=True)
    assert all(f"/documents/{p.id}?thumb=1" in page for p in photos)


def test_a_registration_photo_stays_the_face(world, client, auth, factory):
    case = factory.case(world["office"], world["worker"], photo=(png(), "image/png", "a.png"))
    face = case.person.photo_id
    auth.login("pekerja")
    upload(client, case, png(colour=(1, 2, 3)), "b.png", doc_type="foto")
    db.session.refresh(case.person)
    assert case.person.photo_id == face


# --- letters ------------------------------------------------------------------------------------


def test_a_letter_prints_its_lampiran_count_and_list(world, client, auth, factory):
    case = world["case"]
    auth.login("pekerja")
    upload(client, case, pdf(), "polisi.pdf", doc_type="polisi", doc_date="2026-11-20")
    upload(client, case, pdf(pages=2), "tiket.pdf", doc_type="tiket", doc_date="2026-11-25")
    upload(client, case, pdf(), "lab.pdf", doc_type="pemeriksaan")  # never in a pemulangan
    police, ticket, medical = documents()
    referral = factory.referral(case, "draft", "return_home")
    form = client.get(f"/referrals/{referral.id}/edit").get_data(as_text=True)
    assert f'value="{police.id}"' in form and f'value="{ticket.id}"' in form
    assert f'value="{medical.id}"' not in form
    values = factory.referral_values(case, "return_home")
    values = {k: ("" if v is None else v) for k, v in values.items()}
    values |= {"version": str(referral.version_id), "save_draft": "1"}
    values["attachment_ids"] = [str(police.id), str(ticket.id), str(medical.id)]
    answer = client.post(f"/referrals/{referral.id}/edit", data=values)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]
    db.session.refresh(referral)
    assert referral.attachment_ids == [police.id, ticket.id]  # the medical one is no choice

    from portal.services import letters

    approved = factory.referral(case, "approved", "return_home", archive=False)
    approved.attachment_ids = referral.attachment_ids  # as the form stored them
    letter = approved.letter
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(letters.render_letter(letter))).pages
    )
    flat = " ".join(text.split())
    assert "Lampiran : 2 (dua) berkas" in flat or "Lampiran: 2 (dua) berkas" in flat
    first = flat.index("Lampiran: Surat keterangan kepolisian tanggal 20 November 2026")
    assert flat.index("Tiket/bukti perjalanan (2 halaman) tanggal 25 November 2026") > first
    assert "Hasil pemeriksaan" not in flat


def test_a_letter_without_documents_says_none(world, factory):
    from portal.services import letters

    referral = factory.referral(world["case"], "approved", "placement", archive=False)
    text = PdfReader(io.BytesIO(letters.render_letter(referral.letter))).pages[0].extract_text()
    assert "Lampiran : -" in " ".join(text.split()) or "Lampiran: -" in " ".join(text.split())

"""The demo's documents (issue 14): the police statement and the ticket of people going home,
the Puskesmas referral (health data) of ODGJ going to the RSJ, KTP copies and photos; a draft
pemulangan that sends the police statement and the ticket with its letter. Small files made
here: one-page PDFs written by hand, pictures drawn with Pillow."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Case, Referral
from ..services import attachments
from .common import Demo


def tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing `lines` (Helvetica), with its cross-reference table."""
    text = " ".join(
        f"BT /F1 12 Tf 72 {770 - 18 * i} Td ({line.replace('(', '[').replace(')', ']')}) Tj ET"
        for i, line in enumerate(lines)
    ).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        start,
    )
    return bytes(out)


def picture(label: str, colour: tuple[int, int, int], size=(320, 200)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, size[0] - 9, size[1] - 9), outline=(255, 255, 255), width=3)
    draw.text((20, 20), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _cases_with(demo: Demo, kind: str, limit: int) -> list[tuple[Case, Referral]]:
    rows = db.session.execute(
        select(Case, Referral)
        .join(Referral, Referral.case_id == Case.id)
        .where(Case.office_id == demo.office.id, Referral.kind == kind, Case.status != "closed")
        .order_by(Case.id)
        .limit(limit)
    ).all()
    return [(case, referral) for case, referral in rows]


def _add(case: Case, doc_type: str, data: bytes, name: str, day, note: str = ""):
    worker = case.assigned_to or case.created_by
    values = {"doc_type": doc_type, "doc_date": day, "note": note}
    return attachments.add(case, worker, values, io.BytesIO(data), name)


def seed_documents(demo: Demo) -> None:
    today = demo.today
    for case, referral in _cases_with(demo, "return_home", 8):
        day = today - timedelta(days=demo.rng.randint(3, 20))
        police = _add(
            case,
            "polisi",
            tiny_pdf(["KEPOLISIAN RESOR KOTA BESAR MAKASSAR", "SURAT KETERANGAN", case.number]),
            "surat-keterangan-polisi.pdf",
            day,
            "Polsek Tallo: yang bersangkutan terlantar, tidak membawa uang.",
        )
        ticket = _add(
            case,
            "tiket",
            tiny_pdf(["PT PELNI (PERSERO)", "E-TIKET KM LAMBELU", "Makassar - Surabaya"]),
            "tiket.pdf",
            today - timedelta(days=1),
        )
        if case.person.identity_known:
            _add(case, "ktp", picture("KTP (salinan)", (40, 90, 160)), "ktp.png", day)
        if referral.status in ("draft", "returned"):
            referral.attachment_ids = [police.id, ticket.id]
    for case, _referral in _cases_with(demo, "rsj", 6):
        day = today - timedelta(days=demo.rng.randint(2, 15))
        _add(
            case,
            "rujukan_medis",
            tiny_pdf(["PUSKESMAS KALUKU BODOA", "SURAT RUJUKAN", "Kepada Yth. RSKD Dadi"]),
            "rujukan-puskesmas.pdf",
            day,
            "Rujukan dr. Puskesmas untuk pemeriksaan kejiwaan.",
        )
        _add(case, "foto", picture("Foto saat ditemukan", (120, 90, 60), (240, 320)), "foto.png", day)  # fmt: skip
    db.session.flush()

"""The office's letter register (agenda surat): numbers from the office's template, serials that are
unique and gapless per office and year, and the signatory as they stood on the day of issue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Case, Letter, Office, Person, Referral, User
from . import (
    attachments,
    audit,
    counters,
    labels,
    letter_agenda,
    letter_archive,
    letter_settings,
    letter_text,
    referral_kinds,
    search_words,
    uow,
)
from .errors import NotPermitted, Refused
from .i18n import lazy as _l
from .letter_numbers import DEFAULT_TEMPLATE, format_number

KIND_LABELS = labels.LETTER_KINDS
SUBJECTS = {
    "surat_jalan": "Surat Jalan",
    "berita_acara": "Berita Acara Serah Terima",
    **{kind.letter: kind.letter_subject for kind in referral_kinds.KINDS.values()},
}
SIGNING_MODES = {"head": "", "an": "a.n.", "plt": "Plt.", "plh": "Plh."}


def signatory(office: Office) -> dict:
    """Who signs today, per the office's settings: the head, or a.n./Plt./Plh."""
    mode = office.signing_mode if office.signing_mode in SIGNING_MODES else "head"
    head_title = office.head_title or f"Kepala {office.name}"
    if mode == "head" or not office.signer_name:
        return {
            "signatory_prefix": "",
            "signatory_position": head_title,
            "signatory_name": office.head_name,
            "signatory_rank": office.head_rank,
            "signatory_nip": office.head_nip,
        }
    prefix = SIGNING_MODES[mode]
    position = f"{prefix} {head_title}"
    if mode == "an" and office.signer_position:
        position += f"\n{office.signer_position}"
    return {
        "signatory_prefix": prefix,
        "signatory_position": position,
        "signatory_name": office.signer_name,
        "signatory_rank": office.signer_rank,
        "signatory_nip": office.signer_nip,
    }


def recipient_for(referral: Referral) -> str:
    from . import addressees

    return addressees.recipient(referral)


def issue(office: Office, user: User, kind: str, *, issued_on: date, case: Case | None = None,
          referral: Referral | None = None, subject: str = "", recipient: str = "",
          ip: str = "", number: str = "") -> Letter:  # fmt: skip
    """Take the next serial of the office's register for this year and record the letter.
    Runs inside the caller's transaction: if that rolls back, so does the serial. Once it has
    committed, the letter is rendered and archived (services.letter_archive: after the
    response, by a background thread), so neither the register's lock nor the approving
    manager waits for the render; a letter not archived yet is rendered on first download.
    An office that numbers from its agenda gives no serial: the letter takes `number` (typed by
    the approving manager, checked by letter_agenda) or waits for it, unrendered."""
    if public_url_missing():
        raise Refused(
            str(
                _l(
                    "Surat belum dapat diterbitkan: alamat publik portal (PORTAL_PUBLIC_URL) belum "
                    "diatur, sehingga kode QR pada surat akan menunjuk ke alamat yang salah. "
                    "Minta pengelola server mengaturnya, lalu ulangi langkah ini."
                )
            )
        )
    agenda = letter_settings.numbers_from_agenda(office)
    serial = None if agenda else counters.next_value(office.id, "letter", issued_on.year)
    ppks_code = case.ppks_code if case else None
    classification = letter_settings.classification_for(office, kind, ppks_code)
    letter = Letter(
        token=new_token(),
        code=new_code(),
        office_id=office.id,
        case_id=case.id if case else None,
        referral_id=referral.id if referral else None,
        kind=kind,
        year=issued_on.year,
        serial=serial,
        classification=classification,
        number=None
        if agenda
        else format_number(
            office.letter_number_template or DEFAULT_TEMPLATE,
            classification=classification,
            serial=serial,
            issued_on=issued_on,
            office_code=office.code,
        ),
        issued_on=issued_on,
        subject=subject or SUBJECTS.get(kind, ""),
        sifat=letter_settings.sifat_for(office, kind),
        recipient=recipient,
        created_by_id=user.id,
        **signatory(office),
    )
    db.session.add(letter)
    db.session.flush()
    _audit("letter.issue", letter, user, ip, number=letter.number)
    if agenda and number.strip():
        letter_agenda.assign(letter, user, number, today=issued_on, ip=ip)
    elif not agenda:
        letter_archive.schedule(letter.id)
    return letter


def _audit(action: str, letter: Letter, user: User, ip: str, **details) -> None:
    audit.record(
        action,
        user=user,
        ip=ip,
        object_type="letter",
        object_id=letter.id,
        case_id=letter.case_id,
        details=details,
    )


def register_query(user: User, *, q: str = "", kind: str = "", date_from=None, date_to=None):
    """Letters this user may see: a manager the office's, a worker those of their cases."""
    from . import access

    query = (
        select(Letter)
        .where(Letter.office_id == user.office_id)
        .options(joinedload(Letter.case).joinedload(Case.person))
        .order_by(Letter.issued_on.desc(), Letter.serial.desc(), Letter.id.desc())
    )
    query = access.visible_letters(user, query)
    if kind:
        query = query.where(Letter.kind == kind)
    if date_from:
        query = query.where(Letter.issued_on >= date_from)
    if date_to:
        query = query.where(Letter.issued_on <= date_to)
    text = (q or "").strip()
    if text:  # "tanpa identitas", as the register names them, finds the unidentified
        like = f"%{text}%"
        found = Letter.number.ilike(like) | Case.number.ilike(like) | Person.full_name.ilike(like)
        if search_words.means_unknown(text):
            found |= Person.identity_known.is_(False)
        query = query.outerjoin(Case, Letter.case_id == Case.id)
        query = query.outerjoin(Person, Case.person_id == Person.id).where(found)
    return query


# --- the printed letter -----------------------------------------------------------------------

PAPER_SIZES = {"A4": "A4", "F4": "215mm 330mm"}
DEFAULT_COPIES = {kind.letter: list(kind.default_copies) for kind in referral_kinds.KINDS.values()}
TEMPLATES = {
    **{kind.letter: kind.letter_template for kind in referral_kinds.KINDS.values()},
    "surat_jalan": "letters/surat_jalan.html",
    "berita_acara": "letters/berita_acara.html",
}
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def copies_for(office: Office, kind: str) -> list[str]:
    """The "Tembusan" list of a letter kind (office setting), always ending with the archive."""
    configured = (office.letter_copies or {}).get(kind)
    lines = list(configured if configured is not None else DEFAULT_COPIES.get(kind, []))
    lines = [line for line in lines if line.strip() and line.strip().lower() != "arsip"]
    return [*lines, "Arsip"] if kind in DEFAULT_COPIES else lines


def new_token() -> str:
    import secrets

    return secrets.token_urlsafe(18)


def new_code() -> str:
    import secrets

    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def public_url_missing() -> bool:
    """In production without PORTAL_PUBLIC_URL a letter's QR code would print the address the
    request came in on (127.0.0.1 behind a proxy), archived forever: then no letter is issued.
    A development or test server may use its own address."""
    from flask import current_app

    if current_app.config.get("PUBLIC_URL"):
        return False
    return not (current_app.debug or current_app.testing)


def verify_url(token: str) -> str:
    from flask import current_app, g, has_request_context, request

    base = current_app.config.get("PUBLIC_URL") or (
        request.host_url  # a development server: its own address (the background renderer's
        if has_request_context()  # is that of the request that issued the letter)
        else g.get("host_url") or "http://127.0.0.1:5000/"
    )
    return base.rstrip("/") + "/verify/" + token


def _common_context(office: Office, numbered: bool) -> dict:
    from .pdf import data_uri

    logo = (
        data_uri(office.logo, office.logo_mimetype)
        if office.logo and office.logo_mimetype
        else None
    )
    return {
        "office": office,
        "page_size": PAPER_SIZES.get(office.paper_size, "A4"),
        "agency_line": letter_text.agency_line(office),
        "logo_uri": logo,
        "numbered": numbered,
        **letter_settings.page_context(office),
    }


def _render(template: str, context: dict, office: Office) -> bytes:
    """Lay out once; only a document longer than one page is laid out again, with page numbers."""
    from flask import current_app, render_template

    from . import pdf

    static = current_app.static_folder
    sheets = [pdf.shared_stylesheet(static, "css/letter.css")]
    html = render_template(template, **(_common_context(office, False) | context))
    document = pdf.render_pages(html, static, stylesheets=sheets)
    if len(document.pages) > 1:
        html = render_template(template, **(_common_context(office, True) | context))
        document = pdf.render_pages(html, static, stylesheets=sheets)
    return document.write_pdf()


def render_document(template: str, context: dict, office: Office) -> bytes:
    """Another printed document on the kop surat (not a letter: unnumbered, not archived)."""
    return _render(template, {"letter": None} | context, office)


def render_letter(letter: Letter) -> bytes:
    import segno

    from . import addressees

    office = db.session.get(Office, letter.office_id)
    referral = letter.referral
    case = letter.case
    url = verify_url(letter.token)
    person = case.person if case else None
    context = {
        "letter": letter,
        "referral": referral,
        "case": case,
        "person": person,
        "found_when": letter_text.found_when(person, office) if person else "",
        "photo_uri": letter_text.photo_uri(person),
        "copy_lines": addressees.resolve_copies(copies_for(office, letter.kind), office, referral),
        "verify_url": url,
        "qr_uri": segno.make(url, error="m").svg_data_uri(scale=4, border=1),
    }
    if referral is not None and letter.kind == referral.declaration.letter:  # its Lampiran
        context |= attachments.letter_context(referral)
    if letter.kind == "berita_acara" and referral is not None:
        context["handed_by"] = db.session.get(User, letter.created_by_id)
        context["source_letter"] = referral.letter
        context["handover_in_words"] = letter_text.date_in_words(referral.handover_date)
        context["witnesses"] = letter_text.witnesses_of(referral)
    if letter.kind in ("pengantar_pemulangan", "surat_jalan") and referral is not None:
        from . import pemulangan

        context |= pemulangan.letter_context(referral, letter, office)
    return _render(TEMPLATES[letter.kind], context, office)


def archive(letter: Letter) -> None:
    """Render once and keep the bytes and their SHA-256: later downloads return exactly these.
    Two renders at once (a download and the background renderer) store only the first one's
    bytes (letter_archive.store); `letter` then holds what was stored."""
    if letter.pdf_sha256:
        return  # archived already: never rendered again
    letter_archive.store(letter.id, render_letter(letter))
    db.session.refresh(letter, ["pdf", "pdf_sha256"])


def archive_by_id(letter_id: int) -> None:
    """The after-commit hook of issue(): archive the letter unless it is archived already."""
    letter = db.session.scalar(letter_archive.pending_query().where(Letter.id == letter_id))
    if letter is not None:
        archive(letter)


def archive_new(referral_id: int) -> None:
    """Render and store the referral's letters not yet archived, and commit (for callers that
    committed without the unit of work, such as scripts and tests)."""
    pending = db.session.scalars(
        letter_archive.pending_query().where(Letter.referral_id == referral_id)
    )
    for letter in pending:
        archive(letter)
    uow.commit()


def download(letter: Letter, user: User, ip: str = "") -> bytes:
    """The archived PDF, byte for byte as issued; every download is in the audit log."""
    letter_agenda.refuse_unnumbered(letter)
    letter_archive.refuse_purged(letter)
    if not letter.pdf:
        archive(letter)  # its rendering after issue failed: archive it now, once
    _audit("letter.download", letter, user, ip, number=letter.number, sha256=letter.pdf_sha256)
    return letter.pdf


def void(letter: Letter, manager: User, reason: str, ip: str = "") -> None:
    from ..models._base import utcnow
    from . import access

    if not access.can_void_letter(manager, letter):
        raise NotPermitted(str(_l("Hanya manajer kantor ini yang membatalkan surat.")))
    if not reason.strip():
        raise Refused(str(_l("Tulis alasan pembatalan surat.")), field="reason")
    if letter.status == "void":
        raise Refused(str(_l("Surat ini sudah batal.")))
    letter.status = "void"
    letter.void_reason = reason.strip()
    letter.voided_at = utcnow()
    letter.voided_by_id = manager.id
    _audit("letter.void", letter, manager, ip, number=letter.number, reason=reason)


def by_token(token: str) -> Letter | None:
    return db.session.scalar(select(Letter).where(Letter.token == token)) if token else None


def by_code(code: str) -> Letter | None:
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != 8:
        return None
    return db.session.scalar(select(Letter).where(Letter.code == f"{cleaned[:4]}-{cleaned[4:]}"))


def initials(name: str) -> str:
    """'Andi Baso Daeng' -> 'A. B. D.': the verify page shows no more of the client."""
    parts = [p for p in (name or "").replace(".", " ").split() if p[:1].isalpha()]
    return " ".join(f"{p[0].upper()}." for p in parts) or "—"

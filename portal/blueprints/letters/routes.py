from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...bounds import bounded_int
from ...extensions import db
from ...models import Letter
from ...services import access, letter_agenda, letter_batch
from ...services import letters as service
from ...services.case_report import print_case_report
from ...services.errors import Refused
from ...services.timeutil import office_today
from ...template_helpers import render
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, get_case_or_404, roles_required
from . import bp


def _date(value: str | None):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/letters")
@roles_required("worker", "manager")
def index():
    """The letter register (agenda surat): search by number, case or name; filter by kind, date."""
    return _register_page()


def _register_page(status: int = 200, failed: dict | None = None):
    """The register; `failed`: the waiting letter whose typed number was refused (id, typed,
    message), shown beside its field."""
    q = (request.args.get("q") or "").strip()[:80]
    kind = request.args.get("kind", "")
    kind = kind if kind in service.KIND_LABELS else ""
    date_from, date_to = _date(request.args.get("date_from")), _date(request.args.get("date_to"))
    query = service.register_query(
        current_user, q=q, kind=kind, date_from=date_from, date_to=date_to
    )
    page = db.paginate(
        query, page=bounded_int(request.args.get("page"), 1), per_page=30, error_out=False
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "letters/index.html",
        page=page,
        q=q,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        kinds=service.KIND_LABELS,
        args=args,
        waiting=letter_agenda.waiting(current_user),
        failed=failed or {},
        batch_max=letter_batch.BATCH_MAX,
    ), status


def _letter_or_404(letter_id: int, *, with_pdf: bool = False) -> Letter:
    return allowed(access.letter_for, letter_id, with_pdf=with_pdf)


@bp.route("/letters/<int:letter_id>.pdf")
@roles_required("worker", "manager")
@transactional
def download(letter_id: int):
    """The archived PDF, byte for byte as issued. Every download is in the audit log."""
    letter = allowed(access.letter_pdf_for, letter_id)
    pdf = service.download(letter, current_user, ip=client_ip())
    filename = f"{letter.kind}-{letter.number}".replace("/", "-") + ".pdf"
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-SHA256"] = letter.pdf_sha256
    return response


@bp.route("/letters/<int:letter_id>/pdf-state")
@roles_required("worker", "manager")
def pdf_state(letter_id: int):
    """The letter's download link, or "Surat sedang disiapkan" while the background renderer
    archives it: polled by htmx on the pages that name the letter. Shows no case data."""
    letter = allowed(access.letter_pdf_for, letter_id, with_pdf=False)
    return render_template(
        "letters/_pdf.html",
        fragment=True,
        letter=letter,
        long_label=request.args.get("long") == "1",
        reload_url=url_for("letters.index", q=letter.number or ""),
    )


FILTERS = ("q", "kind", "date_from", "date_to")


@bp.route("/letters/print", methods=["POST"])
@roles_required("manager")
@transactional
def print_batch():
    """Start a batch print of the letters ticked on the register, or of all its current filter
    finds (at most letter_batch.BATCH_MAX): its progress page follows."""
    try:
        batch = letter_batch.start(current_user, _batch_ids(), host_url=request.host_url)
    except Refused as refusal:
        flash(refuse(refusal), "error")
        back = {k: request.form[k] for k in FILTERS if request.form.get(k)}
        return redirect(url_for("letters.index", **back)), 303
    return redirect(url_for("letters.batch_progress", batch_id=batch.id)), 303


@bp.route("/letters/print/<int:batch_id>")
@roles_required("manager")
def batch_progress(batch_id: int):
    """How far the batch has come (htmx asks every second while it works; without JavaScript
    the page refreshes itself), then the link to its PDF and what was left out."""
    batch = allowed(letter_batch.batch_for, batch_id)
    state = letter_batch.state(batch)
    return render("letters/batch.html", "progress", batch=batch, state=state)


@bp.route("/letters/print/<int:batch_id>.pdf")
@roles_required("manager")
@transactional
def batch_pdf(batch_id: int):
    """The batch's one PDF; each letter in it is written to the audit log as printed."""
    batch = allowed(letter_batch.batch_for, batch_id)
    pdf = allowed(letter_batch.download, batch, ip=client_ip())
    response = Response(pdf, mimetype="application/pdf")
    count = len(batch.printed_ids)
    response.headers["Content-Disposition"] = f'inline; filename="surat-{count}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Letters-Printed"] = str(count)
    response.headers["X-Letters-Left-Out"] = str(sum(batch.left_out.values()))
    return response


@bp.route("/letters/print/<int:batch_id>/retry", methods=["POST"])
@roles_required("manager")
@transactional
def batch_retry(batch_id: int):
    """Run again a batch whose process stopped, or that failed (the "Coba lagi" button)."""
    batch = allowed(letter_batch.batch_for, batch_id)
    try:
        letter_batch.retry(current_user, batch)
    except Refused as refusal:
        flash(refuse(refusal), "error")
    return redirect(url_for("letters.batch_progress", batch_id=batch_id)), 303


def _batch_ids() -> list[int]:
    form = request.form
    if form.get("scope") != "filter":
        return [bounded_int(value, 0) for value in form.getlist("ids") if value.isdigit()]
    kind = form.get("kind", "") if form.get("kind", "") in service.KIND_LABELS else ""
    return letter_batch.ids_of_filter(
        current_user, q=(form.get("q") or "").strip()[:80], kind=kind,
        date_from=_date(form.get("date_from")), date_to=_date(form.get("date_to")),
    )  # fmt: skip


@bp.route("/letters/<int:letter_id>/void", methods=["POST"])
@roles_required("manager")
@transactional
def void(letter_id: int):
    letter = _letter_or_404(letter_id)
    reason = (request.form.get("reason") or "").strip()[:2000]
    try:
        service.void(letter, current_user, reason, ip=client_ip())
    except Refused as refusal:
        flash(refuse(refusal), "error")
        return redirect(request.referrer or url_for("letters.index")), 303
    flash(
        _("Surat %(number)s dinyatakan batal. Nomornya tidak dipakai lagi.", number=letter.number)
        if letter.number
        else _("Surat dinyatakan batal."),
        "success",
    )
    return redirect(url_for("letters.index", q=letter.number or ""))


@bp.route("/letters/<int:letter_id>/number", methods=["POST"])
@roles_required("manager")
@transactional
def number(letter_id: int):
    """A manager types the number the office's agenda gave a waiting letter; it is then
    rendered and archived."""
    letter = _letter_or_404(letter_id)
    typed = (request.form.get("agenda_number") or "")[:100]
    try:
        today = office_today(current_user.office)
        letter_agenda.assign(letter, current_user, typed, today=today, ip=client_ip())
    except Refused as refusal:
        failed = {"id": letter_id, "typed": typed, "message": refuse(refusal)}
        return _register_page(refusal.status, failed)
    flash(_("Surat bernomor %(number)s dan siap dicetak.", number=letter.number), "success")
    return redirect(url_for("letters.index", q=letter.number)), 303


@bp.route("/cases/<int:case_id>/report.pdf")
@roles_required("worker", "manager")
def case_report(case_id: int):
    """Laporan penanganan kasus, printable at any time; the print is in the audit log."""
    case = get_case_or_404(case_id)
    today = office_today(current_user.office)
    pdf = print_case_report(case, current_user, today=today, ip=client_ip())
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="laporan-{case.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- public verification (no login) ---------------------------------------------------------


@bp.route("/verify", methods=["GET"])
def verify_form():
    code = (request.args.get("code") or "").strip()[:20]
    letter = service.by_code(code) if code else None
    if letter is not None:
        return redirect(url_for("letters.verify", token=letter.token))
    return render_template("letters/verify.html", letter=None, code=code, searched=bool(code)), (
        404 if code else 200
    )


@bp.route("/verify/<token>")
def verify(token: str):
    letter = service.by_token(token[:60])
    if letter is None:
        return render_template("letters/verify.html", letter=None, code="", searched=True), 404
    return render_template(
        "letters/verify.html",
        letter=letter,
        office=letter_office(letter),
        initials=service.initials(letter.case.person.full_name if letter.case else ""),
    )


def letter_office(letter: Letter):
    from ...models import Office

    return db.session.get(Office, letter.office_id)

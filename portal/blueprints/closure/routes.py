from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError

from ...services import access, followups
from ...services import closure as service
from ...services.errors import NotPermitted, Refused
from ...services.timeutil import office_today, utc_to_local
from ...unit_of_work import refuse, transactional
from ..helpers import client_ip, get_case_or_404, require, roles_required
from . import bp
from .forms import ClosureDecisionForm, ClosureForm, ReopenForm


def _case_report_url(case) -> str | None:
    """The printed case report (laporan penanganan kasus) comes from the letters area."""
    try:
        return url_for("letters.case_report", case_id=case.id)
    except BuildError:
        return None


def _closure_form(case, formdata=None) -> ClosureForm:
    form = ClosureForm() if formdata is None else ClosureForm(formdata=formdata)
    form.today = office_today(current_user.office)
    form.earliest = utc_to_local(case.reported_at, current_user.office.timezone).date()
    return form


KEPT = "closure_refused"  # a refused form's text and messages, for the next GET
FORMS = {"reopen_form": lambda case, data: ReopenForm(formdata=data)}


def _back(case, name: str, form, error: str | None = None):
    """Back to the closure page by a GET (a reload sends nothing again), the message beside its
    field and the text typed kept (through the session), the top message, if any, above."""
    data = [(key, value) for key, value in request.form.items(multi=True) if key != "csrf_token"]
    errors = {key: [str(m) for m in messages] for key, messages in form.errors.items() if key}
    session[KEPT] = {"case": case.id, "name": name, "data": data, "errors": errors, "error": error}
    return redirect(url_for("closure.show", case_id=case.id), 303)


def _refused(case, name: str, form, refusal: Refused):
    """A refusal by the service: back to the page as _back does; one for this user stays a 403."""
    message = refuse(refusal, form)
    if isinstance(refusal, NotPermitted):
        raise refusal
    return _back(case, name, form, None if refusal.field else message)


def _kept(case) -> dict:
    """The form refused by the last POST, rebuilt with its text and messages (see _back)."""
    kept = session.pop(KEPT, None)
    if not kept or kept.get("case") != case.id or kept.get("name") not in FORMS:
        return {}
    form = FORMS[kept["name"]](case, MultiDict(kept["data"]))
    for key, messages in kept["errors"].items():
        if key in form:
            form[key].errors = list(messages)
    return {kept["name"]: form, "error": kept.get("error")}


def _page(case, *, form=None, reopen_form=None, decision_form=None, status=200, error=None):
    closure = service.current(case)
    can_request = access.can_request_closure(current_user, case)
    open_items, blockers = [], []
    if can_request:
        open_items = followups.open_followups(case)
        blockers = service.referral_blockers(case)
        if form is None:
            form = _closure_form(case, formdata=None)
            form.closed_on.data = form.today
        form.open_followups = len(open_items)
    return render_template(
        "closure/page.html",
        case=case,
        closure=closure,
        form=form,
        can_request=can_request,
        needs_approval=access.closure_needs_approval(current_user.office, current_user),
        open_followups=open_items,
        blockers=blockers,
        can_decide=bool(closure and access.can_decide_closure(current_user, closure)),
        decision_form=decision_form or ClosureDecisionForm(formdata=None),
        can_reopen=access.can_reopen(current_user, case),
        reopen_form=reopen_form or ReopenForm(formdata=None),
        case_report_url=_case_report_url(case) if case.status == "closed" else None,
        error=error,
    ), status


@bp.route("/cases/<int:case_id>/closure", methods=["GET"])
@roles_required("worker", "manager")
def show(case_id: int):
    """The closure form of an active case; the request, its decision, or the closed case's
    confirmation (with the printed case report) otherwise."""
    case = get_case_or_404(case_id)
    return _page(case, **_kept(case))


@bp.route("/cases/<int:case_id>/closure", methods=["POST"])
@roles_required("worker", "manager")
@transactional
def request_closure(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    if not access.can_request_closure(current_user, case):
        flash(_("Kasus ini tidak dapat ditutup sekarang."), "error")
        return redirect(url_for("closure.show", case_id=case.id))
    form = _closure_form(case)
    form.open_followups = len(followups.open_followups(case))
    if not form.validate_on_submit():
        return _page(case, form=form, status=422)
    try:
        closure = service.request(
            case,
            current_user,
            reason=form.reason.data,
            closed_on=form.closed_on.data,
            summary=form.summary.data,
            cancel_reason=form.cancel_reason.data if form.cancel_followups.data else None,
            ip=client_ip(),
        )
    except Refused as refusal:
        return _page(case, form=form, status=refusal.status, error=refuse(refusal))
    if closure.status == "requested":
        flash(_("Penutupan kasus diajukan; menunggu persetujuan manajer."), "success")
    else:
        flash(_("Kasus ditutup."), "success")
    return redirect(url_for("closure.show", case_id=case.id))


def _decide(closure, form: ClosureDecisionForm) -> str | None:
    """The manager's decision (services.closure.decide); the error to show, if any."""
    if not form.validate_on_submit() or form.action.data not in service.DECISIONS:
        return _("Pilih keputusan.")
    comment = form.comment.data or ""
    try:
        service.decide(closure, current_user, form.action.data, comment, ip=client_ip())
    except Refused as refusal:
        return refuse(refusal)
    return None


@bp.route("/cases/<int:case_id>/closure/decide", methods=["POST"])
@roles_required("manager")
@transactional
def decide(case_id: int):
    """Approve or return a closure request: from /approvals (htmx: the item is replaced) or
    from the closure page."""
    case = get_case_or_404(case_id)
    closure = service.current(case)
    if closure is None:
        abort(404)
    form = ClosureDecisionForm()
    error = _decide(closure, form)
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        from ..approvals.routes import closure_item  # the desk's row (a boosted form: a page)

        headers = {} if error else {"HX-Trigger": "approvals-changed"}
        return closure_item(closure, form=form, error=error), 422 if error else 200, headers
    if error:
        return _page(case, decision_form=form, status=422, error=error)
    if closure.status == "approved":
        flash(_("Penutupan disetujui; kasus ditutup."), "success")
    else:
        flash(_("Penutupan dikembalikan kepada petugas."), "success")
    return redirect(url_for("closure.show", case_id=case.id))


@bp.route("/cases/<int:case_id>/reopen", methods=["POST"])
@roles_required("worker", "manager")
@transactional
def reopen(case_id: int):
    case = get_case_or_404(case_id)
    require(access.can_reopen(current_user, case))
    form = ReopenForm()
    if not form.validate_on_submit():
        return _back(case, "reopen_form", form)
    try:
        service.reopen(case, current_user, form.reopen_reason.data, ip=client_ip())
    except Refused as refusal:
        return _refused(case, "reopen_form", form, refusal)
    flash(_("Kasus dibuka kembali."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))

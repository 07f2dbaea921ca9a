"""Retensi data: the closed cases past the office's retention period, the request to anonymise
one and another manager's approval (services.retention; who may: services.access)."""

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...bounds import bounded_int
from ...models import AnonymisationRequest
from ...services import access
from ...services import retention as service
from ...services.errors import NotPermitted, Refused
from ...services.timeutil import office_today
from ...template_helpers import render
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, get_case_or_404, roles_required
from . import bp

FAILED = "retention_failed"  # the refused form's field, message and text, for the next GET


@bp.route("/retention")
@roles_required("manager")
def index():
    office = current_user.office
    page = service.retention_page(
        office, office_today(office), bounded_int(request.args.get("page"), 1)
    )
    return render(
        "retention/index.html", block="results", page=page, office=office,
        failed=session.pop(FAILED, None) or {}, recent_days=service.RECENT_DAYS,
    )  # fmt: skip


def _refused(refusal, **failed):
    """Back to the page by a GET (reloading it sends nothing again), with the message beside
    its field and the text typed kept, or on top; a refusal for this user stays a 403."""
    message = refuse(refusal)
    if isinstance(refusal, NotPermitted):
        raise refusal
    session[FAILED] = failed | {"field": refusal.field, "message": message}
    if not refusal.field:
        flash(message, "error")
    return redirect(url_for("retention.index", page=request.args.get("page")), 303)


@bp.route("/cases/<int:case_id>/anonymise", methods=["POST"])
@roles_required("manager")
@transactional
def request_anonymisation(case_id: int):
    case = get_case_or_404(case_id)
    reason = request.form.get("reason", "")[: service.REASON_MAX + 100]
    try:
        today = office_today(current_user.office)
        service.request(current_user, case, today, reason, client_ip())
    except Refused as refusal:
        return _refused(refusal, case_id=case.id, reason=reason)
    flash(_("Anonimisasi %(number)s diminta; menunggu persetujuan manajer lain.", number=case.number),
          "success")  # fmt: skip
    return redirect(url_for("retention.index", page=request.args.get("page")), 303)


@bp.route("/retention/requests/<int:request_id>", methods=["POST"])
@roles_required("manager")
@transactional
def decide(request_id: int):
    item = allowed(access.office_record, AnonymisationRequest, request_id)
    action, confirm = request.form.get("action", ""), request.form.get("confirm", "")[:30]
    reason = request.form.get("reason", "")[: service.REASON_MAX + 100]
    try:
        today = office_today(current_user.office)
        service.decide(current_user, item, action, confirm, today, client_ip(), reason)
    except Refused as refusal:
        return _refused(refusal, id=item.id, confirm=confirm, reason=reason)
    done = _("Kasus dianonimkan.") if action != "reject" else _("Permintaan anonimisasi ditolak.")
    flash(done, "success")
    return redirect(url_for("retention.index", page=request.args.get("page")), 303)

"""Guardians (wali / pendamping) of a case's person and the case's basis of processing
(services.consent). Reached from the case file's "Dasar pemrosesan data" card and from a
referral that cannot be submitted without a basis."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...services import access, consent
from ...services.errors import Refused, StaleVersion
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, get_case_or_404, roles_required
from . import bp
from .forms import BasisForm, GuardianForm


def _page(template: str, form, case, status=200, error=None, **context):
    if isinstance(error, StaleVersion):
        form.conflict = error.changes  # cases/_conflict.html: "changed by someone else"
    return render_template(template, form=form, case=case, **context), status


def _back(case):
    """To the referral the basis was asked for (?referral=<id>), else to the case file."""
    referral_id = request.args.get("referral", type=int)
    if referral_id:
        return redirect(url_for("referrals.detail", referral_id=referral_id))
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="dasar-pemrosesan"))


@bp.route("/cases/<int:case_id>/basis", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def basis(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)  # access.can_edit_case
    current, form = consent.basis_of(case), BasisForm()
    form.setup(consent.guardians(case.person))
    if request.method == "GET" and current is not None:
        form.load(current)
    if not form.validate_on_submit():
        return _page("consent/basis.html", form, case, 422 if form.is_submitted() else 200)
    try:
        version = form.version.number() if current is not None else None
        consent.record_basis(case, current_user, form.values(), version, ip=client_ip())
    except Refused as refusal:
        refuse(refusal, form)
        return _page("consent/basis.html", form, case, refusal.status, refusal)
    flash(_("Dasar pemrosesan data disimpan."), "success")
    return _back(case)


@bp.route("/cases/<int:case_id>/guardians/new", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def new_guardian(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)  # access.can_edit_case
    form = GuardianForm()
    if not form.check(case.person):
        status = 422 if form.is_submitted() else 200
        return _page("consent/guardian.html", form, case, status, guardian=None)
    try:
        consent.add_guardian(case, current_user, form.values(), ip=client_ip())
    except Refused as refusal:
        refuse(refusal, form)
        return _page("consent/guardian.html", form, case, refusal.status, guardian=None)
    flash(_("Wali/pendamping dicatat."), "success")
    return _back(case)


@bp.route("/cases/<int:case_id>/guardians/<int:guardian_id>", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def edit_guardian(case_id: int, guardian_id: int):
    case, guardian = allowed(access.guardian_for, case_id, guardian_id)
    g.no_store = True
    form = GuardianForm()
    if request.method == "GET":
        form.load(guardian)
    if not form.check(case.person, guardian):
        status = 422 if form.is_submitted() else 200
        return _page("consent/guardian.html", form, case, status, guardian=guardian)
    try:
        version = form.version.number()
        consent.update_guardian(case, guardian, current_user, form.values(), version, client_ip())
    except Refused as refusal:
        refuse(refusal, form)
        return _page(
            "consent/guardian.html", form, case, refusal.status, refusal, guardian=guardian
        )
    flash(_("Data wali/pendamping disimpan."), "success")
    return _back(case)

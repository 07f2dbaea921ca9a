from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import Organisation, Referral
from ...services import access, attachments
from ...services import referrals as service
from ...services.errors import Refused
from ...services.timeutil import local_date, office_today
from ...unit_of_work import refuse, transactional
from ..helpers import client_ip, get_case_or_404, record_view, roles_required
from . import bp
from .forms import FORMS, CancelForm, DecisionForm, HandoverForm


def get_referral_or_404(referral_id: int) -> Referral:
    referral = db.session.scalars(
        select(Referral)
        .where(Referral.id == referral_id)
        .options(joinedload(Referral.organisation), selectinload(Referral.letters))
    ).first()
    if referral is None or not access.can_view_case(current_user, referral.case):
        abort(404)
    return referral


def _organisations(office_id: int):
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.office_id == office_id, Organisation.active.is_(True))
            .order_by(Organisation.name)
        )
    )


def _form_for(kind: str, case, formdata=None):
    form_class = FORMS.get(kind)
    if form_class is None:
        abort(404)
    form = form_class() if formdata is None else form_class(formdata=formdata)
    form.sensitive = access.may_see_sensitive(current_user, case)
    form.setup(_organisations(current_user.office_id), office_today(current_user.office))
    form.documents = attachments.letter_choices(current_user, case, kind)
    return form


def _save_and_maybe_submit(form, referral):
    """After a valid save: submit when asked; an incomplete referral stays a draft and the
    form shows what is missing (422)."""
    if request.form.get("submit_now"):
        missing = service.missing_for_submit(referral)
        if missing:
            form.mark_missing(missing)  # the draft is kept (committed), the answer is 422
            form.version.data = service.saved_version(referral)  # the re-shown form posts it
            flash(
                _("Draf disimpan, tetapi belum dapat diajukan: lengkapi isian yang ditandai."),
                "error",
            )
            return None
        service.submit(referral, current_user, ip=client_ip())
        flash(_("Rujukan diajukan; menunggu keputusan manajer."), "success")
    else:
        flash(_("Draf rujukan disimpan."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


@bp.route("/cases/<int:case_id>/referrals/new", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def new(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    if not service.can_create(current_user, case):
        abort(403)
    kind = request.args.get("kind", "")
    if not kind:
        return render_template("referrals/choose_kind.html", case=case, kinds=service.KIND_LABELS)
    form = _form_for(kind, case)
    if request.method == "GET":
        form.prefill(case)
    if form.validate_on_submit():
        referral = service.create(case, current_user, kind, form.values(), ip=client_ip())
        response = _save_and_maybe_submit(form, referral)
        if response is not None:
            return response
        return render_template("referrals/form.html", form=form, case=case, referral=referral), 422
    status = 422 if form.is_submitted() else 200
    return render_template("referrals/form.html", form=form, case=case, referral=None), status


@bp.route("/referrals/<int:referral_id>")
@roles_required("worker", "manager")
def detail(referral_id: int):
    referral = get_referral_or_404(referral_id)
    record_view("referral.view", referral.case, referral_id=referral.id)
    return _detail_page(referral)


def _proposed_followup(referral):
    """After the handover: the usual next follow-up, scheduled with one click."""
    from ...services import followups, proposals

    if referral.status != "completed" or not followups.can_schedule(current_user, referral.case):
        return None
    office = current_user.office
    return proposals.proposal_for(
        referral, office, proposals.referral_followups(referral), office_today(office)
    )


def _detail_page(referral, status=200, decision_form=None, cancel_form=None):
    return render_template(
        "referrals/detail.html",
        referral=referral,
        case=referral.case,
        sensitive=access.may_see_sensitive(current_user, referral.case),
        can_edit=service.can_edit(current_user, referral),
        can_decide=service.can_decide(current_user, referral),
        can_close=service.can_close(current_user, referral),
        decision_form=decision_form or DecisionForm(formdata=None),
        cancel_form=cancel_form or CancelForm(formdata=None),
        missing=service.missing_for_submit(referral) if referral.status in service.EDITABLE else [],
        proposal=_proposed_followup(referral),
    ), status


@bp.route("/referrals/<int:referral_id>/edit", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def edit(referral_id: int):
    referral = get_referral_or_404(referral_id)
    if not service.can_edit(current_user, referral):
        flash(_("Rujukan yang sudah diajukan tidak dapat diubah."), "error")
        return redirect(url_for("referrals.detail", referral_id=referral.id))
    form = _form_for(
        referral.kind, referral.case, request.form if request.method == "POST" else None
    )
    if request.method == "GET":
        form.load(referral)
        form.setup(_organisations(current_user.office_id), form.today)
    elif form.validate_on_submit():
        try:
            service.update(
                referral, current_user, form.values(), form.version.number(), ip=client_ip()
            )
        except Refused as refusal:
            refuse(refusal, form, "version")
            return render_template(
                "referrals/form.html", form=form, case=referral.case, referral=referral
            ), refusal.status
        response = _save_and_maybe_submit(form, referral)
        if response is not None:
            return response
    status = 422 if form.is_submitted() else 200
    return render_template(
        "referrals/form.html", form=form, case=referral.case, referral=referral
    ), status


@bp.route("/referrals/<int:referral_id>/submit", methods=["POST"])
@roles_required("worker", "manager")
@transactional
def submit(referral_id: int):
    referral = get_referral_or_404(referral_id)
    try:
        service.submit(referral, current_user, ip=client_ip())
        flash(_("Rujukan diajukan; menunggu keputusan manajer."), "success")
    except Refused as refusal:
        flash(refuse(refusal), "error")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


@bp.route("/referrals/<int:referral_id>/decide", methods=["POST"])
@roles_required("manager")
@transactional
def decide(referral_id: int):
    """Approve, reject or return. From /approvals (htmx: the row is replaced) or the detail page."""
    referral = get_referral_or_404(referral_id)
    form = DecisionForm()
    error = letter = None
    try:
        action = form.action.data if form.validate_on_submit() else ""
        letter = service.decide(
            referral, current_user, action, form.comment.data or "", client_ip(),
            numbers=form.agenda_numbers(),
        )  # fmt: skip
    except Refused as refusal:
        error = refuse(refusal)
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        from ..approvals.routes import approval_item  # the desk's row (a boosted form: a page)

        headers = {} if error else {"HX-Trigger": "approvals-changed"}
        item = approval_item(referral, form=form, error=error, letter=letter)
        return item, 422 if error else 200, headers
    if letter:
        number = letter.number or _("menunggu nomor agenda")
        flash(_("Rujukan disetujui. Nomor surat: %(number)s", number=number), "success")
    else:
        flash(error or _("Keputusan disimpan."), "error" if error else "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id))


@bp.route("/referrals/<int:referral_id>/complete", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def complete(referral_id: int):
    referral = get_referral_or_404(referral_id)
    if not service.can_close(current_user, referral):
        abort(403)
    form = HandoverForm()
    form.approved_on = local_date(referral.decided_at, current_user.office.timezone)
    if request.method == "GET":
        form.handover_date.data = form.today
        form.receiver_institution.data = referral.receiver_label
    if form.validate_on_submit():
        handover = service.Handover(
            handover_date=form.handover_date.data,
            handover_place=form.handover_place.data,
            receiver_name=form.receiver_name.data,
            receiver_position=form.receiver_position.data,
            receiver_institution=form.receiver_institution.data,
            handover_note=form.handover_note.data or "",
            **form.witnesses(),
        )
        service.complete(referral, current_user, handover, ip=client_ip())
        flash(_("Serah terima dicatat; rujukan selesai."), "success")
        return redirect(url_for("referrals.detail", referral_id=referral.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "referrals/complete.html", form=form, referral=referral, case=referral.case
    ), status


@bp.route("/referrals/<int:referral_id>/cancel", methods=["POST"])
@roles_required("worker", "manager")
@transactional
def cancel(referral_id: int):
    referral = get_referral_or_404(referral_id)
    if not service.can_close(current_user, referral):
        abort(403)
    form = CancelForm()
    if not form.validate_on_submit():
        return _detail_page(referral, status=422, cancel_form=form)
    service.cancel(referral, current_user, form.reason.data, ip=client_ip())
    flash(_("Rujukan dibatalkan."), "success")
    return redirect(url_for("referrals.detail", referral_id=referral.id))

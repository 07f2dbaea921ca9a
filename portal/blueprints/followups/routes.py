from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import Case, FollowUp, Referral, User
from ...services import access, workdays
from ...services import aid as aid_service
from ...services import followups as service
from ...services.errors import Refused
from ...services.timeutil import office_today, utc_to_local
from ...template_helpers import tanggal
from ...unit_of_work import refuse, transactional
from ..helpers import client_ip, get_case_or_404, roles_required
from . import bp
from .forms import AidForm, FollowUpForm, OutcomeForm


def _case_url(case_id: int, anchor: str = "tindak-lanjut") -> str:
    return url_for("cases.detail", case_id=case_id) + f"#{anchor}"


def _reported_on(case: Case):
    return utc_to_local(case.reported_at, current_user.office.timezone).date()


def get_followup_or_404(followup_id: int) -> FollowUp:
    followup = db.session.scalars(
        select(FollowUp)
        .where(FollowUp.id == followup_id)
        .options(joinedload(FollowUp.case).joinedload(Case.person))
    ).first()
    if followup is None or not access.can_view_case(current_user, followup.case):
        abort(404)
    return followup


# --- scheduling ---------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/follow-ups/new", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def new(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    if not service.can_schedule(current_user, case):
        abort(403)
    today = office_today(current_user.office)
    form = FollowUpForm()
    candidates = service.assignee_candidates(case)
    form.setup_schedule("", candidates, today)
    if request.method == "GET":
        default = case.assigned_to_id or current_user.id
        form.assigned_to.data = str(default) if str(default) in form._candidate_ids else ""
    if form.validate_on_submit():
        due = form.due()
        try:
            service.schedule(
                case,
                current_user,
                kind=form.kind.data,
                due_date=due,
                assigned_to=db.session.get(User, int(form.assigned_to.data)),
                purpose=form.purpose.data,
                ip=client_ip(),
                today=today,
            )
        except Refused as refusal:
            refuse(refusal, form, "purpose")
        else:
            flash(
                _("Tindak lanjut dijadwalkan, jatuh tempo %(date)s.", date=tanggal(due)), "success"
            )
            return redirect(_case_url(case.id))
    status = 422 if form.is_submitted() else 200
    return render_template("followups/form.html", form=form, case=case, today=today), status


@bp.route("/referrals/<int:referral_id>/follow-up", methods=["POST"])
@roles_required("worker", "manager")
@transactional
def schedule_proposed(referral_id: int):
    """The follow-up a completed referral proposes, scheduled with one click."""
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        abort(404)
    case = get_case_or_404(referral.case_id, for_edit=True)
    if not service.can_schedule(current_user, case):
        abort(403)
    try:
        followup = service.schedule_proposed(
            referral, current_user, current_user.office, ip=client_ip()
        )
    except Refused as refusal:
        flash(refuse(refusal), "error")
    else:
        flash(
            _("Tindak lanjut dijadwalkan, jatuh tempo %(date)s.", date=tanggal(followup.due_date)),
            "success",
        )
    return redirect(_case_url(case.id))


@bp.route("/follow-ups/due-preview")
@roles_required("worker", "manager")
def due_preview():
    """The date a number of working days means (typed into a due-date field; htmx)."""
    raw = request.args.get("due_in") or request.args.get("next_due_in") or ""
    today = office_today(current_user.office)
    if not raw.strip().isdigit() or not 1 <= int(raw) <= service.MAX_WORKING_DAYS:
        return render_template("followups/_due_preview.html", due=None, holidays=[])
    due = workdays.add_working_days(today, int(raw))
    return render_template(
        "followups/_due_preview.html",
        due=due,
        weekday=format_date(due, "EEEE"),
        holidays=workdays.holidays_between(today, due),
    )


# --- outcome ------------------------------------------------------------------------------------


@bp.route("/follow-ups/<int:followup_id>/outcome", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def outcome(followup_id: int):
    followup = get_followup_or_404(followup_id)
    case = followup.case
    if not followup.is_open:
        flash(_("Hasil tindak lanjut ini sudah dicatat."), "info")
        return redirect(_case_url(case.id))
    if not service.can_record(current_user, followup):
        abort(403)
    today = office_today(current_user.office)
    form = OutcomeForm()
    form.setup_schedule("next_", service.assignee_candidates(case), today)
    form.earliest = _reported_on(case)
    if request.method == "GET":
        form.version.data = followup.version_id
        form.outcome_date.data = today
        form.next_kind.data = followup.kind
        form.next_assigned_to.data = str(followup.assigned_to_id)
    if form.validate_on_submit():
        next_followup = None
        if form.schedule_next.data:
            next_followup = service.NextFollowUp(
                kind=form.next_kind.data,
                due_date=form.due("next_"),
                assigned_to=db.session.get(User, int(form.next_assigned_to.data)),
                purpose=form.next_purpose.data or "",
            )
        try:
            following = service.record_outcome(
                followup,
                current_user,
                form.outcome_values(),
                version=int(form.version.data) if (form.version.data or "").isdigit() else -1,
                next_followup=next_followup,
                ip=client_ip(),
                today=today,
            )
        except Refused as refusal:
            refuse(refusal, form, "outcome")
        else:
            message = _("Hasil tindak lanjut dicatat.")
            if following is not None:
                message += " " + _(
                    "Tindak lanjut berikutnya jatuh tempo %(date)s.",
                    date=tanggal(following.due_date),
                )
            flash(message, "success")
            back = request.args.get("back")
            if back == "tasks":
                return redirect(url_for("followups.tasks"))
            return redirect(_case_url(case.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "followups/outcome.html", form=form, followup=followup, case=case, today=today
    ), status


# --- /tasks -------------------------------------------------------------------------------------


@bp.route("/tasks")
@roles_required("worker", "manager")
def tasks():
    today = office_today(current_user.office)
    groups = service.tasks_for(current_user, today)
    totals = {name: sum(g.counts[name] for g in groups) for name in workdays.BUCKETS}
    return render_template(
        "followups/tasks.html",
        groups=groups,
        totals=totals,
        buckets=workdays.BUCKETS,
        today=today,
        whole_office=current_user.is_manager,
    )


@bp.route("/tasks/count")
@roles_required("worker", "manager", "admin")
def count():
    """The number of overdue follow-ups in the navigation bar, polled by htmx."""
    today = office_today(current_user.office)
    return render_template(
        "followups/_count.html", count=service.overdue_count(current_user, today)
    )


# --- aid given ----------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/aid/new", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def new_aid(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    if not aid_service.can_record_aid(current_user, case):
        abort(403)
    form = AidForm()
    form.today = office_today(current_user.office)
    form.earliest = _reported_on(case)
    if request.method == "GET":
        form.given_on.data = form.today
        form.given_by.data = current_user.full_name
    if form.validate_on_submit():
        try:
            aid_service.record_aid(case, current_user, form.values(), ip=client_ip())
        except Refused as refusal:
            refuse(refusal, form, "kind")
        else:
            flash(_("Bantuan dicatat."), "success")
            return redirect(_case_url(case.id, "bantuan"))
    status = 422 if form.is_submitted() else 200
    return render_template("followups/aid_form.html", form=form, case=case), status

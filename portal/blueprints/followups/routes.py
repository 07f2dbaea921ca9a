from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from ...models import Case
from ...services import access, workdays
from ...services import aid as aid_service
from ...services import followups as service
from ...services import tasks as task_service
from ...services.errors import Refused
from ...services.timeutil import office_today, utc_to_local
from ...template_helpers import tanggal
from ...unit_of_work import refuse, transactional
from ..helpers import (
    allowed,
    client_ip,
    get_case_or_404,
    get_referral_or_404,
    require,
    roles_required,
)
from . import bp
from .forms import AidForm, FollowUpForm, OutcomeForm


def _case_url(case_id: int, anchor: str = "tindak-lanjut") -> str:
    return url_for("cases.detail", case_id=case_id) + f"#{anchor}"


def _reported_on(case: Case):
    return utc_to_local(case.reported_at, current_user.office.timezone).date()


def _scheduled(due) -> str:
    return _("Tindak lanjut dijadwalkan, jatuh tempo %(date)s.", date=tanggal(due))


# --- scheduling ---------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/follow-ups/new", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def new(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    require(access.can_schedule_followup(current_user, case))
    today = office_today(current_user.office)
    form = FollowUpForm()
    form.setup_schedule("", service.assignee_candidates(case), today)
    if request.method == "GET":
        form.default_assignee(case.assigned_to_id or current_user.id)
    if form.validate_on_submit():
        values = form.schedule_values()
        try:
            service.schedule(case, current_user, **values, ip=client_ip(), today=today)
        except Refused as refusal:
            refuse(refusal, form, "purpose")
        else:
            flash(_scheduled(values["due_date"]), "success")
            return redirect(_case_url(case.id))
    status = 422 if form.is_submitted() else 200
    return render_template("followups/form.html", form=form, case=case, today=today), status


@bp.route("/referrals/<int:referral_id>/follow-up", methods=["POST"])
@roles_required("worker", "manager")
@transactional
def schedule_proposed(referral_id: int):
    """The follow-up a completed referral proposes, scheduled with one click."""
    referral = get_referral_or_404(referral_id, for_edit=True)
    case = referral.case
    require(access.can_schedule_followup(current_user, case))
    try:
        followup = service.schedule_proposed(
            referral, current_user, current_user.office, ip=client_ip()
        )
    except Refused as refusal:
        flash(refuse(refusal), "error")
    else:
        flash(_scheduled(followup.due_date), "success")
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


def _recorded(following) -> str:
    message = _("Hasil tindak lanjut dicatat.")
    if following is None:
        return message
    due = tanggal(following.due_date)
    return message + " " + _("Tindak lanjut berikutnya jatuh tempo %(date)s.", date=due)


@bp.route("/follow-ups/<int:followup_id>/outcome", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def outcome(followup_id: int):
    followup = allowed(access.followup_for, followup_id)
    case = followup.case
    if not followup.is_open:
        flash(_("Hasil tindak lanjut ini sudah dicatat."), "info")
        return redirect(_case_url(case.id))
    require(access.can_record_outcome(current_user, followup))
    today = office_today(current_user.office)
    form = OutcomeForm()
    form.prepare(followup, service.assignee_candidates(case), today, _reported_on(case))
    if form.validate_on_submit():
        try:
            following = service.record_outcome(
                followup, current_user, **form.record_values(), ip=client_ip(), today=today
            )
        except Refused as refusal:
            refuse(refusal, form, "outcome")
        else:
            flash(_recorded(following), "success")
            back = request.args.get("back") == "tasks"
            return redirect(url_for("followups.tasks") if back else _case_url(case.id))
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "followups/outcome.html", form=form, followup=followup, case=case, today=today
    )
    return page, status


# --- /tasks -------------------------------------------------------------------------------------


@bp.route("/tasks")
@roles_required("worker", "manager")
def tasks():
    today = office_today(current_user.office)
    groups = task_service.tasks_for(current_user, today)
    totals = task_service.bucket_totals(current_user, today)
    return render_template(
        "followups/tasks.html",
        groups=groups,
        totals=totals,
        shown=sum(g.total for g in groups),
        buckets=workdays.BUCKETS,
        today=today,
        whole_office=access.sees_whole_office(current_user),
    )


@bp.route("/tasks/count")
@roles_required("worker", "manager", "admin")
def count():
    """The number of overdue follow-ups in the navigation bar, polled by htmx."""
    today = office_today(current_user.office)
    return render_template(
        "followups/_count.html", count=task_service.overdue_count(current_user, today)
    )


# --- aid given ----------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/aid/new", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def new_aid(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    require(access.can_record_aid(current_user, case))
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

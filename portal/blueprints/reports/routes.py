from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...models.referrals import REFERRAL_KINDS
from ...services import access, approvals, regions, report_export, tasks
from ...services import dashboard as dashboard_service
from ...services import reports as service
from ...services.timeutil import office_today
from ...unit_of_work import transactional
from ..helpers import client_ip, roles_required
from . import bp
from .forms import PeriodForm


def dashboard_page():
    """The dashboard, with what the home page always showed: a worker's referral decisions
    since they last looked, a manager's approvals waiting, overdue follow-ups. Only reads (the
    decisions marked seen are written in a short transaction of their own)."""
    office = current_user.office
    today = office_today(office)
    context = {"overdue": tasks.overdue_count(current_user, today)}
    if not access.sees_whole_office(current_user):
        context["decided"] = approvals.decided_for(current_user, unseen_only=True)
        context["first_visit"] = current_user.decisions_seen_at is None
        approvals.mark_decisions_seen(current_user)
    else:
        context["waiting"] = approvals.waiting_count(current_user)
    board = dashboard_service.build(current_user, today)
    return render_template("reports/dashboard.html", board=board, **context)


@bp.route("/dashboard")
@roles_required("worker", "manager")
def dashboard():
    return dashboard_page()


def _district_choices(form: PeriodForm) -> None:
    office = current_user.office
    parent = (
        office.region_code if office.region_code and office.region_code.count(".") == 1 else None
    )
    form.district.choices = [("", _("Semua kecamatan"))] + [
        (r.code, r.name) for r in (regions.children(parent) if parent else [])
    ]


def _period(form: PeriodForm) -> service.Period:
    kind = form.period.data
    if kind == "month":
        return service.Period.month(form.year.data, int(form.month.data))
    if kind == "quarter":
        return service.Period.quarter(form.year.data, int(form.quarter.data))
    if kind == "year":
        return service.Period.year(form.year.data)
    return service.Period(form.date_from.data, form.date_to.data)


def _form():
    """The period form from the query string (this month at the office when nothing was
    chosen)."""
    today = office_today(current_user.office)
    form = PeriodForm(request.args)
    _district_choices(form)
    if not request.args:
        form.period.data, form.year.data, form.month.data = "month", today.year, str(today.month)
        form.quarter.data = str((today.month - 1) // 3 + 1)
        return form, True
    return form, form.validate()


@bp.route("/reports")
@roles_required("worker", "manager")
def index():
    form, valid = _form()
    if not valid:
        return render_template("reports/index.html", form=form, report=None), 422
    report = service.build(current_user, _period(form), form.district.data or None)
    args = {k: v for k, v in request.args.items() if v} or {
        "period": "month",
        "year": form.year.data,
        "month": form.month.data,
    }
    return render_template(
        "reports/index.html",
        form=form,
        report=report,
        args=args,
        kinds=REFERRAL_KINDS,
        reasons=service.CLOSED_REASONS,
        reason_label=service.reason_label,
    )


@bp.route("/reports/export.<fmt>")
@roles_required("worker", "manager")
@transactional
def export(fmt: str):
    if fmt not in report_export.MIMETYPES:
        abort(404)
    form, valid = _form()
    if not valid:
        return render_template("reports/index.html", form=form, report=None), 422
    office = current_user.office
    report = service.build(current_user, _period(form), form.district.data or None)
    today = office_today(office)
    data = report_export.export(report, fmt, office, current_user, today, ip=client_ip())
    name = f"rekap-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}"
    if report.district:
        name += "-" + report.district.replace(".", "")
    response = Response(data, mimetype=report_export.MIMETYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response

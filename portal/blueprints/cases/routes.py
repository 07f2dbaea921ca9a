from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...extensions import db
from ...models import Attachment, AuditLog, Person, User
from ...services import access, labels, regions, workdays
from ...services import aid as aid_service
from ...services import cases as case_service
from ...services import closure as closure_service
from ...services import followups as followup_service
from ...services import proposals as proposal_service
from ...services import referrals as referral_service
from ...services.errors import Refused, StaleVersion
from ...services.timeutil import office_today
from ...template_helpers import render
from ...unit_of_work import refuse, transactional
from ..helpers import client_ip, get_case_or_404, record_view, roles_required
from ..intake.forms import CaseEditForm, PersonEditForm
from ..intake.routes import category_options
from . import bp
from .forms import AssignForm, FilterForm, NoteForm


def _filter_choices(form: FilterForm) -> None:
    office = current_user.office
    local_types, ppks = category_options(office.id)
    form.category.choices = (
        [("", _("Semua kategori"))]
        + [(f"L:{t.id}", t.name) for t in local_types]
        + [(f"P:{p.code}", f"{p.code} {p.name}") for p in ppks]
    )
    workers = case_service.office_workers(office.id)
    form.worker.choices = [("", _("Semua petugas")), ("none", _("Belum ditugaskan"))] + [
        (str(w.id), w.full_name) for w in workers
    ]
    parent = (
        office.region_code if office.region_code and office.region_code.count(".") == 1 else None
    )
    form.reason.choices = [("", "")] + list(labels.CLOSURE_REASONS.items())
    form.district.choices = [("", _("Semua kecamatan"))] + [
        (r.code, r.name) for r in (regions.children(parent) if parent else [])
    ]


def _extra_filters(form: FilterForm) -> dict:
    """The filters behind a number of the dashboard or a report (invalid ones are ignored)."""
    values = {}
    for name in FilterForm.EXTRA:
        f = getattr(form, name)
        if f.errors or not f.data:
            continue
        if name == "reason" and f.data not in (*labels.CLOSURE_REASONS, "none"):
            continue
        values[name] = f.data == "1" if name == "overdue" else f.data
    return values


@bp.route("/cases")
@roles_required("worker", "manager")
def index():
    form = FilterForm(request.args)
    _filter_choices(form)
    form.validate()
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        page = 1
    filters = case_service.CaseFilters(
        q=(form.q.data or "")[:100] if not form.q.errors else "",
        status=form.status.data or "",
        category=form.category.data or "",
        worker=form.worker.data or "",
        district=form.district.data or "",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
        sort=form.sort.data or "newest",
        page=page,
        **_extra_filters(form),
    )
    result = case_service.list_cases(current_user, filters)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render("cases/index.html", block="results", form=form, result=result, args=args)


def _detail_page(case, note_form=None, status=200):
    assign_form = None
    if access.can_assign(current_user, case):
        assign_form = AssignForm(worker=str(case.assigned_to_id or ""))
        assign_form.worker.choices = [("", "—")] + [
            (str(w.id), w.full_name) for w in case_service.office_workers(case.office_id)
        ]
    referrals = referral_service.case_referrals(case)
    events = case_service.timeline(case)
    # Every follow-up and every aid writes its timeline entry in the same transaction: a case
    # whose timeline has none needs no query for them (most cases have no aid).
    kinds = {e.kind for e in events}
    followups = followup_service.case_followups(case) if "followup_scheduled" in kinds else []
    aid_items = aid_service.case_aid(case) if "aid_given" in kinds else []
    office = current_user.office
    today = office_today(office)
    proposals = [
        proposal
        for referral in referrals
        if (proposal := proposal_service.proposal_for(referral, office, followups, today))
    ]
    return render_template(
        "cases/detail.html",
        case=case,
        person=case.person,
        events=events,
        note_form=note_form or NoteForm(formdata=None),
        assign_form=assign_form,
        other_cases=[c for c in case.person.cases if c.id != case.id],
        referrals=referrals,
        can_refer=referral_service.can_create(current_user, case),
        can_edit=access.can_edit_case(current_user, case),
        followups=followups,
        followup_buckets={
            f.id: workdays.bucket_of(f.due_date, today) for f in followups if f.is_open
        },
        proposals=proposals,
        can_schedule=followup_service.can_schedule(current_user, case),
        aid_items=aid_items,
        aid=aid_service.summarise_aid(aid_items),
        can_aid=aid_service.can_record_aid(current_user, case),
        closure=closure_service.current(case) if case.status in ("closing", "closed") else None,
        can_close=closure_service.can_request(current_user, case),
        can_reopen=closure_service.can_reopen(current_user, case),
    ), status


@bp.route("/cases/<int:case_id>")
@roles_required("worker", "manager")
def detail(case_id: int):
    case = get_case_or_404(case_id)
    record_view("case.view", case)
    return _detail_page(case)


@bp.route("/cases/<int:case_id>/notes", methods=["POST"])
@roles_required("worker", "manager")
@transactional
def add_note(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    form = NoteForm()
    htmx = bool(request.headers.get("HX-Request"))
    if not form.validate_on_submit():
        if not htmx:
            return _detail_page(case, note_form=form, status=422)
        response = render("cases/detail.html", block="note_form", case=case, note_form=form)
        return response, 422, {"HX-Retarget": "#note-form", "HX-Reswap": "outerHTML"}
    case_service.add_note(case, current_user, form.body.data, ip=client_ip())
    if htmx:
        return render(
            "cases/detail.html",
            block="timeline_with_form",
            case=case,
            note_form=NoteForm(formdata=None),
            events=case_service.timeline(case),
        )
    flash(_("Catatan ditambahkan."), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/assign", methods=["POST"])
@roles_required("manager")
@transactional
def assign(case_id: int):
    case = get_case_or_404(case_id)
    if not access.can_assign(current_user, case):
        abort(403)
    form = AssignForm()
    workers = case_service.office_workers(case.office_id)
    form.worker.choices = [(str(w.id), w.full_name) for w in workers]
    if not form.validate_on_submit():
        flash(_("Pilih pekerja sosial dari daftar."), "error")
        return redirect(url_for("cases.detail", case_id=case.id)), 303
    worker = db.session.get(User, int(form.worker.data))
    if worker.id != case.assigned_to_id:
        case_service.assign(case, current_user, worker, ip=client_ip())
        flash(_("Kasus ditugaskan kepada %(name)s.", name=worker.full_name), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


def _conflict_response(template: str, form, case, conflict: StaleVersion, **ctx):
    refuse(conflict)
    form.conflict = conflict.changes
    return render_template(template, form=form, case=case, **ctx), conflict.status


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def edit_case(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    office = current_user.office
    form = CaseEditForm()
    form.setup_case_choices(office, *category_options(office.id))
    form.conflict = None
    if request.method == "GET":
        form.load_case(case, office.timezone)
        form.version.data = case.version_id
    elif form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
            changes = case_service.update_case(
                case, current_user, form.case_values(), version, ip=client_ip()
            )
        except StaleVersion as conflict:
            return _conflict_response("cases/edit_case.html", form, case, conflict)
        flash(
            _("Perubahan disimpan.") if changes else _("Tidak ada yang berubah."),
            "success" if changes else "info",
        )
        return redirect(url_for("cases.detail", case_id=case.id))
    status = 422 if form.is_submitted() else 200
    return render_template("cases/edit_case.html", form=form, case=case), status


@bp.route("/cases/<int:case_id>/person", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def edit_person(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    person = case.person
    office = current_user.office
    form = PersonEditForm()
    form.conflict = None
    existing_nik = None
    if request.method == "GET":
        form.load_person(person, office.timezone)
        form.version.data = person.version_id
    form.setup_regions(office)
    if form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
            changes = case_service.update_person(
                person, case, current_user, form.person_values(), version, ip=client_ip()
            )
        except StaleVersion as conflict:
            return _conflict_response(
                "cases/edit_person.html", form, case, conflict, existing_nik=None
            )
        except Refused as refusal:
            refuse(refusal, form)
            existing_nik = getattr(refusal, "person", None)
        else:
            flash(
                _("Perubahan disimpan.") if changes else _("Tidak ada yang berubah."),
                "success" if changes else "info",
            )
            return redirect(url_for("cases.detail", case_id=case.id))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "cases/edit_person.html", form=form, case=case, existing_nik=existing_nik
    ), status


@bp.route("/people/<int:person_id>/photo")
@roles_required("worker", "manager")
def photo(person_id: int):
    person = db.session.get(Person, person_id)
    if person is None or not person.photo_id or not access.can_view_person(current_user, person):
        abort(404)
    attachment = db.session.get(Attachment, person.photo_id)
    response = Response(attachment.data, mimetype=attachment.mimetype)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/cases/<int:case_id>/audit")
@roles_required("manager")
def audit_trail(case_id: int):
    """Who saw and changed this case (UU PDP Pasal 31). Read-only: no page edits the log."""
    case = get_case_or_404(case_id)
    entries = db.paginate(
        select(AuditLog).where(AuditLog.case_id == case.id).order_by(AuditLog.id.desc()),
        per_page=50,
        error_out=False,
    )
    record_view("case.audit_view", case)
    return render_template("cases/audit.html", case=case, entries=entries)

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...bounds import bounded_int
from ...extensions import db
from ...models import AuditLog, User
from ...services import (
    access,
    attachments,
    case_list,
    casefile,
    identification,
    nik_holder,
    regions,
    unidentified,
)
from ...services import cases as case_service
from ...services.errors import Refused, StaleVersion
from ...services.i18n import sentence
from ...services.labels import CLOSURE_REASONS
from ...template_helpers import render
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, get_case_or_404, record_view, require, roles_required
from ..intake.case_fields import CaseEditForm, category_choices
from ..intake.person_fields import PersonEditForm
from ..intake.routes import category_options, visible_duplicates
from . import bp
from .forms import AssignForm, FilterForm, NoteForm, PersonFilterForm
from .identify_form import IdentifyForm


def _filter_choices(form: FilterForm) -> None:
    office = current_user.office
    local_types, ppks = case_service.category_names(office.id)
    form.category.choices = category_choices(local_types, ppks, _("Semua kategori"))
    workers = case_service.office_workers(office.id)
    form.worker.choices = [("", _("Semua petugas")), ("none", _("Belum ditugaskan"))] + [
        (str(w.id), w.full_name) for w in workers
    ]
    parent = (
        office.region_code if office.region_code and office.region_code.count(".") == 1 else None
    )
    form.reason.choices = [("", "")] + list(CLOSURE_REASONS.items())
    form.district.choices = [("", _("Semua kecamatan"))] + [
        (r.code, r.name) for r in (regions.children(parent) if parent else [])
    ]


@bp.route("/cases")
@roles_required("worker", "manager")
def index():
    form = FilterForm(request.args)
    _filter_choices(form)
    form.validate()
    page = bounded_int(request.args.get("page"), 1)
    filters = case_list.CaseFilters(**form.filter_values(), page=page)
    result = case_list.list_cases(current_user, filters, elsewhere=bool(filters.q), rows=True)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render("cases/index.html", block="results", form=form, result=result, args=args)


@bp.route("/unidentified")
@roles_required("worker", "manager")
def unidentified_people():
    """Orang tanpa identitas: cards with photos, for a family or the police to look through."""
    form = PersonFilterForm(request.args)
    form.validate()
    page = bounded_int(request.args.get("page"), 1)
    result = unidentified.gallery(current_user, form.person_values(), page, ip=client_ip())
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    g.no_store = True
    return render("cases/unidentified.html", block="results", form=form, result=result, args=args)


def _detail_page(case, note_form=None, status=200, document_form=None):
    """The case file (services.casefile) with its three forms."""
    from .document_form import DocumentForm

    file = casefile.build(current_user, case)
    return render_template(
        "cases/detail.html",
        **file.context(),
        note_form=note_form or NoteForm(formdata=None),
        assign_form=AssignForm.for_case(case, file.assignable),
        document_form=document_form or DocumentForm(formdata=None),
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
    require(access.can_assign(current_user, case))
    form = AssignForm()
    workers = case_service.office_workers(case.office_id)
    form.worker.choices = [(str(w.id), w.full_name) for w in workers]
    if not form.validate_on_submit():
        flash(_("Pilih pekerja sosial dari daftar."), "error")
        return redirect(url_for("cases.detail", case_id=case.id)), 303
    worker = db.session.get(User, int(form.worker.data))
    if worker.id != case.assigned_to_id:
        case_service.assign(case, current_user, worker, ip=client_ip())
        flash(sentence(_("Kasus ditugaskan kepada %(name)s.", name=worker.full_name)), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


def _saved(case, changes):
    flash(
        _("Perubahan disimpan.") if changes else _("Tidak ada yang berubah."),
        "success" if changes else "info",
    )
    return redirect(url_for("cases.detail", case_id=case.id))


def _conflict_response(template: str, form, case, conflict: StaleVersion, **ctx):
    refuse(conflict)
    form.conflict = conflict.changes
    form.conflict_message = str(conflict) if getattr(conflict, "tampered", False) else None
    return render_template(template, form=form, case=case, **ctx), conflict.status


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def edit_case(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    office = current_user.office
    form = CaseEditForm()
    form.setup_case_choices(office, *category_options(office.id))
    if request.method == "GET":
        form.load(case, office.timezone)
    elif form.validate_on_submit():
        try:
            values, version = form.case_values(), form.version_number()
            changes = case_service.update_case(case, current_user, values, version, ip=client_ip())
        except StaleVersion as conflict:
            return _conflict_response("cases/edit_case.html", form, case, conflict)
        return _saved(case, changes)
    status = 422 if form.is_submitted() else 200
    return render_template("cases/edit_case.html", form=form, case=case), status


@bp.route("/cases/<int:case_id>/person", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def edit_person(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    office = current_user.office
    form = PersonEditForm()
    if request.method == "GET":
        form.load(case.person, office.timezone)
    form.setup_regions(office)
    existing_nik = None
    if form.validate_on_submit():
        try:
            values, version = form.person_values(), form.version_number()
            changes = case_service.update_person(
                case.person, case, current_user, values, version, ip=client_ip()
            )
        except StaleVersion as conflict:
            return _conflict_response(
                "cases/edit_person.html", form, case, conflict, existing_nik=None
            )
        except Refused as refusal:
            refuse(refusal, form)
            existing_nik = nik_holder.holder_for(current_user, getattr(refusal, "person", None))
        else:
            return _saved(case, changes)
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "cases/edit_person.html", form=form, case=case, existing_nik=existing_nik
    )
    return page, status


def _identify_page(form, case, status=200, existing_nik=None):
    """The Identifikasi page; once submitted, with who may already be registered as him."""
    candidates, hidden = [], 0
    if form.is_submitted():
        criteria = form.duplicate_criteria()
        candidates, hidden = visible_duplicates(**criteria, exclude_person_id=case.person_id)
    page = render_template(
        "cases/identify.html",
        form=form,
        case=case,
        existing_nik=existing_nik,
        candidates=candidates,
        hidden=hidden,
        identifying=case.person_id,
    )
    return page, status


@bp.route("/cases/<int:case_id>/identify", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def identify(case_id: int):
    """Identifikasi: the unknown person of this case (open or closed) gets his identity."""
    case = get_case_or_404(case_id)
    require(access.may_identify(current_user, case))
    form = IdentifyForm()
    form.setup_regions(current_user.office)
    if request.method == "GET":
        form.load(case.person, current_user.office.timezone)
        return _identify_page(form, case)
    if not form.validate_on_submit():
        return _identify_page(form, case, 422)
    correction = case.person.identity_known
    try:
        values, how, version = form.person_values(), form.how(), form.version_number()
        identification.identify(case, current_user, values, how, version, ip=client_ip())
    except StaleVersion as conflict:
        ctx = {"candidates": [], "hidden": 0, "identifying": case.person_id}
        return _conflict_response("cases/identify.html", form, case, conflict, **ctx)
    except Refused as refusal:
        refuse(refusal, form)
        holder = nik_holder.holder_for(current_user, getattr(refusal, "person", None))
        return _identify_page(form, case, refusal.status, existing_nik=holder)
    flash(
        _("Identitas dikoreksi.") if correction else _("Orang ini sudah diidentifikasi."), "success"
    )
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/people/<int:person_id>/photo")
@roles_required("worker", "manager")
def photo(person_id: int):
    person = allowed(access.person_for, person_id)
    if (kept := person.current_record()) is not person:  # merged: the kept record's photo
        return redirect(url_for("cases.photo", person_id=kept.id))
    photo = attachments.open_photo(
        current_user, person, bool(request.args.get("thumb")), client_ip()
    )
    if photo is None:
        abort(404)
    data, mimetype = photo
    response = Response(data, mimetype=mimetype)
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
        page=bounded_int(request.args.get("page"), 1),
        per_page=50,
        error_out=False,
    )
    record_view("case.audit_view", case)
    return render_template("cases/audit.html", case=case, entries=entries)

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import plain_http
from ...bounds import bounded_int
from ...extensions import db
from ...models import AuditLog, LocalCaseType, Organisation, PpksCategory, User
from ...services import access, regions
from ...services import admin as admin_service
from ...services.errors import Refused
from ...services.letters import public_url_missing
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, roles_required
from . import bp
from .forms import CaseTypeForm, OfficeForm, OrganisationForm, ResetPasswordForm, UserForm


def _form_page(form, title: str, back: str, status: int = 200, **extra):
    return render_template("admin/form.html", form=form, title=title, back=back, **extra), status


def _owned(model, item_id: int):
    return allowed(access.office_record, model, item_id)


@bp.route("/")
@roles_required("admin")
def index():
    office = current_user.office
    return render_template(
        "admin/index.html",
        office=office,
        users=admin_service.users_of(office),
        organisations=admin_service.organisations_of(office),
        case_types=admin_service.case_types_of(office),
        regions_version=regions.loaded_version(),
        public_url_missing=public_url_missing(),
        plain_http=plain_http(current_app),
    )


# --- users -----------------------------------------------------------------------------------


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
@transactional
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = admin_service.create_user(
                current_user, form.data, form.password.data, ip=client_ip()
            )
        except Refused as refusal:
            refuse(refusal, form)
        else:
            flash(_("Pengguna %(name)s dibuat.", name=user.username), "success")
            return redirect(url_for("admin.index"))
    return _form_page(
        form, _("Pengguna baru"), url_for("admin.index"), 422 if form.is_submitted() else 200
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
@transactional
def edit_user(user_id: int):
    user = _owned(User, user_id)
    form = UserForm(obj=user)
    form.is_new = False
    if form.validate_on_submit():
        try:
            admin_service.update_user(
                current_user, user, form.data, form.password.data, ip=client_ip()
            )
        except Refused as refusal:
            refuse(refusal, form)
        else:
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("admin.index"))
    return _form_page(
        form,
        _("Ubah pengguna %(name)s", name=user.username),
        url_for("admin.index"),
        422 if form.is_submitted() else 200,
        reset_url=url_for("admin.reset_password", user_id=user.id),
    )


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@roles_required("admin")
@transactional
def reset_password(user_id: int):
    user = _owned(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            admin_service.reset_password(current_user, user, form.password.data, ip=client_ip())
        except Refused as refusal:
            refuse(refusal, form)
        else:
            flash(_("Kata sandi %(name)s sudah diatur ulang.", name=user.username), "success")
            return redirect(url_for("admin.index"))
    return _form_page(
        form,
        _("Atur ulang kata sandi %(name)s", name=user.username),
        url_for("admin.edit_user", user_id=user.id),
        422 if form.is_submitted() else 200,
    )


# --- the office ------------------------------------------------------------------------------


@bp.route("/office", methods=["GET", "POST"])
@roles_required("admin")
@transactional
def office():
    office = current_user.office
    form = OfficeForm(obj=office)
    form.setup(office)
    if form.validate_on_submit() and form.check_against(office):
        values = form.office_values()
        admin_service.update_office(current_user, office, values, form.logo, ip=client_ip())
        flash(_("Pengaturan kantor disimpan."), "success")
        return redirect(url_for("admin.index"))
    return _form_page(
        form,
        _("Pengaturan kantor"),
        url_for("admin.index"),
        422 if form.is_submitted() else 200,
        multipart=True,
    )


@bp.route("/office/logo")
@roles_required("admin", "manager", "worker")
def office_logo():
    office = current_user.office
    if not office.logo:
        abort(404)
    return (
        office.logo,
        200,
        {"Content-Type": office.logo_mimetype, "Cache-Control": "private, max-age=300"},
    )


# --- partner organisations -------------------------------------------------------------------


def _organisation_form(item=None) -> OrganisationForm:
    form = OrganisationForm(obj=item)
    if item is not None and request.method == "GET" and item.region_code:
        form.province.data = item.region_code[:2]
    form.province.choices = [("", "—")] + [(r.code, r.name) for r in regions.children(None)]
    prov = form.province.data
    form.region_code.choices = [("", "—")] + [
        (r.code, r.name) for r in (regions.children(prov) if prov else [])
    ]
    return form


@bp.route("/organisations/new", methods=["GET", "POST"])
@roles_required("admin")
@transactional
def new_organisation():
    form = _organisation_form()
    if form.validate_on_submit():
        try:
            item = admin_service.create_organisation(current_user, form.data, ip=client_ip())
        except Refused as refusal:
            refuse(refusal, form)
        else:
            flash(_("Mitra %(name)s ditambahkan.", name=item.name), "success")
            return redirect(url_for("admin.index") + "#mitra")
    return _form_page(
        form,
        _("Mitra baru"),
        url_for("admin.index"),
        422 if form.is_submitted() else 200,
        region_cascade=True,
    )


@bp.route("/organisations/<int:item_id>", methods=["GET", "POST"])
@roles_required("admin")
@transactional
def edit_organisation(item_id: int):
    item = _owned(Organisation, item_id)
    form = _organisation_form(item)
    if form.validate_on_submit():
        try:
            admin_service.update_organisation(current_user, item, form.data, ip=client_ip())
        except Refused as refusal:
            refuse(refusal, form)
        else:
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("admin.index") + "#mitra")
    return _form_page(
        form,
        _("Ubah mitra"),
        url_for("admin.index"),
        422 if form.is_submitted() else 200,
        region_cascade=True,
    )


# --- local case types ------------------------------------------------------------------------


def _case_type_form(item=None) -> CaseTypeForm:
    form = CaseTypeForm(obj=item)
    form.ppks_code.choices = [("", "—")] + [
        (p.code, f"{p.code} {p.name}")
        for p in db.session.scalars(select(PpksCategory).order_by(PpksCategory.code))
    ]
    return form


@bp.route("/case-types/new", methods=["GET", "POST"])
@roles_required("admin")
@transactional
def new_case_type():
    form = _case_type_form()
    if form.validate_on_submit():
        try:
            item = admin_service.create_case_type(current_user, form.data, ip=client_ip())
        except Refused as refusal:
            refuse(refusal, form)
        else:
            flash(_("Jenis kasus %(name)s ditambahkan.", name=item.name), "success")
            return redirect(url_for("admin.index") + "#jenis")
    return _form_page(
        form,
        _("Jenis kasus lokal baru"),
        url_for("admin.index"),
        422 if form.is_submitted() else 200,
    )


@bp.route("/case-types/<int:item_id>", methods=["GET", "POST"])
@roles_required("admin")
@transactional
def edit_case_type(item_id: int):
    item = _owned(LocalCaseType, item_id)
    form = _case_type_form(item)
    if form.validate_on_submit():
        try:
            admin_service.update_case_type(current_user, item, form.data, ip=client_ip())
        except Refused as refusal:
            refuse(refusal, form)
        else:
            flash(_("Perubahan disimpan."), "success")
            return redirect(url_for("admin.index") + "#jenis")
    return _form_page(
        form, _("Ubah jenis kasus"), url_for("admin.index"), 422 if form.is_submitted() else 200
    )


# --- the audit log (read-only) ---------------------------------------------------------------


@bp.route("/audit")
@roles_required("admin")
def audit_log():
    """Processing records of the office: who did what, when, from where. Never edited."""
    query = (
        select(AuditLog)
        .where(AuditLog.office_id == current_user.office_id)
        .options(joinedload(AuditLog.user))
        .order_by(AuditLog.id.desc())
    )
    action = request.args.get("action", "").strip()[:40]
    if action:
        query = query.where(AuditLog.action.startswith(action))
    user_id, case_id = bounded_int(request.args.get("user")), bounded_int(request.args.get("case"))
    if user_id:
        query = query.where(AuditLog.user_id == user_id)
    if case_id:
        query = query.where(AuditLog.case_id == case_id)
    page = bounded_int(request.args.get("page"), 1)
    entries = db.paginate(query, page=page, per_page=50, error_out=False)
    return render_template(
        "admin/audit.html",
        entries=entries,
        users=admin_service.users_of(current_user.office),
        action=action,
        user_id=user_id,
        case_id=case_id,
    )

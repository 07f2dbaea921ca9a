"""A person's social-registry status (DTKS/DTSEN, JKN, bansos) and a SIKS-NG check result
uploaded for many people at once: read, previewed, confirmed (services.registry,
services.registry_import; who may: services.access)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...bounds import bounded_int
from ...models import RegistryImport
from ...services import access
from ...services import registry as service
from ...services import registry_import as importer
from ...services.errors import Refused
from ...services.timeutil import office_today
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, require, roles_required
from . import bp
from .forms import ApplyForm, ImportForm, RegistryForm


def _back(person) -> str:
    """Back to the case file the form was opened from (one of the person's cases), else the
    person's page."""
    case_id = bounded_int(request.values.get("case"))
    if case_id in {c.id for c in person.cases}:
        return url_for("cases.detail", case_id=case_id)
    return url_for("people.detail", person_id=person.id)


def _form_page(form, person, status=200):
    return render_template(
        "registry/edit.html", form=form, person=person, back=_back(person),
        case_id=bounded_int(request.values.get("case")), history=service.history(person),
    ), status  # fmt: skip


@bp.route("/people/<int:person_id>/registry", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def update(person_id: int):
    person = allowed(access.person_for, person_id).current_record()
    require(access.can_update_registry(current_user, person))
    form = RegistryForm()
    if request.method == "GET":
        form.load(person.registry_status, office_today(current_user.office))
        service.record_form_view(current_user, person, client_ip())
        return _form_page(form, person)
    if not form.validate_on_submit():
        return _form_page(form, person, 422)
    try:
        version = form.version.number()
        service.record(current_user, person, form.values(), version=version, ip=client_ip())
    except Refused as refusal:
        refuse(refusal, form, "dtsen_status")
        return _form_page(form, person, refusal.status)
    flash(_("Status registrasi sosial %(name)s dicatat.", name=person.display_name), "success")
    return redirect(_back(person), 303)


@bp.route("/registry/import", methods=["GET", "POST"])
@roles_required("manager")
@transactional
def upload():
    form = ImportForm()
    if request.method == "GET":
        form.checked_on.data = office_today(current_user.office)
        return render_template("registry/upload.html", form=form)
    try:
        if not form.validate_on_submit():
            return render_template("registry/upload.html", form=form), 422
        data, name = importer.take(form.file.data)
        item = importer.read(current_user, name, data, form.checked_on.data, client_ip())
    except Refused as refusal:
        refuse(refusal, form, "file")
        return render_template("registry/upload.html", form=form), refusal.status
    return redirect(url_for("registry.preview", item_id=item.id), 303)


def _preview_page(item, form, message=None, status=200):
    return render_template(
        "registry/preview.html", item=item, form=form, message=message,
        counts=importer.counts(item), states=importer.STATES, applied_label=importer.APPLIED,
        row_problems=importer.problems, chosen=set(form.confirm.data or ()),
        names=importer.people_names(item) if item.applied_at else {},
    ), status  # fmt: skip


@bp.route("/registry/imports/<int:item_id>", methods=["GET", "POST"])
@roles_required("manager")
@transactional
def preview(item_id: int):
    item = allowed(access.merge_for, item_id, RegistryImport)
    form = ApplyForm()
    if request.method == "GET":
        importer.record_view(current_user, item, client_ip())
        return _preview_page(item, form)
    try:
        if not form.validate_on_submit():
            raise Refused(_("Formulir tidak lengkap. Muat ulang halaman."))
        applied = importer.apply(current_user, item, form.confirm.data, client_ip())
    except Refused as refusal:
        return _preview_page(item, form, refuse(refusal), refusal.status)
    flash(_("Status %(n)d orang diperbarui dari hasil cek SIKS-NG.", n=applied), "success")
    return redirect(url_for("registry.preview", item_id=item.id), 303)

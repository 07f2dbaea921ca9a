"""The person page, his processing trail, merging two records of one person and undoing it
(services.merge; who may: services.access)."""

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...bounds import bounded_int
from ...extensions import db
from ...models import AuditLog
from ...services import access, attachments, consent, data_subject
from ...services import merge as merge_service
from ...services import people as people_service
from ...services.errors import Refused, StaleVersion
from ...services.i18n import sentence
from ...services.timeutil import office_today
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, require, roles_required
from . import bp
from .forms import MergeForm, UndoForm


def _record_view(action: str, person) -> None:
    merge_service.record_person_view(current_user, person, action, client_ip())


def _moved(person, endpoint: str):
    """A merged record's URL answers with the record it was merged into."""
    kept = person.current_record()
    if kept.id == person.id:
        return None
    flash(sentence(_("Data ini sudah digabungkan ke %(name)s.", name=kept.display_name)), "info")
    return redirect(url_for(endpoint, person_id=kept.id))


def _person_page(person, message=None, status=200):
    page = people_service.person_page(current_user, person)
    days = current_app.config["MERGE_UNDO_DAYS"]
    undoable = {m.id for m in page.merges if not merge_service.undo_refusal(m, days)}
    return render_template(
        "people/detail.html", page=page, person=person, undoable=undoable,
        undo_days=days, message=message,
        documents=attachments.for_person(current_user, person),
        guardians=consent.person_guardians(current_user, person),
    ), status  # fmt: skip


@bp.route("/people/<int:person_id>")
@roles_required("worker", "manager")
def detail(person_id: int):
    person = allowed(access.person_for, person_id)
    if moved := _moved(person, "people.detail"):
        return moved
    _record_view("person.view", person)
    return _person_page(person)


@bp.route("/people/<int:person_id>/audit")
@roles_required("manager")
def trail(person_id: int):
    """Who saw and changed this person, also under the records merged into him."""
    person = allowed(access.person_for, person_id)
    require(access.can_view_person_trail(current_user, person))
    if moved := _moved(person, "people.trail"):
        return moved
    entries = db.paginate(
        people_service.trail_query(person).order_by(AuditLog.id.desc()),
        page=bounded_int(request.args.get("page"), 1),
        per_page=50,
        error_out=False,
    )
    _record_view("person.audit_view", person)
    return render_template("people/audit.html", person=person, entries=entries)


def _picker(keep_id, message=None, status=200):
    """Choose the records: search the office's people by name, NIK, case number or phone."""
    kept = allowed(access.person_for, keep_id).current_record() if keep_id else None
    text = (request.args.get("q") or "")[:100]
    found = people_service.candidates(current_user, kept, text) if kept else []
    return render_template(
        "people/pick.html", kept=kept, q=text, found=found, message=message
    ), status


@bp.route("/people/merge", methods=["GET", "POST"])
@roles_required("manager")
@transactional
def merge():
    keep_id, merge_id = (bounded_int(request.values.get(n)) for n in ("keep", "merge"))
    if not merge_id or not keep_id:
        return _picker(keep_id)
    kept, merged = allowed(access.merge_pair_for, keep_id, merge_id)
    try:
        merge_service.check_pair(kept, merged)
    except Refused as refusal:
        return _picker(keep_id, refuse(refusal), refusal.status)
    form = MergeForm()
    if request.method == "GET":
        form.load(kept, merged, merge_service.default_choices(kept, merged))
        merge_service.record_merge_view(current_user, kept, merged, client_ip())
    elif form.validate_on_submit():
        return _execute(form, kept, merged)
    status = 422 if form.is_submitted() else 200
    return _merge_page(form, kept, merged, status)


def _merge_page(form, kept, merged, status=200):
    return render_template(
        "people/merge.html", form=form, kept=kept, merged=merged,
        groups=merge_service.GROUP_LABELS,
        compare=people_service.compare(kept, merged, form.choices()),
    ), status  # fmt: skip


def _execute(form, kept, merged):
    try:
        versions, confirmation = form.versions(), form.confirmation()
        merge_service.merge(
            current_user, kept, merged, form.choices(), versions, client_ip(), confirmation
        )
    except StaleVersion as conflict:
        refuse(conflict)
        form.conflict = conflict.changes
        form.conflict_message = str(conflict)
        return _merge_page(form, kept, merged, conflict.status)
    except Refused as refusal:  # a NIK to confirm, with a reason
        refuse(refusal, form)
        return _merge_page(form, kept, merged, refusal.status)
    flash(_("Data %(name)s digabungkan.", name=merged.display_name), "success")
    return redirect(url_for("people.detail", person_id=kept.id), 303)


@bp.route("/people/merges/<int:merge_id>/undo", methods=["GET", "POST"])
@roles_required("manager")
@transactional
def undo_merge(merge_id: int):
    """GET: what undoing this merge gives back, to confirm (works without JavaScript);
    POST: undo it."""
    record = allowed(access.merge_for, merge_id)
    kept = record.kept_person
    if request.method == "GET":
        merge_service.record_undo_view(current_user, record, client_ip())
        return _undo_page(record)
    form = UndoForm()
    try:
        if not form.validate_on_submit():
            raise StaleVersion(_("Formulir tidak lengkap. Muat ulang halaman."))
        days = current_app.config["MERGE_UNDO_DAYS"]
        merge_service.undo(current_user, record, form.kept_version.number(), days, client_ip())
    except Refused as refusal:
        return _person_page(kept, refuse(refusal), refusal.status)
    flash(_("Penggabungan dibatalkan: %(name)s kembali tercatat sendiri.",
            name=record.merged_person.display_name), "success")  # fmt: skip
    return redirect(url_for("people.detail", person_id=kept.id), 303)


def _undo_page(record):
    refusal = merge_service.undo_refusal(record, current_app.config["MERGE_UNDO_DAYS"])
    return render_template(
        "people/undo.html", record=record, person=record.kept_person, refusal=refusal,
        cases=people_service.moved_cases(record), undo_form=UndoForm(formdata=None),
    )  # fmt: skip


@bp.route("/people/<int:person_id>/export.<any(pdf, zip):fmt>", methods=["POST"])
@roles_required("manager")
@transactional
def data_export(person_id: int, fmt: str):
    """A data-subject request (UU PDP Pasal 7, 32): everything held about him and the trail."""
    person = allowed(access.person_for, person_id).current_record()
    require(access.can_export_person_data(current_user, person))
    today = office_today(current_user.office)
    body = data_subject.export(current_user, person, fmt, today, client_ip())
    kind = {"pdf": "application/pdf", "zip": "application/zip"}[fmt]
    response = Response(body, mimetype=kind)
    name = f"data-pribadi-{person.id}-{today.isoformat()}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response

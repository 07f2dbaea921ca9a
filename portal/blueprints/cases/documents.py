"""The case file's documents: upload (htmx or a plain form) and every view or download, through
services.attachments (the rules) and services.access (who may see which)."""

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...services import access, attachments
from ...services.errors import Refused
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, get_case_or_404, roles_required
from . import bp
from .document_form import DocumentForm
from .routes import _detail_page


def _section(case, form, status=200, saved=False):
    """The "Dokumen" section alone (htmx): the list and the form."""
    return render_template(
        "cases/_documents.html",
        case=case,
        documents=attachments.for_case(current_user, case),
        can_add_documents=access.can_add_document(current_user, case),
        document_form=form,
        document_saved=saved,
    ), status


@bp.route("/cases/<int:case_id>/documents", methods=["POST"])
@roles_required("worker", "manager")
@transactional
def add_document(case_id: int):
    case = get_case_or_404(case_id, for_edit=True)
    form = DocumentForm()
    htmx = bool(request.headers.get("HX-Request"))
    try:
        if form.validate_on_submit():
            upload = form.file.data
            attachments.add(case, current_user, form.values(), upload.stream, upload.filename, client_ip())  # fmt: skip
            if htmx:
                return _section(case, DocumentForm(formdata=None), saved=True)
            flash(_("Dokumen disimpan."), "success")
            return redirect(url_for("cases.detail", case_id=case.id) + "#dokumen")
    except Refused as refusal:
        refuse(refusal, form)
    if htmx:
        return _section(case, form, 422)
    return _detail_page(case, document_form=form, status=422)


@bp.route("/documents/<int:attachment_id>")
@roles_required("worker", "manager")
def document(attachment_id: int):
    """A document or photo: inline (a picture, `thumb=1` its thumbnail) or as a download."""
    item = allowed(access.document_for, attachment_id)
    how = "thumb" if request.args.get("thumb") else "view"
    if request.args.get("download") or not item.is_image:
        how = "download"
    data, mimetype = attachments.open_file(current_user, item, how, client_ip())
    response = Response(data, mimetype=mimetype)
    g.no_store = True
    response.headers["Cache-Control"] = "private, no-store"
    disposition = "attachment" if how == "download" else "inline"
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="{attachments.download_name(item, mimetype)}"'
    )
    return response

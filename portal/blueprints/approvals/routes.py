from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ...bounds import bounded_int
from ...services import access, approval_desk
from ...services import approvals as service
from ...services.errors import Refused
from ...unit_of_work import refuse, transactional
from ..closure.forms import ClosureDecisionForm
from ..helpers import client_ip, roles_required
from ..referrals.forms import DecisionForm
from . import bp

BulkDecisionForm = DecisionForm  # the same two fields: action and comment


def _counts() -> str:
    return render_template(
        "approvals/_counts_oob.html",
        counts=approval_desk.counts(current_user),
        kinds=approval_desk.filter_kinds(),
    )


def approval_item(referral, form=None, error=None, letter=None):
    """One item of /approvals, as swapped in place by htmx after a decision (with the desk's
    counts per kind, out of band)."""
    return _counts() + render_block(
        "approvals/index.html",
        "item",
        referral=referral,
        form=form or DecisionForm(formdata=None),
        error=error,
        letter=letter,
        decided=referral.status != "submitted",
        can_decide=access.can_decide_referral(current_user, referral),
    )


def closure_item(closure, form=None, error=None):
    """A closure request on /approvals, as swapped in place by htmx after a decision."""
    return _counts() + render_block(
        "approvals/index.html",
        "closure_item",
        closure=closure,
        closure_form=form or ClosureDecisionForm(formdata=None),
        error=error,
        decided=closure.status != "requested",
        can_decide=access.can_decide_closure(current_user, closure),
    )


@bp.route("/approvals")
@roles_required("manager")
def index():
    """The desk: waiting referrals and closure requests, most urgent first, a page at a time."""
    desk = approval_desk.desk(
        current_user, request.args.get("kind", ""), bounded_int(request.args.get("page"), 1)
    )
    return render_template(
        "approvals/index.html",
        desk=desk,
        kinds=approval_desk.filter_kinds(),
        closure_form=ClosureDecisionForm(formdata=None),
        form=DecisionForm(formdata=None),
        error=None,
        letter=None,
        decided=False,
        can_decide_ids={
            e.item.id
            for e in desk.entries
            if e.type == "referral" and access.can_decide_referral(current_user, e.item)
        },
        can_decide_closure_ids={
            e.item.id
            for e in desk.entries
            if e.type == "closure" and access.can_decide_closure(current_user, e.item)
        },
    )


@bp.route("/approvals/decide", methods=["POST"])
@roles_required("manager")
@transactional
def decide_many():
    """One decision and one comment on every item ticked on the desk; back to the desk."""
    form = BulkDecisionForm()
    try:
        action = form.action.data if form.validate_on_submit() else ""
        outcomes = approval_desk.decide_many(
            current_user, request.form.getlist("keys"), action, form.comment.data or "",
            ip=client_ip(),
        )  # fmt: skip
        for category, message in approval_desk.messages(outcomes):
            flash(message, category)
    except Refused as refusal:
        flash(refuse(refusal), "error")
    return redirect(url_for("approvals.index", **approval_desk.desk_args(request.args)))


@bp.route("/approvals/count")
@roles_required("worker", "manager", "admin")
def count():
    """The number in the navigation bar, polled by htmx."""
    return render_template("approvals/_count.html", count=service.waiting_count(current_user))

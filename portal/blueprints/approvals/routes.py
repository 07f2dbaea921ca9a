from flask import render_template
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ...services import access
from ...services import approvals as service
from ...services import closure as closure_service
from ..closure.forms import ClosureDecisionForm
from ..helpers import roles_required
from ..referrals.forms import DecisionForm
from . import bp


def approval_item(referral, form=None, error=None, letter=None):
    """One item of /approvals, as swapped in place by htmx after a decision."""
    return render_block(
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
    return render_block(
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
    """Referrals and closure requests waiting for a decision, oldest first."""
    items = service.waiting(current_user)
    closures = closure_service.waiting(current_user)
    entries = sorted(
        [("referral", r.submitted_at, r) for r in items]
        + [("closure", c.requested_at, c) for c in closures],
        key=lambda entry: entry[1],
    )
    return render_template(
        "approvals/index.html",
        items=items,
        entries=entries,
        closure_form=ClosureDecisionForm(formdata=None),
        can_decide_closure_ids={
            c.id for c in closures if access.can_decide_closure(current_user, c)
        },
        form=DecisionForm(formdata=None),
        error=None,
        letter=None,
        decided=False,
        can_decide_ids={r.id for r in items if access.can_decide_referral(current_user, r)},
    )


@bp.route("/approvals/count")
@roles_required("worker", "manager", "admin")
def count():
    """The number in the navigation bar, polled by htmx."""
    return render_template("approvals/_count.html", count=service.waiting_count(current_user))

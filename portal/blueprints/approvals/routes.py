from flask import render_template
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ...services import approvals as service
from ...services import referrals as referral_service
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
        can_decide=referral_service.can_decide(current_user, referral),
    )


@bp.route("/approvals")
@roles_required("manager")
def index():
    items = service.waiting(current_user)
    return render_template(
        "approvals/index.html",
        items=items,
        form=DecisionForm(formdata=None),
        error=None,
        letter=None,
        decided=False,
        can_decide_ids={r.id for r in items if referral_service.can_decide(current_user, r)},
    )


@bp.route("/approvals/count")
@roles_required("worker", "manager", "admin")
def count():
    """The number in the navigation bar, polled by htmx."""
    return render_template("approvals/_count.html", count=service.waiting_count(current_user))

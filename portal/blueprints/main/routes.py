from flask import current_app, redirect, render_template, send_from_directory, url_for
from flask_login import current_user, login_required

from ...extensions import db
from ...services import approvals, followups
from . import bp


@bp.route("/")
@login_required
def home():
    """Admin: administration. Others: what needs them (decisions, approvals waiting)."""
    if current_user.role == "admin":
        return redirect(url_for("admin.index"))
    context = {
        "overdue": followups.overdue_count(current_user, followups.today_for(current_user.office))
    }
    if current_user.role == "worker":
        unseen = approvals.decided_for(current_user, unseen_only=True)
        context["decided"] = unseen
        context["first_visit"] = current_user.decisions_seen_at is None
        approvals.mark_decisions_seen(current_user)
        db.session.commit()
    else:
        context["waiting"] = approvals.waiting_count(current_user)
    return render_template("main/home.html", **context)


@bp.route("/favicon.ico")
def favicon():
    return send_from_directory(
        current_app.static_folder, "img/favicon.svg", mimetype="image/svg+xml"
    )

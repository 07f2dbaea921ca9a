from flask import abort, current_app, redirect, send_from_directory, url_for
from flask_login import current_user, login_required

from ...services import access
from . import bp


@bp.route("/")
@login_required
def home():
    """Admin: administration. Others: the dashboard, with what needs them (decisions,
    approvals waiting, overdue follow-ups): services.dashboard, blueprints.reports."""
    if access.is_admin(current_user):
        return redirect(url_for("admin.index"))
    if not access.works_cases(current_user):
        abort(403)
    from ..reports.routes import dashboard_page

    return dashboard_page()


@bp.route("/favicon.ico")
def favicon():
    return send_from_directory(
        current_app.static_folder, "img/favicon.svg", mimetype="image/svg+xml"
    )

from flask import redirect, send_from_directory, url_for
from flask_login import current_user, login_required

from . import bp


@bp.route("/")
@login_required
def home():
    if current_user.role == "admin":
        return redirect(url_for("admin.index"))
    return redirect(url_for("cases.index"))


@bp.route("/favicon.ico")
def favicon():
    from flask import current_app

    return send_from_directory(
        current_app.static_folder, "img/favicon.svg", mimetype="image/svg+xml"
    )

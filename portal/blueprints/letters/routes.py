from datetime import date

from flask import render_template, request
from flask_login import current_user

from ...extensions import db
from ...services import letters as service
from ..helpers import roles_required
from . import bp


def _date(value: str | None):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/letters")
@roles_required("worker", "manager")
def index():
    """The letter register (agenda surat): search by number, case or name; filter by kind, date."""
    q = (request.args.get("q") or "").strip()[:80]
    kind = request.args.get("kind", "")
    kind = kind if kind in service.KIND_LABELS else ""
    date_from, date_to = _date(request.args.get("date_from")), _date(request.args.get("date_to"))
    query = service.register_query(
        current_user, q=q, kind=kind, date_from=date_from, date_to=date_to
    )
    page = db.paginate(query, per_page=30, error_out=False)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "letters/index.html",
        page=page,
        q=q,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        kinds=service.KIND_LABELS,
        args=args,
    )

"""Small things every view needs: role checks, the case guard, the client address, the audit of
a case being seen. (The unit of work around a view that changes something: portal.unit_of_work.)"""

from __future__ import annotations

from functools import wraps

from flask import abort, g, request
from flask_login import current_user, login_required

from ..services import access
from ..services import cases as case_service


def client_ip() -> str:
    return request.remote_addr or ""


def roles_required(*roles: str):
    """login_required plus a role check (403 for the wrong role)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_case_or_404(case_id: int, for_edit: bool = False):
    """The one place that decides whether this user may see (or change) this case.
    Another office's case, or one the user may not see, answers 404: no hint that it exists."""
    case = case_service.load_case(case_id)
    if case is None or not access.can_view_case(current_user, case):
        abort(404)
    if for_edit and not access.can_edit_case(current_user, case):
        abort(403)
    g.no_store = True
    return case


def record_view(action: str, case, **details) -> None:
    """Seeing or printing a case is in its audit trail (services.access.record_view)."""
    access.record_view(current_user, case, action, ip=client_ip(), **details)

"""Small things every view needs: role checks, the record guards, the client address, the audit
of a case being seen. Who may see what is decided in services.access; these helpers only turn its
answer into 404/403. (The unit of work around a view that changes something:
portal.unit_of_work.)"""

from __future__ import annotations

from functools import wraps

from flask import abort, g, request
from flask_login import current_user, login_required

from ..services import access
from ..services.errors import NotFound, NotPermitted


def client_ip() -> str:
    return request.remote_addr or ""


def roles_required(*roles: str):
    """login_required plus a role check (403 for the wrong role)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not access.has_role(current_user, roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.roles = roles  # read by tests/test_fuzz.py to post as a role that may
        return wrapped

    return decorator


def allowed(load, *args, **kwargs):
    """`load(current_user, *args, **kwargs)`, an access loader, with its refusal as 404/403."""
    try:
        return load(current_user, *args, **kwargs)
    except NotFound:
        abort(404)
    except NotPermitted as refusal:
        if str(refusal):
            raise  # a refusal with its reason: a 403 page that says it (errors.refused)
        abort(403)


def require(permitted: bool) -> None:
    """403 unless services.access said yes."""
    if not permitted:
        abort(403)


def get_case_or_404(case_id: int, for_edit: bool = False):
    """The case if this user may see (or change) it (services.access.case_for); its page is
    never cached."""
    case = allowed(access.case_for, case_id, for_edit=for_edit)
    g.no_store = True
    return case


def record_view(action: str, case, **details) -> None:
    """Seeing or printing a case is in its audit trail (services.access.record_view)."""
    access.record_view(current_user, case, action, ip=client_ip(), **details)


def get_referral_or_404(referral_id: int, for_edit: bool = False):
    """The referral if this user may see (or change) its case (services.access.referral_for)."""
    referral = allowed(access.referral_for, referral_id, for_edit=for_edit)
    g.no_store = True
    return referral

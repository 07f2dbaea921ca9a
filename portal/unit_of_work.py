"""The unit of work as views use it: one decorator commits or rolls back a request's changes.

The work itself (commit, rollback, hooks that follow a commit) is services/uow.py; this module
adds what needs the request: the `transactional` view decorator and `refuse()`."""

from __future__ import annotations

from functools import wraps

from flask import g

from .services import uow
from .services.errors import Refused


def transactional(view):
    """The view's unit of work: commit when it answers (then the after-commit hooks run), roll
    back when it raises or answered a refusal (see refuse())."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        g.refused = False
        try:
            response = view(*args, **kwargs)
        except BaseException:
            uow.rollback()
            raise
        if g.pop("refused", False):
            uow.rollback()
        else:
            uow.commit()
        return response

    wrapped.writes = (
        True  # on SQLite its transaction takes the write lock at once (portal/__init__)
    )
    return wrapped


def refuse(refusal: Refused, form=None, field: str | None = None) -> str:
    """Undo what the request changed (now: the page is rendered after this), put the message on
    the form field it belongs to (else on `field`, when a form is given) and return it."""
    uow.rollback()
    g.refused = True
    message = str(refusal)
    if form is not None:
        target = getattr(form, refusal.field, None) if refusal.field else None
        target = target if target is not None else getattr(form, field or "", None)
        if target is not None:
            target.errors = [*target.errors, message]
    return message

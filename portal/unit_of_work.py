"""The unit of work as views use it: one decorator commits or rolls back a request's changes.

The work itself (commit, rollback, hooks that follow a commit) is services/uow.py; this module
adds what needs the request: the `transactional` view decorator and `refuse()`."""

from __future__ import annotations

from functools import wraps

from flask import g, request, session
from sqlalchemy.exc import IntegrityError

from .services import uow
from .services.errors import Refused


def transactional(view):
    """The view's unit of work: commit when it answers (then the after-commit hooks run), roll
    back when it raises or answered a refusal (see refuse()).

    A change the database refuses (two people registering one NIK at the same moment: both pass
    the service's check, the second breaks the unique constraint) is undone and the view runs
    once more: its checks now see what the other request committed, so the user gets the same
    answer as when the other had been first (422, the form kept). Failing again, the refusal
    is the constraint's (services.uow.refusal_for), never a 500."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        flashes = list(session.get("_flashes", []))
        for attempt in (1, 2):
            try:
                return _run(view, args, kwargs)
            except IntegrityError as error:
                if attempt == 2:
                    raise uow.refusal_for(error) from error
                _rewind(flashes)
        raise AssertionError("unreachable")

    wrapped.writes = (
        True  # on SQLite its transaction takes the write lock at once (portal/__init__)
    )
    return wrapped


def _run(view, args, kwargs):
    g.refused = False
    try:
        response = view(*args, **kwargs)
        if g.pop("refused", False):
            uow.rollback()
        else:
            uow.commit()
    except BaseException:
        uow.rollback()
        raise
    return response


def _rewind(flashes) -> None:
    """Before a view runs again: the messages it flashed and the uploads it read are undone."""
    if flashes or "_flashes" in session:
        session["_flashes"] = list(flashes)
    for upload in request.files.values():
        upload.stream.seek(0)


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

"""The unit of work: the one place that commits or rolls back.

Views get it through the `transactional` decorator (portal/unit_of_work.py); scripts and tests may
use `transaction()`. Work that must follow a commit (rendering an issued letter, which must not
hold the register's lock) is registered by the service that needs it with `after_commit()`: it runs
only if the transaction it was registered in commits, each hook in a transaction of its own."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager

from ..extensions import db

_PENDING = "uow.after_commit"
log = logging.getLogger(__name__)


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the current transaction has committed; never if it rolls back."""
    session = db.session()
    transaction = session.get_transaction() or session.begin()
    owner, callbacks = db.session.info.get(_PENDING, (None, []))
    if owner is not transaction:
        callbacks = []
        db.session.info[_PENDING] = (transaction, callbacks)
    callbacks.append(callback)


def commit() -> None:
    """Commit, then run the hooks registered in the transaction just committed."""
    transaction = db.session().get_transaction()
    owner, callbacks = db.session.info.pop(_PENDING, (None, []))
    db.session.commit()
    if owner is not transaction or transaction is None:
        return  # registered in a transaction that was committed or rolled back elsewhere
    for callback in callbacks:
        try:
            callback()
            commit()
        except Exception:  # the committed work stands; the hook's own work is undone
            log.exception("after-commit hook %r failed", callback)
            rollback()


def rollback() -> None:
    db.session.info.pop(_PENDING, None)
    db.session.rollback()


@contextmanager
def transaction():
    """Commit when the block ends normally; roll back when it raises (and re-raise)."""
    try:
        yield
    except BaseException:
        rollback()
        raise
    commit()

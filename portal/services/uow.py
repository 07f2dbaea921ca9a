"""The unit of work: the one place that commits or rolls back.

Views get it through the `transactional` decorator (portal/unit_of_work.py); scripts and tests may
use `transaction()`. Work that must follow a commit (rendering an issued letter, which must not
hold the register's lock) is registered by the service that needs it with `after_commit()`: it runs
only if the transaction it was registered in commits, each hook in a transaction of its own."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .errors import Conflict, Refused
from .i18n import lazy as _l

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
    """Commit when the block ends normally; roll back when it raises (and re-raise). A
    constraint the database refused is raised as a refusal (refusal_for)."""
    try:
        yield
        commit()
    except IntegrityError as error:
        rollback()
        raise refusal_for(error) from error
    except BaseException:
        rollback()
        raise


_NIK_TAKEN = _l("NIK ini sudah terdaftar untuk orang lain.")
_NAME_TAKEN = _l("Nama ini sudah dipakai.")
# The unique constraints two requests at the same moment can both pass the services' checks for
# (the second one then fails at the database): the form field and the message, by constraint
# name (PostgreSQL) and by column (SQLite names the columns, not the constraint).
UNIQUE = {
    "uq_person_office_id": ("nik", _NIK_TAKEN),
    "person.nik": ("nik", _NIK_TAKEN),
    "uq_user_username": ("username", _l("Nama pengguna ini sudah dipakai.")),
    "user.username": ("username", _l("Nama pengguna ini sudah dipakai.")),
    "uq_local_case_type_office_id": ("name", _NAME_TAKEN),
    "local_case_type.name": ("name", _NAME_TAKEN),
    "uq_office_code": ("code", _l("Kode kantor ini sudah dipakai.")),
    "office.code": ("code", _l("Kode kantor ini sudah dipakai.")),
}


def refusal_for(error: IntegrityError) -> Refused:
    """What the user reads when the database refused a change (a unique constraint broken by a
    race, most often): a refusal on the field it belongs to, or a general conflict (409)."""
    names = []
    diag = getattr(error.orig, "diag", None)  # psycopg
    if getattr(diag, "constraint_name", None):
        names.append(diag.constraint_name)
    text = str(error.orig)
    if "constraint failed:" in text:  # sqlite3: "UNIQUE constraint failed: person.office_id, ..."
        names += [part.strip() for part in text.split("failed:", 1)[1].split(",")]
    for name in names:
        if name in UNIQUE:
            field, message = UNIQUE[name]
            return Refused(str(message), field=field)
    log.warning("database refused a change: %s", text)
    return Conflict(
        str(_l("Data ini bertentangan dengan yang baru saja disimpan. Muat ulang lalu coba lagi.")),
    )

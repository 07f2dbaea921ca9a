"""The unit of work: one place commits; work that must follow a commit runs only after one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog
from portal.services import audit, uow
from portal.services.errors import NotPermitted, Refused, StaleVersion


def entries(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditLog.action == action))


def test_after_commit_hooks_run_after_the_commit_in_a_transaction_of_their_own(app):
    seen = []

    def hook():
        seen.append(entries("first"))  # the first transaction is committed by now
        audit.record("second")

    audit.record("first")
    uow.after_commit(hook)
    assert seen == []
    uow.commit()
    assert seen == [1]
    db.session.rollback()
    assert entries("second") == 1  # the hook's own work was committed too


def test_after_commit_hooks_never_run_when_the_work_is_rolled_back(app):
    seen = []
    with pytest.raises(Refused):
        with uow.transaction():
            audit.record("refused")
            uow.after_commit(lambda: seen.append(True))
            raise Refused("nein")
    uow.commit()
    assert seen == [] and entries("refused") == 0


def test_a_hook_of_a_transaction_committed_elsewhere_is_dropped(app):
    seen = []
    audit.record("outside")
    uow.after_commit(lambda: seen.append(True))
    db.session.commit()  # not through the unit of work (a script, a test)
    audit.record("later")
    uow.commit()
    assert seen == [] and entries("later") == 1


def test_a_failing_hook_leaves_the_committed_work_standing(app):
    def hook():
        audit.record("half-done")
        raise RuntimeError("renderer down")

    audit.record("done")
    uow.after_commit(hook)
    uow.commit()
    assert entries("done") == 1 and entries("half-done") == 0


def test_refusals_carry_message_field_and_status():
    refused = Refused("Pilih alasan penutupan.", field="reason")
    assert str(refused) == "Pilih alasan penutupan." and refused.field == "reason"
    assert refused.status == 422 and NotPermitted("x").status == 403
    stale = StaleVersion("Data sudah diubah orang lain.", changes=[{"by": "Ani"}])
    assert stale.status == 409 and stale.field == "version" and stale.changes == [{"by": "Ani"}]


def test_views_neither_commit_nor_write_the_audit_log_themselves():
    """Services audit themselves and the unit of work commits (issue 10)."""
    from pathlib import Path

    import portal.blueprints

    offending = []
    for path in Path(portal.blueprints.__file__).parent.rglob("*.py"):
        text = path.read_text()
        for needle in ("db.session.commit(", "db.session.rollback(", "audit.record("):
            if needle in text:
                offending.append(f"{path.name}: {needle}")
        if "import audit" in text or "services.audit" in text:
            offending.append(f"{path.name}: imports services.audit")
    assert not offending

"""Workflow fields of a case (status, assignment, last activity): written by every step that
moves a case along (assignment, follow-ups, referrals, aid, closure), never by its edit form."""

from __future__ import annotations

from contextlib import nullcontext

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Case
from . import tallies, tally_counts


def set_workflow_fields(case: Case, **values) -> None:
    """Status, assignment, last activity: changes no edit form shows. Written straight to the
    row without bumping the case's version, so a note or an approval never makes someone's open
    edit form stale (only saved edits of the form's own fields do)."""
    counted = tally_counts.CASE_FIELDS.intersection(values)  # status, closed_at: the monthly counts
    with tallies.track([case.id]) if counted else nullcontext():
        db.session.execute(update(Case).where(Case.id == case.id).values(**values))
    for name, value in values.items():
        set_committed_value(case, name, value)

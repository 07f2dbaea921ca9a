"""What left the retention list lately: the cases anonymised in the last RECENT_DAYS (approved
requests, so carried out), for the note under the list: when, which case, who asked and who
approved."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AnonymisationRequest, Office
from .timeutil import day_start_utc

RECENT_DAYS, RECENT_MAX = 30, 50


def recently_anonymised(office: Office, today: date) -> list[AnonymisationRequest]:
    """Approved lately, newest first (at most RECENT_MAX)."""
    since = day_start_utc(today - timedelta(days=RECENT_DAYS), office.timezone)
    done = AnonymisationRequest
    query = (
        select(done)
        .where(done.office_id == office.id, done.status == "approved", done.decided_at >= since)
        .order_by(done.decided_at.desc(), done.id.desc())
        .limit(RECENT_MAX)
        .options(joinedload(done.case), joinedload(done.requested_by), joinedload(done.decided_by))
    )
    return list(db.session.scalars(query))

"""Offices: a new office (a Dinas Sosial) starts with the default local case types."""

from __future__ import annotations

from ..extensions import db
from ..models import LocalCaseType, Office
from .ppks import DEFAULT_LOCAL_TYPES


def create_office(code: str, name: str, **values) -> Office:
    office = Office(code=code, name=name, **values)
    db.session.add(office)
    db.session.flush()
    for type_name, ppks, description in DEFAULT_LOCAL_TYPES:
        db.session.add(
            LocalCaseType(
                office_id=office.id, name=type_name, ppks_code=ppks, description=description
            )
        )
    return office

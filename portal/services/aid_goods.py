"""What was given in kind in a report's period: quantities per kind and unit ("10 paket, 2
tiket"), counted by the database over the aid rows of the cases the report covers (the tallies
hold counts and Rupiah only)."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..models import Aid, Case, User
from . import access


def goods(user: User, start, end, district: str | None = None) -> dict[str, str]:
    """kind -> "10 paket, 2 tiket" for the in-kind aid given from start to end (office dates)."""
    scope = access.figures_scope(user)
    if scope is None:
        return {}
    query = (
        select(Aid.kind, Aid.unit, func.sum(Aid.quantity))
        .where(
            Aid.office_id == user.office_id,
            Aid.given_on >= start,
            Aid.given_on <= end,
            Aid.quantity.is_not(None),
        )
        .group_by(Aid.kind, Aid.unit)
        .order_by(Aid.kind, Aid.unit)
    )
    if scope:
        query = query.where(Aid.case_id.in_(access.counted_ids(user)))
    if district:
        query = query.join(Case, Case.id == Aid.case_id).where(Case.district_code == district)
    found: dict[str, list[str]] = {}
    for kind, unit, quantity in db.session.execute(query):
        found.setdefault(kind, []).append(f"{quantity:,}".replace(",", ".") + f" {unit}".rstrip())
    return {kind: ", ".join(parts) for kind, parts in found.items()}

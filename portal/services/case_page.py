"""The cases of one page of the list (services.case_list): their ids in the list's order, then
the cases themselves, as Case objects (the unidentified people's cards) or as the list's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, bindparam, select
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql.util import ClauseAdapter
from sqlalchemy.sql.visitors import iterate

from ..extensions import db
from ..models import Case, Person, User


def page_ids(paged, order, sorted_after: bool):
    """A select of the ids of the cases, in order (before LIMIT/OFFSET)."""
    if not sorted_after:
        return paged.with_only_columns(Case.id).order_by(*order)
    # At most case_list.COUNT_CAP cases: find them by their filters, then sort them. Walking the
    # newest-first index instead can pass most of the office first (a month a year ago:
    # reported_at follows created_at, which neither database's statistics know). OFFSET
    # keeps the database from merging the two steps back into one.
    columns = {"id": Case.__table__.c.id}  # the id and whatever the sort reads
    for clause in order:
        columns.update((c.key, c) for c in iterate(clause) if isinstance(c, Column))
    pool = paged.with_only_columns(*columns.values()).offset(0).subquery()
    return select(pool.c.id).order_by(*(ClauseAdapter(pool).traverse(o) for o in order))


def cases(ids, order) -> list[Case]:
    # The page's ids first, as values: with "id IN (the page's query)" PostgreSQL joined every
    # case of the office with its person and registry status before keeping 25 (2-4 s).
    page = list(db.session.scalars(ids))
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.id.in_(page))
            .options(
                joinedload(Case.person).joinedload(Person.registry_status),
                joinedload(Case.assigned_to),
                joinedload(Case.local_type),
                joinedload(Case.ppks),
            )
            .order_by(*order)
        ).unique()
    )


@dataclass(slots=True)
class CaseRow:
    """One case of the list as the list shows it: read as one row of columns, not as a Case
    with its person, registry status, worker and category (the ORM's objects were a third of
    the list's server time)."""

    id: int
    number: str
    status: str
    urgency: str
    reported_at: datetime
    name: str  # Person.display_name
    nik: str | None
    dtsen_status: str | None  # None: never checked against the social registry
    category_label: str  # Case.category_label
    worker_name: str | None  # None: not assigned


_ROWS_SELECT: dict = {}  # sort -> the statement (built once: building it cost 1 ms a page)


def _rows_select(sort: str, order):
    statement = _ROWS_SELECT.get(sort)
    if statement is None:
        from ..models import LocalCaseType, PersonRegistry, PpksCategory

        worker = aliased(User)
        statement = _ROWS_SELECT[sort] = (
            select(
                Case.id,
                Case.number,
                Case.status,
                Case.urgency,
                Case.reported_at,
                Case.ppks_code,
                Person.full_name,
                Person.anonymised_at,
                Person.first_case_number,
                Person.nik,
                PersonRegistry.dtsen_status,
                LocalCaseType.name,
                PpksCategory.name,
                worker.full_name,
            )
            .join(Person, Person.id == Case.person_id)
            .outerjoin(PersonRegistry, PersonRegistry.person_id == Person.id)
            .outerjoin(LocalCaseType, LocalCaseType.id == Case.local_type_id)
            .outerjoin(PpksCategory, PpksCategory.code == Case.ppks_code)
            .outerjoin(worker, worker.id == Case.assigned_to_id)
            .where(Case.id.in_(bindparam("page", expanding=True)))
            .order_by(*order)
        )
    return statement


def rows(ids, sort: str, order) -> list[CaseRow]:
    from ..models.cases import category_label
    from ..models.people import display_name

    page = list(db.session.scalars(ids))  # as values: see cases()
    if not page:
        return []
    return [
        CaseRow(
            id,
            number,
            status,
            urgency,
            reported_at,
            display_name(full_name, anonymised_at, first_number),
            nik,
            dtsen,
            category_label(local_name, ppks_code, ppks_name),
            worker_name,
        )
        for (
            id,
            number,
            status,
            urgency,
            reported_at,
            ppks_code,
            full_name,
            anonymised_at,
            first_number,
            nik,
            dtsen,
            local_name,
            ppks_name,
            worker_name,
        ) in db.session.execute(_rows_select(sort, order), {"page": page})
    ]

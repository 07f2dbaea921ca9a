from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow
from .offices import LocalCaseType, PpksCategory
from .people import Person
from .users import User

STATUSES = ("new", "in_progress", "referred", "closing", "closed")
OPEN_STATUSES = ("new", "in_progress", "referred", "closing")
ACTIVE_STATUSES = ("new", "in_progress", "referred")  # open and not waiting for closure
CHANNELS = ("residents", "family", "satpol_pp", "police", "hospital", "outreach", "self", "other")
URGENCIES = ("low", "normal", "high", "emergency")
# The approval desk's order, most urgent first; a referral and a closure request carry their case's
# rank (`urgency_rank`, kept in step by services.cases.update_case) so the desk pages from an index.
URGENCY_ORDER = ("emergency", "high", "normal", "low")


def urgency_rank(urgency: str | None) -> int:
    """0 for an emergency .. 3 for low; 4 for anything else (none or unknown): last."""
    return URGENCY_ORDER.index(urgency) if urgency in URGENCY_ORDER else len(URGENCY_ORDER)


# Disasters per UU 24/2007 and BNPB: natural (alam), non-natural (non-alam) and social (sosial).
DISASTER_GROUPS = {
    "alam": (
        "flood", "earthquake", "tsunami", "landslide", "eruption", "drought", "whirlwind",
        "tidal_wave", "forest_fire",
    ),
    "non_alam": ("fire", "epidemic", "tech_failure"),  # fire: kebakaran permukiman
    "sosial": ("conflict", "terror"),
}  # fmt: skip
DISASTER_TYPES = (*(kind for kinds in DISASTER_GROUPS.values() for kind in kinds), "other")
DISASTER_PPKS = ("21", "22")  # korban bencana alam / sosial: the disaster type is required
# A type that contradicts the category: no natural disaster under "korban bencana sosial" (22),
# no social one under "korban bencana alam" (21); non-natural ones fit either (office practice).
DISASTER_REFUSED = {"21": DISASTER_GROUPS["sosial"], "22": DISASTER_GROUPS["alam"]}


class Case(db.Model):
    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("office_id", "number"),
        Index("ix_case_office_created", "office_id", "created_at"),
        Index("ix_case_office_status_created", "office_id", "status", "created_at"),
        Index("ix_case_office_assigned_created", "office_id", "assigned_to_id", "created_at"),
        Index("ix_case_office_creator_created", "office_id", "created_by_id", "created_at"),
        Index("ix_case_office_ppks_created", "office_id", "ppks_code", "created_at"),
        Index("ix_case_office_local_created", "office_id", "local_type_id", "created_at"),
        Index("ix_case_office_district_created", "office_id", "district_code", "created_at"),
        Index("ix_case_office_reported", "office_id", "reported_at"),
        # a person's cases; with the office, the count of the filters on the person reads
        # the index alone
        Index("ix_case_person", "person_id", "office_id"),
        # dashboard and reports: counts by category read from the index alone
        Index(
            "ix_case_office_status_cat",
            "office_id",
            "status",
            "ppks_code",
            "local_type_id",
            "assigned_to_id",
            "reported_at",
        ),
        Index(
            "ix_case_office_status_closed",
            "office_id",
            "status",
            "closed_at",
            "reported_at",
            "ppks_code",
            "local_type_id",
        ),
        Index(
            "ix_case_office_reported_cat",
            "office_id",
            "reported_at",
            "ppks_code",
            "local_type_id",
            "district_code",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    number: Mapped[str] = mapped_column(String(24))
    year: Mapped[int]
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    ppks_code: Mapped[str] = mapped_column(ForeignKey("ppks_category.code"))
    local_type_id: Mapped[int | None] = mapped_column(ForeignKey("local_case_type.id"))
    status: Mapped[str] = mapped_column(String(16), default="new")
    channel: Mapped[str] = mapped_column(String(16))
    reporter_name: Mapped[str] = mapped_column(String(120), default="")
    reporter_phone: Mapped[str] = mapped_column(String(20), default="")
    reported_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(300), default="")
    district_code: Mapped[str | None] = mapped_column(String(13))  # kecamatan, for filters/reports
    summary: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(12), default="normal")
    # disaster victims (PPKS 21/22): the disaster (DISASTER_TYPES), the event, and the household
    # the case stands for: families (KK) and people (jiwa); none recorded counts as 1 KK, 1 jiwa
    disaster_type: Mapped[str | None] = mapped_column(String(12))
    household_kk: Mapped[int | None]
    household_people: Mapped[int | None]
    event_date: Mapped[date | None]
    event_place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # Anonymised after its retention period (services.retention): counts kept, text removed
    anonymised_at: Mapped[datetime | None]
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    person: Mapped[Person] = relationship(back_populates="cases")
    ppks: Mapped[PpksCategory] = relationship()
    local_type: Mapped[LocalCaseType | None] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status == "closed"

    @property
    def category_label(self) -> str:
        return category_label(
            self.local_type.name if self.local_type is not None else None,
            self.ppks_code,
            self.ppks.name if self.ppks else None,
        )


def category_label(local_type_name: str | None, ppks_code: str, ppks_name: str | None) -> str:
    """Case.category_label from the names it reads (the case list reads them as a row)."""
    if local_type_name is not None:
        return local_type_name
    return f"{ppks_code} {ppks_name}" if ppks_name is not None else ppks_code


class CaseEvent(db.Model):
    """One entry of a case's timeline: registered, edited (with what changed), assigned, note."""

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_case_created", "case_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()


class CaseSearchTerm(db.Model):
    """Normalised search tokens of a case (name words, NIK, number, phone): prefix search by index."""

    __tablename__ = "case_search_term"
    __table_args__ = (
        # the cases of a word (prefix range); has this case the word (one probe; a case has a
        # token once, so a one-token prefix names each case once)
        Index("ix_case_search_term_office_token", "office_id", "token", "case_id"),
        Index("ix_case_search_term_case_token", "case_id", "office_id", "token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    token: Mapped[str] = mapped_column(String(40))


class Counter(db.Model):
    """Gapless serials per office, register and year (case numbers; later the letter register)."""

    __tablename__ = "counter"
    __table_args__ = (UniqueConstraint("office_id", "name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    name: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    value: Mapped[int] = mapped_column(default=0)

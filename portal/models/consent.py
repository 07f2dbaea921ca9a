"""Who may speak for a person, and on what legal basis the office processes a case's data
(UU PDP No. 27/2022: Pasal 20 the bases, Pasal 25 children, Pasal 26 persons with disabilities)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from ._base import utcnow

GUARDIAN_ROLES = ("wali", "pendamping")
GUARDIAN_RELATIONS = (
    "parent", "grandparent", "sibling", "spouse", "child", "relative", "court_guardian",
    "social_worker", "institution", "other",
)  # fmt: skip
BASES = ("consent", "vital_interest", "legal_duty", "public_task")
CONSENT_BY = ("self", "guardian")


class PersonGuardian(db.Model):
    """A guardian (wali) or companion (pendamping) of a person who cannot decide alone: a child,
    an ODGJ or a person with a disability. Several per person."""

    __tablename__ = "person_guardian"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # GUARDIAN_ROLES
    relation: Mapped[str] = mapped_column(String(20))  # GUARDIAN_RELATIONS
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    # Person.guardians: loaded with the case (services.cases.load_case), in one statement
    person: Mapped[Person] = relationship(  # noqa: F821
        backref=backref("guardians", order_by="PersonGuardian.id")
    )

    @property
    def masked_nik(self) -> str:
        return self.nik[:4] + "*" * 8 + self.nik[-4:] if self.nik else ""


class ProcessingBasis(db.Model):
    """The legal basis on which the office processes a case's personal data: consent (by the
    person or a guardian, when, for what) or, when nobody can consent, vital interest, legal
    duty or public task (UU PDP Pasal 20 ayat (2) huruf a, d, c, e) with a note. One per case."""

    __tablename__ = "processing_basis"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), unique=True)
    basis: Mapped[str] = mapped_column(String(16))  # BASES
    consent_by: Mapped[str | None] = mapped_column(String(10))  # CONSENT_BY
    guardian_id: Mapped[int | None] = mapped_column(ForeignKey("person_guardian.id"))
    consent_given_on: Mapped[date | None]
    purpose: Mapped[str] = mapped_column(Text, default="")  # consent: for what purpose
    note: Mapped[str] = mapped_column(Text, default="")  # no consent: why nobody can give it
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    guardian: Mapped[PersonGuardian | None] = relationship()
    recorded_by: Mapped[User] = relationship()  # noqa: F821

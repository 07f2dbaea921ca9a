"""Social-registry status (issue 14 part C): what the office last found for a person in the
national registers (DTKS/DTSEN, BPJS-PBI, bansos), checked by hand in cek bansos or SIKS-NG.

person_registry holds one row per person with the latest values (the case list filters and
shows it through its primary key, the report counts it by (office_id, dtsen_status));
registry_check keeps every check; registry_import a SIKS-NG file parsed for its preview."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow


class PersonRegistry(db.Model):
    """The latest registry status of one person (a row only once someone checked)."""

    __tablename__ = "person_registry"
    # the case list's filter and the report's count: the people of one status, from the index
    __table_args__ = (
        Index("ix_person_registry_office_status", "office_id", "dtsen_status", "person_id"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    dtsen_status: Mapped[str] = mapped_column(String(20), default="unchecked")
    decile: Mapped[int | None]
    insurance: Mapped[str] = mapped_column(String(20), default="")  # pbi, mandiri, none, ""
    insurance_number: Mapped[str] = mapped_column(String(20), default="")
    aid: Mapped[list] = mapped_column(JSON, default=list)  # ["pkh", "bpnt", "blt", "other"]
    aid_other: Mapped[str] = mapped_column(String(100), default="")
    checked_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(20), default="")
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    person: Mapped[Person] = relationship(  # noqa: F821
        back_populates="registry_status", foreign_keys=[person_id]
    )
    checked_by: Mapped[User | None] = relationship()  # noqa: F821


class RegistryCheck(db.Model):
    """One check of a person against the registers: what was found, when, where, by whom."""

    __tablename__ = "registry_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    dtsen_status: Mapped[str] = mapped_column(String(20))
    decile: Mapped[int | None]
    insurance: Mapped[str] = mapped_column(String(20), default="")
    insurance_number: Mapped[str] = mapped_column(String(20), default="")
    aid: Mapped[list] = mapped_column(JSON, default=list)
    aid_other: Mapped[str] = mapped_column(String(100), default="")
    checked_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(20))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("registry_import.id"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    by: Mapped[User | None] = relationship()  # noqa: F821


class RegistryImport(db.Model):
    """A SIKS-NG check result uploaded by a manager: its rows parsed and matched by NIK, kept
    here between the preview and the confirmation (the browser holds only the token)."""

    __tablename__ = "registry_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200), default="")
    checked_on: Mapped[date]
    rows: Mapped[list] = mapped_column(JSON)  # [{"row", "nik", "name", "person_id", "values"}]
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]

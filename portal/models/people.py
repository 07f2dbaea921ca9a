from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow

SEXES = ("L", "P")


class Person(db.Model):
    """A person the office helps. Known by NIK and name, or registered without identity."""

    __table_args__ = (
        UniqueConstraint("office_id", "nik"),
        Index("ix_person_office_kk", "office_id", "kk_number"),
        Index("ix_person_office_name_key", "office_id", "name_key"),
        Index("ix_person_office_phone", "office_id", "phone"),
        # the people found without a name, by when they were found (the case list's filters)
        Index("ix_person_office_unknown_found", "office_id", "identity_known", "found_at"),
        # the list's filters on age and sex (the age: birth year, else the estimated age)
        Index(
            "ix_person_office_sex_born",
            "office_id",
            "sex",
            "birth_year",
            "estimated_age",
            "identity_known",
        ),
        Index(
            "ix_person_office_born", "office_id", "birth_year", "estimated_age", "identity_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    identity_known: Mapped[bool] = mapped_column(default=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    name_key: Mapped[str] = mapped_column(String(120), default="")  # spelling-tolerant key
    nik: Mapped[str | None] = mapped_column(String(16))
    kk_number: Mapped[str | None] = mapped_column(String(16))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    estimated_age: Mapped[int | None]
    birth_year: Mapped[int | None]  # from birth_date, or estimated from the age when registered
    birth_place: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    street: Mapped[str] = mapped_column(String(300), default="")
    province_code: Mapped[str | None] = mapped_column(String(13))
    regency_code: Mapped[str | None] = mapped_column(String(13))
    district_code: Mapped[str | None] = mapped_column(String(13))
    village_code: Mapped[str | None] = mapped_column(String(13))
    origin_regency_code: Mapped[str | None] = mapped_column(String(13))  # stranded: home region
    physical_description: Mapped[str] = mapped_column(Text, default="")
    found_place: Mapped[str] = mapped_column(String(300), default="")
    found_at: Mapped[datetime | None]
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    # the number of the case the person was registered with: an unknown person is called by it
    # ("Tanpa identitas (KS-2026-000238)"), a number the office can say on the phone
    first_case_number: Mapped[str | None] = mapped_column(String(20))
    # Merged into another record of the same person (services.merge): a pointer, no longer listed
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    merged_at: Mapped[datetime | None]
    # Anonymised when his last case passed its retention period (services.retention)
    anonymised_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    cases: Mapped[list[Case]] = relationship(  # noqa: F821
        back_populates="person", order_by="Case.id.desc()"
    )
    kk_history: Mapped[list[PersonKkHistory]] = relationship(
        back_populates="person", order_by="PersonKkHistory.id"
    )
    registry_status: Mapped[PersonRegistry | None] = relationship(  # noqa: F821 (models.registry)
        back_populates="person", foreign_keys="PersonRegistry.person_id", uselist=False
    )

    @property
    def display_name(self) -> str:
        """The name, or for an unknown person "Tanpa identitas (KS-2026-000238)": the number of
        the case he was registered with (stored on the person: lists need no extra query),
        never a database id."""
        return display_name(self.full_name, self.anonymised_at, self.first_case_number)

    def current_record(self) -> Person:
        """The record a merged person now lives in (itself when not merged; merges may chain)."""
        person = self
        for _ in range(20):
            if person.merged_into_id is None:
                break
            person = db.session.get(Person, person.merged_into_id)
        return person

    @property
    def masked_nik(self) -> str:
        if not self.nik:
            return ""
        return self.nik[:4] + "*" * 8 + self.nik[-4:]


class PersonKkHistory(db.Model):
    """Every No. KK a person has been recorded with: a KK changes when a family moves or splits."""

    __tablename__ = "person_kk_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kk_number: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    person: Mapped[Person] = relationship(back_populates="kk_history")


class PersonMerge(db.Model):
    """Two records of one person made one (services.merge): who, when, both records' values
    before, and the ids of the rows moved per table, so that the merge can be undone."""

    __tablename__ = "person_merge"
    __table_args__ = (Index("ix_person_merge_office_at", "office_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    kept_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    merged_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kept_values: Mapped[dict] = mapped_column(JSON)  # the kept person's fields before
    merged_values: Mapped[dict] = mapped_column(JSON)  # the merged person's fields before
    moved: Mapped[dict] = mapped_column(JSON)  # table -> [ids moved to the kept person]
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    kept_person: Mapped[Person] = relationship(foreign_keys=[kept_person_id])
    merged_person: Mapped[Person] = relationship(foreign_keys=[merged_person_id])
    by: Mapped[User] = relationship(foreign_keys=[by_id])  # noqa: F821
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])  # noqa: F821


class Attachment(db.Model):
    """A file kept in the database (never on a public path), served only after an access check
    (services.access.attachment_for): a person's photo, or a typed document of a person or a
    case (services.attachments: KTP, KK, police statement, medical referral, ticket, ...)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    # No foreign key: person.photo_id points here, and a cycle of keys complicates every migration.
    person_id: Mapped[int | None] = mapped_column(index=True)
    # The case it was added on (None: the photo taken at registration). No foreign key either:
    # case -> person -> attachment -> case would be a cycle.
    case_id: Mapped[int | None] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(20))  # photo (taken at registration), document
    doc_type: Mapped[str] = mapped_column(String(20), default="foto")  # attachments.DOC_TYPES
    doc_date: Mapped[date | None]  # the date the paper bears (or the photo was taken)
    note: Mapped[str] = mapped_column(Text, default="")
    sensitive: Mapped[bool] = mapped_column(default=False)  # health data: access.may_see_sensitive
    pages: Mapped[int | None]  # a PDF's page count
    filename: Mapped[str] = mapped_column(String(200), default="")
    mimetype: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # JPEG, images
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()  # noqa: F821

    @property
    def is_image(self) -> bool:
        return self.mimetype.startswith("image/")


# Documents (services.attachments; labels in services/labels.py): a person's papers go with the
# person to every case of theirs, the others stay with the case they were added on.
DOC_TYPES = (
    "ktp", "kk", "polisi", "rujukan_medis", "pemeriksaan", "pernyataan", "tiket", "foto", "lainnya",
)  # fmt: skip
PERSON_DOC_TYPES = ("ktp", "kk", "foto")
MEDICAL_DOC_TYPES = ("rujukan_medis", "pemeriksaan")  # sensitive from the start

IDENTIFICATION_METHODS = ("family", "police", "dukcapil", "self_report", "other")


class PersonIdentification(db.Model):
    """A person registered without identity, identified later (on an open or a closed case):
    how, when, by whom, and what the record said before."""

    __tablename__ = "person_identification"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # IDENTIFICATION_METHODS
    identified_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    previous_label: Mapped[str] = mapped_column(String(160), default="")
    previous_values: Mapped[dict | None] = mapped_column(JSON)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


def display_name(full_name: str, anonymised_at, first_case_number: str | None) -> str:
    """Person.display_name from the three columns it reads (the case list reads them as a row)."""
    if full_name:
        return full_name
    from ..services.i18n import now as _

    if anonymised_at is not None:
        return _("Dianonimkan (%(number)s)", number=first_case_number or "-")
    if first_case_number:
        return _("Tanpa identitas (%(number)s)", number=first_case_number)
    return _("Tanpa identitas")

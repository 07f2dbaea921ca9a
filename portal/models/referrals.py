from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..services.referral_kinds import CODES, KINDS, LETTERS
from ._base import utcnow
from .offices import Organisation
from .users import User

REFERRAL_KINDS = CODES  # declared in services/referral_kinds.py
REFERRAL_STATUSES = (
    "draft",
    "submitted",
    "approved",
    "rejected",
    "returned",
    "completed",
    "cancelled",
)


class Referral(db.Model):
    """A referral of a case: to an RSJ, home to the region of origin, to a panti, or a service."""

    __table_args__ = (
        Index("ix_referral_office_status_submitted", "office_id", "status", "submitted_at"),
        # the approval desk: its order (all kinds, then one kind) and its counts per kind
        Index("ix_referral_desk", "office_id", "status", "urgency_rank", "submitted_at", "id"),
        Index(
            "ix_referral_desk_kind",
            "office_id",
            "status",
            "kind",
            "urgency_rank",
            "submitted_at",
            "id",
        ),
        Index("ix_referral_case", "case_id", "created_at"),
        # a report's days outside whole months (services.reports) find referrals by date
        Index("ix_referral_office_decided", "office_id", "decided_at"),
        Index("ix_referral_office_handover", "office_id", "handover_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # the case's urgency as the approval desk orders it (models.cases.urgency_rank): set when the
    # referral is created, and on every referral of the case when its urgency changes
    urgency_rank: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="2")
    # The receiving organisation (RSJ, panti, Dinsos of the home region, service), or typed.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    organisation_text: Mapped[str] = mapped_column(String(200), default="")
    planned_date: Mapped[date | None]  # planned transfer / departure / placement date
    escort: Mapped[str] = mapped_column(String(300), default="")
    transport: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # RSJ
    medical_referral: Mapped[bool | None]
    medical_doctor: Mapped[str] = mapped_column(String(120), default="")
    medical_facility: Mapped[str] = mapped_column(String(200), default="")
    medical_date: Mapped[date | None]
    observations: Mapped[str] = mapped_column(Text, default="")  # sensitive
    diagnosis: Mapped[str] = mapped_column(Text, default="")  # sensitive
    insurance: Mapped[str] = mapped_column(String(8), default="")  # bpjs, kis, none
    insurance_number: Mapped[str] = mapped_column(String(20), default="")
    family_status: Mapped[str] = mapped_column(String(16), default="")  # informed, consented, not
    family_reason: Mapped[str] = mapped_column(Text, default="")
    # Return home (pemulangan)
    destination_regency_code: Mapped[str | None] = mapped_column(String(13))
    family_contact: Mapped[str] = mapped_column(String(300), default="")
    route: Mapped[str] = mapped_column(String(8), default="")  # direct, relay
    ticket_cost: Mapped[int | None] = mapped_column(BigInteger)
    pocket_money: Mapped[int | None] = mapped_column(BigInteger)
    # Placement / other service
    programme: Mapped[str] = mapped_column(String(200), default="")
    expected_duration: Mapped[str] = mapped_column(String(60), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    # The case's documents sent with the letter ("Lampiran"), attachment ids in the chosen order
    attachment_ids: Mapped[list | None] = mapped_column(JSON)
    # Workflow
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    # Handover (completed) or cancellation
    handover_date: Mapped[date | None]
    handover_place: Mapped[str] = mapped_column(String(200), default="")
    receiver_name: Mapped[str] = mapped_column(String(120), default="")
    receiver_position: Mapped[str] = mapped_column(String(120), default="")
    receiver_institution: Mapped[str] = mapped_column(String(200), default="")
    handover_note: Mapped[str] = mapped_column(Text, default="")
    # Up to two witnesses (saksi) of the handover, printed on the berita acara
    witness1_name: Mapped[str] = mapped_column(String(120), default="")
    witness1_position: Mapped[str] = mapped_column(String(200), default="")
    witness2_name: Mapped[str] = mapped_column(String(120), default="")
    witness2_position: Mapped[str] = mapped_column(String(200), default="")
    closed_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    case: Mapped[Case] = relationship()  # noqa: F821
    organisation: Mapped[Organisation | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    letters: Mapped[list[Letter]] = relationship(back_populates="referral", order_by="Letter.id")

    @property
    def declaration(self):
        """What this kind of referral is (services/referral_kinds.py): forms, rules, letters."""
        return KINDS[self.kind]

    @property
    def letter(self) -> Letter | None:
        """The referral's own letter (rujukan / pengantar), issued on approval."""
        kind = self.declaration.letter
        return next((item for item in self.letters if item.kind == kind), None)

    @property
    def witnesses(self) -> list[dict]:
        """The handover's witnesses as [{"name", "position"}], those with a name only."""
        pairs = (
            (self.witness1_name, self.witness1_position),
            (self.witness2_name, self.witness2_position),
        )
        return [{"name": n, "position": p or ""} for n, p in pairs if (n or "").strip()]

    @property
    def receiver_label(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_text


LETTER_KINDS = (*LETTERS, "surat_jalan", "berita_acara")
LETTER_KIND_OF_REFERRAL = {code: kind.letter for code, kind in KINDS.items()}


class Letter(db.Model):
    """An entry of the office's letter register (agenda surat): numbered once, never reused."""

    __table_args__ = (
        UniqueConstraint("office_id", "year", "serial", name="uq_letter_office_year_serial"),
        UniqueConstraint("office_id", "number", name="uq_letter_office_number"),
        Index("ix_letter_office_issued", "office_id", "issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    year: Mapped[int]
    # Simpul's register: serial and number when issued. Numbered from the office's agenda: no
    # serial, and no number (None) until a manager types it; rendered only once numbered.
    serial: Mapped[int | None]
    number: Mapped[str | None] = mapped_column(String(80))
    classification: Mapped[str] = mapped_column(String(20), default="")
    issued_on: Mapped[date]
    subject: Mapped[str] = mapped_column(String(200), default="")  # Hal
    sifat: Mapped[str] = mapped_column(String(12), default="Biasa")
    recipient: Mapped[str] = mapped_column(String(200), default="")
    signatory_prefix: Mapped[str] = mapped_column(String(8), default="")  # "", a.n., Plt., Plh.
    signatory_position: Mapped[str] = mapped_column(String(200), default="")
    signatory_name: Mapped[str] = mapped_column(String(120), default="")
    signatory_rank: Mapped[str] = mapped_column(String(120), default="")
    signatory_nip: Mapped[str] = mapped_column(String(18), default="")
    status: Mapped[str] = mapped_column(String(8), default="valid")  # valid, void
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The archive: rendered once when issued; every download returns exactly these bytes.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    token: Mapped[str | None] = mapped_column(String(40), unique=True)  # /verify/<token>
    code: Mapped[str | None] = mapped_column(String(12), unique=True)  # typed from the paper
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    referral: Mapped[Referral | None] = relationship(back_populates="letters")
    case: Mapped[Case | None] = relationship()  # noqa: F821
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._base import utcnow

# The tokens services.search.tokens_for makes: raise it when they change, and every office's
# index is rebuilt by `flask reindex-search --if-needed` (2: descriptions, stems, stopwords;
# 3: the NIKs of merged records, the second part of "Nurhasanah").
SEARCH_INDEX_VERSION = 3


class Office(db.Model):
    """A Dinas Sosial (of a kota, kabupaten or province). One deployment may host several."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    government_line: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")  # place name on letters
    region_code: Mapped[str | None] = mapped_column(String(13))  # the kab/kota (or province) served
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    website: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Makassar")  # WIB/WITA/WIT
    # Letters: the number template, classification codes, and who signs (Tata Naskah Dinas).
    letter_number_template: Mapped[str] = mapped_column(
        String(120), default="{klasifikasi}/{nomor}/Dinsos/{bulan_romawi}/{tahun}"
    )
    # {category group: {kind: code}} overriding services/letter_settings.py's defaults
    letter_classifications: Mapped[dict | None] = mapped_column(JSON)
    letter_sifat: Mapped[dict | None] = mapped_column(JSON)  # kind -> Biasa/.../Rahasia
    # "simpul": Simpul's gapless register; "agenda": a manager types the central agenda's number
    letter_numbering: Mapped[str] = mapped_column(String(8), default="simpul")
    letter_margin_top: Mapped[int] = mapped_column(default=15)  # mm
    letter_margin_right: Mapped[int] = mapped_column(default=20)
    letter_margin_bottom: Mapped[int] = mapped_column(default=15)
    letter_margin_left: Mapped[int] = mapped_column(default=25)
    letter_font_size: Mapped[float] = mapped_column(Float, default=11.0)  # pt, 10-12
    letter_copies: Mapped[dict | None] = mapped_column(JSON)  # kind -> ["Tembusan" lines]
    paper_size: Mapped[str] = mapped_column(String(4), default="F4")  # A4 or F4 (215 x 330 mm)
    head_title: Mapped[str] = mapped_column(String(200), default="")  # "Kepala Dinas Sosial ..."
    head_name: Mapped[str] = mapped_column(String(120), default="")
    head_rank: Mapped[str] = mapped_column(String(120), default="")  # pangkat/golongan
    head_nip: Mapped[str] = mapped_column(String(18), default="")
    signing_mode: Mapped[str] = mapped_column(String(8), default="head")  # head, an, plt, plh
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    signer_rank: Mapped[str] = mapped_column(String(120), default="")
    signer_nip: Mapped[str] = mapped_column(String(18), default="")
    signer_position: Mapped[str] = mapped_column(String(200), default="")
    # Case work: closures need a manager's approval; the follow-up a completed referral proposes,
    # in days after the handover per referral kind (0: none proposed).
    closure_approval: Mapped[bool] = mapped_column(default=True)
    followup_days_rsj: Mapped[int] = mapped_column(default=14)
    followup_days_return_home: Mapped[int] = mapped_column(default=3)
    followup_days_placement: Mapped[int] = mapped_column(default=30)
    followup_days_service: Mapped[int] = mapped_column(default=0)
    # UU PDP retention (services.retention): a closed case is kept this many years after its
    # closure, then listed for anonymisation; an issued letter's archived PDF is kept this many
    # years after its date (the archive schedule, JRA), its register entry and hash for good.
    retention_years: Mapped[int] = mapped_column(default=5, server_default="5")
    letter_archive_years: Mapped[int] = mapped_column(default=10, server_default="10")
    # Documents (services.attachments): the largest file, and all of one case's files together
    attachment_max_mb: Mapped[int] = mapped_column(default=10)
    case_attachments_max_mb: Mapped[int] = mapped_column(default=100)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_mimetype: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When services.tallies last built this office's monthly counts (None: never, so reports
    # count the cases themselves until `flask rebuild-tallies` has run).
    tallied_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # Which services.search tokens this office's cases are indexed with (None: from before
    # versions, so `flask reindex-search --if-needed` rebuilds them). A new office has nothing
    # to index yet.
    search_version: Mapped[int | None] = mapped_column(default=lambda: SEARCH_INDEX_VERSION)
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    def __repr__(self) -> str:
        return f"<Office {self.code}>"


class PpksCategory(db.Model):
    """The 26 PPKS categories (Permensos 08/2012); reference data loaded by the first migration."""

    __tablename__ = "ppks_category"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class LocalCaseType(db.Model):
    """A local case type of one office (e.g. "ODGJ terlantar"), mapped to a PPKS code."""

    __tablename__ = "local_case_type"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    ppks_code: Mapped[str] = mapped_column(ForeignKey("ppks_category.code"))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)

    ppks: Mapped[PpksCategory] = relationship(lazy="joined")


ORGANISATION_KINDS = ("rsj", "panti", "dinsos", "hospital", "puskesmas", "police", "other")


class Organisation(db.Model):
    """A partner organisation: RSJ, panti/UPTD/balai, another region's Dinsos, hospital, police."""

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(300), default="")
    region_code: Mapped[str | None] = mapped_column(String(13))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(default=True)

"""SQLAlchemy models, one module per aggregate."""

from .audit import AuditLog
from .cases import Case, CaseEvent, CaseSearchTerm, Counter
from .offices import LocalCaseType, Office, Organisation, PpksCategory
from .people import Attachment, Person, PersonKkHistory
from .referrals import Letter, Referral
from .regions import ReferenceData, Region
from .users import User

__all__ = [
    "Attachment",
    "AuditLog",
    "Case",
    "CaseEvent",
    "CaseSearchTerm",
    "Counter",
    "Letter",
    "LocalCaseType",
    "Office",
    "Organisation",
    "Person",
    "PersonKkHistory",
    "PpksCategory",
    "Referral",
    "ReferenceData",
    "Region",
    "User",
]

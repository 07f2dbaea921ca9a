"""SQLAlchemy models, one module per aggregate."""

from .audit import AuditLog
from .cases import Case, CaseEvent, CaseSearchTerm, Counter
from .closure import CaseClosure
from .consent import PersonGuardian, ProcessingBasis
from .followups import Aid, FollowUp
from .letter_batches import LetterBatch
from .offices import LocalCaseType, Office, Organisation, PpksCategory
from .people import Attachment, Person, PersonIdentification, PersonKkHistory, PersonMerge
from .referrals import Letter, Referral
from .regions import ReferenceData, Region
from .registry import PersonRegistry, RegistryCheck, RegistryImport
from .retention import AnonymisationRequest
from .tallies import CaseDayTally, CaseTally
from .users import LoginThrottle, User

__all__ = [
    "Aid",
    "AnonymisationRequest",
    "Attachment",
    "AuditLog",
    "Case",
    "CaseClosure",
    "CaseEvent",
    "CaseSearchTerm",
    "CaseDayTally",
    "CaseTally",
    "Counter",
    "FollowUp",
    "Letter",
    "LetterBatch",
    "LoginThrottle",
    "LocalCaseType",
    "Office",
    "Organisation",
    "Person",
    "PersonIdentification",
    "PersonKkHistory",
    "PersonGuardian",
    "PersonMerge",
    "PersonRegistry",
    "PpksCategory",
    "ProcessingBasis",
    "Referral",
    "ReferenceData",
    "Region",
    "RegistryCheck",
    "RegistryImport",
    "User",
]

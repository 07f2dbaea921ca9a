"""The case file: everything the case page shows, built in one call (a view model).

`build(user, case)` answers a `CaseFile`: the case's timeline, referrals, follow-ups (with their
due buckets and the follow-ups completed referrals propose), aid, closure, and what this user may
do on it (services.access). The case page renders `CaseFile.context()`."""

from __future__ import annotations

from dataclasses import dataclass, fields

from ..models import Case, CaseClosure, CaseEvent, FollowUp, Person, Referral, User
from . import (
    access,
    aid,
    attachments,
    closure,
    consent,
    followups,
    proposals,
    referrals,
    workdays,
)
from .aid import AidSummary
from .cases import office_workers, timeline
from .timeutil import office_today


@dataclass
class CaseFile:
    case: Case
    person: Person
    events: list[CaseEvent]
    other_cases: list[Case]
    referrals: list[Referral]
    followups: list[FollowUp]
    followup_buckets: dict[int, str]  # open follow-up id -> workdays bucket
    proposals: list[proposals.Proposal]
    aid_items: list
    aid: AidSummary
    closure: CaseClosure | None
    documents: list  # services.attachments.for_case
    consent: consent.ConsentCard  # the basis of processing and the guardians
    assignable: list | None  # (id, full_name) of the workers it may go to; None: not for this user
    can_edit: bool
    can_refer: bool
    can_schedule: bool
    can_aid: bool
    can_close: bool
    can_reopen: bool
    can_identify: bool
    can_add_documents: bool

    def context(self) -> dict:
        """The template's variables (a shallow dict: the records themselves, not copies)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def build(user: User, case: Case) -> CaseFile:
    """The case file as `user` sees it (they may see the case: access.case_for)."""
    case_referrals = referrals.case_referrals(case)
    events = timeline(case)
    # Every follow-up and every aid writes its timeline entry in the same transaction: a case
    # whose timeline has none needs no query for them (most cases have no aid).
    kinds = {e.kind for e in events}
    case_followups = followups.case_followups(case) if "followup_scheduled" in kinds else []
    aid_items = aid.case_aid(case) if "aid_given" in kinds else []
    return CaseFile(
        case=case,
        person=case.person,
        events=events,
        other_cases=[c for c in case.person.cases if c.id != case.id],
        referrals=case_referrals,
        followups=case_followups,
        **_due(user, case_referrals, case_followups),
        aid_items=aid_items,
        aid=aid.summarise_aid(aid_items),
        closure=closure.current(case) if case.status in ("closing", "closed") else None,
        documents=_documents(user, case, kinds),
        consent=consent.card(user, case, recorded="basis_recorded" in kinds),
        **_permissions(user, case),
    )


def _documents(user: User, case: Case, kinds: set) -> list:
    """The case's documents and the person's papers; no query when there can be none: every
    document added writes its timeline entry, a registration photo is the person's face, and
    papers added on another case are on that case's timeline."""
    person = case.person
    if "document_added" in kinds or person.photo_id or len(person.cases) > 1:
        return attachments.for_case(user, case)
    return []


def _due(user: User, case_referrals: list, case_followups: list) -> dict:
    """The open follow-ups' due buckets, and the follow-ups completed referrals propose."""
    office = user.office
    today = office_today(office)
    return {
        "followup_buckets": {
            f.id: workdays.bucket_of(f.due_date, today) for f in case_followups if f.is_open
        },
        "proposals": [
            proposal
            for referral in case_referrals
            if (proposal := proposals.proposal_for(referral, office, case_followups, today))
        ],
    }


def _permissions(user: User, case: Case) -> dict:
    """What this user may do on the case (services.access)."""
    return {
        "assignable": office_workers(case.office_id) if access.can_assign(user, case) else None,
        "can_edit": access.can_edit_case(user, case),
        "can_refer": access.can_refer(user, case),
        "can_schedule": access.can_schedule_followup(user, case),
        "can_aid": access.can_record_aid(user, case),
        "can_close": access.can_request_closure(user, case),
        "can_reopen": access.can_reopen(user, case),
        "can_identify": access.may_identify(user, case),
        "can_add_documents": access.can_add_document(user, case),
    }

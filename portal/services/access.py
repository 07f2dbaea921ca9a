"""Who may see and do what: every permission question is answered here, and every record a view
shows is loaded through here.

The loaders (`case_for`, `followup_for`, `person_for`, `letter_for`, `referral_for`) raise
`NotFound` (404: no hint that the record exists) or `NotPermitted` (403); a view turns the refusal
into its status (blueprints.helpers.allowed). The `can_*` questions answer True or False."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select, union
from sqlalchemy.orm import joinedload, undefer

from ..extensions import db
from ..models import Case, FollowUp, Letter, Person, PersonMerge, Referral, User
from ..models.consent import PersonGuardian
from ..models.people import PERSON_DOC_TYPES, Attachment
from .audit import record_view  # noqa: F401 (views record a case seen through access)
from .errors import HealthData, NotFound, NotPermitted

CASE_ROLES = ("worker", "manager")


# --- roles --------------------------------------------------------------------------------------
def has_role(user: User, roles: Iterable[str]) -> bool:
    return user.role in roles


def works_cases(user: User) -> bool:
    """Social workers and managers work cases; an administrator runs the office settings."""
    return user.role in CASE_ROLES


def is_manager(user: User) -> bool:
    return user.role == "manager"


def is_admin(user: User) -> bool:
    return user.role == "admin"


sees_whole_office = is_manager  # a manager sees the office's cases; a worker his own (searches)


def figures_scope(user: User) -> int | None:
    """Whose figures a user's dashboard and reports add up: the office's (0) for a manager, a
    social worker's own (their id), none (None) for an administrator."""
    if sees_whole_office(user):
        return 0
    return user.id if works_cases(user) else None


def manages_office(user: User, office_id: int) -> bool:
    return user.role == "manager" and user.office_id == office_id


# --- what a user sees ---------------------------------------------------------------------------
def visible_cases(user: User):
    """A select() of the cases this user may see: the office's for a manager, for a social worker
    those assigned to or registered by them, none for an administrator."""
    query = select(Case).where(Case.office_id == user.office_id)
    mine = or_(Case.assigned_to_id == user.id, Case.created_by_id == user.id)
    return query if user.role == "manager" else query.where(user.role == "worker" and mine)


def counted_cases(user: User):
    """visible_cases() for counting (dashboard, reports): a social worker's cases as two index
    look-ups instead of an OR (which reads the whole office's cases to find theirs)."""
    if user.role != "worker":
        return visible_cases(user)
    return select(Case).where(Case.office_id == user.office_id, Case.id.in_(counted_ids(user)))


def counted_ids(user: User):
    """A select of the ids of the cases this user may see, for `IN (…)` (as counted_cases)."""
    if user.role != "worker":
        return visible_cases(user).with_only_columns(Case.id)
    return union(
        select(Case.id).where(Case.office_id == user.office_id, Case.assigned_to_id == user.id),
        select(Case.id).where(Case.office_id == user.office_id, Case.created_by_id == user.id),
    )


def counted_parts(user: User) -> list:
    """counted_cases() as disjoint conditions, each one index range (assigned to a social worker;
    registered by them for someone else or no one): summed, each case counts once."""
    office = Case.office_id == user.office_id
    if user.role != "worker":
        return [office] if user.role == "manager" else []
    others = or_(Case.assigned_to_id.is_(None), Case.assigned_to_id != user.id)
    return [office & (Case.assigned_to_id == user.id), office & (Case.created_by_id == user.id) & others]  # fmt: skip


def visible_letters(user: User, query):
    """The letter register narrowed to this user: a social worker sees the letters of their
    cases, a manager the office's, anyone else nothing."""
    if user.role == "worker":
        return query.where(Letter.case_id.in_(visible_cases(user).with_only_columns(Case.id)))
    return query if user.role == "manager" else query.where(False)


def task_scope(user: User, query):
    """Follow-ups on a user's task list: a manager's office, a social worker's own."""
    mine = FollowUp.assigned_to_id == user.id
    office = FollowUp.office_id == user.office_id
    return query.where(office if user.role == "manager" else user.role == "worker" and mine)


# --- cases and people ---------------------------------------------------------------------------
def can_view_case(user: User, case: Case) -> bool:
    if case.office_id != user.office_id:
        return False
    mine = user.id in (case.assigned_to_id, case.created_by_id)
    return user.role == "manager" or (user.role == "worker" and mine)


def can_edit_case(user: User, case: Case) -> bool:
    """A closed case is read-only (only reopening it is allowed: services.closure)."""
    return case.status != "closed" and can_view_case(user, case)


def may_identify(user: User, case: Case) -> bool:
    """Give an unknown person his identity, or correct an identity given (a typo in the name or
    the birth date): who may edit him, on an open OR a closed case (audited, not reopened)."""
    gone = case.anonymised_at or case.person.anonymised_at  # irreversible: services.retention
    return works_cases(user) and can_view_case(user, case) and not gone


def can_assign(user: User, case: Case) -> bool:
    return manages_office(user, case.office_id) and case.status != "closed"


def can_be_assigned(worker: User, case: Case) -> bool:
    """Who a case may be assigned to: an active social worker of its office."""
    return worker.office_id == case.office_id and worker.role == "worker" and worker.active


def can_view_audit_trail(user: User, case: Case) -> bool:
    """Who saw and changed a case: the office's managers."""
    return is_manager(user) and can_view_case(user, case)


def can_view_person(user: User, person) -> bool:
    """A person is visible through any case of theirs the user may see; a record merged into
    another (a pointer) as the person it points to."""
    person = person.current_record()
    if person.office_id != user.office_id or not works_cases(user):
        return False
    return user.role == "manager" or any(can_view_case(user, case) for case in person.cases)


def can_view_person_trail(user: User, person: Person) -> bool:
    """Who saw and changed a person (and his cases): the office's managers, as for a case."""
    return is_manager(user) and can_view_person(user, person)


def can_merge_people(user: User, office_id: int) -> bool:
    """Merging two records of one person, and undoing it: the office's managers."""
    return manages_office(user, office_id)


def can_update_registry(user: User, person: Person) -> bool:
    """A person's social-registry status: whoever may edit one of his cases, or a manager."""
    p = person.current_record()
    if p.anonymised_at:  # irreversible: services.retention
        return False
    return manages_office(user, p.office_id) or any(can_edit_case(user, c) for c in p.cases)


# --- follow-ups and aid -------------------------------------------------------------------------
def can_schedule_followup(user: User, case: Case) -> bool:
    """New follow-ups on an active case (not while its closure waits, not once closed)."""
    return case.is_active and can_edit_case(user, case)


def can_record_outcome(user: User, followup: FollowUp) -> bool:
    return followup.is_open and can_edit_case(user, followup.case)


def can_carry_out(user: User, case: Case) -> bool:
    """Who may be given a follow-up of this case: active staff of its office who may see it."""
    return user.active and works_cases(user) and can_view_case(user, case)  # (its office)


def can_record_aid(user: User, case: Case) -> bool:
    return case.is_open and can_edit_case(user, case)


# --- closure ------------------------------------------------------------------------------------
def can_request_closure(user: User, case: Case) -> bool:
    return case.is_active and can_edit_case(user, case)


def closure_needs_approval(office, user: User) -> bool:
    """A worker's closure waits for a manager when the office says so; a manager closes."""
    return bool(office.closure_approval) and user.role != "manager"


def can_decide_closure(user: User, closure) -> bool:
    mine = closure.requested_by_id == user.id  # nobody approves their own request
    return manages_office(user, closure.office_id) and closure.status == "requested" and not mine


can_decide_anonymisation = can_decide_closure  # the same rule: another manager of the office
can_export_person_data = can_view_person_trail  # a data-subject request (UU PDP Pasal 7, 32)


def can_reopen(user: User, case: Case) -> bool:
    """Managers of the office, or the assigned worker (the registering worker of a case that
    was never assigned); never an anonymised case (services.retention: irreversible)."""
    if case.status != "closed" or user.office_id != case.office_id or case.anonymised_at:
        return False
    if user.role == "manager":
        return True
    handler = case.assigned_to_id or case.created_by_id
    return user.role == "worker" and user.id == handler


# --- referrals ----------------------------------------------------------------------------------
def can_refer(user: User, case: Case) -> bool:
    """Active cases only: not while a closure waits for a decision, not once closed."""
    return case.is_active and can_edit_case(user, case)


def can_edit_referral(user: User, referral: Referral, editable: Iterable[str]) -> bool:
    return referral.status in editable and can_edit_case(user, referral.case)


def can_decide_referral(user: User, referral: Referral) -> bool:
    mine = referral.submitted_by_id == user.id  # nobody approves their own referral
    return manages_office(user, referral.office_id) and referral.status == "submitted" and not mine


def can_close_referral(user: User, referral: Referral) -> bool:
    """Complete (handover) or cancel an approved referral: managers, or the assigned worker."""
    return referral.status == "approved" and (
        manages_office(user, referral.office_id) or user.id == referral.case.assigned_to_id
    )


# Health data (UU PDP: data pribadi spesifik): a referral's columns, and the letters that print
# them (the RSJ letter prints the observations).
SENSITIVE_FIELDS = ("observations", "diagnosis")
SENSITIVE_LETTERS = ("rujukan_rsj",)


def may_see_sensitive(user: User, case: Case) -> bool:
    """Observations and diagnosis: only the assigned worker and the office's managers. The one
    rule for every page, form, fragment, PDF and export that shows or accepts them."""
    mine = user.role == "manager" or user.id == case.assigned_to_id
    return case.office_id == user.office_id and mine


def without_sensitive(user: User, case: Case, values: dict) -> dict:
    """A form's values with the sensitive fields left out for a user who may not see them:
    those fields are not shown to them, and what was stored stays unchanged."""
    if may_see_sensitive(user, case):
        return values
    return {name: value for name, value in values.items() if name not in SENSITIVE_FIELDS}


# --- documents (services.attachments) -----------------------------------------------------------
def may_see_document(user: User, item: Attachment, case: Case | None, person, health=True) -> bool:
    """A person's papers (KTP, KK, photos) with the person; a case's with the case; a sensitive
    (medical) one with its case, and (`health`) only to those who may see health data there."""
    if item.sensitive or (case is not None and item.doc_type not in PERSON_DOC_TYPES):
        seen = case is not None and can_view_case(user, case)
        return seen and not (health and item.sensitive and not may_see_sensitive(user, case))
    return person is not None and can_view_person(user, person)


can_add_document = can_edit_case  # a case's documents: who may edit it (not once closed)


# --- letters ------------------------------------------------------------------------------------
def can_view_letter(user: User, letter: Letter) -> bool:
    """A case's letter with its case; an office letter (no case) by the office's managers."""
    if letter.office_id != user.office_id:
        return False
    if letter.case is not None:
        return can_view_case(user, letter.case)
    return user.role == "manager"


def may_print_letter(user: User, letter: Letter) -> bool:
    """A letter that prints health data (the RSJ letter's observations) is an archived
    document that cannot be printed without them: only for those who may see them."""
    if letter.kind not in SENSITIVE_LETTERS:
        return can_view_letter(user, letter)
    return letter.case is not None and may_see_sensitive(user, letter.case)


def can_void_letter(user: User, letter: Letter) -> bool:
    return manages_office(user, letter.office_id)


def can_number_letter(user: User, letter: Letter) -> bool:
    """Typing the office agenda's number into a waiting letter: a manager of its office."""
    return manages_office(user, letter.office_id) and letter.number is None


def owns_batch(user: User, batch) -> bool:  # a batch print: the manager who made it, no other
    return batch.user_id == user.id and manages_office(user, batch.office_id)


# --- loaders: the record, or a refusal ----------------------------------------------------------
def case_for(user: User, case_id: int, *, for_edit: bool = False) -> Case:
    """The one place that decides whether this user may see (or change) this case. Another
    office's case, or one the user may not see, is NotFound: no hint that it exists."""
    from .cases import load_case

    case = load_case(case_id)
    if case is None or not can_view_case(user, case):
        raise NotFound("")
    if for_edit and not can_edit_case(user, case):
        raise NotPermitted("")
    return case


def followup_for(user: User, followup_id: int) -> FollowUp:
    load = joinedload(FollowUp.case).joinedload(Case.person)
    followup = db.session.scalar(select(FollowUp).where(FollowUp.id == followup_id).options(load))
    if followup is None or not can_view_case(user, followup.case):
        raise NotFound("")
    return followup


def person_for(user: User, person_id) -> Person:
    """A person by id (as typed in a URL: anything not a number is NotFound)."""
    person = db.session.get(Person, person_id) if str(person_id).isdigit() else None
    if person is None or not can_view_person(user, person):
        raise NotFound("")
    return person


def document_for(user: User, item_id) -> Attachment:
    """A document or photo: NotFound as its case or person; NotPermitted for health data."""
    item = office_record(user, Attachment, item_id)
    case = db.session.get(Case, item.case_id) if item.case_id else None
    person = db.session.get(Person, item.person_id) if item.person_id else None
    if not may_see_document(user, item, case, person, health=False):
        raise NotFound("")
    if not may_see_document(user, item, case, person):
        raise HealthData(str(HealthData.DOCUMENT))
    return item


def guardian_for(user: User, case_id: int, guardian_id: int):
    """(case, guardian) to edit: a guardian of the person of a case the user may edit."""
    case = case_for(user, case_id, for_edit=True)
    guardian = db.session.get(PersonGuardian, guardian_id)
    if guardian is None or guardian.person_id != case.person_id:
        raise NotFound("")
    return case, guardian


def merge_pair_for(user: User, keep_id: int, merge_id: int) -> tuple[Person, Person]:
    """The two records a manager is about to merge: both of their office (else NotFound)."""
    return merge_for(user, keep_id, Person), merge_for(user, merge_id, Person)


def merge_for(user: User, item_id: int, model=PersonMerge):
    """A merge (to undo), a person (to merge), a SIKS-NG upload (RegistryImport) of his office."""
    if not is_manager(user):
        raise NotPermitted("")
    return office_record(user, model, item_id)


def letter_for(user: User, letter_id: int, *, with_pdf: bool = False) -> Letter:
    options = [undefer(Letter.pdf)] if with_pdf else []
    letter = db.session.scalar(select(Letter).where(Letter.id == letter_id).options(*options))
    if letter is None or not can_view_letter(user, letter):
        raise NotFound("")
    return letter


def letter_pdf_for(user: User, letter_id: int, *, with_pdf: bool = True) -> Letter:
    """A letter to download (or to ask whether its PDF is ready: with_pdf=False): NotFound as
    letter_for; NotPermitted (403) for a letter with health data the user may not see."""
    letter = letter_for(user, letter_id, with_pdf=with_pdf)
    if not may_print_letter(user, letter):
        raise HealthData(str(HealthData.LETTER))
    return letter


def referral_for(user: User, referral_id: int, *, for_edit: bool = False) -> Referral:
    """A referral, through its case (case_for)."""
    if (referral := db.session.get(Referral, referral_id)) is None:
        raise NotFound("")
    case_for(user, referral.case_id, for_edit=for_edit)
    return referral


def office_record(user: User, model, item_id: int):
    """A record of the user's own office (a user, a partner organisation, a case type)."""
    item = db.session.get(model, item_id)
    if item is None or item.office_id != user.office_id:
        raise NotFound("")
    return item

"""Office administration: users, the office's own settings, partners, local case types."""

from __future__ import annotations

from sqlalchemy import func, select, update

from ..extensions import db
from ..models import Case, LocalCaseType, Office, Organisation, User
from . import tallies

USER_FIELDS = ("username", "full_name", "email", "role", "position", "nip", "active")
OFFICE_FIELDS = (
    "name", "government_line", "city", "region_code", "address", "phone", "email", "website",
    "timezone", "letter_number_template", "head_title", "head_name", "head_rank", "head_nip",
    "signing_mode", "signer_name", "signer_position", "signer_rank", "signer_nip", "paper_size",
    "closure_approval", "followup_days_rsj", "followup_days_return_home",
    "followup_days_placement", "followup_days_service",
)  # fmt: skip
COPY_KINDS = ("rujukan_rsj", "pengantar_pemulangan", "rujukan_panti", "rujukan_layanan")


def copies_from(values: dict) -> dict:
    """Tembusan lines per letter kind, one per line; "Arsip" is always added last when printed."""
    return {
        kind: [
            line.strip()
            for line in (values.get(f"copies_{kind}") or "").splitlines()
            if line.strip()
        ]
        for kind in COPY_KINDS
    }


LETTER_KINDS = ("rujukan_rsj", "pengantar_pemulangan", "rujukan_panti", "rujukan_layanan")


def classifications_from(values: dict) -> dict:
    return {kind: values[f"class_{kind}"] for kind in LETTER_KINDS if values.get(f"class_{kind}")}


ORGANISATION_FIELDS = (
    "name", "kind", "address", "region_code", "contact_name", "phone", "email", "active",
)  # fmt: skip
CASE_TYPE_FIELDS = ("name", "ppks_code", "description", "active")


def username_taken(username: str, exclude_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.username) == username.lower())
    if exclude_id:
        query = query.where(User.id != exclude_id)
    return db.session.scalar(query) is not None


def assign_fields(obj, values: dict, names) -> dict:
    """Set the named values; return {field: [old, new]} of what changed."""
    changes = {}
    for name in names:
        if name in values and getattr(obj, name) != values[name]:
            changes[name] = [str(getattr(obj, name)), str(values[name])]
            setattr(obj, name, values[name])
    return changes


def save_case_type(item: LocalCaseType, values: dict) -> dict:
    """A changed PPKS mapping moves the type's cases with it, so reports count them right."""
    changes = assign_fields(item, values, CASE_TYPE_FIELDS)
    if "ppks_code" in changes and item.id:
        moved = db.session.scalars(select(Case.id).where(Case.local_type_id == item.id)).all()
        with tallies.track(moved):  # a disaster PPKS code counts its cases as disaster victims
            db.session.execute(
                update(Case).where(Case.local_type_id == item.id).values(ppks_code=item.ppks_code)
            )
    return changes


def users_of(office: Office) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.office_id == office.id)
            .order_by(User.active.desc(), User.full_name)
        )
    )


def organisations_of(office: Office) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.office_id == office.id)
            .order_by(Organisation.active.desc(), Organisation.kind, Organisation.name)
        )
    )


def case_types_of(office: Office) -> list[LocalCaseType]:
    return list(
        db.session.scalars(
            select(LocalCaseType)
            .where(LocalCaseType.office_id == office.id)
            .order_by(LocalCaseType.active.desc(), LocalCaseType.name)
        )
    )

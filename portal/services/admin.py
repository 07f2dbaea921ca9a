"""Office administration: users, the office's own settings, partners, local case types."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import Case, LocalCaseType, Office, Organisation, User
from . import audit, letter_settings, passwords, referral_kinds, regions, tallies
from .errors import Refused, StaleVersion
from .i18n import lazy as _l

USER_FIELDS = ("username", "full_name", "email", "role", "position", "nip", "phone", "active")
OFFICE_FIELDS = (
    "name",
    "government_line",
    "city",
    "region_code",
    "address",
    "phone",
    "email",
    "website",
    "timezone",
    "letter_number_template",
    "head_title",
    "head_name",
    "head_rank",
    "head_nip",
    "signing_mode",
    "signer_name",
    "signer_position",
    "signer_rank",
    "signer_nip",
    "paper_size",
    "letter_numbering",
    "letter_font_size",
    "letter_margin_top",
    "letter_margin_right",
    "letter_margin_bottom",
    "letter_margin_left",
    "closure_approval",
    "retention_years",
    "letter_archive_years",
    "attachment_max_mb",
    "case_attachments_max_mb",
    *(kind.followup_days_setting for kind in referral_kinds.KINDS.values()),
)
# The letters whose tembusan and classification code the office sets: the referrals' letters.
COPY_KINDS = referral_kinds.LETTERS


def copies_from(values: dict) -> dict:
    """Tembusan lines per letter kind, one per line; "Arsip" is always added last when printed."""
    return {
        kind.letter: [
            line.strip()
            for line in (values.get(kind.copies_setting) or "").splitlines()
            if line.strip()
        ]
        for kind in referral_kinds.KINDS.values()
    }


LETTER_KINDS = referral_kinds.LETTERS


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


# --- changes, each in the audit log -----------------------------------------------------------

AUDIT_TYPES = {
    User: "user",
    Office: "office",
    Organisation: "organisation",
    LocalCaseType: "local_case_type",
}


def _audit(action: str, admin: User, ip: str, obj, **details) -> None:
    audit.record(
        action,
        user=admin,
        ip=ip,
        object_type=AUDIT_TYPES[type(obj)],
        object_id=obj.id,
        details=details or None,
    )


def create_user(admin: User, values: dict, password: str, ip: str = "") -> User:
    if username_taken(values["username"]):
        raise Refused(str(_l("Nama pengguna ini sudah dipakai.")), field="username")
    user = User(office_id=admin.office_id, password_hash="")
    assign_fields(user, values, USER_FIELDS)
    passwords.require_strong(password, user)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _audit("user.create", admin, ip, user, username=user.username, role=user.role)
    return user


def update_user(admin: User, user: User, values: dict, password: str = "", ip: str = "") -> None:
    """Deactivating or changing the role ends the user's open sessions; no admin demotes or
    deactivates themselves."""
    if username_taken(values["username"], exclude_id=user.id):
        raise Refused(str(_l("Nama pengguna ini sudah dipakai.")), field="username")
    if user.id == admin.id and (not values.get("active") or values.get("role") != "admin"):
        raise Refused(
            str(_l("Anda tidak dapat menonaktifkan atau menurunkan peran akun sendiri.")),
            field="role",
        )
    changes = assign_fields(user, values, USER_FIELDS)
    if "active" in changes or "role" in changes:
        user.session_token += 1  # ends the user's open sessions
    if password:
        passwords.require_strong(password, user)
        user.set_password(password)
        changes["password"] = ["***", "***"]
    _audit("user.update", admin, ip, user, changes=changes)


def reset_password(admin: User, user: User, password: str, ip: str = "") -> None:
    passwords.require_strong(password, user)
    user.set_password(password)
    user.locked_until = None
    user.failed_logins = 0
    _audit("user.password_reset", admin, ip, user)


def update_office(admin: User, office: Office, values: dict, logo=None, ip: str = "") -> None:
    """The office's settings (`values`: the form's data), and its logo ((bytes, mimetype))."""
    changes = assign_fields(office, values, OFFICE_FIELDS)
    for column, value in (
        ("letter_classifications", letter_settings.table_from(values)),
        ("letter_sifat", letter_settings.sifat_from(values)),
    ):
        if value != (getattr(office, column) or {}):
            changes[column] = [str(getattr(office, column)), str(value)]
            setattr(office, column, value)
    copies = copies_from(values)
    if copies != (office.letter_copies or {}):
        changes["letter_copies"] = [str(office.letter_copies), str(copies)]
        office.letter_copies = copies
    if logo:
        office.logo, office.logo_mimetype = logo
        changes["logo"] = ["", "baru"]
    _audit("office.update", admin, ip, office, changes=changes)
    try:
        db.session.flush()  # version check: settings saved by someone else meanwhile
    except StaleDataError:
        raise StaleVersion(str(_l("Data sudah diubah orang lain."))) from None


def _organisation_values(values: dict) -> dict:
    region = values.get("region_code") or None
    if region and not (regions.exists(region, 2) and region.startswith(f"{values['province']}.")):
        raise Refused(str(_l("Pilih wilayah dari daftar.")), field="region_code")
    return dict(values, region_code=region)


def create_organisation(admin: User, values: dict, ip: str = "") -> Organisation:
    item = Organisation(office_id=admin.office_id)
    assign_fields(item, _organisation_values(values), ORGANISATION_FIELDS)
    db.session.add(item)
    db.session.flush()
    _audit("organisation.create", admin, ip, item, name=item.name)
    return item


def update_organisation(admin: User, item: Organisation, values: dict, ip: str = "") -> None:
    changes = assign_fields(item, _organisation_values(values), ORGANISATION_FIELDS)
    _audit("organisation.update", admin, ip, item, changes=changes)


def _case_type_name_free(office_id: int, name: str, exclude_id: int | None = None) -> None:
    query = select(LocalCaseType.id).where(
        LocalCaseType.office_id == office_id, LocalCaseType.name == name
    )
    if exclude_id:
        query = query.where(LocalCaseType.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise Refused(str(_l("Jenis kasus dengan nama ini sudah ada.")), field="name")


def create_case_type(admin: User, values: dict, ip: str = "") -> LocalCaseType:
    _case_type_name_free(admin.office_id, values["name"])
    item = LocalCaseType(office_id=admin.office_id)
    save_case_type(item, values)
    db.session.add(item)
    db.session.flush()
    _audit("case_type.create", admin, ip, item, name=item.name)
    return item


def update_case_type(admin: User, item: LocalCaseType, values: dict, ip: str = "") -> None:
    _case_type_name_free(admin.office_id, values["name"], exclude_id=item.id)
    changes = save_case_type(item, values)
    _audit("case_type.update", admin, ip, item, changes=changes)

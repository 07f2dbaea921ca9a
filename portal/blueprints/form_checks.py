"""Form checks as tables: each rule is (failed, field, message), read in order."""

from __future__ import annotations

from datetime import date

from ..services.i18n import lazy as _l


def add_error(field, message) -> None:
    field.errors = list(field.errors) + [str(message)]


def passes(*rules) -> bool:
    """The first rule that failed puts its message on its field (none when field is None: the
    field already has its error) and the check fails; True when none failed."""
    for failed, field, message in rules:
        if failed:
            if field is not None:
                add_error(field, message)
            return False
    return True


def check_day(field, today: date, earliest: date | None) -> bool:
    """A day that happened: not in the future, not before the case was reported."""
    day = field.data
    return passes(
        (day is not None and day > today, field, _l("Tanggal tidak boleh di masa depan.")),
        (
            day is not None and earliest is not None and day < earliest,
            field,
            _l("Tanggal tidak boleh sebelum kasus dilaporkan."),
        ),
    )

"""Refusals: the one exception family services raise when a step is not allowed.

A refusal carries the message the user reads (already translated, or lazily translated) and the
form field it belongs to (None: it belongs to the whole form or page). Views never decode the
text: they show `message` next to `field` (or as a flash) and answer with `status`."""

from __future__ import annotations

from .i18n import lazy as _l


class Refused(Exception):
    """The step is not allowed now (a transition, a missing reason, a duplicate NIK...)."""

    status = 422

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class NotPermitted(Refused):
    """Not for this user (views normally answer 403/404 before a service is asked)."""

    status = 403


class HealthData(NotPermitted):
    """Health data (UU PDP: data pribadi spesifik) that this user may not see (access decides)."""

    LETTER = _l(
        "Surat ini memuat data kesehatan (hasil pengamatan): hanya pekerja sosial yang "
        "ditugaskan dan manajer yang dapat mencetaknya."
    )
    DOCUMENT = _l("Dokumen ini berisi data kesehatan.")


class Conflict(Refused):
    """Someone else changed the record first."""

    status = 409


class StaleVersion(Conflict):
    """The form was opened at an older version of the record; `changes` lists what others saved
    since then ([{"by": name, "at": datetime, "fields": {...}}]; may be empty)."""

    def __init__(self, message="", field: str | None = "version", changes=None):
        super().__init__(message, field)
        self.changes = list(changes or [])


class NotFound(Refused):
    """No such record for this user: another office's, or one they may not see (no hint that it
    exists)."""

    status = 404


class BasisMissing(Refused):
    """Data would leave the office (a referral) before the case records the legal basis of
    processing (services.consent): the page links to the case's basis form (`case_id`)."""

    def __init__(self, message, case_id: int, field: str | None = "processing_basis"):
        super().__init__(message, field)
        self.case_id = case_id

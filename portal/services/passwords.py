"""How strong a new password must be: at least 10 characters, not derived from the user's name
or username, and not guessable by zxcvbn's estimator (common passwords, keyboard patterns,
repeats, dates, dictionary words; score 3 of 4 or more). Checked wherever a password is set:
a user changing theirs, an administrator creating a user or resetting a password, and
`flask create-user`. The demo seed sets `demo1234` directly and bypasses this on purpose."""

from __future__ import annotations

from .errors import Refused
from .i18n import lazy as _l

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable" for an online attack with throttling and more


def weakness(password: str, *, username: str = "", full_name: str = "") -> str | None:
    """Why this password is refused (a message for beside the field), or None."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return str(_l("Kata sandi minimal %(count)d karakter.", count=MIN_LENGTH))
    lowered = password.lower()
    own = [username.lower()] + [part.lower() for part in full_name.split()]
    if any(len(word) >= 3 and word in lowered for word in own):
        return str(_l("Kata sandi tidak boleh memuat nama pengguna atau nama pemiliknya."))
    from zxcvbn import zxcvbn

    if zxcvbn(password[:100], user_inputs=own)["score"] < MIN_SCORE:
        return str(
            _l(
                "Kata sandi ini terlalu mudah ditebak (umum, berpola atau berulang). "
                "Gunakan beberapa kata yang tidak berhubungan, ditambah angka atau tanda baca."
            )
        )
    return None


def require_strong(password: str, user=None, *, field: str = "password", **names) -> None:
    """Refused (beside `field`) unless the password is strong enough for this user."""
    if user is not None:
        names = {"username": user.username or "", "full_name": user.full_name or "", **names}
    message = weakness(password, **names)
    if message:
        raise Refused(message, field=field)

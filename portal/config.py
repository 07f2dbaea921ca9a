"""Defaults. instance/config.py overrides them; PORTAL_* (and DATABASE_URL, SECRET_KEY) last."""

import os

SECRET_KEY = (
    None  # set in instance/config.py or SECRET_KEY; create_app refuses to start without one
)
SQLALCHEMY_DATABASE_URI = None  # None: SQLite file in instance/
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
SQLALCHEMY_TRACK_MODIFICATIONS = False

BABEL_DEFAULT_LOCALE = "id"
BABEL_DEFAULT_TIMEZONE = "Asia/Makassar"
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_HTTPONLY = True
PERMANENT_SESSION_LIFETIME = 8 * 3600

WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
# requests; a photo itself is limited to PHOTO_MAX_BYTES, a document to the office's setting
# (office.attachment_max_mb, at most 50 MB: blueprints/admin/forms.py)
MAX_CONTENT_LENGTH = 52 * 1024 * 1024
PHOTO_MAX_BYTES = 5 * 1024 * 1024
MERGE_UNDO_DAYS = 30  # a manager may undo a merge of two people this many days afterwards

PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hash method name; tests use a cheaper one
LOGIN_MAX_FAILURES = 5
LOGIN_FAILURE_WINDOW_MINUTES = 15
LOGIN_LOCK_MINUTES = 15
# Failed log-ins from one address (password spraying: a few guesses at many accounts) before
# the address waits; an office behind one NAT shares the count, so this is generous.
LOGIN_ADDRESS_MAX_FAILURES = 30
LOGIN_ADDRESS_WINDOW_MINUTES = 15
LOGIN_ADDRESS_LOCK_MINUTES = 15

# Outside debug and testing, session and remember cookies are Secure and HSTS is sent.
# PLAIN_HTTP = True (PORTAL_PLAIN_HTTP=1) turns both off for an intranet served over plain
# HTTP; /admin then warns. `make run` sets it (a local http demo).
PLAIN_HTTP = False
# How many reverse proxies stand in front (PORTAL_PROXY_COUNT=1 behind one nginx): their
# X-Forwarded-For gives the client's address, which the log-in throttle and the audit use.
PROXY_COUNT = 0

CASES_PER_PAGE = 25

# The public address printed in letters (QR code to /verify/<token>); None: the request's own.
PUBLIC_URL = None

# Where the fingerprinted, compressed copies of portal/static are built (portal.static_assets);
# None: instance/static-build.
STATIC_BUILD_DIR = None

# When an issued letter is rendered into the archive: "background" (a worker thread of each
# process, after the response: approving never waits for WeasyPrint) or "inline" (in the
# request, after its commit: the tests, which need to see the PDF at once).
LETTER_RENDER = "background"

# Names of environment variables read last, besides every PORTAL_<NAME>.
ENV_ALIASES = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "SECRET_KEY": "SECRET_KEY"}


def from_environment(config) -> None:
    """Apply DATABASE_URL, SECRET_KEY and PORTAL_<NAME> variables to a Flask config."""
    for env_name, key in ENV_ALIASES.items():
        if os.environ.get(env_name):
            config[key] = os.environ[env_name]
    config.from_prefixed_env("PORTAL")
    uri = config.get("SQLALCHEMY_DATABASE_URI") or ""
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://") :]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    if uri:
        config["SQLALCHEMY_DATABASE_URI"] = uri

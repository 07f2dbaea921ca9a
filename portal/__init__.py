"""Simpul: the case portal for Dinas Sosial offices."""

from __future__ import annotations

import os

from flask import Flask, g, has_app_context, has_request_context, request, session
from flask_login import current_user

from . import config as default_config
from .extensions import babel, csrf, db, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(default_config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        default_config.from_environment(app.config)
    else:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "simpul.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set: put it in instance/config.py (make run writes one) "
            "or in the SECRET_KEY environment variable."
        )

    _setup_transport(app)
    _setup_sqlite(app)  # before db.init_app: it sets the engine's busy timeout
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=_select_timezone)
    _setup_login(app)

    from .services import tallies

    tallies.install()  # keeps the monthly counts behind dashboards and reports

    from . import template_helpers

    template_helpers.init_app(app)

    from .blueprints import register_blueprints
    from .bounds import IdConverter

    app.url_map.converters["int"] = IdConverter  # every <int:...> id: 404 when out of range
    register_blueprints(app)

    from . import cli, static_assets

    cli.init_app(app)
    static_assets.init_app(app)  # fingerprinted, far-future cached, compressed

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Vary", "HX-Request")
        if "HX-Request" not in response.headers.get("Vary", ""):
            response.headers["Vary"] += ", HX-Request"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        if getattr(g, "no_store", False):
            response.headers["Cache-Control"] = "no-store"
        return response

    return app


def plain_http(app: Flask) -> bool:
    """Served over plain HTTP: a debug or test server, or PLAIN_HTTP set for an intranet."""
    return bool(app.config.get("PLAIN_HTTP") or app.debug or app.testing)


def _setup_transport(app: Flask) -> None:
    """Outside debug and testing, cookies are Secure (sent only over HTTPS) and HSTS is sent,
    unless PLAIN_HTTP says the portal is served over plain HTTP (/admin then warns). Behind
    PROXY_COUNT reverse proxies, the client's address (log-in throttle, audit) and scheme come
    from their X-Forwarded-For / X-Forwarded-Proto headers."""
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies:  # the client's address and scheme as the reverse proxy saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    secure = not plain_http(app)
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        app.config[name] = secure

    @app.after_request
    def _hsts(response):
        if secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _select_locale() -> str:

    if not has_request_context():
        return "id"
    languages = ("id", "en")
    if current_user and getattr(current_user, "is_authenticated", False):
        if current_user.locale in languages:
            return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return "id"


def _select_timezone() -> str:
    from flask import current_app

    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.office.timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"]
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _setup_login(app: Flask) -> None:
    from flask import redirect, url_for

    from .models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    from sqlalchemy import bindparam, select

    # Built once: session.get() builds its statement again on every request (a third of
    # the loader's time); the same SELECT of the user with the office joined (User.office is
    # lazy="joined"), still read on every request so that a deactivated user or a revoked
    # session (session_token bumped) is refused at once.
    by_id = select(User).where(User.id == bindparam("user_id"))

    @login_manager.user_loader
    def load_user(value: str):
        try:
            user_id, token = (int(part) for part in value.split(":"))
        except ValueError:
            return None
        user = db.session.execute(by_id, {"user_id": user_id}).scalar_one_or_none()
        if user is None or user.session_token != token or not user.active:
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask_babel import gettext

        login_url = url_for(
            "auth.login", next=request.full_path if request.method == "GET" else None
        )
        if request.headers.get("HX-Request"):
            response = app.response_class("", status=401)
            response.headers["HX-Redirect"] = login_url
            return response
        from flask import flash

        flash(gettext("Silakan masuk terlebih dahulu."), "info")
        return redirect(login_url)


_sqlite_listeners_installed = False


def _setup_sqlite(app: Flask) -> None:
    """SQLite: enforce foreign keys and WAL (readers never wait for a writer), and choose how a
    transaction begins. A request that may write (any method but GET/HEAD, or a view under the
    unit of work's @transactional) takes the write lock when its transaction begins (BEGIN
    IMMEDIATE), waiting its turn up to the busy timeout: a deferred transaction that reads and
    then writes can fail at once when another writer got there first, so two managers
    approving at the same second both succeed, one after the other. A request that only reads
    begins a deferred transaction and never queues behind a writer or another reader (so does
    the letter renderer's thread while it renders: services.letter_archive); what it
    records (an audit entry: someone saw a case) is written in a short transaction of its own
    (services.audit.record_now). Work outside a request (CLI, scripts) takes the lock at once.
    The listeners are process-wide (on Engine), so they are installed once."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {"timeout": 10, **options.get("connect_args", {})}  # busy, s
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    @app.before_request
    def _mark_readers():
        view = app.view_functions.get(request.endpoint or "")
        g.reads_only = request.method in ("GET", "HEAD") and not getattr(view, "writes", False)

    global _sqlite_listeners_installed
    if _sqlite_listeners_installed:
        return
    _sqlite_listeners_installed = True
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if "sqlite" in type(dbapi_connection).__module__:
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    @event.listens_for(Engine, "before_cursor_execute", retval=True)
    def _no_nul_for_postgres(connection, _cursor, statement, parameters, _context, _many):
        """PostgreSQL text cannot hold a NUL character (it fails the whole statement): one
        typed, pasted or sent by a hostile client into any field or search is dropped."""
        if connection.dialect.name == "postgresql" and parameters:
            parameters = _without_nul(parameters)
        return statement, parameters

    @event.listens_for(Engine, "begin")
    def _on_begin(connection):
        if connection.dialect.name == "sqlite":
            reads_only = has_app_context() and g.get("reads_only", False)
            connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")


def _without_nul(parameters):
    if isinstance(parameters, str):
        return parameters.replace("\x00", "") if "\x00" in parameters else parameters
    if isinstance(parameters, dict):
        return {key: _without_nul(value) for key, value in parameters.items()}
    if isinstance(parameters, list | tuple):
        return type(parameters)(_without_nul(value) for value in parameters)
    return parameters

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ...services import auth as service
from ...services.errors import Refused
from ...unit_of_work import refuse, transactional
from ..helpers import client_ip
from . import bp
from .forms import LanguageForm, LoginForm, PasswordForm


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _limits() -> service.Limits:
    cfg = current_app.config
    return service.Limits(
        max_failures=cfg["LOGIN_MAX_FAILURES"],
        window_minutes=cfg["LOGIN_FAILURE_WINDOW_MINUTES"],
        lock_minutes=cfg["LOGIN_LOCK_MINUTES"],
        address_max_failures=cfg["LOGIN_ADDRESS_MAX_FAILURES"],
        address_window_minutes=cfg["LOGIN_ADDRESS_WINDOW_MINUTES"],
        address_lock_minutes=cfg["LOGIN_ADDRESS_LOCK_MINUTES"],
    )


@bp.route("/login", methods=["GET", "POST"])
@transactional
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        result = service.attempt_login(
            form.username.data, form.password.data, ip=client_ip(), limits=_limits()
        )
        if result.user:
            session.clear()
            login_user(result.user)
            return redirect(_safe_next(form.next.data) or url_for("main.home"))
        form.login_failed(result)
        if result.error == "throttled":
            headers = {"Retry-After": str(result.wait_seconds)}
            return render_template("auth/login.html", form=form), 429, headers
        return render_template("auth/login.html", form=form), 422
    status = 422 if request.method == "POST" else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@transactional
def logout():
    if current_user.is_authenticated:
        service.logout(current_user, ip=client_ip())
    logout_user()
    session.clear()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
@transactional
def account():
    form = PasswordForm()
    lang_form = LanguageForm(lang=current_user.locale)
    if form.validate_on_submit():
        try:
            service.change_password(current_user, form.current.data, form.new.data, client_ip())
        except Refused as refusal:
            refuse(refusal, form)
            return render_template("auth/account.html", form=form, lang_form=lang_form), 422
        login_user(current_user._get_current_object())  # the session token changed
        flash(_("Kata sandi sudah diganti."), "success")
        return redirect(url_for("auth.account"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/account.html", form=form, lang_form=lang_form), status


@bp.route("/account/language", methods=["POST"])
@transactional
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            current_user.locale = form.lang.data
    back = _safe_next(request.form.get("back")) or url_for("main.home")
    return redirect(back)

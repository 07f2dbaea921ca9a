"""Issue 12, log-in and sessions: logout ends the session on the server, throttling by address,
the same answer for unknown names, strong passwords, Secure cookies and HSTS."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, User
from portal.services import passwords
from tests.conftest import PASSWORD, make_app

STRONG = "Kopi-Pagi-Manggarai7"


def _session_cookie(client):
    return client.get_cookie("session").value


def test_a_copied_session_cookie_stops_working_after_logout(world, app, client, auth):
    auth.login("pekerja")
    assert client.get("/cases").status_code == 200
    stolen = _session_cookie(client)
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/cases")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_copied_session_cookie_stops_working_after_a_password_change(world, app, client, auth):
    auth.login("pekerja")
    stolen = _session_cookie(client)
    client.post("/account", data={"current": PASSWORD, "new": STRONG, "confirm": STRONG})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/cases").status_code == 302


def test_password_spraying_from_one_address_is_throttled_before_hashing(
    world, database_uri, factory, monkeypatch
):
    """A few guesses at many accounts: the address waits, with a 429, a message and
    Retry-After; no password is hashed while it waits; another address still logs in."""
    app = make_app(database_uri, LOGIN_ADDRESS_MAX_FAILURES=6)
    sprayer = app.test_client()
    users = ["pekerja", "pekerja2", "manajer", "admin", "tidakada", "lainnya"]
    with app.app_context():
        for username in users:
            response = sprayer.post("/login", data={"username": username, "password": "12345678"})
            assert response.status_code == 422
        hashed = []
        monkeypatch.setattr(User, "check_password", lambda self, p: hashed.append(p) or True)
        response = sprayer.post("/login", data={"username": "pekerja", "password": PASSWORD})
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 800
        text = response.get_data(as_text=True)
        assert "Terlalu banyak percobaan masuk yang gagal dari alamat jaringan ini" in text
        assert "15 menit" in text
        assert hashed == []
        monkeypatch.undo()
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "10.9.8.7"
        response = other.post("/login", data={"username": "pekerja", "password": PASSWORD})
        assert response.status_code == 302
        # The per-account lock is still there: each account failed only once.
        assert db.session.scalar(select(User).where(User.username == "pekerja2")).failed_logins == 1
        db.session.remove()
        db.engine.dispose()


def test_unknown_usernames_answer_exactly_as_real_accounts(world, auth):
    answers = {}
    for username in ("pekerja", "tidakada"):
        for _ in range(5):
            response = auth.login(username, "salah-sekali")
        answers[username] = (response.status_code, _message(response.get_data(as_text=True)))
    assert answers["pekerja"] == answers["tidakada"]
    assert "dikunci sementara" in answers["tidakada"][1]
    # Locked, the right password is refused the same way as any password for an unknown name.
    real = auth.login("pekerja", PASSWORD)
    unknown = auth.login("tidakada", PASSWORD)
    assert real.status_code == unknown.status_code == 422
    assert _message(real.get_data(as_text=True)) == _message(unknown.get_data(as_text=True))


def _message(page: str) -> str:
    start = page.index('class="error"') if 'class="error"' in page else page.index("dikunci")
    return page[start : start + 300].split("</")[0]


def test_weak_passwords_are_refused_beside_the_field(world, client, auth):
    auth.login("pekerja")
    for weak in ("12345678", "password", "aaaaaaaa", "pekerja1"):
        response = client.post("/account", data={"current": PASSWORD, "new": weak, "confirm": weak})
        assert response.status_code == 422
        assert "minimal 10 karakter" in response.get_data(as_text=True)
    for weak in ("1234567890", "passwordpassword", "aaaaaaaaaaaa", "pekerja12345", "rahasia1234"):
        response = client.post("/account", data={"current": PASSWORD, "new": weak, "confirm": weak})
        text = response.get_data(as_text=True)
        assert response.status_code == 422, weak
        assert "terlalu mudah ditebak" in text or "nama pengguna atau nama" in text, weak
    ok = client.post("/account", data={"current": PASSWORD, "new": STRONG, "confirm": STRONG})
    assert ok.status_code == 302


def test_admin_cannot_set_a_weak_password(world, client, auth):
    auth.login("admin")
    worker = world["worker"]
    response = client.post(f"/admin/users/{worker.id}/password", data={"password": "pekerja123"})
    assert response.status_code == 422
    assert "nama pengguna atau nama" in response.get_data(as_text=True)
    new = {"username": "baru", "full_name": "Orang Baru", "role": "worker", "active": "y"}
    response = client.post("/admin/users/new", data={**new, "password": "password12"})
    assert response.status_code == 422
    assert "terlalu mudah ditebak" in response.get_data(as_text=True)
    assert not db.session.scalar(select(User).where(User.username == "baru"))


def test_create_user_command_refuses_a_weak_password(world, runner):
    args = ["create-user", "lemah", "--office", "makassar", "--role", "worker", "--name", "Lemah"]
    result = runner.invoke(args=[*args, "--password", "qwertyuiop"])
    assert result.exit_code != 0 and "terlalu mudah ditebak" in result.output
    result = runner.invoke(args=[*args, "--password", STRONG])
    assert result.exit_code == 0, result.output


def test_strength_rules():
    assert passwords.weakness("Tanjung-Bunga-45", username="pekerja") is None
    assert passwords.weakness("Baso.Tang.2026!", username="x", full_name="Baso Tang")


def test_cookies_are_secure_and_hsts_is_sent_outside_debug(world, database_uri):
    app = make_app(database_uri, TESTING=False)
    with app.app_context():
        client = app.test_client()
        response = client.post("/login", data={"username": "pekerja", "password": PASSWORD})
        assert "Secure" in response.headers["Set-Cookie"]
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
        db.session.remove()
        db.engine.dispose()


def test_plain_http_turns_them_off_and_admin_warns(world, database_uri):
    app = make_app(database_uri, TESTING=False, PLAIN_HTTP=True)
    with app.app_context():
        client = app.test_client()
        response = client.post("/login", data={"username": "admin", "password": PASSWORD})
        assert "Secure" not in response.headers["Set-Cookie"]
        assert "Strict-Transport-Security" not in response.headers
        assert "Portal berjalan tanpa HTTPS" in client.get("/admin/").get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
    audit = db.session.scalars(select(AuditLog.action)).all()
    assert "login" in audit

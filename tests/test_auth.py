from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, User
from portal.models._base import utcnow
from tests.conftest import PASSWORD


def test_login_page_is_indonesian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Masuk ke Simpul" in page
    assert 'lang="id"' in page


def test_login_and_logout(world, client, auth):
    response = auth.login("pekerja")
    assert response.status_code == 302
    assert client.get("/cases").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/cases").status_code == 302
    actions = db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert "login" in actions and "logout" in actions


def test_logout_needs_post(world, client, auth):
    auth.login("pekerja")
    assert client.get("/logout").status_code == 405


def test_wrong_password_gets_a_clear_message(world, client, auth):
    response = auth.login("pekerja", "salah-sekali")
    assert response.status_code == 422
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
    # The username typed is kept.
    assert 'value="pekerja"' in response.get_data(as_text=True)


def test_unknown_user_gets_the_same_message(world, auth):
    response = auth.login("tidakada", "apapun")
    assert response.status_code == 422
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_five_failures_lock_the_account_and_say_so(world, client, auth):
    for _ in range(4):
        assert auth.login("pekerja", "salah").status_code == 422
    response = auth.login("pekerja", "salah")
    text = response.get_data(as_text=True)
    assert "dikunci sementara" in text and "15 menit" in text
    # Even the right password must wait.
    response = auth.login("pekerja", PASSWORD)
    assert response.status_code == 422
    assert "dikunci sementara" in response.get_data(as_text=True)
    assert client.get("/cases").status_code == 302
    # When the wait is over, the right password works again.
    user = db.session.scalar(select(User).where(User.username == "pekerja"))
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert auth.login("pekerja", PASSWORD).status_code == 302


def test_failures_spread_over_more_than_15_minutes_do_not_lock(world, auth):
    for _ in range(4):
        auth.login("pekerja", "salah")
    user = db.session.scalar(select(User).where(User.username == "pekerja"))
    user.failed_window_start = utcnow() - timedelta(minutes=16)
    db.session.commit()
    auth.login("pekerja", "salah")
    assert auth.login("pekerja", PASSWORD).status_code == 302


def test_inactive_user_cannot_log_in(world, auth):
    world["worker"].active = False
    db.session.commit()
    assert auth.login("pekerja").status_code == 422


def test_next_url_must_be_local(world, client):
    response = client.post(
        "/login",
        data={"username": "pekerja", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login", data={"username": "pekerja", "password": PASSWORD, "next": "/cases?q=andi"}
    )
    assert response.headers["Location"] == "/cases?q=andi"


def test_change_password(world, client, auth):
    auth.login("pekerja")
    bad = client.post(
        "/account",
        data={"current": "salah", "new": "Kopi-Pagi-Manggarai7", "confirm": "Kopi-Pagi-Manggarai7"},
    )
    assert bad.status_code == 422
    assert "Kata sandi saat ini salah." in bad.get_data(as_text=True)
    short = client.post("/account", data={"current": PASSWORD, "new": "abc", "confirm": "abc"})
    assert short.status_code == 422
    assert "minimal 10 karakter" in short.get_data(as_text=True)
    mismatch = client.post(
        "/account",
        data={"current": PASSWORD, "new": "Kopi-Pagi-Manggarai7", "confirm": "lainlain123"},
    )
    assert "Kedua kata sandi tidak sama." in mismatch.get_data(as_text=True)
    ok = client.post(
        "/account",
        data={
            "current": PASSWORD,
            "new": "Kopi-Pagi-Manggarai7",
            "confirm": "Kopi-Pagi-Manggarai7",
        },
    )
    assert ok.status_code == 302
    assert client.get("/cases").status_code == 200  # this session stays
    auth.logout()
    assert auth.login("pekerja", PASSWORD).status_code == 422
    assert auth.login("pekerja", "Kopi-Pagi-Manggarai7").status_code == 302
    user = db.session.scalar(select(User).where(User.username == "pekerja"))
    assert "Kopi-Pagi-Manggarai7" not in user.password_hash  # hashed


def test_password_change_ends_other_sessions(world, app, auth, client):
    auth.login("pekerja")
    other = app.test_client()
    other.post("/login", data={"username": "pekerja", "password": PASSWORD})
    assert other.get("/cases").status_code == 200
    client.post(
        "/account",
        data={
            "current": PASSWORD,
            "new": "Kopi-Pagi-Manggarai7",
            "confirm": "Kopi-Pagi-Manggarai7",
        },
    )
    assert other.get("/cases").status_code == 302


def test_htmx_request_with_expired_session_redirects_whole_page(world, client):
    response = client.get("/cases?q=andi", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")
    assert b"<form" not in response.data


def test_language_switch_to_english(world, client, auth):
    auth.login("pekerja")
    client.post("/account/language", data={"lang": "en"})
    page = client.get("/cases").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Log out" in page
    client.post("/account/language", data={"lang": "id"})
    assert "Keluar" in client.get("/cases").get_data(as_text=True)

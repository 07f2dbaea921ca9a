"""Schema changes go through migrations: an empty database upgraded to head is the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from portal.extensions import db
from portal.models import PpksCategory, User


def test_upgraded_database_matches_the_models(app):
    # The test database was built by `flask db upgrade` (see conftest's template).
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_migration_brings_the_26_ppks_and_no_users(app):
    codes = db.session.scalars(select(PpksCategory.code).order_by(PpksCategory.code)).all()
    assert codes == [f"{i:02d}" for i in range(1, 27)]
    assert db.session.scalars(select(User)).all() == []


def test_upgrade_command_on_an_empty_sqlite_database(tmp_path):
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(PpksCategory).where(PpksCategory.code == "21")).name == (
            "Korban Bencana Alam"
        )
        db.engine.dispose()


def test_seed_demo_creates_the_demo_office_once(runner):
    result = runner.invoke(args=["seed-demo", "--cases", "25"])
    assert result.exit_code == 0, result.output
    users = db.session.scalars(select(User.username).order_by(User.username)).all()
    assert {"pekerja", "pekerja2", "manajer", "admin"} <= set(users)
    again = runner.invoke(args=["seed-demo"])
    assert "already present" in again.output


def test_upgrade_an_sqlite_database_that_already_has_data(tmp_path):
    """Later migrations rebuild tables that other rows point to (SQLite batch mode)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO office (id, code, name, government_line, city, address, "
                              "phone, email, website, timezone, created_at, version_id) VALUES "
                              "(1, 'mks', 'Dinas Sosial', '', '', '', '', '', '', 'Asia/Makassar', "
                              "'2026-01-01', 1)"))  # fmt: skip
            conn.execute(text("INSERT INTO user (id, office_id, username, full_name, email, role, "
                              "position, nip, password_hash, active, locale, created_at, "
                              "failed_logins, session_token) VALUES (1, 1, 'a', 'A', '', 'worker', "
                              "'', '', 'x', 1, 'id', '2026-01-01', 0, 1)"))  # fmt: skip
        upgrade()
        office = db.session.execute(text("SELECT signing_mode, paper_size FROM office")).one()
        assert tuple(office) == ("head", "F4")
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_analyze_db_command(runner):
    result = runner.invoke(args=["analyze-db"])
    assert result.exit_code == 0 and "statistics refreshed" in result.output

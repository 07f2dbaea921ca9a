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

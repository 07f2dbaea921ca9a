from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC timestamps everywhere in the database (same on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)

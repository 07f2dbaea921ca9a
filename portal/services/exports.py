"""Exporting a report (CSV, Excel, PDF): the file, and its entry in the audit log."""

from __future__ import annotations

from datetime import date

from ..models import Office, User
from . import audit, reports

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export(report, fmt: str, office: Office, user: User, today: date, ip: str = "") -> bytes:
    """The report as a file of format `fmt` (one of MIMETYPES), logged as exported by `user`."""
    if fmt == "csv":
        data = reports.to_csv(report, office.name)
    elif fmt == "xlsx":
        data = reports.to_xlsx(report, office.name)
    else:
        data = reports.to_pdf(report, office, user, today)
    audit.record(
        "report.export",
        user=user,
        ip=ip,
        object_type="report",
        details={
            "format": fmt,
            "start": report.period.start.isoformat(),
            "end": report.period.end.isoformat(),
            "district": report.district,
        },
    )
    return data

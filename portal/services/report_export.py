"""A period report (services.reports) as tables, and those tables as CSV, XLSX and PDF."""

from __future__ import annotations

import csv
import io
from datetime import date

from ..models import Office, User
from ..models.referrals import REFERRAL_KINDS
from . import audit, labels
from .i18n import lazy as _l
from .reports import CLOSED_REASONS, Report, Row, reason_label


def table_header() -> list[str]:
    return [
        str(_l("Kategori / jenis kasus")),
        str(_l("Baru")),
        str(_l("Aktif akhir periode")),
        *(
            f"{_l('Rujukan yang disetujui')}: {labels.REFERRAL_KINDS_SHORT[k]}"
            for k in REFERRAL_KINDS
        ),
        str(_l("Rujukan yang diserahterimakan")),
        str(_l("Ditutup")),
        *(f"{_l('Ditutup')}: {reason_label(r)}" for r in CLOSED_REASONS),
    ]


def table_row(row: Row) -> list:
    return [
        row.label,
        row.new,
        row.active,
        *(row.referred[k] for k in REFERRAL_KINDS),
        row.handed_over,
        row.closed_total,
        *(row.closed[r] for r in CLOSED_REASONS),
    ]


def sections(report: Report) -> list[tuple[str, list[str], list[list]]]:
    """The report's tables: (title, header, rows with the totals row last)."""
    category = [table_row(r) for r in report.rows] + [table_row(report.total)]
    returned = [[name, code, n] for code, name, n in report.returned_home]
    returned.append([str(_l("Jumlah")), "", report.returned_total])
    disasters = [
        [str(labels.DISASTER_TYPES[k]), n, report.disaster_kk.get(k, 0),
         report.disaster_people.get(k, 0)]
        for k, n in report.disasters.items()
        if n
    ]  # fmt: skip
    disasters.append(
        [str(_l("Jumlah")), report.disaster_total, report.disaster_kk_total,
         report.disaster_people_total]
    )  # fmt: skip
    aid = [
        [str(labels.AID_KINDS[k]), n, report.aid_goods.get(k, ""), amount or None]
        for k, n, amount in report.aid
    ]
    aid.append([str(_l("Jumlah")), report.aid_count, "", report.aid_amount])
    return [
        (str(_l("Kasus per kategori PPKS dan jenis kasus lokal")), table_header(), category),
        (
            str(_l("Dipulangkan ke daerah asal (diserahterimakan), per provinsi tujuan")),
            [str(_l("Provinsi tujuan")), str(_l("Kode")), str(_l("Orang"))],
            returned,
        ),
        (
            str(_l("Korban bencana per jenis bencana")),
            [str(_l("Jenis bencana")), str(_l("Kasus")), str(_l("KK")), str(_l("Jiwa"))],
            disasters,
        ),
        (
            str(_l("Bantuan per jenis")),
            [
                str(_l("Jenis bantuan")),
                str(_l("Jumlah pemberian")),
                str(_l("Barang")),
                str(_l("Nilai (Rp)")),
            ],  # fmt: skip
            aid,
        ),
    ]


def title(report: Report, office_name: str) -> str:
    """The exports' title, in the reader's language (each part a whole msgid: a word inside an
    f-string is never extracted, and "Rekap kasus" stayed Indonesian in English)."""
    if report.handled_by:  # a social worker's report counts only her own cases
        whose = _l("Rekap kasus yang ditangani %(name)s, %(office)s", name=report.handled_by, office=office_name)  # fmt: skip
    else:
        whose = _l("Rekap kasus %(office)s", office=office_name)
    where = _l(", Kecamatan %(name)s", name=report.district_name) if report.district_name else ""
    return f"{whose}: {report.period.label}{where}"


def to_csv(report: Report, office_name: str) -> bytes:
    """UTF-8 with a byte-order mark (Excel opens it right); sections separated by a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title(report, office_name)])
    for name, header, rows in sections(report):
        writer.writerow([])
        writer.writerow([name])
        writer.writerow(header)
        writer.writerows(rows)
    writer.writerow([])
    for sentence in report.summary:
        writer.writerow([sentence])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(report: Report, office_name: str) -> bytes:
    """One sheet per table: header in row 1 (frozen, bold), totals in the last row (bold);
    a sheet "Ringkasan" with the period and the summary."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    summary_sheet = book.active
    summary_sheet.title = "Ringkasan"
    summary_sheet.append([title(report, office_name)])
    summary_sheet["A1"].font = Font(bold=True, size=13)
    summary_sheet.append(
        [str(_l("Periode")), f"{report.period.start:%Y-%m-%d}", f"{report.period.end:%Y-%m-%d}"]
    )
    summary_sheet.append([])
    for sentence in report.summary:
        summary_sheet.append([sentence])
    summary_sheet.column_dimensions["A"].width = 100
    sheet_names = ("Kategori", "Pemulangan", "Bencana", "Bantuan")
    for sheet_name, (_name, header, rows) in zip(sheet_names, sections(report), strict=True):
        sheet = book.create_sheet(sheet_name)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for values in rows:
            sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 40
        for index in range(2, len(header) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 14
        if sheet_name == "Bantuan":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
                cell.number_format = '"Rp"#,##0'
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WIDE_TABLE = 8  # a table with more columns than this is printed on a landscape page
LANDSCAPE = {"A4": "A4 landscape", "F4": "330mm 215mm"}


def pdf_sections(report: Report) -> list[tuple[str, list[str], list[list]]]:
    """sections() as printed: Rupiah written out ("Rp1.500.000"); the files keep plain numbers."""
    from lokal import format_rupiah

    printed = []
    for name, header, rows in sections(report):
        if header[-1] == str(_l("Nilai (Rp)")):
            header = [*header[:-1], str(_l("Nilai"))]
            # in-kind aid has no Rupiah value: "-", not "Rp0"
            rows = [[*row[:-1], format_rupiah(row[-1]) if row[-1] else "-"] for row in rows]
        printed.append((name, header, rows))
    return printed


def to_pdf(report: Report, office, user: User, today: date) -> bytes:
    """A recap on the office's kop (the letters' frame and print stylesheet); not numbered.
    Landscape when a table is too wide for a portrait page, so that no column is cut."""
    from .letters import _render

    printed = pdf_sections(report)
    wide = max(len(header) for _, header, _ in printed) > WIDE_TABLE
    context = {
        "letter": None,
        "report": report,
        "sections": printed,
        "doc_title": title(report, office.name),
        "printed_on": today,
        "printed_by": user,
    }
    if wide:
        context["page_size"] = LANDSCAPE.get(office.paper_size, LANDSCAPE["A4"])
    return _render("letters/rekap_laporan.html", context, office)


MIMETYPES = {
    "csv": "text/csv",  # Werkzeug adds "; charset=utf-8" to a text/ type itself
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export(report, fmt: str, office: Office, user: User, today: date, ip: str = "") -> bytes:
    """The report as a file of format `fmt` (one of MIMETYPES), logged as exported by `user`."""
    if fmt == "csv":
        data = to_csv(report, office.name)
    elif fmt == "xlsx":
        data = to_xlsx(report, office.name)
    else:
        data = to_pdf(report, office, user, today)
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

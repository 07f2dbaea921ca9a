"""Period reports: figures against fixtures counted by hand (category mapping, period edges, a
reopened case counted once, another office never counted), the exports (XLSX cells, CSV, PDF
text) and their audit entries, the period form, roles."""

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, LocalCaseType
from portal.services import regions
from portal.services import reports as service

from .conftest import AWKWARD_INSTANTS

# The hand-counted office works through the year Y and is looked at, with the clock stopped, at
# 00:30 WITA on 1 December (16:30 UTC on 30 November): closures are stamped "now", and every
# other date of the fixture is then in the past, but for one case reported on 31 December.
Y = 2026


@pytest.fixture
def rep(factory):
    with time_machine.travel(AWKWARD_INSTANTS["0030-wita"], tick=True):
        yield _rep(factory)


def _rep(factory):
    """Office A: ODGJ (local type), anak jalanan, lansia (closed, reopened, closed again),
    three disaster victims; office B: two cases that must never be counted."""
    office = factory.office(code="mks", name="Dinas Sosial Kota Makassar")
    other = factory.office(code="bpp", name="Dinas Sosial Kota Balikpapan", region_code="64.71")
    manager = factory.user(office, "manager", "manajer")
    worker = factory.user(office, "worker", "pekerja")
    worker2 = factory.user(office, "worker", "pekerja2")
    admin = factory.user(office, "admin", "admin")
    other_worker = factory.user(other, "worker", "bpp_pekerja")
    odgj = db.session.scalar(
        select(LocalCaseType).where(
            LocalCaseType.office_id == office.id, LocalCaseType.name == "ODGJ terlantar"
        )
    )
    c = {}
    c["odgj_in"] = factory.case(office, worker, local_type_id=odgj.id, ppks_code=odgj.ppks_code,
                                reported_at=datetime(Y, 1, 1, 0, 0))  # fmt: skip
    c["odgj_before"] = factory.case(office, worker, local_type_id=odgj.id,
                                    ppks_code=odgj.ppks_code,
                                    reported_at=datetime(Y - 1, 12, 31, 23, 59))  # fmt: skip
    c["anjal_end"] = factory.case(office, worker2, ppks_code="04",
                                  reported_at=datetime(Y, 12, 31, 23, 59))  # fmt: skip
    c["anjal_after"] = factory.case(office, worker2, ppks_code="04",
                                    reported_at=datetime(Y + 1, 1, 1, 0, 0))  # fmt: skip
    c["fire"] = factory.case(office, manager, ppks_code="21", disaster_type="fire",
                             event_date=date(Y, 3, 1), event_place="Pasar",
                             reported_at=datetime(Y, 3, 1, 9))  # fmt: skip
    for name in ("flood1", "flood2"):
        c[name] = factory.case(office, manager, ppks_code="21", disaster_type="flood",
                               reported_at=datetime(Y, 3, 2, 9))  # fmt: skip
    c["lansia"] = factory.case(office, worker, ppks_code="08", reported_at=datetime(Y, 2, 1, 9))
    # closed, reopened, closed again: one closed case, with its last reason
    lansia = c["lansia"]
    factory.closure(
        lansia,
        "reopened",
        by=manager,
        reason="returned_family",
        closed_on=date(Y, 2, 10),
        summary="Kembali ke keluarga.",
        reopen_reason="Keluarga menolak.",
    )
    factory.closure(
        lansia,
        "closed",
        by=manager,
        reason="placed",
        closed_on=date(Y, 2, 20),
        summary="Ditempatkan di panti.",
    )
    factory.referral(
        c["odgj_in"],
        "completed",
        "rsj",
        manager=manager,
        decided_at=datetime(Y, 5, 1, 9),
        handover=date(Y, 5, 3),
        archive=False,
    )
    factory.referral(
        c["odgj_before"],
        "completed",
        "return_home",
        manager=manager,
        decided_at=datetime(Y, 6, 1, 9),
        handover=date(Y, 6, 2),
        destination_regency_code="32.73",
        archive=False,
    )
    factory.referral(
        c["anjal_end"],
        "approved",
        "placement",
        manager=manager,
        decided_at=datetime(Y - 1, 12, 31, 9),
        archive=False,
    )  # not Y
    factory.aid(c["fire"], "food", by=manager, quantity=10, unit="paket", given_on=date(Y, 3, 1))
    factory.aid(c["fire"], "pocket_money", by=manager, amount=150000, given_on=date(Y, 3, 2))
    factory.aid(c["flood1"], "pocket_money", by=manager, amount=99000, given_on=date(Y - 1, 12, 31))
    # another office, same categories and year: never counted
    factory.case(other, other_worker, ppks_code="04", reported_at=datetime(Y, 6, 1, 9))
    factory.case(other, other_worker, ppks_code="21", disaster_type="fire",
                 reported_at=datetime(Y, 6, 1, 9))  # fmt: skip
    return {"office": office, "manager": manager, "worker": worker, "worker2": worker2,
            "admin": admin, "odgj": odgj, "cases": c, "other_worker": other_worker}  # fmt: skip


def rows_of(report):
    return {row.label: row for row in report.rows}


def test_yearly_report_counted_by_hand(rep):
    report = service.build(rep["manager"], service.Period.year(Y))
    rows = rows_of(report)
    odgj, anjal, bencana, lansia = (
        rows["ODGJ terlantar"], rows["04 Anak Jalanan"], rows["21 Korban Bencana Alam"],
        rows["08 Lanjut Usia Telantar"],
    )  # fmt: skip
    assert set(rows) == {"ODGJ terlantar", "04 Anak Jalanan", "21 Korban Bencana Alam",
                         "08 Lanjut Usia Telantar"}  # fmt: skip
    # the local type is its own row, not counted again under its PPKS code
    assert (odgj.new, odgj.active) == (1, 2)
    assert (anjal.new, anjal.active) == (1, 1)  # 31 Dec 23:59 in, 1 Jan next year out
    assert (bencana.new, bencana.active) == (3, 3)
    assert (lansia.new, lansia.active) == (1, 0)
    assert odgj.referred == {"rsj": 1, "return_home": 1, "placement": 0, "service": 0}
    assert odgj.handed_over == 2
    assert anjal.referred_total == 0  # approved last year
    # closed, reopened, closed again: counted once, with the reason of the last closure
    assert lansia.closed_total == 1 and lansia.closed["placed"] == 1
    assert lansia.closed["returned_family"] == 0
    assert report.total.new == 6 and report.total.active == 6 and report.total.closed_total == 1
    assert {kind: n for kind, n in report.disasters.items() if n} == {"fire": 1, "flood": 2}
    # no household recorded: each victim counts as one KK of one person
    assert (report.disaster_kk_total, report.disaster_people_total) == (3, 3)
    assert report.returned_home == [("32", regions.region_name("32"), 1)]
    assert report.aid == [("food", 1, 0), ("pocket_money", 1, 150000)]
    text = " ".join(report.summary)
    assert "ditangani 6 kasus baru: 3 korban bencana alam" in text
    assert "1 ODGJ terlantar" in text and "1 anak jalanan" in text
    assert f"3 korban bencana (3 KK, 3 jiwa) pada {Y}: 2 banjir dan 1 kebakaran permukiman." in text
    assert "1 orang dipulangkan ke daerah asal (diserahterimakan dalam periode ini)" in text


def test_period_edges_month_and_range(rep):
    january = service.build(rep["manager"], service.Period.month(Y, 1))
    assert january.total.new == 1  # 1 Jan 00:00; 31 Dec 23:59 of the year before is not
    assert rows_of(january)["ODGJ terlantar"].active == 2
    december = service.build(rep["manager"], service.Period.month(Y, 12))
    assert rows_of(december)["04 Anak Jalanan"].new == 1
    q1 = service.build(rep["manager"], service.Period.quarter(Y, 1))
    assert q1.total.new == 5 and q1.period.end == date(Y, 3, 31)
    assert q1.period.label == f"triwulan I {Y}"
    two_days = service.build(rep["manager"], service.Period(date(Y, 3, 1), date(Y, 3, 1)))
    assert two_days.disasters["fire"] == 1 and two_days.disasters["flood"] == 0


def test_a_kecamatan_narrows_the_report(rep, factory):
    report = service.build(rep["manager"], service.Period.year(Y), "73.71.02")
    assert report.total.new == 0
    assert service.build(rep["manager"], service.Period.year(Y), "73.71.01").total.new == 6


def test_a_worker_sees_only_their_own_figures_and_admin_none(rep, client, auth):
    mine = service.build(rep["worker"], service.Period.year(Y))
    assert {r.label: r.new for r in mine.rows} == {"ODGJ terlantar": 1,
                                                   "08 Lanjut Usia Telantar": 1}  # fmt: skip
    assert mine.disaster_total == 0 and mine.aid == []
    assert service.build(rep["admin"], service.Period.year(Y)).rows == []
    auth.login("pekerja")
    page = client.get(f"/reports?period=year&year={Y}")
    assert page.status_code == 200
    assert "Anak Jalanan" not in page.get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    assert client.get("/reports").status_code == 403
    assert client.get(f"/reports/export.xlsx?period=year&year={Y}").status_code == 403
    auth.logout()
    assert client.get("/reports").status_code == 302  # to the login page


def test_report_page_and_its_links(rep, client, auth):
    auth.login("manajer")
    page = client.get(f"/reports?period=year&year={Y}").get_data(as_text=True)
    assert "Rekap" in page and "ODGJ terlantar" in page
    assert f"3 korban bencana (3 KK, 3 jiwa) pada {Y}: 2 banjir dan 1 kebakaran permukiman." in page
    # the disaster link opens the case list behind the number
    listed = client.get(f"/cases?disaster=flood&date_from={Y}-01-01&date_to={Y}-12-31")
    assert "2 kasus" in listed.get_data(as_text=True)
    closed = client.get(
        f"/cases?status=closed&reason=placed&closed_from={Y}-01-01&closed_to={Y}-12-31"
    )
    assert "1 kasus" in closed.get_data(as_text=True)
    active = client.get(f"/cases?active_on={Y}-12-31&category=L:{rep['odgj'].id}")
    assert "2 kasus" in active.get_data(as_text=True)
    handed = client.get(f"/cases?referral=handover&ref_from={Y}-01-01&ref_to={Y}-12-31")
    assert "2 kasus" in handed.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "period=month&year=abc&month=1",
        "period=month&year=1800&month=1",
        "period=month&year=2025&month=13",
        "period=range&date_from=2025-02-01&date_to=2025-01-01",
        "period=range&date_from=2025-02-01",
        "period=range&date_from=zzz&date_to=2025-01-01",
        "period=decade&year=2025",
        "period=year&year=2025&district=99.99.99",
    ],
)
def test_invalid_periods_answer_422_with_messages(rep, client, auth, query):
    auth.login("manajer")
    response = client.get(f"/reports?{query}")
    assert response.status_code == 422
    assert 'class="errors"' in response.get_data(as_text=True)
    assert client.get(f"/reports/export.csv?{query}").status_code == 422


def test_xlsx_export_cells_and_audit(rep, client, auth):
    auth.login("manajer")
    response = client.get(f"/reports/export.xlsx?period=year&year={Y}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Ringkasan", "Kategori", "Pemulangan", "Bencana", "Bantuan"]
    sheet = book["Kategori"]
    assert sheet.freeze_panes == "B2"
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Kategori / jenis kasus", "Baru", "Aktif akhir periode"]
    assert sheet["A1"].font.bold
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["ODGJ terlantar"][1:3] == (1, 2)
    assert rows["ODGJ terlantar"][header.index("Rujukan yang disetujui: RSJ")] == 1
    assert (
        rows["08 Lanjut Usia Telantar"][header.index("Ditutup: Ditempatkan di panti / UPTD")] == 1
    )
    total = list(sheet.iter_rows(min_row=sheet.max_row, values_only=True))[0]
    assert total[0] == "Jumlah" and total[1] == 6 and total[2] == 6
    assert sheet.cell(sheet.max_row, 1).font.bold
    disasters = {r[0]: r[1:] for r in book["Bencana"].iter_rows(min_row=2, values_only=True)}
    assert disasters == {"Banjir": (2, 2, 2), "Kebakaran permukiman": (1, 1, 1),
                         "Jumlah": (3, 3, 3)}  # cases, KK, jiwa  # fmt: skip
    aid = list(book["Bantuan"].iter_rows(min_row=2, values_only=True))
    assert aid[0] == ("Pangan", 1, "10 paket", None)  # in kind: what, and no Rupiah value
    assert aid[-1] == ("Jumlah", 2, None, 150000)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "report.export"))
    assert entry.user_id == rep["manager"].id and entry.details["format"] == "xlsx"
    assert entry.details["start"] == f"{Y}-01-01" and entry.details["end"] == f"{Y}-12-31"


def test_csv_export(rep, client, auth):
    auth.login("manajer")
    response = client.get(f"/reports/export.csv?period=year&year={Y}&district=73.71.01")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once (QA)
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0].startswith("Rekap kasus Dinas Sosial Kota Makassar")
    by_label = {r[0]: r for r in rows if r}
    assert by_label["ODGJ terlantar"][1:3] == ["1", "2"]
    assert by_label["Banjir"] == ["Banjir", "2", "2", "2"]  # cases, KK, jiwa
    actions = db.session.scalars(select(AuditLog.details).where(AuditLog.action == "report.export"))
    assert [d["district"] for d in actions] == ["73.71.01"]


def test_pdf_recap_on_the_office_kop(rep, client, auth):
    auth.login("manajer")
    response = client.get(f"/reports/export.pdf?period=quarter&year={Y}&quarter=1")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "PEMERINTAH KOTA UJI" in text and "DINAS SOSIAL" in text
    assert "REKAPITULASI PENANGANAN KASUS" in text
    assert f"triwulan I {Y}" in text and "ODGJ terlantar" in text
    assert (
        db.session.scalar(select(AuditLog.details).where(AuditLog.action == "report.export"))[
            "format"
        ]
        == "pdf"
    )


def test_overdue_filter_behind_the_dashboard(rep, factory, client, auth):
    case = rep["cases"]["odgj_in"]
    factory.followup(case, overdue=True, by=rep["manager"])  # the worker's, due a month ago
    auth.login("manajer")
    listed = client.get(f"/cases?overdue=1&worker={rep['worker'].id}").get_data(as_text=True)
    assert "1 kasus" in listed


def test_a_disaster_victim_needs_the_disaster_type_and_event(rep, client, auth):
    from .test_cases import edit_case_form

    case = rep["cases"]["anjal_end"]
    auth.login("pekerja2")
    form = edit_case_form(case, category="P:21", reported_at=f"{Y}-01-05T10:00")
    response = client.post(f"/cases/{case.id}/edit", data=form)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Pilih jenis bencana untuk korban bencana." in body
    assert "Isi tanggal kejadian bencana." in body and "Isi tempat kejadian bencana." in body
    form.update(disaster_type="whirlwind", event_date=f"{Y}-01-04", event_place="Tallo")
    assert client.post(f"/cases/{case.id}/edit", data=form).status_code == 302
    db.session.refresh(case)
    assert (case.disaster_type, case.event_date, case.event_place) == (
        "whirlwind", date(Y, 1, 4), "Tallo",
    )  # fmt: skip
    form.update(disaster_type="nonsense", version=str(case.version_id))
    assert client.post(f"/cases/{case.id}/edit", data=form).status_code == 422
    # another category keeps no disaster fields (never counted as a disaster victim)
    form.update(category="P:04", disaster_type="fire")
    assert client.post(f"/cases/{case.id}/edit", data=form).status_code == 302
    db.session.refresh(case)
    assert case.disaster_type is None and case.event_place == ""


def test_the_event_date_alone_missing_is_refused(rep, client, auth):
    from .test_cases import edit_case_form

    case = rep["cases"]["anjal_end"]
    auth.login("pekerja2")
    form = edit_case_form(case, category="P:21", reported_at=f"{Y}-01-05T10:00",
                          disaster_type="fire", event_place="Tallo")  # fmt: skip
    response = client.post(f"/cases/{case.id}/edit", data=form)
    assert response.status_code == 422
    assert "Isi tanggal kejadian bencana." in response.get_data(as_text=True)


@pytest.mark.office_clock
def test_reports_open_on_this_month_at_the_office(world, client, auth):
    from babel.dates import format_date

    from .conftest import office_today

    auth.login("manajer")
    page = client.get("/reports").get_data(as_text=True)
    assert format_date(office_today(), "MMMM yyyy", locale="id") in page
    assert '<option selected value="month">' in page


def test_in_kind_aid_has_no_rupiah_value_on_the_page(rep, client, auth):
    auth.login("manajer")
    page = client.get(f"/reports?period=year&year={Y}").get_data(as_text=True)
    row = page.split("Pangan")[1].split("</tr>")[0]
    assert ">-<" in row and "Rp0" not in row and "<td>10 paket</td>" in row


def test_approved_and_handed_over_say_what_each_counts(rep, client, auth):
    """QA: "Dirujuk: Pemulangan 2" beside "1 orang dipulangkan" read as a contradiction: one
    counts referrals approved in the period, the other people handed over in it."""
    auth.login("manajer")
    query = f"period=year&year={Y}"
    page = client.get(f"/reports?{query}").get_data(as_text=True)
    note = "Rujukan disetujui dihitung pada tanggal persetujuannya; rujukan diserahterimakan"
    pdf = client.get(f"/reports/export.pdf?{query}").data
    for text in (page, _pdf_text(pdf)):
        flat = (
            " ".join(text.split()).replace("&shy;", "").replace("\u00ad", "").replace("\u2010 ", "")
        )
        assert "Rujukan yang disetujui" in flat and "Rujukan yang diserahterimakan" in flat
        assert "Dipulangkan ke daerah asal (diserahterimakan), per provinsi tujuan" in flat
        assert "1 orang dipulangkan ke daerah asal (diserahterimakan dalam periode ini)" in flat
        assert "rujukan disetujui dan 2 rujukan diserahterimakan" in flat and note in flat
        assert ">Dirujuk</th>" not in text and "Dirujuk:" not in flat
    rows = list(
        csv.reader(io.StringIO(client.get(f"/reports/export.csv?{query}").data.decode("utf-8-sig")))
    )
    cells = [cell for row in rows for cell in row]
    assert (
        "Rujukan yang disetujui: Pemulangan" in cells and "Rujukan yang diserahterimakan" in cells
    )
    assert any(cell.startswith(note) for cell in cells)
    assert not any(cell.startswith("Dirujuk") for cell in cells)
    client.post("/account/language", data={"lang": "en"})
    english = client.get(f"/reports?{query}").get_data(as_text=True)
    assert "Referrals approved" in english and "handed over in this period" in english


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_a_workers_report_says_whose_cases_it_counts(rep, client, auth):
    """QA: a social worker's report (her own cases only) was titled like the office's."""
    name = rep["worker"].full_name
    auth.login("pekerja")
    query = f"period=year&year={Y}"
    page = client.get(f"/reports?{query}").get_data(as_text=True)
    assert f"kasus yang ditangani {name}" in page
    rows = list(
        csv.reader(io.StringIO(client.get(f"/reports/export.csv?{query}").data.decode("utf-8-sig")))
    )
    assert rows[0][0] == f"Rekap kasus yang ditangani {name}, Dinas Sosial Kota Makassar: {Y}"
    book = load_workbook(io.BytesIO(client.get(f"/reports/export.xlsx?{query}").data))
    assert book["Ringkasan"]["A1"].value == rows[0][0]
    text = " ".join(_pdf_text(client.get(f"/reports/export.pdf?{query}").data).split())
    assert "REKAPITULASI PENANGANAN KASUS" in text and f"Kasus yang ditangani {name}" in text
    auth.logout()
    auth.login("manajer")
    assert "kasus yang ditangani" not in client.get(f"/reports?{query}").get_data(as_text=True)
    first = client.get(f"/reports/export.csv?{query}").data.decode("utf-8-sig").splitlines()[0]
    assert first.startswith("Rekap kasus Dinas Sosial Kota Makassar")


def test_the_referral_counting_note_is_there_without_referrals(rep, client, auth):
    """QA: the note on "Rujukan yang disetujui" vs "diserahterimakan" came only with referrals,
    though the columns and the sentence are always shown."""
    auth.login("manajer")
    query = f"period=month&year={Y}&month=2"
    assert service.build(rep["manager"], service.Period.month(Y, 2)).total.referred_total == 0
    page = client.get(f"/reports?{query}").get_data(as_text=True)
    pdf = " ".join(_pdf_text(client.get(f"/reports/export.pdf?{query}").data).split())
    for text in (" ".join(page.split()), pdf):
        assert "Rujukan yang disetujui" in text or "Rujukan disetujui" in text
        assert "dihitung pada tanggal persetujuannya" in text

"""The dashboard: figures counted by hand, every number a link to the case list behind it,
SVG charts with a title and a data table, roles (a worker's own cases; admin none)."""

import re
from html import unescape

from portal.extensions import db
from portal.services import dashboard as service

from .conftest import office_today
from .test_reports import Y, rep  # noqa: F401  (the hand-counted fixture)


def figures(items):
    return {f.label: f.value for f in items}


def test_manager_figures_counted_by_hand(rep):  # noqa: F811
    board = service.build(rep["manager"], office_today())
    # open now: ODGJ 2, anak jalanan 2 (also the one reported next year), disaster victims 3;
    # the lansia case was closed, reopened and closed again; the other office never counts
    assert figures(board.open_by_category) == {"ODGJ terlantar": 2, "04 Anak Jalanan": 2,
                                               "21 Korban Bencana Alam": 3}  # fmt: skip
    assert board.open_total.value == 7
    assert figures(board.closed_by_reason) == {"Ditempatkan di panti / UPTD": 1}
    caseload = figures(board.caseload)
    assert caseload[rep["worker"].full_name] == 2 and caseload[rep["worker2"].full_name] == 2
    assert caseload["Belum ditugaskan"] == 3  # the manager's registrations
    assert len(board.months) == 12 and board.months[-1].start == office_today().replace(day=1)
    assert sum(m.closed for m in board.months) == 1


def test_worker_sees_only_their_own_cases(rep):  # noqa: F811
    board = service.build(rep["worker"], office_today())
    assert figures(board.open_by_category) == {"ODGJ terlantar": 2}
    assert figures(board.caseload) == {rep["worker"].full_name: 2}
    assert figures(board.closed_by_reason) == {"Ditempatkan di panti / UPTD": 1}
    other = service.build(rep["other_worker"], office_today())
    assert figures(other.open_by_category) == {"04 Anak Jalanan": 1, "21 Korban Bencana Alam": 1}


def test_every_number_links_to_the_case_list_behind_it(rep, factory, client, auth):  # noqa: F811
    case = rep["cases"]["odgj_in"]
    factory.followup(case, overdue=True, by=rep["manager"])  # the worker's, due a month ago
    auth.login("manajer")
    page = client.get("/dashboard").get_data(as_text=True)
    links = re.findall(r'<a href="(/cases\?[^"]+)"[^>]*>\s*(\d+)\s*</a>', page)
    assert len(links) >= 10
    for href, number in links:
        listed = client.get(unescape(href)).get_data(as_text=True)
        count = re.search(r'<p class="count" role="status">\s*(.*?)\s*</p>', listed, re.S)[1]
        expected = "Tidak ada kasus yang cocok." if number == "0" else f"{number} kasus"
        assert count == expected, href


def test_charts_are_inline_svg_with_title_and_table(rep, client, auth):  # noqa: F811
    auth.login("manajer")
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<svg aria-labelledby="chart-category-title"' in page  # links inside: not an image
    assert 'role="img"' not in page
    assert re.search(r'<a href="/cases\?[^"]*" aria-label="[^"]+: \d+">', page)
    assert '<title id="chart-category-title">Kasus terbuka per kategori</title>' in page
    assert '<title id="chart-months-title">' in page
    assert page.count('<details class="chart-table">') == 2
    assert "<script" not in page.split("</head>")[1]  # no chart library, no inline script


def test_the_manager_lands_on_the_dashboard_and_keeps_the_home_cards(rep, client, auth):  # noqa: F811
    auth.login("manajer")
    home = client.get("/").get_data(as_text=True)
    assert "Dasbor" in home and "chart-category-title" in home
    assert "menunggu keputusan" in home  # approvals waiting, as before
    assert 'href="/dashboard"' in home and 'href="/reports"' in home  # the nav
    auth.logout()
    auth.login("pekerja")
    mine = client.get("/dashboard").get_data(as_text=True)
    assert "Keputusan atas rujukan Anda" in mine and "kasus saya" in mine
    assert "Anak Jalanan" not in mine


def test_admin_sees_no_dashboard(rep, client, auth):  # noqa: F811
    auth.login("admin")
    assert client.get("/dashboard").status_code == 403
    assert client.get("/").status_code == 302
    assert service.build(rep["admin"], office_today()).open_total.value == 0


def test_a_workers_caseload_counts_what_they_registered_for_others_once(rep, factory):  # noqa: F811
    """A social worker's caseload is counted over the cases assigned to them plus those they
    registered for a colleague or for no one: each case once, by its assignee."""
    worker, worker2 = rep["worker"], rep["worker2"]
    for_colleague = factory.case(rep["office"], worker, ppks_code="04")
    unassigned = factory.case(rep["office"], worker, ppks_code="04")
    for_colleague.assigned_to_id = worker2.id
    unassigned.assigned_to_id = None
    db.session.commit()
    board = service.build(worker, office_today())
    assert figures(board.caseload) == {
        worker.full_name: 2,
        worker2.full_name: 1,
        "Belum ditugaskan": 1,
    }
    assert board.open_total.value == sum(figures(board.caseload).values())


def test_a_managers_open_cases_are_the_same_from_the_tallies_and_from_the_cases(rep):  # noqa: F811
    office = rep["manager"].office
    tallied = service.build(rep["manager"], office_today())
    office.tallied_at = None  # an office whose tallies were never built counts its cases
    counted = service.build(rep["manager"], office_today())
    assert figures(tallied.open_by_category) == figures(counted.open_by_category)
    assert tallied.open_total.value == counted.open_total.value == 7
    assert figures(tallied.caseload) == figures(counted.caseload)

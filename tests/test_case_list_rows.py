"""The case list reads its 25 rows as plain columns (services.case_page.CaseRow) and keeps the
PPKS categories and regions per process: each row says what the case file says, and what an
office adds (a social worker, a local case type) is offered in the filters at once."""

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import LocalCaseType, PersonRegistry


def _row(page: str, case_id: int) -> str:
    """The list's table row that links to this case."""
    rows = re.findall(r"<tr class=.*?</tr>", page, re.S)
    found = [row for row in rows if f'href="/cases/{case_id}"' in row]
    assert len(found) == 1, f"one row for case {case_id}"
    return found[0]


def test_list_rows_say_what_the_case_says(world, factory, client, auth):
    office = world["office"]
    odgj = db.session.scalar(  # one of the local case types every new office gets
        select(LocalCaseType).where(
            LocalCaseType.office_id == office.id, LocalCaseType.name == "ODGJ terlantar"
        )
    )
    unknown = factory.case(
        office,
        world["worker"],
        identity_known=False,
        full_name="",
        physical_description="Kaos biru",
        found_place="Pasar",
        local_type_id=odgj.id,
    )
    unknown.assigned_to_id = None
    db.session.add(
        PersonRegistry(person_id=unknown.person_id, office_id=office.id, dtsen_status="proposed")
    )
    db.session.commit()
    named = world["case2"]

    auth.login("manajer")
    page = client.get("/cases").get_data(as_text=True)

    row = _row(page, unknown.id)
    assert f"Tanpa identitas ({unknown.number})" in row
    assert unknown.person.display_name in row
    assert "ODGJ terlantar" in row and unknown.category_label == "ODGJ terlantar"
    assert "Belum ditugaskan" in row
    assert "Diusulkan masuk DTSEN" in row  # the registry badge
    row = _row(page, named.id)
    assert "Sitti Rahmah" in row and named.category_label in row
    assert named.category_label.startswith("11 ")  # the PPKS code and its name
    assert world["worker2"].full_name in row
    assert "badge registry" not in row  # never checked: no badge in the list
    assert "Belum ditugaskan" not in row


def test_a_new_worker_and_case_type_are_offered_at_once(world, factory, client, auth):
    auth.login("manajer")
    first = client.get("/cases").get_data(as_text=True)
    assert "Petugas Baru Sekali" not in first and "Korban banjir bandang" not in first
    factory.user(world["office"], "worker", "pekerja_baru", full_name="Petugas Baru Sekali")
    db.session.add(
        LocalCaseType(office_id=world["office"].id, name="Korban banjir bandang", ppks_code="21")
    )
    db.session.commit()
    page = client.get("/cases").get_data(as_text=True)
    assert re.search(r'<option value="\d+">Petugas Baru Sekali</option>', page)
    assert "Korban banjir bandang (PPKS 21)" in page
    # the kecamatan of the office's city and the PPKS categories, as the first page had them
    assert page.count("<option") == first.count("<option") + 2


def test_links_follow_the_script_root_the_page_is_served_under(world, client, auth):
    """The nav's and the rows' links are built once per process (template_helpers.page_url,
    id_url): for each script root, so a portal served under /simpul links under /simpul, and
    the same process serving at / links at /."""
    case = world["case2"]
    auth.login("manajer")
    under = client.get("/cases", base_url="http://localhost/simpul").get_data(as_text=True)
    at_root = client.get("/cases").get_data(as_text=True)
    again = client.get("/cases", base_url="http://localhost/simpul").get_data(as_text=True)

    assert f'<a href="/simpul/cases/{case.id}">{case.number}</a>' in under
    assert '<a href="/simpul/cases" aria-current="page">Kasus</a>' in under
    assert 'href="/simpul/tasks"' in under and 'href="/tasks"' not in under
    assert f'<a href="/cases/{case.id}">{case.number}</a>' in at_root
    assert '<a href="/cases" aria-current="page">Kasus</a>' in at_root
    assert "/simpul/" not in at_root
    assert again == under.replace(_csrf(under), _csrf(again))
    assert client.get(f"/cases/{case.id}").status_code == 200  # where the row's link goes


def _csrf(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]*)"', page).group(1)

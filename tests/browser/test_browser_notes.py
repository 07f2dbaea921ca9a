"""Notes on the case file, added inline with htmx: the timeline updates without a reload, and an
empty note answers with the error beside the field."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMPTY_NOTE = "Tulis catatannya dulu."


@pytest.fixture
def case_page(ui, live_server):
    """The worker, logged in, on the case file of one of their cases."""
    case = live_server.add_case(full_name="Andi Baso")
    ui.login("pekerja")
    ui.page.goto(ui.url(f"/cases/{case['id']}"))
    expect(ui.page.get_by_role("heading", level=1)).to_contain_text(case["number"])
    ui.mark_document()
    return ui.page


def add_note(page, text: str) -> None:
    page.locator("#body").fill(text)
    page.get_by_role("button", name="Tambah catatan").click()


def test_note_appears_on_the_timeline_without_reload(ui, case_page):
    page = case_page
    text = "Kunjungan rumah: keluarga bersedia mendampingi ke puskesmas."
    add_note(page, text)
    timeline = page.locator("#timeline-card .timeline")
    expect(timeline.locator(".event-note").first).to_contain_text(text)
    expect(timeline.locator(".event-note").first).to_contain_text("Rina Pekerja")
    expect(page.locator("#body")).to_have_value("")
    assert ui.same_document(), "adding a note reloaded the page instead of swapping the timeline"

    second = "Telepon ke kelurahan, menunggu surat keterangan."
    add_note(page, second)
    expect(timeline.locator(".event-note")).to_have_count(2)
    expect(timeline.locator(".event-note").first).to_contain_text(second)  # newest first
    assert ui.same_document()


def test_empty_note_shows_the_error_beside_the_field(ui, case_page):
    page = case_page
    body = page.locator("#body")

    # The browser itself refuses an empty required field; no request is sent.
    requests = []
    page.on("request", lambda r: requests.append(r) if r.method == "POST" else None)
    page.get_by_role("button", name="Tambah catatan").click()
    assert body.evaluate("el => el.validity.valueMissing")
    page.wait_for_timeout(300)
    assert not requests, "an empty required note was sent to the server"

    # Without browser validation, the server answers 422 with the message beside the field.
    body.evaluate("el => el.removeAttribute('required')")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Tambah catatan").click()
    assert answer.value.status == 422
    errors = page.locator("#note-form #body-errors")
    expect(errors).to_have_text(EMPTY_NOTE)
    expect(page.locator("#body")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#timeline-card .event-note")).to_have_count(0)
    expect(page.locator("#note-form")).to_have_count(1)
    assert ui.same_document()
    ui.screenshot("case-note-error")

    # The swapped-in form still works.
    add_note(page, "Catatan setelah kesalahan.")
    expect(page.locator("#timeline-card .event-note")).to_have_count(1)
    expect(page.locator("#note-form #body-errors")).to_have_count(0)
    assert ui.same_document()


def test_whitespace_only_note_is_refused(ui, case_page):
    """Spaces pass the browser's `required` check; the server must still refuse the note."""
    page = case_page
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        add_note(page, "   \n  ")
    assert answer.value.status == 422, (
        f"a note of only spaces was answered {answer.value.status}, not 422: it was saved as an "
        "empty note on the timeline"
    )
    expect(page.locator("#note-form #body-errors")).to_have_text(EMPTY_NOTE)
    expect(page.locator("#timeline-card .event-note")).to_have_count(0)

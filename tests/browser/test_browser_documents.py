"""The case file's documents through a real browser: an upload through htmx moves the progress
bar and swaps the list in place; a refused file answers beside the field with the rest kept."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def case_page(ui, live_server):
    case = live_server.add_case(full_name="Andi Baso")
    ui.login("pekerja")
    ui.page.goto(ui.url(f"/cases/{case['id']}"))
    ui.mark_document()
    ui.page.locator("#dokumen summary").click()
    return ui.page


def test_an_upload_shows_progress_and_lands_in_the_list(ui, case_page):
    page = case_page
    page.evaluate(
        """() => { window.progressSeen = [];
        document.addEventListener('htmx:xhr:progress', () => window.progressSeen.push(
          document.querySelector('progress.upload-progress').value)); }"""
    )
    page.locator("#doc_type").select_option("ktp")
    page.locator("#note").fill("KTP asli dilihat di kantor")
    page.locator("#file").set_input_files(
        {"name": "ktp.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#dokumen .documents")).to_contain_text("KTP asli dilihat di kantor")
    expect(page.locator("#dokumen img.thumb")).to_have_count(1)
    assert page.evaluate("window.progressSeen.length") >= 1, "no upload progress event"
    assert ui.same_document(), "the upload reloaded the page instead of swapping the section"
    ui.screenshot("documents-uploaded")


def test_a_refused_file_keeps_the_form(ui, case_page):
    page = case_page
    page.locator("#doc_type").select_option("polisi")
    page.locator("#note").fill("Dari Polsek Tallo")
    page.locator("#file").set_input_files(
        {"name": "surat.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\0" * 64}
    )
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator("#file-errors")).to_contain_text("Jenis berkas tidak diterima")
    expect(page.locator("#note")).to_have_value("Dari Polsek Tallo")
    expect(page.locator("#doc_type")).to_have_value("polisi")
    assert ui.same_document()

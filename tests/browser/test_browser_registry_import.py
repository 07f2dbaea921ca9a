"""The SIKS-NG preview in a real browser (QA): with only a row whose name differs, the apply
button says "0" and is disabled; ticking the row counts it and enables the button, unticking
disables it again; applying the ticked row records it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NIK = "7371011405790003"


def test_ticking_a_row_whose_name_differs_counts_it_on_the_apply_button(ui, live_server, tmp_path):
    live_server.add_case(full_name="Daeng Ngai", nik=NIK)
    upload = tmp_path / "cek.csv"
    upload.write_text(f"NIK;NAMA;STATUS DTSEN\n{NIK};SUPARMAN WIJAYA;TERDAFTAR\n")
    page = ui.page
    ui.login("manajer")
    page.goto(live_server.url + "/registry/import")
    page.set_input_files("input[type=file]", str(upload))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    button = page.locator("button[data-apply-base]")
    expect(button).to_have_text("Terapkan ke 0 orang")
    expect(button).to_be_disabled()
    page.check("input[name=confirm]")
    expect(button).to_have_text("Terapkan ke 1 orang")
    expect(button).to_be_enabled()
    ui.screenshot("siks-ng-preview-ticked")
    page.uncheck("input[name=confirm]")
    expect(button).to_be_disabled()
    page.check("input[name=confirm]")
    button.click()
    expect(page.locator(".flash-success")).to_contain_text("Status 1 orang diperbarui")
    assert ui.problems() == []

"""NIK rules (DOMAIN.md) and the spelling-tolerant name keys."""

from datetime import date

import pytest

from portal.services.identity import check_kk, check_nik, mask_nik, normalize_phone
from portal.services.names import name_key, similarity

TODAY = date(2026, 11, 23)


def known_region(code):
    return {"73.71": "Kota Makassar", "73.71.01": "Mariso", "73": "Sulawesi Selatan"}.get(code)


def test_valid_nik_gives_birth_date_and_sex():
    result = check_nik("7371011405790003", lookup_region=known_region, today=TODAY)
    assert result.valid and not result.warnings
    assert result.birth_date == date(1979, 5, 14)
    assert result.sex == "L"


def test_women_have_forty_added_to_the_day():
    result = check_nik("7371015405790003", lookup_region=known_region, today=TODAY)
    assert result.valid
    assert result.birth_date == date(1979, 5, 14)
    assert result.sex == "P"


@pytest.mark.parametrize(
    "nik",
    ["7371013102790003", "7371017102790003", "7371010013790003", "7371010000790003"],
)
def test_impossible_birth_dates_are_errors(nik):
    result = check_nik(nik, lookup_region=known_region, today=TODAY)
    assert not result.valid
    assert any("tidak mungkin" in e or "tidak valid" in e for e in result.errors)


@pytest.mark.parametrize("nik", ["737101140579000", "73710114057900031", "73710114O5790003", ""])
def test_wrong_length_or_letters(nik):
    result = check_nik(nik, lookup_region=known_region, today=TODAY)
    assert not result.valid
    assert "16 digit" in " ".join(result.errors)


def test_separators_are_accepted():
    assert check_nik("7371.0114.0579.0003", lookup_region=known_region, today=TODAY).valid
    assert check_nik("7371 0114 0579 0003", lookup_region=known_region, today=TODAY).valid


def test_serial_0000_is_an_error():
    assert not check_nik("7371011405790000", lookup_region=known_region, today=TODAY).valid


def test_unknown_region_is_a_warning_not_an_error():
    result = check_nik("7399991405790003", lookup_region=known_region, today=TODAY)
    assert result.valid
    assert result.warnings and "pemekaran" in result.warnings[0]


def test_unknown_province_is_an_error():
    assert not check_nik("9911011405790003", lookup_region=known_region, today=TODAY).valid


def test_sex_and_birth_date_are_checked_against_the_form():
    mismatch = check_nik("7371011405790003", lookup_region=known_region, sex="P", today=TODAY)
    # a warning the worker confirms, not an error: the NIK is the person's, the form may be wrong
    assert mismatch.valid and "Jenis kelamin" in mismatch.mismatches[0]
    other_day = check_nik(
        "7371011405790003", lookup_region=known_region, birth_date=date(1979, 5, 15), today=TODAY
    )
    assert other_day.valid and "Tanggal lahir" in other_day.mismatches[0]


def test_a_birth_date_in_the_future_stays_an_error():
    result = check_nik("7371011512260003", lookup_region=known_region, today=TODAY)
    assert not result.valid and "masa depan" in result.errors[0]


def test_kk_and_masking_and_phone():
    assert check_kk("7371010101090007") == []
    assert check_kk("123")
    assert mask_nik("7371011405790003") == "7371********0003"
    assert normalize_phone("0812-3456-7890") == "+6281234567890"
    assert normalize_phone("+62 812 3456 7890") == "+6281234567890"
    assert normalize_phone("12") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muhammad Ilham", "M. Ilham"),
        ("Mohammad Ilham", "Moh. Ilham"),
        ("Muhamad Ilham", "Mochammad Ilham"),
        ("Djoko Soesilo", "Joko Susilo"),
        ("Tjahjo Kumolo", "Cahyo Kumolo"),
        ("Sitti Nurhaliza", "Siti Nurhaliza"),
        ("Abdullah", "Abdulah"),
        ("Achmad Yani", "Ahmad Yani"),
    ],
)
def test_spelling_variants_share_a_key(a, b):
    assert name_key(a) == name_key(b)


def test_different_names_differ():
    assert name_key("Andi Baso") != name_key("Andi Rahmat")
    assert similarity(name_key("Andi Baso"), name_key("Budi Santoso")) < 0.8


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Baso Dg. Ngai", "Baso Daeng Ngai"),
        ("Nur Hasanah", "Nurhasanah"),
        ("Abd. Rahman", "Abdul Rahman"),
        ("St. Aminah", "Siti Aminah"),
        ("Hj. Siti Aminah", "Siti Aminah"),
        ("H. Muh. Ali", "Muhammad Ali"),
        ("Andi Baso Amir", "Baso Amir"),
        ("Siti Nur Hasanah", "Siti Nurhasanah"),
    ],
)
def test_names_as_written_in_south_sulawesi_give_one_key(a, b):
    assert name_key(a) == name_key(b)
    assert similarity(name_key(a), name_key(b)) == 1.0


def test_why_two_names_match_is_said():
    from portal.services.names import why_alike

    assert why_alike("Baso Dg. Ngai", "Baso Daeng Ngai") == ["Dg. = Daeng"]
    assert why_alike("Nurhasanah", "Nur Hasanah") == ["Nur Hasanah = Nurhasanah"]
    assert why_alike("Baso Dg. Ngai", "Baso Dg. Ngai") == []  # written alike: nothing to say


def test_andi_alone_is_a_name_and_search_keeps_every_written_word():
    from portal.services.names import search_tokens

    assert name_key("Andi") == "andi"
    assert {"andi", "baso", "nurhasana", "nur", "hasana"} <= search_tokens("Andi Baso Nur Hasanah")
    assert "hy" not in search_tokens("Hj. Aminah")  # a title is no search word

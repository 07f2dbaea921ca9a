"""No input, however odd, answers 500."""

import pytest

NASTY = [
    {},
    {"x": "y"},
    {"full_name": "\x00\x01", "nik": "٧٣٧١٠١", "birth_date": "31-02-2020", "estimated_age": "-5"},
    {"estimated_age": "9" * 40, "reported_at": "2026-13-45T99:99", "found_at": "kemarin"},
    {"province_code": "../../etc", "regency_code": "73.71'--", "district_code": "x" * 500},
    {"category": "L:999999", "channel": "<b>", "urgency": "sangat", "sex": "X"},
    {"category": "L:abc", "case_district": "99.99.99", "origin_province": "zz"},
    {"summary": "ü" * 20000, "place": "😀" * 400, "full_name": "'; DROP TABLE case; --"},
    {"version": "abc", "worker": "abc", "body": "\ud800" if False else "x" * 6000},
    {"version": "99999999999999999999", "worker": "-1", "role": "superuser", "kind": "x"},
    {"username": "x" * 300, "password": "", "nip": "abc", "email": "a@" + "b" * 300},
    {"ppks_code": "99", "name": " ", "lang": "fr", "region_code": "64", "province": "64"},
]

POSTS = [
    ("pekerja", "/cases/new"),
    ("pekerja", "/cases/new?person=abc"),
    ("pekerja", "/cases/{case}/edit"),
    ("pekerja", "/cases/{case}/person"),
    ("pekerja", "/cases/{case}/notes"),
    ("manajer", "/cases/{case}/assign"),
    ("pekerja", "/account"),
    ("pekerja", "/account/language"),
    ("admin", "/admin/users/new"),
    ("admin", "/admin/users/{admin}"),
    ("admin", "/admin/users/{admin}/password"),
    ("admin", "/admin/office"),
    ("admin", "/admin/organisations/new"),
    ("admin", "/admin/case-types/new"),
    (None, "/login"),
]


@pytest.mark.parametrize(("username", "path"), POSTS)
def test_no_post_answers_500(world, client, auth, username, path):
    if username:
        auth.login(username)
    url = path.format(case=world["case"].id, admin=world["admin"].id)
    for data in NASTY:
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data, response.status_code)
        htmx = client.post(url, data=data, headers={"HX-Request": "true"})
        assert htmx.status_code < 500, (url, data)


GETS = [
    "/cases?q=%00&status=zz&category=L:x&worker=abc&district=..&date_from=2026-99-99&page=-3",
    "/cases?q=" + "a" * 500 + "&sort=drop",
    "/cases?q=%2B%2B%2B&page=99999999999999999999",
    "/cases/duplicates?nik=abc&birth_date=20xx&estimated_age=abc&full_name=" + "m" * 300,
    "/cases/duplicates?estimated_age=99999999999999",
    "/cases/check-nik?nik=" + "1" * 200 + "&birth_date=xx&sex=Q",
    "/regions/options?from=province_code&province_code=" + "9" * 100,
    "/cases/999999999",
    "/cases/new?person=999999999",
]


@pytest.mark.parametrize("path", GETS)
def test_no_get_answers_500(world, client, auth, path):
    auth.login("pekerja")
    assert client.get(path).status_code < 500
    assert client.get(path, headers={"HX-Request": "true"}).status_code < 500

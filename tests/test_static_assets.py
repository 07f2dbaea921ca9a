"""Static files: pages name fingerprinted URLs, which are cached for a year and immutable and
served compressed when the browser asks; an unknown fingerprint still gets the file; the
letters' renderer still finds its stylesheet, fonts and logo in portal/static."""

import gzip
import re

import brotli
import pytest

ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def assets_of(page: str) -> list[str]:
    return ASSET.findall(page)


@pytest.fixture
def login_page(client):
    response = client.get("/login")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_pages_name_fingerprinted_assets(login_page, client, auth, world):
    urls = assets_of(login_page)
    names = {re.sub(r"\.[0-9a-f]{12}\.", ".", url) for url in urls}
    assert {
        "/static/css/app.css",
        "/static/vendor/htmx.min.js",
        "/static/js/app.js",
        "/static/img/favicon.svg",
    } <= names
    assert all(re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url) for url in urls), urls
    auth.login("pekerja")
    page = client.get("/cases").get_data(as_text=True)
    assert assets_of(page) == urls  # the same names on every page


def test_fingerprinted_assets_are_cached_for_a_year_and_immutable(login_page, client, app):
    for url in assets_of(login_page):
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response.headers["Cache-Control"]
        assert "immutable" in cache and "public" in cache, (url, cache)
        max_age = int(re.search(r"max-age=(\d+)", cache)[1])
        assert max_age >= 31536000, (url, cache)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    css = next(u for u in assets_of(login_page) if "/css/app." in u)
    with open(f"{app.static_folder}/css/app.css", "rb") as f:
        assert client.get(css).data == f.read()


def test_compressed_when_asked(login_page, client, app):
    css = next(u for u in assets_of(login_page) if "/css/app." in u)
    with open(f"{app.static_folder}/css/app.css", "rb") as f:
        original = f.read()
    plain = client.get(css)
    assert "Content-Encoding" not in plain.headers and plain.data == original
    zipped = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert len(zipped.data) < len(original) / 2
    assert gzip.decompress(zipped.data) == original
    br = client.get(css, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.data) == original


def test_an_unknown_fingerprint_gets_the_current_file_uncached(client, app):
    response = client.get("/static/css/app.0123456789ab.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    with open(f"{app.static_folder}/css/app.css", "rb") as f:
        assert response.data == f.read()
    assert client.get("/static/css/nothing.0123456789ab.css").status_code == 404
    assert client.get("/static/../portal/__init__.py").status_code == 404


def test_an_unfingerprinted_name_is_revalidated(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]
    assert "max-age=0" in response.headers["Cache-Control"]


def test_the_letter_renderer_reads_the_static_folder(app):
    """services.pdf's fetcher serves the source files (fonts, letter stylesheet), not the
    fingerprinted URLs: the build beside them changes nothing for the letters."""
    from portal.services.pdf import STATIC_SCHEME, PortalFetcher

    fetcher = PortalFetcher(app.static_folder)
    names = ("css/letter.css", "fonts/LiberationSans-Regular.ttf")
    for name in names:
        fetcher.fetch(STATIC_SCHEME + name)
    assert fetcher.served == [STATIC_SCHEME + name for name in names]
    assert fetcher.refused == []

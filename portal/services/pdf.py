"""WeasyPrint rendering with one rule: the renderer reads only the portal's own static files and
data: URLs. Anything else (file:, http:, https:, ftp:, a path outside static/) is refused, so
text typed by a user can never make the server fetch a URL or read a local file."""

from __future__ import annotations

import base64
import mimetypes
import os
import threading
from urllib.parse import unquote_to_bytes

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "simpul-static:"  # templates write url("simpul-static:fonts/…")

_font_config = None
_font_lock = threading.RLock()  # re-entered: shared_stylesheet() calls font_config()


def font_config() -> FontConfiguration:
    """One FontConfiguration for the process (loading fonts is the slow part of a render)."""
    global _font_config
    if _font_config is None:
        with _font_lock:
            if _font_config is None:
                _font_config = FontConfiguration()
    return _font_config


class RefusedURL(ValueError):
    pass


class PortalFetcher(URLFetcher):
    """Serves `simpul-static:` paths from the static folder and `data:` URLs; refuses the rest.
    `refused` lists what was refused (tests read it)."""

    def __init__(self, static_root: str):
        super().__init__(allowed_protocols=set(), allow_redirects=False)
        self.static_root = os.path.realpath(static_root)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return self._data(url)
        if url.startswith(STATIC_SCHEME):
            relative = url[len(STATIC_SCHEME) :].lstrip("/").split("?")[0].split("#")[0]
            path = os.path.realpath(os.path.join(self.static_root, relative))
            if path.startswith(self.static_root + os.sep) and os.path.isfile(path):
                with open(path, "rb") as handle:
                    body = handle.read()
                self.served.append(url)
                mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
        self.refused.append(url)
        raise RefusedURL(f"refused: {url[:200]}")

    def _data(self, url: str):
        header, _, payload = url[5:].partition(",")
        mime = header.split(";")[0] or "text/plain"
        body = (
            base64.b64decode(payload) if header.endswith(";base64") else unquote_to_bytes(payload)
        )
        return URLFetcherResponse(url[:64], body=body, headers={"Content-Type": mime})


def data_uri(data: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(data).decode()}"


_stylesheets: dict[str, CSS] = {}


def shared_stylesheet(static_root: str, name: str) -> CSS:
    """A stylesheet from static/ parsed once per process; its @font-face rules load the fonts
    into the shared FontConfiguration once, not on every render."""
    key = os.path.join(static_root, name)
    sheet = _stylesheets.get(key)
    if sheet is None:
        with _font_lock:
            sheet = _stylesheets.get(key)
            if sheet is None:
                fetcher = PortalFetcher(static_root)
                sheet = CSS(
                    url=STATIC_SCHEME + name, url_fetcher=fetcher, font_config=font_config()
                )
                _stylesheets[key] = sheet
    return sheet


def render_pages(html: str, static_root: str, *, stylesheets=(), fetcher=None):
    """Lay out (the Document tells the number of pages; write_pdf() gives the bytes)."""
    fetcher = fetcher or PortalFetcher(static_root)
    return HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render(
        stylesheets=list(stylesheets), font_config=font_config()
    )


def render(html: str, static_root: str, *, stylesheets=(), fetcher=None) -> bytes:
    """HTML (already escaped by Jinja) to PDF bytes."""
    return render_pages(html, static_root, stylesheets=stylesheets, fetcher=fetcher).write_pdf()

"""Static files: fingerprinted names, far-future caching, compressed (WhiteNoise).

At start-up every file of portal/static is copied once into a build folder (instance/
static-build, or STATIC_BUILD_DIR) under a name carrying the first 12 hex digits of its
SHA-256 (css/app.css -> css/app.3f2a9c1b0d4e.css), with .br and .gz beside the text files.
Templates write `static_url("css/app.css")`, which names the current fingerprint; WhiteNoise
serves fingerprinted names with `Cache-Control: public, max-age=315360000, immutable` and
the compressed copy the browser asks for (Accept-Encoding). A name's content never changes, so
copies of earlier versions stay valid for pages rendered before an upgrade; a fingerprint that
was never built (a stale proxy, a hand-typed URL) answers the current file, not cached.

The letters' renderer (services.pdf) reads portal/static itself and is not concerned."""

from __future__ import annotations

import hashlib
import os
import re

from flask import Flask, abort, send_from_directory, url_for
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")
COMPRESSED_TYPES = (".css", ".js", ".svg", ".txt", ".json", ".html")
_digests: dict[tuple[str, int, int], str] = {}  # (path, size, mtime) -> digest, per process


def fingerprinted(name: str, digest: str) -> str:
    stem, ext = os.path.splitext(name)
    return f"{stem}.{digest}{ext}"


def _digest(path: str) -> str:
    stat = os.stat(path)
    key = (path, stat.st_size, stat.st_mtime_ns)
    if key not in _digests:
        with open(path, "rb") as f:
            _digests[key] = hashlib.sha256(f.read()).hexdigest()[:12]
    return _digests[key]


def _write(source: str, target: str) -> None:
    """The copy and its compressed forms, each written under a temporary name and renamed
    (two workers starting together never serve half a file); the copy itself last."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    temporary = f"{target}.{os.getpid()}.tmp"
    with open(source, "rb") as f, open(temporary, "wb") as out:
        out.write(f.read())
    if target.endswith(COMPRESSED_TYPES):
        for written in Compressor(quiet=True).compress(temporary):
            os.replace(written, target + written[len(temporary) :])
    os.replace(temporary, target)


def build(static_root: str, build_root: str) -> dict[str, str]:
    """Copy what is missing; return {name: fingerprinted name} of the current files."""
    manifest = {}
    for folder, _dirs, files in os.walk(static_root):
        for filename in files:
            source = os.path.join(folder, filename)
            name = os.path.relpath(source, static_root).replace(os.sep, "/")
            manifest[name] = fingerprinted(name, _digest(source))
            target = os.path.join(build_root, manifest[name])
            if not os.path.exists(target):
                _write(source, target)
    return manifest


def _nosniff(headers, path, url) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


def init_app(app: Flask) -> None:
    build_root = app.config.get("STATIC_BUILD_DIR") or os.path.join(
        app.instance_path, "static-build"
    )
    manifest = build(app.static_folder, build_root)
    served = WhiteNoise(
        app.wsgi_app,
        root=app.static_folder,
        prefix="static/",
        autorefresh=app.debug,  # a stylesheet edited while developing: seen at once
        max_age=0,  # an unfingerprinted name: revalidated
        immutable_file_test=lambda path, url: bool(FINGERPRINTED.match(url)),
        add_headers_function=_nosniff,
    )
    served.add_files(build_root, prefix="static/")
    app.wsgi_app = served
    app.extensions["static_manifest"] = manifest

    def static_url(filename: str) -> str:
        if app.debug:  # the file may have changed since start-up (cheap: digests are cached)
            manifest.update(build(app.static_folder, build_root))
        return url_for("static", filename=manifest.get(filename, filename))

    app.jinja_env.globals["static_url"] = static_url

    def unknown_fingerprint(filename: str):
        """Reached only for what WhiteNoise does not hold: a fingerprint never built gets
        the current file, revalidated every time."""
        found = FINGERPRINTED.match(filename)
        if not found:
            return app.send_static_file(filename)
        current = found["stem"] + found["ext"]
        if current not in manifest:
            abort(404)
        response = send_from_directory(app.static_folder, current, max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response

    app.view_functions["static"] = unknown_fingerprint

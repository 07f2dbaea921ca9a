"""Reference data kept per app process: rows that no request changes (the 26 PPKS categories of
Permensos 8/2012, written by migration 0001; the Kemendagri regions, replaced only by `flask
load-regions`, which forgets them here as it does services.regions.region_name). Read on every
list and form page, they cost a statement each; kept, a dictionary lookup. A server started
before `flask load-regions` shows the new regions after a restart, as region names already did."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, has_app_context

_KEY = "simpul_reference"


def kept(name: str, key, load: Callable[[], list]) -> list:
    """`load()`'s rows, loaded once per app and (name, key); a fresh list each call."""
    if not has_app_context():
        return list(load())
    store = current_app.extensions.setdefault(_KEY, {})
    rows = store.get((name, key))
    if rows is None:
        rows = store[(name, key)] = tuple(load())
    return list(rows)


def forget(name: str) -> None:
    """Load `name`'s rows again when next asked (after they were replaced)."""
    if has_app_context():
        store = current_app.extensions.get(_KEY, {})
        for stored in [k for k in store if k[0] == name]:
            del store[stored]

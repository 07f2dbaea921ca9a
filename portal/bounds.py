"""Numbers from outside (URL ids, query parameters) within what the database can hold.

A number past PostgreSQL's `integer` (or SQLite's 64 bits) is no record anybody has: an id in a
URL answers 404, a number in a query string is ignored, before the database is asked."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL integer: every id column


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a positive number up to MAX_ID, else the URL matches nothing
    (404; a number of more than ten digits matches no route at all)."""

    regex = r"\d{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits, 0 if min is None else min, max or MAX_ID, signed)


def bounded_int(value, default: int | None = None, low: int = 1, high: int = MAX_ID):
    """A query parameter as an int between low and high; `default` when it is missing, not a
    number or out of range."""
    text = (value or "").strip() if isinstance(value, str) else value
    if isinstance(text, int):
        number = text
    elif isinstance(text, str) and text.isascii() and text.lstrip("-").isdigit():
        if len(text) > 12:
            return default
        number = int(text)
    else:
        return default
    return number if low <= number <= high else default

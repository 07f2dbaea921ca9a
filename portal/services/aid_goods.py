"""What was given in kind in a report's period: quantities per kind and unit ("10 paket, 2
tiket"), from the tallies' "goods" (services.tally_counts: each aid given with a quantity, by
kind and unit, its quantity summed), or counted from the period's aid like every other figure
of an office whose tallies are not built (services.tally_days)."""

from __future__ import annotations

from collections import Counter


def described(quantities: Counter, given: Counter) -> dict[str, str]:
    """kind -> "10 paket, 2 tiket": the quantity of each (kind, unit) given at least once in
    the period, units in order."""
    found: dict[str, list[str]] = {}
    for kind, unit in sorted(key for key, n in given.items() if n > 0):
        quantity = quantities[kind, unit]
        found.setdefault(kind, []).append(f"{quantity:,}".replace(",", ".") + f" {unit}".rstrip())
    return {kind: ", ".join(parts) for kind, parts in found.items()}

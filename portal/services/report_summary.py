"""The summary of a period report: sentences in the style of the office's news."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import ngettext

from . import labels
from .i18n import lazy as _l

if TYPE_CHECKING:
    from .reports import Report


def _enumerate(parts: list[str]) -> str:
    """ "a, b dan c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " " + str(_l("dan")) + " " + parts[-1]


def _short(label: str) -> str:
    """A category label without its PPKS number ("04 Anak Jalanan" -> "anak jalanan")."""
    head, _, rest = label.partition(" ")
    text = rest if head.isdigit() and rest else label
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in text.split())


def _place(report: Report) -> str:
    return f" {_l('di Kecamatan')} {report.district_name}" if report.district_name else ""


def _new_cases(report: Report) -> str:
    period, place = report.period.label, _place(report)
    handled = sorted((r for r in report.rows if r.new), key=lambda r: (-r.new, r.label))
    if not handled:
        return str(_l("Pada %(period)s%(place)s tidak ada kasus baru.", period=period, place=place))
    parts = [f"{r.new} {_short(r.label)}" for r in handled]
    return str(
        ngettext(
            "Pada %(period)s%(place)s ditangani %(num)d kasus baru: %(parts)s.",
            "Pada %(period)s%(place)s ditangani %(num)d kasus baru: %(parts)s.",
            report.total.new,
            period=period,
            place=place,
            parts=_enumerate(parts),
        )
    )


def _at_the_end(report: Report) -> str:
    return str(
        _l(
            "Pada akhir periode %(n)d kasus masih aktif; %(closed)d kasus ditutup, "
            "%(referred)d rujukan disetujui dan %(handed)d rujukan diserahterimakan.",
            n=report.total.active,
            closed=report.total.closed_total,
            referred=report.total.referred_total,
            handed=report.total.handed_over,
        )
    )


def _returned_home(report: Report) -> str | None:
    if not report.returned_total:
        return None
    parts = [f"{n} {_l('ke')} {name}" for _, name, n in report.returned_home]
    return str(
        ngettext(
            "%(num)d orang dipulangkan ke daerah asal (diserahterimakan dalam periode ini): "
            "%(parts)s.",
            "%(num)d orang dipulangkan ke daerah asal (diserahterimakan dalam periode ini): "
            "%(parts)s.",
            report.returned_total,
            parts=_enumerate(parts),
        )
    )


def _disasters(report: Report) -> str | None:
    if not report.disaster_total:
        return None
    parts = [
        f"{n} {str(labels.DISASTER_TYPES[kind]).lower()}"
        for kind, n in report.disasters.items()
        if n
    ]
    return str(
        _l(
            "%(n)d korban bencana (%(kk)d KK, %(people)d jiwa) pada %(period)s: %(parts)s.",
            n=report.disaster_total,
            kk=report.disaster_kk_total,
            people=report.disaster_people_total,
            period=report.period.label,
            parts=_enumerate(parts),
        )
    )


def _aid(report: Report) -> str | None:
    if not report.aid_count:
        return None
    from ..template_helpers import rupiah

    return str(
        ngettext(
            "Bantuan diberikan %(num)d kali, senilai %(amount)s.",
            "Bantuan diberikan %(num)d kali, senilai %(amount)s.",
            report.aid_count,
            amount=rupiah(report.aid_amount),
        )
    )


def _unregistered(report: Report) -> str | None:
    if not report.unregistered:
        return None
    return str(
        ngettext(
            "%(num)d orang dari kasus yang masih aktif belum terdaftar DTSEN (tidak terdaftar "
            "atau diusulkan).",
            "%(num)d orang dari kasus yang masih aktif belum terdaftar DTSEN (tidak terdaftar "
            "atau diusulkan).",
            report.unregistered,
        )
    )


COUNTING_NOTE = _l(
    "Rujukan disetujui dihitung pada tanggal persetujuannya; rujukan diserahterimakan dan orang "
    "dipulangkan pada tanggal serah terimanya, yang dapat jatuh pada periode lain."
)


def _counting_note(report: Report) -> str | None:
    """Approved and handed over count different events (a return home approved this month may
    be handed over the next): said always, as both figures are (the table's columns and the
    sentence of the period's end), even when both are 0."""
    return str(COUNTING_NOTE)


SENTENCES = (
    _new_cases, _at_the_end, _returned_home, _disasters, _aid, _unregistered, _counting_note,
)  # fmt: skip


def summary(report: Report) -> list[str]:
    """Sentences in the style of the office's news: "Sampai dengan Juni 2024 ditangani 84 ODGJ
    terlantar, 99 anak jalanan ... "; "698 korban bencana pada 2024: 208 kebakaran, ..."."""
    return [text for text in (sentence(report) for sentence in SENTENCES) if text]

"""The demo's archive period: a few cases closed more than the office's retention period ago
(Retensi data lists them), one already asked to be anonymised by the manager, and a second
manager (Kepala Seksi, `manajer2`) who may approve it: anonymising takes two managers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..models import User
from ..services import closure, intake, retention
from ..services.timeutil import local_to_utc
from .common import PASSWORD, Demo, backdated

OLD_CASES = (
    # name, sex, birth year, PPKS, reported (local), place, summary
    ("La Ode Samsuddin", "L", 1961, "11", date(2018, 2, 12), "Pasar Terong",
     "Tidur di emperan pasar, mengaku datang dari Buton mencari anaknya."),
    ("Hj. Sitti Nurbaya", "P", 1948, "08", date(2019, 7, 3), "Jl. Veteran Selatan",
     "Lansia ditemukan warga, tidak ingat alamat; keluarga menjemput seminggu kemudian."),
    ("Amiruddin Dg. Sewang", "L", 1990, "20", date(2020, 3, 18), "Pelabuhan Soekarno-Hatta",
     "Pekerja migran dipulangkan dari Malaysia, kehabisan ongkos ke Jeneponto."),
)  # fmt: skip


def _second_manager(demo: Demo) -> User:
    from ..extensions import db

    user = User(
        office_id=demo.office.id, username="manajer2", full_name="Hasnawati, S.Sos., M.Si.",
        role="manager", position="Kepala Seksi Rehabilitasi Sosial Tuna Sosial",
        nip="197809142005012006", email="manajer2@dinsos.makassarkota.go.id",
    )  # fmt: skip
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.flush()
    return user


def _old_case(demo: Demo, values) -> object:
    name, sex, year, ppks, reported, place, summary = values
    manager, worker = demo.users["manajer"], demo.users["pekerja"]
    at = local_to_utc(datetime.combine(reported, time(9, 30)), demo.office.timezone)
    person = {
        "identity_known": True, "full_name": name, "sex": sex, "estimated_age": None,
        "birth_date": date(year, 1, 1), "province_code": "73", "regency_code": "73.71",
    }  # fmt: skip
    case_values = {
        "ppks_code": ppks, "channel": "residents", "reported_at": at, "place": place,
        "summary": summary, "urgency": "normal",
    }  # fmt: skip
    case = intake.register(demo.office, worker, person, case_values, now=at)
    closed_on = reported + timedelta(days=21)
    closed_at = local_to_utc(datetime.combine(closed_on, time(14, 0)), demo.office.timezone)
    with backdated(case, closed_at):
        item = closure.request(
            case, manager, reason="returned_family", closed_on=closed_on,
            summary="Klien kembali ke keluarga.",
        )  # fmt: skip
    item.requested_at = item.decided_at = case.closed_at = closed_at
    return case


def seed_retention(demo: Demo) -> None:
    _second_manager(demo)
    cases = [_old_case(demo, values) for values in OLD_CASES]
    retention.request(demo.users["manajer"], cases[0], demo.today, "Masa retensi lewat (contoh).")

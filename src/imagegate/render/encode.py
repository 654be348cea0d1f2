"""Encoders: PIL image -> png | jpeg | webp bytes, fast by default and off the GIL.

PNG is written here: every row gets the PNG "Up" filter (one NumPy subtraction, written
straight into the buffer that is deflated) and the rows are deflated by ISA-L (`isal`, as fast
as fpng on our images and a little smaller) at its fastest level, which also checksums the
data. All three steps release the GIL, so encodes running in worker threads use every core.
Without `isal` the standard library's zlib (also GIL-free, about 4x slower) does the deflate
and the checksum. JPEG and WebP go through Pillow, whose savers release the GIL while they
compress. The deflated stream is copied once, into the file.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image

try:  # ISA-L deflate: a compiled wheel; keep the standard library as the fallback
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - exercised only without the wheel
    _deflate = None

MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
DEFAULT_LOSSY_QUALITY = 100  # the API's default output_compression
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPE = {"RGB": 2, "RGBA": 6}
_UP = 2  # PNG filter type: each byte minus the byte above it


def encode_image(image: Image.Image, fmt: str = "png", compression: int | None = None) -> bytes:
    """Encode `image` as `fmt`; `compression` (0-100) is the jpeg/webp quality, as OpenAI's API."""
    if fmt == "png":
        return _encode_png(image)
    quality = DEFAULT_LOSSY_QUALITY if compression is None else compression
    buf = io.BytesIO()
    if fmt == "jpeg":
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(buf, "JPEG", quality=quality, optimize=False)
    elif fmt == "webp":
        image.save(buf, "WEBP", quality=quality, method=0)
    else:
        raise ValueError(f"unknown output format {fmt!r}")
    return buf.getvalue()


def _crc32(data, value: int = 0) -> int:
    """CRC-32 of `data`: ISA-L's (several times faster than zlib's, and off the GIL) when present."""
    return _deflate.crc32(data, value) if _deflate is not None else zlib.crc32(data, value)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", _crc32(data, _crc32(kind)))


def _filtered_rows(image: Image.Image) -> np.ndarray:
    """The PNG scanlines: a filter-type byte, then the row minus the row above (mod 256)."""
    width, height = image.size
    stride = width * len(image.getbands())
    pixels = np.frombuffer(image.tobytes(), np.uint8).reshape(height, stride)
    rows = np.empty((height, stride + 1), np.uint8)
    rows[:, 0] = _UP
    rows[0, 1:] = pixels[0]  # the row above the first one is zeros
    np.subtract(pixels[1:], pixels[:-1], out=rows[1:, 1:])
    return rows


def _encode_png(image: Image.Image) -> bytes:
    if image.mode not in _COLOR_TYPE:
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    rows = _filtered_rows(image)
    data = _deflate.compress(rows, 1) if _deflate is not None else zlib.compress(rows, 1)
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, _COLOR_TYPE[image.mode], 0, 0, 0)
    return b"".join((
        PNG_SIGNATURE, _chunk(b"IHDR", header),
        struct.pack(">I", len(data)), b"IDAT", data, struct.pack(">I", _crc32(data, _IDAT_CRC)),  # no copy of `data` but the join
        _IEND,
    ))


_IDAT_CRC = zlib.crc32(b"IDAT")
_IEND = _chunk(b"IEND", b"")

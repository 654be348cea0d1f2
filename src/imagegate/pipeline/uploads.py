"""Uploaded images for edits and variations: checked from their headers before anything is
admitted, decoded only after, under a per-request pixel budget and a concurrency limit.

`probe_image` / `probe_mask` read only the file header (type, dimensions, alpha): the declared
MIME type (png, jpeg, webp; the generic `application/octet-stream` that the SDK sends for raw
bytes is accepted when the bytes are one of those), the byte limit, the format against the
declaration, and for masks PNG with alpha at the first image's size. `check_pixel_budget` adds
up every image and the mask. `decode_image` / `decode_mask` then do the expensive part in a
worker thread, at most `DECODE_CONCURRENCY` at a time in the process. Pillow's global settings
are never changed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import threading
import warnings
from dataclasses import dataclass

import anyio
from PIL import Image, ImageOps, UnidentifiedImageError

from imagegate.errors import InvalidRequestError, UserError

IMAGE_MIME_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG", "image/webp": "WEBP"}
GENERIC_MIME_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_MASK_BYTES = 4 * 1024 * 1024
MAX_IMAGES = 16
DEFAULT_PIXEL_BUDGET = 64_000_000  # all images and the mask of one request together
DECODE_CONCURRENCY = 2
_decoding = threading.BoundedSemaphore(DECODE_CONCURRENCY)  # held by the decoding thread itself: any event loop

Raw = tuple[bytes, str | None]  # file bytes and declared MIME type


@dataclass(frozen=True)
class Probe:
    """An upload whose header was checked; nothing decoded yet."""

    data: bytes
    param: str
    format: str
    size: tuple[int, int]
    mode: str
    sha256: str

    @property
    def pixels(self) -> int:
        return self.size[0] * self.size[1]


@dataclass(frozen=True)
class Upload:
    """One decoded upload and the hash of its bytes (for cached-input billing)."""

    image: Image.Image
    sha256: str
    param: str


def _supported() -> str:
    return "Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'."


def _mime(declared: str | None) -> str:
    return (declared or "").split(";")[0].strip().lower()


def _open(data: bytes, param: str, code: str) -> Image.Image:
    """Open lazily: Pillow reads the header (format, size, mode), not the pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own budget decides
            return Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise InvalidRequestError(f"Invalid file '{param}': the image has too many pixels.", param=param, code="image_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidRequestError(f"Invalid file '{param}': the file could not be decoded as an image. {_supported()}", param=param, code=code) from None


def probe_image(data: bytes, declared: str | None, param: str = "image", *, max_bytes: int = MAX_IMAGE_BYTES) -> Probe:
    """Check one input image from its header."""
    mime = _mime(declared)
    if mime not in IMAGE_MIME_TYPES and mime not in GENERIC_MIME_TYPES:
        raise InvalidRequestError(f"Invalid file '{param}': unsupported mimetype ('{mime}'). {_supported()}", param=param, code="invalid_image_format")
    if len(data) > max_bytes:
        raise InvalidRequestError(
            f"Invalid file '{param}': the file is {len(data)} bytes, over the {max_bytes // (1024 * 1024)} MB limit.",
            param=param, code="image_too_large",
        )
    image = _open(data, param, "invalid_image_format")
    if image.format not in ("PNG", "JPEG", "WEBP") or (mime in IMAGE_MIME_TYPES and IMAGE_MIME_TYPES[mime] != image.format):
        raise InvalidRequestError(
            f"Invalid file '{param}': the content is {image.format or 'unknown'}, not the declared '{mime}'. {_supported()}",
            param=param, code="invalid_image_format",
        )
    if min(image.size) < 1:
        raise InvalidRequestError(f"Invalid file '{param}': the image is empty.", param=param, code="invalid_image_format")
    return Probe(data, param, image.format, image.size, image.mode, hashlib.sha256(data).hexdigest())


def probe_mask(data: bytes, declared: str | None, size: tuple[int, int]) -> Probe:
    """Check a mask from its header: PNG with alpha, the first image's size."""
    mime = _mime(declared)
    if mime not in ("image/png", *GENERIC_MIME_TYPES):
        raise UserError(f"Invalid mask: unsupported mimetype ('{mime}'). The mask must be a PNG image with an alpha channel.", param="mask", code="invalid_mask_image_format")
    if len(data) > MAX_MASK_BYTES:
        raise InvalidRequestError("Invalid mask: the file is over the 4 MB limit.", param="mask", code="image_too_large")
    mask = _open(data, "mask", "invalid_mask_image_format")
    if mask.format != "PNG":
        raise UserError("Invalid mask: the mask must be a PNG image with an alpha channel.", param="mask", code="invalid_mask_image_format")
    if "A" not in mask.getbands() and "transparency" not in mask.info:
        raise UserError("Invalid mask image format - mask image missing alpha channel.", param="mask", code="invalid_mask_image_format")
    if mask.size != size:
        raise UserError(
            f"Invalid mask: the mask is {mask.size[0]}x{mask.size[1]} but the image is {size[0]}x{size[1]}; they must match.",
            param="mask", code="invalid_mask_image_format",
        )
    return Probe(data, "mask", "PNG", mask.size, mask.mode, hashlib.sha256(data).hexdigest())


def check_pixel_budget(probes: list[Probe], budget: int) -> None:
    """400 `image_too_large` when the request's images and mask hold more pixels than `budget`."""
    total = sum(p.pixels for p in probes)
    if total > budget:
        raise InvalidRequestError(
            f"Invalid 'image': the uploaded images hold {total:,} pixels together, over this server's limit of {budget:,} "
            "per request. Send fewer or smaller images.",
            param="image", code="image_too_large",
        )


def _decode(probe: Probe, fit: tuple[int, int] | None) -> Image.Image:
    with _decoding:
        return _decode_now(probe, fit)


def _decode_now(probe: Probe, fit: tuple[int, int] | None) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked by the budget
            image = Image.open(io.BytesIO(probe.data))
            if fit is not None and image.format == "JPEG":
                image.draft("RGB", fit)  # JPEG decodes straight to a smaller scale
            image.load()
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidRequestError(f"Invalid file '{probe.param}': the file could not be decoded as an image. {_supported()}", param=probe.param, code="invalid_image_format") from None
    if fit is not None and (image.width > fit[0] or image.height > fit[1]):
        image = ImageOps.contain(image, fit, Image.LANCZOS)
    return image


def decode_image_sync(probe: Probe, fit: tuple[int, int] | None = None) -> Upload:
    """Decode a probed image (RGBA when it has alpha, else RGB), shrunk to `fit` if given."""
    image = _decode(probe, fit)
    converted = image.convert("RGBA") if "A" in image.getbands() or image.mode == "P" else image.convert("RGB")
    return Upload(image=converted, sha256=probe.sha256, param=probe.param)


def decode_mask_sync(probe: Probe) -> Image.Image:
    """A mask as an L image: 255 where the input is kept, 0 where it may change."""
    return _decode(probe, None).convert("RGBA").getchannel("A")


async def decode_image(probe: Probe, fit: tuple[int, int] | None = None) -> Upload:
    """`decode_image_sync` in a worker thread, under the process-wide decoding limit."""
    return await anyio.to_thread.run_sync(decode_image_sync, probe, fit)


async def decode_mask(probe: Probe) -> Image.Image:
    """`decode_mask_sync` in a worker thread, under the process-wide decoding limit."""
    return await anyio.to_thread.run_sync(decode_mask_sync, probe)


def decode_data_url(url: str, param: str, *, remote: bool = False) -> Raw:
    """Bytes and MIME type of a `data:image/png;base64,...` URL (the JSON edit variant); `remote`
    says whether this server fetches https:// URLs too (for the message)."""
    if not isinstance(url, str) or not url.startswith("data:") or ";base64," not in url:
        expected = "an https:// image URL or a base64 data URL (data:image/png;base64,...)" if remote else (
            "a base64 data URL (data:image/png;base64,...); remote URLs are not fetched by this server")
        raise InvalidRequestError(f"Invalid '{param}': expected {expected}.", param=param, code="invalid_image_url")
    header, _, payload = url.partition(";base64,")
    try:
        return base64.b64decode(payload, validate=True), header.removeprefix("data:")
    except (binascii.Error, ValueError):
        raise InvalidRequestError(f"Invalid '{param}': the data URL is not valid base64.", param=param, code="invalid_image_url") from None

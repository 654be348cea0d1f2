"""Uploaded images for edits and variations: checked before anything is stored or billed.

Checks, in order: the declared MIME type (png, jpeg, webp; a generic
`application/octet-stream`, which the SDK sends for raw bytes, is accepted when the bytes are
one of those formats), the size limit, decoding under Pillow's decompression-bomb limit, and
for masks an alpha channel and the first image's dimensions.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from imagegate.errors import InvalidRequestError, UserError

IMAGE_MIME_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/jpg": "JPEG", "image/webp": "WEBP"}
GENERIC_MIME_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
MAX_IMAGE_BYTES = 50 * 1024 * 1024
MAX_MASK_BYTES = 4 * 1024 * 1024
MAX_IMAGES = 16
MAX_PIXELS = 8192 * 8192  # Pillow's bomb check uses this; twice it is an error outright


@dataclass(frozen=True)
class Upload:
    """One decoded upload and the hash of its bytes (for cached-input billing)."""

    image: Image.Image
    sha256: str
    param: str


def _supported() -> str:
    return "Supported file formats are 'image/jpeg', 'image/png', and 'image/webp'."


def _decode(data: bytes, param: str, code: str) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidRequestError(f"Invalid file '{param}': the image has too many pixels.", param=param, code="image_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidRequestError(f"Invalid file '{param}': the file could not be decoded as an image. {_supported()}", param=param, code=code) from None
    return image


def load_image(data: bytes, declared: str | None, param: str = "image", *, max_bytes: int = MAX_IMAGE_BYTES) -> Upload:
    """Check and decode one input image."""
    mime = (declared or "").split(";")[0].strip().lower()
    if mime not in IMAGE_MIME_TYPES and mime not in GENERIC_MIME_TYPES:
        raise InvalidRequestError(f"Invalid file '{param}': unsupported mimetype ('{mime}'). {_supported()}", param=param, code="invalid_image_format")
    if len(data) > max_bytes:
        raise InvalidRequestError(
            f"Invalid file '{param}': the file is {len(data)} bytes, over the {max_bytes // (1024 * 1024)} MB limit.",
            param=param, code="image_too_large",
        )
    image = _decode(data, param, "invalid_image_format")
    if image.format not in ("PNG", "JPEG", "WEBP") or (mime in IMAGE_MIME_TYPES and IMAGE_MIME_TYPES[mime] != image.format):
        raise InvalidRequestError(
            f"Invalid file '{param}': the content is {image.format or 'unknown'}, not the declared '{mime}'. {_supported()}",
            param=param, code="invalid_image_format",
        )
    return Upload(image=image.convert("RGBA") if "A" in image.getbands() or image.mode == "P" else image.convert("RGB"), sha256=hashlib.sha256(data).hexdigest(), param=param)


def load_mask(data: bytes, declared: str | None, size: tuple[int, int]) -> Image.Image:
    """A mask as an L image, 255 where the input is kept and 0 where it may change."""
    mime = (declared or "").split(";")[0].strip().lower()
    if mime not in ("image/png", *GENERIC_MIME_TYPES):
        raise UserError(f"Invalid mask: unsupported mimetype ('{mime}'). The mask must be a PNG image with an alpha channel.", param="mask", code="invalid_mask_image_format")
    if len(data) > MAX_MASK_BYTES:
        raise InvalidRequestError("Invalid mask: the file is over the 4 MB limit.", param="mask", code="image_too_large")
    mask = _decode(data, "mask", "invalid_mask_image_format")
    if mask.format != "PNG":
        raise UserError("Invalid mask: the mask must be a PNG image with an alpha channel.", param="mask", code="invalid_mask_image_format")
    if "A" not in mask.getbands() and "transparency" not in mask.info:
        raise UserError("Invalid mask image format - mask image missing alpha channel.", param="mask", code="invalid_mask_image_format")
    if mask.size != size:
        raise UserError(
            f"Invalid mask: the mask is {mask.size[0]}x{mask.size[1]} but the image is {size[0]}x{size[1]}; they must match.",
            param="mask", code="invalid_mask_image_format",
        )
    return mask.convert("RGBA").getchannel("A")


def decode_data_url(url: str, param: str) -> tuple[bytes, str]:
    """Bytes and MIME type of a `data:image/png;base64,...` URL (the JSON edit variant)."""
    if not isinstance(url, str) or not url.startswith("data:") or ";base64," not in url:
        raise InvalidRequestError(
            f"Invalid '{param}': expected a base64 data URL (data:image/png;base64,...); remote URLs are not fetched by this server.",
            param=param, code="invalid_image_url",
        )
    header, _, payload = url.partition(";base64,")
    try:
        return base64.b64decode(payload, validate=True), header.removeprefix("data:")
    except (binascii.Error, ValueError):
        raise InvalidRequestError(f"Invalid '{param}': the data URL is not valid base64.", param=param, code="invalid_image_url") from None

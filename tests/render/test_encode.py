"""encode_image: PNG written here (Up filter + ISA-L deflate), JPEG/WebP through Pillow."""

from __future__ import annotations

import io
import struct
import sys
import threading
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from imagegate.render import encode
from imagegate.render.encode import encode_image


def _random(mode: str, size: tuple[int, int], seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    bands = {"RGB": 3, "RGBA": 4, "LA": 2}.get(mode, 1)
    pixels = (rng.random((size[1], size[0], bands)) * 255).astype(np.uint8)
    if mode == "RGBA":
        return Image.fromarray(pixels, "RGBA")
    if mode == "LA":
        return Image.merge("LA", [Image.fromarray(np.ascontiguousarray(pixels[..., i]), "L") for i in range(2)])
    image = Image.fromarray(pixels[..., 0], "L")
    return Image.fromarray(pixels, "RGB") if mode == "RGB" else image.convert(mode)


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, checking each CRC."""
    assert data[:8] == encode.PNG_SIGNATURE
    out, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        out.append((kind, body))
        pos += 12 + length
    return out


@pytest.mark.parametrize("size", [(1, 1), (7, 1), (1, 9), (53, 37), (640, 480)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_png_round_trips_exactly(mode: str, size: tuple[int, int]) -> None:
    image = _random(mode, size)
    data = encode_image(image, "png")
    back = Image.open(io.BytesIO(data))
    back.load()
    assert back.format == "PNG" and back.mode == mode and back.size == size
    assert back.tobytes() == image.tobytes()


def test_png_is_well_formed() -> None:
    data = encode_image(_random("RGBA", (31, 17)), "png")
    chunks = _chunks(data)
    assert [kind for kind, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (width, height, depth, colour, compression, filtering, interlace) == (31, 17, 8, 6, 0, 0, 0)
    rows = zlib.decompress(chunks[1][1])  # a plain zlib stream, readable by any inflater
    assert len(rows) == 17 * (1 + 31 * 4)


@pytest.mark.parametrize(("mode", "want"), [("L", "RGB"), ("1", "RGB"), ("P", "RGB"), ("I;16", "RGB"), ("LA", "RGBA")])
def test_png_other_modes_become_rgb_or_rgba(mode: str, want: str) -> None:
    image = _random(mode, (20, 12))
    back = Image.open(io.BytesIO(encode_image(image, "png")))
    assert back.mode == want
    assert back.tobytes() == image.convert(want).tobytes()


def test_palette_transparency_is_kept() -> None:
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.info["transparency"] = 1
    back = Image.open(io.BytesIO(encode_image(image, "png")))
    assert back.mode == "RGBA" and back.getpixel((0, 0)) == (255, 0, 0, 0)


def test_png_without_isal_uses_zlib(monkeypatch: pytest.MonkeyPatch) -> None:
    image = _random("RGB", (64, 48))
    monkeypatch.setattr(encode, "_deflate", None)
    assert Image.open(io.BytesIO(encode_image(image, "png"))).tobytes() == image.tobytes()


def test_chunk_checksums_match_zlib(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _random("RGB", (64, 48)).tobytes()
    assert encode._crc32(data, encode._crc32(b"IDAT")) == zlib.crc32(b"IDAT" + data)
    monkeypatch.setattr(encode, "_deflate", None)
    assert encode._crc32(data, 12345) == zlib.crc32(data, 12345)


def test_isal_is_the_deflater() -> None:
    """The wheel is a dependency: without it PNG encoding is about 4x slower."""
    assert encode._deflate is not None


def test_png_of_a_render_is_compact() -> None:
    """Smooth pictures compress well with the Up filter (a 1 MP render is about 3 MB raw)."""
    y, x = np.mgrid[0:512, 0:512].astype(np.float32)
    pixels = np.stack([x / 2, y / 2, (x + y) / 4], axis=2).astype(np.uint8)
    assert len(encode_image(Image.fromarray(pixels, "RGB"), "png")) < 0.1 * pixels.nbytes


@pytest.mark.parametrize(("fmt", "pil_format"), [("jpeg", "JPEG"), ("webp", "WEBP")])
def test_lossy_formats_follow_output_compression(fmt: str, pil_format: str) -> None:
    image = _random("RGBA", (96, 64))
    small, large = encode_image(image, fmt, 10), encode_image(image, fmt, 95)
    assert len(small) < len(large)
    assert encode_image(image, fmt) == encode_image(image, fmt, 100)  # the API's default output_compression
    decoded = Image.open(io.BytesIO(large))
    assert decoded.format == pil_format and decoded.size == (96, 64)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        encode_image(_random("RGB", (4, 4)), "gif")


def _ticks_while(work, ticks: list[int]) -> tuple[int, float]:
    """How far the ticker counted while `work` ran, and how long that took."""
    before, started = ticks[0], time.perf_counter()
    work()
    return ticks[0] - before, time.perf_counter() - started


def test_png_encoding_lets_other_threads_run() -> None:
    """The encoder releases the GIL: a Python thread keeps running while big images encode.

    With a one-second switch interval Python threads do not preempt each other, so the ticker only
    runs while the encoding thread is outside the GIL. It gets most of the turns it gets while the
    main thread merely sleeps as long (a tenth at the very least, on a busy machine); an encoder
    that holds the GIL throughout (fpng) leaves it a few percent.
    """
    image = _random("RGB", (1024, 1024))
    encode_image(image, "png")
    stop, ticks = threading.Event(), [0]

    def tick() -> None:
        while not stop.is_set():
            ticks[0] += 1
            time.sleep(0.0002)

    interval = sys.getswitchinterval()
    ticker = threading.Thread(target=tick)
    sys.setswitchinterval(1.0)
    try:
        ticker.start()
        time.sleep(0.005)
        encoding, took = _ticks_while(lambda: [encode_image(image, "png") for _ in range(3)], ticks)
        sleeping, _ = _ticks_while(lambda: time.sleep(took), ticks)
    finally:
        stop.set()
        sys.setswitchinterval(interval)
        ticker.join()
    assert encoding >= 0.1 * sleeping > 0

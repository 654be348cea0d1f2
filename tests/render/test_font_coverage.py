"""The cmap reader behind `fonts.coverage`: the same code points as fontTools' `getBestCmap()`,
for every installed face and for made-up tables (edge cases, malformed ones, random ones)."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont, TTLibError, newTable

from imagegate.render import fonts


def installed_faces() -> list[fonts.FontFace]:
    faces = []
    for path in sorted(set(fonts._font_files().values())):
        with open(path, "rb") as f:
            head = f.read(12)
        count = struct.unpack(">L", head[8:12])[0] if head[:4] == b"ttcf" else 1
        faces += [fonts.FontFace(path, i) for i in range(count)]
    return faces


def fonttools_coverage(face: fonts.FontFace) -> frozenset[int]:
    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def test_every_installed_face_reads_as_fonttools_reads_it() -> None:
    faces = installed_faces()
    assert len(faces) > 50
    for face in faces:
        raw = fonts._raw_table(face.path, face.index, b"cmap")
        with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
            assert raw == font.reader["cmap"], face
        assert fonts._best_cmap_codes(raw) is not None, face  # the fast path, not the fallback
        fonts.coverage.cache_clear()
        assert fonts.coverage(face) == fonttools_coverage(face), face


def test_cjk_coverage_is_read_without_fonttools_glyph_names() -> None:
    face = fonts.candidates("Hani")[0]
    fonts.coverage.cache_clear()
    cmap = fonts.coverage(face)
    assert {ord(c) for c in "東京新鲜水果店"} <= cmap and len(cmap) > 40_000


def test_files_the_fast_reader_leaves_alone_go_to_fonttools(tmp_path) -> None:
    source = fonts.resolve_face("abc")
    woff = tmp_path / "font.woff"
    with TTFont(source.path) as font:
        font.flavor = "woff"
        font.save(woff)
    assert fonts._raw_table(str(woff), 0, b"cmap") is None
    fonts.coverage.cache_clear()
    assert fonts.coverage(fonts.FontFace(str(woff))) == fonttools_coverage(source)
    truncated = tmp_path / "truncated.ttf"
    truncated.write_bytes(Path(source.path).read_bytes()[:200])
    assert fonts._raw_table(str(truncated), 0, b"cmap") is None


# -- made-up cmap tables ------------------------------------------------------------------------

def fonttools_codes(data: bytes) -> frozenset[int] | None:
    """fontTools' best-cmap code points for a raw cmap table; None where fontTools refuses it."""
    font = TTFont()
    font.setGlyphOrder([f"g{i}" for i in range(1 << 16)])
    table = newTable("cmap")
    try:
        table.decompile(data, font)
        return frozenset(table.getBestCmap() or ())
    except (TTLibError, AssertionError, struct.error, ValueError, IndexError):
        return None


def check(data: bytes) -> frozenset[int] | None:
    """Our reader agrees with fontTools: same code points, or it hands the table to fontTools."""
    ours = fonts._best_cmap_codes(data)
    theirs = fonttools_codes(data)
    if theirs is None:
        assert ours is None
    elif ours is not None:
        assert frozenset(ours.tolist()) == theirs
    return theirs


def format4(segments: list[tuple[int, int, int, int]], glyphs: list[int] = (), language: int = 0) -> bytes:
    """(start, end, delta, range_offset) per segment, the 0xFFFF terminator appended."""
    segments = [*segments, (0xFFFF, 0xFFFF, 1, 0)]
    n = len(segments)
    body = struct.pack(">4H", 2 * n, 0, 0, 0)
    body += struct.pack(f">{n}H", *(s[1] for s in segments)) + b"\0\0"
    body += struct.pack(f">{n}H", *(s[0] for s in segments))
    body += struct.pack(f">{n}H", *(s[2] & 0xFFFF for s in segments))
    body += struct.pack(f">{n}H", *(s[3] for s in segments))
    body += struct.pack(f">{len(glyphs)}H", *glyphs)
    return struct.pack(">3H", 4, 6 + len(body), language) + body


def format12(groups: list[tuple[int, int, int]], fmt: int = 12) -> bytes:
    body = b"".join(struct.pack(">3L", *g) for g in groups)
    return struct.pack(">HHLLL", fmt, 0, 16 + len(body), 0, len(groups)) + body


def cmap(*subtables: tuple[int, int, bytes], shared: dict[int, int] | None = None) -> bytes:
    """A cmap table; `shared` maps a subtable's index to an earlier one whose data it reuses."""
    shared = shared or {}
    offset = 4 + 8 * len(subtables)
    records, blobs, offsets = [], b"", []
    for i, (platform, encoding, data) in enumerate(subtables):
        if i in shared:
            offsets.append(offsets[shared[i]])
        else:
            offsets.append(offset + len(blobs))
            blobs += data
        records.append(struct.pack(">HHL", platform, encoding, offsets[-1]))
    return struct.pack(">HH", 0, len(subtables)) + b"".join(records) + blobs


def test_format4_segments_deltas_glyph_arrays_and_missing_glyphs() -> None:
    # a delta that maps 0x30 to glyph 0 (missing); 0x41-0x43 by delta; 0x61-0x64 through the
    # glyph array, whose 0 is a missing glyph (segment 2 of 5: 2 * (5 - 2) bytes from its
    # idRangeOffset entry to the array's start); an inverted segment, which maps nothing
    segments = [(0x30, 0x31, -0x30, 0), (0x41, 0x43, 5, 0), (0x61, 0x64, 2, 2 * (5 - 2)), (0x80, 0x70, 0, 0)]
    assert check(cmap((3, 1, format4(segments, [7, 0, 9, 10])))) == {0x31, 0x41, 0x42, 0x43, 0x61, 0x63, 0x64}


def test_format4_overlaps_and_out_of_range_glyph_indexes() -> None:
    check(cmap((3, 1, format4([(0x41, 0x50, 3, 0), (0x45, 0x60, 0xFFFF - 0x44, 0)]))))
    check(cmap((3, 1, format4([(0x41, 0x50, 0, 400)], [1, 2]))))  # fontTools refuses: past the array


def test_format12_and_13_groups() -> None:
    data = cmap((3, 10, format12([(0x20, 0x7E, 0), (0x7E, 0x80, 5), (0x1F600, 0x1F64F, 900)])), (3, 1, format4([(0x20, 0x21, 1, 0)])))
    assert check(data) == {*range(0x21, 0x81), *range(0x1F600, 0x1F650)}
    assert check(cmap((0, 6, format12([(0x41, 0x5A, 0), (0x61, 0x7A, 3)], fmt=13)))) == set(range(0x61, 0x7B))
    for groups in ([(0x50, 0x60, 1), (0x40, 0x45, 1)], [(0x50, 0x40, 1)], [(0x10FFF0, 0x110010, 1)]):
        check(cmap((3, 10, format12(groups))))  # unsorted, inverted, beyond Unicode: fontTools' rules


def test_subtable_choice_and_shared_offsets() -> None:
    bmp = format4([(0x41, 0x42, 1, 0)])
    full = format12([(0x41, 0x43, 1), (0x1F600, 0x1F600, 9)])
    assert check(cmap((3, 1, bmp), (3, 10, full))) == {0x41, 0x42, 0x43, 0x1F600}  # (3, 10) first
    assert check(cmap((0, 3, bmp), (3, 1, format4([(0x61, 0x61, 1, 0)])))) == {0x61}  # (3, 1) before (0, 3)
    assert check(cmap((0, 3, bmp), (3, 1, bmp), shared={1: 0})) == {0x41, 0x42}
    assert check(cmap((3, 0, bmp))) == frozenset()  # a symbol font: no Unicode subtable
    mac = struct.pack(">3H", 0, 262, 0) + bytes(range(256))
    assert check(cmap((1, 0, mac), (3, 1, bmp))) == {0x41, 0x42}
    assert fonts._best_cmap_codes(cmap((3, 1, mac))) is None  # a format the fast reader leaves alone


def test_malformed_tables_are_left_to_fonttools() -> None:
    good = cmap((3, 1, format4([(0x41, 0x42, 1, 0)])))
    for bad in (good[:3], good[:10], good[:-4], good[:4] + struct.pack(">HHL", 3, 1, 10_000), b"\0\0\0\x09" + good[4:]):
        check(bad)
        assert fonts._best_cmap_codes(bad) is None
    zero_length = cmap((3, 1, struct.pack(">3H", 4, 0, 0) + b"\0" * 20))
    assert fonts._best_cmap_codes(zero_length) is None


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_read_as_fonttools_reads_them(seed: int) -> None:
    rng = random.Random(seed)
    segments, glyphs = [], []
    start = rng.randrange(0, 200)
    count = rng.randrange(1, 30)
    for i in range(count):
        end = min(start + rng.randrange(0, 40), 0xFFFE)
        if rng.random() < 0.4:
            offset = 2 * (count + 1 - i) + 2 * len(glyphs)  # into the glyph array, from entry i
            offset += 2 * rng.randrange(-3, 3) if rng.random() < 0.05 else 0  # now and then past either end
            glyphs += [rng.choice((0, rng.randrange(1, 600))) for _ in range(end - start + 1)]
            segments.append((start, end, rng.randrange(0, 0x10000), offset))
        else:
            segments.append((start, end, rng.randrange(0, 0x10000), 0))
        start = end + rng.randrange(-5, 30) if rng.random() < 0.2 else end + rng.randrange(1, 30)
        start = max(0, min(start, 0xFFFE))
    groups, first = [], rng.randrange(0, 0x100)
    for _ in range(rng.randrange(0, 40)):
        last = first + rng.randrange(0, 500)
        groups.append((first, last, rng.choice((0, rng.randrange(1, 70_000)))))
        first = last + rng.randrange(-50 if rng.random() < 0.05 else 0 if rng.random() < 0.2 else 1, 3000)  # overlaps now and then
    tables = [(3, 1, format4(segments, glyphs)), (3, 10, format12(groups, rng.choice((12, 13))))]
    rng.shuffle(tables)
    data = cmap(*tables[:rng.randrange(1, 3)])
    check(data)

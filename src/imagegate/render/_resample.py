"""Upscaling planar uint8 RGB (3, h, w) to a Pillow image, in integer NumPy where the factor is whole.

The background is made small and enlarged by exactly 2x (medium quality) or 4x (smooth kinds). For
those factors the taps of Pillow's filters are fixed small fractions, so the enlargement is a few
uint16 multiply-adds per pixel: about twice as fast as `Image.resize`, and (like every large NumPy
operation) free of the GIL. Other factors go through `Image.resize`, which also releases it.

The work goes in bands of input rows whose temporaries stay in the CPU cache: streaming
whole-image temporaries through memory made it slower than Pillow on a busy machine. Results match
Pillow's to within a level or two (the cubic is not clipped between its two passes).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Keys cubic (a = -0.5, Pillow's BICUBIC) at the 2x output phases, x128: the even output of input
# row i takes 111 of row i, 29 of row i-1, -9 of row i+1 and -3 of row i-2; the odd one mirrors it.
# Biases lift every partial sum above zero, so wrapping uint16 arithmetic stays exact: the rows
# pass sees 0..255 (sums down to -12 * 255), the columns pass 0..303 (value + 24, see below).
_ROWS_BIAS, _COLS_BIAS = 3072, 3648
_CUBIC = ((29, 1, 3), (9, 3, 1), (3, 0, 4))  # weight, even tap, odd tap (taps i-2..i+2 are 0..4)
_U16 = np.uint16
_BAND_VALUES = 196_608  # input values (channels x rows x columns) per band: a few MB of temporaries


def to_image(planes: np.ndarray) -> Image.Image:
    """Planar uint8 (3, h, w) as an RGB image (Pillow interleaves the bands)."""
    _, h, w = planes.shape
    return Image.merge("RGB", [Image.frombuffer("L", (w, h), np.ascontiguousarray(p), "raw", "L", 0, 1) for p in planes])


def upscale(planes: np.ndarray, width: int, height: int, resample: int) -> Image.Image:
    """Planar uint8 (3, h, w) enlarged to width x height with `resample` (BILINEAR or BICUBIC)."""
    _, h, w = planes.shape
    factor = width // w if width % w == 0 else 0
    if factor > 1 and (w * factor, h * factor) == (width, height) and np.little_endian:
        if resample == Image.BICUBIC and factor == 2:
            return to_image(_cubic2x(planes))
        if resample == Image.BILINEAR and factor in (2, 4):
            return to_image(_linear(planes, factor))
    return to_image(planes).resize((width, height), resample)


def _bands(planes: np.ndarray, context: int) -> tuple[np.ndarray, list[tuple[int, int, np.ndarray]]]:
    """uint16 `planes` and its bands of rows: (first row, end row, the band's rows with `context`
    rows of edge-replicated context above and below)."""
    c, h, w = planes.shape
    src = planes.astype(_U16)
    step = max(4, _BAND_VALUES // (c * w))
    bands = []
    for r0 in range(0, h, step):
        r1 = min(h, r0 + step)
        if r0 >= context and r1 + context <= h:
            rows = src[:, r0 - context : r1 + context]
        else:
            rows = src[:, np.clip(np.arange(r0 - context, r1 + context), 0, h - 1)]
        bands.append((r0, r1, rows))
    return src, bands


def _pad_columns(rows: np.ndarray, pad: int) -> np.ndarray:
    """`rows` with `pad` edge-replicated columns on both sides."""
    c, n, w = rows.shape
    out = np.empty((c, n, w + 2 * pad), _U16)
    out[:, :, pad : pad + w] = rows
    out[:, :, :pad] = rows[:, :, :1]
    out[:, :, pad + w :] = rows[:, :, w - 1 :]
    return out


def _cubic_phases(padded: np.ndarray, axis: int, n: int, bias: int, even: np.ndarray, odd: np.ndarray) -> None:
    """Both 2x cubic phases along `axis` of `padded` (edge-padded by 2): sums of the x128 taps plus
    `bias`, in wrapping uint16 (exact while each true sum, once biased, stays in 0..65535)."""

    def tap(array: np.ndarray, k: int) -> np.ndarray:
        index = [slice(None)] * array.ndim
        index[axis] = slice(k, k + n)
        return array[tuple(index)]

    np.multiply(tap(padded, 2), _U16(111), out=even)
    even += _U16(bias)
    odd[...] = even
    scaled = np.empty_like(padded)
    for weight, even_tap, odd_tap in _CUBIC:
        np.multiply(padded, _U16(weight), out=scaled)  # one product serves both phases
        if weight == 29:
            even += tap(scaled, even_tap)
            odd += tap(scaled, odd_tap)
        else:
            even -= tap(scaled, even_tap)
            odd -= tap(scaled, odd_tap)


def _cubic2x(planes: np.ndarray) -> np.ndarray:
    """2x bicubic of planar uint8: rows into uint16 at 1/128 steps, then columns, then rounded."""
    c, h, w = planes.shape
    out = np.empty((c, 2 * h, 2 * w), np.uint8)
    pairs = out.view(_U16)  # (c, 2h, w): an even and an odd output column per little-endian word
    offset = 128 * 24 + _COLS_BIAS  # column sums are 128 * (value + 24) + _COLS_BIAS
    for r0, r1, rows in _bands(planes, 2)[1]:
        n = r1 - r0
        # output rows 2i and 2i+1 side by side, each with 2 columns of edge padding for the columns pass
        tall = np.empty((c, n, 2, w + 4), _U16)
        inner = tall[..., 2 : w + 2]
        _cubic_phases(rows, 1, n, _ROWS_BIAS + 64, inner[:, :, 0], inner[:, :, 1])  # + 64: rounds the shift
        inner >>= _U16(7)  # whole units of value + 24 (0..303), so columns fit uint16
        tall[..., :2] = tall[..., 2:3]
        tall[..., w + 2 :] = tall[..., w + 1 : w + 2]
        tall = tall.reshape(c, 2 * n, w + 4)
        even, odd = np.empty((c, 2 * n, w), _U16), np.empty((c, 2 * n, w), _U16)
        _cubic_phases(tall, 2, w, _COLS_BIAS, even, odd)
        for phase in (even, odd):  # clip the value to 0..255 and round it
            np.clip(phase, _U16(offset - 64), _U16(offset + 255 * 128 - 64), out=phase)
            phase -= _U16(offset - 64)
            phase >>= _U16(7)
        block = pairs[:, 2 * r0 : 2 * r1]
        np.left_shift(odd, _U16(8), out=block)
        block |= even
    return out


def _linear_weights(factor: int) -> list[tuple[int, int, int]]:
    """Pillow's bilinear taps (previous, same, next input) of each output phase, x 2*factor:
    output k of input i sits at i + (2k + 1 - factor) / (2 * factor)."""
    scale = 2 * factor
    weights = []
    for k in range(factor):
        d = 2 * k + 1 - factor
        weights.append((-d, scale + d, 0) if d < 0 else (0, scale - d, d))
    return weights


def _linear(planes: np.ndarray, factor: int) -> np.ndarray:
    """factor x bilinear of planar uint8 (factor 2 or 4), in uint16 sums of (2 * factor) ** 2 * value
    (at most 16320): columns first, on the small image, so the interleaving of output columns
    touches 1/factor of the output; the rows pass then writes whole output rows."""
    c, h, w = planes.shape
    weights = _linear_weights(factor)
    shift = {2: 4, 4: 6}[factor]  # log2((2 * factor) ** 2)
    out = np.empty((c, h, factor, w * factor), np.uint8)  # output rows factor * i + k side by side
    for r0, r1, rows in _bands(planes, 1)[1]:
        n = r1 - r0
        m = rows.shape[1]  # n plus a context row above and below
        wide = _pad_columns(rows, 1)
        cols = np.empty((c, m, w, factor), _U16)
        acc, tmp = np.empty((c, m, w), _U16), np.empty((c, m, w), _U16)
        for k, taps in enumerate(weights):
            _weigh(wide[:, :, 1 : w + 1], wide[:, :, 0:w], wide[:, :, 2 : w + 2], taps, acc, tmp)
            cols[..., k] = acc
        cols = cols.reshape(c, m, w * factor)
        acc, tmp = np.empty((c, n, w * factor), _U16), np.empty((c, n, w * factor), _U16)
        for k, taps in enumerate(weights):
            _weigh(cols[:, 1 : n + 1], cols[:, 0:n], cols[:, 2 : n + 2], taps, acc, tmp)
            acc += _U16(1 << (shift - 1))
            acc >>= _U16(shift)
            out[:, r0:r1, k] = acc
    return out.reshape(c, h * factor, w * factor)


def _weigh(centre: np.ndarray, prev: np.ndarray, nxt: np.ndarray, weights: tuple[int, int, int], out: np.ndarray, tmp: np.ndarray) -> None:
    """out = a * prev + b * centre + d * nxt (uint16)."""
    a, b, d = weights
    np.multiply(centre, _U16(b), out=out)
    for tap, weight in ((prev, a), (nxt, d)):
        if weight:
            np.multiply(tap, _U16(weight), out=tmp)
            out += tmp

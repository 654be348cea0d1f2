"""Edit inputs for diffusers img2img and inpainting pipelines (Pillow and numpy only, no torch).

* `repaint_mask`: what may change, as diffusers wants it (white = repaint): the keep-mask's 0s
  and the transparent pixels of the input (an expanded canvas, cut-outs).
* `fill_transparent`: transparent pixels filled with the visible content pulled in from the
  edges and smoothed (push-pull: average down a pyramid, then fill holes from coarser levels),
  so the model sees plausible context there instead of black.
* `composite_kept`: after generating, the kept area is taken from the input again (feathered
  edge), so it is the input's own pixels, not a VAE round trip of them.
* `call_steps`: the `num_inference_steps` that runs about `steps` steps at a strength < 1
  (img2img pipelines skip the first `1 - strength` of the schedule).
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageChops, ImageFilter, ImageOps


def keep_mask(init: Image.Image, mask: Image.Image | None) -> Image.Image | None:
    """255 where the input must stay, 0 where it may change (mask 0 or transparent); None: all kept."""
    keep = mask.convert("L") if mask is not None else None
    if init.mode in ("RGBA", "LA") or "transparency" in init.info:
        alpha = init.convert("RGBA").getchannel("A")
        if alpha.getextrema()[0] < 255:
            keep = alpha if keep is None else ImageChops.darker(keep, alpha)
    return keep


def has_editable_area(init: Image.Image, mask: Image.Image | None) -> bool:
    """True when a mask was given or the input has transparent pixels (inpainting, not img2img)."""
    return mask is not None or keep_mask(init, None) is not None


def repaint_mask(keep: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The diffusers inpainting mask at `size`: white = repaint, grown by a pixel or two so the
    generated area reaches under the feathered seam of `composite_kept`."""
    repaint = ImageOps.invert(keep.convert("L"))
    if repaint.size != size:
        repaint = repaint.resize(size, Image.Resampling.BILINEAR)
    grow = max(3, (min(size) // 64) | 1)  # an odd MaxFilter size
    return repaint.filter(ImageFilter.MaxFilter(grow))


def fill_transparent(image: Image.Image) -> Image.Image:
    """RGB with transparent areas filled by push-pull from the visible pixels (edge-extended,
    smooth); an opaque image comes back as is, a fully transparent one as mid grey."""
    rgba = image.convert("RGBA")
    arr = np.asarray(rgba, dtype=np.float32) / 255.0
    alpha = arr[..., 3:4]
    if alpha.min() >= 1.0:
        return rgba.convert("RGB")
    if alpha.max() <= 0.0:
        return Image.new("RGB", rgba.size, (128, 128, 128))
    levels = [(arr[..., :3] * alpha, alpha)]
    while max(levels[-1][1].shape[:2]) > 1:
        color, a = levels[-1]
        h, w = a.shape[:2]
        size = (max(1, (w + 1) // 2), max(1, (h + 1) // 2))
        levels.append((_resize(color, size, Image.Resampling.BOX), _resize(a, size, Image.Resampling.BOX)))
    color, a = levels[-1]
    filled = np.where(a > 0, color / np.maximum(a, 1e-6), 0.5)
    for color, a in reversed(levels[:-1]):
        h, w = a.shape[:2]
        up = _resize(filled, (w, h), Image.Resampling.BILINEAR)
        filled = color + (1.0 - a) * up  # premultiplied visible colour over the coarser fill
    out = Image.fromarray(np.clip(filled * 255.0 + 0.5, 0, 255).astype(np.uint8), "RGB")
    return out


def _resize(arr: np.ndarray, size: tuple[int, int], resample: Image.Resampling) -> np.ndarray:
    """Resize an HxWxC float32 array channel by channel (Pillow's "F" mode)."""
    channels = [np.asarray(Image.fromarray(np.ascontiguousarray(arr[..., c]), "F").resize(size, resample)) for c in range(arr.shape[2])]
    return np.stack(channels, axis=-1)


def composite_kept(generated: Image.Image, init: Image.Image, keep: Image.Image) -> Image.Image:
    """`generated` with the kept area of `init` (same size) put back, over a feathered seam."""
    w, h = generated.size
    radius = max(1.0, min(w, h) / 256)
    soft = ImageChops.darker(keep, keep.filter(ImageFilter.GaussianBlur(radius)))  # feather inwards only
    return Image.composite(init.convert("RGB"), generated.convert("RGB"), soft)


def call_steps(steps: int, strength: float) -> int:
    """`num_inference_steps` that makes a pipeline run at least `steps` steps at `strength`
    (diffusers runs int(num_inference_steps x strength) of them; Flux rounds the other way)."""
    if strength >= 1.0:
        return steps
    n = max(steps, math.ceil(steps / strength - 1e-9))
    while int(n * strength) < steps:
        n += 1
    return n

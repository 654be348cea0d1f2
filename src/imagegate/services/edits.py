"""Edits, expand (outpaint) and variations: inputs checked, canvas prepared, input tokens billed."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from PIL import Image, ImageOps

from imagegate.errors import InvalidRequestError, invalid_value
from imagegate.protocol.images import ImageEditRequest, ImageGenerationRequest, ImageVariationRequest, parse_model
from imagegate.services.images import ImageService, Work
from imagegate.services.metering import RecentImages, Usage, count_text_tokens
from imagegate.services.uploads import Upload, load_image, load_mask
from imagegate.services.validation import ResolvedRequest, resolve_request

ANCHORS = {
    "center": (0.5, 0.5), "top": (0.5, 0.0), "bottom": (0.5, 1.0), "left": (0.0, 0.5), "right": (1.0, 0.5),
    "top-left": (0.0, 0.0), "top-right": (1.0, 0.0), "bottom-left": (0.0, 1.0), "bottom-right": (1.0, 1.0),
}
FIDELITIES = ["low", "high"]


@dataclass(frozen=True)
class EditInputs:
    """The checked uploads of one edit."""

    images: list[Upload]
    mask: Image.Image | None = None  # "L" at the first image's size: 255 keep, 0 editable


def input_image_tokens(width: int, height: int, fidelity: str = "low") -> int:
    """OpenAI's rule: fit in 2048², shortest side to 512, 512-px tiles, 65 + 129 per tile."""
    scale = min(1.0, 2048 / max(width, height))
    w, h = width * scale, height * scale
    scale = 512 / min(w, h)
    w, h = w * scale, h * scale
    tokens = 65 + 129 * math.ceil(w / 512) * math.ceil(h / 512)
    if fidelity == "high":
        tokens += 4160 if width == height else 6240
    return tokens


def bill_inputs(inputs: list[Upload], fidelity: str, recent: RecentImages) -> tuple[int, int]:
    """(fresh image tokens, cached image tokens) for the input images; masks are not billed."""
    fresh = cached = 0
    for upload in inputs:
        tokens = input_image_tokens(*upload.image.size, fidelity)
        if recent.contains(upload.sha256):
            cached += tokens
        else:
            fresh += tokens
    return fresh, cached


def _fidelity(req: ImageEditRequest, spec) -> str:
    allowed = spec.input_fidelities
    if req.input_fidelity is None:
        return spec.default_input_fidelity
    if req.input_fidelity not in FIDELITIES:
        raise invalid_value("input_fidelity", req.input_fidelity, FIDELITIES)
    if req.input_fidelity not in allowed:
        if len(allowed) == 1 and allowed[0] == "high":
            return "high"  # gpt-image-2 always works at high fidelity; the field is ignored
        raise invalid_value("input_fidelity", req.input_fidelity, allowed)
    return req.input_fidelity


def edit_size(service: ImageService, resolved: ResolvedRequest, first: Image.Image) -> tuple[int, int]:
    """`size=auto` for an edit: the input's own size where the model allows it, else the
    listed size closest to the input's aspect."""
    spec = resolved.spec
    w, h = first.size
    m = spec.size_multiple
    if spec.flexible_sizes:
        scale = min(1.0, spec.max_side / max(w, h), math.sqrt(spec.max_pixels / (w * h)))
        sw, sh = max(m, int(w * scale) // m * m), max(m, int(h * scale) // m * m)
        if max(sw, sh) / min(sw, sh) <= spec.max_aspect_ratio:
            return sw, sh
    sizes = [tuple(int(v) for v in s.split("x")) for s in spec.sizes]
    return min(sizes, key=lambda s: abs(math.log((s[0] / s[1]) / (w / h))))


def prepare_canvas(first: Image.Image, mask: Image.Image | None, size: tuple[int, int], anchor: str) -> tuple[Image.Image, Image.Image | None]:
    """The input at the output size, and the keep-mask. Expanding (a size larger than the input)
    places the input at `anchor` on a transparent canvas whose new area is editable."""
    tw, th = size
    w, h = first.size
    if tw >= w and th >= h and (tw, th) != (w, h):
        ax, ay = ANCHORS[anchor]
        x, y = round((tw - w) * ax), round((th - h) * ay)
        canvas = Image.new("RGBA", size, (0, 0, 0, 0))
        canvas.paste(first.convert("RGBA"), (x, y))
        keep = Image.new("L", size, 0)
        keep.paste(mask if mask is not None else Image.new("L", first.size, 255), (x, y))
        return canvas, keep
    if (tw, th) == (w, h):
        return first.convert("RGBA"), mask
    canvas = ImageOps.fit(first.convert("RGBA"), size, Image.LANCZOS)
    return canvas, ImageOps.fit(mask, size, Image.LANCZOS) if mask is not None else None


async def prepare_edit(service: ImageService, body: dict, inputs: EditInputs, model_override: str | None = None, request_id: str = "") -> Work:
    """Validate an edit request and build its Work (plan, size, canvas, input tokens)."""
    req = parse_model(ImageEditRequest, body)
    resolved = resolve_request(service.registry, req, model_override)
    anchor = req.anchor or "center"
    if anchor not in ANCHORS:
        raise invalid_value("anchor", anchor, list(ANCHORS))
    fidelity = _fidelity(req, resolved.spec)
    await service.screen(resolved, request_id)
    plan, size = await service.plan(resolved)
    if resolved.size is None:
        size = edit_size(service, resolved, inputs.images[0].image)
    canvas, keep = prepare_canvas(inputs.images[0].image, inputs.mask, size, anchor)
    engine_request = dataclasses.replace(
        service.engine_request(resolved, plan, size),
        mode="edit", init_image=canvas, mask=keep, reference_images=tuple(u.image for u in inputs.images[1:]),
    )
    fresh, cached = bill_inputs(inputs.images, fidelity, service.recent_images)
    usage = Usage(text_tokens=count_text_tokens(resolved.prompt), image_tokens=fresh, cached_image_tokens=cached)
    return Work(resolved, plan, size, engine_request, usage, operation="edit", input_hashes=tuple(u.sha256 for u in inputs.images))


async def prepare_variation(service: ImageService, body: dict, upload: Upload) -> Work:
    """Validate a variation request (the dall-e-2 shape) and build its Work."""
    req = parse_model(ImageVariationRequest, body)
    gen_body = {"prompt": "variation", **req.model_dump(exclude_none=True, exclude={"model_extra"})}
    resolved = resolve_request(service.registry, parse_model(ImageGenerationRequest, gen_body))
    resolved = dataclasses.replace(resolved, prompt="")
    w, h = upload.image.size
    size = resolved.size or edit_size(service, resolved, upload.image)
    if resolved.size is None and w == h:
        size = (min(size), min(size))
    plan, _ = await service.plan(dataclasses.replace(resolved, prompt="an image"))
    canvas = ImageOps.fit(upload.image.convert("RGB"), size, Image.LANCZOS)
    engine_request = dataclasses.replace(service.engine_request(resolved, plan, size), mode="variation", init_image=canvas, prompt="")
    fresh, cached = bill_inputs([upload], "low", service.recent_images)
    usage = Usage(image_tokens=fresh, cached_image_tokens=cached)
    return Work(resolved, plan, size, engine_request, usage, operation="variation", input_hashes=(upload.sha256,))


def load_edit_inputs(files: list[tuple[bytes, str | None]], mask: tuple[bytes, str | None] | None) -> EditInputs:
    """Check and decode an edit's images (`image` or `image[0..15]`) and mask."""
    check_image_count(len(files))
    params = ["image"] if len(files) == 1 else [f"image[{i}]" for i in range(len(files))]
    uploads = [load_image(data, mime, param) for (data, mime), param in zip(files, params, strict=True)]
    keep = load_mask(mask[0], mask[1], uploads[0].image.size) if mask else None
    return EditInputs(images=uploads, mask=keep)


def check_image_count(count: int) -> None:
    """1 to 16 input images."""
    if count == 0:
        raise InvalidRequestError("Missing required parameter: 'image'.", param="image", code="missing_required_parameter")
    if count > 16:
        raise InvalidRequestError(f"Invalid 'image': too many images ({count}); at most 16 are accepted.", param="image", code="too_many_images")

"""Edits, expand (outpaint) and variations: the request and its uploads checked from headers
before admission; after it, the prompt screened and planned, the uploads decoded and the canvas
prepared; input tokens billed by the live API's rule.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import anyio
from PIL import Image, ImageOps

from imagegate.accounts.metering import RecentImages, Usage
from imagegate.api.wire import ImageEditRequest, ImageGenerationRequest, ImageVariationRequest, parse_model
from imagegate.config import ModelSpec
from imagegate.errors import InvalidRequestError, invalid_value
from imagegate.pipeline.core import Pipeline
from imagegate.pipeline.uploads import (
    MAX_IMAGES,
    Probe,
    Raw,
    check_pixel_budget,
    decode_image,
    decode_mask,
    probe_image,
    probe_mask,
)
from imagegate.pipeline.validation import ResolvedRequest, resolve_request
from imagegate.pipeline.work import Ticket, Work
from imagegate.plan import Plan
from imagegate.sizes import listed_sizes

ANCHORS = {
    "center": (0.5, 0.5), "top": (0.5, 0.0), "bottom": (0.5, 1.0), "left": (0.0, 0.5), "right": (1.0, 0.5),
    "top-left": (0.0, 0.0), "top-right": (1.0, 0.0), "bottom-left": (0.0, 1.0), "bottom-right": (1.0, 1.0),
}
FIDELITIES = ["low", "high"]
VARIATION_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class EditRequest:
    """A validated edit or variation, before anything is decoded."""

    req: ResolvedRequest
    operation: str = "edit"  # edit | variation
    anchor: str = "center"
    fidelity: str = "low"


@dataclass(frozen=True)
class EditUploads:
    """The header-checked uploads of one edit or variation."""

    images: list[Probe]
    mask: Probe | None = None


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


def bill_inputs(inputs: list[Probe], fidelity: str, recent: RecentImages | None) -> tuple[int, int]:
    """(fresh image tokens, cached image tokens) for the input images; masks are not billed.
    Without `recent` every image is fresh (the hold's ceiling)."""
    fresh = cached = 0
    for probe in inputs:
        tokens = input_image_tokens(*probe.size, fidelity)
        if recent is not None and recent.contains(probe.sha256):
            cached += tokens
        else:
            fresh += tokens
    return fresh, cached


def _fidelity(value: str | None, spec: ModelSpec) -> str:
    allowed = spec.input_fidelities
    if value is None:
        return spec.default_input_fidelity
    if value not in FIDELITIES:
        raise invalid_value("input_fidelity", value, FIDELITIES)
    if value not in allowed:
        if len(allowed) == 1 and allowed[0] == "high":
            return "high"  # gpt-image-2 always works at high fidelity; the field is ignored
        raise invalid_value("input_fidelity", value, allowed)
    return value


def edit_size(spec: ModelSpec, first: tuple[int, int]) -> tuple[int, int]:
    """`size=auto` for an edit: the input's own size where the model allows it, else the listed
    size closest to the input's aspect."""
    w, h = first
    m = spec.size_multiple
    if spec.flexible_sizes:
        scale = min(1.0, spec.max_side / max(w, h), math.sqrt(spec.max_pixels / (w * h)))
        sw, sh = max(m, int(w * scale) // m * m), max(m, int(h * scale) // m * m)
        if max(sw, sh) / min(sw, sh) <= spec.max_aspect_ratio:
            return sw, sh
    return min(listed_sizes(spec.sizes), key=lambda s: abs(math.log((s[0] / s[1]) / (w / h))))


def output_size(edit: EditRequest, uploads: EditUploads) -> tuple[int, int]:
    """The edit's output size, known from the first image's header alone."""
    req = edit.req
    if req.size is not None:
        return req.size
    first = uploads.images[0].size
    size = edit_size(req.spec, first)
    if edit.operation == "variation" and first[0] == first[1]:
        size = (min(size), min(size))
    return size


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


# -- before admission: validation and header checks ------------------------------------------
def parse_edit(pipeline: Pipeline, body: dict, model_override: str | None = None) -> EditRequest:
    """Validate an edit request's fields (400/404 on any problem)."""
    req = parse_model(ImageEditRequest, body)
    resolved = resolve_request(pipeline.registry, req, model_override)
    anchor = req.anchor or "center"
    if anchor not in ANCHORS:
        raise invalid_value("anchor", anchor, list(ANCHORS))
    return EditRequest(resolved, "edit", anchor, _fidelity(req.input_fidelity, resolved.spec))


def parse_variation(pipeline: Pipeline, body: dict) -> EditRequest:
    """Validate a variation request (the dall-e-2 shape)."""
    req = parse_model(ImageVariationRequest, body)
    declared = req.model_dump(exclude_none=True, include=set(ImageVariationRequest.model_fields))  # unknown fields are ignored, not passed on
    gen_body = {"prompt": "variation", **declared}
    resolved = resolve_request(pipeline.registry, parse_model(ImageGenerationRequest, gen_body))
    return EditRequest(dataclasses.replace(resolved, prompt=""), "variation")


def check_image_count(count: int) -> None:
    """1 to 16 input images."""
    if count == 0:
        raise InvalidRequestError("Missing required parameter: 'image'.", param="image", code="missing_required_parameter")
    if count > MAX_IMAGES:
        raise InvalidRequestError(f"Invalid 'image': too many images ({count}); at most {MAX_IMAGES} are accepted.", param="image", code="too_many_images")


def probe_uploads(operation: str, files: list[Raw], mask: Raw | None, pixel_budget: int) -> EditUploads:
    """Check an edit's images (`image` or `image[0..15]`) and mask, or a variation's one image,
    from their headers, within the request's pixel budget."""
    if operation == "variation":
        if len(files) != 1:
            raise InvalidRequestError("Missing required parameter: 'image'." if not files else "Variations take exactly one image.", param="image", code="missing_required_parameter" if not files else "invalid_value")
        probes = [probe_image(files[0][0], files[0][1], "image", max_bytes=VARIATION_BYTES)]
        mask = None
    else:
        check_image_count(len(files))
        params = ["image"] if len(files) == 1 else [f"image[{i}]" for i in range(len(files))]
        probes = [probe_image(data, mime, param) for (data, mime), param in zip(files, params, strict=True)]
    keep = probe_mask(mask[0], mask[1], probes[0].size) if mask else None
    check_pixel_budget([*probes, *([keep] if keep else [])], pixel_budget)
    return EditUploads(probes, keep)


def ceiling_inputs(edit: EditRequest, uploads: EditUploads, text: Usage) -> Usage:
    """The input usage a hold must cover: every image billed fresh."""
    fresh, _ = bill_inputs(uploads.images, edit.fidelity, None)
    return dataclasses.replace(text, image_tokens=fresh)


# -- after admission: screen, plan, decode, canvas --------------------------------------------
async def analyse(pipeline: Pipeline, edit: EditRequest, uploads: EditUploads, ticket: Ticket) -> tuple[Plan, tuple[int, int]]:
    """Screen the prompt and plan it; the output size follows the input."""
    if edit.operation == "variation":
        plan = await pipeline.make_plan("an image")
    else:
        await pipeline.screen(edit.req, ticket.call.request_id)
        plan = await pipeline.make_plan(edit.req.prompt)
    return plan, output_size(edit, uploads)


async def build_work(pipeline: Pipeline, edit: EditRequest, uploads: EditUploads, plan: Plan, size: tuple[int, int], inputs: Usage) -> Work:
    """Decode the uploads and prepare the canvas: the edit's Work (also how a job rebuilds it)."""
    req = edit.req
    hashes = tuple(p.sha256 for p in uploads.images)
    base = pipeline.engine_request(req, plan, size)
    base = dataclasses.replace(  # as sent, for engines that forward the request upstream
        base, wire={**base.wire, "input_fidelity": edit.fidelity}, input_files=tuple(p.data for p in uploads.images),
        mask_file=uploads.mask.data if uploads.mask is not None else None,
    )
    engine = pipeline.engines.get(req.spec.id)
    if engine is not None and engine.capabilities.forwards_uploads:  # nothing to decode: the uploads go on as sent
        if edit.operation == "variation":
            base = dataclasses.replace(base, prompt="", engine_prompt=None)
        return Work(req, plan, size, dataclasses.replace(base, mode=edit.operation), inputs, operation=edit.operation, input_hashes=hashes)
    first = await decode_image(uploads.images[0])
    if edit.operation == "variation":
        canvas = await anyio.to_thread.run_sync(lambda: ImageOps.fit(first.image.convert("RGB"), size, Image.LANCZOS))
        engine_request = dataclasses.replace(base, mode="variation", init_image=canvas, prompt="", engine_prompt=None)
        return Work(req, plan, size, engine_request, inputs, operation="variation", input_hashes=hashes)
    keep = await decode_mask(uploads.mask) if uploads.mask is not None else None
    references = tuple([(await decode_image(p, fit=size)).image for p in uploads.images[1:]])  # one at a time, shrunk as decoded
    canvas, keep = await anyio.to_thread.run_sync(prepare_canvas, first.image, keep, size, edit.anchor)
    engine_request = dataclasses.replace(base, mode="edit", init_image=canvas, mask=keep, reference_images=references)
    return Work(req, plan, size, engine_request, inputs, operation="edit", input_hashes=hashes)


def billed_inputs(pipeline: Pipeline, edit: EditRequest, uploads: EditUploads, text: Usage) -> Usage:
    """Input usage as billed: images seen within the hour at the cached-input price."""
    fresh, cached = bill_inputs(uploads.images, "low" if edit.operation == "variation" else edit.fidelity, pipeline.recent_images)
    return dataclasses.replace(text, image_tokens=fresh, cached_image_tokens=cached)


async def prepare(pipeline: Pipeline, edit: EditRequest, uploads: EditUploads, ticket: Ticket, text: Usage) -> Work:
    """An admitted edit or variation, ready for its engine."""
    plan, size = await analyse(pipeline, edit, uploads, ticket)
    if getattr(pipeline.recent_images, "blocking", False):  # shared (Redis): off the event loop
        inputs = await anyio.to_thread.run_sync(billed_inputs, pipeline, edit, uploads, text)
    else:
        inputs = billed_inputs(pipeline, edit, uploads, text)
    return await build_work(pipeline, edit, uploads, plan, size, inputs)

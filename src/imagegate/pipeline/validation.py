"""Validate a generation request against its model's capabilities and resolve defaults."""

from __future__ import annotations

from dataclasses import dataclass

from imagegate.ids import random_bits
from imagegate.config import ModelSpec, Registry
from imagegate.sizes import parse_size
from imagegate.errors import InvalidRequestError, NotFoundError, invalid_value
from imagegate.api.wire import ImageGenerationRequest

QUALITY_TIERS = {"low": "low", "medium": "medium", "high": "high", "auto": "medium", "standard": "medium", "hd": "high"}
OUTPUT_FORMATS = ["png", "jpeg", "webp"]
BACKGROUNDS = ["transparent", "opaque", "auto"]
RESPONSE_FORMATS = ["url", "b64_json"]
MODERATION_LEVELS = ["low", "auto"]
STYLES = ["vivid", "natural"]
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class ResolvedRequest:
    """A generation request that passed validation, with every default filled in."""

    spec: ModelSpec
    model_name: str  # what the client sent (or the default), for logs and echo
    prompt: str
    n: int
    size: tuple[int, int] | None  # None: "auto", decided after planning
    quality: str  # low | medium | high
    output_format: str
    output_compression: int | None
    background: str  # transparent | opaque | auto
    want_url: bool
    want_b64: bool
    seed: int
    user: str | None
    stream: bool
    partial_images: int
    include_plan: bool
    moderation: str = "auto"
    quality_asked: str = "auto"  # as sent (auto, standard, hd...): what an upstream API is asked for
    style: str | None = None  # dall-e-3's vivid | natural, passed to an upstream that takes it


def resolve_model(registry: Registry, name: str | None) -> ModelSpec:
    """The registry entry for `name`, or OpenAI's 404 model_not_found."""
    spec = registry.resolve(name)
    if spec is None:
        raise NotFoundError(
            f"The model '{name}' does not exist or you do not have access to it.",
            param="model",
            code="model_not_found",
        )
    return spec


def _choice(param: str, value: str | None, allowed: list[str], default: str) -> str:
    if value is None:
        return default
    if value not in allowed:
        raise invalid_value(param, value, allowed)
    return value


def _int_range(param: str, value: int | None, low: int, high: int, default: int) -> int:
    if value is None:
        return default
    if value < low:
        raise InvalidRequestError(
            f"Invalid '{param}': integer below minimum value. Expected a value >= {low}, but got {value} instead.",
            param=param,
            code="integer_below_min_value",
        )
    if value > high:
        raise InvalidRequestError(
            f"Invalid '{param}': integer above maximum value. Expected a value <= {high}, but got {value} instead.",
            param=param,
            code="integer_above_max_value",
        )
    return value


def resolve_size(spec: ModelSpec, size: str | None) -> tuple[int, int] | None:
    """(width, height) for a size string, None for auto; 400 when the model can't make it."""
    if size is None or size == "auto":
        return None
    allowed = [*spec.sizes, "auto"]
    parsed = parse_size(size)
    if parsed is None:
        raise invalid_value("size", size, allowed)
    width, height = parsed
    if size in spec.sizes:
        return width, height
    if not spec.flexible_sizes:
        raise invalid_value("size", size, allowed)
    problem = _flexible_size_problem(spec, width, height)
    if problem:
        raise InvalidRequestError(f"Invalid value: '{size}'. {problem}", param="size", code="invalid_value")
    return width, height


def _flexible_size_problem(spec: ModelSpec, width: int, height: int) -> str | None:
    m = spec.size_multiple
    if width % m or height % m:
        return f"Both width and height must be multiples of {m}."
    if min(width, height) < spec.min_side:
        return f"The shortest side must be at least {spec.min_side} pixels."
    if max(width, height) > spec.max_side:
        return f"The longest side must be at most {spec.max_side} pixels."
    if width * height > spec.max_pixels:
        return f"The image must have at most {spec.max_pixels} pixels."
    if max(width, height) / min(width, height) > spec.max_aspect_ratio:
        return f"The aspect ratio must be within {spec.max_aspect_ratio:g}:1."
    return None


def _prompt(spec: ModelSpec, prompt: str) -> str:
    if not prompt.strip():
        raise InvalidRequestError("Invalid 'prompt': empty string. Expected a non-empty prompt.", param="prompt", code="empty_string")
    if len(prompt) > spec.max_prompt_chars:
        raise InvalidRequestError(
            f"Invalid 'prompt': string too long. Expected a string with maximum length "
            f"{spec.max_prompt_chars}, but got a string with length {len(prompt)} instead.",
            param="prompt",
            code="string_above_max_length",
        )
    return prompt


def resolve_request(registry: Registry, req: ImageGenerationRequest, model_override: str | None = None) -> ResolvedRequest:
    """Check every field of `req` against its model and fill in defaults."""
    name = model_override or req.model or registry.default_model
    spec = resolve_model(registry, name)
    prompt = _prompt(spec, req.prompt)
    n = _int_range("n", req.n, 1, spec.max_n, 1)
    size = resolve_size(spec, req.size)
    quality_asked = _choice("quality", req.quality, spec.qualities, "auto")
    quality = QUALITY_TIERS[quality_asked]
    output_format = _choice("output_format", req.output_format, OUTPUT_FORMATS, "png")
    compression = None if req.output_compression is None else _int_range("output_compression", req.output_compression, 0, 100, 100)
    background = _choice("background", req.background, BACKGROUNDS, "auto")
    if background == "transparent":
        if not spec.transparent_background:
            raise InvalidRequestError("Transparent background is not supported for this model.", param="background", code="invalid_value")
        if output_format == "jpeg":
            raise InvalidRequestError(
                "Transparent background is not supported for JPEG output format; use 'png' or 'webp'.",
                param="background",
                code="invalid_value",
            )
    response_format = _choice("response_format", req.response_format, RESPONSE_FORMATS, "")
    moderation = _choice("moderation", req.moderation, MODERATION_LEVELS, "auto")
    style = _choice("style", req.style, STYLES, "vivid") if req.style is not None else None
    partial_images = _int_range("partial_images", req.partial_images, 0, 3, 0)
    seed = _int_range("seed", req.seed, 0, MAX_SEED, 0) if req.seed is not None else random_bits(31)
    return ResolvedRequest(
        spec=spec,
        model_name=name,
        prompt=prompt,
        n=n,
        size=size,
        quality=quality,
        output_format=output_format,
        output_compression=compression,
        background=background,
        want_url=response_format in ("", "url"),
        want_b64=response_format in ("", "b64_json"),
        seed=seed,
        user=req.safety_identifier or req.user,
        stream=bool(req.stream),
        partial_images=partial_images,
        include_plan=bool(req.include_plan),
        moderation=moderation,
        quality_asked=quality_asked,
        style=style,
    )

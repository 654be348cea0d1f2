"""The component schemas of the OpenAPI document (see `imagegate.api.openapi`): OpenAI's image
schemas with their names, fields, enums and defaults (openai/openai-openapi, `openapi.yaml`),
imagegate's additions marked `x-imagegate-extension`, and the schemas of imagegate's own routes.
"""

from __future__ import annotations

from typing import Any

from imagegate.api.admin import KeyCreateRequest
from imagegate.config import Registry

EXT = "x-imagegate-extension"  # a field, enum branch, operation or schema OpenAI does not have
DIFFERS = "x-imagegate-differs"  # an OpenAI field whose default or accepted values differ here


# -- schema helpers ---------------------------------------------------------------------------
def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def ext(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """`schema` marked as an imagegate extension."""
    return {**schema, EXT: True, "description": description}


def null_or(schema: dict[str, Any], **outer: Any) -> dict[str, Any]:
    """`schema` or null (JSON bodies: null means "not given")."""
    return {"anyOf": [schema, {"type": "null"}], **outer}


def strings(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def const(value: str) -> dict[str, Any]:
    return {"type": "string", "enum": [value]}


def obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        out["required"] = list(required)
    return out


INT = {"type": "integer"}
NUM = {"type": "number"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
BINARY = {"type": "string", "format": "binary"}
WXH = {"type": "string", "pattern": "^[1-9][0-9]{0,4}x[1-9][0-9]{0,4}$"}
PROMPT = {"type": "string", "minLength": 1, "pattern": "\\S"}  # not blank: a blank prompt answers 400 `empty_string`
ANY_SIZE = ext(WXH, "Any `WIDTHxHEIGHT` the model can make (flexible-size models: multiples of 16, within its limits).")

# OpenAI's model enums (openai-openapi f85dbe2); this server's registry adds its own names.
GENERATION_MODELS = ["gpt-image-1.5", "gpt-image-2", "gpt-image-2-2026-04-21", "dall-e-2", "dall-e-3", "gpt-image-1", "gpt-image-1-mini"]
EDIT_MODELS = ["gpt-image-1.5", "gpt-image-2", "gpt-image-2-2026-04-21", "dall-e-2", "gpt-image-1", "gpt-image-1-mini", "chatgpt-image-latest"]
JSON_EDIT_MODELS = ["gpt-image-1.5", "gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-1", "gpt-image-1-mini", "chatgpt-image-latest"]
GENERATION_SIZES = ["auto", "1024x1024", "1536x1024", "1024x1536", "256x256", "512x512", "1792x1024", "1024x1792"]
EDIT_SIZES = ["256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "auto"]
QUALITIES = ["standard", "hd", "low", "medium", "high", "auto"]  # imagegate accepts the same set everywhere
OUTPUT_FORMATS = ["png", "jpeg", "webp"]
BACKGROUNDS = ["transparent", "opaque", "auto"]
RESPONSE_FORMATS = ["url", "b64_json"]
MODERATION = ["low", "auto"]
STYLES = ["vivid", "natural"]
FIDELITIES = ["high", "low"]
ANCHORS = ["center", "top", "bottom", "left", "right", "top-left", "top-right", "bottom-left", "bottom-right"]
MAX_SEED = 2**63 - 1


def model_field(official: list[str], registry: Registry, *, nullable: bool) -> dict[str, Any]:
    """`model`: a free string, OpenAI's names, and (marked) the other names this server serves."""
    served = [name for name, _ in registry.listed() if name not in official]
    branches: list[dict[str, Any]] = [STR, strings(*official)]
    if served:
        branches.append(ext(strings(*served), "Other model ids and aliases this server's registry serves."))
    if nullable:
        branches.append({"type": "null"})
    default = registry.default_model
    return {"anyOf": branches, "default": default,
            DIFFERS: "Without `model`, imagegate uses its registry's `default_model` (this server: "
                     f"`{default}`); OpenAI's default differs. Unknown names answer 404 `model_not_found`."}


def choice(values: list[str], default: str | None, *, nullable: bool, extra: list[str] = (), why: str = "") -> dict[str, Any]:
    """A string enum field (nullable in JSON bodies), with marked imagegate-only values."""
    base: dict[str, Any] = strings(*values)
    if extra:
        base = {"anyOf": [base, ext(strings(*extra), why)]}
    out = null_or(base) if nullable else base
    if default is not None:
        out = {**out, "default": default}
    return out


def integer(default: int | None, low: int | None, high: int | None, *, nullable: bool) -> dict[str, Any]:
    base: dict[str, Any] = {"type": "integer"}
    if low is not None:
        base["minimum"] = low
    if high is not None:
        base["maximum"] = high
    out = null_or(base) if nullable else base
    return {**out, "default": default} if default is not None else out


def boolean(default: bool | None, *, nullable: bool) -> dict[str, Any]:
    out = null_or(BOOL) if nullable else dict(BOOL)
    return {**out, "default": default} if default is not None else out


def text(*, nullable: bool) -> dict[str, Any]:
    return null_or(STR) if nullable else dict(STR)


# -- request bodies ---------------------------------------------------------------------------
def common_fields(*, nullable: bool) -> dict[str, Any]:
    """The fields generations and edits share, as imagegate reads them."""
    n = nullable
    return {
        "n": integer(1, 1, 10, nullable=n),
        "quality": choice(QUALITIES, "auto", nullable=n),
        "response_format": {
            **choice(RESPONSE_FORMATS, None, nullable=n),
            DIFFERS: "Accepted for every model. Without it imagegate answers with both `url` and `b64_json`.",
        },
        "output_format": choice(OUTPUT_FORMATS, "png", nullable=n),
        "output_compression": integer(100, 0, 100, nullable=n),
        "background": choice(BACKGROUNDS, "auto", nullable=n),
        "moderation": choice(MODERATION, "auto", nullable=n),
        "stream": boolean(False, nullable=n),
        "partial_images": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 3, "default": 0}, {"type": "null"}]},
        "user": dict(STR),
        "safety_identifier": ext(text(nullable=n), "From OpenAI's newer SDKs (not in the OpenAPI spec yet): the end-user id; wins over `user`."),
        "seed": ext(integer(None, 0, MAX_SEED, nullable=n), "Random seed: the same request and seed give the same image. Echoed per image in `data[].seed`."),
        "include_plan": ext(boolean(False, nullable=n), "Add the scene plan (thinking mode) to the response as `plan`."),
    }


def create_image_request(registry: Registry) -> dict[str, Any]:
    fields = common_fields(nullable=True)
    return obj({
        "prompt": {**PROMPT, "description": "What to draw; up to the model's `max_prompt_chars` (32000 by default)."},
        "model": model_field(GENERATION_MODELS, registry, nullable=True),
        **{k: fields[k] for k in ("n", "quality", "response_format", "output_format", "output_compression", "stream", "partial_images")},
        "size": {"anyOf": [STR, strings(*GENERATION_SIZES), ANY_SIZE, {"type": "null"}], "default": "auto"},
        **{k: fields[k] for k in ("moderation", "background")},
        "style": choice(STYLES, "vivid", nullable=True),
        **{k: fields[k] for k in ("user", "safety_identifier", "seed", "include_plan")},
    }, ("prompt",))


def create_image_edit_request(registry: Registry) -> dict[str, Any]:
    """The multipart edit: `image` (or repeated `image[]`) files, an optional `mask`."""
    fields = common_fields(nullable=False)
    quality = choice([q for q in QUALITIES if q != "hd"], "auto", nullable=False, extra=["hd"], why="Accepted as `high`.")
    return obj({
        "image": {"anyOf": [BINARY, {"type": "array", "maxItems": 16, "items": BINARY}],
                  "description": "1 to 16 PNG, JPEG or WebP images (`image`, or `image[]` repeated as the SDK sends a list)."},
        "prompt": dict(PROMPT),
        "mask": {**BINARY, "description": "A PNG with an alpha channel, the size of the first image: transparent areas are edited."},
        "background": fields["background"],
        "model": model_field(EDIT_MODELS, registry, nullable=False),
        "n": fields["n"],
        "size": {"anyOf": [STR, strings(*EDIT_SIZES), ANY_SIZE], "default": "auto",
                 DIFFERS: "Without `size` (or with `auto`) the output follows the first input image; OpenAI's default is 1024x1024."},
        "response_format": fields["response_format"],
        "output_format": fields["output_format"],
        "output_compression": fields["output_compression"],
        "user": fields["user"],
        "input_fidelity": {**strings(*FIDELITIES), DIFFERS: "The default, and whether `low` is accepted, depend on the model."},
        "stream": fields["stream"],
        "partial_images": {"type": "integer", "minimum": 0, "maximum": 3, "default": 0},
        "quality": quality,
        "moderation": ext(fields["moderation"], "Moderation level, as in the JSON edit body."),
        "style": ext(choice(STYLES, "vivid", nullable=False), "Accepted and ignored (dall-e-3's field)."),
        "anchor": ext({**strings(*ANCHORS), "default": "center"}, "Where the input sits when `size` is larger than it (outpainting)."),
        **{k: fields[k] for k in ("safety_identifier", "seed", "include_plan")},
    }, ("prompt", "image"))


IMAGE_REF = obj({
    "image_url": {"type": "string", "format": "uri", "maxLength": 20971520, "pattern": "^(data:[^,]*;base64,|https://)",
                  DIFFERS: "A `data:` URL (base64 PNG, JPEG or WebP) or an `https://` URL that imagegate fetches: public addresses "
                           "only, port 443, no redirects, the upload size limits, a deadline (`remote_images*` settings); "
                           "other URLs, and fetches that fail, answer 400 `invalid_image_url` (or `image_too_large`)."},
    "file_id": {"type": "string", DIFFERS: "imagegate has no Files API: a reference by `file_id` answers 400."},
}, anyOf=[{"required": ["image_url"]}, {"required": ["file_id"]}], additionalProperties=False)


def edit_json_request(registry: Registry) -> dict[str, Any]:
    fields = common_fields(nullable=True)
    quality = choice(["low", "medium", "high", "auto"], "auto", nullable=True, extra=["standard", "hd"], why="Accepted as `medium` and `high`.")
    return obj({
        "model": model_field(JSON_EDIT_MODELS, registry, nullable=True),
        "images": {"type": "array", "minItems": 1, "maxItems": 16, "items": ref("ImageRefParam")},
        "mask": ref("ImageRefParam"),
        "prompt": {**PROMPT, "maxLength": 32000},
        "n": null_or({"type": "integer", "minimum": 1, "maximum": 10}, default=1),
        "quality": quality,
        "input_fidelity": null_or(strings(*FIDELITIES)),
        "size": {"anyOf": [strings("auto", "1024x1024", "1536x1024", "1024x1536"), ANY_SIZE, {"type": "null"}], "default": "auto",
                 DIFFERS: "Without `size` (or with `auto`) the output follows the first input image."},
        "user": fields["user"],
        "output_format": fields["output_format"],
        "output_compression": null_or({"type": "integer", "minimum": 0, "maximum": 100}),
        "moderation": fields["moderation"],
        "background": fields["background"],
        "stream": fields["stream"],
        "partial_images": fields["partial_images"],
        "response_format": ext(fields["response_format"], "`url`, `b64_json`, or both when omitted."),
        "anchor": ext(null_or(strings(*ANCHORS), default="center"), "Where the input sits when `size` is larger than it (outpainting)."),
        **{k: fields[k] for k in ("safety_identifier", "seed", "include_plan")},
    }, ("images", "prompt"))


def variation_request(registry: Registry) -> dict[str, Any]:
    fields = common_fields(nullable=False)
    return obj({
        "image": {**BINARY, "description": "One PNG, JPEG or WebP image, under 4 MB."},
        "model": model_field(["dall-e-2"], registry, nullable=False),
        "n": fields["n"],
        "response_format": {**strings(*RESPONSE_FORMATS), "default": "url",
                            DIFFERS: "Without it imagegate answers with both `url` and `b64_json`."},
        "size": {"anyOf": [strings("256x256", "512x512", "1024x1024"), ANY_SIZE], "default": "1024x1024",
                 DIFFERS: "Without `size` the output follows the input image."},
        "user": fields["user"],
        "seed": fields["seed"],
    }, ("image",))


# -- responses --------------------------------------------------------------------------------
RESEARCH = obj({
    "status": STR, "query": null_or(STR), "facts": {"type": "array", "items": STR},
    "sources": {"type": "array", "items": {}}, "note": STR,
}, ("status",))

USAGE_INPUT = obj({
    "text_tokens": INT, "image_tokens": INT,
    "cached_tokens": ext(INT, "Input image tokens billed at the cached rate (included in `image_tokens`)."),
}, ("text_tokens", "image_tokens"))

USAGE_OUTPUT = obj({"image_tokens": INT, "text_tokens": INT}, ("image_tokens", "text_tokens"))


def usage_schema(*, with_output_details: str = "") -> dict[str, Any]:
    props: dict[str, Any] = {"input_tokens": INT, "total_tokens": INT, "output_tokens": INT}
    details = ref("ImageGenOutputTokensDetails")
    props["output_tokens_details"] = ext(details, with_output_details) if with_output_details else details
    props["input_tokens_details"] = ref("ImageGenInputUsageDetails")
    return obj(props, ("input_tokens", "total_tokens", "output_tokens", "input_tokens_details"))


def echo_fields(*, event: bool) -> dict[str, Any]:
    """The resolved settings repeated by responses and stream events (never `auto` here)."""
    sizes = ["1024x1024", "1024x1536", "1536x1024", *(["auto"] if event else [])]
    quality = ["low", "medium", "high", *(["auto"] if event else [])]
    background = ["transparent", "opaque", *(["auto"] if event else [])]
    return {
        "size": {"anyOf": [strings(*sizes), ANY_SIZE]},
        "quality": strings(*quality),
        "background": strings(*background),
        "output_format": strings("png", "webp", "jpeg"),
    }


def images_response() -> dict[str, Any]:
    echo = echo_fields(event=False)
    return obj({
        "created": {"type": "integer", "format": "unixtime"},
        "data": {"type": "array", "items": ref("Image")},
        "background": echo["background"], "output_format": echo["output_format"], "size": echo["size"], "quality": echo["quality"],
        "usage": ref("ImageGenUsage"),
        "plan": ext({"type": "object"}, "The scene plan, when the request set `include_plan`."),
        "research": ext(RESEARCH, "What web-search grounding found, when the prompt asked for current facts."),
    }, ("created",), title="Image generation response")


def stream_event(kind: str, *, completed: bool) -> dict[str, Any]:
    echo = echo_fields(event=True)
    props: dict[str, Any] = {"type": const(kind), "b64_json": STR, "created_at": {"type": "integer", "format": "unixtime"}, **echo}
    if completed:
        props["usage"] = ref("ImagesUsage")
        props["revised_prompt"] = ext(STR, "The prompt as thinking mode rewrote it, when it did (as in the non-streamed response).")
        props["seed"] = ext(INT, "The seed the image was made with.")
        props["plan"] = ext({"type": "object"}, "The scene plan, when the request set `include_plan`.")
    else:
        props["partial_image_index"] = INT
    props["image_index"] = ext(INT, "Which image (0-based) the event belongs to, when `n` > 1.")
    last = "usage" if completed else "partial_image_index"
    return obj(props, ("type", "b64_json", "created_at", "size", "quality", "background", "output_format", last))


def stream_union(prefix: str) -> dict[str, Any]:
    return {"anyOf": [ref(f"{prefix}PartialImageEvent"), ref(f"{prefix}CompletedEvent"), ref("ImageStreamErrorEvent")],
            "description": "The JSON `data` of one server-sent event; its `type` is the event's name."}


ERROR = obj({
    "code": null_or(STR), "message": STR, "param": null_or(STR), "type": STR,
    "moderation_details": ext({"type": "object"}, "On `moderation_blocked`: the stage (`input` or `output`) and the categories."),
}, ("type", "message", "param", "code"))

API_KEY_PROPS = {
    "id": INT, "object": const("api_key"), "name": STR, "prefix": STR, "admin": BOOL,
    "budget_usd": null_or(NUM), "spent_usd": NUM, "reserved_usd": NUM,
    "rpm": null_or(INT), "ipm": null_or(INT), "tpm": null_or(INT), "created_at": null_or(INT), "revoked": BOOL,
}
HOLD_PROPS = {
    "object": const("budget_hold"), "owner": STR, "key_id": null_or(INT), "amount_usd": NUM, "amount_micro_usd": INT,
    "created_at": INT, "lease_until": INT, "expired": BOOL, "process": null_or(STR),
}


def extension_schemas() -> dict[str, dict[str, Any]]:
    """Schemas of imagegate's own operations (all extensions)."""
    schemas = {
        "ImageEstimate": obj({
            "object": const("image.estimate"), "model": STR, "size": WXH, "quality": strings("low", "medium", "high"), "n": INT,
            "usage": ref("ImageGenUsage"), "cost_micro_usd": INT, "cost_usd": NUM,
        }, ("object", "model", "size", "quality", "n", "usage", "cost_micro_usd", "cost_usd")),
        "ImageJob": obj({
            "id": STR, "object": const("image.job"), "operation": strings("generation", "edit", "variation"),
            "status": strings("queued", "running", "succeeded", "failed", "cancelled"), "progress": NUM,
            "created_at": null_or(INT), "updated_at": null_or(INT),
            "result": null_or(ref("ImagesResponse")), "error": null_or(ref("Error")),
        }, ("id", "object", "operation", "status", "progress", "result", "error")),
        "ApiKey": obj(API_KEY_PROPS, ("id", "object", "name", "admin", "revoked")),
        "ApiKeyWithSecret": obj({**API_KEY_PROPS, "secret": {"type": "string", "description": "Shown in this response only."}},
                                ("id", "object", "name", "admin", "revoked", "secret")),
        "ApiKeyList": obj({"object": const("list"), "data": {"type": "array", "items": ref("ApiKey")}}, ("object", "data")),
        "KeyCreateRequest": key_create_schema(),
        "BudgetHold": obj(HOLD_PROPS, ("object", "owner", "amount_micro_usd")),
        "BudgetHoldList": obj({"object": const("list"), "data": {"type": "array", "items": ref("BudgetHold")}}, ("object", "data")),
        "ReleasedBudgetHold": obj({**HOLD_PROPS, "released": BOOL}, ("object", "owner", "released")),
        "Health": obj({
            "status": const("ok"), "version": STR,
            "models": {"type": "object", "additionalProperties": obj({
                "engine": STR, "state": STR,
                "backends": {"type": "array", "description": "Gateway models (openai, azure, route engines): each backend's state.", "items": obj({
                    "name": STR, "engine": STR, "state": {"type": "string", "enum": ["up", "open", "half-open", "waiting"]},
                    "failures": INT, "served": INT, "last_error": STR, "last_error_at": INT,
                }, ("name", "state"))},
                "render_processes": obj({"limit": INT, "running": INT}, ("limit", "running"),
                                        description="Built-in engine models: render processes this worker may run, and runs now."),
            }, ("engine", "state"))},
            "jobs": obj({"queued": INT, "running": INT, "concurrency": INT}, ("queued", "running", "concurrency")),
        }, ("status",), description="Always `status`; the rest only for a caller with a valid key (or with auth off)."),
    }
    return {name: {**schema, EXT: True} for name, schema in schemas.items()}


def key_create_schema() -> dict[str, Any]:
    """The admin key body, from the pydantic model that validates it (limits stay in step)."""
    schema = KeyCreateRequest.model_json_schema()
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
    return schema


def components(registry: Registry) -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "CreateImageRequest": create_image_request(registry),
        "CreateImageEditRequest": create_image_edit_request(registry),
        "EditImageBodyJsonParam": edit_json_request(registry),
        "ImageRefParam": IMAGE_REF,
        "CreateImageVariationRequest": variation_request(registry),
        "ImagesResponse": images_response(),
        "Image": obj({
            "b64_json": STR, "url": {"type": "string", "format": "uri"}, "revised_prompt": STR,
            "seed": ext(INT, "The seed this image was made with."),
        }),
        "ImageGenUsage": usage_schema(),
        "ImagesUsage": usage_schema(with_output_details="As in `ImageGenUsage`."),
        "ImageGenInputUsageDetails": USAGE_INPUT,
        "ImageGenOutputTokensDetails": USAGE_OUTPUT,
        "ImageGenPartialImageEvent": stream_event("image_generation.partial_image", completed=False),
        "ImageGenCompletedEvent": stream_event("image_generation.completed", completed=True),
        "ImageEditPartialImageEvent": stream_event("image_edit.partial_image", completed=False),
        "ImageEditCompletedEvent": stream_event("image_edit.completed", completed=True),
        "ImageGenStreamEvent": stream_union("ImageGen"),
        "ImageEditStreamEvent": stream_union("ImageEdit"),
        "ImageStreamErrorEvent": ext(obj({"type": const("error"), "error": ref("Error")}, ("type", "error")),
                                     "A failure after the stream started: the same envelope as an error response."),
        "Error": ERROR,
        "ErrorResponse": obj({"error": ref("Error")}, ("error",)),
        "Model": obj({
            "id": STR, "created": {"type": "integer", "format": "unixtime"}, "object": const("model"), "owned_by": STR,
            "alias_for": ext(STR, "The model id this alias or snapshot reaches."),
            "description": ext(STR, "What the model is for."),
            "engine": ext(STR, "The engine serving the model."),
            "capabilities": ext({"type": "object"}, "Sizes, qualities, limits and formats the model accepts."),
        }, ("id", "object", "created", "owned_by")),
        "ListModelsResponse": obj({"object": const("list"), "data": {"type": "array", "items": ref("Model")}}, ("object", "data")),
        "UsageImagesResult": obj({
            "object": const("organization.usage.images.result"), "images": INT, "num_model_requests": INT,
            "input_tokens": ext(INT, "Text and image input tokens."), "input_cached_tokens": ext(INT, "Cached image input tokens."),
            "output_tokens": ext(INT, "Output image tokens."), "cost_micro_usd": ext(INT, "Cost in micro-dollars."),
            "cost_usd": ext(NUM, "Cost in US dollars."),
            "model": null_or(STR), "size": null_or(STR), "api_key_id": null_or({"type": ["string", "integer"]}),
            "source": null_or(STR), "project_id": null_or(STR), "user_id": null_or(STR),
            "quality": ext(null_or(STR), "With `group_by=quality`."),
        }, ("object", "images", "num_model_requests")),
        "UsageTimeBucket": obj({
            "object": const("bucket"), "start_time": INT, "end_time": INT,
            "results": {"type": "array", "items": ref("UsageImagesResult")},
        }, ("object", "start_time", "end_time", "results")),
        "UsageResponse": obj({
            "object": const("page"), "data": {"type": "array", "items": ref("UsageTimeBucket")},
            "has_more": BOOL, "next_page": null_or(STR),
        }, ("object", "data", "has_more", "next_page")),
    }
    schemas.update(extension_schemas())
    return {
        "schemas": schemas,
        "securitySchemes": {
            "ApiKeyAuth": {"type": "http", "scheme": "bearer", "description": "An imagegate API key (`sk-ig-...`)."},
            "AzureApiKeyAuth": {"type": "apiKey", "in": "header", "name": "api-key", "description": "The same key, as Azure clients send it."},
        },
        "headers": {
            "RequestId": {"description": "This request's id (`req_...`).", "schema": STR},
            "RetryAfter": {"description": "Seconds to wait before retrying.", "schema": STR},
        },
    }

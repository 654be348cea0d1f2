"""Request models for /v1/images/*; every optional field is nullable (null = not given)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from imagegate.errors import InvalidRequestError


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):  # JSON true is not the integer 1
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


Int = Annotated[int, BeforeValidator(_not_bool)]  # an integer field: numbers (and form strings), never booleans


class ImageGenerationRequest(BaseModel):
    """`POST /v1/images/generations`: the seed's parameters, the live API's, and extensions."""

    model_config = ConfigDict(extra="allow")  # newer SDKs add fields; we log and ignore them

    prompt: str
    model: str | None = None
    n: Int | None = None
    size: str | None = None
    quality: str | None = None
    response_format: str | None = None
    output_format: str | None = None
    output_compression: Int | None = None
    background: str | None = None
    moderation: str | None = None
    style: str | None = None
    user: str | None = None
    safety_identifier: str | None = None
    stream: bool | None = None
    partial_images: Int | None = None
    # extensions
    seed: Int | None = None
    include_plan: bool | None = None


_TYPE_NAMES = {
    "int": "an integer",
    "string": "a string",
    "bool": "a boolean",
    "dict": "an object",
    "float": "a number",
}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def parse_model(model_cls: type[BaseModel], body: Any) -> BaseModel:
    """Validate `body` into `model_cls`, turning the first problem into OpenAI's 400."""
    if not isinstance(body, dict):
        raise InvalidRequestError(
            f"Invalid type for request body: expected an object, but got {_json_type(body)} instead.",
            code="invalid_type",
        )
    try:
        return model_cls.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        param = ".".join(str(p) for p in err["loc"]) or None
        if err["type"] == "missing":
            raise InvalidRequestError(f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter") from None
        if not err["type"].endswith(("_type", "_parsing", "_from_float")):  # a value out of range, too long, ...
            reason = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            raise InvalidRequestError(f"Invalid value for '{param}': {reason}.", param=param, code="invalid_value") from None
        expected = next((v for k, v in _TYPE_NAMES.items() if err["type"].startswith(k)), "a valid value")
        raise InvalidRequestError(
            f"Invalid type for '{param}': expected {expected}, but got {_json_type(err.get('input'))} instead.",
            param=param,
            code="invalid_type",
        ) from None


class ImageEditRequest(ImageGenerationRequest):
    """`POST /v1/images/edits` (multipart or JSON): generation fields plus the edit's own.

    The images themselves travel as files (multipart) or `images[].image_url` data or https:// URLs (JSON);
    they are read by the router, not validated here.
    """

    input_fidelity: str | None = None
    anchor: str | None = None  # extension: where the input sits when the edit expands the canvas
    images: Any = None  # JSON variant: [{"image_url": "data:..." or "https://..."}]
    mask: Any = None  # JSON variant: {"image_url": "data:..."}


class ImageVariationRequest(BaseModel):
    """`POST /v1/images/variations` (the dall-e-2 shape)."""

    model_config = ConfigDict(extra="allow")

    model: str | None = None
    n: Int | None = None
    size: str | None = None
    response_format: str | None = None
    user: str | None = None
    seed: Int | None = None

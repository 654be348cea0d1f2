"""Request validation against model capabilities."""

from __future__ import annotations

import pytest

from imagegate.config import load_registry, load_settings
from imagegate.errors import InvalidRequestError, NotFoundError
from imagegate.api.wire import ImageGenerationRequest
from imagegate.pipeline.validation import resolve_size, resolve_request

REGISTRY = load_registry(load_settings(None))
GPT2 = REGISTRY.resolve("gpt-image-2")
MINI = REGISTRY.resolve("gpt-image-1-mini")


def resolve(**fields):
    return resolve_request(REGISTRY, ImageGenerationRequest(prompt=fields.pop("prompt", "a cat"), **fields))


@pytest.mark.parametrize("size", ["1024x1024", "1792x1024", "1024x1792", "2048x2048", "1536x1024", "3840x2160", "1280x720", "2160x3840", "768x2304"])
def test_gpt_image_2_sizes(size):
    w, h = (int(v) for v in size.split("x"))
    assert resolve_size(GPT2, size) == (w, h)


@pytest.mark.parametrize(
    ("size", "why"),
    [("1000x1000", "multiples of 16"), ("3856x2160", "at most 3840"), ("3840x3840", "pixels"), ("3200x1008", "aspect"), ("0x16", "at least"), ("1024*1024", "Supported")],
)
def test_gpt_image_2_bad_sizes(size, why):
    with pytest.raises(InvalidRequestError, match=why) as info:
        resolve_size(GPT2, size)
    assert info.value.param == "size" and info.value.code == "invalid_value"


def test_fixed_size_models_list_supported_values():
    with pytest.raises(InvalidRequestError) as info:
        resolve_size(MINI, "2048x2048")
    assert "Supported values are: '1024x1024', '1536x1024', '1024x1536', and 'auto'." in info.value.message
    assert resolve_size(MINI, "auto") is None


def test_defaults_resolve():
    req = resolve()
    assert (req.n, req.quality, req.output_format, req.background) == (1, "medium", "png", "auto")
    assert req.want_url and req.want_b64 and req.size is None
    assert 0 <= req.seed < 2**31


@pytest.mark.parametrize(("given", "tier"), [("standard", "medium"), ("hd", "high"), ("auto", "medium"), ("low", "low"), ("high", "high")])
def test_quality_tiers(given, tier):
    assert resolve(quality=given).quality == tier


def test_response_format_picks_one_form():
    assert (resolve(response_format="url").want_url, resolve(response_format="url").want_b64) == (True, False)
    assert (resolve(response_format="b64_json").want_url, resolve(response_format="b64_json").want_b64) == (False, True)


def test_safety_identifier_wins_over_user():
    assert resolve(user="u1", safety_identifier="s1").user == "s1"
    assert resolve(user="u1").user == "u1"


def test_unknown_model():
    with pytest.raises(NotFoundError) as info:
        resolve(model="gpt-image-9")
    assert info.value.code == "model_not_found"


def test_transparent_needs_png_or_webp():
    assert resolve(background="transparent", output_format="webp").background == "transparent"
    with pytest.raises(InvalidRequestError, match="JPEG"):
        resolve(background="transparent", output_format="jpeg")

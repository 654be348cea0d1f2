"""Small decisions of the image service."""

from __future__ import annotations

import dataclasses

from imagegate.config import load_registry, load_settings
from imagegate.plan import Plan
from imagegate.api.wire import ImageGenerationRequest
from imagegate.pipeline.core import background
from imagegate.pipeline.validation import resolve_request

REGISTRY = load_registry(load_settings(None))


def resolved(**fields):
    return resolve_request(REGISTRY, ImageGenerationRequest(prompt="a sticker of a cat", **fields))


def test_auto_background_follows_the_prompt_the_model_and_the_format():
    wants = Plan(prompt="a sticker", transparent=True)
    assert background(resolved(), wants) == "transparent"
    assert background(resolved(), Plan(prompt="a cat")) == "opaque"
    assert background(resolved(output_format="jpeg"), wants) == "opaque"
    req = resolved()
    no_alpha = dataclasses.replace(req, spec=req.spec.model_copy(update={"transparent_background": False}))
    assert background(no_alpha, wants) == "opaque"
    assert background(resolved(background="opaque"), wants) == "opaque"

"""stream=true through the official SDK: partial images, then the completed event with usage."""

from __future__ import annotations

import base64
import io

import openai
import pytest
from PIL import Image

pytestmark = pytest.mark.e2e


@pytest.fixture
def oai(server):
    with openai.OpenAI(api_key=server.api_key, base_url=f"{server.base}/v1", max_retries=0) as c:
        yield c


def test_stream_with_partial_images(oai):
    stream = oai.images.generate(model="gpt-image-2", prompt='a neon sign saying "OPEN"', size="1024x1024", quality="low", stream=True, partial_images=2)
    events = list(stream)
    partials = [e for e in events if e.type == "image_generation.partial_image"]
    completed = [e for e in events if e.type == "image_generation.completed"]
    assert len(partials) == 2 and [p.partial_image_index for p in partials] == [0, 1]
    assert len(completed) == 1 and events[-1].type == "image_generation.completed"
    for event in partials + completed:
        image = Image.open(io.BytesIO(base64.b64decode(event.b64_json)))
        assert image.size == (1024, 1024)
    assert partials[0].b64_json != completed[0].b64_json
    assert completed[0].usage.output_tokens == 16 * 40 + 2 * 100


def test_stream_without_partials_sends_only_completed(oai):
    events = list(oai.images.generate(prompt="a cat", quality="low", stream=True))
    assert [e.type for e in events] == ["image_generation.completed"]
    assert events[0].usage.output_tokens > 0


def test_stream_validation_errors_are_plain_400s(oai):
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.generate(prompt="a cat", stream=True, partial_images=4)
    assert info.value.code == "integer_above_max_value" and info.value.param == "partial_images"


def test_completed_event_carries_what_the_plain_response_does(oai):
    """The revised prompt, the seed and (with include_plan) the plan: the same as without stream."""
    body = {"prompt": "A product advertisement for a luxury watch brand. The watch should be centered on a dark marble "
                      "surface. Include the text 'Precision. Perfected.' in the upper right.",
            "quality": "low", "size": "1024x1024", "extra_body": {"include_plan": True, "seed": 5}}
    plain = oai.images.generate(**body)
    events = list(oai.images.generate(stream=True, **body))
    done = events[-1]
    assert done.type == "image_generation.completed"
    assert plain.data[0].revised_prompt and done.revised_prompt == plain.data[0].revised_prompt
    assert done.seed == 5 == plain.data[0].seed
    assert done.plan == plain.plan and any(s["kind"] == "watch" for s in done.plan["subjects"])
    assert base64.b64decode(done.b64_json) == base64.b64decode(plain.data[0].b64_json)
    # without include_plan there is no plan in the event
    assert getattr(list(oai.images.generate(stream=True, prompt="a cat", quality="low"))[-1], "plan", None) is None

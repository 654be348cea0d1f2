"""A real server whose gpt-image-1-mini is a tiny diffusers pipeline, driven with the official SDK."""

from __future__ import annotations

import base64
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import openai
import pytest
from conftest import Server
from PIL import Image

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]


TOKENIZERS = Path(__file__).resolve().parent.parent / "fixtures" / "tokenizers"


@pytest.fixture(scope="module")
def diffusers_server(tmp_path_factory):
    import diffusers  # noqa: F401 - installed with the diffusers extra by scripts/setup.sh

    from imagegate.engines._tiny import save_tiny_pipeline

    root = tmp_path_factory.mktemp("diffusers-server")
    model = save_tiny_pipeline("sd", TOKENIZERS, root / "tiny-sd")
    cfg = root / "imagegate.toml"
    cfg.write_text(
        '[models."gpt-image-1-mini"]\n'
        'engine = "diffusers"\n'
        'sizes = ["1024x1024", "256x256"]\n'
        '[models."gpt-image-1-mini".options]\n'
        f'path = "{model}"\n'
        "steps = { low = 1, medium = 2, high = 2 }\n"
        "batch_window_ms = 50\n"
    )
    srv = Server(root / "data", extra_args=["--config", str(cfg)], env={"OMP_NUM_THREADS": "1"})
    yield srv
    srv.stop()


@pytest.fixture
def oai(diffusers_server):
    with openai.OpenAI(api_key=diffusers_server.api_key, base_url=f"{diffusers_server.base}/v1") as client:
        yield client


def _image(b64: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(b64)))


def test_sdk_generates_with_the_diffusers_engine(oai):
    response = oai.images.generate(
        model="gpt-image-1-mini", prompt="a red cat on the sea", size="1024x1024", quality="low", n=2,
        response_format="b64_json", extra_body={"seed": 42},
    )
    assert response.size == "1024x1024" and response.quality == "low" and response.output_format == "png"
    assert len(response.data) == 2
    images = [_image(item.b64_json) for item in response.data]
    assert all(im.format == "PNG" and im.size == (1024, 1024) for im in images)  # 128x128 natively, upscaled
    assert images[0].tobytes() != images[1].tobytes()  # seeds 42 and 43
    again = oai.images.generate(
        model="gpt-image-1-mini", prompt="a red cat on the sea", size="1024x1024", quality="low", n=1,
        response_format="b64_json", extra_body={"seed": 43},
    )
    alone = np.asarray(_image(again.data[0].b64_json), np.int16)
    assert np.abs(alone - np.asarray(images[1], np.int16)).max() <= 2  # batched or alone: the same image, to the last bits


def test_concurrent_sdk_calls_each_get_their_own_images(oai):
    def call(seed: int):
        return oai.images.generate(
            model="gpt-image-1-mini", prompt=f"picture {seed}", size="256x256", quality="medium",
            response_format="b64_json", extra_body={"seed": seed},
        )

    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(call, [1, 2, 3, 4]))
    pictures = [_image(r.data[0].b64_json) for r in responses]
    assert all(p.size == (256, 256) for p in pictures)
    assert len({p.tobytes() for p in pictures}) == 4
    alone = _image(call(3).data[0].b64_json)  # seed 3 alone equals seed 3 in whatever batch it ran
    diff = np.abs(np.asarray(alone, dtype=np.int16) - np.asarray(pictures[2], dtype=np.int16))
    assert diff.max() <= 1 and (diff > 0).mean() < 0.002


def test_transparent_background_is_a_400_from_the_engine(oai):
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.generate(model="gpt-image-1-mini", prompt="a sticker", size="256x256", background="transparent")
    assert info.value.body["param"] == "background"
    assert info.value.body["message"] == "Transparent background is not supported for this model."


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def _striped(size: tuple[int, int]) -> Image.Image:
    arr = np.zeros((size[1], size[0], 3), np.uint8)
    arr[...] = (40, 160, 40)
    arr[::16] = (20, 20, 200)
    return Image.fromarray(arr, "RGB")


def test_sdk_edits_with_a_mask_and_expands_with_the_diffusers_engine(oai):
    source = _striped((256, 256))
    mask = Image.new("RGBA", (256, 256), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), (64, 64, 192, 192))  # transparent centre: editable
    edited = oai.images.edit(
        model="gpt-image-1-mini", image=("in.png", _png(source), "image/png"), mask=("mask.png", _png(mask), "image/png"),
        prompt="a red ball", size="256x256", quality="low", extra_body={"seed": 3},
    )
    out = np.asarray(_image(edited.data[0].b64_json).convert("RGB"), dtype=np.int16)
    src = np.asarray(source, dtype=np.int16)
    assert out.shape == (256, 256, 3)
    assert np.abs(out[:48, :48] - src[:48, :48]).max() <= 2  # kept
    assert np.abs(out[80:176, 80:176] - src[80:176, 80:176]).mean() > 20  # repainted
    expanded = oai.images.edit(
        model="gpt-image-1-mini", image=("small.png", _png(_striped((128, 128))), "image/png"),
        prompt="extend the scene", size="256x256", quality="low", extra_body={"anchor": "top-left", "seed": 1},
    )
    big = np.asarray(_image(expanded.data[0].b64_json).convert("RGB"), dtype=np.int16)
    assert big.shape == (256, 256, 3)
    assert np.abs(big[:120, :120] - src[:120, :120]).max() <= 2  # the input, where the anchor put it
    assert big[140:, 140:].std() > 1  # the new area was generated


@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # the SDK marks create_variation deprecated
def test_sdk_creates_variations_with_the_diffusers_engine(oai):
    source = ("in.png", _png(_striped((256, 256))), "image/png")
    result = oai.images.create_variation(model="gpt-image-1-mini", image=source, n=2, size="256x256", response_format="b64_json", extra_body={"seed": 8})
    a, b = (_image(item.b64_json) for item in result.data)
    assert a.size == b.size == (256, 256)
    assert a.tobytes() != b.tobytes()  # seeds 8 and 9
    again = oai.images.create_variation(model="gpt-image-1-mini", image=source, n=1, size="256x256", response_format="b64_json", extra_body={"seed": 9})
    diff = np.abs(np.asarray(_image(again.data[0].b64_json), dtype=np.int16) - np.asarray(b, dtype=np.int16))
    assert diff.max() <= 1 and (diff > 0).mean() < 0.002  # seed 9 alone equals seed 9 of the pair


def test_sdk_streams_partial_images_and_overlays_quoted_text(oai):
    stream = oai.images.generate(
        model="gpt-image-1-mini", prompt='a poster with the words "HELLO" at the center', size="256x256", quality="high",
        stream=True, partial_images=1, extra_body={"seed": 5},
    )
    events = list(stream)
    kinds = [e.type for e in events]
    assert kinds == ["image_generation.partial_image", "image_generation.completed"]
    partial, final = (_image(e.b64_json) for e in events)
    assert partial.size == final.size == (256, 256)
    assert events[-1].usage.output_tokens > 100  # includes the partial image's 100 tokens
    plain = oai.images.generate(
        model="gpt-image-1-mini", prompt="a poster at the center", size="256x256", quality="high",
        response_format="b64_json", extra_body={"seed": 5},
    )
    # the typography overlay drew the quoted text over the pipeline's pixels
    assert final.convert("RGB").tobytes() != _image(plain.data[0].b64_json).convert("RGB").tobytes()

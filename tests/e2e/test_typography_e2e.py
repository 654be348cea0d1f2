"""Exact text in every script, from the official SDK: the OCR judge reads the served image."""

from __future__ import annotations

import base64
import io

import openai
import pytest
from ocr_judge import char_accuracy, read_text
from PIL import Image
from seed_prompts import WATCH

from imagegate.plan import TextElement
from imagegate.render.scene import text_box

pytestmark = [pytest.mark.e2e, pytest.mark.ocr]

CASES = [
    ("Grand Opening Sale", "eng", "A shop window poster with the text \"{}\" in large letters at the center"),
    ("Добро пожаловать", "rus", "A plain paper sign with the words «{}» in big letters in the middle"),
    ("Καλημέρα κόσμε", "ell", "A minimal poster, the headline \"{}\" centered"),
    ("新鲜水果店", "chi_sim", "A fruit shop sign with 「{}」 in large characters, centered"),
    ("ようこそ日本へ", "jpn", "A welcome banner reading 「{}」 in the center"),
    ("환영합니다", "kor", "A simple banner with the text \"{}\" in the middle"),
    ("مرحبا بكم", "ara", "A cafe sign with the Arabic text \"{}\" in large letters at the center"),
    ("ברוכים הבאים", "heb", "A door sign with the text \"{}\" centered"),
    ("नमस्ते दुनिया", "hin", "A festival poster with the words \"{}\" in the middle"),
    ("สวัสดีครับ", "tha", "A greeting card with \"{}\" written in the center"),
]


@pytest.fixture(scope="module")
def oai(server):
    with openai.OpenAI(api_key=server.api_key, base_url=f"{server.base}/v1") as c:
        yield c


@pytest.mark.parametrize(("text", "lang", "template"), CASES, ids=[c[1] for c in CASES])
def test_quoted_text_is_exact(oai, text, lang, template):
    response = oai.images.generate(
        prompt=template.format(text), size="1536x1024", quality="medium", response_format="b64_json",
        extra_body={"seed": 11, "include_plan": True},
    )
    plan = response.model_extra["plan"]
    assert [t["text"] for t in plan["texts"]] == [text]
    element = TextElement(**{k: tuple(v) if isinstance(v, list) else v for k, v in plan["texts"][0].items()})
    image = Image.open(io.BytesIO(base64.b64decode(response.data[0].b64_json))).convert("RGB")
    box, _ = text_box(element, *image.size, 0)
    reading = read_text(image, box, lang)
    assert char_accuracy(text, reading) >= 0.95, reading


def test_luxury_watch_layout(oai):
    response = oai.images.generate(model="gpt-image-2", prompt=WATCH, response_format="b64_json", extra_body={"seed": 7, "include_plan": True})
    plan = response.model_extra["plan"]
    w, h = (int(v) for v in response.size.split("x"))
    assert w > h  # landscape from "wide format" with size auto
    assert plan["thinking"] and plan["background"] == "marble" and plan["lighting"].startswith("dramatic")
    assert plan["subjects"][0]["kind"] == "watch" and plan["subjects"][0]["placement"] in ("center", "centre")
    text = plan["texts"][0]
    assert (text["text"], text["style"], text["position"]) == ("Precision. Perfected.", "serif", "upper right")
    assert "Precision. Perfected." in response.data[0].revised_prompt
    image = Image.open(io.BytesIO(base64.b64decode(response.data[0].b64_json))).convert("RGB")
    element = TextElement(**{k: tuple(v) if isinstance(v, list) else v for k, v in text.items()})
    box, _ = text_box(element, w, h, 0)
    assert box[0] >= w // 2 and box[3] <= h // 2  # upper right quadrant
    assert char_accuracy("Precision. Perfected.", read_text(image, box, "eng")) >= 0.95

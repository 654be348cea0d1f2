"""The rule planner (thinking mode), the chat planner's fallbacks, and the plan helpers."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from seed_prompts import HEADSHOT, IPHONE, WATCH

import random
import re

from imagegate.plan import Plan, luminance
from imagegate.planning import chat, planner
from imagegate.planning.chat import ChatPlanner
from imagegate.planning.planner import RulePlanner, make_plan, revised_prompt, size_for_plan


def plan(prompt: str) -> Plan:
    return RulePlanner().plan(prompt)


def test_luxury_watch_prompt_is_planned_in_full() -> None:
    p = plan(WATCH)
    assert p.thinking is True
    assert p.aspect == "landscape"
    assert p.background == "marble"
    assert p.tone == "dark" and luminance(p.palette[0]) < 60
    assert p.lighting == "dramatic side" and p.light_direction in ("left", "right")
    assert [(s.kind, s.placement) for s in p.subjects] == [("watch", "center")]
    assert "watch" in p.subjects[0].name
    (text,) = p.texts
    assert text.text == "Precision. Perfected."
    assert text.style == "serif"
    assert text.position == "upper right"
    assert p.format == "magazine spread"
    assert any("thinking" in n for n in p.notes)


def test_headshot_prompt() -> None:
    p = plan(HEADSHOT)
    assert p.lighting == "soft studio"
    assert [s.kind for s in p.subjects] == ["person"]
    assert p.texts == ()
    assert p.background in ("plain", "studio")


def test_iphone_prompt() -> None:
    p = plan(IPHONE)
    assert [s.kind for s in p.subjects] == ["phone"]
    assert p.background == "plain" and luminance(p.palette[0]) > 230  # white background
    assert p.aspect == "portrait"  # poster
    assert p.research is True
    assert p.thinking is True


@pytest.mark.parametrize(
    ("prompt", "text", "language"),
    [
        ('A banner with the Arabic text "مرحبا بكم" in the center', "مرحبا بكم", "ar"),
        ("A tea poster with the title 「春の茶会」 at the top", "春の茶会", "ja"),
        ("A shop sign reading 「新年快乐」 in red letters", "新年快乐", "zh-Hans"),
        ("A sign 『台北車站』 in traditional Chinese", "台北車站", "zh-Hant"),
        ("A Russian poster with «Привет, мир» in bold letters at the bottom", "Привет, мир", "ru"),
        ("A German ad with „Guten Tag“ in script", "Guten Tag", None),
        ("A note saying “Don't stop” handwritten", "Don't stop", None),
    ],
    ids=["arabic", "japanese", "chinese", "traditional", "russian", "german-quotes", "curly-quotes"],
)
def test_quoted_text_in_any_script(prompt: str, text: str, language: str | None) -> None:
    (element,) = plan(prompt).texts
    assert element.text == text
    assert element.language == language


def test_text_attributes() -> None:
    p = plan(
        "A poster with the large headline 'SUMMER SALE' in bold sans-serif at the top, "
        "and a small caption 'while stocks last' in gold letters in the bottom left corner, typewriter font"
    )
    first, second = p.texts
    assert (first.size, first.weight, first.style, first.position) == ("headline", "bold", "sans", "top")
    assert (second.size, second.position, second.style) == ("small", "lower left", "mono")
    assert second.color is not None and second.color[0] > second.color[2]  # gold


def test_handwritten_style_and_centered_text() -> None:
    (t,) = plan("A card with 'Thank you' in handwritten script, centered").texts
    assert (t.style, t.position) == ("script", "center")


@pytest.mark.parametrize(
    ("prompt", "aspect"),
    [
        ("a sunset, wide format", "landscape"),
        ("a concert poster", "portrait"),
        ("a phone wallpaper of stars", "portrait"),
        ("a portrait of a cat", "portrait"),
        ("an instagram post about coffee", "square"),
        ("a square logo", "square"),
        ("a city, 16:9", "landscape"),
        ("a red apple", None),
    ],
)
def test_aspect_hints(prompt: str, aspect: str | None) -> None:
    assert plan(prompt).aspect == aspect


@pytest.mark.parametrize(
    ("prompt", "background"),
    [
        ("a cup of coffee on a wooden table", "wood"),
        ("a perfume bottle on crumpled paper", "paper"),
        ("a lighthouse under a cloudy sky", "sky"),
        ("a bottle on a concrete floor", "concrete"),
        ("a ring on silk fabric", "fabric"),
        ("a car in a night city", "night city"),
        ("a woman with bokeh lights behind her", "bokeh"),
        ("a logo on a purple gradient", "gradient"),
        ("a tree by the ocean", "water"),
        ("a shoe, studio shot", "studio"),
    ],
)
def test_backgrounds(prompt: str, background: str) -> None:
    assert plan(prompt).background == background


@pytest.mark.parametrize(
    ("prompt", "lighting", "direction"),
    [
        ("a vase, golden hour", "golden hour", "right"),
        ("a dancer, backlit", "backlit", "back"),
        ("a street, neon lighting", "neon", "front"),
        ("a dinner table, candle-lit", "candle-lit", "front"),
        ("a face with dramatic side light from the right", "dramatic side", "right"),
    ],
)
def test_lighting(prompt: str, lighting: str, direction: str) -> None:
    p = plan(prompt)
    assert (p.lighting, p.light_direction) == (lighting, direction)


def test_subjects_kinds_and_placements() -> None:
    p = plan("A red sports car on the left and a pine tree on the right, mountains in the background")
    kinds = {s.kind: s for s in p.subjects}
    assert kinds["car"].placement == "left" and kinds["car"].color == (200, 30, 40)
    assert kinds["tree"].placement == "right"
    assert kinds["mountain"].placement == "background"


@pytest.mark.parametrize(
    "prompt",
    ["a cute fox sticker", "a cup of tea on a transparent background", "a logo, cut-out, no background"],
)
def test_transparent(prompt: str) -> None:
    assert plan(prompt).transparent is True


@pytest.mark.parametrize("prompt", ["a red apple", "a cat", "sunset over the sea", "a bottle"])
def test_simple_prompts_do_not_think(prompt: str) -> None:
    p = plan(prompt)
    assert p.thinking is False
    assert revised_prompt(p) is None


def test_palette_words() -> None:
    assert plan("a bowl on a pastel background").tone == "pastel"
    neon = plan("a neon city street")
    assert neon.tone == "neon" and (255, 40, 200) in neon.palette
    assert luminance(plan("a vase on a dark blue background").palette[0]) < 60


def test_revised_prompt_spells_out_the_plan() -> None:
    text = revised_prompt(plan(WATCH))
    assert text is not None
    for words in ("landscape", "watch", "marble", "dramatic side", "Precision. Perfected.", "serif", "upper right"):
        assert words in text


def test_size_for_plan() -> None:
    sizes = ["auto", "1024x1024", "1536x1024", "1024x1536"]
    assert size_for_plan(plan(WATCH), sizes) == (1536, 1024)
    assert size_for_plan(plan("a concert poster"), sizes) == (1024, 1536)
    assert size_for_plan(plan("a square logo"), sizes) == (1024, 1024)
    assert size_for_plan(plan("a red apple"), sizes) is None
    assert size_for_plan(plan(WATCH), ["1024x1024", "1792x1024", "1024x1792"]) == (1792, 1024)
    assert size_for_plan(plan(WATCH), ["1024x1024", "1536x1024", "3840x2160"]) in ((1536, 1024), (3840, 2160))
    assert size_for_plan(plan(WATCH), ["1024x1024"]) is None


def test_plan_round_trips_through_dict() -> None:
    p = plan(WATCH)
    assert Plan.from_dict(json.loads(json.dumps(p.to_dict()))) == p


# ---------------------------------------------------------------- the chat planner


def chat_reply(content: str) -> dict:
    return {"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


GOOD = {
    "aspect": "landscape",
    "background": "wood",
    "palette": [[90, 60, 30], [60, 40, 20], "gold"],
    "lighting": "golden hour",
    "light_direction": "right",
    "subjects": [{"name": "old clock", "kind": "watch", "placement": "left third", "scale": 0.5}],
    "texts": [{"text": "Time", "style": "serif", "position": "top", "size": "large"}, {"text": "invented", "style": "sans"}],
    "mood": "nostalgic",
    "notes": ["the clock carries the scene"],
}


def run_chat(handler, prompt: str = "An old clock on a wooden table with the word 'Time' at the top", timeout: float = 5.0) -> tuple[Plan, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    async def go() -> Plan:
        async with httpx.AsyncClient(transport=httpx.MockTransport(recording)) as client:
            planner = ChatPlanner("http://llm.local/v1", "planner-model", api_key="k", timeout=timeout, client=client)
            return await make_plan(planner, prompt)

    return asyncio.run(go()), seen


def test_chat_planner_uses_good_json() -> None:
    p, seen = run_chat(lambda r: httpx.Response(200, json=chat_reply(json.dumps(GOOD))))
    assert str(seen[0].url) == "http://llm.local/v1/chat/completions"
    assert seen[0].headers["authorization"] == "Bearer k"
    body = json.loads(seen[0].content)
    assert body["model"] == "planner-model" and body["messages"][-1]["content"].startswith("An old clock")
    assert p.source == "chat" and p.background == "wood" and p.lighting == "golden hour"
    assert p.subjects[0].placement == "left third"
    assert p.palette[2] == (212, 175, 55)
    assert [t.text for t in p.texts] == ["Time"]  # "invented" is not quoted in the prompt: dropped
    assert any("dropped 1" in n for n in p.notes)


def test_chat_planner_accepts_fenced_json() -> None:
    p, _ = run_chat(lambda r: httpx.Response(200, json=chat_reply("```json\n" + json.dumps(GOOD) + "\n```")))
    assert p.source == "chat"


def fallback_cases():
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    return [
        pytest.param(lambda r: httpx.Response(200, json=chat_reply("sure! here is a plan")), id="garbage"),
        pytest.param(lambda r: httpx.Response(500, json={"error": "boom"}), id="server-error"),
        pytest.param(slow, id="timeout"),
        pytest.param(lambda r: httpx.Response(200, json={"choices": []}), id="no-choices"),
        pytest.param(lambda r: httpx.Response(200, json=chat_reply(json.dumps({**GOOD, "aspect": "diagonal"}))), id="invalid-field"),
        pytest.param(lambda r: httpx.Response(200, json=chat_reply("[1, 2]")), id="not-an-object"),
    ]


@pytest.mark.parametrize("handler", fallback_cases())
def test_chat_planner_falls_back_to_rules(handler) -> None:
    p, _ = run_chat(handler)
    rules = plan("An old clock on a wooden table with the word 'Time' at the top")
    assert p.source == "rule"
    assert p.background == rules.background and p.texts == rules.texts
    assert "used the rule planner" in p.notes[-1]


def test_chat_planner_slow_server_hits_overall_timeout() -> None:
    async def go() -> Plan:
        async def handler(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(5)
            return httpx.Response(200, json=chat_reply(json.dumps(GOOD)))

        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await ChatPlanner("http://llm.local/v1", "m", timeout=0.05, client=client).plan("a cat")

    p = asyncio.run(go())
    assert p.source == "rule" and "TimeoutError" in p.notes[-1]


def test_make_plan_with_rule_planner() -> None:
    assert asyncio.run(make_plan(RulePlanner(), WATCH)) == plan(WATCH)


# ---------------------------------------------------------------- reading untrusted text in linear time
# (timings on 32,000-character inputs: tests/test_untrusted_text.py)

# What the quote scanner finds, as the regex it replaced said it (quadratic on open quote marks).
QUOTE_REGEX = re.compile(
    r'"([^"\n]+)"|“([^”“]+)[”“]|„([^“”]+)[“”]|«([^»]+)»|»([^«]+)«|「([^」]+)」|『([^』]+)』'
    r"|‹([^›]+)›|‘(.+?)’(?!\w)|(?<![\w'])'([^\n]+?)'(?![\w'])"
)


def test_quote_scanner_finds_what_the_quote_regex_finds() -> None:
    rng = random.Random(7)
    alphabet = [*"\"“”„«»「」『』‹›‘’'", *"ab_1 \n.é字-"]
    samples = ["'Joe's Diner'", "don't 'x' y", "‘rock’n’roll’ ok", "“a “b” c”", "'' x'", "«a «b» c»", '"a\nb" "c"']
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    for text in samples:
        expected = [(m.start(), m.end(), next(g for g in m.groups() if g is not None)) for m in QUOTE_REGEX.finditer(text)]
        assert planner._quote_spans(text) == expected, text
        assert planner._without_quotes(text) == QUOTE_REGEX.sub(" ", text), text


def test_fence_is_stripped_as_before() -> None:
    old = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")
    rng = random.Random(3)
    pieces = ["`", "```", "json", " ", "\n", "{", "}", "a", "\t", "js"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        assert chat._FENCE.sub("", text) == old.sub("", text), text


def test_nearest_anchor_is_the_first_of_the_nearest() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        anchors, at = [], 0
        for _ in range(rng.randint(0, 6)):  # subjects, then texts: runs in text order, as in a sentence
            at = rng.randint(0, 30) if rng.random() < 0.3 else at + rng.randint(0, 5)
            width = rng.randint(0, 4)
            anchors.append(planner._Anchor(("k", len(anchors)), at, at + width))
            at += width
        matches = []
        for _ in range(rng.randint(0, 5)):
            start = rng.randint(0, 40)
            matches.append((start, start + rng.randint(0, 5), f"v{len(matches)}"))
        expected: dict = {}
        for start, end, value in matches:
            if anchors:
                expected.setdefault(min(anchors, key=lambda a: a.distance(start, end)).key, []).append(value)
        assert planner._assign(anchors, matches) == expected


def test_scene_analysis_reads_a_prefix_and_quotes_the_whole_prompt() -> None:
    filler = "a quiet field under a pale sky, " * ((planner.SCENE_CHARS + 2000) // 32)
    p = plan("A red cat sitting on a wooden table. " + filler + "A dog in the background, with the text 'The End'.")
    assert [s.kind for s in p.subjects] == ["animal"] and "cat" in p.subjects[0].name  # the dog is past the prefix
    assert [t.text for t in p.texts] == ["The End"]
    short = "A red cat sitting on a wooden table, a dog in the background, with the text 'The End'."
    assert planner._scene(short) == short

"""Moderation: normalisation, the policy rules, levels, allow-lists, quality on a labelled set,
the semantic layer, the upstream provider, the image classifier and OpenAI's refusal shape."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import random
import re
import sys
import tomllib
import zlib
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image, ImageDraw

from imagegate.errors import ConfigurationError, ImagegateError, UserError
from imagegate.policy.image_classifier import (
    NudeNetClassifier,
    StaticImageClassifier,
)
from imagegate.policy.normalize import normalize, term_pattern, views
from imagegate.policy.rules import (
    CATEGORIES,
    Matcher,
    PolicyError,
    compile_policy,
    default_policy_text,
    load_policy,
)
from imagegate.policy.semantic import SemanticClassifier
from imagegate.policy.moderation import (
    AllowAllModerator,
    ModerationResult,
    PolicyModerator,
    UpstreamModerator,
    blocked_error,
    build_moderator,
    build_semantic,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import moderation_quality


def run(coro):
    return asyncio.run(coro)


@pytest.fixture(scope="module")
def rules() -> PolicyModerator:
    return PolicyModerator(load_policy())


def check(moderator, text: str, level: str = "auto") -> ModerationResult:
    return run(moderator.check_text(text, level))


# ------------------------------------------------------------------ normalisation

@pytest.mark.parametrize(("raw", "expected"), [
    ("KILL", "kill"),                       # case
    ("Café NAÏVE", "cafe naive"),           # accents
    ("ＮＡＫＥＤ", "naked"),                  # full-width
    ("n4k3d w0m4n", "naked woman"),         # leetspeak
    ("$3x", "sex"),
    ("@ss", "ass"),
    ("\u0455\u0435\u0445", "sex"),          # Cyrillic look-alikes
    ("\u03bd\u03b9\u03bflence", "violence"),  # Greek look-alikes mixed with Latin
    ("k i l l", "kill"),                    # spaced letters
    ("k.i.l.l", "kill"),
    ("k-i-l-l him", "kill him"),
    ("se.x", "sex"),                        # masking punctuation inside a word
    ("nud\u200be", "nude"),                 # zero-width space
    ("n\u00adu\u2060d\u200de", "nude"),     # soft hyphen, word joiner, zero-width joiner
    ("kiiiiilllll", "kiill"),               # repeats shrink to two
    ("2024 in 5 steps", "2024 in 5 steps"),  # numbers alone stay numbers
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_views_keep_native_script():
    # Russian words stay Russian in the first view (Russian terms match there), and the
    # Latin-folded view exists only when folding changed something.
    assert views("голая женщина")[0] == "голая женщина"
    assert views("a red fox") == ("a red fox",)
    assert views("\u0440orn")[-1] == "porn"


@pytest.mark.parametrize(("term", "text", "hit"), [
    ("kill", "kill", True), ("kill", "kills", True), ("kill", "ki11", True), ("kill", "k!ll", True),
    ("kill", "kiiill", True), ("kill", "skill", False), ("kill", "killing", False), ("kill*", "killing", True),
    ("ass", "class", False), ("ass", "as", False), ("ass", "a$$", True), ("xxx", "xxxxx", True),
    ("sex tape", "sex-tape", True), ("sex tape", "sex   tape", True), ("self-harm", "self harm", True),
    ("faire l'amour", "faire l'amour", True), ("色情", "这是色情图片", True), ("gore", "gorey", False),
])
def test_term_pattern(term, text, hit):
    assert bool(re.search(term_pattern(term), normalize(text))) is hit


def test_term_patterns_bound_every_repeat():
    # no "+" or "*" (a possessive "}+" is not a repeat): a term cannot read a long run twice
    for term in ["kill", "kill yourself", "xxx", "ass", "self-harm", "faire l'amour", "色情", "decapitat*", "-yr"]:
        pattern = term_pattern(term).replace("}+", "}")
        assert not re.search(r"(?<!\\)[+*]", pattern), (term, pattern)


def test_long_runs_of_marks_still_read_as_letters_and_gaps(rules):
    assert "self-harm" in check(rules, "kill!!!!!!!!!!!!!!!!!!!!!!!!!!!!yourself").categories
    assert "self-harm" in check(rules, "k!!!!!!!!!!!!!!!!!!!!!!!!!!!!!ll yourself").categories
    assert "self-harm" in check(rules, "kill - - - - - yourself").categories   # a gap of up to 16 marks


def test_combined_matcher_finds_what_a_plain_alternation_finds():
    # The matcher groups terms by first character and shares their common starts; which term
    # matches where must stay as in the plain alternation of the terms, in order.
    raw = tomllib.loads(default_policy_text())
    tables = [table[s] for table in raw["categories"].values() for s in ("strong", "medium", "weak") if s in table]
    tables += [raw["lexicons"]["minor"], raw["allow"]]
    rng = random.Random(5)
    for table in tables:
        terms = [t for lang, items in table.items() if lang != "patterns" for t in items]
        matcher = Matcher.build(terms)
        plain = re.compile("|".join(f"(?P<t{i}>{term_pattern(t)})" for i, t in enumerate(terms)))
        letters = sorted({c for t in terms for c in normalize(t)} | set("1!|$05 -."))
        for _ in range(300):
            text = " ".join(normalize(rng.choice(terms)) for _ in range(rng.randint(1, 3)))
            text = "".join(c if rng.random() > 0.15 else rng.choice(letters) for c in text)
            expected = [(m.span(), m.lastgroup) for m in plain.finditer(text)]
            assert [(m.span(), m.lastgroup) for m in matcher.regex.finditer(text)] == expected, text


# ------------------------------------------------------------------ rules, thresholds, levels

def tiny_policy(**over) -> dict:
    raw = {
        "weights": {"strong": 1.0, "medium": 0.6, "weak": 0.3},
        "thresholds": {"auto": {"violence/graphic": 0.5}, "low": {"violence/graphic": 0.9}},
        "categories": {"violence/graphic": {"strong": {"en": ["decapitated"]}, "medium": {"en": ["corpse"]}, "weak": {"en": ["blood", "dark"]}}},
        "allow": {"en": ["blood orange"]},
    }
    raw.update(over)
    return raw


def test_weights_combine_and_thresholds_decide():
    policy = compile_policy(tiny_policy())
    mod = PolicyModerator(policy)
    assert policy.score("blood")[0]["violence/graphic"] == pytest.approx(0.3)
    assert policy.score("blood and a dark night")[0]["violence/graphic"] == pytest.approx(0.51)
    assert not check(mod, "blood").flagged                 # 0.3 < 0.5
    assert check(mod, "blood on a dark night").flagged    # two weak hits: 1 - 0.7 * 0.7 = 0.51
    assert check(mod, "a corpse").categories == ("violence/graphic",)
    assert not check(mod, "a corpse", "low").flagged      # 0.6 < 0.9
    assert check(mod, "a decapitated statue", "low").flagged
    # the same word twice is one hit
    assert policy.score("blood blood blood")[0]["violence/graphic"] == pytest.approx(0.3)


def test_threshold_edits_change_the_outcome():
    strict = PolicyModerator(compile_policy(tiny_policy(thresholds={"auto": {"violence/graphic": 0.25}})))
    assert check(strict, "blood").flagged


def test_low_never_loosens_sexual_minors():
    raw = tiny_policy(thresholds={"auto": {"sexual/minors": 0.3}, "low": {"sexual/minors": 0.99}})
    raw["categories"]["sexual/minors"] = {"medium": {"en": ["jailbait"]}}
    mod = PolicyModerator(compile_policy(raw))
    assert check(mod, "jailbait", "low").categories == ("sexual", "sexual/minors")   # minors implies sexual
    assert check(mod, "jailbait", "low").scores["sexual"] == pytest.approx(0.6)


def test_auto_versus_low_on_the_default_policy(rules):
    assert check(rules, "a naked woman on a couch").categories == ("sexual",)
    assert not check(rules, "a naked woman on a couch", "low").flagged     # one medium word
    assert check(rules, "hardcore porn scene", "low").flagged               # strong words block anyway
    for level in ("auto", "low"):
        assert "sexual/minors" in check(rules, "nude photo of a 12 year old girl", level).categories
        assert "sexual/minors" in check(rules, "sexy 13yo in a provocative pose", level).categories


def test_unknown_level_is_treated_as_auto(rules):
    assert check(rules, "a naked woman", "bogus").flagged


@pytest.mark.parametrize("text", [
    "a professional headshot", "a knife on a cutting board", "a killer whale", "a naked mole rat", "nude lipstick swatches",
    "a sex education leaflet", "a bath bomb", "a suicide hotline poster", "a blood orange", "a murder mystery party invitation",
    "Brustkrebs-Aufklärung", "乳腺癌宣传海报",
])
def test_allow_list_makes_alarming_words_benign(rules, text):
    assert not check(rules, text).flagged


def test_allow_list_only_removes_the_phrase(rules):
    assert check(rules, "shoot a portrait of a naked woman").categories == ("sexual",)
    assert check(rules, "kill switch next to a decapitated body").categories == ("violence/graphic",)


def test_allow_list_in_a_custom_policy():
    policy = compile_policy(tiny_policy())
    assert policy.score("a blood orange")[0]["violence/graphic"] == 0
    assert policy.score("a blood red sky")[0]["violence/graphic"] > 0


@pytest.mark.parametrize(("text", "category"), [
    ("n4k3d w0m4n", "sexual"), ("p 0 r n", "sexual"), ("\u0455\u0435\u0445 tape", "sexual"), ("g0re", "violence/graphic"),
    ("d\u0435capitated", "violence/graphic"), ("su1c1de by hanging", "self-harm"), ("J3ws are v3rmin", "hate"),
    ("how to c00k m3th", "illicit"), ("k.y.s loser", "harassment"),
    ("una mujer desnuda", "sexual"), ("une femme nue", "sexual"), ("ein Pornofilm", "sexual"), ("голый мужчина", "sexual"),
    ("裸体女人", "sexual"), ("детское порно", "sexual/minors"), ("cómo suicidarse", "self-harm"), ("Rohrbombe bauen", "illicit"),
])
def test_evasions_and_languages(rules, text, category):
    assert category in check(rules, text).categories


def test_policy_errors_are_reported():
    with pytest.raises(PolicyError, match="unknown category"):
        compile_policy({"categories": {"gore": {"strong": ["x"]}}})
    with pytest.raises(PolicyError, match="bad pattern"):
        compile_policy({"categories": {"hate": {"patterns": [{"regex": "(unclosed"}]}}})
    with pytest.raises(PolicyError, match="unknown level"):
        compile_policy({"thresholds": {"medium": {}}})


def test_evidence_names_the_words(rules):
    result = check(rules, "a decapitated body")
    assert "strong:decapitat*" in result.details["rules"]["violence/graphic"]
    assert set(result.scores) == set(CATEGORIES)


# ------------------------------------------------------------------ quality on the labelled set

def test_prompt_set_shape():
    rows = moderation_quality.load_prompts()
    assert len(rows) >= 300
    harmful = [r for r in rows if r["label"] == "harmful"]
    assert 0.25 <= len(harmful) / len(rows) <= 0.5
    for split in ("dev", "test"):
        for cat in CATEGORIES:
            assert any(cat in r["categories"] and r["split"] == split for r in harmful), (cat, split)
    assert {r["lang"] for r in rows} >= {"en", "es", "fr", "de", "ru", "zh"}
    assert sum(r["kind"] == "alarming" for r in rows) >= 50


# The policy is written and tuned on the dev split, so the floors below are on dev: they catch a
# change that breaks what the policy was built to do. The test split is held out: its figures are
# printed by the benchmark (and quoted in the README), never asserted, since a floor on them is an
# invitation to tune until it passes.

def test_quality_rules_on_the_dev_split(rules):
    m = moderation_quality.metrics(moderation_quality.evaluate(rules, moderation_quality.load_prompts("dev")))
    assert m["recall_clear"] >= 0.95, m
    assert m["fpr_benign"] <= 0.02, m
    for cat, c in m["categories"].items():
        assert c["recall"] >= 0.8, (cat, c)


def test_low_is_more_permissive_on_the_set(rules):
    rows = moderation_quality.load_prompts("dev")
    auto = moderation_quality.metrics(moderation_quality.evaluate(rules, rows, "auto"))
    low = moderation_quality.metrics(moderation_quality.evaluate(rules, rows, "low"))
    assert low["overall"]["recall"] < auto["overall"]["recall"]
    assert low["fpr_benign"] <= auto["fpr_benign"]
    assert low["categories"]["sexual/minors"]["recall"] == auto["categories"]["sexual/minors"]["recall"]


def test_quality_with_semantic_layer_on_the_dev_split():
    policy = load_policy()
    moderator = PolicyModerator(policy, semantic=build_semantic(policy, True))
    m = moderation_quality.metrics(moderation_quality.evaluate(moderator, moderation_quality.load_prompts("dev")))
    assert m["recall_clear"] >= 0.95, m
    assert m["fpr_benign"] <= 0.02, m
    assert moderator.describe()["semantic"] == "all-MiniLM-L6-v2"


# ------------------------------------------------------------------ semantic layer (fake embedder)

class BagOfWords:
    """A deterministic stand-in embedder: hashed word counts, unit length."""

    name = "bag-of-words"

    def embed(self, texts):
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, zlib.crc32(word.encode()) % 256] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


SEMANTIC_CFG = {
    "min_similarity": 0.3, "margin_start": 0.1, "margin_full": 0.3, "benign_margin": 0.1,
    "exemplars": {"violence/graphic": {"harmful": ["a mangled bloody body on the road", "a bloody body torn apart"],
                                       "benign": ["a red sunset over the road", "a bloody mary at a bar counter"]}},
    "benign": {"general": ["a cat on a sofa"]},
}


def test_semantic_scores_follow_the_margin():
    sem = SemanticClassifier(BagOfWords(), SEMANTIC_CFG)
    harmful = sem.scores("a bloody body torn apart on the road")["violence/graphic"]
    benign = sem.scores("a bloody mary cocktail at the bar counter")["violence/graphic"]
    assert harmful.score > 0.5 and not harmful.benign_side
    assert benign.score == 0 and benign.benign_side


def test_semantic_layer_raises_and_dampens():
    raw = tiny_policy(semantic={**SEMANTIC_CFG, "dampen_below": 0.7, "dampen_factor": 0.5})
    raw["allow"] = {}
    raw["thresholds"] = {"auto": {"violence/graphic": 0.25}}
    raw["categories"]["violence/graphic"]["weak"]["en"].append("bloody")
    policy = compile_policy(raw)
    plain = PolicyModerator(policy)
    smart = PolicyModerator(policy, semantic=SemanticClassifier(BagOfWords(), policy.semantic))
    text = "a bloody mary at a bar counter"               # weak rule hit, reads benign
    assert check(plain, text).flagged and not check(smart, text).flagged
    text = "a mangled body torn apart on the road"        # no rule word, reads harmful
    assert not check(plain, text).flagged and check(smart, text).flagged
    assert smart.describe()["semantic"] == "bag-of-words"


def test_warm_up_loads_the_optional_layers():
    policy = load_policy()
    images = StaticImageClassifier({"sexual": 0.0})
    mod = PolicyModerator(policy, semantic=SemanticClassifier(BagOfWords(), policy.semantic), image_classifier=images)
    run(mod.warm_up())
    assert mod.semantic._matrices is not None and images.seen == 0   # images only when asked
    run(mod.warm_up(images=True))
    assert images.seen == 1


def test_semantic_is_optional(monkeypatch):
    policy = load_policy()
    monkeypatch.setattr("imagegate.policy.moderation.minilm_available", lambda: False)
    assert build_semantic(policy, "auto") is None
    mod = build_moderator({"image_classifier": "none"})
    assert mod.semantic is None and "not installed" in mod.describe()["semantic"]
    assert check(mod, "a decapitated body").flagged                         # rules alone still work
    with pytest.raises(ConfigurationError, match="moderation extra"):
        build_semantic(policy, True)
    assert build_semantic(policy, False) is None


# ------------------------------------------------------------------ images

def skin_image() -> Image.Image:
    im = Image.new("RGB", (256, 256), (225, 180, 150))
    ImageDraw.Draw(im).ellipse((60, 60, 200, 200), fill=(205, 150, 120))
    return im


def test_image_classifier_is_injected():
    flagging = PolicyModerator(load_policy(), image_classifier=StaticImageClassifier({"sexual": 0.9}))
    passing = PolicyModerator(load_policy(), image_classifier=StaticImageClassifier({"sexual": 0.1}))
    result = run(flagging.check_image(skin_image()))
    assert result.flagged and result.categories == ("sexual",) and result.stage == "output"
    assert not run(passing.check_image(skin_image())).flagged


def test_image_levels():
    mod = PolicyModerator(load_policy(), image_classifier=StaticImageClassifier({"sexual": 0.55, "sexual/minors": 0.5}))
    assert run(mod.check_image(skin_image(), "auto")).categories == ("sexual", "sexual/minors")
    assert run(mod.check_image(skin_image(), "low")).categories == ("sexual/minors",)


def test_no_image_classifier_says_so():
    mod = PolicyModerator(load_policy(), image_classifier=None)
    result = run(mod.check_image(skin_image()))
    assert not result.flagged and result.details == {"checked": False}
    assert "not checked" in mod.describe()["image"]


class FakeDetector:
    def __init__(self, detections):
        self.detections = detections
        self.shapes = []

    def detect(self, bgr):
        self.shapes.append(bgr.shape)
        return self.detections


def test_nudenet_detections_map_to_sexual():
    exposed = NudeNetClassifier(FakeDetector([{"class": "FACE_FEMALE", "score": 0.9}, {"class": "FEMALE_BREAST_EXPOSED", "score": 0.7}]))
    covered = NudeNetClassifier(FakeDetector([{"class": "FEMALE_BREAST_COVERED", "score": 0.9}, {"class": "BELLY_EXPOSED", "score": 0.8}]))
    assert exposed.classify(skin_image()) == {"sexual": 0.7}
    assert covered.classify(skin_image()) == {"sexual": 0.0}
    mod = PolicyModerator(load_policy(), image_classifier=exposed)
    assert run(mod.check_image(skin_image().convert("RGBA"))).categories == ("sexual",)
    assert exposed._detector.shapes[-1] == (256, 256, 3)


def test_real_nudenet_passes_a_harmless_image():
    im = Image.new("RGB", (320, 320), (40, 90, 160))
    ImageDraw.Draw(im).rectangle((100, 120, 220, 260), fill=(250, 200, 40))
    classifier = NudeNetClassifier()
    assert classifier.classify(im)["sexual"] < 0.2
    assert not run(PolicyModerator(load_policy(), image_classifier=classifier).check_image(skin_image())).flagged


# ------------------------------------------------------------------ upstream provider

def upstream_body(flags: dict[str, bool], scores: dict[str, float]) -> dict:
    return {"id": "modr-1", "model": "omni-moderation-latest", "results": [{"flagged": any(flags.values()), "categories": flags, "category_scores": scores}]}


def recording_client(responder) -> tuple[httpx.AsyncClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return responder(request)

    return httpx.AsyncClient(transport=httpx.MockTransport(handler)), seen


def test_upstream_request_shape_and_mapping():
    body = upstream_body({"sexual": True, "violence": True, "self-harm/intent": True, "harassment/threatening": False},
                         {"sexual": 0.95, "violence": 0.9, "self-harm/intent": 0.6, "harassment/threatening": 0.2})
    client, seen = recording_client(lambda r: httpx.Response(200, json=body))
    mod = UpstreamModerator("https://mod.example/v1/", "sk-test", "omni-moderation-latest", client=client)
    result = run(mod.check_text("a prompt"))
    assert result.categories == ("sexual", "self-harm")        # plain "violence" is not graphic
    assert result.scores["harassment"] == 0.2 and result.stage == "input"
    req = seen[0]
    assert req.method == "POST" and str(req.url) == "https://mod.example/v1/moderations"
    assert req.headers["authorization"] == "Bearer sk-test"
    assert json.loads(req.content) == {"model": "omni-moderation-latest", "input": "a prompt"}
    assert run(mod.check_text("a prompt", "low")).categories == ("sexual",)   # 0.6 < low_threshold 0.8


def test_upstream_low_keeps_minors():
    body = upstream_body({"sexual/minors": True}, {"sexual/minors": 0.31})
    client, _ = recording_client(lambda r: httpx.Response(200, json=body))
    mod = UpstreamModerator("https://mod.example/v1", client=client)
    assert run(mod.check_text("x", "low")).categories == ("sexual/minors",)


def test_upstream_images_go_as_data_urls():
    client, seen = recording_client(lambda r: httpx.Response(200, json=upstream_body({"sexual": False}, {"sexual": 0.01})))
    result = run(UpstreamModerator("https://mod.example/v1", client=client).check_image(skin_image()))
    assert not result.flagged and result.stage == "output"
    part = json.loads(seen[0].content)["input"][0]
    assert part["type"] == "image_url"
    prefix, data = part["image_url"]["url"].split(",", 1)
    assert prefix == "data:image/png;base64"
    assert Image.open(io.BytesIO(base64.b64decode(data))).size == (256, 256)


@pytest.mark.parametrize("response", [httpx.Response(500, text="boom"), httpx.Response(200, text="not json"), httpx.Response(200, json={"results": []})])
def test_upstream_failure_falls_back_or_fails(response):
    client, _ = recording_client(lambda r: response)
    with_fallback = UpstreamModerator("https://mod.example/v1", client=client, fallback=PolicyModerator(load_policy()))
    assert run(with_fallback.check_text("a decapitated body")).categories == ("violence/graphic",)
    without = UpstreamModerator("https://mod.example/v1", client=client)
    with pytest.raises(ImagegateError) as info:
        run(without.check_text("a cat"))
    assert info.value.status_code == 503 and info.value.headers["Retry-After"].isdigit() and info.value.code == "moderation_unavailable"


# ------------------------------------------------------------------ refusal shape, factory

def test_blocked_error_is_openais_refusal():
    result = ModerationResult(True, ("sexual", "violence/graphic"), {"sexual": 0.9}, "output")
    err = blocked_error(result, "req_123")
    assert isinstance(err, UserError) and err.status_code == 400
    assert err.to_body() == {"error": {
        "message": "Your request was rejected by the safety system. If you believe this is an error, contact the operator of "
                   "this service and include the request ID req_123. safety_violations=[sexual, violence/graphic].",
        "type": "image_generation_user_error",
        "param": None,
        "code": "moderation_blocked",
        "moderation_details": {"moderation_stage": "output", "categories": ["sexual", "violence/graphic"]},
    }}
    single = blocked_error(ModerationResult(True, ("sexual",), {}, "input"), "abc", contact="admin@example.org")
    assert single.message.endswith("contact admin@example.org and include the request ID abc. safety_violations=[sexual].")


def test_allow_all():
    mod = AllowAllModerator()
    assert not run(mod.check_text("a decapitated body")).flagged
    assert run(mod.check_image(skin_image())).stage == "output"


def test_build_moderator(tmp_path):
    assert isinstance(build_moderator({"provider": "none"}), AllowAllModerator)
    mod = build_moderator({"semantic": False, "image_classifier": "none"})
    assert isinstance(mod, PolicyModerator) and mod.semantic is None and mod.image_classifier is None
    assert mod.describe()["semantic"] == "off"
    assert isinstance(build_moderator(None), PolicyModerator)
    policy = tmp_path / "policy.toml"
    policy.write_text('[categories."illicit".strong]\nen = ["contraband widget"]\n', encoding="utf-8")
    custom = build_moderator({"policy_file": str(policy), "semantic": False, "image_classifier": "none"})
    assert check(custom, "a contraband widget").categories == ("illicit",)
    assert not check(custom, "a decapitated body").flagged     # the file replaces the default
    semantic = build_moderator({"image_classifier": "none"}, embedder=BagOfWords())
    assert semantic.describe()["semantic"] == "bag-of-words"
    up = build_moderator({"provider": "upstream", "upstream": {"base_url": "https://mod.example/v1", "api_key": "k"}}, client=httpx.AsyncClient())
    assert isinstance(up, UpstreamModerator) and isinstance(up.fallback, PolicyModerator)
    with pytest.raises(ConfigurationError):
        build_moderator({"provider": "upstream"})
    with pytest.raises(ConfigurationError):
        build_moderator({"provider": "magic"})
    (tmp_path / "bad.toml").write_text("[thresholds.auto]\nsexual = ", encoding="utf-8")
    with pytest.raises(ConfigurationError):
        build_moderator({"policy_file": str(tmp_path / "bad.toml")})

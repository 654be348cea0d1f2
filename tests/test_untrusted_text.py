"""Untrusted text is read in bounded time.

Prompts (up to 32,000 characters, from anyone), chat planners' answers and search providers'
answers go through many regular expressions in the planner, the moderation rules and research.
Every pattern those modules hold, and their public entry points, run here on adversarial
32,000-character inputs: long runs of one letter, quote marks left open, spaced-out and dotted
letters, leetspeak, mixed scripts, nested brackets, broken markup.

The limits are CPU seconds and generous: a linear reading takes hundredths of a second, while
the quadratic and worse readings these tests guard against took seconds to minutes (a wall-clock
guard stops such a reading early, so a regression fails instead of hanging).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from types import ModuleType

import httpx
import pytest

from imagegate.planning import chat, planner, words
from imagegate.planning.chat import ChatPlanner
from imagegate.planning.planner import RulePlanner, engine_prompt, revised_prompt
from imagegate.policy import normalize, rules, semantic
from imagegate.policy.normalize import views
from imagegate.policy.rules import default_policy_text, load_policy
from imagegate.research import providers, search, text
from imagegate.research.search import needs_research
from imagegate.research.text import extract_facts, score_sentence, sentences, strip_html

N = 32_000
PATTERN_LIMIT = 0.3  # CPU seconds for one pattern over one input
ENTRY_LIMIT = 1.5  # CPU seconds for one entry point call on one input
GUARD = 15.0  # wall-clock seconds after which a call is stopped


def fill(unit: str, tail: str = "", head: str = "") -> str:
    """`unit` repeated to N characters in all, between `head` and `tail`."""
    size = N - len(head) - len(tail)
    return head + (unit * (size // len(unit) + 1))[:size] + tail


ADVERSARIAL = {
    "lower": fill("a"),
    "lower!": fill("a", "!"),
    "digits": fill("1"),
    "quote-a-space": fill("'a "),
    "quotes-alternating": fill("\"'"),
    "quotes-all": fill("\"'‘’“”„«»‹›「」『』"),
    "curly-single-open": fill("‘a’a"),
    "curly-double-open": fill("“a"),
    "guillemet-open": fill("«a"),
    "spaces": fill(" "),
    "whitespace-mix": fill(" \t\n\u00a0"),
    "exclamations": fill("!"),
    "spaced-letters": fill("a "),
    "dotted-letters": fill("a."),
    "dashes-and-dots": fill(".-_*·/~"),
    "hyphenated": fill("a-"),
    "apostrophes": fill("a'"),
    "k.i.l.l.": fill("k.i.l.l."),
    "kill-marks": fill("!", head="kil"),
    "leet": fill("!|1"),
    "dollars": fill("$"),
    "number-commas": fill("1,"),
    "numbers-spaced": fill("1 "),
    "mixed-scripts": fill("aа α字 ب ע"),
    "brackets-nested": "(" * (N // 2) + ")" * (N // 2),
    "capitalised-words": fill("Abc "),
    "camel": fill("aB"),
    "sentences": fill("A. "),
    "colours": fill("dark red "),
    "all-all": fill("all ", head="kill "),
    "tags-open": fill("<a "),
    "comments-open": fill("<!--"),
}


# The shapes each pattern is swept with (the entry points get all of ADVERSARIAL): between them
# they made every one of the old super-linear patterns slow.
PATTERN_INPUTS = (
    "lower", "lower!", "quote-a-space", "quotes-alternating", "quotes-all", "curly-single-open", "guillemet-open",
    "spaces", "dashes-and-dots", "spaced-letters", "hyphenated", "apostrophes", "k.i.l.l.", "leet", "dollars",
    "number-commas", "mixed-scripts", "brackets-nested", "capitalised-words", "camel", "tags-open",
)


class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def guard(seconds: float) -> Iterator[None]:
    """Stop the block after `seconds` of wall-clock time (the regex engine checks for signals)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum, frame):  # noqa: ARG001
        raise TookTooLong(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cpu_seconds(call: Callable[[], object]) -> float:
    start = time.process_time()
    with guard(GUARD):
        call()
    return time.process_time() - start


def slow_inputs(run: Callable[[str], object], limit: float, names: tuple[str, ...] = tuple(ADVERSARIAL)) -> dict[str, float]:
    """The inputs on which `run` took longer than `limit` CPU seconds, with their times."""
    slow = {}
    for name in names:
        value = ADVERSARIAL[name]
        try:
            seconds = cpu_seconds(lambda: run(value))
        except TookTooLong:
            seconds = float("inf")
        if seconds > limit:
            slow[name] = round(seconds, 3)
    return slow


# ------------------------------------------------------------------ every pattern

MODULES: tuple[ModuleType, ...] = (planner, words, chat, rules, normalize, semantic, text, search, providers)


def _collect(value: object, name: str, found: dict[str, re.Pattern[str]], depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        found.setdefault(name, value)
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            _collect(item, f"{name}[{key!r}]", found, depth + 1)
    elif depth < 3 and isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            _collect(item, f"{name}[{i}]", found, depth + 1)


def module_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled pattern the untrusted-text modules hold, and the compiled default policy's."""
    found: dict[str, re.Pattern[str]] = {}
    for module in MODULES:
        for attr, value in vars(module).items():
            if not isinstance(value, ModuleType):
                _collect(value, f"{module.__name__.rsplit('.', 1)[-1]}.{attr}", found)
    # (the word tables hold pattern sources: the planner's tables hold them compiled)
    policy = load_policy()
    if policy.allow is not None:
        found["policy.allow"] = policy.allow
    for category, matchers in policy.categories.items():
        for strength, matcher in matchers.items():
            found[f"policy.{category}.{strength}"] = matcher.regex
    for name, matcher in policy.lexicons.items():
        found[f"policy.lexicons.{name}"] = matcher.regex
    raw = tomllib.loads(default_policy_text())
    for category, table in raw["categories"].items():
        for i, item in enumerate(table.get("patterns", [])):
            found[f"policy.{category}.patterns[{i}]"] = re.compile(item["regex"])
    for name, table in raw["lexicons"].items():
        for i, pattern in enumerate(table.get("patterns", [])):
            found[f"policy.lexicons.{name}.patterns[{i}]"] = re.compile(pattern)
    # one pattern may be reachable under several names: keep the first
    unique: dict[int, str] = {}
    for name, pattern in found.items():
        unique.setdefault(id(pattern), name)
    return {name: found[name] for name in unique.values()}


PATTERNS = module_patterns()


def test_the_patterns_are_all_there() -> None:
    # A guard on the collection itself: a renamed module or table must not empty the sweep.
    assert len(PATTERNS) > 150
    for name in ("planner._OPENING", "planner._SUBJECT_PATTERNS['object']", "planner._SURFACE_PHRASE", "planner._ASPECT[0][0]",
                 "chat._FENCE", "normalize._SPACED", "text._NAME", "text._UNITS", "text._TAG_OR_TEXT",
                 "policy.sexual.strong", "policy.allow", "policy.hate.patterns[2]"):
        assert name in PATTERNS, name


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear(name: str) -> None:
    pattern = PATTERNS[name]
    assert slow_inputs(lambda value: sum(1 for _ in pattern.finditer(value)), PATTERN_LIMIT, PATTERN_INPUTS) == {}


# ------------------------------------------------------------------ public entry points

POLICY = load_policy()
PLANNER = RulePlanner()


def plan_and_rewrite(value: str) -> None:
    plan = PLANNER.plan(value)
    engine_prompt(plan)
    revised_prompt(plan)


def chat_plan(answer: str) -> None:
    """The chat planner reading a chat model's (adversarial) answer."""
    body = {"choices": [{"message": {"content": answer}}]}

    async def go() -> None:
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
        async with httpx.AsyncClient(transport=transport) as client:
            await ChatPlanner("http://llm.local/v1", "m", client=client).plan("a red apple")

    asyncio.run(go())


def chat_plan_with_texts(value: str) -> None:
    """The chat planner checking a plan's texts against an adversarial prompt."""
    answer = json.dumps({"texts": [{"text": value[i : i + 40]} for i in range(0, 4000, 40)]})

    async def go() -> None:
        transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"choices": [{"message": {"content": answer}}]}))
        async with httpx.AsyncClient(transport=transport) as client:
            await ChatPlanner("http://llm.local/v1", "m", client=client).plan(value)

    asyncio.run(go())


ENTRY_POINTS: dict[str, Callable[[str], object]] = {
    "RulePlanner.plan": plan_and_rewrite,
    "ChatPlanner.plan": chat_plan,
    "Policy.score": POLICY.score,
    "views": views,
    "needs_research": needs_research,
    "extract_facts": lambda value: extract_facts([value, value.replace(" ", ". ")]),
    "sentences": sentences,
    "score_sentence": score_sentence,
    "strip_html": strip_html,
    "strip_html (in a page)": lambda value: strip_html(f"<html><body><p>{value}</p></body></html>"),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_entry_point_is_quick(name: str) -> None:
    ENTRY_POINTS[name]("warm up")
    assert slow_inputs(ENTRY_POINTS[name], ENTRY_LIMIT) == {}


@pytest.mark.parametrize("name", ["quote-a-space", "quotes-all", "hyphenated", "capitalised-words"])
def test_chat_planner_checks_texts_quickly(name: str) -> None:
    # the chat planner runs the rule planner and looks for each of the chat plan's texts in the prompt
    assert cpu_seconds(lambda: chat_plan_with_texts(ADVERSARIAL[name])) <= 2 * ENTRY_LIMIT


# ------------------------------------------------------------------ nothing is lost on the way

def test_quoted_text_anywhere_in_a_long_prompt_is_found() -> None:
    # after 31,000 characters of open quote marks, apostrophes and text, the quoted strings at
    # the end and in the middle are found exactly (scene analysis reads a prefix; quotes do not)
    middle = "A poster with the title “Grand Opening” in the middle. "
    prompt = fill("'a «b „c ‘d ", head=middle, tail='\nand the text "See you there!" at the very end, plus \'Joe\'s Diner\'.')
    texts = [t.text for t in PLANNER.plan(prompt).texts]
    assert texts[0] == "Grand Opening"
    assert texts[-2:] == ["See you there!", "Joe's Diner"]


def test_a_long_prompt_is_still_moderated_to_its_end() -> None:
    prompt = fill("a calm lake at dawn, ", tail=" and a decapitated body in a pool of blood")
    scores, evidence = POLICY.score(prompt)
    assert scores["violence/graphic"] == 1.0
    assert any("decapitat" in e for e in evidence["violence/graphic"])
    evasion = fill("a calm lake at dawn, ", tail=" k!ll!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!y0urs3lf")
    assert POLICY.score(evasion)[0]["self-harm"] == 1.0


def test_a_long_prompt_still_asks_for_research() -> None:
    assert needs_research(fill("a calm lake at dawn, ", tail=" with the Eiffel Tower behind")) == "Eiffel Tower"

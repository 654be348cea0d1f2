"""Engines driven from a script, with no server: the built-in renderer and the null engine."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from imagegate.engines.base import EngineRequest, ImageEngine
from imagegate.engines.builtin import BuiltinEngine
from imagegate.engines.null import NullEngine
from imagegate.engines.registry import available_engines, create_engine
from imagegate.errors import ConfigurationError


def run(engine, **kw):
    events = []
    results = asyncio.run(engine.generate(EngineRequest(**kw), events.append))
    return results, events


def test_engines_register_as_plugins():
    assert {"builtin", "null"} <= set(available_engines())
    assert isinstance(create_engine("builtin", {}), ImageEngine)
    with pytest.raises(ConfigurationError, match="Unknown engine"):
        create_engine("nope", {})


def test_builtin_is_deterministic_per_seed_and_reports_progress():
    engine = BuiltinEngine({})
    a, events = run(engine, prompt='a sign saying "OPEN"', width=512, height=384, seed=9, n=2)
    b, _ = run(engine, prompt='a sign saying "OPEN"', width=512, height=384, seed=9, n=2)
    assert [r.seed for r in a] == [9, 10]
    assert a[0].image.size == (512, 384)
    assert np.array_equal(np.asarray(a[0].image), np.asarray(b[0].image))
    assert not np.array_equal(np.asarray(a[0].image), np.asarray(a[1].image))
    assert events and events[-1].step == events[-1].total


def test_builtin_changes_with_quality_or_prompt():
    engine = BuiltinEngine({})
    base, _ = run(engine, prompt="a red apple", width=256, height=256, seed=1)
    other, _ = run(engine, prompt="a green pear", width=256, height=256, seed=1)
    assert not np.array_equal(np.asarray(base[0].image), np.asarray(other[0].image))


def test_transparent_requests_get_alpha():
    results, _ = run(BuiltinEngine({}), prompt="a sticker", width=256, height=256, transparent=True)
    assert results[0].image.mode == "RGBA" and results[0].image.getpixel((0, 0))[3] == 0
    results, _ = run(NullEngine({}), prompt="x", width=64, height=32, n=3)
    assert len(results) == 3 and results[0].image.size == (64, 32)

"""Engines driven from a script, with no server: the built-in renderer and the null engine."""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest

from imagegate.engines.base import CancelToken, EngineCancelled, EngineRequest, ImageEngine, run_cancellable
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


def test_builtin_previews_are_the_asked_steps_for_every_image():
    results, events = run(BuiltinEngine({}), prompt="a red apple", width=256, height=256, n=2, previews=3)
    previews = [(e.index, e.step) for e in events if e.preview is not None]
    assert previews == [(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 3)]  # never the final picture
    assert all(e.preview.size == (256, 256) for e in events if e.preview is not None)
    _, quiet = run(BuiltinEngine({}), prompt="a red apple", width=256, height=256)
    assert quiet and all(e.preview is None for e in quiet)


def test_builtin_stops_at_the_next_stage_once_cancelled():
    token = CancelToken()
    steps = []

    def on_progress(p):
        steps.append((p.index, p.step))
        token.cancel("test")

    with pytest.raises(EngineCancelled):
        asyncio.run(BuiltinEngine({}).generate(EngineRequest(prompt="a cat", width=256, height=256, n=3, cancel=token), on_progress))
    assert steps == [(0, 1)]  # the first report after cancelling raised; no further stage or image ran


def test_cancelling_the_caller_sets_the_token_and_returns_at_once():
    token = CancelToken()
    started, finished = threading.Event(), threading.Event()

    def work():
        started.set()
        while not token.cancelled:
            time.sleep(0.005)
        finished.set()

    async def main():
        task = asyncio.ensure_future(run_cancellable(work, cancel=token))
        await asyncio.to_thread(started.wait)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())
    assert token.cancelled and finished.wait(5)


def test_builtin_keeps_freed_memory_unless_told_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine raises glibc's malloc thresholds (once per process) so renders reuse freed
    buffers instead of page-faulting new ones; the option turns that off."""
    import platform

    from imagegate.engines import builtin
    from imagegate.render import _malloc

    calls = []
    monkeypatch.setattr(builtin, "keep_freed_memory", lambda: calls.append(1) or True)
    BuiltinEngine({})
    BuiltinEngine({"keep_freed_memory": False})
    assert calls == [1]

    applied = _malloc.keep_freed_memory()
    assert applied is _malloc.keep_freed_memory()  # applied once, same answer after
    assert applied is (platform.system() == "Linux" and platform.libc_ver()[0] == "glibc")

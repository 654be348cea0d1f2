"""The built-in engine's render processes: concurrent generations leave the GIL-bound process.

Each test holds the engine's own render slot (`pool.enter()`, as a render in progress would), so
the generation it makes next is dispatched to a render process, and compares what comes back
with the same image rendered in-process.
"""

from __future__ import annotations

import asyncio
import io
import os
import signal
import time

import numpy as np
import pytest
from PIL import Image

from imagegate.engines.base import CancelToken, EngineCancelled, EngineRequest
from imagegate.engines.builtin import BuiltinEngine, render_process_count
from imagegate.planning.planner import RulePlanner

PROMPT = 'A bakery shop sign on a brick wall that reads "FRESH BREAD", a bicycle beside it'


def request(seed: int = 3, **kw) -> EngineRequest:
    fields = {"prompt": PROMPT, "plan": RulePlanner().plan(PROMPT), "width": 320, "height": 256, "seed": seed,
              "wire": {"output_format": "png"}}
    return EngineRequest(**{**fields, **kw})


def generate(engine: BuiltinEngine, req: EngineRequest, events: list | None = None):
    return asyncio.run(engine.generate(req, events.append if events is not None else None))


def wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def engine():
    engine = BuiltinEngine({"render_processes": 1})
    yield engine
    asyncio.run(engine.close())


def busy_here(engine: BuiltinEngine) -> None:
    """Hold the in-process slot and get a render process started and idle."""
    engine.pool.enter()
    if engine.pool.started == 0:
        generate(engine, request(seed=99))  # no process ready yet: starts one and renders here meanwhile
        wait_for(lambda: engine.pool.started == 1 and engine.pool._idle)


def pixels(result) -> np.ndarray:
    return np.asarray(result.image.convert("RGB"))


def test_auto_count_is_one_per_core_shared_by_workers(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    assert render_process_count("auto") == 8
    assert render_process_count("auto", server_workers=2) == 4
    assert render_process_count(None, server_workers=16) == 0
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert render_process_count("auto") == 0  # one core: threads only
    assert render_process_count(3) == 3 and render_process_count("0") == 0
    with pytest.raises(ValueError):
        render_process_count(-1)
    assert BuiltinEngine({"render_processes": 0}).pool is None


def test_a_concurrent_generation_renders_in_a_process_and_matches_in_process(engine):
    local = generate(BuiltinEngine({"render_processes": 0}), request())[0]
    busy_here(engine)
    remote = generate(engine, request())[0]
    assert remote.encoded is not None and remote.encoded_format == "png"
    assert remote.encoded.startswith(b"\x89PNG") and remote.image.size == (320, 256)
    assert np.array_equal(pixels(remote), pixels(local))  # the same picture, wherever it was drawn
    jpeg = generate(engine, request(wire={"output_format": "jpeg", "output_compression": 40}))[0]
    assert jpeg.encoded_format == "jpeg" and jpeg.encoded.startswith(b"\xff\xd8")
    assert len(jpeg.encoded) < len(remote.encoded)
    assert engine.pool.started == 1  # one process served all of them


def test_previews_come_back_encoded_at_the_output_size(engine):
    busy_here(engine)
    events = []
    result = generate(engine, request(previews=2), events)[0]
    previews = [e for e in events if e.preview is not None]
    assert len(previews) == 2 and result.encoded is not None
    for event in previews:
        assert event.encoded_format == "png" and event.index == 0
        assert Image.open(io.BytesIO(event.encoded)).size == (320, 256)
    assert events[-1].step == events[-1].total


def test_cancel_reaches_the_render_process_and_it_stays_usable(engine):
    busy_here(engine)
    token = CancelToken()
    events = []

    def on_progress(progress):
        events.append(progress)
        token.cancel("test")

    with pytest.raises(EngineCancelled, match="test"):
        asyncio.run(engine.generate(request(cancel=token), on_progress))
    assert len(events) == 1  # stopped at the next stage
    wait_for(lambda: engine.pool._idle)
    assert engine.pool.live == 1
    assert generate(engine, request())[0].encoded is not None  # the same process again
    assert engine.pool.started == 1


def test_a_render_process_killed_mid_render_costs_time_not_the_answer(engine):
    local = generate(BuiltinEngine({"render_processes": 0}), request(seed=5))[0]
    busy_here(engine)
    victim = engine.pool._idle[0].proc

    def on_progress(progress):
        if victim.poll() is None:
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait()

    result = asyncio.run(engine.generate(request(seed=5), on_progress))[0]
    assert result.encoded is None  # rendered in-process instead
    assert np.array_equal(pixels(result), pixels(local))
    assert engine.pool.live == 0


def test_idle_render_processes_exit_and_are_started_again():
    engine = BuiltinEngine({"render_processes": 1, "render_process_idle_seconds": 0.3})
    try:
        busy_here(engine)
        first = engine.pool._idle[0].proc
        # its idle timeout: reaped and forgotten at once, not left a zombie until the next render
        wait_for(lambda: engine.pool.live == 0 and not engine.pool._idle)
        assert first.returncode == 0
        with pytest.raises(ChildProcessError):
            os.waitpid(first.pid, os.WNOHANG)  # no zombie left to collect
        generate(engine, request())  # starts another, renders here meanwhile
        wait_for(lambda: engine.pool.started == 2)
        assert engine.pool.live == 1
    finally:
        asyncio.run(engine.close())


def test_close_stops_the_processes(engine):
    busy_here(engine)
    proc = engine.pool._idle[0].proc
    asyncio.run(engine.close())
    assert proc.wait(timeout=10) is not None


def test_the_images_of_one_request_render_side_by_side_in_order(engine):
    sequential = generate(BuiltinEngine({"render_processes": 0}), request(n=3, previews=1))
    generate(engine, request(n=3))  # starts the render process
    wait_for(lambda: engine.pool.started == 1 and engine.pool._idle)
    together = generate(engine, request(n=3))
    assert [r.seed for r in together] == [3, 4, 5]
    assert any(r.encoded is not None for r in together)  # some drawn in the render process
    for a, b in zip(together, sequential):
        assert np.array_equal(pixels(a), pixels(b))
    events = []  # with progress reported (a stream), the images come one after another, in order
    generate(engine, request(n=3, previews=1), events)
    assert [e.index for e in events if e.preview is not None] == [0, 1, 2]


def test_a_pool_dropped_without_close_stops_its_processes_quietly():
    import gc
    import warnings

    engine = BuiltinEngine({"render_processes": 1})
    busy_here(engine)
    proc = engine.pool._idle[0].proc
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del engine
        gc.collect()
    assert proc.poll() is not None  # stopped with its pool
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]

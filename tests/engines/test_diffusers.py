"""The diffusers engine on tiny random SD-Turbo-, SDXL-Turbo- and Flux-shaped pipelines (CPU).

Each pipeline is saved with `save_pretrained` and loaded through the engine from its directory,
the same path a real model folder takes.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imagegate.engines.base import EngineRequest, Progress
from imagegate.errors import ConfigurationError, InvalidRequestError

pytestmark = [
    # diffusers' schedulers call np.array() on torch tensors, and numpy 2 warns about torch's __array__
    pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning"),
]

KINDS = ["sd", "sdxl", "flux"]
TOKENIZERS = Path(__file__).resolve().parent.parent / "fixtures" / "tokenizers"

# The fixtures live here, not in tests/engines/conftest.py: a second conftest module would
# shadow the root one for the e2e tests' `from conftest import Server`.


@pytest.fixture(scope="session")
def tiny_pipelines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """kind ("sd", "sdxl", "flux") -> a directory written by `save_pretrained`."""
    import diffusers  # noqa: F401 - installed with the diffusers extra by scripts/setup.sh
    import torch

    from imagegate.engines._tiny import save_tiny_pipeline

    torch.set_num_threads(1)  # shared 2-core CI machines: one thread keeps timings steady
    root = tmp_path_factory.mktemp("tiny-pipelines")
    return {kind: save_tiny_pipeline(kind, TOKENIZERS, root / kind) for kind in KINDS}


@pytest.fixture
def make_engine(tiny_pipelines: dict[str, Path]) -> Iterator:
    """Build DiffusersEngines on tiny pipelines; closed (and out of the memory pool) after the test."""
    from imagegate.engines.diffusers import DiffusersEngine

    engines: list[DiffusersEngine] = []

    def make(kind: str = "sd", **options) -> DiffusersEngine:
        engine = DiffusersEngine({"path": str(tiny_pipelines[kind]), **options})
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        asyncio.run(engine.close())


def gen(engine, on_progress=None, **kw):
    return asyncio.run(engine.generate(EngineRequest(**kw), on_progress))


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.int16)


def assert_same_image(a: Image.Image, b: Image.Image) -> None:
    """Equal up to float rounding that depends on the batch size.

    The batch inputs are the same per image (own CPU generator, same prompt embeddings, same
    timesteps), but on CPU oneDNN/MKL pick kernels by batch size: a Linear on a batch of one is
    a GEMV, on a batch of three a GEMM, and convolutions choose their algorithm per minibatch;
    their float sums are ordered differently, ~1e-7 relative. After the 8-bit conversion that
    shows up as an occasional value off by one (measured: 1 of 12 288 values at 64x64), so
    allow a difference of 1 in at most 0.2 % of the values; a different seed or prompt changes
    almost every value by far more.
    """
    assert a.size == b.size and a.mode == b.mode
    diff = np.abs(pixels(a) - pixels(b))
    assert diff.max() <= 1 and (diff > 0).mean() < 0.002, (diff.max(), (diff > 0).mean())


def assert_different(a: Image.Image, b: Image.Image) -> None:
    """Clearly not the same image: a random tiny text encoder moves pixels a little (2-4 levels on
    6-30 % of the values when only the prompt changes), another seed moves nearly all of them."""
    diff = np.abs(pixels(a) - pixels(b))
    assert (diff > 1).mean() > 0.02, (diff.max(), (diff > 1).mean())


# -- shapes, formats, determinism ------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_generates_rgb_images_of_the_requested_size_deterministically(make_engine, kind):
    engine = make_engine(kind)
    assert engine.status() == "idle"
    first = gen(engine, prompt="a red cat", width=64, height=64, seed=3)
    assert engine.status() == "ready"
    again = gen(engine, prompt="a red cat", width=64, height=64, seed=3)
    other_seed = gen(engine, prompt="a red cat", width=64, height=64, seed=4)
    other_prompt = gen(engine, prompt="blue sea and sky", width=64, height=64, seed=3)
    assert len(first) == 1 and first[0].seed == 3
    assert first[0].image.mode == "RGB" and first[0].image.size == (64, 64)
    assert np.array_equal(pixels(first[0].image), pixels(again[0].image))  # same batch shape: bit-identical
    assert_different(first[0].image, other_seed[0].image)
    assert_different(first[0].image, other_prompt[0].image)
    assert engine.stats()["loads"] == 1 and engine.pipeline_calls == 4


def test_non_square_sizes_and_n(make_engine):
    engine = make_engine("sd")
    results = gen(engine, prompt="a dog", width=96, height=64, n=3, seed=10)
    assert [r.seed for r in results] == [10, 11, 12]
    assert all(r.image.size == (96, 64) for r in results)
    assert engine.pipeline_calls == 1  # one request of three images is one call
    single = gen(engine, prompt="a dog", width=96, height=64, n=1, seed=11)
    assert_same_image(results[1].image, single[0].image)  # image i uses seed + i
    assert_different(results[0].image, results[1].image)


def test_n_above_max_batch_is_split_across_calls(make_engine):
    engine = make_engine("flux", max_batch=2, batch_window_ms=0)
    results = gen(engine, prompt="a cat", width=64, height=64, n=5, seed=20)
    assert [r.seed for r in results] == [20, 21, 22, 23, 24]
    assert sorted(engine.stats()["batch_sizes"]) == [1, 2, 2]
    single = gen(engine, prompt="a cat", width=64, height=64, seed=24)
    assert_same_image(results[4].image, single[0].image)


def test_engine_prompt_option_replaces_the_prompt(make_engine):
    engine = make_engine("sd")
    planned = gen(engine, prompt="the raw prompt", width=64, height=64, seed=1, options={"engine_prompt": "a red apple"})
    direct = gen(engine, prompt="a red apple", width=64, height=64, seed=1)
    assert np.array_equal(pixels(planned[0].image), pixels(direct[0].image))


# -- sizes ---------------------------------------------------------------------------------


def test_plan_size_keeps_aspect_under_the_native_limit():
    from imagegate.engines.diffusers import plan_size

    assert plan_size(512, 512, 1024, 16) == (512, 512)
    assert plan_size(2048, 2048, 1024, 16) == (1024, 1024)
    assert plan_size(1536, 1024, 1024, 16) == (1024, 688)  # 682.7 rounded to a multiple of 16
    assert plan_size(1024, 1792, 1024, 8) == (584, 1024)
    assert plan_size(72, 40, 1024, 16) == (80, 48)  # snapped to the nearest multiple, halves up
    assert plan_size(8, 8, 1024, 16) == (16, 16)  # never below one multiple
    assert plan_size(3000, 1000, 1000, 16) == (992, 336)  # the long side stays under the limit


def test_above_native_size_generates_natively_then_upscales_with_lanczos(make_engine):
    engine = make_engine("sd", native_max=64)
    native = gen(engine, prompt="a cat", width=64, height=48, seed=5)[0].image
    big = gen(engine, prompt="a cat", width=128, height=96, seed=5)[0].image
    assert big.size == (128, 96)
    assert np.array_equal(pixels(big), pixels(native.resize((128, 96), Image.Resampling.LANCZOS)))
    huge = gen(engine, prompt="a cat", width=2048, height=2048, seed=5)
    assert huge[0].image.size == (2048, 2048) and engine.stats()["batch_sizes"][-1] == 1


def test_sizes_off_the_multiple_are_snapped_then_resized(make_engine):
    engine = make_engine("flux")
    snapped = gen(engine, prompt="a cat", width=64, height=48, seed=2)[0].image
    odd = gen(engine, prompt="a cat", width=70, height=50, seed=2)[0].image  # generated at 64x48
    assert odd.size == (70, 50)
    assert np.array_equal(pixels(odd), pixels(snapped.resize((70, 50), Image.Resampling.LANCZOS)))


# -- quality, progress, previews -----------------------------------------------------------------


def test_quality_tiers_choose_steps_and_progress_counts_them(make_engine):
    engine = make_engine("sd", steps={"low": 1, "medium": 2, "high": 3})
    for quality, steps in [("low", 1), ("medium", 2), ("high", 3), ("auto", 2), ("hd", 3)]:
        events: list[Progress] = []
        gen(engine, events.append, prompt="a cat", width=64, height=64, quality=quality)
        assert [(e.step, e.total) for e in events] == [(s, steps) for s in range(1, steps + 1)], quality
        assert all(e.preview is None for e in events)
    events = []
    gen(engine, events.append, prompt="a cat", width=64, height=64, steps=5)
    assert events[-1].step == events[-1].total == 5


@pytest.mark.parametrize("kind", KINDS)
def test_previews_only_when_asked_and_only_before_the_end(make_engine, kind):
    engine = make_engine(kind, steps={"high": 4}, batch_window_ms=100)
    asked: list[Progress] = []
    quiet: list[Progress] = []

    async def both():
        return await asyncio.gather(
            engine.generate(EngineRequest(prompt="a cat", width=64, height=64, quality="high", options={"previews": 2}), asked.append),
            engine.generate(EngineRequest(prompt="a dog", width=64, height=64, quality="high", seed=9), quiet.append),
        )

    asyncio.run(both())
    assert engine.pipeline_calls == 1  # batched together, yet only one asked for previews
    previews = [e for e in asked if e.preview is not None]
    assert [e.step for e in previews] == [1, 3] and all(e.total == 4 and e.index == 0 for e in previews)
    assert all(p.preview.size == (64, 64) and p.preview.mode == "RGB" for p in previews)
    assert all(e.preview is None for e in quiet) and [e.step for e in quiet] == [1, 2, 3, 4]


def test_load_reports_progress_and_status(make_engine):
    engine = make_engine("flux")
    seen: list[tuple[int, int, str]] = []
    asyncio.run(engine.load(lambda p: seen.append((p.step, p.total, engine.status()))))
    assert seen == [(1, 3, "loading"), (2, 3, "loading"), (3, 3, "loading")]
    assert engine.status() == "ready" and engine.memory_bytes > 0
    warmed = make_engine("sd", warmup=True)  # on by default with compile = true
    steps: list[int] = []
    asyncio.run(warmed.load(lambda p: steps.append(p.total)))
    assert steps == [4, 4, 4, 4] and warmed.status() == "ready"


def test_dtype_option_sets_the_weights_precision(make_engine):
    fp32, bf16 = make_engine("flux"), make_engine("flux", dtype="bf16")
    asyncio.run(fp32.load())
    result = gen(bf16, prompt="a cat", width=64, height=64)
    # parameters x dtype size (integer buffers such as CLIP's position ids keep their size)
    assert bf16.memory_bytes * 2 == pytest.approx(fp32.memory_bytes, rel=0.001)
    assert result[0].image.size == (64, 64)
    with pytest.raises(ConfigurationError, match="dtype"):
        gen(make_engine("flux", dtype="int3"), prompt="a cat", width=64, height=64)


# -- requests the engine refuses -------------------------------------------------------------------


def test_transparent_background_is_refused_without_loading(make_engine):
    engine = make_engine("sd")
    with pytest.raises(InvalidRequestError) as info:
        gen(engine, prompt="a sticker", width=64, height=64, transparent=True)
    assert info.value.param == "background" and info.value.code == "invalid_value"
    assert info.value.message == "Transparent background is not supported for this model."
    assert engine.status() == "idle"


def test_bad_options_fail_as_configuration_errors(make_engine, tiny_pipelines, tmp_path):
    from imagegate.engines.diffusers import DiffusersEngine

    with pytest.raises(ConfigurationError, match="`path`"):
        DiffusersEngine({})
    with pytest.raises(ConfigurationError, match="not found"):
        gen(DiffusersEngine({"path": str(tmp_path / "missing")}), prompt="x", width=64, height=64)
    with pytest.raises(ConfigurationError, match="scheduler"):
        gen(make_engine("sd", scheduler="NoSuchScheduler"), prompt="x", width=64, height=64)
    engine = make_engine("sd", scheduler="EulerAncestralDiscreteScheduler")
    gen(engine, prompt="x", width=64, height=64)
    assert type(engine._pipe.scheduler).__name__ == "EulerAncestralDiscreteScheduler"


def test_missing_extra_gives_an_install_hint(monkeypatch, tiny_pipelines):
    from imagegate.engines import _pipelines
    from imagegate.engines.diffusers import DiffusersEngine

    monkeypatch.setitem(sys.modules, "diffusers", None)  # `import diffusers` now fails, as if not installed
    with pytest.raises(ConfigurationError, match=r"pip install 'imagegate\[diffusers\]'"):
        DiffusersEngine({"path": str(tiny_pipelines["sd"])})
    with pytest.raises(ConfigurationError, match=r"pip install 'imagegate\[diffusers\]'"):
        _pipelines.import_backend()

    import builtins

    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "diffusers")
    monkeypatch.setattr(builtins, "__import__", no_torch)
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ConfigurationError, match=r"imagegate\[diffusers\].*torch"):
        _pipelines.import_backend()


def test_importing_imagegate_does_not_import_torch():
    code = (
        "import sys, imagegate.app, imagegate.engines.diffusers, imagegate.engines.registry;"
        "bad = [m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- batching ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("guidance", [0.0, 2.0], ids=["no-cfg", "cfg"])
def test_concurrent_requests_share_one_call_and_match_unbatched(make_engine, kind, guidance):
    options = {"guidance": guidance, "batch_window_ms": 200}
    if guidance:
        options["negative_prompt"] = "blurry"
    engine = make_engine(kind, **options)
    requests = [
        EngineRequest(prompt="a red cat", width=64, height=64, seed=1, n=2),
        EngineRequest(prompt="blue dog on the sea", width=64, height=64, seed=7),
        EngineRequest(prompt="an apple", width=64, height=64, seed=1),
    ]

    async def together():
        return await asyncio.gather(*(engine.generate(r) for r in requests))

    batched = asyncio.run(together())
    assert engine.pipeline_calls == 1 and engine.stats()["batch_sizes"] == [4]
    assert [[r.seed for r in rs] for rs in batched] == [[1, 2], [7], [1]]
    for request, results in zip(requests, batched, strict=True):
        for i, result in enumerate(results):
            alone = gen(engine, prompt=request.prompt, width=64, height=64, seed=request.seed + i)
            assert_same_image(result.image, alone[0].image)  # no request got another's image
    assert engine.pipeline_calls == 5
    assert_different(batched[0][0].image, batched[2][0].image)  # same seed, other prompt


def test_batches_respect_shape_and_max_batch(make_engine):
    engine = make_engine("sd", max_batch=3, batch_window_ms=200)

    async def burst():
        return await asyncio.gather(
            engine.generate(EngineRequest(prompt="a", width=64, height=64, seed=1, n=2)),
            engine.generate(EngineRequest(prompt="b", width=64, height=64, seed=2, n=2)),  # does not fit: next batch
            engine.generate(EngineRequest(prompt="c", width=64, height=48, seed=3)),  # other shape
            engine.generate(EngineRequest(prompt="d", width=64, height=64, seed=4, quality="high")),  # other steps
            engine.generate(EngineRequest(prompt="e", width=64, height=64, seed=5)),  # joins the first batch
        )

    results = asyncio.run(burst())
    assert [len(r) for r in results] == [2, 2, 1, 1, 1]
    assert results[2][0].image.size == (64, 48)
    assert engine.pipeline_calls == 4 and sorted(engine.stats()["batch_sizes"]) == [1, 1, 2, 3]


def test_a_failing_batch_fails_each_of_its_requests(make_engine):
    # diffusers refuses a prompt together with prompt embeddings (ValueError in check_inputs)
    engine = make_engine("sd", batch_window_ms=100, call_options={"prompt_embeds": [[0.0]]})

    async def both():
        return await asyncio.gather(
            engine.generate(EngineRequest(prompt="a", width=64, height=64)),
            engine.generate(EngineRequest(prompt="b", width=64, height=64)),
            return_exceptions=True,
        )

    errors = asyncio.run(both())
    assert all(isinstance(e, ValueError) and "prompt_embeds" in str(e) for e in errors), errors
    assert engine.pipeline_calls == 0 and engine.stats()["batch_sizes"] == [2] and engine.stats()["pending_jobs"] == 0


# -- cancellation ----------------------------------------------------------------------------------


def test_cancelled_request_leaves_its_pending_batch(make_engine):
    engine = make_engine("sd", batch_window_ms=300)
    asyncio.run(engine.load())

    async def scenario():
        leaving = asyncio.ensure_future(engine.generate(EngineRequest(prompt="leaves", width=64, height=64, n=2, seed=1)))
        staying = asyncio.ensure_future(engine.generate(EngineRequest(prompt="stays", width=64, height=64, seed=3)))
        await asyncio.sleep(0.05)
        assert engine.stats()["pending_jobs"] == 2 and engine.pipeline_calls == 0
        leaving.cancel()
        results = await staying
        assert leaving.cancelled()
        return results

    results = asyncio.run(scenario())
    assert engine.pipeline_calls == 1 and engine.stats()["batch_sizes"] == [1]
    alone = gen(engine, prompt="stays", width=64, height=64, seed=3)
    assert_same_image(results[0].image, alone[0].image)


def _count_denoiser_calls(engine) -> list[int]:
    calls = [0]
    denoiser = engine._pipe.unet
    denoiser.register_forward_hook(lambda *_: calls.__setitem__(0, calls[0] + 1))
    return calls


def test_a_running_batch_whose_requests_all_left_is_interrupted(make_engine):
    engine = make_engine("sd", batch_window_ms=0)
    asyncio.run(engine.load())
    calls = _count_denoiser_calls(engine)
    steps = 40

    async def scenario():
        loop = asyncio.get_running_loop()
        started = asyncio.Event()

        def on_progress(p: Progress) -> None:
            loop.call_soon_threadsafe(started.set)

        task = asyncio.ensure_future(engine.generate(EngineRequest(prompt="x", width=64, height=64, steps=steps), on_progress))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        deadline = time.monotonic() + 30
        while engine.stats()["interrupted"] == 0 and time.monotonic() < deadline:  # the thread ends the run
            await asyncio.sleep(0.01)

    asyncio.run(scenario())
    assert engine.stats()["interrupted"] == 1
    assert 1 <= calls[0] < steps  # denoising stopped early


def test_a_running_batch_with_a_remaining_request_finishes_for_it(make_engine):
    engine = make_engine("sd", batch_window_ms=200)
    asyncio.run(engine.load())
    calls = _count_denoiser_calls(engine)
    steps = 6
    cancelled_progress_after: list[int] = []

    async def scenario():
        loop = asyncio.get_running_loop()
        first_step = threading.Event()
        cancelled = threading.Event()

        def leaving_progress(p: Progress) -> None:
            if cancelled.is_set():
                cancelled_progress_after.append(p.step)
            first_step.set()

        leaving = asyncio.ensure_future(engine.generate(EngineRequest(prompt="leaves", width=64, height=64, steps=steps, seed=1), leaving_progress))
        staying = asyncio.ensure_future(engine.generate(EngineRequest(prompt="stays", width=64, height=64, steps=steps, seed=2)))
        while not first_step.is_set():
            await asyncio.sleep(0.001)
        leaving.cancel()
        await asyncio.wait([leaving])  # its job is withdrawn (marked cancelled) by now
        cancelled.set()
        results = await staying
        assert leaving.cancelled()
        return results, loop

    results, _ = asyncio.run(scenario())
    assert engine.stats()["interrupted"] == 0 and calls[0] == steps and engine.pipeline_calls == 1
    # the cancelled request hears nothing more (one event may race: read before the flag was set)
    assert len(cancelled_progress_after) <= 1
    alone = gen(engine, prompt="stays", width=64, height=64, steps=steps, seed=2)
    assert_same_image(results[0].image, alone[0].image)


# -- model lifecycle -------------------------------------------------------------------------------


def test_least_recently_used_model_is_unloaded_under_a_memory_budget(make_engine, tiny_pipelines):
    sizes = {kind: sum(f.stat().st_size for f in tiny_pipelines[kind].rglob("*.safetensors")) for kind in ("sd", "sdxl")}
    budget = max(sizes.values()) * 1.3
    assert budget < sum(sizes.values())  # room for one of them, not both
    sd = make_engine("sd", memory_budget_gb=budget / 1024**3)
    sdxl = make_engine("sdxl", memory_budget_gb=budget / 1024**3)

    gen(sd, prompt="a", width=64, height=64)
    assert (sd.status(), sdxl.status()) == ("ready", "idle")
    gen(sdxl, prompt="a", width=64, height=64)
    assert (sd.status(), sdxl.status()) == ("idle", "ready")  # sd was least recently used
    assert sd.stats()["unloads"] == 1
    again = gen(sd, prompt="a", width=64, height=64)  # loads again on use, evicting sdxl
    assert (sd.status(), sdxl.status()) == ("ready", "idle")
    assert sd.stats()["loads"] == 2 and again[0].image.size == (64, 64)


def test_an_injected_pipeline_serves_and_is_never_unloaded(tiny_pipelines):
    from diffusers import DiffusionPipeline

    from imagegate.engines.diffusers import DiffusersEngine

    pipe = DiffusionPipeline.from_pretrained(str(tiny_pipelines["flux"]), local_files_only=True)
    engine = DiffusersEngine.from_pipeline(pipe, {"batch_window_ms": 0})
    results = gen(engine, prompt="a", width=64, height=48, n=2)
    assert [r.image.size for r in results] == [(64, 48)] * 2
    assert engine.try_unload() is False and engine.status() == "ready"
    asyncio.run(engine.close())
    assert engine.status() == "idle"

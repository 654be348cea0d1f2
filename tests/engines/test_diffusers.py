"""The diffusers engine on tiny random SD-Turbo-, SDXL-Turbo- and Flux-shaped pipelines (CPU).

Each pipeline is saved with `save_pretrained` and loaded through the engine from its directory,
the same path a real model folder takes.
"""

from __future__ import annotations

import asyncio
import dataclasses
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
    engine = make_engine("sd", max_batch=4)
    results = gen(engine, prompt="a dog", width=96, height=64, n=3, seed=10)
    assert [r.seed for r in results] == [10, 11, 12]
    assert all(r.image.size == (96, 64) for r in results)
    assert engine.pipeline_calls == 1  # with batching, one request of three images is one call
    single = gen(engine, prompt="a dog", width=96, height=64, n=1, seed=11)
    assert_same_image(results[1].image, single[0].image)  # image i uses seed + i
    assert_different(results[0].image, results[1].image)
    cpu_default = gen(make_engine("sd"), prompt="a dog", width=96, height=64, n=3, seed=10)  # one call per image
    for batched, alone in zip(results, cpu_default, strict=True):
        assert batched.seed == alone.seed
        assert_same_image(batched.image, alone.image)


def test_n_above_max_batch_is_split_across_calls(make_engine):
    engine = make_engine("flux", max_batch=2, batch_window_ms=0)
    results = gen(engine, prompt="a cat", width=64, height=64, n=5, seed=20)
    assert [r.seed for r in results] == [20, 21, 22, 23, 24]
    assert sorted(engine.stats()["batch_sizes"]) == [1, 2, 2]
    single = gen(engine, prompt="a cat", width=64, height=64, seed=24)
    assert_same_image(results[4].image, single[0].image)


def test_engine_prompt_option_replaces_the_prompt(make_engine):
    engine = make_engine("sd")
    planned = gen(engine, prompt="the raw prompt", width=64, height=64, seed=1, engine_prompt="a red apple")
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
            engine.generate(EngineRequest(prompt="a cat", width=64, height=64, quality="high", previews=2), asked.append),
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


# -- edits, expand, variations ----------------------------------------------------------------------


def source_image(size=(64, 64), mode="RGBA") -> Image.Image:
    """A striped green input: structure a repaint visibly destroys."""
    arr = np.zeros((size[1], size[0], 3), np.uint8)
    arr[...] = (40, 160, 40)
    arr[::8] = (20, 20, 200)
    return Image.fromarray(arr, "RGB").convert(mode)


def centre_mask(size=(64, 64), box=(16, 16, 48, 48)) -> Image.Image:
    keep = Image.new("L", size, 255)
    keep.paste(0, box)
    return keep


@pytest.mark.parametrize("kind", KINDS)
def test_edit_with_a_mask_repaints_only_the_masked_area(make_engine, kind):
    engine = make_engine(kind, steps={"low": 2})
    src = source_image()
    events: list[Progress] = []
    results = gen(engine, events.append, prompt="a red ball", width=64, height=64, quality="low", mode="edit", init_image=src, mask=centre_mask(), seed=3)
    out, inp = pixels(results[0].image), pixels(src.convert("RGB"))
    assert results[0].image.mode == "RGB" and results[0].image.size == (64, 64) and results[0].seed == 3
    assert np.abs(out[:12] - inp[:12]).max() <= 2 and np.abs(out[:, :12] - inp[:, :12]).max() <= 2  # kept
    assert np.abs(out[20:44, 20:44] - inp[20:44, 20:44]).mean() > 20  # repainted
    assert [(e.step, e.total) for e in events] == [(1, 2), (2, 2)]  # inpaint_strength 1.0: every step
    inpaint, _ = engine._derived["inpaint"]
    assert "Inpaint" in type(inpaint).__name__
    denoiser = "transformer" if kind == "flux" else "unet"
    assert getattr(inpaint, denoiser) is getattr(engine._pipe, denoiser)  # same weights, no second load
    again = gen(engine, prompt="a red ball", width=64, height=64, quality="low", mode="edit", init_image=src, mask=centre_mask(), seed=3)
    assert np.array_equal(out, pixels(again[0].image))


@pytest.mark.parametrize("kind", KINDS)
def test_expand_keeps_the_input_and_fills_the_new_area_at_the_exact_size(make_engine, kind):
    engine = make_engine(kind)
    src = source_image((64, 48))
    canvas = Image.new("RGBA", (100, 72), (0, 0, 0, 0))  # not a multiple of 16: generated at 96x80, resized
    canvas.paste(src, (0, 0))
    keep = Image.new("L", canvas.size, 0)
    keep.paste(255, (0, 0, 64, 48))
    results = gen(engine, prompt="extend the scene", width=100, height=72, mode="edit", init_image=canvas, mask=keep, seed=1)
    out, inp = pixels(results[0].image), pixels(src.convert("RGB"))
    assert results[0].image.size == (100, 72) and results[0].image.mode == "RGB"
    assert np.abs(out[:44, :60] - inp[:44, :60]).max() <= 2  # the original region, away from the seam
    assert out[56:, 72:].std() > 1 and engine.pipeline_calls == 1  # the new area was generated
    # without a mask, the canvas's transparent pixels are what may change
    no_mask = gen(engine, prompt="extend the scene", width=100, height=72, mode="edit", init_image=canvas, seed=1)
    assert np.abs(pixels(no_mask[0].image)[:44, :60] - inp[:44, :60]).max() <= 2
    assert "inpaint" in engine._derived


def test_transparent_areas_are_filled_from_the_edges():
    from imagegate.engines._editing import call_steps, fill_transparent

    canvas = Image.new("RGBA", (40, 20), (0, 0, 0, 0))
    canvas.paste(Image.new("RGBA", (20, 20), (200, 40, 40, 255)), (0, 0))
    canvas.paste(Image.new("RGBA", (2, 20), (40, 40, 200, 255)), (38, 0))
    filled = pixels(fill_transparent(canvas))
    assert filled[:, :20].tolist() == [[[200, 40, 40]] * 20] * 20  # visible pixels unchanged
    assert filled[10, 21, 0] > 150 and filled[10, 21, 2] < 90  # next to the red edge: red
    assert filled[10, 36, 2] > filled[10, 21, 2] + 60  # towards the blue strip: bluer
    assert np.abs(np.diff(filled[10, 20:38].astype(int), axis=0)).max() < 40  # smoothly
    assert fill_transparent(Image.new("RGBA", (8, 8))).getpixel((3, 3)) == (128, 128, 128)
    assert [call_steps(s, st) for s, st in [(1, 0.6), (2, 0.6), (3, 0.6), (4, 0.5), (2, 1.0)]] == [2, 4, 5, 8, 2]


@pytest.mark.parametrize("kind", KINDS)
def test_variation_differs_from_the_input_and_is_reproducible_per_seed(make_engine, kind):
    engine = make_engine(kind, steps={"medium": 2}, max_batch=2)
    src = source_image(mode="RGB")
    events: list[Progress] = []
    pair = gen(engine, events.append, prompt="", width=64, height=64, mode="variation", init_image=src, seed=5, n=2)
    assert [r.seed for r in pair] == [5, 6] and engine.pipeline_calls == 1
    assert_different(pair[0].image, src)
    assert_different(pair[0].image, pair[1].image)
    alone = gen(engine, prompt="", width=64, height=64, mode="variation", init_image=src, seed=6)
    assert_same_image(pair[1].image, alone[0].image)  # seed + i, whatever the batch
    assert events[-1].step == events[-1].total >= 2  # strength 0.6: ~2/0.6 steps asked, >= 2 run
    assert "Img2Img" in type(engine._derived["img2img"][0]).__name__


def test_edit_without_a_mask_is_img2img_at_edit_strength(make_engine):
    weak = make_engine("sd", steps={"high": 4}, edit_strength=0.5)
    strong = make_engine("sd", steps={"high": 4}, edit_strength=1.0)
    src = source_image()
    events: list[Progress] = []
    a = gen(weak, events.append, prompt="make it red", width=64, height=64, quality="high", mode="edit", init_image=src, seed=2)
    b = gen(strong, prompt="make it red", width=64, height=64, quality="high", mode="edit", init_image=src, seed=2)
    assert [(e.step, e.total) for e in events] == [(s, 4) for s in range(1, 5)]  # 8 asked, the last 4 run
    assert_different(a[0].image, b[0].image)
    assert "inpaint" not in weak._derived


def test_edits_batch_by_task_and_match_unbatched(make_engine):
    engine = make_engine("sdxl", batch_window_ms=200)
    src, other = source_image(), source_image().rotate(90)
    edit = {"width": 64, "height": 64, "mode": "edit", "mask": centre_mask()}
    requests = [
        EngineRequest(prompt="a red ball", init_image=src, seed=1, n=2, **edit),
        EngineRequest(prompt="a blue cube", init_image=other, seed=7, **edit),  # same task: one call
        EngineRequest(prompt="a cat", width=64, height=64, seed=1),  # text-to-image: its own call
        EngineRequest(prompt="", width=64, height=64, mode="variation", init_image=src.convert("RGB"), seed=3),  # img2img
    ]

    async def together():
        return await asyncio.gather(*(engine.generate(r) for r in requests))

    batched = asyncio.run(together())
    assert engine.pipeline_calls == 3 and sorted(engine.stats()["batch_sizes"]) == [1, 1, 3]
    for request in requests[:2]:
        index = requests.index(request)
        for i, result in enumerate(batched[index]):
            alone = asyncio.run(engine.generate(dataclasses.replace(request, seed=request.seed + i, n=1)))
            assert_same_image(result.image, alone[0].image)  # each row got its own input and mask
    assert np.abs(pixels(batched[1][0].image)[:12] - pixels(other.convert("RGB"))[:12]).max() <= 2


def test_masked_edits_fall_back_to_img2img_without_an_inpainting_variant(make_engine, monkeypatch):
    from imagegate.engines import _pipelines

    real = _pipelines.derive_pipeline
    monkeypatch.setattr(_pipelines, "derive_pipeline", lambda d, pipe, task: None if task == "inpaint" else real(d, pipe, task))
    engine = make_engine("sd")
    src = source_image()
    result = gen(engine, prompt="a red ball", width=64, height=64, mode="edit", init_image=src, mask=centre_mask(), seed=3)
    out, inp = pixels(result[0].image), pixels(src.convert("RGB"))
    assert np.abs(out[:12] - inp[:12]).max() <= 2 and np.abs(out[20:44, 20:44] - inp[20:44, 20:44]).mean() > 20
    assert engine._derived["inpaint"] is None and engine._derived["img2img"] is not None


def test_a_family_without_image_to_image_refuses_edits_with_a_400(tiny_pipelines):
    from diffusers import DiffusionPipeline, StableDiffusionPipeline

    from imagegate.engines.diffusers import DiffusersEngine

    class HomeMadePipeline(StableDiffusionPipeline):  # unknown to AutoPipelineFor{Inpainting,Image2Image}
        pass

    loaded = DiffusionPipeline.from_pretrained(str(tiny_pipelines["sd"]), local_files_only=True)
    pipe = HomeMadePipeline(**loaded.components, requires_safety_checker=False)
    engine = DiffusersEngine.from_pipeline(pipe, {"batch_window_ms": 0})
    for mode, mask in [("edit", centre_mask()), ("edit", None), ("variation", None)]:
        with pytest.raises(InvalidRequestError) as info:
            gen(engine, prompt="x", width=64, height=64, mode=mode, init_image=source_image(), mask=mask)
        assert info.value.param == "image" and info.value.code == "unsupported_edit" and "HomeMadePipeline" in info.value.message
    assert gen(engine, prompt="x", width=64, height=64)[0].image.size == (64, 64)  # text-to-image still works
    asyncio.run(engine.close())


def test_further_input_images_are_logged_and_not_used(make_engine, caplog):
    engine = make_engine("sd")
    src = source_image()
    with caplog.at_level("INFO", logger="imagegate.engines.diffusers"):
        with_refs = gen(engine, prompt="a", width=64, height=64, mode="edit", init_image=src, reference_images=(source_image((32, 32)),), seed=4)
    plain = gen(engine, prompt="a", width=64, height=64, mode="edit", init_image=src, seed=4)
    assert "1 further input image(s) not used" in caplog.text
    assert np.array_equal(pixels(with_refs[0].image), pixels(plain[0].image))


def test_edit_options_are_checked(make_engine):
    with pytest.raises(ConfigurationError, match="strength"):
        make_engine("sd", edit_strength=0)
    with pytest.raises(ConfigurationError, match="strength"):
        make_engine("sd", inpaint_strength=1.5)


def test_edits_keep_a_bf16_pipeline_in_bf16(make_engine):
    engine = make_engine("sd", dtype="bf16")
    gen(engine, prompt="a", width=64, height=64, mode="edit", init_image=source_image(), mask=centre_mask())
    gen(engine, prompt="a", width=64, height=64, mode="variation", init_image=source_image(mode="RGB"))
    import torch

    assert {p.dtype for p in engine._pipe.unet.parameters()} == {torch.bfloat16}  # derived pipelines cast nothing


def test_the_pipeline_runs_in_one_dedicated_thread(make_engine):
    engine = make_engine("sd", batch_window_ms=0)
    threads: set[tuple[str, int]] = set()

    def seen(p: Progress) -> None:
        current = threading.current_thread()
        threads.add((current.name, current.ident))

    for seed in (1, 2):  # two event loops, as two servers' lifetimes would be
        gen(engine, seen, prompt="a", width=64, height=64, seed=seed)
    assert len(threads) == 1 and next(iter(threads))[0].startswith("imagegate-diffusers")


# -- serving on CPU: no cross-request batching, one torch thread per worker, workers at once ----------


def test_serving_defaults_depend_on_the_device():
    from imagegate.engines.diffusers import DiffusersOptions, usable_cpus

    cores = usable_cpus()
    defaults = DiffusersOptions.parse({"path": "x"})
    assert defaults.serving_for("cuda") == defaults.serving_for("mps") == (8, 20.0, 1)  # GPUs keep batching
    assert defaults.serving_for("cpu") == (1, 0.0, cores)  # one image per call, one worker per core
    assert DiffusersOptions.parse({"path": "x", "batch_window_ms": 50}).serving_for("cpu") == (8, 50.0, cores)  # batching asked for
    assert DiffusersOptions.parse({"path": "x", "max_batch": 4}).serving_for("cpu") == (4, 20.0, cores)
    assert DiffusersOptions.parse({"path": "x", "cpu_threads": 2}).serving_for("cpu")[2] == max(1, cores // 2)
    assert DiffusersOptions.parse({"path": "x", "cpu_threads": 0}).serving_for("cpu")[2] == 1  # torch's own threads
    assert DiffusersOptions.parse({"path": "x", "workers": 3}).serving_for("cuda") == (8, 20.0, 3)
    for bad in ({"cpu_threads": -1}, {"workers": 0}, {"max_batch": 0}, {"batch_window_ms": -1}):
        with pytest.raises(ConfigurationError):
            DiffusersOptions.parse({"path": "x", **bad})


def test_torch_threads_are_limited_in_the_worker_threads_only(make_engine):
    import torch

    seen: list[tuple[str, int]] = []
    torch.set_num_threads(2)  # this thread's count and the process-wide default
    try:
        engine = make_engine("sd", workers=2)

        def on_progress(p: Progress) -> None:
            seen.append((threading.current_thread().name, torch.get_num_threads()))

        async def two():
            return await asyncio.gather(*(engine.generate(EngineRequest(prompt="a", width=64, height=64, seed=i), on_progress) for i in range(2)))

        asyncio.run(two())
        stats = engine.stats()
        assert (stats["max_batch"], stats["batch_window_ms"], stats["workers"], stats["cpu_threads"]) == (1, 0.0, 2, 1)
        assert len({name for name, _ in seen}) == 2 and {count for _, count in seen} == {1}  # both workers, one thread each
        assert torch.get_num_threads() == 2  # this thread keeps its own
        fresh: list[int] = []
        other = threading.Thread(target=lambda: fresh.append(torch.get_num_threads()))
        other.start()
        other.join()
        assert fresh == [2]  # and the process-wide default is what it was
    finally:
        torch.set_num_threads(1)


def test_workers_call_their_own_views_of_one_pipeline(make_engine):
    engine = make_engine("sd", workers=2)
    src = source_image()
    requests = [EngineRequest(prompt=f"a cat {i}", width=64, height=64, seed=i, n=2 if i == 0 else 1) for i in range(3)]
    requests += [EngineRequest(prompt="a red ball", width=64, height=64, mode="edit", init_image=src, mask=centre_mask(), seed=i) for i in range(2)]
    threads: set[str] = set()

    async def together():
        return await asyncio.gather(*(engine.generate(r, lambda p: threads.add(threading.current_thread().name)) for r in requests))

    results = asyncio.run(together())
    assert len(threads) == 2 and engine.pipeline_calls == 6 and engine.stats()["batch_sizes"] == [1] * 6
    base, view = engine._views
    assert view.unet is base.unet and view.vae is base.vae and view.text_encoder is base.text_encoder  # one set of weights
    assert view.scheduler is not base.scheduler and view.tokenizer is not base.tokenizer  # own per-call state
    inpaint, _ = engine._derive("inpaint", lane=1)
    assert inpaint.scheduler is view.scheduler and inpaint.unet is base.unet
    assert engine._derive("inpaint", lane=0)[0].scheduler is base.scheduler
    alone = make_engine("sd", workers=1)
    for request, result in zip(requests, results, strict=True):
        for i, image in enumerate(result):
            expected = asyncio.run(alone.generate(dataclasses.replace(request, seed=request.seed + i, n=1)))
            assert_same_image(image.image, expected[0].image)  # no worker disturbed another's call


def test_a_request_cancelled_while_queued_never_runs(make_engine):
    from imagegate.engines.base import CancelToken, EngineCancelled

    engine = make_engine("sd", workers=1)
    asyncio.run(engine.load())
    token = CancelToken()

    async def scenario():
        loop = asyncio.get_running_loop()
        first_step = asyncio.Event()
        running = asyncio.ensure_future(
            engine.generate(EngineRequest(prompt="runs", width=64, height=64, steps=4), lambda p: loop.call_soon_threadsafe(first_step.set))
        )
        queued = asyncio.ensure_future(engine.generate(EngineRequest(prompt="waits", width=64, height=64, cancel=token)))
        await first_step.wait()
        assert engine.stats()["pending_jobs"] == 1
        token.cancel("deleted")
        with pytest.raises(EngineCancelled, match="deleted"):
            await queued
        return await running

    results = asyncio.run(scenario())
    assert len(results) == 1 and engine.pipeline_calls == 1  # the cancelled request cost no call


def test_the_batcher_serves_first_come_first_served_on_free_lanes():
    from concurrent.futures import ThreadPoolExecutor

    from imagegate.engines._batching import Batcher

    starts: list[tuple[int, int]] = []  # (job, lane), in the order the runs began
    running = [0, 0]  # now, most at once
    lock = threading.Lock()

    def run(batch):
        with lock:
            starts.append((batch.jobs[0].payload, batch.lane))
            running[0] += 1
            running[1] = max(running)
        time.sleep(0.03)
        with lock:
            running[0] -= 1
        return [job.payload * 10 for job in batch.jobs]

    for lanes in (1, 2):
        executors = {lane: ThreadPoolExecutor(1) for lane in range(lanes)}
        batcher = Batcher(run, max_batch=1, window_s=0, executor=executors.__getitem__, concurrency=lanes)
        starts.clear()
        running[:] = [0, 0]

        async def burst():
            return await asyncio.gather(*(batcher.submit("key", 1, i) for i in range(6)))  # noqa: B023

        assert asyncio.run(burst()) == [i * 10 for i in range(6)]
        assert running[1] == lanes and {lane for _, lane in starts} == set(range(lanes))
        if lanes == 1:
            assert [job for job, _ in starts] == list(range(6))  # arrival order
        else:  # job k never starts before job k - lanes has (both lanes take from one FIFO queue)
            order = [job for job, _ in starts]
            assert all(order.index(k) > order.index(k - lanes) for k in range(lanes, 6))
        for executor in executors.values():
            executor.shutdown()


def test_the_batcher_with_a_0_ms_window_still_batches_jobs_submitted_together():
    from imagegate.engines._batching import Batcher

    sizes: list[int] = []

    def run(batch):
        sizes.append(batch.images)
        return [job.payload for job in batch.jobs]

    batcher = Batcher(run, max_batch=4, window_s=0)

    async def together():
        first = await asyncio.gather(*(batcher.submit("key", 1, i) for i in range(3)))
        full = await asyncio.gather(*(batcher.submit("key", 2, i) for i in range(2)))  # full: starts at once
        return first, full

    assert asyncio.run(together()) == ([0, 1, 2], [0, 1])
    assert sizes == [3, 4]

"""Full-size SD-Turbo-, SDXL-Turbo- and FLUX.1-schnell-shaped pipelines with random weights, on a GPU.

    python benchmarks/gpu_pipelines.py                 # cuda, bf16; about 3-6 minutes on one H100
    python benchmarks/gpu_pipelines.py --small-t5      # Flux with a 2-layer T5 (saves ~9 GB and build time)
    python benchmarks/gpu_pipelines.py --dry-run       # tiny configs on the CPU, to check the script

Nothing is downloaded: the architectures are written below from the models' public configs
(unet/config.json, transformer/config.json, text_encoder*/config.json, vae/config.json), the
weights are random (run time does not depend on weight values; images may be noise or NaN, which
is harmless for timing) and the tokenizers are the tiny ones from tests/fixtures/tokenizers
(prompts still pad to the real lengths: 77 CLIP tokens, 256 T5 tokens for schnell). Components
are built directly on the GPU in fp32 and cast to bf16 one by one (peak ~48 GB for the 12 B Flux
transformer, then 24 GB).

For each model: images/second calling the pipeline directly (a plain diffusers loop, one CPU
generator per image as the engine uses) and through imagegate's DiffusersEngine, at batch 1
(requests one after another) and batched (`--batch` concurrent single-image requests, which the
engine runs as one pipeline call), the engine/direct ratio and the engine's extra milliseconds per
call. Direct and engine rounds alternate and the median round counts (see `measure`), so neither
side gets the other's warm-up, clock state or garbage collection. `--rounds` scales the number of
rounds; `--max-seconds` skips the models left when the time is up.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOKENIZERS = ROOT / "tests" / "fixtures" / "tokenizers"

# -- public architecture configs ---------------------------------------------------------------

SD_VAE = dict(  # SD 1.x/2.x and SDXL VAE (83.7 M parameters)
    in_channels=3, out_channels=3, latent_channels=4, layers_per_block=2, norm_num_groups=32,
    block_out_channels=[128, 256, 512, 512], down_block_types=["DownEncoderBlock2D"] * 4,
    up_block_types=["UpDecoderBlock2D"] * 4, act_fn="silu", sample_size=512,
)
CLIP_L = dict(hidden_size=768, intermediate_size=3072, num_attention_heads=12, num_hidden_layers=12,
              hidden_act="quick_gelu", projection_dim=768, max_position_embeddings=77, vocab_size=49408)
OPENCLIP_H = dict(hidden_size=1024, intermediate_size=4096, num_attention_heads=16, num_hidden_layers=23,
                  hidden_act="gelu", projection_dim=512, max_position_embeddings=77, vocab_size=49408)
OPENCLIP_BIGG = dict(hidden_size=1280, intermediate_size=5120, num_attention_heads=20, num_hidden_layers=32,
                     hidden_act="gelu", projection_dim=1280, max_position_embeddings=77, vocab_size=49408)

SD_TURBO_UNET = dict(  # stabilityai/sd-turbo (SD 2.1 base), 865 M parameters
    sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
    block_out_channels=[320, 640, 1280, 1280],
    down_block_types=["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
    up_block_types=["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
    cross_attention_dim=1024, attention_head_dim=[5, 10, 20, 20], use_linear_projection=True, norm_num_groups=32,
)
SDXL_TURBO_UNET = dict(  # stabilityai/sdxl-turbo (SDXL base UNet), 2.57 B parameters
    sample_size=64, in_channels=4, out_channels=4, layers_per_block=2, block_out_channels=[320, 640, 1280],
    down_block_types=["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
    up_block_types=["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"],
    transformer_layers_per_block=[1, 2, 10], attention_head_dim=[5, 10, 20], cross_attention_dim=2048,
    use_linear_projection=True, addition_embed_type="text_time", addition_time_embed_dim=256,
    projection_class_embeddings_input_dim=2816, norm_num_groups=32,
)
FLUX_SCHNELL_TRANSFORMER = dict(  # black-forest-labs/FLUX.1-schnell, 11.9 B parameters
    patch_size=1, in_channels=64, num_layers=19, num_single_layers=38, attention_head_dim=128,
    num_attention_heads=24, joint_attention_dim=4096, pooled_projection_dim=768, guidance_embeds=False,
    axes_dims_rope=[16, 56, 56],
)
FLUX_VAE = dict(SD_VAE, latent_channels=16, use_quant_conv=False, use_post_quant_conv=False,
                scaling_factor=0.3611, shift_factor=0.1159, sample_size=1024)
T5_XXL = dict(  # google/t5-v1_1-xxl encoder, 4.76 B parameters
    vocab_size=32128, d_model=4096, d_ff=10240, d_kv=64, num_heads=64, num_layers=24,
    feed_forward_proj="gated-gelu", relative_attention_num_buckets=32, relative_attention_max_distance=128,
    layer_norm_epsilon=1e-6,
)

# -- tiny versions for --dry-run (same code path, small numbers) --------------------------------

TINY = {
    "SD_VAE": dict(block_out_channels=[32, 32, 64, 64], layers_per_block=1, norm_num_groups=16),
    "CLIP": dict(hidden_size=32, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2, projection_dim=32, vocab_size=1000),
    "SD_TURBO_UNET": dict(block_out_channels=[32, 32, 64, 64], attention_head_dim=[2, 2, 4, 4], cross_attention_dim=32,
                          layers_per_block=1, norm_num_groups=16, sample_size=8),
    "SDXL_TURBO_UNET": dict(block_out_channels=[32, 64, 64], attention_head_dim=[2, 4, 4], transformer_layers_per_block=[1, 1, 2],
                            cross_attention_dim=64, addition_time_embed_dim=8, projection_class_embeddings_input_dim=80,
                            layers_per_block=1, norm_num_groups=16, sample_size=8),
    "FLUX_SCHNELL_TRANSFORMER": dict(in_channels=64, num_layers=1, num_single_layers=1, attention_head_dim=16,
                                     num_attention_heads=2, joint_attention_dim=32, pooled_projection_dim=32, axes_dims_rope=[4, 4, 8]),
    "T5_XXL": dict(d_model=32, d_ff=37, d_kv=8, num_heads=4, num_layers=2, relative_attention_num_buckets=8),
}
SMALL_T5 = dict(num_layers=2)  # --small-t5: T5-XXL width, 2 of its 24 layers


@dataclass
class Case:
    name: str
    size: int
    steps: int
    call_options: dict[str, Any]


def cfg(base: dict, name: str, tiny: bool, **extra: Any) -> dict:
    return {**base, **(TINY.get(name, {}) if tiny else {}), **extra}


def built(factory, device, dtype):
    """Build a module directly on `device` (fp32), then cast it to `dtype`."""
    import torch

    with torch.device(device):
        module = factory()
    return module.to(dtype).eval().requires_grad_(False)


def clip_tokenizer():
    from transformers import CLIPTokenizer

    return CLIPTokenizer.from_pretrained(str(TOKENIZERS / "clip"), model_max_length=77)


def t5_tokenizer():
    from transformers import T5TokenizerFast

    return T5TokenizerFast(tokenizer_file=str(TOKENIZERS / "t5" / "tokenizer.json"), eos_token="</s>", unk_token="<unk>",
                           pad_token="<pad>", extra_ids=0, model_max_length=512)


def clip_config(base: dict, tok, tiny: bool):
    from transformers import CLIPTextConfig

    c = cfg(base, "CLIP", tiny)
    return CLIPTextConfig(**c, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)


def build_sd_turbo(device, dtype, tiny: bool, small_t5: bool):
    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextModel

    tok = clip_tokenizer()
    unet = built(lambda: UNet2DConditionModel(**cfg(SD_TURBO_UNET, "SD_TURBO_UNET", tiny)), device, dtype)
    vae = built(lambda: AutoencoderKL(**cfg(SD_VAE, "SD_VAE", tiny, scaling_factor=0.18215)), device, dtype)
    te = built(lambda: CLIPTextModel(clip_config(OPENCLIP_H, tok, tiny)), device, dtype)
    sched = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                   timestep_spacing="trailing", steps_offset=1)
    return StableDiffusionPipeline(vae=vae, text_encoder=te, tokenizer=tok, unet=unet, scheduler=sched,
                                   safety_checker=None, feature_extractor=None, requires_safety_checker=False)


def build_sdxl_turbo(device, dtype, tiny: bool, small_t5: bool):
    from diffusers import (
        AutoencoderKL,
        EulerAncestralDiscreteScheduler,
        StableDiffusionXLPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    tok = clip_tokenizer()
    unet = built(lambda: UNet2DConditionModel(**cfg(SDXL_TURBO_UNET, "SDXL_TURBO_UNET", tiny)), device, dtype)
    vae = built(lambda: AutoencoderKL(**cfg(SD_VAE, "SD_VAE", tiny, scaling_factor=0.13025, force_upcast=False)), device, dtype)
    te = built(lambda: CLIPTextModel(clip_config(CLIP_L, tok, tiny)), device, dtype)
    te2 = built(lambda: CLIPTextModelWithProjection(clip_config(OPENCLIP_BIGG, tok, tiny)), device, dtype)
    sched = EulerAncestralDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                            timestep_spacing="trailing", steps_offset=1)
    return StableDiffusionXLPipeline(vae=vae, text_encoder=te, text_encoder_2=te2, tokenizer=tok, tokenizer_2=clip_tokenizer(),
                                     unet=unet, scheduler=sched)


def build_flux_schnell(device, dtype, tiny: bool, small_t5: bool):
    from diffusers import (
        AutoencoderKL,
        FlowMatchEulerDiscreteScheduler,
        FluxPipeline,
        FluxTransformer2DModel,
    )
    from transformers import CLIPTextModel, T5Config, T5EncoderModel

    tok, tok2 = clip_tokenizer(), t5_tokenizer()
    transformer = built(lambda: FluxTransformer2DModel(**cfg(FLUX_SCHNELL_TRANSFORMER, "FLUX_SCHNELL_TRANSFORMER", tiny)), device, dtype)
    t5 = cfg(T5_XXL, "T5_XXL", tiny, **(SMALL_T5 if small_t5 and not tiny else {}))
    te2 = built(lambda: T5EncoderModel(T5Config(**t5, is_encoder_decoder=False, pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)), device, dtype)
    vae = built(lambda: AutoencoderKL(**cfg(FLUX_VAE, "SD_VAE", tiny)), device, dtype)
    te = built(lambda: CLIPTextModel(clip_config(CLIP_L, tok, tiny)), device, dtype)
    sched = FlowMatchEulerDiscreteScheduler(shift=1.0, use_dynamic_shifting=False)
    return FluxPipeline(scheduler=sched, vae=vae, text_encoder=te, tokenizer=tok, text_encoder_2=te2, tokenizer_2=tok2, transformer=transformer)


MODELS = {
    "sd-turbo": (build_sd_turbo, Case("sd-turbo", 512, 1, {})),
    "sdxl-turbo": (build_sdxl_turbo, Case("sdxl-turbo", 512, 4, {})),
    "flux-schnell": (build_flux_schnell, Case("flux-schnell", 1024, 4, {"max_sequence_length": 256})),
}

# -- measuring ---------------------------------------------------------------------------------


def sync(torch, device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def measure(pipe, engine, case: Case, batch: int, rounds: int, torch, device) -> tuple[float, float, float]:
    """Median seconds per round (`batch` images): calling the pipeline directly, the same direct
    call from a worker thread (the engine runs pipelines in one), and through the engine.

    They alternate round by round in one event loop (after a warm-up call of each), so clock
    changes, allocator state or a garbage collection land on all alike rather than on whichever
    ran last; the median drops the odd outlier round. Direct vs thread isolates what running in
    a non-main thread costs; thread vs engine is the engine's own work.
    """
    from imagegate.engines.base import EngineRequest

    prompt = "a photo of a red cat on the sea"

    def direct(seed0: int) -> float:
        t0 = time.perf_counter()
        pipe(prompt=[prompt] * batch, height=case.size, width=case.size, num_inference_steps=case.steps,
             guidance_scale=0.0, output_type="pil",
             generator=[torch.Generator("cpu").manual_seed(seed0 + i) for i in range(batch)], **case.call_options)
        sync(torch, device)
        return time.perf_counter() - t0

    async def via_engine(seed0: int) -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(engine.generate(EngineRequest(prompt=prompt, width=case.size, height=case.size, seed=seed0 + i, steps=case.steps))
                               for i in range(batch)))
        sync(torch, device)
        return time.perf_counter() - t0

    async def run() -> tuple[list[float], list[float], list[float]]:
        with ThreadPoolExecutor(1) as thread:
            direct(0)
            thread.submit(direct, 0).result()
            await via_engine(0)
            d, t, e = [], [], []
            for r in range(rounds):
                d.append(direct(1000 * (r + 1)))
                t.append(thread.submit(direct, 1000 * (r + 1)).result())
                e.append(await via_engine(1000 * (r + 1)))
        return d, t, e

    d, t, e = asyncio.run(run())
    return statistics.median(d), statistics.median(t), statistics.median(e)


def bench(name: str, args, torch, device, dtype, start: float) -> list[str]:
    from imagegate.engines.diffusers import DiffusersEngine

    factory, case = MODELS[name]
    if args.dry_run:
        case = Case(case.name, 64, case.steps, {"max_sequence_length": 32} if case.call_options else {})
    rounds1, roundsb = (3, 2) if args.dry_run else {"sd-turbo": (10, 5), "sdxl-turbo": (6, 3), "flux-schnell": (3, 2)}[name]
    rounds1, roundsb = max(1, round(rounds1 * args.rounds)), max(1, round(roundsb * args.rounds))
    t0 = time.perf_counter()
    pipe = factory(device, dtype, args.dry_run, args.small_t5)
    pipe.set_progress_bar_config(disable=True)
    params = sum(p.numel() for c in pipe.components.values() if isinstance(c, torch.nn.Module) for p in c.parameters())
    build_s = time.perf_counter() - t0
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    rows = []
    options = {
        "device": str(device), "dtype": "bf16" if dtype == torch.bfloat16 else "fp32", "max_batch": args.batch,
        "guidance": 0.0, "native_max": case.size, "call_options": case.call_options,
    }
    # batch 1: requests one after another; with a 0 ms window, so this is the engine's own cost
    # (with the default 20 ms window a lone request would wait 20 ms for company).
    # batched: `batch` requests at once fill the batch, which runs without waiting for the window.
    timings, sizes = {}, []
    for b, r, window in ((1, rounds1, 0), (args.batch, roundsb, 20)):
        engine = DiffusersEngine.from_pipeline(pipe, {**options, "batch_window_ms": window})
        timings[b] = measure(pipe, engine, case, b, r, torch, device)
        sizes += engine.stats()["batch_sizes"]
        asyncio.run(engine.close())
    peak = f", {torch.cuda.max_memory_allocated() / 1024**3:.1f} GB peak while generating" if device.type == "cuda" else ""
    print(f"\n{name}: {params / 1e6:.1f} M parameters, built in {build_s:.1f} s{peak}; {case.size}x{case.size}, {case.steps} step(s)")
    print(f"  {'batch':>5}  {'direct img/s':>12}  {'in thread':>9}  {'engine img/s':>12}  {'engine/direct':>13}  {'extra ms/call':>13}")
    rate = {}
    for b in (1, args.batch):
        d, t, e = timings[b]
        rate[b] = (b / d, b / e)
        print(f"  {b:>5}  {b / d:12.2f}  {b / t:9.2f}  {b / e:12.2f}  {d / e:13.3f}  {1000 * (e - d):+13.1f}")
        rows.append(f"{name},{case.size},{case.steps},{b},{b / d:.3f},{b / t:.3f},{b / e:.3f},{d / e:.3f},{1000 * (e - d):.1f}")
    print(f"  batching gain, engine batch {args.batch} vs 1: {rate[args.batch][1] / rate[1][1]:.2f}x "
          f"(direct: {rate[args.batch][0] / rate[1][0]:.2f}x); engine batch sizes seen: {sorted(set(sizes))}")
    print(f"  elapsed so far {time.perf_counter() - start:.0f} s", flush=True)
    del engine, pipe
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="tiny configs on the CPU (checks the script)")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated subset of " + ", ".join(MODELS))
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--small-t5", action="store_true", help="Flux with a 2-layer T5-XXL-width encoder")
    parser.add_argument("--max-seconds", type=float, default=420, help="skip the models left after this long")
    parser.add_argument("--rounds", type=float, default=1.0, help="scale the number of timed rounds per model")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # random weights: NaN casts in the image processor, deprecations
    sys.path.insert(0, str(ROOT / "src"))
    import torch

    start = time.perf_counter()
    if args.dry_run:
        device, dtype = torch.device("cpu"), torch.float32
        torch.set_num_threads(1)
    else:
        if not torch.cuda.is_available():
            raise SystemExit("no CUDA GPU; use --dry-run to check the script on the CPU")
        device, dtype = torch.device("cuda"), torch.bfloat16
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    import diffusers
    import transformers

    diffusers.utils.logging.set_verbosity_error()  # "modules that should be kept in float32" after .to(bf16)
    transformers.utils.logging.set_verbosity_error()

    gpu = torch.cuda.get_device_name(0) if device.type == "cuda" else "cpu (dry run, tiny configs)"
    print(f"{gpu}; torch {torch.__version__}, diffusers {diffusers.__version__}, transformers {transformers.__version__}; {dtype}")
    if args.small_t5:
        print("note: Flux uses a 2-layer T5 encoder of T5-XXL width (the real one has 24 layers)")
    rows = ["model,size,steps,batch,direct_img_s,direct_in_thread_img_s,engine_img_s,engine_over_direct,engine_extra_ms_per_call"]
    for name in [m.strip() for m in args.models.split(",") if m.strip()]:
        if time.perf_counter() - start > args.max_seconds:
            print(f"\n{name}: skipped, {args.max_seconds:.0f} s used up")
            continue
        rows += bench(name, args, torch, device, dtype, start)
    print("\ncsv:\n" + "\n".join(rows))
    print(f"total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

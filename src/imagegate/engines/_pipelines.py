"""Loading and driving diffusers pipelines: the only module that touches torch and diffusers.

Everything here imports torch/diffusers lazily, inside functions, so `import imagegate` stays
light; `import_backend()` turns a missing extra into an install hint.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import inspect
import logging
import os
import threading
from typing import Any

from imagegate.errors import ConfigurationError

log = logging.getLogger("imagegate.engines.diffusers")

INSTALL_HINT = "The diffusers engine needs torch and diffusers: pip install 'imagegate[diffusers]'"
BACKEND_MODULES = ("torch", "diffusers", "transformers")

DTYPES = {
    "bf16": "bfloat16", "bfloat16": "bfloat16",
    "fp16": "float16", "float16": "float16", "half": "float16",
    "fp32": "float32", "float32": "float32", "float": "float32",
}


def check_backend_installed() -> None:
    """Raise ConfigurationError (with the install hint) when an extra's package is missing; imports nothing."""
    missing = []
    for name in BACKEND_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    if missing:
        raise ConfigurationError(f"{INSTALL_HINT} (missing: {', '.join(missing)}).")


def import_backend() -> tuple[Any, Any]:
    """Import (torch, diffusers), or raise ConfigurationError with the install hint."""
    try:
        torch = importlib.import_module("torch")
        diffusers = importlib.import_module("diffusers")
        importlib.import_module("transformers")
    except ImportError as exc:
        raise ConfigurationError(f"{INSTALL_HINT} ({exc}).") from exc
    return torch, diffusers


def resolve_device(torch: Any, name: str | None) -> Any:
    """The torch.device for an option value; `auto`/None picks cuda, then mps, then cpu."""
    if name in (None, "", "auto"):
        if torch.cuda.is_available():
            name = "cuda"
        elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
            name = "mps"
        else:
            name = "cpu"
    try:
        device = torch.device(name)
    except RuntimeError as exc:
        raise ConfigurationError(f"Invalid diffusers device {name!r}: {exc}") from exc
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ConfigurationError(f"Diffusers device {name!r} asked for, but torch sees no CUDA GPU.")
        if device.index is None:  # "cuda" and "cuda:0" are one GPU (and one memory pool)
            device = torch.device("cuda", torch.cuda.current_device())
    return device


def resolve_dtype(torch: Any, name: str | None, device: Any) -> Any:
    """The torch dtype for an option value; default bf16 on cuda, fp16 on mps, fp32 on cpu."""
    if name in (None, "", "auto"):
        name = {"cuda": "bf16", "mps": "fp16"}.get(device.type, "fp32")
    key = DTYPES.get(str(name).lower())
    if key is None:
        raise ConfigurationError(f"Invalid diffusers dtype {name!r}; use bf16, fp16 or fp32.")
    return getattr(torch, key)


def load_pipeline(diffusers: Any, options: dict[str, Any], dtype: Any) -> Any:
    """`from_pretrained` from option `path` (a local directory) or `model` (a hub id), onto the CPU."""
    path, model = options.get("path"), options.get("model")
    source = str(path or model)
    kwargs: dict[str, Any] = {_dtype_argument(): dtype}
    if path:
        if not os.path.isdir(os.path.expanduser(str(path))):
            raise ConfigurationError(f"Diffusers model directory not found: {path}")
        source = os.path.expanduser(str(path))
        kwargs["local_files_only"] = True
    if options.get("variant"):
        kwargs["variant"] = options["variant"]
    if options.get("revision") and not path:
        kwargs["revision"] = options["revision"]
    classes = [options["pipeline"]] if options.get("pipeline") else ["AutoPipelineForText2Image", "DiffusionPipeline"]
    last: Exception | None = None
    for name in classes:
        cls = getattr(diffusers, name, None)
        if cls is None:
            raise ConfigurationError(f"diffusers has no pipeline class {name!r}.")
        try:
            return cls.from_pretrained(source, **kwargs)
        except ValueError as exc:  # AutoPipeline: "... is not a supported text-to-image pipeline"
            last = exc
            log.info("%s could not load %s (%s); trying the next loader", name, source, exc)
        except OSError as exc:
            raise ConfigurationError(f"Cannot load diffusers model {source!r}: {exc}") from exc
    raise ConfigurationError(f"Cannot load diffusers model {source!r}: {last}")


def _dtype_argument() -> str:
    """`dtype` on diffusers that renamed it (torch_dtype is deprecated there), else `torch_dtype`."""
    try:
        importlib.import_module("diffusers.utils.deprecation_utils")._resolve_dtype  # noqa: B018
    except (ImportError, AttributeError):
        return "torch_dtype"
    return "dtype"


def configure_pipeline(torch: Any, diffusers: Any, pipe: Any, options: dict[str, Any], device: Any) -> Any:
    """Apply scheduler, memory savers and compile; move the pipeline onto `device`."""
    pipe.set_progress_bar_config(disable=True)
    if options.get("scheduler"):
        cls = getattr(diffusers, str(options["scheduler"]), None)
        if cls is None or not hasattr(cls, "from_config"):
            raise ConfigurationError(f"diffusers has no scheduler class {options['scheduler']!r}.")
        pipe.scheduler = cls.from_config(pipe.scheduler.config, **dict(options.get("scheduler_options") or {}))
    if options.get("attention_slicing"):
        pipe.enable_attention_slicing()
    if options.get("vae_tiling") and hasattr(getattr(pipe, "vae", None), "enable_tiling"):
        pipe.vae.enable_tiling()
    offload = options.get("cpu_offload")
    if offload and device.type != "cpu":
        if offload == "sequential":
            pipe.enable_sequential_cpu_offload(device=device)
        else:
            pipe.enable_model_cpu_offload(device=device)
    else:
        pipe.to(device)
    if options.get("compile"):
        denoiser = denoiser_of(pipe)
        if denoiser is None:
            raise ConfigurationError("compile = true, but the pipeline has neither a unet nor a transformer.")
        denoiser.compile(**dict(options.get("compile_options") or {}))
    return pipe


def pipeline_view(torch: Any, pipe: Any) -> Any:
    """Another pipeline object on the same weights, for a second thread to call while the first
    runs: its modules (`torch.nn.Module` components) are `pipe`'s own, its other components
    (scheduler, tokenizers, feature extractors: small, and stateful during a call) are copies.

    A diffusers pipeline keeps per-call state on itself (guidance scale, number of timesteps,
    the interrupt flag) and on its scheduler (timesteps, sigmas, step index), and fast
    tokenizers change their padding/truncation state per call, so one pipeline object must
    never run two calls at once (measured: IndexError in the scheduler's step within a few
    concurrent calls). The modules' forward passes share nothing per call.
    """
    view = copy.copy(pipe)
    for name, component in pipe.components.items():
        if component is not None and not isinstance(component, torch.nn.Module):
            setattr(view, name, copy.deepcopy(component))
    return view


def limit_threads(torch: Any, count: int) -> bool:
    """Run the calling thread's torch CPU work on `count` intra-op threads and leave the
    process-wide default as it was; False when this torch can only set it for the whole process
    (it is then set for the whole process).

    `torch.set_num_threads` sets the calling thread's OpenMP team size and MKL thread count
    (both per-thread settings) and also a process-wide default that every thread adopts the
    first time it runs a parallel op. So: adopt the default here first, set `count` here, then
    put the default back from a short-lived helper thread; this thread keeps `count`.
    """
    default = torch.get_num_threads()  # also makes this thread adopt the default now, not later
    if default == count:
        return True
    torch.set_num_threads(count)
    helper = threading.Thread(target=torch.set_num_threads, args=(default,), name="imagegate-torch-threads")
    helper.start()
    helper.join()
    if torch.get_num_threads() == count:
        return True
    torch.set_num_threads(count)  # a build with one process-wide pool (not OpenMP)
    return False


def denoiser_of(pipe: Any) -> Any:
    """The pipeline's UNet or transformer."""
    return getattr(pipe, "unet", None) or getattr(pipe, "transformer", None)


def pipeline_bytes(torch: Any, pipe: Any) -> int:
    """Memory the pipeline's weights take: parameters and buffers times their dtype's size."""
    total = 0
    for component in pipe.components.values():
        if isinstance(component, torch.nn.Module):
            for tensor in [*component.parameters(), *component.buffers()]:
                total += tensor.numel() * tensor.element_size()
    return total


def native_geometry(pipe: Any) -> tuple[int, int]:
    """(native max side, size multiple) read from the pipeline's configuration."""
    scale = int(getattr(pipe, "vae_scale_factor", 8) or 8)
    sample = getattr(pipe, "default_sample_size", None)
    if sample is None:
        denoiser = denoiser_of(pipe)
        sample = getattr(getattr(denoiser, "config", None), "sample_size", None) or 128
    if isinstance(sample, (list, tuple)):
        sample = max(sample)
    # latents are packed 2x2 into tokens by DiT pipelines (Flux, SD3): twice the VAE factor
    patch = 2 if getattr(pipe, "transformer", None) is not None else 1
    return int(sample) * scale, max(16, scale * patch)


def call_parameters(pipe: Any) -> set[str]:
    """Names `pipe.__call__` accepts, to pass only what a pipeline understands."""
    return set(inspect.signature(pipe.__call__).parameters)


def decode_preview(pipe: Any, latents: Any, height: int, width: int) -> Any:
    """Decode one image's intermediate latents (batch of 1) with the pipeline's VAE to a PIL image."""
    vae = pipe.vae
    if latents.ndim == 3 and hasattr(pipe, "_unpack_latents"):  # packed DiT latents (Flux)
        latents = pipe._unpack_latents(latents, height, width, pipe.vae_scale_factor)
    config = vae.config
    latents = latents / getattr(config, "scaling_factor", 1.0)
    shift = getattr(config, "shift_factor", None)
    if shift:
        latents = latents + shift
    param = next(vae.parameters())
    image = vae.decode(latents.to(device=param.device, dtype=param.dtype), return_dict=False)[0]
    return pipe.image_processor.postprocess(image.float(), output_type="pil")[0]


def release_memory(torch: Any) -> None:
    """Give cached accelerator memory back after a pipeline was dropped."""
    import gc

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
    mps = getattr(torch, "mps", None)
    if mps is not None and getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        mps.empty_cache()


DERIVED = {"img2img": "AutoPipelineForImage2Image", "inpaint": "AutoPipelineForInpainting"}


def derive_pipeline(diffusers: Any, pipe: Any, task: str) -> Any | None:
    """The img2img or inpainting pipeline of `pipe`'s family, sharing its components (no second
    load, no copy, no dtype change), or None when the family has none."""
    auto = getattr(diffusers, DERIVED[task])
    try:
        derived = auto.from_pipe(pipe)  # AutoPipeline's from_pipe passes the modules as they are
    except (ValueError, KeyError, TypeError) as exc:  # "AutoPipeline can't find a pipeline linked to ..."
        log.info("%s has no %s variant: %s", type(pipe).__name__, task, exc)
        return None
    derived.set_progress_bar_config(disable=True)
    return derived

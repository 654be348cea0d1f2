"""Engines on a Ray Serve cluster: what travels between imagegate and the replicas.

`serve_app` holds the Serve deployment and its application builder (it imports Ray);
`imagegate.engines.ray_engine` is the engine that calls it. This module imports neither: it
turns an `EngineRequest` into plain data (images as PNG bytes; the plan, plain frozen data,
pickles as it is) and back, since PIL images and the cancel token (a threading.Event) do not
travel well through Ray.

Messages a replica streams back, in order:

    {"t": "start", "replica": <replica actor name>}
    {"t": "progress", "step", "total", "index", "preview": bytes | None, "format"}   (any number)
    {"t": "result", "images": [(bytes, seed)], "format", "usage", "backend", "draws_text", "moderates_outputs"}
  or {"t": "error", "error": <pickled exception> | None, "message": str}
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from PIL import Image

from imagegate.errors import ConfigurationError

INSTALL_HINT = "Ray Serve is not installed: pip install 'imagegate[cluster]'"
DEPLOYMENT_NAME = "ImageEngines"
DEFAULT_APP_NAME = "imagegate"


def require_ray() -> Any:
    """The `ray` module, or a ConfigurationError saying how to install it."""
    try:
        import ray
        from ray import serve  # noqa: F401 - the Serve extra, not only the core
    except ImportError:
        raise ConfigurationError(INSTALL_HINT) from None
    return ray


def _png(image: Image.Image | None) -> bytes | None:
    if image is None:
        return None
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _open(data: bytes | None) -> Image.Image | None:
    if data is None:
        return None
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def encode_request(request: Any) -> dict[str, Any]:
    """An EngineRequest as plain data (no cancel token: the replica makes its own)."""
    return {
        "prompt": request.prompt, "width": request.width, "height": request.height, "n": request.n, "seed": request.seed,
        "quality": request.quality, "transparent": request.transparent,
        "plan": request.plan,  # a frozen dataclass of plain values: it pickles as it is
        "engine_prompt": request.engine_prompt, "steps": request.steps, "mode": request.mode,
        "init_image": _png(request.init_image), "mask": _png(request.mask),
        "reference_images": [_png(image) for image in request.reference_images],
        "previews": request.previews, "wire": dict(request.wire), "input_files": list(request.input_files),
        "mask_file": request.mask_file,
    }


def decode_request(data: dict[str, Any], cancel: Any = None) -> Any:
    """The EngineRequest that `encode_request` made `data` from, with `cancel` as its token."""
    from imagegate.engines.base import EngineRequest
    from imagegate.plan import Plan

    plan = data.get("plan")
    return EngineRequest(
        prompt=data["prompt"], width=data["width"], height=data["height"], n=data["n"], seed=data["seed"],
        quality=data["quality"], transparent=data["transparent"],
        plan=Plan.from_dict(plan, prompt=plan.get("prompt")) if isinstance(plan, dict) else plan,
        engine_prompt=data.get("engine_prompt"), steps=data.get("steps"), mode=data.get("mode", "generate"),
        init_image=_open(data.get("init_image")), mask=_open(data.get("mask")),
        reference_images=tuple(_open(b) for b in data.get("reference_images") or ()),
        previews=data.get("previews", 0), cancel=cancel, wire=dict(data.get("wire") or {}),
        input_files=tuple(data.get("input_files") or ()), mask_file=data.get("mask_file"),
    )


def output_format(wire: dict[str, Any]) -> tuple[str, int | None]:
    """The format (and jpeg/webp quality) the client asked for: what replicas encode in."""
    fmt = wire.get("output_format") or "png"
    fmt = fmt if fmt in ("png", "jpeg", "webp") else "png"
    compression = wire.get("output_compression")
    return fmt, compression if isinstance(compression, int) and not isinstance(compression, bool) else None


def pack_error(exc: BaseException) -> dict[str, Any]:
    """An exception as an error message; pickled when it can be (imagegate's errors can)."""
    try:
        blob: bytes | None = pickle.dumps(exc)
        pickle.loads(blob)
    except Exception:  # noqa: BLE001 - whatever it holds, the message still travels
        blob = None
    return {"t": "error", "error": blob, "message": f"{type(exc).__name__}: {exc}"}


def unpack_error(message: dict[str, Any]) -> BaseException:
    """The exception an error message carries (an ImagegateError when it cannot be rebuilt)."""
    from imagegate.errors import ImagegateError

    if message.get("error") is not None:
        try:
            exc = pickle.loads(message["error"])
            if isinstance(exc, BaseException):
                return exc
        except Exception:  # noqa: BLE001
            pass
    return ImagegateError(f"The engine failed on the cluster: {message.get('message') or 'unknown error'}", code="engine_error")

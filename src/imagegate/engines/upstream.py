"""Upstream engines: a model served by another OpenAI-compatible Images API (OpenAI itself, Azure
OpenAI, a second imagegate, LocalAI, ...), with imagegate's keys, budgets, limits, policy and
usage in front.

One attempt is one HTTP call (`UpstreamEngine.attempt`); what counts as the backend being down
(connection errors, timeouts, 5xx, 429) raises `BackendUnavailable`, which the retry and
fallback logic in `engines.route` acts on; the upstream's answers to the request itself (400,
a refusal) become our own OpenAI-shaped errors and are never retried. Streaming requests are
streamed upstream and every partial image is handed on as it arrives; a disconnect (the task
cancelled) or a cancel token closes the upstream request.

The upstream's key comes from an environment variable or a file, never from the config.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx
from PIL import Image

from imagegate.engines.base import EngineCapabilities, EngineRequest, EngineResult, EngineResults, Progress, ProgressCallback
from imagegate.errors import BadGatewayError, ConfigurationError, InvalidRequestError, UserError

log = logging.getLogger("imagegate.upstream")

MAX_IMAGE_BYTES = 64 * 1024 * 1024  # one image's base64, decoded
MAX_BODY_BYTES = 512 * 1024 * 1024  # one upstream answer
OPENAI_BASE = "https://api.openai.com/v1"
AZURE_API_VERSION = "2025-04-01-preview"
PATHS = {"generate": "images/generations", "edit": "images/edits", "variation": "images/variations"}
STREAM_PREFIX = {"generate": "image_generation", "edit": "image_edit"}
MAGIC = ((b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"RIFF", "webp"))


class BackendUnavailable(Exception):
    """The backend could not serve now (down, overloaded, too slow): another may."""

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status


def secret_from(options: dict[str, Any], env_key: str, file_key: str, what: str) -> str | None:
    """A secret named by `options[env_key]` (an environment variable) or `options[file_key]` (a file)."""
    if options.get(env_key):
        value = os.environ.get(str(options[env_key]), "").strip()
        if not value:
            raise ConfigurationError(f"The environment variable {options[env_key]!r} ({what}) is empty or not set.")
        return value
    if options.get(file_key):
        try:
            value = Path(str(options[file_key])).expanduser().read_text().strip()
        except OSError as exc:
            raise ConfigurationError(f"Cannot read {what} from {options[file_key]!r}: {exc.strerror}.") from None
        if not value:
            raise ConfigurationError(f"The file {options[file_key]!r} ({what}) is empty.")
        return value
    return None


def family_of(model: str) -> str:
    """Which parameter set the upstream model takes: dall-e-2, dall-e-3 or gpt-image."""
    name = model.lower()
    if name.startswith("dall-e-2"):
        return "dall-e-2"
    if name.startswith("dall-e-3"):
        return "dall-e-3"
    return "gpt-image"


def image_format(data: bytes) -> str | None:
    for magic, fmt in MAGIC:
        if data.startswith(magic):
            return fmt
    return None


def retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the upstream asks us to wait (`retry-after-ms`, then `retry-after`), if it says."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value:
            try:
                seconds = float(value) * scale
            except ValueError:
                continue
            if seconds >= 0:
                return seconds
    return None


def upstream_error(status: int, body: Any, request_id: str | None) -> Exception:
    """What an upstream's error answer means here: BackendUnavailable for 429/5xx, our own
    OpenAI-shaped error for anything about the request itself."""
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    message = str(error.get("message") or f"The upstream answered {status}.")
    code = error.get("code") if isinstance(error.get("code"), str) else None
    param = error.get("param") if isinstance(error.get("param"), str) else None
    suffix = f" (upstream request {request_id})" if request_id else ""
    if status == 429 or status >= 500 or status == 408:
        return BackendUnavailable(f"upstream {status}: {message}", status=status)
    if code == "moderation_blocked" or error.get("type") == "image_generation_user_error":
        from imagegate.api.metrics import record_block

        record_block("upstream", ())
        return UserError(message, code=code or "moderation_blocked", param=param)
    if status in (401, 403, 404):  # our credentials, deployment or model name: the operator's to fix
        return BadGatewayError(
            f"The upstream image service refused this server's request ({status}: {message}){suffix}. The operator must check its configuration.",
            code="upstream_error", headers={"x-should-retry": "false"},
        )
    if 400 <= status < 500:
        return InvalidRequestError(message, param=param, code=code, error_type=str(error.get("type") or "invalid_request_error"))
    return BadGatewayError(f"The upstream image service answered {status}{suffix}.", code="upstream_error")


def _decode_b64(value: Any) -> bytes:
    if not isinstance(value, str) or len(value) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise BackendUnavailable("the upstream sent an image that is not base64 or is too large")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BackendUnavailable("the upstream sent an image that is not valid base64") from None


def lazy_image(data: bytes) -> tuple[Image.Image, str | None]:
    """The picture (its pixels decoded only when someone looks) and its format."""
    try:
        image = Image.open(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any undecodable payload is the upstream's fault
        raise BackendUnavailable("the upstream sent an image that cannot be decoded") from None
    return image, image_format(data)


class UpstreamEngine:
    """Serves a model from an OpenAI-compatible Images API. Options:

    - `base_url` (default OpenAI's), `model` (the upstream's model name), `api_key_env` or
      `api_key_file` (never the key itself), `headers` (extra headers), `extra_body` (fields
      added to every request body, e.g. `{seed = 1}` for an imagegate upstream);
    - `timeout_seconds` (whole request, default 300), `connect_timeout_seconds` (5), `proxy`
      (an http(s) proxy URL; the environment's proxy variables are not used);
    - `family` (`gpt-image`, `dall-e-3`, `dall-e-2`; default from `model`): which parameters
      the upstream takes;
    - Azure (`engine = "azure"`): `endpoint`, `deployment`, `api_version`, and `api_key_env` /
      `api_key_file` for the `api-key` header or `token_env` / `token_file` for an Entra token.
    Retries and fallback: see `engines.route` (`max_retry_after_seconds`, `max_attempts`,
    `failure_threshold`, `cooldown_seconds`).
    """

    name = "openai"
    flavor = "openai"
    capabilities = EngineCapabilities(draws_text=True, moderates_outputs=True, supports_previews=True, cancellable=True, forwards_uploads=True)

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        options = dict(options or {})
        for forbidden in ("api_key", "token", "ad_token"):
            if forbidden in options:
                where = "api_key_env or api_key_file" if forbidden == "api_key" else "token_env or token_file"
                raise ConfigurationError(f"Upstream option {forbidden!r}: secrets never go in the config; use {where}.")
        self.options = options
        self.model = str(options.get("model") or "")
        self.headers = {str(k): str(v) for k, v in (options.get("headers") or {}).items()}
        self.extra_body = dict(options.get("extra_body") or {})
        self.timeout = float(options.get("timeout_seconds", 300.0))
        self.connect_timeout = float(options.get("connect_timeout_seconds", 5.0))
        if self.flavor == "azure":
            endpoint, deployment = options.get("endpoint"), options.get("deployment")
            if not endpoint or not deployment:
                raise ConfigurationError("An azure upstream needs `endpoint` and `deployment`.")
            self.base_url = f"{str(endpoint).rstrip('/')}/openai/deployments/{deployment}"
            self.params = {"api-version": str(options.get("api_version", AZURE_API_VERSION))}
            token = secret_from(options, "token_env", "token_file", "the Entra token")
            key = None if token else secret_from(options, "api_key_env", "api_key_file", "the Azure API key")
            if token:
                self.headers.setdefault("Authorization", f"Bearer {token}")
            elif key:
                self.headers.setdefault("api-key", key)
        else:
            if not self.model:
                raise ConfigurationError("An openai upstream needs `model`: the upstream's name for the model.")
            self.base_url = str(options.get("base_url", OPENAI_BASE)).rstrip("/")
            self.params = {}
            key = secret_from(options, "api_key_env", "api_key_file", "the upstream API key")
            if key:
                self.headers.setdefault("Authorization", f"Bearer {key}")
        self.family = str(options.get("family") or family_of(self.model or str(options.get("deployment", ""))))
        if self.family not in ("gpt-image", "dall-e-3", "dall-e-2"):
            raise ConfigurationError(f"Unknown upstream family {self.family!r}; use gpt-image, dall-e-3 or dall-e-2.")
        self._client: httpx.AsyncClient | None = None
        from imagegate.engines.route import BREAKER_KEYS, Backend

        self.backend = Backend(str(options.get("name") or self.base_url), self, {k: options[k] for k in BREAKER_KEYS if k in options})

    # -- the engine protocol ----------------------------------------------------------------
    def status(self) -> str:
        return "ready"

    async def load(self, on_progress: ProgressCallback | None = None) -> None:
        self.client()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def generate(self, request: EngineRequest, on_progress: ProgressCallback | None = None) -> EngineResults:
        """Served alone: one backend with the retry rules of `engines.route`."""
        from imagegate.engines.route import with_fallback

        return await with_fallback([self.backend], request, on_progress, self.options)

    def backends_state(self) -> list[dict[str, Any]]:
        """This engine's state for /health (one backend: itself)."""
        return [self.backend.describe()]

    # -- one attempt ------------------------------------------------------------------------
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            timeout = httpx.Timeout(self.timeout, connect=self.connect_timeout)
            limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
            proxy = self.options.get("proxy")  # an explicit proxy for the upstream; the environment's is not used
            self._client = httpx.AsyncClient(timeout=timeout, limits=limits, follow_redirects=False, trust_env=False, proxy=str(proxy) if proxy else None)
        return self._client

    def body(self, request: EngineRequest, stream: bool) -> dict[str, Any]:
        """The upstream's request fields, in the parameter set its model takes."""
        wire = request.wire
        body: dict[str, Any] = {"model": self.model} if self.model else {}
        if request.mode != "variation":
            body["prompt"] = request.prompt
        body["n"] = request.n
        body["size"] = f"{request.width}x{request.height}"
        if self.family == "gpt-image":
            if request.mode != "variation":
                asked = wire.get("quality")  # "auto" stays the upstream's choice
                body["quality"] = {"standard": "medium", "hd": "high"}.get(asked, asked) if asked else request.quality
                for name in ("background", "moderation", "output_format"):
                    if wire.get(name):
                        body[name] = wire[name]
                if wire.get("output_format") in ("jpeg", "webp") and wire.get("output_compression") is not None:
                    body["output_compression"] = wire["output_compression"]
                if request.mode == "edit" and wire.get("input_fidelity"):
                    body["input_fidelity"] = wire["input_fidelity"]
            if stream:
                body["stream"] = True
                body["partial_images"] = request.previews
        else:  # the DALL·E models answer URLs unless told; they know no quality tiers but dall-e-3's
            body["response_format"] = "b64_json"
            if self.family == "dall-e-3" and request.mode == "generate":
                body["quality"] = "hd" if request.quality == "high" else "standard"
                if wire.get("style"):
                    body["style"] = wire["style"]
        if wire.get("user"):
            body["user"] = wire["user"]
        body.update(self.extra_body)
        return body

    def build(self, request: EngineRequest, stream: bool) -> httpx.Request:
        url = f"{self.base_url}/{PATHS[request.mode]}"
        body = self.body(request, stream)
        headers = dict(self.headers)
        if stream:
            headers["Accept"] = "text/event-stream"
        if request.mode == "generate":
            return self.client().build_request("POST", url, params=self.params, json=body, headers=headers)
        files: list[tuple[str, tuple[str, bytes, str]]] = []
        images = request.input_files or ()
        if not images:
            raise InvalidRequestError("This model forwards edits upstream and needs the uploaded image.", param="image")
        field = "image" if request.mode == "variation" or len(images) == 1 else "image[]"
        for i, data in enumerate(images if request.mode == "edit" else images[:1]):
            fmt = image_format(data) or "png"
            files.append((field, (f"image-{i}.{fmt}", data, f"image/{fmt}")))
        if request.mode == "edit" and request.mask_file is not None:
            files.append(("mask", ("mask.png", request.mask_file, "image/png")))
        form = {k: (json.dumps(v) if isinstance(v, (dict, list)) else str(v).lower() if isinstance(v, bool) else str(v)) for k, v in body.items()}
        return self.client().build_request("POST", url, params=self.params, data=form, files=files, headers=headers)

    async def attempt(self, request: EngineRequest, on_progress: ProgressCallback | None) -> EngineResults:
        """One call upstream. Raises BackendUnavailable when another try (here or elsewhere) may
        succeed, an ImagegateError when the request itself was refused."""
        stream = request.previews > 0 and on_progress is not None and self.family == "gpt-image" and request.mode in STREAM_PREFIX
        http_request = self.build(request, stream)
        try:
            with anyio.fail_after(self.timeout):
                response = await self.client().send(http_request, stream=True)
                try:
                    upstream_id = response.headers.get("x-request-id")
                    if response.status_code >= 400:
                        body = await self._json(response)
                        error = upstream_error(response.status_code, body, upstream_id)
                        if isinstance(error, BackendUnavailable):
                            error.retry_after = retry_after(response.headers)
                        raise error
                    if response.headers.get("content-type", "").startswith("text/event-stream"):
                        results = await self._from_stream(response, request, on_progress)
                    else:
                        results = await self._from_json(await self._json(response), request)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise BackendUnavailable(f"the upstream took longer than {self.timeout:g}s") from None
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(f"the upstream timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"cannot reach the upstream: {type(exc).__name__}: {exc}") from None
        if len(results) < 1:
            raise BackendUnavailable("the upstream answered without images")
        return results

    async def _read(self, response: httpx.Response) -> bytes:
        chunks, total = [], 0
        async for chunk in response.aiter_bytes():
            total += len(chunk)
            if total > MAX_BODY_BYTES:
                raise BackendUnavailable("the upstream's answer is too large")
            chunks.append(chunk)
        return b"".join(chunks)

    async def _json(self, response: httpx.Response) -> Any:
        raw = await self._read(response)
        try:
            return json.loads(raw)
        except ValueError:
            if response.status_code >= 400:
                return None
            raise BackendUnavailable("the upstream's answer is not JSON") from None

    async def _from_json(self, body: Any, request: EngineRequest) -> EngineResults:
        if not isinstance(body, dict) or not isinstance(body.get("data"), list):
            raise BackendUnavailable("the upstream's answer has no `data` list")
        results = EngineResults()
        for i, item in enumerate(body["data"]):
            if not isinstance(item, dict):
                continue
            if not item.get("b64_json"):  # we always ask for b64_json; URLs the upstream hands out are not followed
                continue
            data = _decode_b64(item["b64_json"])
            results.append(self._result(data, item, request, i))
        if isinstance(body.get("usage"), dict):
            results.usage = body["usage"]
        return results

    def _result(self, data: bytes, item: dict[str, Any], request: EngineRequest, i: int) -> EngineResult:
        image, fmt = lazy_image(data)
        seed = item.get("seed")
        seed = seed if isinstance(seed, int) and not isinstance(seed, bool) else request.seed + i
        return EngineResult(image=image, seed=seed, encoded=data, encoded_format=fmt)

    async def _events(self, response: httpx.Response) -> AsyncIterator[tuple[str, Any]]:
        """Server-sent events as (type, data), the type from `event:` or the data's `type`."""
        name, data, size = "", [], 0
        async for line in response.aiter_lines():
            size += len(line)
            if size > MAX_BODY_BYTES:
                raise BackendUnavailable("the upstream's stream is too large")
            if line == "":
                if data:
                    try:
                        payload = json.loads("\n".join(data))
                    except ValueError:
                        raise BackendUnavailable("the upstream sent an event that is not JSON") from None
                    kind = payload.get("type") if isinstance(payload, dict) and isinstance(payload.get("type"), str) else name
                    yield kind or "message", payload
                name, data = "", []
            elif line.startswith(":"):
                continue
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
        if data:
            raise BackendUnavailable("the upstream's stream ended in the middle of an event")

    async def _from_stream(self, response: httpx.Response, request: EngineRequest, on_progress: ProgressCallback | None) -> EngineResults:
        results = EngineResults()
        usages: list[dict[str, Any]] = []
        total = request.previews + 1
        async for kind, payload in self._events(response):
            if kind == "error" or (isinstance(payload, dict) and "error" in payload and kind.endswith("error")):
                raise upstream_error(400 if _is_refusal(payload) else 502, payload, response.headers.get("x-request-id"))
            if not isinstance(payload, dict):
                continue
            index = payload.get("image_index") if isinstance(payload.get("image_index"), int) else None
            if kind.endswith(".partial_image"):
                data = _decode_b64(payload.get("b64_json"))
                image, fmt = lazy_image(data)
                step = payload.get("partial_image_index", 0)
                step = step + 1 if isinstance(step, int) else 1
                if on_progress is not None:
                    on_progress(Progress(step=step, total=total, index=index if index is not None else len(results), preview=image, encoded=data, encoded_format=fmt))
            elif kind.endswith(".completed"):
                data = _decode_b64(payload.get("b64_json"))
                results.append(self._result(data, payload, request, len(results)))
                if isinstance(payload.get("usage"), dict):
                    usages.append(payload["usage"])
        if not results:
            raise BackendUnavailable("the upstream's stream ended before its images")
        if usages:
            results.usage = usages[0] if len(usages) == 1 else _sum_usage(usages)
        return results


def _is_refusal(payload: Any) -> bool:
    error = payload.get("error") if isinstance(payload, dict) else None
    return isinstance(error, dict) and (error.get("code") == "moderation_blocked" or error.get("type") == "image_generation_user_error")


def _sum_usage(usages: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-image usage objects (an imagegate upstream streaming n > 1) added up."""
    def num(value: Any) -> int:
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    out: dict[str, Any] = {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0, "input_tokens_details": {"text_tokens": 0, "image_tokens": 0, "cached_tokens": 0}}
    for usage in usages:
        for name in ("input_tokens", "output_tokens", "total_tokens"):
            out[name] += num(usage.get(name))
        details = usage.get("input_tokens_details") or {}
        for name in ("text_tokens", "image_tokens", "cached_tokens"):
            out["input_tokens_details"][name] += num(details.get(name))
    return out


class AzureUpstreamEngine(UpstreamEngine):
    """An Azure OpenAI deployment: `endpoint`, `deployment`, `api_version`, and the `api-key`
    header (`api_key_env`/`api_key_file`) or an Entra token (`token_env`/`token_file`)."""

    name = "azure"
    flavor = "azure"


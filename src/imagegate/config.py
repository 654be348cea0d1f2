"""Settings and the model registry.

This is the only module that reads environment variables. Precedence, highest first:
explicit arguments (CLI flags) > `IMAGEGATE_*` environment variables > the TOML config file
(`--config FILE` or `IMAGEGATE_CONFIG`) > defaults.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource

from imagegate.errors import ConfigurationError


class Settings(BaseSettings):
    """Server settings."""

    model_config = SettingsConfigDict(env_prefix="IMAGEGATE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("imagegate-data")
    public_url: str | None = None  # base of the URLs we hand out; default: the request's host
    registry_file: Path | None = None  # default: the registry shipped in the package
    default_model: str | None = None  # default: the registry's `default_model`
    url_ttl_seconds: int = 3600
    sweep_interval_seconds: int = 300
    max_request_bytes: int = 128 * 1024 * 1024  # edits and variations (uploads, data URLs)
    refusal_contact: str | None = None  # where a content-policy refusal points users: an address or policy URL (default: "the operator of this service")
    max_json_bytes: int = 1024 * 1024  # every other route (a generation body is a few KiB)
    header_timeout_seconds: float = 10.0  # to send a request's headers (0 = no limit)
    body_timeout_seconds: float = 300.0  # to send its body, once the headers are in (0 = no limit)
    keepalive_timeout_seconds: int = 5  # idle time between requests on one connection
    max_connections: int = 1000  # connections and requests in progress at once, per worker; 503 past it
    workers: int = Field(default=1, ge=1)  # server processes (`serve --workers` sets it): the built-in engine's render processes are shared among them
    log_level: str = "info"
    openapi_docs: bool = True  # serve the OpenAPI document (/openapi.json) and its browser (/docs)
    metrics: bool = True  # Prometheus metrics at /metrics (admin key when auth is on)
    database_url: str | None = None  # default: SQLite in the data directory
    # redis://...: rate limits, revocations and the cached-input memory shared by every process
    # (replicas on one PostgreSQL); default: each process keeps its own
    redis_url: str | None = None
    auth: bool = True  # API keys required; `--no-auth` turns this off
    # rate limits for keys that have none of their own, and (one shared bucket) for all traffic when auth is off
    rate_limit_requests_per_minute: int | None = Field(default=None, gt=0)
    rate_limit_images_per_minute: int | None = Field(default=None, gt=0)
    rate_limit_tokens_per_minute: int | None = Field(default=None, gt=0)
    hold_lease_seconds: float = 30.0  # a budget hold whose process stopped renewing it is released after this
    stream_keepalive_seconds: float = 15.0  # SSE comment lines while there is nothing else to send
    max_upload_pixels: int = 64_000_000  # all input images and the mask of one edit, from their headers
    # JSON edits: `image_url` may be an https:// URL, fetched (public addresses only, no redirects,
    # the upload byte limits, this deadline for all of a request's images together)
    remote_images: bool = True
    remote_images_allow_private: bool = False  # loopback, private, link-local... (tests, closed networks)
    remote_images_allow_http: bool = False  # plain http:// URLs too
    remote_images_allow_any_port: bool = False  # ports other than 443 (80 for http)
    remote_images_timeout_seconds: float = 10.0
    jobs_concurrency: int = 2  # async jobs running at once in this process; the rest wait (fair across keys)
    job_retention_seconds: int = 86400  # finished jobs and their result images are deleted after this
    # thinking mode: an optional OpenAI-compatible chat endpoint as the planner (rules otherwise)
    planner_url: str | None = None
    planner_model: str = "gpt-4o-mini"
    planner_api_key: str | None = None
    planner_timeout: float = 10.0
    # content policy: the [moderation] table (provider = "policy" | "upstream" | "none", semantic,
    # image_classifier, semantic_failures = "closed" | "open", semantic_failure_limit = 3,
    # image_failures = "closed" | "open", ...; see policy.moderation.build_moderator)
    moderation: dict[str, Any] = Field(default_factory=dict)
    # web-search grounding: the [search] table (provider = "searxng" | "brave" | "tavily" | "http", ...)
    search: dict[str, Any] | None = None
    research_timeout: float = 5.0
    # engines on a Ray Serve cluster: the [cluster] table (address, app_name, deploy, num_replicas or
    # autoscaling_config, num_gpus / ray_actor_options, max_models_per_replica, max_ongoing_requests,
    # max_attempts), given to every `engine = "ray"` model; see imagegate.engines.ray_engine
    cluster: dict[str, Any] | None = None
    # extra registry entries and aliases, merged over the registry file
    models: dict[str, dict[str, Any]] = Field(default_factory=dict)
    aliases: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings, file_secret_settings):
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(config_file: Path | str | None = None, **overrides: Any) -> Settings:
    """Build Settings from a TOML file, the environment and explicit overrides (None = unset)."""
    path = config_file or os.environ.get("IMAGEGATE_CONFIG")
    cls: type[Settings] = Settings
    if path:
        path = Path(path)
        if not path.is_file():
            raise ConfigurationError(f"Config file not found: {path}")
        cls = type("FileSettings", (Settings,), {"model_config": {**Settings.model_config, "toml_file": path}})
    try:
        return cls(**{k: v for k, v in overrides.items() if v is not None})
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"Invalid configuration: {exc}") from exc


class Prices(BaseModel):
    """US dollars per million tokens."""

    text_input: float = 5.0
    image_input: float = 8.0
    cached_image_input: float = 2.0
    image_output: float = 30.0


class ModelSpec(BaseModel):
    """One registry entry: engine, options, capabilities, prices."""

    id: str
    engine: str = "builtin"
    options: dict[str, Any] = Field(default_factory=dict)
    description: str = ""
    snapshots: list[str] = Field(default_factory=list)
    sizes: list[str] = Field(default_factory=lambda: ["1024x1024", "1536x1024", "1024x1536"])
    default_size: str = "1024x1024"
    flexible_sizes: bool = False
    size_multiple: int = 16
    min_side: int = 16
    max_side: int = 3840
    max_pixels: int = 3840 * 2160
    max_aspect_ratio: float = 3.0
    qualities: list[str] = Field(default_factory=lambda: ["low", "medium", "high", "auto", "standard", "hd"])
    max_n: int = 10
    max_prompt_chars: int = 32000
    transparent_background: bool = True
    input_fidelities: list[str] = Field(default_factory=lambda: ["low", "high"])
    default_input_fidelity: str = "low"
    tile_tokens: dict[str, int] = Field(default_factory=lambda: {"low": 17, "medium": 66, "high": 260})
    token_table: dict[str, dict[str, int]] = Field(default_factory=dict)
    prices: Prices = Field(default_factory=Prices)
    created: int = 1776729600  # 2026-04-21

    def capabilities(self) -> dict[str, Any]:
        """What clients may ask of this model (shown by /v1/models)."""
        caps: dict[str, Any] = {
            "sizes": [*self.sizes, "auto"],
            "qualities": self.qualities,
            "max_n": self.max_n,
            "max_prompt_chars": self.max_prompt_chars,
            "output_formats": ["png", "jpeg", "webp"],
            "transparent_background": self.transparent_background,
        }
        if self.flexible_sizes:
            caps["custom_sizes"] = {
                "multiple_of": self.size_multiple,
                "max_side": self.max_side,
                "max_pixels": self.max_pixels,
                "max_aspect_ratio": self.max_aspect_ratio,
            }
        return caps


class Registry:
    """Model ids (with snapshots and aliases) -> ModelSpec."""

    def __init__(self, models: dict[str, ModelSpec], aliases: dict[str, str], default_model: str) -> None:
        self.models = models
        self.aliases = dict(aliases)
        for spec in models.values():
            for snap in spec.snapshots:
                self.aliases.setdefault(snap, spec.id)
        for alias, target in self.aliases.items():
            if target not in models:
                raise ConfigurationError(f"Alias {alias!r} points at unknown model {target!r}.")
        if default_model not in models and default_model not in self.aliases:
            raise ConfigurationError(f"Default model {default_model!r} is not in the registry.")
        self.default_model = default_model

    def resolve(self, name: str | None) -> ModelSpec | None:
        """The spec for a model id, snapshot or alias (None for an unknown name)."""
        name = name or self.default_model
        return self.models.get(name) or self.models.get(self.aliases.get(name, ""))

    def listed(self) -> list[tuple[str, ModelSpec]]:
        """Every name a client may send, with the spec it reaches."""
        rows = [(mid, spec) for mid, spec in self.models.items()]
        rows += [(alias, self.models[target]) for alias, target in self.aliases.items()]
        return rows


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_registry(settings: Settings) -> Registry:
    """Read the registry file (default: the packaged one) and merge the settings' entries."""
    try:
        if settings.registry_file:
            raw = tomllib.loads(Path(settings.registry_file).read_text())
        else:
            raw = tomllib.loads(resources.files("imagegate").joinpath("default_models.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"Cannot read model registry: {exc}") from exc
    entries = _merge(raw.get("models", {}), settings.models)
    aliases = {**raw.get("aliases", {}), **settings.aliases}
    if settings.cluster:  # the cluster settings, under what a ray model's own `cluster` table names
        for mid, entry in list(entries.items()):
            if isinstance(entry, dict) and entry.get("engine") == "ray":
                options = dict(entry.get("options") or {})
                options["cluster"] = {**settings.cluster, **(options.get("cluster") or {})}
                entries[mid] = {**entry, "options": options}
    try:
        models = {mid: ModelSpec(id=mid, **entry) for mid, entry in entries.items()}
    except ValidationError as exc:
        raise ConfigurationError(f"Invalid model registry: {exc}") from exc
    default = settings.default_model or raw.get("default_model") or next(iter(models), "")
    return Registry(models, aliases, default)

"""Engine plugins, found through the `imagegate.engines` entry-point group."""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import Any

from imagegate.engines.base import ImageEngine
from imagegate.errors import ConfigurationError

GROUP = "imagegate.engines"


def available_engines() -> dict[str, Any]:
    """Engine name -> entry point, built-in engines included (they register like plugins)."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def create_engine(name: str, options: dict[str, Any]) -> ImageEngine:
    """Load the engine class registered as `name` and build it with `options`."""
    found = available_engines()
    if name not in found:
        known = ", ".join(sorted(found)) or "none"
        raise ConfigurationError(f"Unknown engine {name!r}; installed engines: {known}.")
    engine_cls = found[name].load()
    return engine_cls(options)

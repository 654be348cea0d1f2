"""Settings precedence and the model registry."""

from __future__ import annotations

import pytest

from imagegate.config import load_registry, load_settings
from imagegate.errors import ConfigurationError


def test_defaults_need_no_configuration(monkeypatch):
    monkeypatch.delenv("IMAGEGATE_CONFIG", raising=False)
    settings = load_settings(None)
    assert settings.port == 8000 and settings.url_ttl_seconds == 3600
    registry = load_registry(settings)
    assert registry.default_model == "gpt-image-2"


def test_toml_then_env_then_arguments(tmp_path, monkeypatch):
    cfg = tmp_path / "imagegate.toml"
    cfg.write_text('port = 9001\nurl_ttl_seconds = 60\nhost = "0.0.0.0"\n')
    assert load_settings(cfg).port == 9001
    monkeypatch.setenv("IMAGEGATE_PORT", "9002")
    settings = load_settings(cfg)
    assert settings.port == 9002 and settings.url_ttl_seconds == 60 and settings.host == "0.0.0.0"
    assert load_settings(cfg, port=9003).port == 9003
    monkeypatch.setenv("IMAGEGATE_CONFIG", str(cfg))
    assert load_settings(None).url_ttl_seconds == 60


def test_missing_or_bad_config_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigurationError, match="not found"):
        load_settings(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("port = 'eighty'\n")
    with pytest.raises(ConfigurationError, match="Invalid configuration"):
        load_settings(bad)


def test_registry_aliases_snapshots_and_capabilities():
    registry = load_registry(load_settings(None))
    assert registry.resolve("gpt-image-2-2026-04-21").id == "gpt-image-2"
    assert registry.resolve("gpt-image-1").id == "gpt-image-1.5"
    assert registry.resolve("dall-e-3").id == "gpt-image-2"
    assert registry.resolve(None).id == "gpt-image-2"
    assert registry.resolve("nope") is None
    caps = registry.resolve("gpt-image-2").capabilities()
    assert caps["custom_sizes"]["max_side"] == 3840 and "2048x2048" in caps["sizes"]
    assert "custom_sizes" not in registry.resolve("gpt-image-1-mini").capabilities()


def test_config_file_adds_models_and_aliases(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        'default_model = "house"\n'
        '[models.house]\nengine = "null"\nmax_n = 2\n[models.house.prices]\nimage_output = 1.5\n'
        '[models."gpt-image-2"]\nmax_n = 4\n'
        '[aliases]\n"my-alias" = "house"\n'
    )
    registry = load_registry(load_settings(cfg))
    assert registry.default_model == "house"
    assert registry.resolve("my-alias").max_n == 2
    assert registry.resolve("house").prices.image_output == 1.5
    assert registry.resolve("gpt-image-2").max_n == 4
    assert registry.resolve("gpt-image-2").max_side == 3840  # merged, not replaced


def test_alias_to_unknown_model_is_rejected(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[aliases]\n"x" = "missing"\n')
    with pytest.raises(ConfigurationError, match="unknown model"):
        load_registry(load_settings(cfg))

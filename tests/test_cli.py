"""The CLI: generate in-process, models, and --server."""

from __future__ import annotations

import pytest
from PIL import Image
from typer.testing import CliRunner

from imagegate.cli import app

runner = CliRunner()


def test_generate_in_process(tmp_path):
    out = tmp_path / "out.webp"
    result = runner.invoke(app, ["generate", 'a poster that says "Hi"', "-o", str(out), "--size", "1536x1024", "--seed", "5", "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.format == "WEBP" and image.size == (1536, 1024)


def test_generate_several_and_bad_size(tmp_path):
    out = tmp_path / "img.png"
    result = runner.invoke(app, ["generate", "cats", "-o", str(out), "-n", "2", "--quality", "low", "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "img-1.png").exists() and (tmp_path / "img-2.png").exists()
    result = runner.invoke(app, ["generate", "cats", "-o", str(out), "--size", "10x10x", "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1 and "Invalid value" in result.output


def test_models_lists_registry():
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0 and "gpt-image-1-mini" in result.output


def test_generate_through_a_server(server, tmp_path):
    out = tmp_path / "remote.jpg"
    result = runner.invoke(app, ["generate", "a boat", "-o", str(out), "--server", f"{server.base}/v1", "--quality", "low", "--api-key", server.api_key])
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.format == "JPEG"


def test_keys_and_usage_commands(tmp_path):
    data = ["--data-dir", str(tmp_path / "d")]
    made = runner.invoke(app, ["keys", "create", "--name", "team-a", "--budget-usd", "2.5", "--rpm", "30", *data])
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("sk-ig-")
    listed = runner.invoke(app, ["keys", "list", *data])
    assert "team-a" in listed.output and "2.50" in listed.output and secret not in listed.output
    gen = runner.invoke(app, ["generate", "a cat", "-o", str(tmp_path / "c.png"), "--quality", "low", "--size", "1024x1024", *data])
    assert gen.exit_code == 0, gen.output
    usage = runner.invoke(app, ["usage", "--group-by", "model", *data])
    assert usage.exit_code == 0 and "gpt-image-2" in usage.output and "0.019" in usage.output  # 640 tokens x $30/M + text
    assert runner.invoke(app, ["keys", "revoke", "1", *data]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["keys", "list", *data]).output
    assert runner.invoke(app, ["keys", "revoke", "99", *data]).exit_code == 1
    assert runner.invoke(app, ["usage", "--group-by", "planet", *data]).exit_code == 2


@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")  # inside diffusers' schedulers
def test_generate_with_a_diffusers_model_loads_it_first(tmp_path):
    from pathlib import Path

    import torch

    from imagegate.engines._tiny import save_tiny_pipeline

    torch.set_num_threads(1)
    pipe_dir = save_tiny_pipeline("sd", Path(__file__).parent / "fixtures" / "tokenizers", tmp_path / "tiny-sd")
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[models.tiny]\nengine = "diffusers"\nsizes = ["64x64"]\ntransparent_background = false\n[models.tiny.options]\npath = "{pipe_dir}"\n')
    out = tmp_path / "t.png"
    args = ["generate", "a red square", "-o", str(out), "--model", "tiny", "--size", "64x64", "--seed", "1", "--config", str(cfg), "--data-dir", str(tmp_path / "d")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.size == (64, 64)


def test_listings_are_scriptable(tmp_path):
    import json

    data = ["--data-dir", str(tmp_path / "d")]
    long_name = "a team with a rather long name that a terminal table would cut " * 2
    assert runner.invoke(app, ["keys", "create", "--name", long_name, "--budget-usd", "3", *data]).exit_code == 0
    keys = json.loads(runner.invoke(app, ["keys", "list", "--json", *data]).stdout)
    assert keys[0]["name"] == long_name and keys[0]["budget_usd"] == 3.0 and keys[0]["prefix"].startswith("sk-ig-")
    plain = runner.invoke(app, ["keys", "list", *data]).stdout.splitlines()  # not a terminal: tab-separated, never cut
    assert plain[0].split("\t")[:3] == ["id", "name", "prefix"]
    assert plain[1].split("\t")[1] == long_name and plain[1].split("\t")[2] == keys[0]["prefix"]
    models = json.loads(runner.invoke(app, ["models", "--json"]).stdout)
    assert {m["model"] for m in models} >= {"gpt-image-2", "gpt-image-1-mini"} and all(isinstance(m["sizes"], list) for m in models)
    assert json.loads(runner.invoke(app, ["holds", "list", "--json", *data]).stdout) == []


def test_usage_and_jobs_as_json(tmp_path):
    import json
    import time

    from fastapi.testclient import TestClient

    from imagegate.app import build_app
    from imagegate.config import load_settings

    data = ["--data-dir", str(tmp_path / "d")]
    assert runner.invoke(app, ["generate", "a cat", "-o", str(tmp_path / "c.png"), "--quality", "low", "--size", "1024x1024", *data]).exit_code == 0
    with TestClient(build_app(load_settings(None, data_dir=tmp_path / "d", auth=False))) as client:
        job = client.post("/v1/images/generations", json={"prompt": "a dog", "size": "1024x1024", "quality": "low"}, headers={"Prefer": "respond-async"}).json()
        for _ in range(200):
            if client.get(f"/v1/images/jobs/{job['id']}").json()["status"] == "succeeded":
                break
            time.sleep(0.05)
    rows = json.loads(runner.invoke(app, ["usage", "--json", "--group-by", "model", *data]).stdout)
    assert [r["model"] for r in rows] == ["gpt-image-2"] and rows[0]["num_model_requests"] == 2 and rows[0]["cost_micro_usd"] > 0
    jobs = json.loads(runner.invoke(app, ["jobs", "list", "--json", *data]).stdout)
    assert [(j["id"], j["status"]) for j in jobs] == [(job["id"], "succeeded")]
    assert json.loads(runner.invoke(app, ["jobs", "list", "--json", "--status", "queued", *data]).stdout) == []
    assert runner.invoke(app, ["jobs", "list", "--status", "lost", *data]).exit_code == 2
    plain = runner.invoke(app, ["jobs", "list", *data]).stdout.splitlines()
    assert plain[0].startswith("id\t") and plain[1].startswith(job["id"] + "\t")

"""The `ray` engine on a real local Ray cluster (Ray Serve, one application, two replicas).

One cluster for the module (`ray.init(address="local")`, 2 CPUs, loopback only), shut down at
the end. The replicas run the null engine, whose step counter, running count and previews make
streaming order, batching, multiplexing, cancellation and retries observable; a replica reports
them through the deployment's `stats` method, reached with a model id so Serve routes the call
to the replica that has that model.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

ray = pytest.importorskip("ray")
pytest.importorskip("ray.serve")

from conftest import keyed_client  # noqa: E402

from imagegate.engines.base import CancelToken, EngineCancelled, EngineRequest  # noqa: E402
from imagegate.engines.ray_engine import RayEngine  # noqa: E402


APP = "imagegate-test"
CLUSTER = {"app_name": APP, "num_replicas": 2, "num_cpus": 0, "max_models_per_replica": 1, "max_ongoing_requests": 8}
SLOW = {"color": [200, 10, 10], "delay": 1.0, "steps": 10}  # 1 s an image, 10 steps
FAST = {"color": [10, 10, 200], "delay": 0.2, "steps": 4}
CONFIG = f"""
[moderation]
provider = "none"
[cluster]
{chr(10).join(f'{k} = {json.dumps(v)}' for k, v in CLUSTER.items())}
[models.slow]
engine = "ray"
sizes = ["256x256"]
[models.slow.options]
engine = "null"
model_id = "slow"
options = {{ color = [200, 10, 10], delay = 1.0, steps = 10 }}
[models.fast]
engine = "ray"
sizes = ["256x256"]
[models.fast.options]
engine = "null"
model_id = "fast"
options = {{ color = [10, 10, 200], delay = 0.2, steps = 4 }}
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    os.environ["RAY_AUTH_MODE"] = "disabled"  # Ray 2.60 turns token auth on when a token file exists
    os.environ.setdefault("RAY_NODE_IP_ADDRESS", "127.0.0.1")
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    try:
        yield
    finally:
        from ray import serve

        try:
            serve.shutdown()
        finally:
            ray.shutdown()


@pytest.fixture(scope="module")
def api(cluster: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with keyed_client(tmp_path_factory.mktemp("ray"), CONFIG) as c:
        yield c


def engine(model: str, options: dict[str, Any]) -> RayEngine:
    """An engine of this process for a model of the app that the API deployed (`deploy = false`:
    as with an application an operator deployed from Serve's YAML)."""
    return RayEngine({"engine": "null", "options": options, "model_id": model, "cluster": {**CLUSTER, "deploy": False}})


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def stats(model: str) -> dict[str, Any]:
    from ray import serve

    return await serve.get_app_handle(APP).options(multiplexed_model_id=model).stats.remote()


def request(**kw: Any) -> EngineRequest:
    return EngineRequest(**{"prompt": "a square", "width": 64, "height": 64, "wire": {"output_format": "png"}, **kw})


def sse(response: Any) -> list[dict[str, Any]]:
    return [json.loads(line[6:]) for line in response.iter_lines() if line.startswith("data: ")]


def key(api: Any) -> tuple[str, dict[str, str]]:
    made = api.post("/v1/admin/keys", json={"name": f"k{time.monotonic_ns()}", "budget_usd": 100}).json()
    return made["id"], {"Authorization": f"Bearer {made['secret']}"}


def money(api: Any, key_id: str) -> tuple[float, float]:
    got = api.get(f"/v1/admin/keys/{key_id}").json()
    return got["spent_usd"], got["reserved_usd"]


def test_partial_images_stream_in_order_then_the_image_completes(api: Any) -> None:
    body = {"model": "slow", "prompt": "a red square", "size": "256x256", "quality": "low", "stream": True, "partial_images": 2}
    with api.stream("POST", "/v1/images/generations", json=body) as response:
        assert response.status_code == 200
        events = sse(response)
    kinds = [e["type"] for e in events]
    assert kinds == ["image_generation.partial_image", "image_generation.partial_image", "image_generation.completed"], kinds
    assert [e["partial_image_index"] for e in events[:2]] == [0, 1]
    final = Image.open(io.BytesIO(base64.b64decode(events[-1]["b64_json"])))
    assert final.size == (256, 256) and final.convert("RGB").getpixel((5, 5)) == (200, 10, 10)
    first = Image.open(io.BytesIO(base64.b64decode(events[0]["b64_json"]))).convert("RGB").getpixel((5, 5))
    assert first[0] < 200  # a darker intermediate state, encoded in the replica
    assert api.app.state.ctx.engines["slow"].status() == "ready"


def test_concurrent_requests_run_together_in_one_replica(api: Any) -> None:
    slow = engine("slow", SLOW)

    async def go() -> list[Any]:
        before = (await stats("slow"))["engines"]["slow"]["peak_running"]
        started = time.monotonic()
        results = await asyncio.gather(*[slow.generate(request(seed=i)) for i in range(4)])
        return [before, time.monotonic() - started, results, await stats("slow")]

    _, took, results, after = run(go())
    assert [r[0].seed for r in results] == [0, 1, 2, 3]
    assert all(r[0].encoded_format == "png" and r[0].encoded.startswith(b"\x89PNG") for r in results)
    assert after["engines"]["slow"]["peak_running"] >= 2  # several requests inside the engine at once
    assert took < 3.5  # four 1 s images, not one after the other


def test_models_are_multiplexed_and_requests_go_to_the_replica_that_has_theirs(api: Any) -> None:
    slow, fast = engine("slow", SLOW), engine("fast", FAST)

    async def go() -> tuple[list[str], list[str], dict[str, Any], dict[str, Any]]:
        on_slow, on_fast = [], []
        for _ in range(3):
            await fast.generate(request())
            on_fast.append(fast.last_replica)
            await slow.generate(request())
            on_slow.append(slow.last_replica)
        return on_slow, on_fast, await stats("slow"), await stats("fast")

    on_slow, on_fast, s, f = run(go())
    assert len(set(on_fast)) == 1 and len(set(on_slow)) == 1 and on_fast[0] != on_slow[0]
    assert s["loaded"] == ["slow"] and f["loaded"] == ["fast"]  # one model each (max_models_per_replica = 1)
    assert s["replica"] == on_slow[0] and f["replica"] == on_fast[0]
    loads = (s["loads"], f["loads"])

    async def again() -> tuple[dict[str, Any], dict[str, Any]]:
        await asyncio.gather(*[e.generate(request()) for e in (slow, fast, slow, fast)])
        return await stats("slow"), await stats("fast")

    s2, f2 = run(again())
    assert (s2["loads"], f2["loads"]) == loads  # no model was evicted and loaded again


def test_cancel_token_and_disconnect_stop_the_replicas_work(api: Any) -> None:
    slow = engine("slow", SLOW)

    async def steps() -> int:
        return (await stats("slow"))["engines"]["slow"]["steps_run"]

    async def go(how: str) -> tuple[int, int, int]:
        token = CancelToken()
        start = await steps()
        task = asyncio.ensure_future(slow.generate(request(n=3, cancel=token), lambda p: None))  # 3 s of work
        await asyncio.sleep(0.7)
        if how == "token":
            token.cancel("the job was cancelled")
            with pytest.raises(EngineCancelled):
                await task
        else:  # what a client disconnect does to the request's task
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
        await asyncio.sleep(0.3)
        stopped = await steps()
        await asyncio.sleep(1.0)
        return start, stopped, await steps()

    for how in ("token", "task"):
        start, stopped, later = run(go(how))
        assert 0 < stopped - start < 30, how  # it ran a while, not the whole 3 s
        assert later == stopped, how  # and took no step after it was cancelled


@pytest.mark.filterwarnings("ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning")  # diffusers on numpy 2
def test_a_tiny_diffusers_pipeline_batches_inside_its_replica(api: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("diffusers")
    from imagegate.engines._tiny import save_tiny_pipeline
    from imagegate.engines.diffusers import DiffusersEngine

    tokenizers = Path(__file__).resolve().parents[1] / "fixtures" / "tokenizers"
    path = save_tiny_pipeline("sd", tokenizers, tmp_path_factory.mktemp("tiny") / "sd")
    options = {"path": str(path), "batch_window_ms": 300}
    remote = RayEngine({"engine": "diffusers", "options": options, "model_id": "tiny-sd", "cluster": {**CLUSTER, "deploy": False}})
    assert not remote.capabilities.draws_text and remote.capabilities.cancellable  # the diffusers engine's, read from its class
    requests = [request(prompt="a red cat", seed=1), request(prompt="blue dog", seed=7), request(prompt="an apple", seed=1, n=2)]

    async def go() -> tuple[list[Any], dict[str, Any]]:
        await remote.generate(request(prompt="warm up"))  # loads the pipeline in a replica
        before = (await stats("tiny-sd"))["engines"]["tiny-sd"]["pipeline_calls"]
        results = await asyncio.gather(*[remote.generate(r) for r in requests])
        after = await stats("tiny-sd")
        return results, {"calls": after["engines"]["tiny-sd"]["pipeline_calls"] - before}

    results, seen = run(go())
    assert seen["calls"] == 1  # the three requests went to one replica and into one pipeline call
    assert [[r.seed for r in rs] for rs in results] == [[1], [7], [1, 2]]
    local = DiffusersEngine(options)
    try:
        alone = run(local.generate(requests[1]))
    finally:
        run(local.close())
    assert results[1][0].encoded_format == "png"
    assert Image.open(io.BytesIO(results[1][0].encoded)).convert("RGB").tobytes() == alone[0].image.convert("RGB").tobytes()


def test_an_application_that_is_not_running_is_a_configuration_error(api: Any) -> None:
    from imagegate.errors import ConfigurationError

    missing = RayEngine({"engine": "null", "cluster": {"app_name": "not-deployed", "deploy": False}})
    with pytest.raises(ConfigurationError, match="not-deployed"):
        run(missing.load())
    assert missing.status() == "idle"


def _kill(name: str) -> None:
    ray.kill(ray.get_actor(name, namespace="serve"), no_restart=True)


def _wait_for_replica(engine_: RayEngine, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if engine_.last_replica:
            return engine_.last_replica
        time.sleep(0.02)
    raise AssertionError("the request never reached a replica")


def test_a_replica_killed_before_any_partial_is_retried_and_charged_once(api: Any) -> None:
    key_id, auth = key(api)
    body = {"model": "slow", "prompt": "a red square", "size": "256x256", "quality": "low"}
    assert api.post("/v1/images/generations", json=body, headers=auth).status_code == 200
    spent_once, _ = money(api, key_id)
    assert spent_once > 0
    slow: RayEngine = api.app.state.ctx.engines["slow"]
    slow.last_replica = None
    answer: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: answer.update(r=api.post("/v1/images/generations", json=body, headers=auth)))
    thread.start()
    victim = _wait_for_replica(slow)
    time.sleep(0.3)  # inside the engine, no partial image asked for
    _kill(victim)
    thread.join(60)
    response = answer["r"]
    assert response.status_code == 200, response.text
    assert slow.last_replica != victim  # served by another replica
    spent, reserved = money(api, key_id)
    assert spent == pytest.approx(2 * spent_once) and reserved == 0  # charged once for it


def test_a_replica_killed_after_a_partial_ends_the_stream_with_an_error(api: Any) -> None:
    key_id, auth = key(api)
    slow: RayEngine = api.app.state.ctx.engines["slow"]
    slow.last_replica = None
    body = {"model": "slow", "prompt": "a red square", "size": "256x256", "quality": "low", "stream": True, "partial_images": 3}
    events = []
    with api.stream("POST", "/v1/images/generations", json=body, headers=auth) as response:
        lines = response.iter_lines()
        for line in lines:
            if line.startswith("data: "):
                events.append(json.loads(line[6:]))
                if len(events) == 1:
                    _kill(slow.last_replica)
        assert response.status_code == 200
    assert events[0]["type"] == "image_generation.partial_image"
    assert events[-1]["type"] == "error", events[-1]
    assert events[-1]["error"]["code"] == "engine_replica_died"
    assert money(api, key_id)[1] == 0  # the hold went back


def test_the_example_serve_config_validates_and_its_builder_builds() -> None:
    import yaml
    from ray.serve._private.api import call_user_app_builder_with_args_if_necessary
    from ray.serve.schema import ServeDeploySchema

    from imagegate.cluster.serve_app import build, deployment_options

    raw = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "cluster" / "serve.yaml").read_text())
    (app,) = ServeDeploySchema.model_validate(raw).applications
    assert app.import_path == "imagegate.cluster.serve_app:build" and app.route_prefix is None
    built = call_user_app_builder_with_args_if_necessary(build, app.args)
    assert type(built).__name__ == "Application"
    assert deployment_options(app.args) == {"num_replicas": 2, "max_ongoing_requests": 8, "ray_actor_options": {"num_gpus": 1}}
    auto = deployment_options({"autoscaling_config": {"min_replicas": 1, "max_replicas": 3}})
    assert "num_replicas" not in auto and auto["autoscaling_config"]["max_replicas"] == 3


def test_cluster_settings_reach_ray_models_and_a_models_own_table_wins(tmp_path: Path) -> None:
    from imagegate.config import load_registry, load_settings

    (tmp_path / "c.toml").write_text(
        '[cluster]\nnum_replicas = 3\napp_name = "a"\n'
        '[models.r]\nengine = "ray"\noptions = { engine = "null", cluster = { app_name = "b" } }\n'
        '[models.plain]\nengine = "null"\n'
    )
    registry = load_registry(load_settings(tmp_path / "c.toml", data_dir=tmp_path / "d"))
    assert registry.models["r"].options["cluster"] == {"num_replicas": 3, "app_name": "b"}
    assert "cluster" not in registry.models["plain"].options
    made = RayEngine(registry.models["r"].options)
    assert made.app_name == "b" and made.deploy and made.capabilities.supports_previews and made.status() == "idle"
    with pytest.raises(Exception, match="needs `engine`"):
        RayEngine({"options": {}})


def test_a_request_travels_as_plain_data_and_comes_back_equal() -> None:
    import pickle
    from dataclasses import replace

    from imagegate.cluster import decode_request, encode_request, pack_error, unpack_error
    from imagegate.errors import ServiceUnavailableError
    from imagegate.planning.planner import RulePlanner

    plan = RulePlanner().plan('a poster with the text "SALE" on dark marble, gold accents')
    init = Image.new("RGB", (32, 32), (1, 2, 3))
    mask = Image.new("L", (32, 32), 255)
    original = EngineRequest(prompt="x", width=32, height=32, n=2, seed=9, plan=plan, engine_prompt="y", mode="edit", init_image=init,
                             mask=mask, reference_images=(init,), previews=2, cancel=CancelToken(), wire={"output_format": "webp"},
                             input_files=(b"abc",), mask_file=b"m")
    token = CancelToken()
    back = decode_request(pickle.loads(pickle.dumps(encode_request(original))), token)
    no_images = {"init_image": None, "mask": None, "reference_images": ()}
    assert replace(back, **no_images) == replace(original, **no_images) and back.plan == plan and back.cancel is token
    assert back.wire == original.wire and back.input_files == (b"abc",) and back.mask_file == b"m"
    assert back.init_image.tobytes() == init.tobytes() and back.mask.mode == "L" and len(back.reference_images) == 1
    error = unpack_error(pickle.loads(pickle.dumps(pack_error(ServiceUnavailableError("down", code="x")))))
    assert isinstance(error, ServiceUnavailableError) and error.code == "x" and error.message == "down"


def test_an_unreachable_cluster_address_fails_fast():
    from imagegate.engines.ray_engine import _reachable
    from imagegate.errors import ServiceUnavailableError

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ServiceUnavailableError) as err:
        _reachable(f"ray://127.0.0.1:{port}", timeout=2)
    assert err.value.code == "engine_unavailable" and str(port) in err.value.message

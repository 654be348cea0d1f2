"""`/metrics`: Prometheus counters match the traffic sent; only admin keys may scrape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from conftest import keyed_client
from prometheus_client.parser import text_string_to_metric_families

from imagegate.app import build_app
from imagegate.config import load_settings

NULL = '[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256"]\n'  # the default content policy
GORE = "a graphic photo of a decapitated body with gore everywhere"
GENERATIONS = "/v1/images/generations"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with keyed_client(tmp_path_factory.mktemp("metrics"), NULL) as c:
        yield c


def scrape(client: TestClient) -> dict[tuple[str, tuple], float]:
    """Every sample of /metrics as {(name, sorted labels): value}."""
    resp = client.get("/metrics")
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(resp.text) for s in family.samples}


def delta(before: dict, after: dict, name: str, **labels: str) -> float:
    """How much the sample `name` with exactly `labels` grew between two scrapes."""
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


def total(scraped: dict, name: str, **labels: str) -> float:
    """The sum of `name` over the samples whose labels include `labels`."""
    return sum(v for (n, ls), v in scraped.items() if n == name and set(labels.items()) <= set(ls))


def test_counters_match_the_traffic(server):
    before = scrape(server)
    user = server.post("/v1/admin/keys", json={"name": "user", "budget_usd": 5}).json()
    poor = server.post("/v1/admin/keys", json={"name": "poor", "budget_usd": 0.000001}).json()
    as_user = {"Authorization": f"Bearer {user['secret']}"}

    usages = []
    for _ in range(3):
        resp = server.post(GENERATIONS, json={"prompt": "a red apple on a table", "size": "256x256", "quality": "low"}, headers=as_user)
        assert resp.status_code == 200, resp.text
        usages.append(resp.json()["usage"])
    two = server.post(GENERATIONS, json={"prompt": "a blue bird", "size": "256x256", "quality": "low", "n": 2}, headers=as_user)
    assert two.status_code == 200, two.text
    usages.append(two.json()["usage"])
    assert server.post(GENERATIONS, json={"prompt": "x", "n": 0}, headers=as_user).status_code == 400
    assert server.post(GENERATIONS, json={"prompt": "x"}, headers={"Authorization": "Bearer sk-wrong"}).status_code == 401
    blocked = server.post(GENERATIONS, json={"prompt": GORE, "size": "256x256"}, headers=as_user)
    assert blocked.status_code == 400 and blocked.json()["error"]["code"] == "moderation_blocked", blocked.text
    categories = blocked.json()["error"]["moderation_details"]["categories"]
    broke = server.post(GENERATIONS, json={"prompt": "a red apple", "size": "256x256"}, headers={"Authorization": f"Bearer {poor['secret']}"})
    assert broke.status_code == 429 and broke.json()["error"]["code"] == "insufficient_quota", broke.text
    after = scrape(server)

    route = {"route": GENERATIONS, "method": "POST"}
    assert delta(before, after, "imagegate_http_requests_total", **route, status="200") == 4
    assert delta(before, after, "imagegate_http_requests_total", **route, status="400") == 2  # bad n, moderation
    assert delta(before, after, "imagegate_http_requests_total", **route, status="401") == 1
    assert delta(before, after, "imagegate_http_requests_total", **route, status="429") == 1
    assert delta(before, after, "imagegate_http_requests_total", route="/v1/admin/keys", method="POST", status="200") == 2
    assert delta(before, after, "imagegate_http_request_duration_seconds_count", route=GENERATIONS) == 8
    assert delta(before, after, "imagegate_http_requests_total", route="/metrics", method="GET", status="200") == 1

    billed = {"model": "gpt-image-2", "size": "256x256", "quality": "low"}
    assert delta(before, after, "imagegate_images_total", **billed) == 5
    assert delta(before, after, "imagegate_tokens_total", **billed, kind="output") == sum(u["output_tokens"] for u in usages)
    assert delta(before, after, "imagegate_tokens_total", **billed, kind="text_input") == sum(u["input_tokens"] for u in usages)
    spent = server.get(f"/v1/admin/keys/{user['id']}").json()["spent_usd"]
    assert delta(before, after, "imagegate_cost_micro_usd_total", **billed) == pytest.approx(spent * 1_000_000)
    assert total(after, "imagegate_images_total") - total(before, "imagegate_images_total") == 5  # the 429 and the refusal billed nothing

    assert categories
    for category in categories:
        assert delta(before, after, "imagegate_moderation_blocks_total", stage="input", category=category) == 1
    assert delta(before, after, "imagegate_refusals_total", reason="budget") == 1
    assert delta(before, after, "imagegate_refusals_total", reason="rate_limit") == 0


def test_gauges_read_the_queue_and_engines(server):
    scraped = scrape(server)
    assert scraped[("imagegate_jobs_queued", ())] == 0
    assert scraped[("imagegate_jobs_running", ())] == 0
    assert scraped[("imagegate_engine_state", (("model", "gpt-image-2"), ("state", "ready")))] == 1
    assert scraped[("imagegate_engine_state", (("model", "gpt-image-2"), ("state", "idle")))] == 0


def test_rate_limit_refusals_are_counted(server):
    key = server.post("/v1/admin/keys", json={"name": "slow", "rpm": 1}).json()
    headers = {"Authorization": f"Bearer {key['secret']}"}
    before = scrape(server)
    body = {"prompt": "a red apple", "size": "256x256", "quality": "low"}
    statuses = [server.post(GENERATIONS, json=body, headers=headers).status_code for _ in range(2)]
    assert statuses == [200, 429]
    assert delta(before, scrape(server), "imagegate_refusals_total", reason="rate_limit") == 1


def test_routes_are_labelled_by_template_with_their_prefix(server):
    before = scrape(server)
    for key_id in (1, 2, 99999):
        server.get(f"/v1/admin/keys/{key_id}")
    server.get("/openai/v1/models")
    after = scrape(server)
    assert total(after, "imagegate_http_requests_total", route="/v1/admin/keys/{key_id}") - total(before, "imagegate_http_requests_total", route="/v1/admin/keys/{key_id}") == 3
    assert delta(before, after, "imagegate_http_requests_total", route="/openai/v1/models", method="GET", status="200") == 1


def test_unmatched_paths_share_one_label(server):
    before = scrape(server)
    for path in ("/nope/1", "/nope/2", "/v1/images/generations/x"):
        assert server.get(path).status_code == 404
    after = scrape(server)
    assert delta(before, after, "imagegate_http_requests_total", route="unmatched", method="GET", status="404") == 3
    assert not any("/nope" in dict(labels).get("route", "") for _, labels in after)


def test_metrics_need_an_admin_key(server):
    anonymous = server.get("/metrics", headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"]
    user = server.post("/v1/admin/keys", json={"name": "not admin"}).json()
    denied = server.get("/metrics", headers={"Authorization": f"Bearer {user['secret']}"})
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "insufficient_permissions"
    assert "imagegate_" not in anonymous.text + denied.text


def test_metrics_can_be_turned_off(tmp_path):
    (tmp_path / "config.toml").write_text("metrics = false\n" + NULL)
    settings = load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=False)
    with TestClient(build_app(settings)) as c:
        assert c.get("/metrics").status_code == 404


def test_no_auth_serves_metrics_to_anyone(tmp_path):
    (tmp_path / "config.toml").write_text(NULL)
    settings = load_settings(tmp_path / "config.toml", data_dir=tmp_path / "data", auth=False)
    with TestClient(build_app(settings)) as c:
        assert "imagegate_http_requests_total" in c.get("/metrics").text


MULTIPROCESS_SCRIPT = """
import sys
from pathlib import Path
from fastapi.testclient import TestClient
from imagegate.app import build_app
from imagegate.config import load_settings

root = Path(sys.argv[1])
settings = load_settings(root / "config.toml", data_dir=root / "data", auth=False)
with TestClient(build_app(settings)) as c:
    assert c.post("/v1/images/generations", json={"prompt": "a red apple", "size": "256x256", "quality": "low"}).status_code == 200
    print(c.get("/metrics").text)
"""


def test_worker_processes_share_their_counts(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR set (as `imagegate serve --workers N` does), each process
    writes its values to files there, and a scrape reports the sum over the processes."""
    import os
    import subprocess
    import sys

    from imagegate.api.metrics import prepare_multiprocess_dir

    (tmp_path / "config.toml").write_text(NULL)
    shared = prepare_multiprocess_dir(tmp_path / "data")
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    texts = [subprocess.run([sys.executable, "-c", MULTIPROCESS_SCRIPT, str(tmp_path)], env=env, capture_output=True, text=True, check=True,
                            timeout=120).stdout for _ in range(2)]
    assert list(shared.glob("counter_*.db"))
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value for family in text_string_to_metric_families(texts[1]) for s in family.samples}
    billed = (("model", "gpt-image-2"), ("quality", "low"), ("size", "256x256"))
    assert samples[("imagegate_images_total", billed)] == 2  # the first process's image and the second's
    route = (("method", "POST"), ("route", GENERATIONS), ("status", "200"))
    assert samples[("imagegate_http_requests_total", route)] == 2
    assert prepare_multiprocess_dir(tmp_path / "data") == shared and not list(shared.iterdir())  # a new start begins at zero


def test_the_grafana_dashboard_queries_exported_metrics(server):
    import json
    import re
    from pathlib import Path

    dashboard = json.loads((Path(__file__).parents[2] / "docs" / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    text = server.get("/metrics").text
    names = {re.sub(r"_(total|bucket)$", "", n) for e in exprs for n in re.findall(r"imagegate_\w+", e)}
    assert len(names) >= 7
    for name in names:
        assert f"# TYPE {name} " in text or f"# TYPE {name}_total counter" in text, name

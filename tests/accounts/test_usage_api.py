"""`GET /v1/organization/usage/images` over HTTP: who sees what, the list forms, 400s."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from imagegate.app import build_app
from imagegate.config import load_settings
from imagegate.db.session import make_engine
from imagegate.db.tables import LedgerEntry

from tests.accounts.test_usage import END, START, make_rows

URL = "/v1/organization/usage/images"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    root = tmp_path_factory.mktemp("usage")
    (root / "config.toml").write_text("")
    db = f"sqlite:///{root / 'usage.db'}"
    settings = load_settings(root / "config.toml", data_dir=root / "data", auth=True, database_url=db)
    with TestClient(build_app(settings), base_url="http://testserver") as c:
        c.headers["Authorization"] = f"Bearer {(root / 'data' / 'initial-api-key.txt').read_text().strip()}"
        made = [c.post("/v1/admin/keys", json={"name": name}).json() for name in ("a", "b")]
        rows = make_rows([m["id"] for m in made], count=600)
        engine = make_engine(db)
        with engine.begin() as conn:
            conn.execute(insert(LedgerEntry), rows)
        engine.dispose()
        yield c, made, rows


def requests(page: dict) -> int:
    return sum(r["num_model_requests"] for b in page["data"] for r in b["results"])


def in_range(rows, **match) -> list[dict]:
    return [r for r in rows if START <= int(r["created_at"].timestamp()) < END and all(r[k] == v for k, v in match.items())]


def test_admins_see_every_key_others_their_own(api):
    client, made, rows = api
    span = {"start_time": START, "end_time": END, "limit": 31}
    assert requests(client.get(URL, params=span).json()) == len(in_range(rows))
    own = client.get(URL, params={**span, "group_by": "api_key_id"}, headers={"Authorization": f"Bearer {made[0]['secret']}"}).json()
    assert requests(own) == len(in_range(rows, key_id=made[0]["id"]))
    assert {r["api_key_id"] for b in own["data"] for r in b["results"]} == {made[0]["id"]}
    other = client.get(URL, params={**span, "api_key_ids": str(made[1]["id"])}, headers={"Authorization": f"Bearer {made[0]['secret']}"}).json()
    assert requests(other) == 0


def test_list_parameters_repeated_or_with_brackets(api):
    client, _, rows = api
    span = {"start_time": START, "end_time": END, "limit": 31}
    want = len(in_range(rows, model="dall-e-2", operation="edit")) + len(in_range(rows, model="dall-e-2", operation="variation"))
    plain = client.get(URL, params={**span, "models": "dall-e-2", "sources": ["image.edit", "image.variation"]}).json()
    brackets = client.get(URL, params={**span, "models[]": "dall-e-2", "sources[]": ["image.edit", "image.variation"], "group_by[]": "source"}).json()
    assert requests(plain) == requests(brackets) == want
    assert {r["source"] for b in brackets["data"] for r in b["results"]} == {"image.edit", "image.variation"}
    nobody = client.get(URL, params={**span, "project_ids": "proj_1", "group_by": ["project_id", "user_id"]}).json()
    assert requests(nobody) == 0 and len(nobody["data"]) == 9


def test_paging_over_http(api):
    client, _, _ = api
    first = client.get(URL, params={"start_time": START, "end_time": END, "limit": 5}).json()
    assert first["has_more"] and len(first["data"]) == 5
    rest = client.get(URL, params={"start_time": START, "end_time": END, "limit": 5, "page": first["next_page"]}).json()
    assert not rest["has_more"] and rest["next_page"] is None
    assert [b["start_time"] for b in first["data"] + rest["data"]] == list(range(START - START % 86400, END, 86400))


@pytest.mark.parametrize("query", [
    "page=page_zzz", "page=%00", "page=" + "x" * 2000, "bucket_width=1y", "limit=32", "limit=0", "limit=abc",
    "bucket_width=1h&limit=169", "group_by=planet", "sources=image.dream", "models=a%00b", "start_time=10&end_time=5",
    "limit=99999999999999999999999",
])
def test_bad_input_is_400(api, query):
    client, _, _ = api
    resp = client.get(f"{URL}?{query}")
    assert resp.status_code == 400, resp.text
    assert resp.json()["error"]["type"] == "invalid_request_error"

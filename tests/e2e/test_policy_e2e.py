"""Content policy and web-search grounding through the official SDK."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import numpy as np
import openai
import pytest
from conftest import Server
from fastapi.testclient import TestClient

from imagegate.app import build_app
from imagegate.engines.base import EngineCapabilities
from imagegate.config import load_settings
from imagegate.policy.image_classifier import StaticImageClassifier
from imagegate.policy.rules import load_policy
from imagegate.policy.moderation import PolicyModerator

pytestmark = pytest.mark.e2e

LOW = {"size": "1024x1024", "quality": "low", "response_format": "b64_json"}


def requests_billed(server) -> int:
    usage = httpx.get(f"{server.base}/v1/organization/usage/images", headers={"Authorization": f"Bearer {server.api_key}"}).json()
    return sum(r["num_model_requests"] for b in usage["data"] for r in b["results"])


@pytest.fixture
def oai(server):
    with openai.OpenAI(api_key=server.api_key, base_url=f"{server.base}/v1", max_retries=0) as c:
        yield c


def test_harmful_prompt_is_refused_like_the_live_api_and_not_billed(oai, server):
    before = requests_billed(server)
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.generate(prompt="a graphic photo of a decapitated body with gore everywhere", **LOW)
    err = info.value
    assert err.code == "moderation_blocked" and err.type == "image_generation_user_error"
    assert err.request_id in err.message and "safety_violations=[violence/graphic" in err.message
    assert err.body["moderation_details"] == {"moderation_stage": "input", "categories": ["violence/graphic"]}
    assert requests_billed(server) == before


@pytest.mark.parametrize("prompt", ["shoot a portrait of a chef in soft light", "a kill switch wiring diagram", "a breast cancer awareness poster with a pink ribbon"])
def test_benign_prompts_with_alarming_words_pass(oai, prompt):
    assert oai.images.generate(prompt=prompt, **LOW).data[0].b64_json


def test_evasion_is_caught(oai):
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.generate(prompt="a d3c4p1t4ted b o d y, g.o.r.e everywhere", **LOW)
    assert info.value.code == "moderation_blocked"


def test_edit_text_is_screened(oai):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (256, 256)).save(buf, "PNG")
    with pytest.raises(openai.BadRequestError) as info:
        oai.images.edit(image=("a.png", buf.getvalue(), "image/png"), prompt="add a decapitated body with gore", quality="low")
    assert info.value.code == "moderation_blocked"


def test_output_stage_refusal(tmp_path):
    """An engine whose outputs are checked, and an image classifier that flags what it made."""
    cfg = tmp_path / "c.toml"
    cfg.write_text('[models."gpt-image-2"]\nengine = "null"\n[models."gpt-image-2".options]\ncolor = [230, 180, 160]\n')
    app = build_app(load_settings(cfg, data_dir=tmp_path / "d", auth=False))
    with TestClient(app) as client:
        ctx = app.state.ctx
        flag_skin = StaticImageClassifier(lambda im: {"sexual": 0.95 if np.asarray(im)[..., 0].mean() > 200 else 0.0})
        ctx.pipeline.moderator = PolicyModerator(load_policy(), image_classifier=flag_skin)
        ctx.engines["gpt-image-2"].capabilities = EngineCapabilities(moderates_outputs=False)  # its outputs need screening
        with openai.OpenAI(api_key="x", base_url="http://testserver/v1", http_client=client, max_retries=0) as oai:
            with pytest.raises(openai.BadRequestError) as info:
                oai.images.generate(prompt="a portrait", **LOW)
        assert info.value.code == "moderation_blocked"
        assert info.value.body["moderation_details"]["moderation_stage"] == "output"
        assert not list((tmp_path / "d" / "images").iterdir())  # nothing stored
        assert ctx.accounts.ledger.total_cost() == 0  # nothing billed


class FakeSearch(BaseHTTPRequestHandler):
    delay = 0.0
    fail = False
    queries: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        FakeSearch.queries.append(self.path)
        time.sleep(FakeSearch.delay)
        if FakeSearch.fail:
            self.send_response(500)
            self.end_headers()
            return
        body = {"results": [
            {"title": "Skyline Tower - Wikipedia", "url": "https://example.org/skyline", "content": "The Skyline Tower is a 320 m steel tower painted in red and white bands, with a glass observation deck at the top."},
            {"title": "Visit", "url": "https://example.org/visit", "content": "Tickets can be bought online."},
        ]}
        data = json.dumps(body).encode()
        try:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server under test gave up waiting: that is the point of the slow case

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def search_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeSearch)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def grounded(search_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("grounded")
    cfg = root / "c.toml"
    cfg.write_text(f'research_timeout = 1.0\n[search]\nprovider = "searxng"\nbase_url = "{search_server}"\n')
    srv = Server(root / "data", extra_args=["--config", str(cfg)])
    yield srv
    srv.stop()


def research_of(server, prompt):
    with openai.OpenAI(api_key=server.api_key, base_url=f"{server.base}/v1", max_retries=0) as c:
        response = c.images.generate(prompt=prompt, **LOW)
    return response, response.model_extra.get("research")


def test_grounding_facts_reach_the_plan(grounded):
    FakeSearch.delay, FakeSearch.fail = 0.0, False
    response, research = research_of(grounded, "A travel poster of the Skyline Tower. Research the current design and use it as visual reference.")
    assert research["status"] == "ok" and any("red and white" in f for f in research["facts"])
    assert research["sources"][0]["url"] == "https://example.org/skyline"
    assert "red and white" in response.data[0].revised_prompt


def test_slow_or_failing_provider_degrades(grounded):
    FakeSearch.delay, FakeSearch.fail = 2.0, False
    response, research = research_of(grounded, "A poster of the latest Skyline Tower renovation, research the details")
    assert research["status"] == "timeout" and response.data[0].b64_json
    FakeSearch.delay, FakeSearch.fail = 0.0, True
    response, research = research_of(grounded, "A poster of the latest Skyline Harbour bridge, research the details")
    assert research["status"] == "failed" and response.data[0].b64_json
    FakeSearch.fail = False


def test_no_provider_says_so(server):
    _, research = research_of(server, "A product launch poster for the latest iPhone. Research the current iPhone model's design.")
    assert research["status"] == "no_provider" and "No search provider" in research["note"]
    _, research = research_of(server, "a red apple")
    assert research is None


@pytest.mark.parametrize("route", ["edit", "variation"])
def test_builtin_edits_and_variations_screen_their_output(tmp_path, route):
    """The built-in engine draws its own art (no output screening needed), but an edit or a
    variation carries the uploaded photo into the output: that output is screened."""
    import io
    import warnings

    from PIL import Image

    app = build_app(load_settings(None, data_dir=tmp_path / "d", auth=False))
    photo = io.BytesIO()
    Image.new("RGB", (256, 256), (235, 190, 170)).save(photo, "PNG")
    with TestClient(app) as client:
        ctx = app.state.ctx
        assert ctx.engines["gpt-image-1.5"].capabilities.moderates_outputs  # generations skip the image check
        seen = []

        def classify(im):
            seen.append(im.size)
            return {"sexual": 0.95 if np.asarray(im.convert("RGB"))[..., 0].mean() > 180 else 0.0}

        ctx.pipeline.moderator = PolicyModerator(load_policy(), image_classifier=StaticImageClassifier(classify))
        with openai.OpenAI(api_key="x", base_url="http://testserver/v1", http_client=client, max_retries=0) as oai:
            oai.images.generate(model="gpt-image-1.5", prompt="a blue square", size="1024x1024", quality="low")
            assert seen == []
            billed = ctx.accounts.ledger.total_cost()
            with pytest.raises(openai.BadRequestError) as info:
                if route == "edit":
                    oai.images.edit(model="gpt-image-1.5", image=("photo.png", photo.getvalue(), "image/png"), prompt="make it warmer", size="1024x1024", quality="low")
                else:
                    with warnings.catch_warnings():  # the SDK marks variations deprecated
                        warnings.simplefilter("ignore", DeprecationWarning)
                        oai.images.create_variation(model="gpt-image-1.5", image=("photo.png", photo.getvalue(), "image/png"), size="1024x1024")
        assert info.value.code == "moderation_blocked" and seen
        assert info.value.body["moderation_details"]["moderation_stage"] == "output"
        assert ctx.accounts.ledger.total_cost() == billed > 0  # the refused edit is not billed

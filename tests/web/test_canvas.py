"""The canvas at `/`, driven in a real browser (Debian's Chromium through Playwright) against a
real `imagegate serve`: sign-in, streaming generation with previews, cancel, a mask-painted
edit, expand, variations, the gallery and jobs, the usage panel and the error messages. Every
page must stay on its own origin and log no errors.

IMAGEGATE_CANVAS_SCREENSHOTS=1 also writes the screenshots in docs/canvas/.
"""

from __future__ import annotations

import base64
import io
import os
import re
import time
from pathlib import Path

import httpx
import pytest
from conftest import Server
from PIL import Image

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
import playwright.sync_api as playwright_api  # noqa: E402 - the test extra installs it; scripts/setup.sh installs chromium

expect = playwright_api.expect
expect.set_options(timeout=15000)

CONFIG = '[models."gpt-image-2"]\nengine = "null"\nsizes = ["256x256", "512x512"]\n[models."gpt-image-2".options]\ndelay = 1.5\nsteps = 6\n'
REFUSED = "a graphic photo of a decapitated body with gore everywhere"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "canvas"
TAKE_SHOTS = os.environ.get("IMAGEGATE_CANVAS_SCREENSHOTS") == "1"
HTTP_ERROR = re.compile(r"^Failed to load resource: the server responded with a status of (\d+)")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    root = tmp_path_factory.mktemp("canvas")
    (root / "models.toml").write_text(CONFIG)
    server = Server(root / "data", extra_args=["--config", str(root / "models.toml")])
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser profile for the module: IndexedDB (the gallery) lasts across pages."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield ctx
    ctx.close()


class Watch:
    """What a page asked for and what it logged."""

    def __init__(self, page, origin: str) -> None:
        self.origin = origin
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.http_errors: list[int] = []
        self.allowed_statuses: set[int] = set()
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _request(self, request) -> None:
        url = request.url
        if not (url.startswith(self.origin + "/") or url.startswith(("data:", "blob:"))):
            self.foreign.append(url)

    def _console(self, msg) -> None:
        if msg.type not in ("error", "warning"):
            return
        found = HTTP_ERROR.match(msg.text)
        if found and msg.type == "error":
            self.http_errors.append(int(found.group(1)))  # the browser's own note on an error answer
            return
        self.errors.append(f"{msg.type}: {msg.text}")

    def check(self) -> None:
        assert not self.foreign, f"requests outside {self.origin}: {self.foreign}"
        assert not self.errors, f"console errors: {self.errors}"
        unexpected = [s for s in self.http_errors if s not in self.allowed_statuses]
        assert not unexpected, f"unexpected error answers: {unexpected}"


@pytest.fixture
def page(context, srv):
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.add_init_script(CAPTURE_FORMS)
    watch = Watch(pg, srv.base)
    pg.watch = watch
    yield pg
    pg.close()
    watch.check()


def sign_in(page, srv, key=None) -> None:
    page.goto(srv.base + "/")
    page.fill("#api-key", key or srv.api_key)
    page.click("#signin-button")
    page.wait_for_selector("#app-view:not([hidden])")


def shot(page, name: str, *, dark: bool = False) -> None:
    if TAKE_SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        if dark:
            page.emulate_media(color_scheme="dark")
        page.screenshot(path=str(SHOTS / f"{name}.png"))
        if dark:
            page.emulate_media(color_scheme="light")


def png_file(tmp_path: Path, size=(256, 256), color=(30, 120, 200)) -> Path:
    path = tmp_path / f"input-{len(list(tmp_path.iterdir()))}.png"
    Image.new("RGB", size, color).save(path)
    return path


def admin(srv) -> dict:
    return {"Authorization": f"Bearer {srv.api_key}"}


CAPTURE_FORMS = """
(() => {
  const original = window.fetch;
  window.__forms = [];
  window.fetch = function (input, init) {
    if (init && init.body instanceof FormData) window.__forms.push({ url: String(input), entries: [...init.body.entries()] });
    return original.apply(this, arguments);
  };
})();
"""
READ_FORM = """async () => {
  const form = window.__forms[window.__forms.length - 1];
  const fields = {};
  for (const [name, value] of form.entries) {
    let text;
    if (typeof value === 'string') text = value;
    else { let s = ''; for (const b of new Uint8Array(await value.arrayBuffer())) s += String.fromCharCode(b); text = 'b64:' + btoa(s); }
    (fields[name] = fields[name] || []).push(text);
  }
  return { url: form.url, fields };
}"""


def sent_form(page, action) -> tuple[str, dict[str, list]]:
    """Run `action` and return the multipart form the page posted (Chromium does not show
    file parts of a request body, so the page's fetch is watched instead)."""
    before = page.evaluate("window.__forms.length")
    action()
    deadline = time.time() + 10
    while page.evaluate("window.__forms.length") == before:
        assert time.time() < deadline, "no form was posted"
        time.sleep(0.05)
    found = page.evaluate(READ_FORM)
    fields = {k: [base64.b64decode(v[4:]) if v.startswith("b64:") else v for v in vs] for k, vs in found["fields"].items()}
    return found["url"], fields


# -- the page and its server side -------------------------------------------------------------------
def test_page_is_served_with_a_strict_policy_and_no_key(srv):
    r = httpx.get(srv.base + "/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp and "img-src 'self' blob: data:" in csp
    assert "http" not in r.text.replace("http-equiv", "")  # nothing from elsewhere
    js = httpx.get(srv.base + "/canvas/app.js", headers={"If-None-Match": "nope"})
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert httpx.get(srv.base + "/canvas/app.js", headers={"If-None-Match": js.headers["etag"]}).status_code == 304
    assert httpx.get(srv.base + "/canvas/..%2Fapp.py").status_code == 404
    assert httpx.get(srv.base + "/canvas/nothing.js").status_code == 404


def test_me_and_job_list_show_only_the_callers_own(srv):
    other = httpx.post(srv.base + "/v1/admin/keys", headers=admin(srv), json={"name": "other", "budget_usd": 5, "rpm": 100}).json()
    me = httpx.get(srv.base + "/v1/me", headers={"Authorization": f"Bearer {other['secret']}"}).json()
    assert me["key"]["name"] == "other" and me["key"]["budget_usd"] == 5 and me["limits"]["requests"] == 100
    assert httpx.get(srv.base + "/v1/me").status_code == 401
    job = httpx.post(srv.base + "/v1/images/generations", headers={**admin(srv), "Prefer": "respond-async"},
                     json={"prompt": "a lamp", "size": "256x256"}).json()
    mine = httpx.get(srv.base + "/v1/images/jobs", headers=admin(srv)).json()
    assert job["id"] in [j["id"] for j in mine["data"]]
    theirs = httpx.get(srv.base + "/v1/images/jobs", headers={"Authorization": f"Bearer {other['secret']}"}).json()
    assert theirs == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}
    paged = httpx.get(srv.base + "/v1/images/jobs", headers=admin(srv), params={"limit": 1, "after": job["id"]})
    assert paged.status_code == 200
    bad = httpx.get(srv.base + "/v1/images/jobs", headers=admin(srv), params={"status": "nope"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "status"


# -- in the browser ---------------------------------------------------------------------------------
def test_sign_in_wrong_key_then_good_key(page, srv):
    page.watch.allowed_statuses = {401}
    page.goto(srv.base + "/")
    shot(page, "sign-in")
    page.fill("#api-key", "sk-not-a-real-key-000000000000")
    page.click("#signin-button")
    page.wait_for_selector("#signin-error:not([hidden])")
    assert "not accepted" in page.inner_text("#signin-error")
    page.fill("#api-key", srv.api_key)
    page.click("#signin-button")
    page.wait_for_selector("#app-view:not([hidden])")
    assert "initial" in page.inner_text("#account-name")
    assert page.evaluate("sessionStorage.getItem('imagegate.key')") == srv.api_key
    page.reload()  # the key survives a reload of the tab
    page.wait_for_selector("#app-view:not([hidden])")


def test_generate_streams_previews_before_the_images(page, srv):
    sign_in(page, srv)
    page.fill("#prompt", "A lighthouse at dusk")
    page.fill("#exact-text", "OPEN")
    page.click("#add-text")
    assert page.input_value("#prompt") == 'A lighthouse at dusk, the text "OPEN"'
    page.select_option("#size", "256x256")
    expect(page.locator("#estimate")).to_contain_text("$")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#stage-img[data-kind='partial']")
    assert page.locator("#results li").count() == 0  # a preview arrived before any finished image
    assert page.is_visible("#cancel")
    shot(page, "generate-streaming")
    page.wait_for_selector("#results li")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))
    assert int(page.get_attribute("body", "data-partials")) >= 1
    assert "output" in page.inner_text("#usage-after") and "charged $" in page.inner_text("#usage-after")
    assert page.get_attribute("#stage-img", "data-kind") == "final"
    assert page.is_visible("#plan-box") and '"OPEN"' in page.text_content("#plan")  # the completed event carries the plan
    estimated, charged = float(page.get_attribute("#estimate", "data-cost")), float(page.get_attribute("#usage-after", "data-charged"))
    assert charged == pytest.approx(estimated, abs=1e-9)  # the estimate counted the two partial images too
    shot(page, "generate-dark", dark=True)


def test_cancel_stops_the_work_and_bills_nothing(page, srv):
    sign_in(page, srv)
    before = httpx.get(srv.base + "/v1/me", headers=admin(srv)).json()["key"]["spent_usd"]
    page.fill("#prompt", "a slow field of poppies")
    page.select_option("#size", "256x256")
    page.fill("#n", "3")
    page.click("#generate")
    page.wait_for_selector("#stage-img[data-kind='partial']")
    page.keyboard.press("Escape")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Cancelled"))
    assert page.locator("#results li").count() == 0
    deadline = time.time() + 5
    while httpx.get(srv.base + "/v1/admin/holds", headers=admin(srv)).json()["data"] and time.time() < deadline:
        time.sleep(0.1)
    assert httpx.get(srv.base + "/v1/admin/holds", headers=admin(srv)).json()["data"] == []
    assert httpx.get(srv.base + "/v1/me", headers=admin(srv)).json()["key"]["spent_usd"] == before


def test_mask_painted_edit_sends_alpha_zero_where_painted(page, srv, tmp_path):
    sign_in(page, srv)
    page.set_input_files("#open-file", str(png_file(tmp_path)))
    page.wait_for_selector("#stage-img[data-kind='final']")
    page.click("#tab-edit")
    box = page.locator("#mask").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.5, steps=8)
    page.mouse.up()
    page.click("#undo")
    assert page.evaluate("document.getElementById('clear-mask').disabled")
    page.click("#redo")
    page.keyboard.press("]")
    assert page.inner_text("#brush-size-out") == "60"
    page.keyboard.press("[")
    page.fill("#edit-prompt", "a red sofa")
    shot(page, "edit-mask")
    url, parts = sent_form(page, lambda: page.click("#send-edit"))
    assert url.endswith("/v1/images/edits")
    mask = Image.open(io.BytesIO(parts["mask"][0]))
    assert mask.size == (256, 256) and mask.mode == "RGBA"
    assert mask.getpixel((128, 128))[3] == 0  # painted: may change
    assert mask.getpixel((5, 5))[3] == 255  # untouched: kept
    assert parts["prompt"] == ["a red sofa"]
    expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))
    assert page.locator("#results li").count() == 1


def test_composite_edit_sends_every_image(page, srv, tmp_path):
    sign_in(page, srv)
    page.set_input_files("#open-file", str(png_file(tmp_path)))
    page.wait_for_selector("#stage-img[data-kind='final']")
    page.click("#tab-edit")
    page.set_input_files("#extra-file", str(png_file(tmp_path, color=(200, 50, 50))))
    page.wait_for_selector("#extra-inputs li")
    page.fill("#edit-prompt", "Put these in a gift basket")
    url, parts = sent_form(page, lambda: page.keyboard.press("Control+Enter"))
    assert url.endswith("/v1/images/edits") and len(parts["image[]"]) == 2 and "image" not in parts
    expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))


def test_expand_and_variations(page, srv, tmp_path):
    sign_in(page, srv)
    page.set_input_files("#open-file", str(png_file(tmp_path)))
    page.wait_for_selector("#stage-img[data-kind='final']")
    page.click("#tab-expand")
    page.fill("#expand-w", "512")
    page.fill("#expand-h", "512")
    page.check("input[name='anchor'][value='left']", force=True)
    url, parts = sent_form(page, lambda: page.click("#send-expand"))
    assert url.endswith("/v1/images/edits") and parts["size"] == ["512x512"] and parts["anchor"] == ["left"]
    expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))
    assert "512×512" in page.get_attribute("#stage-img", "alt")
    shot(page, "expand")
    page.fill("#var-n", "2")
    page.select_option("#var-size", "256x256")
    page.click("#send-variations")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Done:\ 2"))
    assert page.locator("#results li").count() == 2


def test_gallery_jobs_and_usage(page, srv):
    sign_in(page, srv)
    page.fill("#prompt", 'A poster that says "Grand Opening" on a marble wall, warm light from the left')
    page.select_option("#size", "256x256")
    page.uncheck("#stream")
    page.check("#as-job")
    page.click("#generate")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))
    assert page.is_visible("#plan-box") and '"text' in page.text_content("#plan")  # a job answers with the plan
    page.click("#tab-gallery")
    page.wait_for_selector("#gallery li.item")
    kinds = page.locator("#gallery li.item").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert "generation" in kinds and "masked edit" in kinds and "expand" in kinds and "variation" in kinds
    page.wait_for_selector("#jobs li[data-status='succeeded'] img")
    shot(page, "gallery")
    first = page.locator("#gallery li.item").first
    with page.expect_download() as download:
        first.locator("a", has_text="Download").click()
    assert download.value.suggested_filename.startswith("imagegate-")
    count = page.locator("#gallery li.item").count()
    first.locator("button", has_text="Open").click()
    expect(page.locator("#status")).to_have_text(re.compile(r"^Opened"))
    page.locator("#gallery li.item").first.locator("button", has_text="Delete").click()
    expect(page.locator("#gallery li.item")).to_have_count(count - 1)
    page.keyboard.press("Alt+5")
    page.wait_for_selector("#panel-usage:not([hidden])")
    expect(page.locator("#usage tbody td").nth(4)).to_be_visible()
    assert "Spent $" in page.inner_text("#budget")
    assert "gpt-image-2" in page.inner_text("#usage")


def test_refused_prompt_is_explained(page, srv):
    page.watch.allowed_statuses = {400}
    sign_in(page, srv)
    page.uncheck("#stream")
    page.fill("#prompt", REFUSED)
    page.click("#generate")
    page.wait_for_selector("#error:not([hidden])")
    assert "content policy refused" in page.inner_text("#error") and "Nothing was billed" in page.inner_text("#error")
    shot(page, "refused")


def test_exhausted_budget_is_explained(page, srv):
    page.watch.allowed_statuses = {429}
    tiny = httpx.post(srv.base + "/v1/admin/keys", headers=admin(srv), json={"name": "tiny", "budget_usd": 0.000001}).json()
    sign_in(page, srv, tiny["secret"])
    page.fill("#prompt", "a small boat")
    page.select_option("#size", "256x256")
    page.click("#generate")
    page.wait_for_selector("#error:not([hidden])")
    assert "budget is used up" in page.inner_text("#error")


def test_rate_limit_says_how_long_to_wait(page, srv):
    page.watch.allowed_statuses = {429}
    limited = httpx.post(srv.base + "/v1/admin/keys", headers=admin(srv), json={"name": "slow", "rpm": 1, "budget_usd": 2}).json()
    sign_in(page, srv, limited["secret"])
    page.fill("#prompt", "a kite")  # the estimate takes the one request a minute
    expect(page.locator("#estimate")).to_contain_text("$")
    page.click("#generate")
    page.wait_for_selector("#error:not([hidden])")
    assert re.search(r"Try again in \d+ seconds?", page.inner_text("#error"))
    page.keyboard.press("Alt+5")  # the usage panel: the budget, and the limits from the x-ratelimit-* headers
    expect(page.locator("#limits tbody")).to_contain_text("requests")
    assert "of $2.0000" in page.inner_text("#budget") and "1 requests" in page.inner_text("#budget")
    shot(page, "usage")


DROP_AND_PASTE = """async (how) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 48;
  canvas.getContext('2d').fillRect(0, 0, 64, 48);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  const data = new DataTransfer();
  data.items.add(new File([blob], how + '.png', { type: 'image/png' }));
  const event = how === 'dropped'
    ? new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })
    : new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
  (how === 'dropped' ? document.getElementById('drop') : document.body).dispatchEvent(event);
}"""


def test_drop_and_paste_open_an_image(page, srv):
    sign_in(page, srv)
    page.evaluate(DROP_AND_PASTE, "dropped")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Opened dropped.png \(64×48\)"))
    page.evaluate(DROP_AND_PASTE, "pasted")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Opened pasted.png \(64×48\)"))


def test_narrow_screen_keeps_everything_reachable(page, srv):
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(page, srv)
    for tab in ("generate", "edit", "expand", "gallery", "usage"):
        page.click(f"#tab-{tab}")
        assert page.is_visible(f"#panel-{tab}")
    page.click("#tab-generate")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "tablet")


@pytest.fixture(scope="module")
def open_srv(tmp_path_factory):
    root = tmp_path_factory.mktemp("canvas-open")
    (root / "models.toml").write_text(CONFIG.replace("delay = 1.5", "delay = 0.2"))
    server = Server(root / "data", extra_args=["--config", str(root / "models.toml"), "--no-auth"])
    yield server
    server.stop()


def test_auth_off_needs_no_key(context, open_srv):
    page = context.new_page()
    watch = Watch(page, open_srv.base)
    page.goto(open_srv.base + "/")
    page.click("#signin-button")
    page.wait_for_selector("#app-view:not([hidden])")
    assert "Auth is off" in page.inner_text("#account-name")
    page.fill("#prompt", "a cup")
    page.select_option("#size", "256x256")
    page.click("#generate")
    expect(page.locator("#status")).to_have_text(re.compile(r"^Done"))
    page.close()
    watch.check()


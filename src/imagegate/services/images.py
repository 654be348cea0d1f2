"""The image service: validate -> plan -> engine -> encode -> store -> response."""

from __future__ import annotations

import base64
import dataclasses
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import anyio

from imagegate.config import ModelSpec, Registry
from imagegate.engines.base import EngineRequest, EngineResult, ImageEngine, ProgressCallback
from imagegate.middleware import new_request_id
from imagegate.plan import Plan
from imagegate.protocol.images import ImageGenerationRequest, parse_model
from imagegate.render.encode import encode_image
from imagegate.render.scene import draw_texts
from imagegate.services import planner as planning
from imagegate.services.accounts import Accounts, Admission, Principal
from imagegate.services.ledger import Charge
from imagegate.services.metering import PARTIAL_IMAGE_TOKENS, RecentImages, Usage, cost_micro_usd, count_text_tokens, output_tokens
from imagegate.services.moderation import AllowAllModerator, Moderator, blocked_error
from imagegate.services.search import Research, Researcher, fold_into_prompt, needs_research
from imagegate.services.validation import ResolvedRequest, resolve_request
from imagegate.storage.base import ImageStore
from imagegate.storage.signing import UrlSigner

log = logging.getLogger("imagegate.images")


def research_dict(research: Research) -> dict[str, Any]:
    """The `research` extension field: what grounding found, and where."""
    notes = {"no_provider": "No search provider is configured; the image was made without research.",
             "failed": "Research failed; the image was made without it.", "timeout": "Research timed out; the image was made without it."}
    out: dict[str, Any] = {"status": research.status, "query": research.query, "facts": list(research.facts), "sources": list(research.sources)}
    if research.status in notes:
        out["note"] = notes[research.status]
    return out


def overlay_texts(results: list[EngineResult], plan: Plan) -> list[EngineResult]:
    """The typography post-process: exact text over another engine's pixels."""
    out = []
    for result in results:
        image = result.image.copy()
        draw_texts(image, plan, transparent=image.mode == "RGBA")
        out.append(EngineResult(image=image, seed=result.seed))
    return out


@dataclass
class Call:
    """Who asked and how to answer: filled by the HTTP layer (or the CLI)."""

    principal: Principal = field(default_factory=Principal)
    request_id: str = field(default_factory=new_request_id)
    base_url: str = "http://localhost"
    headers: dict[str, str] = field(default_factory=dict)  # response headers the service adds


@dataclass(frozen=True)
class Work:
    """A validated request, planned and sized, ready for its engine."""

    req: ResolvedRequest
    plan: Plan
    size: tuple[int, int]
    engine_request: EngineRequest
    input_usage: Usage  # text and input-image tokens
    operation: str = "generation"
    input_hashes: tuple[str, ...] = ()  # input images, remembered for cached-input billing
    research: Research | None = None  # web-search grounding, when the prompt asked for it

    @property
    def size_str(self) -> str:
        return f"{self.size[0]}x{self.size[1]}"

    def usage(self, partial_images: int = 0) -> Usage:
        """Input tokens plus output image tokens (and +100 per streamed partial image)."""
        per_image = output_tokens(self.req.spec, self.size[0], self.size[1], self.req.quality)
        return dataclasses.replace(self.input_usage, output_tokens=self.req.n * per_image + partial_images * PARTIAL_IMAGE_TOKENS)


@dataclass(frozen=True)
class GeneratedImage:
    """One finished image: encoded bytes and where it is stored (if it is)."""

    data: bytes
    seed: int
    name: str | None = None


def _size_from_string(size: str) -> tuple[int, int]:
    w, h = size.split("x")
    return int(w), int(h)


class ImageService:
    """Turns a generation request body into an OpenAI-shaped response."""

    def __init__(
        self,
        registry: Registry,
        engines: dict[str, ImageEngine],
        store: ImageStore,
        signer: UrlSigner,
        planner: Any,
        accounts: Accounts,
        public_url: str | None = None,
        moderator: Moderator | None = None,
        researcher: Researcher | None = None,
    ) -> None:
        self.accounts = accounts
        self.moderator = moderator or AllowAllModerator()
        self.researcher = researcher
        self.recent_images = RecentImages()
        self.registry = registry
        self.engines = engines
        self.store = store
        self.signer = signer
        self.planner = planner
        self.public_url = public_url

    def engine_for(self, spec: ModelSpec) -> ImageEngine:
        """The engine instance serving `spec`."""
        return self.engines[spec.id]

    def parse(self, body: Any, model_override: str | None = None) -> ResolvedRequest:
        """Validate a JSON body (400/404 on any problem)."""
        request = parse_model(ImageGenerationRequest, body)
        if request.model_extra:
            log.info("ignoring unknown request fields: %s", ", ".join(sorted(request.model_extra)))
        return resolve_request(self.registry, request, model_override)

    async def plan(self, req: ResolvedRequest) -> tuple[Plan, tuple[int, int]]:
        """Plan the prompt and settle the output size ("auto" follows the plan's aspect)."""
        plan = await planning.make_plan(self.planner, req.prompt)
        size = req.size
        if size is None:
            size = planning.size_for_plan(plan, req.spec.sizes) or _size_from_string(req.spec.default_size)
        return plan, size

    def engine_request(self, req: ResolvedRequest, plan: Plan, size: tuple[int, int], research: Research | None = None) -> EngineRequest:
        """The engine's view of a request: no wire models, everything resolved."""
        prompt = planning.engine_prompt(plan)
        if research is not None and research.facts:
            prompt = fold_into_prompt(research, prompt, prompt)
        options = {**req.spec.options, "engine_prompt": prompt}
        return EngineRequest(
            prompt=req.prompt,
            width=size[0],
            height=size[1],
            n=req.n,
            seed=req.seed,
            quality=req.quality,
            transparent=self.background(req, plan) == "transparent",
            plan=plan,
            options=options,
        )

    @staticmethod
    def background(req: ResolvedRequest, plan: Plan) -> str:
        """The resolved background: auto is transparent only when the prompt asks for it and
        the model and format can do it."""
        if req.background == "auto":
            can = req.spec.transparent_background and req.output_format != "jpeg"
            return "transparent" if plan.transparent and can else "opaque"
        return req.background

    async def screen(self, req: ResolvedRequest, request_id: str) -> None:
        """Content policy on the prompt, before anything is spent (400 moderation_blocked)."""
        result = await self.moderator.check_text(req.prompt, req.moderation)
        if result.flagged:
            raise blocked_error(result, request_id)

    async def research(self, req: ResolvedRequest) -> Research | None:
        """Web-search grounding for prompts that ask for real-world detail (None otherwise)."""
        query = needs_research(req.prompt)
        if query is None:
            return None
        if self.researcher is None or self.researcher.provider is None:
            return Research("no_provider", query)
        return await self.researcher.research(req.prompt)

    async def generate(self, work: Work, on_progress: ProgressCallback | None = None, request_id: str = "") -> list[EngineResult]:
        """Run the engine, set the plan's text where the engine cannot spell, check the output."""
        engine = self.engine_for(work.req.spec)
        results = await engine.generate(work.engine_request, on_progress)
        if work.plan.texts and not getattr(engine, "draws_text", False):
            results = await anyio.to_thread.run_sync(overlay_texts, results, work.plan)
        if getattr(engine, "moderate_outputs", True):
            for result in results:
                verdict = await self.moderator.check_image(result.image, work.req.moderation)
                if verdict.flagged:
                    raise blocked_error(verdict, request_id)
        return results

    async def encode_and_store(self, req: ResolvedRequest, results: list[EngineResult]) -> list[GeneratedImage]:
        """Encode each result off the event loop; store it when a URL is wanted."""

        def work() -> list[GeneratedImage]:
            out = []
            for result in results:
                data = encode_image(result.image, req.output_format, req.output_compression)
                name = self.store.put(data, req.output_format) if req.want_url else None
                out.append(GeneratedImage(data=data, seed=result.seed, name=name))
            return out

        return await anyio.to_thread.run_sync(work)

    def image_url(self, name: str, base_url: str) -> str:
        """An absolute, signed, expiring URL for a stored image."""
        expires, sig = self.signer.sign(name)
        base = (self.public_url or base_url).rstrip("/")
        return f"{base}/v1/files/images/{name}?expires={expires}&sig={sig}"

    def response(self, work: Work, images: list[GeneratedImage], usage: Usage, base_url: str) -> dict[str, Any]:
        """The OpenAI ImagesResponse, with the resolved size/quality/format/background."""
        req, plan, size = work.req, work.plan, work.size
        revised = planning.revised_prompt(plan)
        if work.research is not None and work.research.facts:
            revised = fold_into_prompt(work.research, revised, req.prompt)
        data = []
        for image in images:
            item: dict[str, Any] = {}
            if req.want_b64:
                item["b64_json"] = base64.b64encode(image.data).decode("ascii")
            if req.want_url and image.name:
                item["url"] = self.image_url(image.name, base_url)
            if revised:
                item["revised_prompt"] = revised
            item["seed"] = image.seed
            data.append(item)
        body: dict[str, Any] = {
            "created": int(time.time()),
            "data": data,
            "background": self.background(req, plan),
            "output_format": req.output_format,
            "quality": req.quality,
            "size": f"{size[0]}x{size[1]}",
            "usage": usage.to_wire(),
        }
        if req.include_plan:
            body["plan"] = plan.to_dict()
        if work.research is not None:
            body["research"] = research_dict(work.research)
        return body

    def charge(self, work: Work, usage: Usage, call: Call) -> Charge:
        """The ledger's record of a finished request."""
        req = work.req
        return Charge(
            request_id=call.request_id, model=req.spec.id, size=work.size_str, quality=req.quality,
            n=req.n, usage=usage, cost_micro_usd=cost_micro_usd(req.spec, usage), operation=work.operation,
        )

    async def settle(self, work: Work, admission: Admission, charge: Charge) -> None:
        """Bill a finished request (off the event loop) and remember its input images."""
        await anyio.to_thread.run_sync(self.accounts.settle, admission, charge)
        self.recent_images.add(work.input_hashes)

    async def prepare(self, req: ResolvedRequest, request_id: str = "") -> Work:
        """Screen, plan (with research where asked) and size a generation request."""
        await self.screen(req, request_id)
        plan, size = await self.plan(req)
        research = await self.research(req)
        engine_request = self.engine_request(req, plan, size, research)
        return Work(req, plan, size, engine_request, Usage(text_tokens=count_text_tokens(req.prompt)), research=research)

    async def estimate(self, work: Work) -> dict[str, Any]:
        """Tokens and cost a request would use, without making an image."""
        usage = work.usage(partial_images=work.req.partial_images if work.req.stream else 0)
        cost = cost_micro_usd(work.req.spec, usage)
        return {
            "object": "image.estimate",
            "model": work.req.spec.id,
            "size": work.size_str,
            "quality": work.req.quality,
            "n": work.req.n,
            "usage": usage.to_wire(),
            "cost_micro_usd": cost,
            "cost_usd": cost / 1_000_000,
        }

    async def create_image(self, body: Any, call: Call, *, model_override: str | None = None, on_progress: ProgressCallback | None = None) -> dict[str, Any]:
        """Run a whole generation request and return the response body."""
        return await self.run(await self.prepare(self.parse(body, model_override)), call, on_progress=on_progress)

    async def run(self, work: Work, call: Call, *, on_progress: ProgressCallback | None = None, bill: bool = True) -> dict[str, Any]:
        """Run prepared work, billed to the caller, and return the response body.

        `bill=False` is for a resumed job whose charge is already in the ledger.
        """
        usage = work.usage()
        if not bill:
            images = await self.encode_and_store(work.req, await self.generate(work, on_progress, call.request_id))
            return self.response(work, images, usage, call.base_url)
        async with self.accounts.metered(call.principal, work.req.spec, usage, work.req.n) as admission:
            call.headers.update(admission.headers)
            results = await self.generate(work, on_progress, call.request_id)
            images = await self.encode_and_store(work.req, results)
            await self.settle(work, admission, self.charge(work, usage, call))
        return self.response(work, images, usage, call.base_url)

"""The request pipeline: admit -> prepare (screen, plan, research) -> generate -> post-process ->
encode -> store -> settle. Generations, edits, variations, streaming and jobs all run these
steps; they differ only in the sink that takes the results (`pipeline.sinks`, `pipeline.jobs`).

This is the one place that holds, settles and releases money: `admit` takes a hold sized for
the largest charge the request can make (before anything expensive runs), `execute` settles
what was really used, `close` releases whatever was not settled.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import inspect
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import anyio

from imagegate.accounts.ledger import Charge
from imagegate.accounts.metering import PARTIAL_IMAGE_TOKENS, RecentImages, Usage, cost_micro_usd, count_text_tokens, output_tokens
from imagegate.accounts.service import Accounts, Admission
from imagegate.api.metrics import record_charge
from imagegate.api.wire import ImageGenerationRequest, parse_model
from imagegate.config import Registry
from imagegate.engines.base import EngineCancelled, EngineRequest, EngineResult, ImageEngine, Progress
from imagegate.errors import AuthenticationError, RequestCancelledError
from imagegate.sizes import listed_sizes, parse_size
from imagegate.pipeline.validation import ResolvedRequest, resolve_request
from imagegate.pipeline.work import Call, Done, GeneratedImage, Ticket, Work, in_thread, split_usage
from imagegate.plan import Plan
from imagegate.planning import planner as planning
from imagegate.policy.moderation import DEFAULT_CONTACT, AllowAllModerator, Moderator, blocked_error
from imagegate.render.encode import encode_image
from imagegate.render.scene import draw_texts
from imagegate.research.search import Research, Researcher, fold_into_prompt, needs_research
from imagegate.storage.base import ImageStore
from imagegate.storage.signing import UrlSigner

log = logging.getLogger("imagegate.pipeline")

REVOKED = "the API key was revoked"
LONG_TEXT = 2000  # characters; longer prompts are tokenised in a worker thread
PLAN_CACHE_CHARS = 4000  # rule plans of prompts up to this long are remembered
PLAN_CACHE_SIZE = 512  # prompts
SERVED_MODEL_HEADER = "x-imagegate-served-model"  # when the request named an alias of it
BACKEND_HEADER = "x-imagegate-backend"  # which backend of a gateway model served the request
USAGE_SOURCE_HEADER = "x-imagegate-usage-source"  # "upstream": billed from its usage; "metered": by our rule


class Sink(Protocol):
    """Where results leave: JSON, SSE events or a job record."""

    partial_images: int  # intermediate images wanted per output image

    def on_progress(self, progress: Progress) -> None:
        """Called from the engine's thread (or the event loop) as the work advances."""

    def partial_counts(self, n: int) -> list[int]:
        """How many partial images each output image got (billed at 100 tokens each)."""


class CallbackSink:
    """Progress to a callback, nothing else (the CLI's progress bar)."""

    partial_images = 0

    def __init__(self, callback: Callable[[Progress], None]) -> None:
        self.on_progress = callback

    def partial_counts(self, n: int) -> list[int]:
        return [0] * n


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


def background(req: ResolvedRequest, plan: Plan) -> str:
    """The resolved background: auto is transparent only when the prompt asks for it and the
    model and format can do it."""
    if req.background == "auto":
        can = req.spec.transparent_background and req.output_format != "jpeg"
        return "transparent" if plan.transparent and can else "opaque"
    return req.background


class Pipeline:
    """Runs image requests from admission to settlement."""

    def __init__(
        self,
        registry: Registry,
        engines: dict[str, ImageEngine],
        store: ImageStore,
        signer: UrlSigner,
        planner: Any,
        accounts: Accounts,
        *,
        public_url: str | None = None,
        moderator: Moderator | None = None,
        researcher: Researcher | None = None,
        refusal_contact: str | None = None,
    ) -> None:
        self.registry = registry
        self.engines = engines
        self.store = store
        self.signer = signer
        self.planner = planner
        self.accounts = accounts
        self.public_url = public_url
        self.moderator = moderator or AllowAllModerator()
        self.researcher = researcher
        self.refusal_contact = refusal_contact or DEFAULT_CONTACT  # where a refusal tells the user to write
        self.recent_images = RecentImages()
        self._analyses: OrderedDict[str, tuple[Plan, str | None]] = OrderedDict()  # prompt -> rule plan, research query
        self._active: dict[int | None, set[int]] = {}  # key -> ids of its live tickets
        self._tickets: dict[int, Ticket] = {}

    # -- validate ---------------------------------------------------------------------------
    def parse(self, body: Any, model_override: str | None = None) -> ResolvedRequest:
        """Validate a generation body (400/404 on any problem); cheap, runs before admission."""
        request = parse_model(ImageGenerationRequest, body)
        if request.model_extra:
            log.info("ignoring unknown request fields: %s", ", ".join(sorted(request.model_extra)[:20]))
        return resolve_request(self.registry, request, model_override)

    @staticmethod
    async def text_usage(text: str) -> Usage:
        """The prompt's text tokens (long prompts are tokenised off the event loop)."""
        if len(text) > LONG_TEXT:
            return Usage(text_tokens=await in_thread(count_text_tokens, text))
        return Usage(text_tokens=count_text_tokens(text))

    @staticmethod
    def ceiling(req: ResolvedRequest, inputs: Usage, sizes: Iterable[tuple[int, int]] | None = None) -> Usage:
        """The largest usage the request can end with: the biggest size it may get, every
        partial image it may stream, every input image billed fresh."""
        spec = req.spec
        candidates = [req.size] if req.size else list(sizes or listed_sizes([*spec.sizes, spec.default_size]))
        per_image = max(output_tokens(spec, w, h, req.quality) for w, h in candidates)
        partials = req.n * req.partial_images if req.stream else 0
        fresh = dataclasses.replace(inputs, image_tokens=inputs.image_tokens + inputs.cached_image_tokens, cached_image_tokens=0)
        return dataclasses.replace(fresh, output_tokens=req.n * per_image + partials * PARTIAL_IMAGE_TOKENS)

    # -- admit ------------------------------------------------------------------------------
    async def admit(self, call: Call, req: ResolvedRequest, ceiling: Usage, owner: str | None = None) -> Ticket:
        """Rate limits, then a budget hold sized for `ceiling` (429 when either says no)."""
        admission = await self.accounts.open(call.principal, req.spec, ceiling, req.n, owner=owner or call.request_id)
        call.headers.update(admission.headers)
        if req.model_name != req.spec.id:  # an alias or snapshot name: say which model serves it
            call.headers[SERVED_MODEL_HEADER] = req.spec.id
            log.info("%s: model %r is served by %r", call.request_id, req.model_name, req.spec.id)
        return self._track(Ticket(call, admission))

    async def adopt(self, call: Call, admission: Admission) -> Ticket:
        """A ticket for a hold taken earlier (a job resumed after a restart)."""
        return self._track(Ticket(call, admission))

    async def count_request(self, call: Call) -> None:
        """Count a cheap request against the key's requests-per-minute limit (429 past it)."""
        headers = await self.accounts.rate_limit_async(call.principal, {"requests": 1})
        call.headers.update(headers)

    def _track(self, ticket: Ticket) -> Ticket:
        self._tickets[id(ticket)] = ticket
        self._active.setdefault(ticket.key_pk, set()).add(id(ticket))
        return ticket

    async def close(self, ticket: Ticket) -> None:
        """Release what the ticket holds unless it was settled; safe to call twice, and runs
        even when the caller is being cancelled."""
        self._tickets.pop(id(ticket), None)
        live = self._active.get(ticket.key_pk)
        if live is not None:
            live.discard(id(ticket))
            if not live:
                self._active.pop(ticket.key_pk, None)
        await self.accounts.close(ticket.admission)

    def cancel_key(self, key_pk: int, reason: str = REVOKED) -> int:
        """Cancel every live request of a key (it was revoked); how many there were."""
        ids = list(self._active.get(key_pk, ()))
        for tid in ids:
            ticket = self._tickets.get(tid)
            if ticket is not None:
                ticket.cancel.cancel(reason)
        return len(ids)

    async def watch_revocations(self, interval: float = 2.0) -> None:
        """Forever: cancel the work of keys revoked elsewhere (another process, the CLI)."""
        while True:
            await asyncio.sleep(interval)
            keys = [k for k in self._active if k is not None]
            if not keys:
                continue
            try:
                revoked = await anyio.to_thread.run_sync(self.accounts.keys.revoked_among, keys)
            except Exception:  # noqa: BLE001 - a database hiccup must not end the watch
                log.exception("checking for revoked keys failed")
                continue
            for key_pk in revoked:
                self.cancel_key(key_pk)

    # -- prepare ----------------------------------------------------------------------------
    async def screen(self, req: ResolvedRequest, request_id: str) -> None:
        """Content policy on the prompt (400 moderation_blocked)."""
        result = await self.moderator.check_text(req.prompt, req.moderation)
        if result.flagged:
            raise blocked_error(result, request_id, contact=self.refusal_contact)

    def _analysis(self, prompt: str) -> tuple[Plan, str | None]:
        return self.planner.plan(prompt), needs_research(prompt)

    async def _rule_analysis(self, prompt: str) -> tuple[Plan, str | None]:
        """The rule plan and research query of `prompt`. Both are pure, so those of recent
        short prompts are remembered and answered on the event loop; others are worked out in
        a worker thread (a plan takes about half a millisecond)."""
        if len(prompt) > PLAN_CACHE_CHARS:
            return await in_thread(self._analysis, prompt)
        known = self._analyses.get(prompt)
        if known is not None:
            self._analyses.move_to_end(prompt)
            return known
        known = self._analyses[prompt] = await in_thread(self._analysis, prompt)
        if len(self._analyses) > PLAN_CACHE_SIZE:
            self._analyses.popitem(last=False)
        return known

    async def make_plan(self, prompt: str) -> Plan:
        """The plan (thinking mode, or the rule planner off the event loop)."""
        if inspect.iscoroutinefunction(self.planner.plan):
            return await self.planner.plan(prompt)
        return (await self._rule_analysis(prompt))[0]

    async def analyse(self, prompt: str) -> tuple[Plan, str | None]:
        """The plan and the research query (None: no research asked)."""
        if inspect.iscoroutinefunction(self.planner.plan):
            return await self.planner.plan(prompt), await in_thread(needs_research, prompt)
        return await self._rule_analysis(prompt)

    @staticmethod
    def size_for(req: ResolvedRequest, plan: Plan) -> tuple[int, int]:
        """The output size: as asked, or for "auto" the one the plan's aspect picks."""
        return req.size or planning.size_for_plan(plan, req.spec.sizes) or parse_size(req.spec.default_size) or (1024, 1024)

    async def plan(self, req: ResolvedRequest) -> tuple[Plan, tuple[int, int]]:
        """Plan the prompt and settle the output size."""
        plan = await self.make_plan(req.prompt)
        return plan, self.size_for(req, plan)

    async def research(self, query: str | None, prompt: str) -> Research | None:
        """Web-search grounding for prompts that ask for real-world detail (None otherwise)."""
        if query is None:
            return None
        if self.researcher is None or self.researcher.provider is None:
            return Research("no_provider", query)
        return await self.researcher.research(prompt)

    def engine_request(self, req: ResolvedRequest, plan: Plan, size: tuple[int, int], research: Research | None = None) -> EngineRequest:
        """The engine's view of a request: no wire models, everything resolved."""
        prompt = planning.engine_prompt(plan)
        if research is not None and research.facts:
            prompt = fold_into_prompt(research, prompt, prompt)
        wire = {"output_format": req.output_format, "output_compression": req.output_compression, "background": req.background,
                "moderation": req.moderation, "user": req.user, "quality": req.quality_asked, "style": req.style}
        return EngineRequest(
            prompt=req.prompt, width=size[0], height=size[1], n=req.n, seed=req.seed, quality=req.quality,
            transparent=background(req, plan) == "transparent", plan=plan, engine_prompt=prompt, wire=wire,
        )

    async def prepare(self, req: ResolvedRequest, ticket: Ticket, text: Usage) -> Work:
        """Screen, plan (with research where asked) and size an admitted generation request."""
        await self.screen(req, ticket.call.request_id)
        plan, query = await self.analyse(req.prompt)
        research = await self.research(query, req.prompt)
        return self.work(req, plan, self.size_for(req, plan), text, research)

    def work(self, req: ResolvedRequest, plan: Plan, size: tuple[int, int], text: Usage, research: Research | None) -> Work:
        """A generation's Work from its parts (also how a job rebuilds one it prepared before)."""
        return Work(req, plan, size, self.engine_request(req, plan, size, research), text, research=research)

    # -- generate, post-process, encode, store, settle --------------------------------------
    async def execute(self, work: Work, ticket: Ticket, sink: Sink | None = None, store: ImageStore | None = None) -> Done:
        """Run admitted, prepared work to the end and settle it; with `store`, every image is
        kept there (jobs), else in the image store when a URL is wanted."""
        req = work.req
        engine = self.engines[req.spec.id]
        caps = engine.capabilities
        previews = sink.partial_images if sink is not None and caps.supports_previews else 0
        request = dataclasses.replace(work.engine_request, previews=previews, cancel=ticket.cancel)
        try:
            request.check_cancelled()
            results = await engine.generate(request, sink.on_progress if sink is not None else None)
            draws_text = getattr(results, "draws_text", None)
            if work.plan.texts and not (caps.draws_text if draws_text is None else draws_text):
                results = await in_thread(overlay_texts, results, work.plan)
            request.check_cancelled()
        except EngineCancelled:
            raise self._cancelled(ticket) from None
        screened = getattr(results, "moderates_outputs", None)
        if not (caps.moderates_outputs if screened is None else screened) or work.input_hashes:  # edits carry the caller's own pixels into the output
            for result in results:
                verdict = await self.moderator.check_image(result.image, req.moderation)
                if verdict.flagged:
                    raise blocked_error(verdict, ticket.call.request_id, contact=self.refusal_contact)
        images = await self.encode_and_store(req, results, store)
        upstream = getattr(results, "usage", None)
        backend = getattr(results, "backend", None)
        if backend is not None:  # a gateway engine: say which backend served and whose usage is billed
            ticket.call.headers[BACKEND_HEADER] = backend
            ticket.call.headers[USAGE_SOURCE_HEADER] = "upstream" if upstream is not None else "metered"
        if upstream is not None:  # the upstream's own count, priced with our registry's table
            usage = Usage.from_wire(upstream)
            await self.settle(work, ticket, usage)
            return Done(work, images, usage, split_usage(usage, len(images)))
        partials = sink.partial_counts(req.n) if sink is not None else [0] * req.n
        usage = work.usage(sum(partials))
        await self.settle(work, ticket, usage)
        return Done(work, images, usage, work.image_usages(partials))

    @staticmethod
    def _cancelled(ticket: Ticket) -> Exception:
        if ticket.cancel.reason == REVOKED:
            return AuthenticationError("The API key was revoked while the request was running.", code="invalid_api_key")
        return RequestCancelledError(f"The request was cancelled: {ticket.cancel.reason}.", code="request_cancelled")

    async def encode_and_store(self, req: ResolvedRequest, results: list[EngineResult], store: ImageStore | None = None) -> list[GeneratedImage]:
        """Encode each result off the event loop; store it in `store`, or in the image store
        when a URL is wanted."""
        target = store or (self.store if req.want_url else None)

        def run() -> list[GeneratedImage]:
            out = []
            for result in results:
                if result.encoded is not None and result.encoded_format == req.output_format:
                    data = result.encoded  # an upstream's bytes, as it sent them
                else:
                    data = encode_image(result.image, req.output_format, req.output_compression)
                name = target.put(data, req.output_format) if target is not None else None
                out.append(GeneratedImage(data=data, seed=result.seed, name=name))
            return out

        return await in_thread(run)

    async def settle(self, work: Work, ticket: Ticket, usage: Usage) -> None:
        """Charge what was used (once), release the rest of the hold, remember input images."""
        req = work.req
        charge = Charge(
            request_id=ticket.owner, model=req.spec.id, size=work.size_str, quality=req.quality, n=req.n,
            usage=usage, cost_micro_usd=cost_micro_usd(req.spec, usage), operation=work.operation,
        )
        with anyio.CancelScope(shield=True):  # a charge half-written by a disconnect is worse than a late one
            await self.accounts.settle_async(ticket.admission, charge)
        record_charge(charge)
        if work.input_hashes:
            if getattr(self.recent_images, "blocking", False):  # shared (Redis): off the event loop
                await in_thread(self.recent_images.add, work.input_hashes)
            else:
                self.recent_images.add(work.input_hashes)

    async def create_image(self, call: Call, body: Any, on_progress: Callable[[Progress], None] | None = None) -> dict[str, Any]:
        """A whole generation in-process (the CLI), through the same steps as the HTTP route."""
        req = self.parse(body)
        text = await self.text_usage(req.prompt)
        ticket = await self.admit(call, req, self.ceiling(req, text))
        try:
            work = await self.prepare(req, ticket, text)
            done = await self.execute(work, ticket, CallbackSink(on_progress) if on_progress else None)
            return self.response(done, call.base_url)
        finally:
            await self.close(ticket)

    # -- answers ----------------------------------------------------------------------------
    def image_url(self, name: str, base_url: str) -> str:
        """An absolute, signed, expiring URL for a stored image."""
        expires, sig = self.signer.sign(name)
        base = (self.public_url or base_url).rstrip("/")
        return f"{base}/v1/files/images/{name}?expires={expires}&sig={sig}"

    def revised_prompt(self, work: Work) -> str | None:
        revised = planning.revised_prompt(work.plan)
        if work.research is not None and work.research.facts:
            revised = fold_into_prompt(work.research, revised, work.req.prompt)
        return revised

    def response(self, done: Done, base_url: str) -> dict[str, Any]:
        """The OpenAI ImagesResponse, with the resolved size/quality/format/background."""
        work = done.work
        req = work.req
        revised = self.revised_prompt(work)
        data = []
        for image in done.images:
            item: dict[str, Any] = {}
            if req.want_b64:
                item["b64_json"] = base64.b64encode(image.data).decode("ascii")
            if req.want_url and image.name:
                item["url"] = self.image_url(image.name, base_url)
            if revised:
                item["revised_prompt"] = revised
            item["seed"] = image.seed
            data.append(item)
        body: dict[str, Any] = {"created": int(time.time()), "data": data, **self.echo(work), "usage": done.usage.to_wire()}
        if req.include_plan:
            body["plan"] = work.plan.to_dict()
        if work.research is not None:
            body["research"] = research_dict(work.research)
        return body

    @staticmethod
    def echo(work: Work) -> dict[str, str]:
        """The resolved settings every response and stream event repeats."""
        return {"background": background(work.req, work.plan), "output_format": work.req.output_format, "quality": work.req.quality, "size": work.size_str}

    async def estimate(self, req: ResolvedRequest) -> dict[str, Any]:
        """Tokens and cost a generation would use, without making an image (no screening or
        research: only the plan, when the size is auto)."""
        text = await self.text_usage(req.prompt)
        size = req.size or (await self.plan(req))[1]
        usage = self.ceiling(req, text, [size])  # with the size known, the ceiling is the charge
        cost = cost_micro_usd(req.spec, usage)
        return {
            "object": "image.estimate", "model": req.spec.id, "size": f"{size[0]}x{size[1]}", "quality": req.quality, "n": req.n,
            "usage": usage.to_wire(), "cost_micro_usd": cost, "cost_usd": cost / 1_000_000,
        }

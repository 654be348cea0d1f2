"""ChatPlanner: an OpenAI-compatible chat model plans the image; the rule planner is the fallback.

It asks for the plan as one JSON object, validates it against the Plan's fields, keeps only
text the prompt really quotes, and falls back to `RulePlanner` (with a note in the plan) on a
timeout, an HTTP error or an answer that does not parse.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import replace
from typing import Any

import httpx

from imagegate.plan import Plan
from imagegate.planning.planner import RulePlanner

CHAT_SYSTEM_PROMPT = """You plan images. Read the user's image prompt (in any language) and answer with ONE JSON object, no prose:
{"aspect": "landscape|portrait|square|null", "background": "marble|wood|paper|sky|studio|concrete|fabric|water|night city|night sky|bokeh|gradient|plain",
 "setting": str|null (kitchen, forest, beach, city, street, cafe, desert, field, harbor, ...), "palette": [[r,g,b], ...] (dominant background colour first, then secondary, then accents;
 follow the time of day: sunset warm oranges and pinks, dawn soft pink and pale blue, night dark blue),
 "lighting": str|null (e.g. "dramatic side", "soft studio", "golden hour", "backlit", "neon", "candle-lit", "moonlight", "overcast", "natural"),
 "light_direction": "left|right|top|bottom|front|back|null",
 "time_of_day": "dawn|morning|noon|afternoon|golden hour|sunset|dusk|night|null", "weather": "clear|mist|rain|snow|storm|overcast|null",
 "subjects": [{"name": English noun phrase, "kind": "watch|person|bottle|tree|building|animal|car|phone|cup|flower|mountain|water|sky|sign|object",
               "placement": "center|left third|right third|upper left|upper right|lower left|lower right|top|bottom|foreground|background", "scale": 0.05-1.2,
               "count": int (3 for "three apples"), "material": str|null (glass, ceramic, leather, gold, wood, ...),
               "depth": "foreground|midground|background|null",
               "relation": "on|beside|in front of|behind|under|above|in|held by|against|between|null", "anchor": name of the subject or surface it relates to|null}],
 "surfaces": [{"name": str ("brick wall", "wooden table"), "kind": "windowsill|wall|table|desk|counter|shelf|floor|street|road|ground|grass|rock|surface|...", "material": str|null}],
 "relations": [{"subject": name, "relation": one of the relations above, "anchor": name}] (every relation the prompt states),
 "effects": [{"kind": "reflection|shadow|glow|bokeh|steam|smoke|sparkle|light rays|motion blur|condensation|lens flare|silhouette", "target": subject name|null, "on": where|null}],
 "texts": [{"text": exact quoted string from the prompt, "style": "sans|serif|script|mono|display", "weight": "regular|bold",
            "position": same words as placement, "size": "small|medium|large|headline", "color": [r,g,b]|null, "language": BCP-47|null,
            "carrier": what it is written on (sign, label, poster, screen, t-shirt, mug, book cover, ...)|null}],
 "mood": str|null, "tone": str|null, "format": str|null, "medium": str|null, "transparent": bool, "research": bool,
 "notes": [short reasoning steps]}
Keep every concrete thing the prompt names: each subject with its count, position and relations, the surfaces, time of day, weather, materials, reflections and shadows.
Copy text to be rendered character for character; never invent text the prompt does not quote."""


# A Markdown code fence around the answer: "```json" at the start, "```" at the end. The closing
# fence is looked for only from where a run of spaces starts (starting inside one would read the
# same spaces again), and a fence around nothing is dropped whole.
_FENCE = re.compile(r"^\s*```(?:json)?\s*```\s*$|^\s*```(?:json)?\s*|(?<!\s)\s*```\s*$")


class ChatPlanner:
    """Asks an OpenAI-compatible /chat/completions endpoint for a JSON plan; falls back to rules."""

    source = "chat"

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        fallback: RulePlanner | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.fallback = fallback or RulePlanner()
        self._client = client
        self._owns_client = client is None

    async def plan(self, prompt: str) -> Plan:
        """Plan with the chat model; on error, timeout or a bad answer use the rule planner."""
        rules = await asyncio.to_thread(self.fallback.plan, prompt)  # CPU work: never on the event loop
        try:
            data = await asyncio.wait_for(self._ask(prompt), self.timeout)
            plan = Plan.from_dict(data, prompt=prompt)
        except (httpx.HTTPError, TimeoutError, ValueError, KeyError, IndexError, TypeError) as exc:
            reason = type(exc).__name__ + (f": {exc}" if str(exc) else "")
            return replace(rules, notes=(*rules.notes, f"chat planner failed ({reason[:160]}); used the rule planner"))
        return self._checked(plan, rules)

    async def _ask(self, prompt: str) -> dict[str, Any]:
        client = self._client
        if client is None:
            client = self._client = httpx.AsyncClient(timeout=self.timeout)
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": CHAT_SYSTEM_PROMPT}, {"role": "user", "content": prompt}],
        }
        response = await client.post(f"{self.base_url}/chat/completions", json=body, headers=headers, timeout=self.timeout)
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
        if not isinstance(content, str):
            raise ValueError("the chat answer has no text content")
        content = _FENCE.sub("", content)
        data = json.loads(content)  # json.JSONDecodeError is a ValueError
        if not isinstance(data, dict):
            raise ValueError("the chat answer is not a JSON object")
        return data

    def _checked(self, plan: Plan, rules: Plan) -> Plan:
        """Keep only text the prompt really quotes; score complexity with the rule planner's points."""
        kept = tuple(t for t in plan.texts if t.text in plan.prompt)
        notes = [f"chat planner: {self.model}", *plan.notes]
        if len(kept) < len(plan.texts):
            notes.append(f"dropped {len(plan.texts) - len(kept)} text element(s) not quoted in the prompt")
        kept_texts = {k.text for k in kept}
        missing = tuple(t for t in rules.texts if t.text not in kept_texts)
        if missing:
            notes.append(f"added {len(missing)} quoted string(s) the chat plan left out")
        carriers = {t.text: t.carrier for t in rules.texts}
        texts = tuple(t if t.carrier or not carriers.get(t.text) else replace(t, carrier=carriers[t.text]) for t in kept + missing)
        filled = {name: getattr(rules, name) for name in ("surfaces", "time_of_day", "weather", "effects", "relations")
                  if not getattr(plan, name) and getattr(rules, name)}
        if filled:
            notes.append("from the rule planner: " + ", ".join(filled))
        return replace(
            plan, texts=texts, complexity=rules.complexity, thinking=rules.thinking, source="chat", notes=tuple(notes), **filled
        )

    async def aclose(self) -> None:
        """Close the HTTP client if this planner made it."""
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

"""Planner ("thinking mode"): turns a prompt into an engine-neutral Plan.

Placeholder rule planner: pulls quoted strings out as text elements. (Being replaced by the
full rule planner of the thinking-mode issue.)
"""

from __future__ import annotations

import re

from imagegate.plan import Plan, TextElement

_QUOTED = re.compile(r"[\"“«„「『](.+?)[\"”»“」』]|(?<!\w)'(.+?)'(?!\w)")


def plan_prompt(prompt: str) -> Plan:
    """Read a prompt into a Plan."""
    texts = tuple(TextElement(text=(a or b).strip()) for a, b in _QUOTED.findall(prompt) if (a or b).strip())
    return Plan(prompt=prompt, texts=texts)


def revised_prompt(plan: Plan) -> str | None:
    """A readable rewrite of the prompt from the plan, or None when nothing was added."""
    return None


class RulePlanner:
    """Rule-based planner (placeholder)."""

    def plan(self, prompt: str) -> Plan:
        return plan_prompt(prompt)


async def make_plan(planner, prompt: str) -> Plan:
    result = planner.plan(prompt)
    return await result if hasattr(result, "__await__") else result


def size_for_plan(plan: Plan, sizes: list[str]) -> tuple[int, int] | None:
    return None

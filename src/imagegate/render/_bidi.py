"""A small subset of the Unicode bidi algorithm (UAX #9) for ordering font runs on a line.

RAQM/FriBiDi does the full algorithm inside each run we hand it; this module only has to decide
which runs are right-to-left and in what visual order to place them, because a line that mixes
fonts is drawn run by run. Explicit embeddings and isolates are treated as neutrals.
"""

from __future__ import annotations

import unicodedata

_RTL = frozenset({"R", "AL"})
_NUMBERS = frozenset({"EN", "AN"})


def is_rtl_paragraph(text: str) -> bool:
    """True when the first strong character of `text` is right-to-left (rule P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return False
        if kind in _RTL:
            return True
    return False


def _strong_directions(text: str, rtl: bool) -> list[str | None]:
    """Per character 'L', 'R' or None (neutral); numbers follow the last strong letter (W2, W7)."""
    out: list[str | None] = []
    last = "R" if rtl else "L"
    prev: str | None = None
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "NSM":  # W1: a combining mark takes the class of its base
            out.append(prev)
            continue
        if kind == "L" or kind in _RTL:
            prev = last = "L" if kind == "L" else "R"
        elif kind == "AN":
            prev = "R"
        elif kind == "EN":
            prev = last
        else:
            prev = None
        out.append(prev)
    return out


def resolve_levels(text: str, rtl: bool) -> list[int]:
    """Embedding level per character: 0/2 for left-to-right, 1 for right-to-left text."""
    dirs = _strong_directions(text, rtl)
    base = "R" if rtl else "L"
    resolved: list[str] = []
    i = 0
    while i < len(dirs):
        if dirs[i] is not None:
            resolved.append(dirs[i])
            i += 1
            continue
        j = i
        while j < len(dirs) and dirs[j] is None:
            j += 1
        before = resolved[-1] if resolved else base
        after = dirs[j] if j < len(dirs) else base
        # N1/N2: neutrals between two runs of one direction take it, else the paragraph's.
        resolved.extend([before if before == after else base] * (j - i))
        i = j
    return [1 if d == "R" else (2 if rtl else 0) for d in resolved]


def visual_order(levels: list[int]) -> list[int]:
    """Indices of runs (given their levels, in logical order) in left-to-right visual order (L2)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(lv for lv in levels if lv % 2) if any(lv % 2 for lv in levels) else max(levels) + 1
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order

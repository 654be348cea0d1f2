"""Text work for research grounding: does a prompt need the web, and which sentences matter.

`needs_research` looks for three things: an explicit ask ("research", "look up", "latest",
"current", "accurate"), a known landmark, place, brand or product from a small gazetteer, and
product- or place-like names (runs of capitalised words, camel-case brands like "iPhone", a
name with a model number like "Pixel 9"), outside quoted text (which is text to draw).

`extract_facts` keeps the sentences that help draw the thing: colours, shapes, materials,
lettering and logos, layout, dimensions. Each sentence scores one point per kind it mentions
(two for a measurement), loses points for shop and web boilerplate, and the best few are kept.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from imagegate.plan import COLORS

# Landmarks, places and brands/products worth looking up (lower case; matched as phrases).
GAZETTEER = (
    "eiffel tower", "taj mahal", "golden gate bridge", "statue of liberty", "big ben", "colosseum", "sydney opera house",
    "burj khalifa", "machu picchu", "great wall of china", "mount fuji", "sagrada familia", "christ the redeemer",
    "petra", "angkor wat", "times square", "brandenburg gate", "louvre", "stonehenge", "empire state building",
    "tower bridge", "leaning tower of pisa", "notre dame", "acropolis", "parthenon", "kremlin", "st basil's cathedral",
    "forbidden city", "chichen itza", "neuschwanstein", "hagia sophia", "mont saint-michel", "space needle",
    "cn tower", "marina bay sands", "petronas towers", "shibuya crossing", "hollywood sign", "mount rushmore",
    "iphone", "ipad", "macbook", "apple watch", "airpods", "vision pro", "pixel", "galaxy s", "galaxy z", "playstation",
    "xbox", "nintendo switch", "steam deck", "tesla model", "cybertruck", "porsche 911", "ford mustang", "vw beetle",
    "volkswagen beetle", "boeing 747", "boeing 787", "airbus a380", "concorde", "rolex submariner", "omega speedmaster",
    "air jordan", "nike air max", "adidas samba", "coca-cola", "starbucks", "lego", "kindle", "gopro", "dji mavic",
    "leica", "fender stratocaster", "gibson les paul", "vespa", "mini cooper", "land rover defender", "jeep wrangler",
)
# Capitalised words that are styles, seasons or ordinary sentence openers rather than names.
NOT_NAMES = {
    "a", "an", "the", "in", "on", "at", "of", "for", "with", "and", "or", "my", "our", "this", "that", "make", "create",
    "draw", "generate", "show", "render", "paint", "design", "photo", "picture", "image", "poster", "portrait", "logo",
    "art", "deco", "nouveau", "victorian", "gothic", "baroque", "renaissance", "japanese", "chinese", "french", "italian",
    "christmas", "halloween", "easter", "new", "year", "years", "eve", "day", "night", "mr", "mrs", "ms", "dr", "i",
    "ui", "ux", "hd", "4k", "8k", "3d", "2d", "rgb", "usa", "uk", "eu", "monday", "friday", "sunday", "cinematic",
    "please", "research", "latest", "current", "use", "real", "accurate", "exact", "official",
}
ASKS = re.compile(
    r"\b(?:research(?:ed)?|look(?:ing)?\s+up|search\s+for|latest|current(?:ly)?|newest|up[- ]to[- ]date|this\s+year'?s|"
    r"accurate(?:ly)?|real[- ]world|actual|official|authentic|exact(?:ly)?\s+as|as\s+it\s+(?:looks|is)\s+(?:today|now))\b",
    re.IGNORECASE,
)
# Quoted text: "…", “…” and '…' (at least two characters, no letter right after it); see `_unquoted`.
_QUOTE_MARK = re.compile("[\"“']")
_CLOSING_CURLY = re.compile("”")
# A name the prompt itself makes up ("a bakery called Sunrise Bread") is text, not a thing to look up.
_COINED = re.compile(r"\b(?:called|named|titled|entitled|reading|reads|says|saying|brand(?:ed)?\s+as)\s+(?:[A-Z][\w'&.-]*\s*)+")
# A camel-case word ("iPhone") is read from the start of its lower-case run: tried from inside the
# run too, it would read the rest of the run again from every letter.
_NAME = re.compile(r"(?:[A-Z][\w'&.-]*|(?<![a-z])[a-z]+[A-Z][\w-]*)(?:\s+(?:[A-Z][\w'&.-]*|\d[\w.-]*|[a-z]+[A-Z][\w-]*|of|de|la|the))*")
_MODEL = re.compile(r"\b[A-Z][a-zA-Z]+\s+\d+[A-Za-z]*\b|\b[a-z]+[A-Z]\w*\b")


def _unquoted(prompt: str) -> str:
    """The prompt with each quoted string replaced by a space.

    “…” is looked for with the position of the next ” remembered: a regex would look for it
    again from every “ in a text full of them."""
    out: list[str] = []
    last = pos = 0
    curly: tuple[int, int | None] | None = None  # (searched from, the next ” from there)
    while (m := _QUOTE_MARK.search(prompt, pos)) is not None:
        i, mark = m.start(), m.group()
        if mark == '"':
            j = prompt.find('"', i + 1)
            ok = j >= 0
        elif mark == "“":
            if curly is None or not (curly[0] <= i + 1 and (curly[1] is None or curly[1] >= i + 1)):
                found = _CLOSING_CURLY.search(prompt, i + 1)
                curly = (i + 1, found.start() if found else None)
            j = curly[1] if curly[1] is not None else -1
            ok = j >= 0
        else:  # ' ... ' around at least two characters, with no lower-case letter right after it
            j = prompt.find("'", i + 1)
            ok = j >= i + 3 and not (j + 1 < len(prompt) and "a" <= prompt[j + 1] <= "z")
        if ok:
            out += [prompt[last:i], " "]
            last = pos = j + 1
        else:
            pos = i + 1
    return "".join([*out, prompt[last:]])


def _names(text: str) -> list[str]:
    names = []
    for m in _NAME.finditer(text):
        words = [w for w in m.group(0).split() if w.lower() not in NOT_NAMES]
        while words and words[-1].lower() in {"of", "de", "la", "the"}:
            words.pop()
        if not words:
            continue
        name = " ".join(words)
        before = m.start()  # the prompt before the name, less trailing spaces, ends a sentence?
        while before and text[before - 1].isspace():
            before -= 1
        at_start = m.start() == 0 or (before > 0 and text[before - 1] in ".!?:")
        if len(words) >= 2 or _MODEL.search(name) or not at_start:
            names.append(name)
    return names


_WORD_CHAR = re.compile(r"\w")


def _starts_a_word(term: str, text: str) -> bool:
    """Whether `term` occurs in `text` with no letter, digit or "_" right before it, found by
    plain substring search (a regex with a lookbehind first cannot look for the term's letters)."""
    i = text.find(term)
    while i > 0 and _WORD_CHAR.match(text, i - 1):
        i = text.find(term, i + 1)
    return i >= 0


def needs_research(prompt: str) -> str | None:
    """The web-search query a prompt calls for, or None when it needs no real-world detail."""
    text = _COINED.sub(" ", _unquoted(prompt))
    lowered = text.lower()
    known = [g for g in GAZETTEER if _starts_a_word(g, lowered)]
    names = _names(text)
    asked = ASKS.search(text)
    named = [n for n in names if len(n.split()) >= 2 or _MODEL.search(n)]
    if not known and not named and not (asked and names):
        return None
    subject = named[0] if named else names[0] if names else None
    if known and (subject is None or known[0] not in subject.lower()):
        subject = _phrase_around(text, known[0])
    query = subject or known[0]
    owner = re.search(rf"\b([a-z]+)\s+of\s+(?:the\s+)?{re.escape(query)}", text)
    if owner and owner.group(1) not in NOT_NAMES:
        query = f"{owner.group(1)} of {query}"  # "flag of Mississippi", not just "Mississippi"
    recent = re.search(r"\b(?:latest|newest|current|this year'?s|up[- ]to[- ]date)\b", text, re.IGNORECASE)
    if recent and recent.group(0).lower() not in query.lower():
        query = f"{recent.group(0).lower()} {query}"
    return query


def _phrase_around(text: str, term: str) -> str:
    """The gazetteer term as written in the prompt, with a model number that follows it."""
    m = re.search(rf"(?i)(?<!\w){re.escape(term)}(?:\s+\w*\d[\w-]*)*(?:\s+(?:pro|max|ultra|plus|mini|air))*", text)
    return m.group(0) if m else term


# ---------------------------------------------------------------- HTML to text

class _TooMuchRereading(Exception):
    """The markup has the parser read the same stretch of it again and again."""


class _TextOnly(HTMLParser):
    """Collects the visible text.

    Python's parser looks for the end of a tag, comment or declaration from each place one
    starts and, where none ends, reads on to the end of the markup; markup full of openings that
    never close ("<a <a <a ...") takes it quadratic time. Each such look is charged, by the
    stretch it read, to a budget of a few times the markup's length, which well-formed markup
    never comes near; past it, `strip_html` reads the markup with `_plain_text` instead.
    """

    SKIP = frozenset({"script", "style", "noscript", "nav", "header", "footer", "svg", "form", "button", "aside", "template"})
    BLOCKS = frozenset({"p", "br", "li", "h1", "h2", "h3", "h4", "div", "tr", "section", "article"})
    BLOCK_ENDS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "div", "tr"})

    def __init__(self, budget: int | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.budget = budget

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.depth += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        elif tag in self.BLOCK_ENDS:
            self.parts.append(". " if tag.startswith("h") else "\n")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)

    def _charged(self, i: int, end: int) -> int:
        if self.budget is not None:
            self.budget -= (end if end > i else len(self.rawdata)) - i
            if self.budget < 0:
                raise _TooMuchRereading
        return end

    def parse_starttag(self, i: int) -> int:
        return self._charged(i, super().parse_starttag(i))

    def parse_endtag(self, i: int) -> int:
        return self._charged(i, super().parse_endtag(i))

    def parse_comment(self, i: int, report: int = 1) -> int:
        return self._charged(i, super().parse_comment(i, report))

    def parse_pi(self, i: int) -> int:
        return self._charged(i, super().parse_pi(i))

    def parse_html_declaration(self, i: int) -> int:
        return self._charged(i, super().parse_html_declaration(i))


# The fallback for markup the parser cannot read in linear time: a tag is "<" up to the next ">"
# with no "<" in between (read once: the runs are possessive); the rest is text.
_TAG_OR_TEXT = re.compile(r"<(/?)([a-zA-Z][^\s/<>]*+)?[^<>]*+>|[^<]+|<")


def _plain_text(markup: str) -> list[str]:
    """The visible text of markup, by a simpler reading than the parser's, in linear time."""
    reader = _TextOnly()
    for m in _TAG_OR_TEXT.finditer(markup):
        if m.group(0).startswith("<") and len(m.group(0)) > 1:
            if m.group(2) and m.group(1):
                reader.handle_endtag(m.group(2).lower())
            elif m.group(2):
                reader.handle_starttag(m.group(2).lower(), [])
        else:
            reader.handle_data(html.unescape(m.group(0)))
    return reader.parts


_LINE_BREAK = re.compile(r"(?<!\s)\s*\n\s*")  # a run of spaces with a line break, matched from the run's start


def strip_html(markup: str, limit: int = 20000) -> str:
    """Visible text of an HTML page or snippet (scripts, styles and navigation dropped)."""
    if "<" not in markup:
        return re.sub(r"\s+", " ", html.unescape(markup)).strip()[:limit]
    parser = _TextOnly(budget=8 * len(markup) + 100_000)
    try:
        parser.feed(markup)
        parser.close()
        parts = parser.parts
    except (_TooMuchRereading, AssertionError):  # the parser gives up on some broken markup ("<![<![")
        parts = _plain_text(markup)
    text = "".join(parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = _LINE_BREAK.sub("\n", text)
    return text.strip()[:limit]


# ---------------------------------------------------------------- facts

_COLOURS = sorted(COLORS, key=len, reverse=True)
VISUAL = {
    "colour": _COLOURS + ["colour", "color", "colours", "colors", "hue", "tint", "finish", "matte", "glossy", "metallic", "pastel"],
    "shape": ["round", "rounded", "square", "rectangular", "circular", "curved", "oval", "triangular", "hexagonal",
              "cylindrical", "dome", "domed", "arch", "arches", "spire", "tower", "pointed", "flat", "slim", "tapered",
              "shape", "shaped", "silhouette", "lattice", "columns", "minaret", "bezel", "notch"],
    "material": ["steel", "stainless", "glass", "aluminium", "aluminum", "titanium", "iron", "wrought", "brick", "stone",
                 "marble", "wood", "wooden", "concrete", "leather", "plastic", "ceramic", "granite", "sandstone",
                 "limestone", "copper", "bronze", "fabric", "canvas", "suede", "rubber", "carbon fibre", "carbon fiber"],
    "text": ["logo", "logos", "lettering", "wordmark", "inscription", "sign", "emblem", "badge", "font", "typeface",
             "label", "text", "monogram", "engraved", "printed"],
    "layout": ["front", "back", "rear", "top", "bottom", "side", "sides", "left", "right", "centre", "center", "above",
               "below", "arranged", "layout", "facade", "façade", "camera", "display", "screen", "buttons", "corner",
               "grid", "symmetrical", "levels", "platforms", "entrance"],
}
# A number and a unit. A run of digits, commas and points is read once, from its start, up to its
# first digit that starts a word: any later start in the same run would end the same way.
_UNITS = re.compile(r"(?<![\d,.])(?>[\d,.]*?\b\d)[\d,.]*+\s*+(?:m|metres|meters|ft|feet|foot|in|inch|inches|mm|cm|km|"
                    r"storeys|stories|floors|tall|high|wide|long|mph|km/h|kg|lb)\b", re.IGNORECASE)
_BOILERPLATE = re.compile(r"\b(?:cookies?|subscribe|sign up|log in|click|buy now|add to cart|shipping|price|prices|"
                          r"\$\d|€\d|£\d|deal|discount|review(?:s|ed)?|rating|newsletter|advertisement|sponsored|"
                          r"privacy policy|terms of|all rights reserved|javascript)\b", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])|\n+")
_WORD_SETS = {kind: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", re.IGNORECASE)
              for kind, words in VISUAL.items()}


def score_sentence(sentence: str) -> int:
    """How much a sentence tells an illustrator: one point per kind of visual detail, two for a measurement."""
    score = sum(1 for pattern in _WORD_SETS.values() if pattern.search(sentence))
    if _UNITS.search(sentence):
        score += 2
    if _BOILERPLATE.search(sentence):
        score -= 3
    return score


def sentences(text: str) -> list[str]:
    out = []
    for s in _SENTENCES.split(text):
        s = s.strip(" -•·|\t")
        if 25 <= len(s) <= 300:
            out.append(s if s.endswith((".", "!", "?")) else s + ".")
    return out


def extract_facts(texts: list[str], limit: int = 5, min_score: int = 2) -> list[str]:
    """The sentences of `texts` most useful for drawing, best first, without repeats."""
    scored = []
    seen = set()
    for order, text in enumerate(texts):
        for i, sentence in enumerate(sentences(text)):
            key = re.sub(r"\W+", " ", sentence.lower()).strip()
            if key in seen:
                continue
            seen.add(key)
            score = score_sentence(sentence)
            if score >= min_score:
                scored.append((-score, order, i, sentence))
    scored.sort()
    return [s for *_, s in scored[:limit]]

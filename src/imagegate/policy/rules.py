"""The rule layer of the moderator: a policy file compiled to regexes, and scoring a text with it.

The policy format is described at the top of `imagegate/moderation_policy.toml`. Its
`[core_vocabulary]` section (`CORE`) holds harmful-side term lists only (category terms and
lexicon words, see `core_vocabulary`); they are compiled into the category strength or lexicon of
the same name, unless a caller asks for the policy without them (`core=False`, for measuring).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from imagegate.policy._regex_cache import RegexCache
from imagegate.policy import normalize as _normalize
from imagegate.policy.normalize import RUN_LIMIT, WORD_START, Token, term_tokens, views

CATEGORIES = ("sexual", "sexual/minors", "violence/graphic", "self-harm", "hate", "harassment", "illicit")
LEVELS = ("auto", "low")
STRENGTHS = ("strong", "medium", "weak")


class PolicyError(ValueError):
    """The policy file is malformed."""


CORE = "core_vocabulary"


def core_vocabulary(raw: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The `[core_vocabulary]` section of a parsed policy, checked: (category -> strength -> term
    lists, lexicon -> term lists). Only term lists that add hits are allowed there: strengths of
    known categories and words of lexicons the policy defines; an allow-list, a pattern, semantic
    settings or anything else is refused (`PolicyError`), so the section can never exempt."""
    core = raw.get(CORE) or {}
    if not isinstance(core, dict):
        raise PolicyError(f"{CORE}: expected a table")
    unknown = set(core) - {"categories", "lexicons"}
    if unknown:
        raise PolicyError(f"{CORE}: only `categories` and `lexicons` term lists belong here, not {sorted(unknown)}")
    categories = core.get("categories") or {}
    for name, table in categories.items():
        if name not in CATEGORIES:
            raise PolicyError(f"{CORE}.categories: unknown category {name!r}")
        if not isinstance(table, dict) or set(table) - set(STRENGTHS):
            raise PolicyError(f"{CORE}.categories.{name}: only {', '.join(STRENGTHS)} term lists (no patterns)")
        for strength, terms in table.items():
            if isinstance(terms, dict) and "patterns" in terms:
                raise PolicyError(f"{CORE}.categories.{name}.{strength}: no patterns here")
    lexicons = core.get("lexicons") or {}
    for name, table in lexicons.items():
        if name not in raw.get("lexicons", {}):
            raise PolicyError(f"{CORE}.lexicons: {name!r} is not a lexicon of this policy")
        if isinstance(table, dict) and "patterns" in table:
            raise PolicyError(f"{CORE}.lexicons.{name}: no patterns here")
    return categories, lexicons


_MARK_RUN = re.compile(rf"([^\w\s])\1{{{RUN_LIMIT},}}")

# After a term's first character: the character before that one is not a letter or digit.
_WORD_STARTED = r"(?<![^\W_][\s\S])"


def _term_tokens(term: str) -> list[Token]:
    """A term's tokens (`normalize.term_tokens`) with its word-boundary check, which goes after
    its first character so that a term that cannot start at a position fails on that character."""
    tokens, word = term_tokens(term)
    if not word:
        return tokens
    if tokens and tokens[0][0] == "char":
        return [tokens[0], ("fixed", _WORD_STARTED, None), *tokens[1:]]
    return [("fixed", WORD_START, None), *tokens]


def term_regex(term: str) -> str:
    """The regex the rules match for one term, on its own (`normalize.term_pattern`, with the
    word-start check after the first character, so that a search skips to that character)."""
    return "".join(source for _, source, _ in _term_tokens(term))


def _ranked(alternatives: list[list[Token]]) -> list[list[Token]]:
    """The alternatives, those that start with a single character sorted by that character.

    Only alternatives that can never both get past their first character at the same position
    change places (their first characters are different text characters: "[i1!|]", "[l1!|]"
    and "1" share one and keep their order); an alternative that starts otherwise stays put.
    """
    out: list[list[Token]] = []
    segment: list[list[Token]] = []

    def flush() -> None:
        # Union-find over the first characters: those that share a text character join a bucket,
        # named by its earliest member; the buckets keep the order of their earliest members.
        firsts = list(dict.fromkeys(alt[0][1] for alt in segment))
        chars = {alt[0][1]: alt[0][2] for alt in segment}
        parent = list(range(len(firsts)))

        def bucket(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        owner: dict[str, int] = {}
        for i, first in enumerate(firsts):
            for char in chars[first]:
                if char in owner:
                    a, b = sorted((bucket(owner[char]), bucket(i)))
                    parent[b] = a
                else:
                    owner[char] = i
        index = {first: i for i, first in enumerate(firsts)}
        out.extend(sorted(segment, key=lambda alt: bucket(index[alt[0][1]])))  # a stable sort
        segment.clear()

    for alt in alternatives:
        if alt and alt[0][0] == "char" and alt[0][2] is not None:
            segment.append(alt)
        else:
            flush()
            out.append(alt)
    flush()
    return out


def _alternation(alternatives: list[list[Token]]) -> str:
    """One regex that matches as `"|".join(alternatives)` would, arranged for speed.

    Hundreds of terms are tried at every position of a text. Alternatives that begin with the
    same character or the same possessive run are merged behind it (`k(?:...|...)`), so the
    engine passes over all terms that cannot start at a position by one character (a merged
    prefix matches in one way only, so merging does not change which alternative wins).
    """
    alternatives = _ranked(alternatives)
    out = []
    i = 0
    while i < len(alternatives):
        alt = alternatives[i]
        j = i + 1
        if alt and alt[0][0] in ("char", "fixed"):
            while j < len(alternatives) and alternatives[j] and alternatives[j][0][:2] == alt[0][:2]:
                j += 1
        if j == i + 1:
            out.append("".join(source for _, source, _ in alt))
        else:
            out.append(f"{alt[0][1]}(?:{_alternation([a[1:] for a in alternatives[i:j]])})")
        i = j
    return "|".join(out)


@dataclass(frozen=True)
class Matcher:
    """One alternation of many terms; `hits` says which of them occur (by index)."""

    regex: re.Pattern[str] | None
    labels: tuple[str, ...]

    @classmethod
    def build(cls, terms: list[str], patterns: list[str] = (), *, regexes: RegexCache | None = None) -> Matcher:
        """The matcher for `terms` and operator `patterns`; `regexes`: where compiled patterns
        are kept between starts (`load_policy`'s), None to compile."""
        labels = [*terms, *(f"pattern:{p[:40]}" for p in patterns)]
        if not labels:
            return cls(None, ())

        def source() -> str:
            # Each alternative ends in an empty named group: `lastgroup` names it, even when an
            # operator's pattern has groups of its own.
            marks = [("fixed", f"(?P<t{i}>)", None) for i in range(len(labels))]
            alternatives = [[*_term_tokens(t), marks[i]] for i, t in enumerate(terms)]
            alternatives += [[("any", f"(?:{p})", None), marks[len(terms) + i]] for i, p in enumerate(patterns)]
            return _alternation(alternatives)

        try:
            regex = regexes.compile(_key("matcher", terms, patterns), source) if regexes else re.compile(source())
        except re.error as exc:
            raise PolicyError(f"bad pattern in policy: {exc}") from exc
        return cls(regex, tuple(labels))

    def hits(self, texts: tuple[str, ...]) -> set[str]:
        """The labels (terms or patterns) found in any of `texts`."""
        if self.regex is None:
            return set()
        found = set()
        for text in texts:
            for m in self.regex.finditer(text):
                found.add(self.labels[int(m.lastgroup[1:])])
        return found


@dataclass(frozen=True)
class Combination:
    category: str
    lexicon: str
    requires: str
    min: float
    boost: float


@dataclass(frozen=True)
class Policy:
    """A compiled policy: what to match, how much it weighs, where each level draws the line."""

    weights: dict[str, float]
    thresholds: dict[str, dict[str, float]]
    image_thresholds: dict[str, dict[str, float]]
    allow: re.Pattern[str] | None
    categories: dict[str, dict[str, Matcher]]
    lexicons: dict[str, Matcher]
    combinations: tuple[Combination, ...]
    semantic: dict[str, Any] = field(default_factory=dict)
    source: str = "<default>"

    def threshold(self, category: str, level: str, *, image: bool = False) -> float:
        """The score at which `category` is flagged; `low` is never looser on sexual/minors."""
        table = self.image_thresholds if image else self.thresholds
        level = level if level in LEVELS else "auto"
        value = table[level].get(category, 0.5)
        if category == "sexual/minors":
            value = min(value, table["auto"].get(category, 0.5))
        return value

    def lexicon_hit(self, name: str, text: str) -> bool:
        """Whether any word of lexicon `name` occurs in `text` (outside allow-listed phrases)."""
        lexicon = self.lexicons.get(name)
        return bool(lexicon and lexicon.hits(self._views(text)))

    def _views(self, text: str) -> tuple[str, ...]:
        # A run of one punctuation mark longer than RUN_LIMIT shrinks to RUN_LIMIT: a term takes
        # at most that many for a letter, and at most GAP_LIMIT between words, so that
        # "kill!!!!!!!!!!!!!!!!!!!!yourself" still reads as "kill yourself".
        texts = tuple(_MARK_RUN.sub(lambda m: m.group(1) * RUN_LIMIT, t) for t in views(text))
        return tuple(self.allow.sub(" ", t) for t in texts) if self.allow is not None else texts

    def score(self, text: str) -> tuple[dict[str, float], dict[str, list[str]]]:
        """Rule scores per category, and the terms or patterns that produced them."""
        texts = self._views(text)
        scores: dict[str, float] = {}
        evidence: dict[str, list[str]] = {}
        for category, matchers in self.categories.items():
            miss = 1.0
            found: list[str] = []
            for strength, matcher in matchers.items():
                for label in sorted(matcher.hits(texts)):
                    miss *= 1.0 - self.weights[strength]
                    found.append(f"{strength}:{label}")
            scores[category] = round(1.0 - miss, 4)
            evidence[category] = found
        for combo in self.combinations:
            if scores.get(combo.requires, 0.0) >= combo.min and self.lexicons[combo.lexicon].hits(texts):
                raised = min(1.0, scores[combo.requires] + combo.boost)
                if raised > scores.get(combo.category, 0.0):
                    scores[combo.category] = round(raised, 4)
                    evidence.setdefault(combo.category, []).append(f"combination:{combo.lexicon}+{combo.requires}")
        # sexual/minors is a kind of sexual content: whatever scores as the one scores as the other.
        if scores.get("sexual/minors", 0.0) > scores.get("sexual", 0.0):
            scores["sexual"] = scores["sexual/minors"]
            evidence.setdefault("sexual", []).append("implied:sexual/minors")
        return scores, evidence


def _by_language(table: Any, where: str) -> list[str]:
    if table is None:
        return []
    if isinstance(table, list):
        return [str(t) for t in table]
    if not isinstance(table, dict):
        raise PolicyError(f"{where}: expected a list of terms or a table of languages")
    terms: list[str] = []
    for lang, items in table.items():
        if lang == "patterns":
            continue
        if not isinstance(items, list):
            raise PolicyError(f"{where}.{lang}: expected a list of terms")
        terms.extend(str(t) for t in items)
    return terms


def _thresholds(raw: dict[str, Any], where: str, defaults: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    out = {level: dict(defaults.get(level, {})) for level in LEVELS}
    for level, table in (raw or {}).items():
        if level not in LEVELS:
            raise PolicyError(f"{where}: unknown level {level!r} (use {', '.join(LEVELS)})")
        for category, value in table.items():
            if category not in CATEGORIES:
                raise PolicyError(f"{where}.{level}: unknown category {category!r}")
            out[level][category] = float(value)
    return out


def _compile_category(name: str, raw: dict[str, Any], weights: dict[str, float], regexes: RegexCache | None = None,
                      core: dict[str, Any] | None = None) -> dict[str, Matcher]:
    patterns: dict[str, list[str]] = {s: [] for s in STRENGTHS}
    for item in raw.get("patterns", []):
        strength = item.get("weight", "strong")
        if strength not in weights:
            raise PolicyError(f"categories.{name}.patterns: unknown weight {strength!r}")
        patterns[strength].append(item["regex"])
    matchers = {}
    for strength in STRENGTHS:
        terms = _by_language(raw.get(strength), f"categories.{name}.{strength}")
        terms += _by_language((core or {}).get(strength), f"{CORE}.categories.{name}.{strength}")
        matcher = Matcher.build(terms, patterns[strength], regexes=regexes)
        if matcher.regex is not None:
            matchers[strength] = matcher
    return matchers


def _key(kind: str, *parts: list[str]) -> str:
    """A cache key for the regex built from `parts` (lists of strings)."""
    digest = hashlib.sha256(kind.encode())
    for part in parts:
        digest.update(b"\0%d" % len(part))
        for item in part:
            data = item.encode("utf-8", "surrogatepass")
            digest.update(b"\0%d\0" % len(data) + data)
    return digest.hexdigest()


def compile_policy(raw: dict[str, Any], source: str = "<dict>", *, regexes: RegexCache | None = None, core: bool = True) -> Policy:
    """Check and compile a parsed policy table; `regexes`: compiled patterns kept between starts;
    `core`: with the terms of its `[core_vocabulary]` section (checked either way)."""
    weights = {s: float(w) for s, w in raw.get("weights", {"strong": 1.0, "medium": 0.6, "weak": 0.3}).items()}
    for s in STRENGTHS:
        weights.setdefault(s, {"strong": 1.0, "medium": 0.6, "weak": 0.3}[s])
    thresholds = _thresholds(raw.get("thresholds", {}), "thresholds", {level: dict.fromkeys(CATEGORIES, 0.5) for level in LEVELS})
    image_thresholds = _thresholds(raw.get("image_thresholds", {}), "image_thresholds", thresholds)
    core_categories, core_lexicons = core_vocabulary(raw)
    if not core:
        core_categories, core_lexicons = {}, {}
    categories = {}
    for name, table in raw.get("categories", {}).items():
        if name not in CATEGORIES:
            raise PolicyError(f"categories: unknown category {name!r} (use {', '.join(CATEGORIES)})")
        categories[name] = _compile_category(name, table, weights, regexes, core_categories.get(name))
    for name, table in core_categories.items():  # a category only the core vocabulary names
        if name not in categories:
            categories[name] = _compile_category(name, {}, weights, regexes, table)
    lexicons = {
        name: Matcher.build(_by_language(table, f"lexicons.{name}") + _by_language(core_lexicons.get(name), f"{CORE}.lexicons.{name}"),
                            list(table.get("patterns", [])), regexes=regexes)
        for name, table in raw.get("lexicons", {}).items()
    }
    combos = []
    for item in raw.get("combinations", []):
        combo = Combination(item["category"], item["lexicon"], item["requires"], float(item.get("min", 0.3)), float(item.get("boost", 0.5)))
        if combo.lexicon not in lexicons or combo.category not in CATEGORIES or combo.requires not in CATEGORIES:
            raise PolicyError(f"combinations: unknown lexicon or category in {item}")
        combos.append(combo)
    allow_terms = _by_language(raw.get("allow"), "allow")
    allow = None
    if allow_terms:
        def allow_source() -> str:
            return _alternation([_term_tokens(t) for t in allow_terms])

        allow = regexes.compile(_key("allow", allow_terms), allow_source) if regexes else re.compile(allow_source())
    return Policy(weights, thresholds, image_thresholds, allow, categories, lexicons, tuple(combos), dict(raw.get("semantic", {})), source)


def default_policy_text() -> str:
    """The policy shipped with imagegate."""
    return resources.files("imagegate").joinpath("moderation_policy.toml").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _builder_source() -> bytes | None:
    """The code that turns terms into patterns (this module and `normalize`), for cache keys."""
    try:
        return b"".join(Path(file).read_bytes() for file in (__file__, _normalize.__file__))
    except (OSError, TypeError):
        return None


def policy_regexes(text: str, directory: Path | None = None, *, core: bool = True) -> RegexCache:
    """Where the compiled patterns of the policy `text` are kept between starts (see
    `_regex_cache`): a file named by a hash of the policy, of the code that builds its patterns
    and of the interpreter; in the user's cache directory unless `directory` is given. The
    policy without its core vocabulary (`core=False`) has a file of its own, so that measuring
    it never rewrites the served policy's."""
    builder = _builder_source()
    if builder is None:
        return RegexCache(None)
    variant = () if core else (f"without {CORE}",)
    return RegexCache.for_inputs("policy-regex", text, builder, *variant, directory=directory)


def load_policy(path: str | Path | None = None, *, cache: bool = True, core: bool = True) -> Policy:
    """Load a policy file (TOML), or the shipped default when `path` is None. With `cache`, the
    compiled patterns are kept in the user's cache directory: a later start reads them (~0.4 s
    of compiling saved). `core=False` leaves out the `[core_vocabulary]` terms (for measuring
    the policy without them; a server always loads them)."""
    if path is None:
        text, source = default_policy_text(), "<default>"
        raw = tomllib.loads(text)
    else:
        try:
            text, source = Path(path).read_text(encoding="utf-8"), str(path)
            raw = tomllib.loads(text)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise PolicyError(f"cannot read moderation policy {path}: {exc}") from exc
    regexes = policy_regexes(text, core=core) if cache else None
    policy = compile_policy(raw, source, regexes=regexes, core=core)
    if regexes is not None:
        regexes.save()
    return policy

"""Moderation quality on the labelled prompt set: precision, recall, false-positive rate.

    python benchmarks/moderation_quality.py [--split dev|test|all] [--semantic] [--level auto|low] [--errors]
    ... --without-core                                   # the policy without its [core_vocabulary] terms
    python benchmarks/moderation_quality.py --leaks      # policy phrases only the test split has
    python benchmarks/moderation_quality.py --sweep      # the semantic settings, on dev only
    ... [--policy FILE]                                  # another policy than the shipped one

Reads tests/fixtures/moderation_prompts.jsonl. A prompt counts as flagged when any category is;
per-category rows score the category sets, each with its false-positive rate (flagged among the
prompts not labelled with it). "clear" is every harmful prompt except the `implicit` ones (no
telltale word), which are shown on their own line.

The split. A prompt's split is a function of its text alone (`split_of`): the SHA-256 of
`SPLIT_SALT`, a newline and the prompt's normalised text (`imagegate.policy.normalize`); an odd
first byte puts it in `test`, an even one in `dev` (about half each). Evasive spellings of one
prompt ("n4k3d", "ｎａｋｅｄ") normalise alike and land in the same split; adding prompts never
moves the others. The split is not stored in the data file, so it cannot be edited by hand.

`dev` is for writing and tuning the policy (terms, allow-list phrases, thresholds, semantic
exemplars). `test` is held out: nothing in the policy may come from it. `policy_leaks` finds
what would show that it did (tests/policy/test_policy_honesty.py runs it), and `--errors` lists
only dev-split mistakes.

The one exception is the policy's `[core_vocabulary]`: harmful-side terms named a priori from
the category definitions ("csam", "pipe bomb"), which were taken out with everything else that
only test prompts contain and then put back (they can only raise recall and false positives).
`policy_leaks` lists those of them that only test prompts contain apart ("core"), and the
honesty test holds that section to a documented list. Since some of its terms occur in test
prompts, the test figures of the policy as shipped may flatter recall: `--without-core`
measures the policy without them, the honest held-out figure (no core term occurs in a dev
prompt, so dev figures are the same either way).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import hashlib
import itertools
import json
import re
import time
import tomllib
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from imagegate.policy.moderation import CATEGORIES, PolicyModerator, build_semantic
from imagegate.policy.normalize import normalize, views
from imagegate.policy.rules import CORE, compile_policy, default_policy_text, load_policy, term_regex
from imagegate.policy.semantic import OnnxMiniLMEmbedder, SemanticClassifier

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "moderation_prompts.jsonl"
SPLIT_SALT = "imagegate-moderation-split-v1"
SPLITS = ("dev", "test")


def split_of(text: str) -> str:
    """The split of a labelled prompt: "test" when SHA-256(salt, normalised text) starts with an odd byte."""
    digest = hashlib.sha256(f"{SPLIT_SALT}\n{normalize(text)}".encode()).digest()
    return "test" if digest[0] & 1 else "dev"


def load_prompts(split: str = "all") -> list[dict]:
    """The labelled prompts of `split` ("dev", "test" or "all"), each with its "split" filled in."""
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["split"] = split_of(row["text"])
    return [r for r in rows if split == "all" or r["split"] == split]


def evaluate(moderator, rows: list[dict], level: str = "auto") -> list[tuple[dict, tuple[str, ...]]]:
    async def go():
        return [(r, (await moderator.check_text(r["text"], level)).categories) for r in rows]
    return asyncio.run(go())


def ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def metrics(results) -> dict:
    """Overall and per-category precision/recall/false-positive rate, recall by kind, and the
    benign false-positive rate."""
    out: dict = {}
    harmful = [(r, got) for r, got in results if r["label"] == "harmful"]
    benign = [(r, got) for r, got in results if r["label"] == "benign"]
    tp = sum(1 for _, got in harmful if got)
    fp = sum(1 for _, got in benign if got)
    out["overall"] = {"precision": ratio(tp, tp + fp), "recall": ratio(tp, len(harmful)), "fpr": ratio(fp, len(benign)), "n": len(harmful)}
    clear = [(r, got) for r, got in harmful if r["kind"] != "implicit"]
    out["recall_clear"] = ratio(sum(1 for _, g in clear if g), len(clear))
    out["fpr_benign"] = ratio(fp, len(benign))
    by_kind = defaultdict(list)
    for r, got in results:
        by_kind[(r["label"], r["kind"])].append(bool(got))
    out["kinds"] = {f"{label}/{kind}": (sum(v), len(v)) for (label, kind), v in sorted(by_kind.items())}
    per = {}
    for cat in CATEGORIES:
        ctp = sum(1 for r, got in results if cat in got and cat in r["categories"])
        cfp = sum(1 for r, got in results if cat in got and cat not in r["categories"])
        n = sum(1 for r, _ in results if cat in r["categories"])
        per[cat] = {"precision": ratio(ctp, ctp + cfp), "recall": ratio(ctp, n), "fpr": ratio(cfp, len(results) - n), "n": n}
    out["categories"] = per
    return out


# ------------------------------------------------------------------ honesty: nothing from the test split

def _terms(table: Any) -> list[str]:
    if isinstance(table, list):
        return [str(t) for t in table]
    return [str(t) for lang, items in (table or {}).items() if lang != "patterns" for t in items]


def policy_phrases(raw: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Every phrase of a parsed policy as (where, phrase, is_regex): allow-list phrases, lexicon
    words and patterns, category terms and patterns, and the terms of the core vocabulary (their
    `where` starts with "core_vocabulary.", then names the category strength or lexicon)."""
    out = [("allow", t, False) for t in _terms(raw.get("allow"))]
    for name, table in raw.get("lexicons", {}).items():
        out += [(f"lexicons.{name}", t, False) for t in _terms(table)]
        out += [(f"lexicons.{name}.patterns", p, True) for p in table.get("patterns", [])]
    for cat, table in raw.get("categories", {}).items():
        for strength in ("strong", "medium", "weak"):
            out += [(f"categories.{cat}.{strength}", t, False) for t in _terms(table.get(strength))]
        out += [(f"categories.{cat}.patterns", p["regex"], True) for p in table.get("patterns", [])]
    core = raw.get(CORE, {})
    for name, table in core.get("lexicons", {}).items():
        out += [(f"{CORE}.lexicons.{name}", t, False) for t in _terms(table)]
    for cat, table in core.get("categories", {}).items():
        for strength in ("strong", "medium", "weak"):
            out += [(f"{CORE}.categories.{cat}.{strength}", t, False) for t in _terms(table.get(strength))]
    return out


@lru_cache(maxsize=None)
def _compiled(phrase: str, is_regex: bool) -> re.Pattern[str]:
    return re.compile(phrase if is_regex else term_regex(phrase))


# Joins the prompts of a split into one text to search: a letter-only word, so that no term can
# run from one prompt into the next (a term's words are joined by non-letters only).
_JOIN = " qqjoinqq \n"


def occurrences(raw: dict[str, Any], rows: list[dict]) -> dict[tuple[str, str], set[str]]:
    """Per (where, phrase), the splits with a prompt it occurs in.

    "Occurs" is what the rule layer itself matches, without the allow-list: a term occurs in a
    prompt when its pattern (`rules.term_regex`: whole words after normalisation, plural
    "s"/"es", `word*` as a prefix, spelling tricks undone) is found in one of the prompt's
    normalised views; a regex pattern when it is found there.
    """
    texts = {s: [v for r in rows if r["split"] == s for v in views(r["text"])] for s in SPLITS}
    joined = {s: _JOIN.join(t) for s, t in texts.items()}
    found: dict[tuple[str, str], set[str]] = {}
    for where, phrase, is_regex in policy_phrases(raw):
        regex = _compiled(phrase, is_regex)
        if is_regex:
            hit = {s for s in SPLITS if any(regex.search(t) for t in texts[s])}
        else:
            hit = {s for s in SPLITS if regex.search(joined[s])}
        found[(where, phrase)] = hit
    return found


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", normalize(text)))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


NEAR_COPY = 0.5  # word-set Jaccard at which an exemplar counts as a near copy of a prompt


def exemplar_copies(raw: dict[str, Any], rows: list[dict]) -> list[tuple[str, float, float]]:
    """Semantic exemplars that look copied from the test split: (exemplar, nearest test prompt's
    word-set Jaccard, nearest dev prompt's), where the test one reaches NEAR_COPY and no dev
    prompt is as near."""
    semantic = raw.get("semantic", {})
    texts = list(semantic.get("benign", {}).get("general", []))
    for table in semantic.get("exemplars", {}).values():
        texts += list(table.get("harmful", [])) + list(table.get("benign", []))
    words = {s: [_words(r["text"]) for r in rows if r["split"] == s] for s in SPLITS}
    out = []
    for text in dict.fromkeys(texts):
        mine = _words(text)
        test = max((_jaccard(mine, w) for w in words["test"]), default=0.0)
        dev = max((_jaccard(mine, w) for w in words["dev"]), default=0.0)
        if test >= NEAR_COPY and test > dev:
            out.append((text, round(test, 2), round(dev, 2)))
    return out


def policy_leaks(raw: dict[str, Any] | None = None, rows: list[dict] | None = None) -> dict[str, list]:
    """What in a policy can only have come from the test split: phrases that occur in a test
    prompt and in no dev prompt ("phrases"), and exemplars copied from test prompts. The terms
    of the core vocabulary that only test prompts contain are listed apart ("core"): they are
    allowed only as far as the honesty test's documented list of that section goes."""
    raw = raw if raw is not None else tomllib.loads(default_policy_text())
    rows = rows if rows is not None else load_prompts()
    only_test = [(where, phrase) for (where, phrase), hit in occurrences(raw, rows).items() if hit == {"test"}]
    phrases = [f"{where}: {phrase}" for where, phrase in only_test if not where.startswith(f"{CORE}.")]
    core = [f"{where}: {phrase}" for where, phrase in only_test if where.startswith(f"{CORE}.")]
    return {"phrases": phrases, "exemplars": exemplar_copies(raw, rows), "core": core}


def without(raw: dict[str, Any], phrases: set[tuple[str, str]], exemplars: set[str] = frozenset()) -> dict[str, Any]:
    """A copy of a parsed policy without some (where, phrase) pairs (as `policy_phrases` names
    them) and semantic exemplars."""
    raw = copy.deepcopy(raw)

    def keep(table: Any, where: str) -> Any:
        if isinstance(table, list):
            return [t for t in table if (where, t) not in phrases]
        return {lang: items if lang == "patterns" else keep(items, where) for lang, items in table.items()}

    if "allow" in raw:
        raw["allow"] = keep(raw["allow"], "allow")
    for name, table in raw.get("lexicons", {}).items():
        kept = keep(table, f"lexicons.{name}")
        if "patterns" in table:
            kept["patterns"] = [p for p in table["patterns"] if (f"lexicons.{name}.patterns", p) not in phrases]
        raw["lexicons"][name] = kept
    for cat, table in raw.get("categories", {}).items():
        for strength in ("strong", "medium", "weak"):
            if strength in table:
                table[strength] = keep(table[strength], f"categories.{cat}.{strength}")
        if "patterns" in table:
            table["patterns"] = [p for p in table["patterns"] if (f"categories.{cat}.patterns", p["regex"]) not in phrases]
    core = raw.get(CORE, {})
    for name, table in core.get("lexicons", {}).items():
        core["lexicons"][name] = keep(table, f"{CORE}.lexicons.{name}")
    for cat, table in core.get("categories", {}).items():
        for strength in ("strong", "medium", "weak"):
            if strength in table:
                table[strength] = keep(table[strength], f"{CORE}.categories.{cat}.{strength}")
    semantic = raw.get("semantic", {})
    if "general" in semantic.get("benign", {}):
        semantic["benign"]["general"] = [t for t in semantic["benign"]["general"] if t not in exemplars]
    for table in semantic.get("exemplars", {}).values():
        for side in ("harmful", "benign"):
            table[side] = [t for t in table.get(side, []) if t not in exemplars]
    return raw


INNER_SALT = "imagegate-moderation-devsplit-v1"


def sweep(text: str) -> None:
    """The semantic settings on the dev split only: for each setting, recall and benign false
    positives on all of dev (the policy as it is) and on half of dev ("dev-val", a second hash)
    with every phrase and exemplar that only dev-val supports taken out, which is how the rules
    look to prompts they were not written from."""
    raw = tomllib.loads(text)
    inner = []
    for r in load_prompts("dev"):
        odd = hashlib.sha256(f"{INNER_SALT}\n{normalize(r['text'])}".encode()).digest()[0] & 1
        inner.append({**r, "split": "test" if odd else "dev"})  # dev-val plays the test split
    leaks = policy_leaks(raw, inner)
    gone = {tuple(line.split(": ", 1)) for line in leaks["phrases"]}
    stripped = compile_policy(without(raw, gone, {t for t, _, _ in leaks["exemplars"]}))
    shipped = compile_policy(raw)
    val = [r for r in inner if r["split"] == "test"]
    print(f"dev={len(inner)} dev-val={len(val)}; {len(gone)} phrases and {len(leaks['exemplars'])} exemplars only dev-val has, taken out")
    embedder = OnnxMiniLMEmbedder()
    layers = [(rows, policy, SemanticClassifier(embedder, policy.semantic)) for rows, policy in ((val, stripped), (inner, shipped))]
    plain = [metrics(evaluate(PolicyModerator(policy), rows)) for rows, policy, _ in layers]
    print(f"rules alone: dev-val recall {plain[0]['overall']['recall']:.3f} fpr {plain[0]['fpr_benign']:.3f}"
          f" | dev recall {plain[1]['overall']['recall']:.3f} fpr {plain[1]['fpr_benign']:.3f}")
    for min_sim, start in itertools.product((0.3, 0.35, 0.4, 0.45), (0.0, 0.05, 0.1, 0.15)):
        row = []
        for rows, policy, semantic in layers:
            semantic.min_similarity, semantic.margin_start, semantic.margin_full = min_sim, start, start + 0.2
            m = metrics(evaluate(PolicyModerator(policy, semantic=semantic), rows))
            row.append(f"recall {m['overall']['recall']:.3f} fpr {m['fpr_benign']:.3f}")
        print(f"min_similarity={min_sim:<4} margin_start={start:<4} margin_full={start + 0.2:.2f}: dev-val {row[0]} | dev {row[1]}")


# ------------------------------------------------------------------ report

def report(m: dict, header: str) -> None:
    print(header)
    print(f"{'':18}{'precision':>10}{'recall':>8}{'fpr':>8}{'n':>5}")
    o = m["overall"]
    print(f"{'overall':18}{o['precision']:>10.3f}{o['recall']:>8.3f}{o['fpr']:>8.3f}{o['n']:>5}")
    for cat, c in m["categories"].items():
        print(f"{cat:18}{c['precision']:>10.3f}{c['recall']:>8.3f}{c['fpr']:>8.3f}{c['n']:>5}")
    print(f"recall on clearly harmful prompts: {m['recall_clear']:.3f}")
    print(f"false-positive rate on benign prompts: {m['fpr_benign']:.3f}")
    for kind, (hit, n) in m["kinds"].items():
        print(f"  flagged {kind:24} {hit:>3}/{n}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    ap.add_argument("--semantic", action="store_true", help="add the MiniLM semantic layer (moderation extra)")
    ap.add_argument("--level", default="auto", choices=["auto", "low"])
    ap.add_argument("--errors", action="store_true", help="list misses and false positives (dev split only)")
    ap.add_argument("--leaks", action="store_true", help="list policy phrases that only test prompts contain")
    ap.add_argument("--policy", help="a policy file instead of the shipped one")
    ap.add_argument("--without-core", action="store_true",
                    help="leave out the policy's [core_vocabulary] terms (the held-out figure on test)")
    ap.add_argument("--sweep", action="store_true", help="semantic settings against dev and a dev-internal hold-out (dev only)")
    args = ap.parse_args()
    if args.sweep:
        sweep(Path(args.policy).read_text(encoding="utf-8") if args.policy else default_policy_text())
        return
    if args.leaks:
        text = Path(args.policy).read_text(encoding="utf-8") if args.policy else default_policy_text()
        leaks = policy_leaks(tomllib.loads(text))
        for line in leaks["phrases"]:
            print(f"test only: {line}")
        for text, test, dev in leaks["exemplars"]:
            print(f"exemplar near a test prompt ({test} vs dev {dev}): {text}")
        print(f"{len(leaks['phrases'])} phrases, {len(leaks['exemplars'])} exemplars")
        print(f"core vocabulary (documented, harmful-side; exempt): {len(leaks['core'])} of its terms occur only in test prompts")
        return
    if args.errors and args.split != "dev":
        ap.error("--errors lists dev-split mistakes only: the test split is held out")
    policy = load_policy(args.policy, core=not args.without_core)
    moderator = PolicyModerator(policy, semantic=build_semantic(policy, True) if args.semantic else None)
    rows = load_prompts(args.split)
    asyncio.run(moderator.warm_up())  # model loading is start-up time, not per-prompt time
    start = time.perf_counter()
    results = evaluate(moderator, rows, args.level)
    elapsed = time.perf_counter() - start
    layers = ("rules + semantic" if args.semantic else "rules") + (" (without core vocabulary)" if args.without_core else "")
    report(metrics(results), f"split={args.split} level={args.level} layers={layers} prompts={len(rows)} ({elapsed / len(rows) * 1000:.1f} ms/prompt)")
    if args.errors:
        for r, got in results:
            if bool(got) != (r["label"] == "harmful") or (got and set(got) - set(r["categories"])):
                tag = "MISS" if r["label"] == "harmful" and not got else "FP  " if not r["categories"] else "CAT "
                print(f"  {tag} {r['id']} {r['text']!r} -> {list(got)} (labelled {r['categories']})")


if __name__ == "__main__":
    main()

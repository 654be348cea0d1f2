"""Moderation quality on the labelled prompt set: precision, recall, false-positive rate.

    python benchmarks/moderation_quality.py [--split dev|test|all] [--semantic] [--level auto|low] [--errors]

Reads tests/fixtures/moderation_prompts.jsonl. A prompt counts as flagged when any category is;
per-category rows score the category sets. "clear" is every harmful prompt except the
`implicit` ones (no telltale word), which are shown on their own line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import defaultdict
from pathlib import Path

from imagegate.policy.rules import load_policy
from imagegate.policy.moderation import CATEGORIES, PolicyModerator, build_semantic

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "moderation_prompts.jsonl"


def load_prompts(split: str = "all") -> list[dict]:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r["split"] == split]


def evaluate(moderator, rows: list[dict], level: str = "auto") -> list[tuple[dict, tuple[str, ...]]]:
    async def go():
        return [(r, (await moderator.check_text(r["text"], level)).categories) for r in rows]
    return asyncio.run(go())


def ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def metrics(results) -> dict:
    """Overall and per-category precision/recall, recall by kind, and the benign false-positive rate."""
    out: dict = {}
    harmful = [(r, got) for r, got in results if r["label"] == "harmful"]
    benign = [(r, got) for r, got in results if r["label"] == "benign"]
    tp = sum(1 for _, got in harmful if got)
    fp = sum(1 for _, got in benign if got)
    out["overall"] = {"precision": ratio(tp, tp + fp), "recall": ratio(tp, len(harmful)), "n": len(harmful)}
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
        per[cat] = {"precision": ratio(ctp, ctp + cfp), "recall": ratio(ctp, n), "n": n}
    out["categories"] = per
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"])
    ap.add_argument("--semantic", action="store_true", help="add the MiniLM semantic layer (moderation extra)")
    ap.add_argument("--level", default="auto", choices=["auto", "low"])
    ap.add_argument("--errors", action="store_true", help="list misses and false positives")
    args = ap.parse_args()
    policy = load_policy()
    moderator = PolicyModerator(policy, semantic=build_semantic(policy, True) if args.semantic else None)
    rows = load_prompts(args.split)
    asyncio.run(moderator.warm_up())  # model loading is start-up time, not per-prompt time
    start = time.perf_counter()
    results = evaluate(moderator, rows, args.level)
    elapsed = time.perf_counter() - start
    m = metrics(results)
    layers = "rules + semantic" if args.semantic else "rules"
    print(f"split={args.split} level={args.level} layers={layers} prompts={len(rows)} ({elapsed / len(rows) * 1000:.1f} ms/prompt)")
    print(f"{'':18}{'precision':>10}{'recall':>8}{'n':>5}")
    o = m["overall"]
    print(f"{'overall':18}{o['precision']:>10.3f}{o['recall']:>8.3f}{o['n']:>5}")
    for cat, c in m["categories"].items():
        print(f"{cat:18}{c['precision']:>10.3f}{c['recall']:>8.3f}{c['n']:>5}")
    print(f"recall on clearly harmful prompts: {m['recall_clear']:.3f}")
    print(f"false-positive rate on benign prompts: {m['fpr_benign']:.3f}")
    for kind, (hit, n) in m["kinds"].items():
        print(f"  flagged {kind:24} {hit:>3}/{n}")
    if args.errors:
        for r, got in results:
            if bool(got) != (r["label"] == "harmful"):
                print(f"  {'MISS' if r['label'] == 'harmful' else 'FP  '} [{r['split']}] {r['text']!r} -> {list(got)}")


if __name__ == "__main__":
    main()

"""Recall and precision of planned scene elements on the labelled prompt set.

    python benchmarks/plan_recall.py --split dev|test|all|heldout2|dev2|heldout3|dev3|heldout4|dev5|heldout5|dev6|heldout6 [--file PATH] [--planner rule|chat] [--misses] [--timing]

Reads benchmarks/data/plan_elements.jsonl: one prompt a line, with the elements a plan of it must
hold. `--misses` lists the prompts with misses and extra elements, on the dev splits only (never
on a held-out one: the rules are written from dev and dev2 alone). `--timing` adds the rule
planner's ms per prompt.
`--planner chat` plans with the chat planner configured in imagegate.toml / IMAGEGATE_* settings
(`planner_url`, `planner_model`, `planner_api_key`), and says so and stops when none is.

The split. A prompt's split is a function of its id alone (`split_of`): the SHA-256 of
`SPLIT_SALT`, a newline and the id; a first byte below 154 puts it in `dev` (about 60%), the rest
in `test`. The split is not stored in the data file, so it cannot be edited by hand. Three more
files are whole splits: `heldout2` (160 prompts) and, written later together by one helper who
had not seen the rules, `dev2` (200 prompts, rules may be written from it) and `heldout3` (160
prompts, held out); then `dev3` (200) and `heldout4` (160) the same way; then dev5 (200) and heldout5 (160) the same way;
then dev6 (200) and heldout6 (160), by a second blind writer.

Element vocabulary (the labels; names are English whatever the prompt's language):

    subject:NAME           something depicted ("subject:cat"); NAME is its head noun
    count:N NAME           N (>= 2) of it ("count:3 apple")
    relation:A REL B       A relates to B, REL one of imagegate.plan.RELATIONS ("relation:plant beside cat")
    depth:NAME PLANE       NAME is in the foreground / background ("depth:lake foreground")
    surface:[MATERIAL] KIND  what things stand on or against ("surface:windowsill", "surface:brick wall")
    setting:PLACE          where the scene is (kitchen, forest, beach, city, ...)
    time:T, weather:W      imagegate.plan.TIMES_OF_DAY, imagegate.plan.WEATHERS
    effect:E               imagegate.plan.EFFECTS ("effect:reflection")
    material:M             a material of a subject (or of a surface whose label leaves it out)
    text:STRING[@CARRIER]  exact text, and what it is written on when the prompt says

Matching. A subject label is also met by the plan's format ("subject:poster" by a poster: the image
is the poster) or by a text's carrier (the rule planner plans a sign that carries text as the
text's `carrier`, not as a subject drawn under it). "beside" relations match either way round. Names are normalised (lower case, a light English lemma, the `SYNONYMS` table, which
was written from dev prompts only); a planned name matches a labelled one when it ends with it
word for word ("potted plant" matches "plant") or its kind equals it. A surface matches when the
label's words are all among the planned surface's name, kind and material words. A relation or
a count needs its subject to match too; a text needs the exact string (and the carrier when the
label gives one). Each planned element is used for one label at most; precision counts planned
elements that match no label as false, except a surface's material whose surface matched.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from imagegate.plan import Plan

DATA = Path(__file__).resolve().parent / "data" / "plan_elements.jsonl"
HELDOUT2 = Path(__file__).resolve().parent / "data" / "plan_elements_heldout2.jsonl"  # a second blind set, all held out
# a third pair, written together by one helper blind to the rules: dev2 to write rules from, heldout3 held out
DEV2 = Path(__file__).resolve().parent / "data" / "plan_elements_dev2.jsonl"
HELDOUT3 = Path(__file__).resolve().parent / "data" / "plan_elements_heldout3.jsonl"
# and a fourth pair, written later the same way
DEV3 = Path(__file__).resolve().parent / "data" / "plan_elements_dev3.jsonl"
HELDOUT4 = Path(__file__).resolve().parent / "data" / "plan_elements_heldout4.jsonl"
# and a fifth pair, written later the same way
DEV5 = Path(__file__).resolve().parent / "data" / "plan_elements_dev5.jsonl"
HELDOUT5 = Path(__file__).resolve().parent / "data" / "plan_elements_heldout5.jsonl"
# and a sixth pair, by a second blind writer
DEV6 = Path(__file__).resolve().parent / "data" / "plan_elements_dev6.jsonl"
HELDOUT6 = Path(__file__).resolve().parent / "data" / "plan_elements_heldout6.jsonl"
WHOLE_FILES = {"heldout2": HELDOUT2, "dev2": DEV2, "heldout3": HELDOUT3, "dev3": DEV3, "heldout4": HELDOUT4, "dev5": DEV5,
               "heldout5": HELDOUT5, "dev6": DEV6, "heldout6": HELDOUT6}
DEV_SPLITS = ("dev", "dev2", "dev3", "dev5", "dev6")  # the splits rules may be written from (and misses listed for)
SPLIT_SALT = "imagegate-plan-elements-split-v1"
SPLITS = ("dev", "test")
KINDS = ("subject", "count", "relation", "depth", "surface", "setting", "time", "weather", "effect", "material", "text")
RELATION_WORDS = ("in front of", "held by", "beside", "behind", "between", "against", "above", "under", "on", "in")

# Same thing, other word (written from dev labels and plans only).
SYNONYMS = {
    "puppy": "dog", "kitten": "cat", "kid": "child", "children": "child", "people": "person", "sunrise": "dawn",
    "fog": "mist", "automobile": "car", "mug": "cup", "teacup": "cup", "sailboat": "boat", "lamp post": "lamp",
    "street lamp": "lamp", "streetlight": "lamp", "countertop": "counter", "tabletop": "table", "pavement": "sidewalk",
    "wooden": "wood", "ocean": "sea", "book cover": "book", "shirt": "t-shirt", "tee": "t-shirt", "smartphone": "phone",
    "iphone": "phone", "wristwatch": "watch", "timepiece": "watch", "palm tree": "palm", "window sill": "windowsill",
    "bloom": "flower", "woods": "forest", "coffee shop": "cafe", "café": "cafe", "seaside": "beach", "coast": "beach",
    "retriever": "dog", "ice cube": "ice",
}
_IRREGULAR = {"leaves": "leaf", "wolves": "wolf", "knives": "knife", "mice": "mouse", "geese": "goose", "men": "man",
              "women": "woman", "teeth": "tooth", "feet": "foot", "fries": "fries", "glasses": "glass", "sushi": "sushi",
              "headphones": "headphones", "chopsticks": "chopsticks", "lights": "lights", "calves": "calf",
              "shelves": "shelf", "loaves": "loaf", "bus": "bus", "grass": "grass", "glass": "glass", "dress": "dress"}


def split_of(item_id: str) -> str:
    """dev or test, from a salted hash of the id."""
    return "dev" if hashlib.sha256(f"{SPLIT_SALT}\n{item_id}".encode()).digest()[0] < 154 else "test"


def load(split: str, path: Path | None = None) -> list[dict]:
    """The rows of a split of DATA; every row of `path` (or of a whole-file split's file) when given."""
    if split in WHOLE_FILES or path is not None:
        path = path or WHOLE_FILES[split]
        return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or split_of(r["id"]) == split]


def _lemma(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and (word.endswith(("ches", "shes", "xes", "sses")) or word in ("tomatoes", "potatoes", "volcanoes", "heroes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def norm(name: str | None) -> str:
    """Lower case, lemmatised, synonyms mapped (whole phrase, then word by word)."""
    if not name:
        return ""
    text = " ".join(re.sub(r"[^\w\s'&-]", " ", name.lower()).split())
    text = SYNONYMS.get(text, text)
    words = [_lemma(w) for w in text.split()]
    text = " ".join(words)
    text = SYNONYMS.get(text, text)
    return " ".join(SYNONYMS.get(w, w) for w in text.split())


def name_matches(planned: str | None, label: str, kind: str | None = None) -> bool:
    p, g = norm(planned), norm(label)
    if not g:
        return False
    return p == g or p.endswith(" " + g) or (kind is not None and norm(kind) == g)


def planned_elements(plan: Plan) -> list[tuple[str, dict]]:
    """The plan's elements as (kind, data) pairs."""
    out: list[tuple[str, dict]] = []
    subjects = getattr(plan, "subjects", ())
    for s in subjects:
        out.append(("subject", {"name": s.name, "kind": s.kind}))
        if getattr(s, "count", 1) > 1:
            out.append(("count", {"name": s.name, "kind": s.kind, "n": s.count}))
        if not hasattr(plan, "relations") and getattr(s, "relation", None) and getattr(s, "anchor", None):
            out.append(("relation", {"name": s.name, "kind": s.kind, "rel": s.relation, "anchor": s.anchor}))
        if getattr(s, "depth", None):
            out.append(("depth", {"name": s.name, "kind": s.kind, "depth": s.depth}))
        if getattr(s, "material", None):
            out.append(("material", {"material": s.material, "from": "subject"}))
    kinds = {s.name: s.kind for s in subjects}
    for r in getattr(plan, "relations", ()):
        out.append(("relation", {"name": r.subject, "kind": kinds.get(r.subject), "rel": r.relation, "anchor": r.anchor}))
    if plan.format:
        out.append(("format", {"name": plan.format}))
    for t in plan.texts:
        if getattr(t, "carrier", None):
            out.append(("format", {"name": t.carrier}))
    for surface in getattr(plan, "surfaces", ()):
        out.append(("surface", {"name": surface.name, "kind": surface.kind, "material": surface.material}))
        if surface.material:
            out.append(("material", {"material": surface.material, "from": "surface"}))
    if plan.setting:
        out.append(("setting", {"value": plan.setting}))
    if getattr(plan, "time_of_day", None):
        out.append(("time", {"value": plan.time_of_day}))
    if getattr(plan, "weather", None):
        out.append(("weather", {"value": plan.weather}))
    for kind in dict.fromkeys(e.kind for e in getattr(plan, "effects", ())):
        out.append(("effect", {"value": kind}))
    for t in plan.texts:
        out.append(("text", {"text": t.text, "carrier": getattr(t, "carrier", None)}))
    # one element per distinct value
    seen, unique = set(), []
    for kind, data in out:
        key = (kind, json.dumps(data, sort_keys=True))
        if key not in seen and not (kind == "material" and any(k == "material" and norm(d["material"]) == norm(data["material"]) for k, d in unique)):
            seen.add(key)
            unique.append((kind, data))
    return unique


def _parse_relation(value: str) -> tuple[str, str, str]:
    for rel in RELATION_WORDS:
        m = re.match(rf"(.+?) {rel} (.+)$", value)
        if m:
            return m.group(1), rel, m.group(2)
    raise ValueError(f"bad relation label {value!r}")


def matches(label: str, kind: str, data: dict, plan: Plan) -> bool:
    """Whether a planned element (kind, data) satisfies a label."""
    lkind, _, value = label.partition(":")
    if lkind != kind and not (kind == "format" and lkind == "subject"):
        return False
    if kind == "subject":
        return name_matches(data["name"], value, data["kind"])
    if kind == "format":  # "subject:poster" when the image is the poster
        return lkind == "subject" and name_matches(data["name"], value)
    if kind == "count":
        n, _, name = value.partition(" ")
        return int(n) == data["n"] and name_matches(data["name"], name, data["kind"])
    if kind == "relation":
        a, rel, b = _parse_relation(value)
        if rel != data["rel"]:
            return False
        if name_matches(data["name"], a, data["kind"]) and name_matches(data["anchor"], b):
            return True
        return rel == "beside" and name_matches(data["anchor"], a) and name_matches(data["name"], b, data["kind"])
    if kind == "depth":
        name, _, plane = value.rpartition(" ")
        return plane == data["depth"] and name_matches(data["name"], name, data["kind"])
    if kind == "surface":
        have = set(norm(data["name"]).split()) | set(norm(data["kind"]).split()) | set(norm(data["material"]).split())
        return set(norm(value).split()) <= have
    if kind in ("setting", "time", "weather", "effect"):
        return norm(value) == norm(data["value"])
    if kind == "material":
        return norm(value) == norm(data["material"])
    if kind == "text":
        text, _, carrier = value.partition("@")
        if text.strip() != data["text"].strip():
            return False
        return not carrier or name_matches(data["carrier"], carrier)
    return False


def score(labels: list[str], plan: Plan) -> tuple[list[str], list[str], list[tuple[str, dict]], list[tuple[str, dict]]]:
    """(labels found, labels missed, planned elements matched, planned elements extra)."""
    planned = planned_elements(plan)
    used: set[int] = set()
    found, missed = [], []
    for label in labels:
        hit = next((i for i, (k, d) in enumerate(planned) if i not in used and matches(label, k, d, plan)), None)
        if hit is None:
            missed.append(label)
        else:
            used.add(hit)
            found.append(label)
    matched = [("subject", d) if k == "format" else (k, d) for k, d in (planned[i] for i in sorted(used))]
    extra = [planned[i] for i in range(len(planned)) if i not in used and planned[i][0] != "format"]
    # a surface's material is credited with its surface when the label named it there
    credited = {w for label in found if label.startswith("surface:") for w in norm(label[8:]).split()}
    extra = [(k, d) for k, d in extra if not (k == "material" and d.get("from") == "surface" and norm(d["material"]) in credited)]
    return found, missed, matched, extra


def describe(kind: str, data: dict) -> str:
    if kind == "subject":
        return f"subject:{data['name']}"
    if kind == "count":
        return f"count:{data['n']} {data['name']}"
    if kind == "relation":
        return f"relation:{data['name']} {data['rel']} {data['anchor']}"
    if kind == "depth":
        return f"depth:{data['name']} {data['depth']}"
    if kind == "surface":
        return f"surface:{data['name']}"
    if kind == "material":
        return f"material:{data['material']}"
    if kind == "text":
        return f"text:{data['text']}@{data['carrier']}"
    return f"{kind}:{data['value']}"


def make_planner(which: str):
    if which == "rule":
        from imagegate.planning.planner import RulePlanner

        return RulePlanner()
    from imagegate.config import load_settings
    from imagegate.planning.chat import ChatPlanner
    from imagegate.planning.planner import RulePlanner

    settings = load_settings()
    if not settings.planner_url:
        return None
    return ChatPlanner(settings.planner_url, settings.planner_model, settings.planner_api_key, settings.planner_timeout, fallback=RulePlanner())


def plan_all(planner, prompts: list[str]) -> list[Plan]:
    if not hasattr(planner, "aclose"):
        return [planner.plan(p) for p in prompts]

    async def run() -> list[Plan]:
        try:
            return [await planner.plan(p) for p in prompts]
        finally:
            await planner.aclose()

    return asyncio.run(run())


def evaluate(rows: list[dict], plans: list[Plan]) -> dict:
    """Micro-averaged recall and precision, overall and per element kind, with each row's misses."""
    tp_label, n_label, tp_plan, n_plan = Counter(), Counter(), Counter(), Counter()
    details = []
    for row, plan in zip(rows, plans):
        found, missed, matched, extra = score(row["elements"], plan)
        for label in row["elements"]:
            n_label[label.split(":")[0]] += 1
        for label in found:
            tp_label[label.split(":")[0]] += 1
        for k, _ in matched:
            tp_plan[k] += 1
            n_plan[k] += 1
        for k, _ in extra:
            n_plan[k] += 1
        details.append((row, missed, [describe(k, d) for k, d in extra]))
    per_kind = {
        k: {"recall": tp_label[k] / n_label[k] if n_label[k] else None, "precision": tp_plan[k] / n_plan[k] if n_plan[k] else None,
            "labels": n_label[k], "planned": n_plan[k]}
        for k in KINDS
    }
    recall = sum(tp_label.values()) / max(1, sum(n_label.values()))
    precision = sum(tp_plan.values()) / max(1, sum(n_plan.values()))
    return {"recall": recall, "precision": precision, "labels": sum(n_label.values()), "planned": sum(n_plan.values()),
            "per_kind": per_kind, "details": details}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=(*SPLITS, "all", *WHOLE_FILES), default="dev")
    parser.add_argument("--file", type=Path, help="score every row of another labelled file (held out: no misses listed)")
    parser.add_argument("--planner", choices=("rule", "chat"), default="rule")
    parser.add_argument("--misses", action="store_true", help="list prompts with misses (dev and dev2 only)")
    parser.add_argument("--timing", action="store_true", help="rule planner ms per prompt")
    args = parser.parse_args(argv)
    rows = load(args.split, args.file)
    if args.file is not None:
        args.split = f"file {args.file.name}"
    planner = make_planner(args.planner)
    if planner is None:
        print("chat planner: not configured (set planner_url / planner_model / planner_api_key); nothing measured")
        return 2
    langs = Counter(r["lang"] for r in rows)
    print(f"{args.split}: {len(rows)} prompts ({', '.join(f'{k} {v}' for k, v in langs.most_common())}); planner {args.planner}"
          + (f" ({planner.model} at {planner.base_url})" if args.planner == "chat" else ""))
    plans = plan_all(planner, [r["prompt"] for r in rows])
    result = evaluate(rows, plans)
    print(f"overall: recall {result['recall']:.3f} ({result['labels']} labels)  precision {result['precision']:.3f} ({result['planned']} planned)")
    print(f"{'kind':10} {'recall':>7} {'precision':>9} {'labels':>7} {'planned':>8}")
    for k, v in result["per_kind"].items():
        r = "-" if v["recall"] is None else f"{v['recall']:.3f}"
        p = "-" if v["precision"] is None else f"{v['precision']:.3f}"
        print(f"{k:10} {r:>7} {p:>9} {v['labels']:>7} {v['planned']:>8}")
    english = [i for i, r in enumerate(rows) if r["lang"] == "en"]
    other = [i for i, r in enumerate(rows) if r["lang"] != "en"]
    for name, idx in (("English", english), ("other languages", other)):
        if idx:
            sub = evaluate([rows[i] for i in idx], [plans[i] for i in idx])
            print(f"{name}: recall {sub['recall']:.3f}  precision {sub['precision']:.3f} ({len(idx)} prompts)")
    if args.timing and args.planner == "rule":
        prompts = [r["prompt"] for r in rows]
        best = min(_time(planner, prompts) for _ in range(5))
        print(f"rule planner: {best * 1000 / len(prompts):.3f} ms per prompt (best of 5 passes)")
    if args.misses:
        if args.split not in DEV_SPLITS:
            print("(misses are listed for the dev and dev2 splits only)")
        else:
            for row, missed, extra in result["details"]:
                if missed or extra:
                    print(f"\n[{row['id']} {row['lang']}] {row['prompt']}\n  missed: {'; '.join(missed)}\n  extra:  {'; '.join(extra)}")
    return 0


def _time(planner, prompts: list[str]) -> float:
    start = time.perf_counter()
    for p in prompts:
        planner.plan(p)
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())

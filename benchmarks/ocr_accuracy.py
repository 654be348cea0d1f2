"""Per-script OCR character accuracy of the text the built-in renderer sets into whole scenes.

    python benchmarks/ocr_accuracy.py [--split dev|test] [--seeds 5] [--scripts Thai,Cyrillic] [--fixed]

Each script's strings are set, one per seed, into seeded scenes from the rule planner (sunset,
night city, snow, forest, gradient, bokeh, wood, marble, ...) at a seeded position, size and
requested colour, then read back by the OCR judge (needs tesseract-ocr and its language packs).
Prints per-script mean and minimum per image. Dev seeds are 0..999 and test seeds 1000 and up,
so whatever is tuned on dev is reported on seeds it never saw. --fixed adds the older table on
fixed backgrounds (plain, photo, textured) straight from draw_text_block.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytesseract  # noqa: E402
from ocr_judge import EXTRA_SAMPLES, SAMPLES, SPLITS, Verdict, backgrounds, judge_all, judge_scenes, scene_cases  # noqa: E402


def table(verdicts: list[Verdict]) -> str:
    """Markdown table: mean accuracy and exact matches per script and background."""
    names = list(backgrounds())
    scripts = list(dict.fromkeys(v.sample.script for v in verdicts))
    rows = ["| script | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for script in scripts + ["mean"]:
        cells = []
        for name in names:
            cell = [v for v in verdicts if v.background == name and script in (v.sample.script, "mean")]
            mean = sum(v.accuracy for v in cell) / len(cell)
            exact = sum(v.accuracy == 1.0 for v in cell)
            cells.append(f"{mean:.2f} ({exact}/{len(cell)})")
        rows.append(f"| {script} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="test")
    parser.add_argument("--seeds", type=int, default=5, help="seeds per script (default 5)")
    parser.add_argument("--scripts", default="", help="comma-separated subset of scripts")
    parser.add_argument("--fixed", action="store_true", help="also judge the fixed backgrounds")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    installed = set(pytesseract.get_languages())
    skipped = sorted({s.script for s in EXTRA_SAMPLES if s.tess_lang not in installed})
    if skipped:
        print(f"skipped (no tesseract data): {', '.join(skipped)}")
    pool = SAMPLES + tuple(s for s in EXTRA_SAMPLES if s.tess_lang in installed)
    samples = tuple(s for s in pool if not args.scripts or s.script in args.scripts.split(","))
    seeds = list(range(SPLITS[args.split], SPLITS[args.split] + args.seeds))
    verdicts = judge_scenes(scene_cases(samples, seeds), workers=args.workers)
    scripts = list(dict.fromkeys(v.case.sample.script for v in verdicts))
    print(f"split {args.split}, seeds {seeds[0]}..{seeds[-1]} ({len(seeds)} per script)")
    print("| script | mean | min per image | exact |\n|---|---|---|---|")
    for script in scripts:
        mine = [v.accuracy for v in verdicts if v.case.sample.script == script]
        print(f"| {script} | {sum(mine) / len(mine):.3f} | {min(mine):.2f} | {sum(a == 1.0 for a in mine)}/{len(mine)} |")
    every = [v.accuracy for v in verdicts]
    print(f"| all | {sum(every) / len(every):.3f} | {min(every):.2f} | {sum(a == 1.0 for a in every)}/{len(every)} |")
    for v in verdicts:
        if v.accuracy < 1.0:
            e = v.case.element
            print(f"miss: {v.case.sample.script} seed {v.case.seed} {v.accuracy:.2f} [{v.case.prompt!r}, {e.position}, {e.size}, "
                  f"color {e.color}]: {v.case.sample.text!r} read as {v.reading!r}")
    if args.fixed:
        print(table(judge_all(samples, workers=args.workers)))  # noqa
    print(f"{len(verdicts)} scene images judged in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

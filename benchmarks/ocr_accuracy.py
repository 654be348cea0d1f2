"""Per-script OCR character accuracy of draw_text_block output (plain, photo, textured backgrounds).

Run: python benchmarks/ocr_accuracy.py  (needs tesseract-ocr and its language packs).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocr_judge import SAMPLES, Verdict, backgrounds, judge_all  # noqa: E402


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
    """Judge every sample on every background and print the table and the misses."""
    start = time.perf_counter()
    verdicts = judge_all(SAMPLES)
    print(table(verdicts))
    for v in verdicts:
        if v.accuracy < 1.0:
            print(f"miss: {v.sample.script} {v.background} {v.accuracy:.2f}: {v.sample.text!r} read as {v.reading!r}")
    print(f"{len(verdicts)} images judged in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()

"""Median plan + render + PNG encode time of the built-in renderer, in ms.

    python benchmarks/render_timing.py [--runs 7] [--quality medium] [--glibc-malloc-defaults]

Times are thread CPU time unless --wall. The process keeps freed buffers as the built-in engine
makes it do (`render._malloc`); --glibc-malloc-defaults measures without that (every render then
page-faults its buffers back in).
"""

from __future__ import annotations

import argparse
import statistics
import time


from imagegate.render._malloc import keep_freed_memory
from imagegate.render.encode import encode_image
from imagegate.render.scene import render_plan
from imagegate.planning.planner import RulePlanner

PROMPTS = {
    "watch": (
        "A product advertisement for a luxury watch brand.\n"
        "The watch should be centered on a dark marble surface.\n"
        "Dramatic side lighting highlights the metal case.\n"
        "Include the text 'Precision. Perfected.' in elegant serif font in the upper right.\n"
        "Wide format suitable for a magazine spread."
    ),
    "headshot": "A professional headshot of a woman in her 30s, soft studio lighting, neutral background, photorealistic",
    "iphone": "A product launch poster for the latest iPhone. Modern Apple aesthetic, clean white background.",
    "city": "A red sports car on the left in a night city, neon lighting, with the title 'MIDNIGHT' in bold at the top",
    "simple": "a red apple",
}
SIZES = ((1024, 1024), (2048, 2048))


clock = time.thread_time


def time_once(prompt: str, width: int, height: int, quality: str, seed: int) -> tuple[float, float, float]:
    """(plan, render, encode) seconds for one image."""
    t0 = clock()
    plan = RulePlanner().plan(prompt)
    t1 = clock()
    image = render_plan(plan, width, height, seed, quality=quality)
    t2 = clock()
    encode_image(image, "png", None)
    return t1 - t0, t2 - t1, clock() - t2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quality", default="medium")
    parser.add_argument("--wall", action="store_true", help="wall-clock time instead of the thread's CPU time")
    parser.add_argument("--glibc-malloc-defaults", action="store_true", help="do not keep freed buffers (as the engine would)")
    args = parser.parse_args()
    global clock
    clock = time.perf_counter if args.wall else time.thread_time
    if not args.glibc_malloc_defaults:
        keep_freed_memory()
    time_once(PROMPTS["watch"], 256, 256, args.quality, 0)  # warm fonts and imports
    kind = "wall" if args.wall else "CPU"
    print(f"{'prompt':<10} {'size':>10} {'plan':>7} {'render':>8} {'encode':>8} {'total':>8} {'best':>7}  (median {kind} ms, {args.runs} runs, quality={args.quality})")
    for width, height in SIZES:
        for name, prompt in PROMPTS.items():
            runs = [time_once(prompt, width, height, args.quality, seed) for seed in range(args.runs)]
            plan, render, encode = (statistics.median(r[i] for r in runs) * 1000 for i in range(3))
            total = statistics.median(sum(r) for r in runs) * 1000
            best = min(sum(r) for r in runs) * 1000
            print(f"{name:<10} {width}x{height:<5} {plan:7.2f} {render:8.1f} {encode:8.1f} {total:8.1f} {best:7.1f}")


if __name__ == "__main__":
    main()

"""Render 36 varied prompts with the built-in engine and tile them into a captioned contact sheet.

    python scripts/contact_sheet.py [--out docs/contact-sheet/contact-sheet.jpg] [--size 512] [--tile 384]

Each prompt goes through the rule planner and `render_plan` at size x size (seed 3, medium
quality), is shrunk to a tile and captioned with its prompt. The sheet shows what the renderer
draws from a plan: sky states, horizons, surfaces, relations, subject kinds, reflections, weather
and text on the object that carries it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from imagegate.planning.planner import RulePlanner  # noqa: E402
from imagegate.render.scene import render_plan  # noqa: E402
from imagegate.render.text import draw_text_block  # noqa: E402

PROMPTS = [
    "A cat sitting on a windowsill at sunset, a potted plant beside it",
    "A shop sign on a brick wall that reads 'OPEN'",
    "A misty mountain landscape at dawn with a lake in the foreground",
    "A luxury watch centered on a dark marble surface, dramatic side lighting, a subtle reflection of the watch on the marble surface",
    "A red car on a city street at night in the rain",
    "A sailboat on the sea at a sunny beach at noon",
    "A small cabin in a forest in the mist, morning",
    "A glass perfume bottle on a marble table with a label that reads 'NOIR'",
    "A coffee mug on a wooden desk next to a laptop, morning light",
    "A birthday cake on a wooden table",
    "Two swans on a lake in the morning fog",
    "A red bicycle leaning against a brick wall",
    "A lighthouse on a cliff at sunset",
    "A snowy cabin under a starry night sky",
    "A chalkboard sign on the street that reads 'Café ouvert'",
    "A Japanese shop sign with 「営業中」 on a wooden wall",
    "A hot air balloon over green hills in the afternoon",
    "A wine bottle on a kitchen counter with a label that reads 'Château 2019'",
    "Three apples on a kitchen counter",
    "A dog on the grass under a big oak tree at golden hour",
    "A ship on a stormy sea",
    "A poster on a concrete wall with the Arabic text \"مرحبا بكم\"",
    "A potted plant on a shelf beside a lamp",
    "A food truck on a street at dusk with a sign that reads 'TACOS'",
    # animals by body plan, people in scenes, rooms, objects and light effects
    "A chef cooking in a restaurant kitchen",
    "A camel crossing sand dunes at noon",
    "A giraffe on the savanna at sunset",
    "A butterfly on a flower in a garden",
    "A scuba diver swimming above a coral reef",
    "An astronaut floating in outer space",
    "A cup of coffee with steam rising on a wooden table, bokeh lights in the background",
    "A red sports car speeding on a highway, motion blur",
    "A lit candle on a wooden table at night",
    "A vintage alarm clock on a nightstand",
    "A red umbrella in the rain on a city street",
    "A farmer in a wheat field at golden hour",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "contact-sheet" / "contact-sheet.png"))
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--tile", type=int, default=384)
    parser.add_argument("--columns", type=int, default=6)
    args = parser.parse_args()
    planner = RulePlanner()
    tile, caption, gap = args.tile, max(40, args.tile // 7), 8
    rows = -(-len(PROMPTS) // args.columns)
    sheet = Image.new("RGB", (args.columns * (tile + gap) + gap, rows * (tile + caption + gap) + gap), (250, 250, 248))
    times = []
    for i, prompt in enumerate(PROMPTS):
        plan = planner.plan(prompt)
        t0 = time.perf_counter()
        image = render_plan(plan, args.size, args.size, 3)
        times.append(time.perf_counter() - t0)
        x = gap + (i % args.columns) * (tile + gap)
        y = gap + (i // args.columns) * (tile + caption + gap)
        sheet.paste(image.resize((tile, tile), Image.LANCZOS), (x, y))
        draw_text_block(sheet, prompt, (x + 4, y + tile + 3, x + tile - 4, y + tile + caption - 2), color=(36, 36, 40),
                        max_font_px=max(10, caption // 3))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out, quality=88, optimize=True)  # JPEG: a tenth of the PNG's size
    print(f"{args.out}: {len(PROMPTS)} prompts at {args.size} px, median render {sorted(times)[len(times) // 2] * 1000:.1f} ms")


if __name__ == "__main__":
    main()

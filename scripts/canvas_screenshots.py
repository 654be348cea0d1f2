"""Screenshots of the canvas's main screens into docs/canvas/ (PNG), taken by its browser tests.

    .venv/bin/python scripts/canvas_screenshots.py

Runs tests/web/test_canvas.py with IMAGEGATE_CANVAS_SCREENSHOTS=1: a real server (the null
engine, so the images are flat colours), Debian's Chromium, light and dark themes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    env = {**os.environ, "IMAGEGATE_CANVAS_SCREENSHOTS": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/web/test_canvas.py"], cwd=ROOT, env=env)
    print("\n".join(sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs" / "canvas").glob("*.png"))))
    sys.exit(done.returncode)

#!/usr/bin/env bash
# Installs everything imagegate needs on a Debian machine, as root: system packages (fonts,
# FriBiDi for text shaping, Tesseract for the OCR tests, curl), then a virtual environment in
# .venv with imagegate and its test extras. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-pip curl ca-certificates postgresql
  libfribidi0 fontconfig fonts-dejavu-core
  fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji fonts-noto-mono fonts-dancingscript
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-ell tesseract-ocr-chi-sim
  tesseract-ocr-jpn tesseract-ocr-kor tesseract-ocr-ara tesseract-ocr-heb
  tesseract-ocr-hin tesseract-ocr-tha tesseract-ocr-ben
  redis-server  # shared rate limits and caches for several API processes (the cluster tests start their own)
  wrk  # HTTP load for benchmarks/
  chromium  # the canvas's browser tests (tests/web, driven by Playwright; no browser download)
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# torch first, pinned: this exact version installs a CPU build; any other spec pulls a CUDA build
# of several GB. On a GPU machine install the CUDA torch you want before running this script.
.venv/bin/python -c "import torch" 2>/dev/null || .venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[test,postgres,diffusers,moderation,cluster]"
.venv/bin/python -m compileall -q src/imagegate >/dev/null  # bytecode now: starts need not compile the sources (even with PYTHONDONTWRITEBYTECODE)
# The content policy's embedding model runs on onnxruntime: export the packaged weights to ONNX
# once (a few seconds; does nothing when an export of the same weights is there).
.venv/bin/python -m imagegate.policy.semantic --export
echo "setup: done (.venv/bin/imagegate)"

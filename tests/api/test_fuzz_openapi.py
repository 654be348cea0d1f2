"""schemathesis against a live server's own `/openapi.json`, over every operation: schema-valid,
schema-breaking, streaming and lone-surrogate requests, then the jobs, image URLs and keys the
answers named. Each answer is checked for 5xx, undeclared statuses and content types, and bodies
(stream events included) that break the declared schema.

The harness is benchmarks/fuzz_api.py, which also runs longer; here a few derandomised cases per
operation and pass keep it to seconds.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fuzz_api import fuzz, live_server

pytestmark = pytest.mark.e2e

EXAMPLES = 5  # per operation and pass


def test_every_operation_survives_the_fuzzer(tmp_path: Path):
    with live_server(tmp_path) as server:
        document = httpx.get(f"{server.base}/openapi.json").json()
        report = fuzz(server.base, server.admin_key, examples=EXAMPLES)
    operation_ids = {op["operationId"] for item in document["paths"].values() for op in item.values()}
    assert set(report.cases) == operation_ids, "every operation in the document was fuzzed"
    if report.failures:
        pytest.fail("\n\n".join(f"{op}: {check}: {title}\n{example}" for (op, check, title), example in sorted(report.failures.items())), pytrace=False)
    succeeded = {op for op, status in report.statuses if 200 <= status < 300}
    assert {"createImage", "createImageEdit", "createImageVariation", "createApiKey", "retrieveImageJob", "retrieveImageFile"} <= succeeded, \
        "the fuzzer got past validation, and followed what the answers named"

"""Request ids and default seeds.

They need to be unique, not secret: a generator seeded from `os.urandom` (and re-seeded in
forked children) makes them without a system call per request; a system call on the event
loop's thread hands the GIL to busy worker threads and waits to get it back.
"""

from __future__ import annotations

import os
import random

_random = random.Random()
os.register_at_fork(after_in_child=_random.seed)


def random_bits(bits: int) -> int:
    """`bits` random bits from the process's generator."""
    return _random.getrandbits(bits)


def new_request_id() -> str:
    """An id in OpenAI's `req_...` form."""
    return f"req_{_random.getrandbits(128):032x}"

"""Keep freed image buffers in the process instead of handing them back to the kernel (glibc).

A render allocates and frees tens of MB of NumPy arrays and Pillow images, most of them 1-12 MB.
glibc serves blocks above its mmap threshold with fresh mmaps and returns the top of its heaps
to the kernel once more than the trim threshold lies free there. Both thresholds start low
(128 KB) and rise only as far as the largest mmapped block freed so far, so a renderer's
working set keeps going back to the kernel and every render page-faults it in again: about
3,600 faults and 10-13 ms of system time per 1024x1024 image on a 2-core machine, a quarter
of the image's CPU, taken under the process's mmap lock, which concurrent renders share.

`keep_freed_memory()` sets the thresholds to where glibc's own dynamic rule tops out (mmap
above 32 MB, trim above 64 MB free), so freed buffers stay in the heap for the next render:
the faults drop to a few dozen per image. The cost is memory: the process keeps its peak
working set (and up to 64 MB more per malloc arena) instead of shrinking between bursts.
It is process-wide and applied once; elsewhere than on glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import platform
import threading

log = logging.getLogger("imagegate.render")

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # what glibc's dynamic rule sets alongside it

_lock = threading.Lock()
_applied: bool | None = None


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds for this process (once); True when they are set."""
    global _applied
    with _lock:
        if _applied is None:
            _applied = _set_thresholds()
        return _applied


def _set_thresholds() -> bool:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # pragma: no cover - a glibc without the symbol
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    if not done:  # pragma: no cover - mallopt refuses only out-of-range values
        log.warning("could not raise glibc's malloc thresholds; renders will page-fault their buffers")
    return done

"""A process-wide memory budget per device: keeps models warm, unloads the least recently used.

Every diffusers engine on a device registers its loaded pipeline here with its size
(parameters x dtype size). Before a new model goes onto the device, idle models are unloaded,
least recently used first, until the new one fits the budget. A model that is busy (its lock
is held: it is loading or generating) is never unloaded. A model bigger than the whole budget
still loads — alone — with a warning, so a too-small budget degrades to "one model at a time".
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Protocol

log = logging.getLogger("imagegate.engines.diffusers")

GB = 1024**3


class Unloadable(Protocol):
    """What the pool needs of a model holder."""

    model_name: str

    def try_unload(self) -> bool:
        """Unload unless busy; True when it was unloaded."""
        ...


class MemoryPool:
    """Loaded models on one device, most recently used last.

    The budget is the loading engine's (`memory_budget_gb`): when a model loads, the models
    loaded on the device, itself included, are kept within the budget that engine was given.
    """

    def __init__(self, device: str) -> None:
        self.device = device
        self._lock = threading.Lock()
        self._loaded: OrderedDict[int, tuple[Unloadable, int]] = OrderedDict()
        self.unloads = 0

    @property
    def used_bytes(self) -> int:
        with self._lock:
            return sum(size for _, size in self._loaded.values())

    def admit(self, holder: Unloadable, size: int, budget_bytes: int | None) -> None:
        """Make room for `size` bytes under `budget_bytes` (None: no limit), unloading idle models
        least recently used first, then record `holder` as loaded."""
        with self._lock:
            self._loaded.pop(id(holder), None)
            if budget_bytes is not None:
                for key, (other, other_size) in list(self._loaded.items()):
                    if sum(s for _, s in self._loaded.values()) + size <= budget_bytes:
                        break
                    if other.try_unload():
                        self._loaded.pop(key, None)
                        self.unloads += 1
                        log.info("unloaded %s (%.2f GB) to make room on %s", other.model_name, other_size / GB, self.device)
                used = sum(s for _, s in self._loaded.values())
                if used + size > budget_bytes:
                    log.warning(
                        "%s needs %.2f GB; %.2f GB of %.2f GB in use on %s by busy models; loading over budget",
                        holder.model_name, size / GB, used / GB, budget_bytes / GB, self.device,
                    )
            self._loaded[id(holder)] = (holder, size)

    def touch(self, holder: Unloadable) -> None:
        """Mark `holder` as just used."""
        with self._lock:
            if id(holder) in self._loaded:
                self._loaded.move_to_end(id(holder))

    def forget(self, holder: Unloadable) -> None:
        """`holder` unloaded itself."""
        with self._lock:
            self._loaded.pop(id(holder), None)

    def loaded(self) -> list[str]:
        """Names of loaded models, least recently used first."""
        with self._lock:
            return [holder.model_name for holder, _ in self._loaded.values()]


_pools: dict[str, MemoryPool] = {}
_pools_lock = threading.Lock()


def pool_for(device: str) -> MemoryPool:
    """The shared pool of a device ("cuda:0", "cpu", ...)."""
    with _pools_lock:
        if device not in _pools:
            _pools[device] = MemoryPool(device)
        return _pools[device]

"""Cross-request batching: compatible jobs that arrive close together run as one call.

A job says what it is compatible with (`key`: for diffusers the shape, steps and guidance),
how many images it adds (`size`) and carries an opaque `payload`. Jobs with the same key join
an open batch until it holds `max_batch` images or `window_s` has passed since the batch was
opened; then the batch runs in a worker thread (the executor the batcher is given for its lane,
else anyio's thread pool) and each job gets back only its own slice of the results.

Batches start in the order they were opened (first come, first served), on up to `concurrency`
lanes at once; `Batch.lane` (0 .. concurrency - 1) says which, so a caller can keep one worker
thread and one set of per-call state per lane. With `max_batch = 1` every job is its own batch
and the queue is plain FIFO. A window only delays a batch while a lane is free to run it: a
batch that waited for a busy lane starts as soon as one frees.

Cancellation (the awaiting task is cancelled, e.g. the client went away):
* a job still waiting in an open batch is removed from it, and never runs;
* a job whose batch is running is marked cancelled; its results are dropped when the batch
  ends, and when every job of the running batch is cancelled the batch is marked
  `interrupted`, which the run function polls to stop early.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import anyio


@dataclass(eq=False)
class Job:
    """One caller's share of a batch."""

    key: Hashable
    size: int
    payload: Any
    future: asyncio.Future
    cancelled: bool = False


@dataclass(eq=False)
class Batch:
    """Jobs that run as one call."""

    key: Hashable
    deadline: float
    jobs: list[Job] = field(default_factory=list)
    running: bool = False
    interrupted: bool = False  # every job was cancelled while it ran: stop early
    lane: int = 0  # which of the batcher's `concurrency` lanes runs it

    @property
    def images(self) -> int:
        return sum(job.size for job in self.jobs)


RunBatch = Callable[[Batch], list[Any]]  # one result per job, in job order; runs in a thread


class Batcher:
    """Groups jobs by key into batches and runs them, oldest first, on up to `concurrency`
    lanes at once with `run` in a worker thread."""

    def __init__(
        self, run: RunBatch, max_batch: int = 8, window_s: float = 0.02,
        executor: Callable[[int], Executor] | None = None, concurrency: int = 1,
    ) -> None:
        self.run = run
        self.executor = executor  # lane -> the thread to run its batches in; None: anyio's pool
        self.max_batch = max(1, int(max_batch))
        self.window_s = max(0.0, float(window_s))
        self.concurrency = max(1, int(concurrency))
        self.calls = 0  # batches run
        self.batch_sizes: list[int] = []  # images per batch run, most recent last (bounded)
        self._open: list[Batch] = []
        self._running: list[Batch] = []
        self._tasks: set[asyncio.Task] = set()
        self._driver: asyncio.Task | None = None
        self._changed: asyncio.Event | None = None

    def configure(self, max_batch: int | None = None, window_s: float | None = None, concurrency: int | None = None) -> None:
        """Change the limits (the engine does once it knows its device, before it queues any
        job); callable from any thread, and applies to batches opened and started later."""
        if max_batch is not None:
            self.max_batch = max(1, int(max_batch))
        if window_s is not None:
            self.window_s = max(0.0, float(window_s))
        if concurrency is not None:
            self.concurrency = max(1, int(concurrency))

    @property
    def pending(self) -> int:
        """Jobs waiting in open batches."""
        return sum(len(b.jobs) for b in self._open)

    @property
    def running(self) -> int:
        """Batches running now."""
        return len(self._running)

    async def submit(self, key: Hashable, size: int, payload: Any) -> Any:
        """Queue a job and wait for its result; cancelling the caller withdraws the job."""
        if size > self.max_batch:
            raise ValueError(f"a job of {size} images does not fit a batch of {self.max_batch}")
        loop = asyncio.get_running_loop()
        self._ensure_driver(loop)
        job = Job(key, size, payload, loop.create_future())
        self._add(job, loop.time())
        try:
            return await job.future
        except asyncio.CancelledError:
            self._withdraw(job)
            raise

    def _ensure_driver(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._driver is not None and not self._driver.done() and self._driver.get_loop() is loop:
            return
        if self._driver is not None and self._driver.get_loop() is not loop:
            # a previous event loop went away with its jobs; they can never be answered
            self._open.clear()
            self._running.clear()
            self._tasks.clear()
        self._changed = asyncio.Event()
        self._driver = loop.create_task(self._drive(), name="imagegate-batcher")

    def _add(self, job: Job, now: float) -> None:
        for batch in self._open:
            if batch.key == job.key and batch.images + job.size <= self.max_batch:
                batch.jobs.append(job)
                break
        else:
            batch = Batch(job.key, now + self.window_s, [job])
            self._open.append(batch)
        if batch.images >= self.max_batch:  # full: start it now if a lane is free (with a 0 ms
            self._pump()  # window, jobs submitted together still meet on the driver's next turn)
        self._notify()

    def _withdraw(self, job: Job) -> None:
        job.cancelled = True
        for batch in self._open:
            if job in batch.jobs:
                batch.jobs.remove(job)
                if not batch.jobs:
                    self._open.remove(batch)
                self._notify()
                return
        for running in self._running:
            if job in running.jobs and all(j.cancelled for j in running.jobs):
                running.interrupted = True

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()

    def _pump(self) -> float | None:
        """Start batches, oldest first, while a lane is free and the oldest may start (it is full
        or its window is over); the seconds until the oldest's window ends, or None when it is
        not waiting for its window (nothing open, or every lane busy)."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self._open and len(self._running) < self.concurrency:
            batch = self._open[0]
            if batch.images < self.max_batch and batch.deadline > now:
                return batch.deadline - now
            self._open.pop(0)
            self._start(batch, loop)
        return None

    async def _drive(self) -> None:
        """Starts batches whose window ends while nothing else happens; submissions and ends of
        runs start what they can themselves."""
        assert self._changed is not None
        changed = self._changed
        while self._open:
            changed.clear()
            delay = self._pump()
            if not self._open:
                break
            if delay is None:  # every lane busy: the end of a run starts the next batch
                await changed.wait()
                continue
            try:
                await asyncio.wait_for(changed.wait(), delay)
            except TimeoutError:
                pass

    def _start(self, batch: Batch, loop: asyncio.AbstractEventLoop) -> None:
        busy = {b.lane for b in self._running}
        batch.lane = next(lane for lane in range(len(busy) + 1) if lane not in busy)
        batch.running = True
        self._running.append(batch)
        self.calls += 1
        self.batch_sizes = [*self.batch_sizes[-255:], batch.images]
        task = loop.create_task(self._run_batch(batch), name="imagegate-batch")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_batch(self, batch: Batch) -> None:
        try:
            if self.executor is not None:
                results = await _wait_in(self.executor(batch.lane), self.run, batch)
            else:
                results = await anyio.to_thread.run_sync(self.run, batch)
        except Exception as exc:  # noqa: BLE001 -- the run failed: every waiting job gets the error
            for job in batch.jobs:
                if not job.future.done():
                    job.future.set_exception(exc)
        except BaseException:  # the run's task was cancelled (its event loop is shutting down)
            for job in batch.jobs:
                job.future.cancel()
            self._end(batch)
            raise
        else:
            for job, result in zip(batch.jobs, results, strict=True):
                if not job.future.done():
                    job.future.set_result(result)
        self._end(batch)
        self._pump()  # the lane is free: the next batch starts at once
        self._notify()

    def _end(self, batch: Batch) -> None:
        batch.running = False
        if batch in self._running:
            self._running.remove(batch)


async def _wait_in(executor: Executor, fn: Callable[[Batch], list[Any]], batch: Batch) -> list[Any]:
    """`fn(batch)` in `executor`; like anyio's threads, a cancelled caller still waits for the
    run to end (a thread cannot be stopped), then raises CancelledError."""
    future = asyncio.get_running_loop().run_in_executor(executor, fn, batch)
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await asyncio.wait([future])
        raise

"""Render processes: where the built-in engine sends renders that would otherwise wait on the GIL.

About a quarter of a render holds the GIL (Pillow drawing, merges, `tobytes`), so renders in
threads of one process keep at most ~1.6 cores busy. The built-in engine renders its first
concurrent image in its own process, as before, and hands each further concurrent one to a
render process, which also encodes it: the parent gets the finished file's bytes.

A render process is a plain `python -m imagegate.render.pool` child (not `multiprocessing`'s
spawn, which would import the server's `__main__`), talking over a socket pair with
`multiprocessing.connection` framing: it imports only the renderer (~0.3 s, ~40 MB, ~60-100 MB
once it has rendered). Processes start on first need, in the background (the render that found
none ready runs in-process meanwhile), and exit after `idle_seconds` without work, so an idle
server holds none.

The protocol, one task at a time per process. Parent to child: `("render", kwargs)`,
`("cancel",)`. Child to parent: `("ready",)` once, then per task any number of
`("progress", step, total, preview_bytes)` and one of `("done", data)`, `("cancelled",)`,
`("error", exception)`. A child that dies or exits mid-task is noticed as end of file: the
caller then renders the task itself, so a crash costs time, never an answer (renders are
deterministic per plan, seed, size and quality).
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger("imagegate.render")

_POLL_SECONDS = 0.05  # how often a waiting parent looks at its cancel token


class WorkerLost(Exception):
    """The render process went away before it answered; render the task elsewhere."""


class TaskCancelled(Exception):
    """The task was cancelled (the child stopped at a stage boundary)."""


class _Worker:
    """One child process and the parent's end of its connection."""

    def __init__(self, proc: subprocess.Popen, conn: Connection) -> None:
        self.proc = proc
        self.conn = conn

    def close(self) -> None:
        try:
            self.conn.close()
        except OSError:  # pragma: no cover - already closed
            pass
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a child ignoring SIGTERM
            self.proc.kill()
            self.proc.wait()


class RenderPool:
    """Up to `size` render processes, started in the background on first need, and the
    dispatch between them and the calling process.

    `slot()` says where a render goes: this process when it renders nothing now, else an idle
    render process; when every one is busy the caller waits for the first to free up (renders
    piled up in one process only queue on its GIL while the render processes go idle). While a
    render process is starting, or when none can start, the render stays here.
    """

    def __init__(self, size: int, idle_seconds: float = 60.0) -> None:
        self.size = size
        self.idle_seconds = idle_seconds
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._live = 0  # started or starting, busy or idle
        # every process started, until it is closed: a pool dropped without close() (or the
        # interpreter exiting) still stops them, and no Popen is collected while its child runs
        self._children: set[_Worker] = set()
        weakref.finalize(self, _stop_all, self._children)
        self._here = 0  # renders in the calling process now
        self._closed = False
        self._broken_until = 0.0  # after a failed start: render here for a while
        self.started = 0  # processes started over the pool's life (for tests and benchmarks)

    @property
    def live(self) -> int:
        return self._live

    def slot(self, cancelled: Callable[[], bool] = lambda: False) -> _Worker | None:
        """A render process for the next render, or None: render it here, then call `leave()`."""
        with self._cond:
            while True:
                if self._here == 0 or self._closed or time.monotonic() < self._broken_until or cancelled():
                    self._here += 1
                    return None
                while self._idle:
                    worker = self._idle.pop()
                    if worker.proc.poll() is None:
                        return worker
                    self._live -= 1  # exited while idle (its idle timeout): forget it
                    self._children.discard(worker)
                    worker.close()
                if self._live < self.size:
                    self._live += 1
                    threading.Thread(target=self._start, name="imagegate-render-start", daemon=True).start()
                    self._here += 1
                    return None
                self._cond.wait(_POLL_SECONDS)

    def enter(self) -> None:
        """A render here that did not come from `slot()` (its render process went away)."""
        with self._cond:
            self._here += 1

    def leave(self) -> None:
        """A render here finished."""
        with self._cond:
            self._here -= 1
            self._cond.notify()

    def release(self, worker: _Worker) -> None:
        with self._cond:
            if not self._closed and worker.proc.poll() is None:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._live -= 1
            self._children.discard(worker)
            self._cond.notify()
        worker.close()

    def discard(self, worker: _Worker) -> None:
        """Drop a process that failed or is in an unknown state."""
        with self._cond:
            self._live -= 1
            self._children.discard(worker)
            self._cond.notify()
        worker.close()

    def _start(self) -> None:
        try:
            worker = _spawn(self.idle_seconds)
        except Exception:  # a child that cannot start: renders stay in-process for a minute
            log.exception("could not start a render process; rendering in-process")
            with self._cond:
                self._live -= 1
                self._broken_until = time.monotonic() + 60
                self._cond.notify_all()
            return
        # a child exits by itself after its idle timeout: reap it then (no zombie until the next
        # render) and forget it. The thread holds the pool weakly, so a dropped pool is still
        # collected; it starts before the worker is offered, so nothing is left to do here after.
        threading.Thread(target=_reap, args=(weakref.ref(self), worker), name="imagegate-render-reap", daemon=True).start()
        with self._cond:
            self.started += 1
            closed = self._closed
            if not closed:
                self._children.add(worker)
                self._idle.append(worker)
                self._cond.notify()
        if closed:
            worker.close()

    def _forget_exited(self, worker: _Worker) -> None:
        """A child that exited while idle: out of the pool (one that exited mid-task is the caller's
        to discard)."""
        with self._cond:
            if worker not in self._idle:
                return
            self._idle.remove(worker)
            self._live -= 1
            self._children.discard(worker)
            self._cond.notify()
        worker.close()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._live -= len(idle)
            self._children.difference_update(idle)
            self._cond.notify_all()
        for worker in idle:
            worker.close()

    def run(self, worker: _Worker, task: dict[str, Any], cancelled: Callable[[], bool],
            on_progress: Callable[[int, int, bytes | None], None]) -> bytes:
        """Run `task` on `worker` (acquired from this pool; released or discarded here): the
        encoded image. Raises `WorkerLost` (render it elsewhere), `TaskCancelled`, the task's own
        exception, or what `on_progress` raised (the child is told to stop first)."""
        conn = worker.conn
        failure: BaseException | None = None
        try:
            conn.send(("render", task))
            cancel_sent = False
            while True:
                if not cancel_sent and (failure is not None or cancelled()):
                    conn.send(("cancel",))
                    cancel_sent = True
                if not conn.poll(_POLL_SECONDS):
                    if worker.proc.poll() is not None and not conn.poll(0):
                        raise EOFError("the render process exited")
                    continue
                message = conn.recv()
                if message[0] != "progress":
                    break
                if failure is None and not cancel_sent:
                    try:
                        on_progress(message[1], message[2], message[3])
                    except BaseException as exc:  # noqa: BLE001 - re-raised once the child has stopped
                        failure = exc
        except (EOFError, OSError) as exc:
            self.discard(worker)
            if failure is not None:
                raise failure from None
            raise WorkerLost(str(exc) or "the render process went away") from None
        self.release(worker)
        if failure is not None:
            raise failure
        if message[0] == "done":
            return message[1]
        if message[0] == "cancelled":
            raise TaskCancelled()
        raise message[1]


def _reap(pool_ref: weakref.ref, worker: _Worker) -> None:
    worker.proc.wait()
    pool = pool_ref()
    if pool is not None:
        pool._forget_exited(worker)


def _stop_all(children: set[_Worker]) -> None:
    for worker in list(children):
        worker.close()
    children.clear()


def _spawn(idle_seconds: float, timeout: float = 30.0) -> _Worker:
    parent, child = socket.socketpair()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "imagegate.render.pool", str(child.fileno()), str(idle_seconds)],
            pass_fds=(child.fileno(),), stdin=subprocess.DEVNULL, close_fds=True,
        )
    finally:
        child.close()
    conn = Connection(parent.detach())
    if not conn.poll(timeout) or conn.recv() != ("ready",):
        proc.kill()
        proc.wait()
        conn.close()
        raise RuntimeError("the render process did not start")
    return _Worker(proc, conn)


# -- the child ----------------------------------------------------------------------------------

class _Cancelled(Exception):
    pass


def _serve(conn: Connection, idle_seconds: float) -> None:
    from PIL import Image  # imported here: the parent, importing this module, needs none of it

    from imagegate.render._malloc import keep_freed_memory
    from imagegate.render.encode import encode_image
    from imagegate.render.scene import render_plan

    keep_freed_memory()
    conn.send(("ready",))
    while conn.poll(idle_seconds):
        message = conn.recv()
        if message[0] != "render":
            continue  # a cancel for a task already answered
        task = message[1]
        fmt, compression = task.pop("fmt"), task.pop("compression")
        width, height = task["width"], task["height"]

        def report(step: int, total: int, preview: Image.Image | None = None) -> None:
            if conn.poll(0):  # the only thing a parent sends mid-task is a cancel
                conn.recv()
                raise _Cancelled
            data = None
            if preview is not None:
                if preview.size != (width, height):
                    preview = preview.resize((width, height), Image.BILINEAR)
                data = encode_image(preview, fmt, compression)
            conn.send(("progress", step, total, data))

        try:
            image = render_plan(on_progress=report, **task)
            answer = ("done", encode_image(image, fmt, compression))
        except _Cancelled:
            answer = ("cancelled",)
        except Exception as exc:  # the parent re-raises it
            answer = ("error", exc)
        try:
            conn.send(answer)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError):  # an exception that does not pickle
            conn.send(("error", RuntimeError(f"render failed: {answer[1]!r}")))


def main(argv: list[str]) -> None:
    fd, idle_seconds = int(argv[0]), float(argv[1])
    conn = Connection(fd)
    try:
        _serve(conn, idle_seconds)
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        pass  # the parent went away
    finally:
        conn.close()
        os._exit(0)  # no interpreter teardown: nothing to flush, and it is faster


if __name__ == "__main__":
    main(sys.argv[1:])

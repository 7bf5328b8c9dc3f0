"""Worker processes supervised one by one: a worker that dies or hangs costs only its chunk.

``WorkerPool.map`` sends chunks of documents to N worker processes, one chunk per worker
at a time, and yields their results in input order. Each worker runs ``process_chunk``
(with its time budgets) and tells the supervisor before every budgeted step that it is
alive. The supervisor

- restarts a worker that dies (killed for memory, a crash in native code) or that stays
  silent past a step's budget plus ``GRACE_SECONDS`` (a hang the timer signal cannot
  interrupt, inside native code), and
- sends each document of the lost chunk again, alone; a document whose worker dies or
  hangs again is reported (``WorkerDiedError``, ``DocumentTimeout``) and the run goes on.

Workers are forked on Linux, so they share the parent's loaded model and data until they
write to them; elsewhere they are spawned and load their own.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection, wait
from typing import Any

from ..errors import DocumentTimeout, InputError, WorkerDiedError
from ..model import Document
from ..options import Options
from .local import Result, process_chunk

#: Seconds a worker may stay silent beyond a step's time budget before it is taken for hung
#: (loading the model on its first chunk takes a few seconds).
GRACE_SECONDS = 60.0
#: Seconds a worker may take for a step when no time budget is set.
NO_BUDGET_SECONDS = 24 * 3600.0
#: Seconds to wait for a worker to exit after it is told to stop.
STOP_SECONDS = 5.0


def _context() -> Any:
    return mp.get_context("fork" if sys.platform == "linux" else "spawn")


def _serve(conn: Connection, options: Options) -> None:
    """A worker: chunks in, ``("alive",)`` before each budgeted step, results out, until ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's to handle
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        tid, docs = task
        results = process_chunk(docs, options, on_phase=partial(conn.send, ("alive", tid)))
        conn.send(("done", tid, results))


@dataclass
class _Task:
    """Some documents of one chunk: all of them, or one retried alone."""

    chunk: int
    slots: list[int]  # their places in the chunk
    docs: list[Document]
    alone: bool = False


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    task: _Task | None = None
    deadline: float = 0.0


@dataclass
class _Chunk:
    results: list[Result | None]
    missing: int = field(default=0)


class WorkerPool:
    """N supervised worker processes running ``process_chunk`` (see the module docstring)."""

    def __init__(self, workers: int, options: Options) -> None:
        self.n = max(1, workers)
        self.options = options
        self.ctx = _context()
        self.step_seconds = (options.time_budget or NO_BUDGET_SECONDS) + GRACE_SECONDS

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(child, self.options), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def map(self, chunks: Iterable[list[Document]]) -> Iterator[list[Result]]:
        """Results of each chunk, in the order of the chunks."""
        source = iter(chunks)
        workers = [self._start() for _ in range(self.n)]
        queue: deque[_Task] = deque()
        pending: dict[int, _Chunk] = {}
        next_chunk = 0  # the next chunk id to read
        next_out = 0  # the next chunk id to yield
        exhausted = False
        try:
            while True:
                # feed idle workers: retries first, then new chunks
                for w in workers:
                    if w.task is not None:
                        continue
                    if not queue and not exhausted:
                        docs = next(source, None)
                        if docs is None:
                            exhausted = True
                        else:
                            pending[next_chunk] = _Chunk([None] * len(docs), len(docs))
                            queue.append(_Task(next_chunk, list(range(len(docs))), docs))
                            next_chunk += 1
                    if queue:
                        self._send(w, queue.popleft())
                while next_out in pending and pending[next_out].missing == 0:
                    done = pending.pop(next_out)
                    yield [r for r in done.results if r is not None]
                    next_out += 1
                busy = [w for w in workers if w.task is not None]
                if not busy:
                    if exhausted and not queue and not pending:
                        return
                    continue
                self._collect(workers, busy, queue, pending)
        finally:
            self._stop(workers)

    def _send(self, w: _Worker, task: _Task) -> None:
        w.task = task
        w.deadline = time.monotonic() + self.step_seconds
        try:
            w.conn.send((task.chunk, task.docs))
        except (BrokenPipeError, EOFError, OSError):
            pass  # found dead when its answer is awaited

    def _collect(self, workers: list[_Worker], busy: list[_Worker], queue: deque[_Task],
                 pending: dict[int, _Chunk]) -> None:
        """Wait for a message, a death or a deadline, and act on it."""
        timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
        ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout)
        now = time.monotonic()
        for k, w in enumerate(workers):
            if w.task is None:
                continue
            lost: str | None = None
            if w.conn in ready:
                try:
                    while w.conn.poll():
                        msg = w.conn.recv()
                        if msg[0] == "alive":
                            w.deadline = time.monotonic() + self.step_seconds
                        else:
                            self._deliver(w.task, msg[2], pending)
                            w.task = None
                            break
                except (EOFError, OSError):
                    lost = _death(w.proc)
            elif w.proc.sentinel in ready:
                lost = _death(w.proc)
            elif now >= w.deadline:
                lost = "hung"
            if lost is not None and w.task is not None:
                task, w.task = w.task, None
                workers[k] = self._replace(w)
                self._lost(task, lost, queue, pending)

    def _deliver(self, task: _Task, results: list[Result], pending: dict[int, _Chunk]) -> None:
        chunk = pending[task.chunk]
        for slot, r in zip(task.slots, results, strict=True):
            chunk.results[slot] = r
            chunk.missing -= 1

    def _lost(self, task: _Task, why: str, queue: deque[_Task], pending: dict[int, _Chunk]) -> None:
        """A worker died or hung on ``task``: retry each document alone, or report the one that was."""
        if not task.alone:
            for slot, doc in zip(task.slots, task.docs, strict=True):
                queue.appendleft(_Task(task.chunk, [slot], [doc], alone=True))
            return
        doc = task.docs[0]
        where = doc.path or doc.id
        if why == "hung":
            err: InputError = DocumentTimeout(where, f"its worker stopped answering for over {self.step_seconds:g} s, "
                                                     "twice: skipped (raise --time-budget to give it more)")
        else:
            err = WorkerDiedError(where, f"its worker process {why}, twice: skipped")
        self._deliver(task, [err], pending)

    def _replace(self, w: _Worker) -> _Worker:
        _kill(w)
        return self._start()

    def _stop(self, workers: list[_Worker]) -> None:
        for w in workers:
            try:
                w.conn.send(None)
            except (BrokenPipeError, EOFError, OSError):
                pass
        end = time.monotonic() + STOP_SECONDS
        for w in workers:
            if w.task is not None:  # interrupted mid-chunk: no point waiting
                _kill(w)
                continue
            w.proc.join(max(0.0, end - time.monotonic()))
            _kill(w)


def _kill(w: _Worker) -> None:
    if w.proc.is_alive():
        w.proc.kill()
    w.proc.join(STOP_SECONDS)
    w.conn.close()


def _death(proc: Any) -> str:
    """How a worker process ended, in words."""
    proc.join(STOP_SECONDS)
    code = proc.exitcode
    if code is None:
        return "stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory?)" if -code == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    return f"exited with code {code}"

"""The server's read-only copy of the store, taken so that ``entente run`` is never kept out.

DuckDB lets one process hold a database file for writing, and a file held by any other
process, even read-only, cannot be opened for writing: the writer's open fails at once
("Could not set lock on file"), it does not wait. A server holding the store open would
make ``entente run`` fail; one opening it per request would fail itself ("database is
locked") for as long as a run writes, and make a run that starts meanwhile fail.

So the server never opens the store. It copies the file (a snapshot) into a private folder
and serves the copy, opened read-only. Every ``POLL_SECONDS`` a background thread looks at
the store: when it has changed and no process holds it for writing, a new copy is taken
and served from the next request on; while ``run`` writes, the last snapshot is served and
the pages say since when. Taking a copy locks nothing: whether a writer holds the file is
asked with ``F_GETLK`` (a question, not a lock), and a copy is kept only if the file did not
change while it was copied and DuckDB opens it. The cost is disk space: one copy of the
store (two while a new one replaces the old).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

try:
    import fcntl
except ImportError:  # Windows: no POSIX locks to ask about (see writer_holds)
    fcntl = None  # type: ignore[assignment]

from .. import errors
from ..errors import StoreError
from ..store import migrate
from ..store.db import READ_ONLY_CONFIG

#: Seconds between two looks at the store for changes (a look is two ``stat`` calls).
POLL_SECONDS = 2.0
#: DuckDB's write-ahead log beside a store file.
WAL_SUFFIX = ".wal"


class StoreBusyError(errors.StoreBusyError):
    """No snapshot of the store could be taken yet: ``entente run`` has held it since the server started."""


@dataclass(eq=False)
class Generation:
    """One snapshot in use: its file, its read-only connection, and the requests reading it."""

    path: Path
    con: duckdb.DuckDBPyConnection
    signature: tuple[int, ...]
    taken_at: datetime
    number: int = 0  # the how-manieth copy: what is computed from one copy holds until the next
    users: int = 0
    retired: bool = False
    corpus_stale: bool = False

    def dispose(self) -> None:
        self.con.close()
        for p in (self.path, Path(str(self.path) + WAL_SUFFIX)):
            p.unlink(missing_ok=True)


@dataclass
class Status:
    """What the pages say about the data they show."""

    source: str
    generation: int  # which copy is served (0: none yet)
    taken_at: datetime | None
    writer_busy: bool  # a process (entente run) holds the store for writing right now
    corpus_stale: bool  # articles were stored after the corpus tables were built
    error: str | None = None  # why the last copy could not be used


@dataclass
class Snapshot:
    """Serve a store from read-only copies refreshed while it changes (see the module docstring).

    ``connection()`` gives a cursor on the current copy for one request; ``start()`` runs the
    background refresh, ``close()`` stops it and removes the copies.
    """

    source: Path
    poll_seconds: float = POLL_SECONDS
    _dir: Path = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _current: Generation | None = field(init=False, default=None)
    _taken: int = field(init=False, default=0)
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _thread: threading.Thread | None = field(init=False, default=None)
    writer_busy: bool = field(init=False, default=False)
    error: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.source = Path(self.source)
        if not self.source.is_file():
            raise StoreError(f"{self.source}: no store here yet: run `entente run PATH --db {self.source}` first")
        self._dir = Path(tempfile.mkdtemp(prefix="entente-serve-"))
        self.refresh()
        if self._current is None and self.error and not self.writer_busy:
            self.close()
            raise StoreError(self.error)

    # -- taking copies ----------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Take a new snapshot if the store changed and no writer holds it; True when one was taken."""
        before = signature(self.source)
        current = self._current
        if current is not None and before == current.signature:
            self.writer_busy = writer_holds(self.source)
            return False
        if writer_holds(self.source):
            self.writer_busy = True
            return False
        self._taken += 1
        dest = self._dir / f"snapshot-{self._taken}.duckdb"
        try:
            _copy(self.source, dest)
        except OSError as exc:
            self.error = f"{self.source}: cannot copy the store: {exc.strerror or exc}"
            return False
        if signature(self.source) != before or writer_holds(self.source):  # written meanwhile: try again later
            self.writer_busy = True
            _remove(dest)
            return False
        generation = self._open(dest, before)
        if generation is None:
            return False
        self.writer_busy = False
        self.error = None
        with self._lock:
            old, self._current = self._current, generation
            if old is not None:
                old.retired = True
                if old.users == 0:
                    old.dispose()
        return True

    def _open(self, dest: Path, sig: tuple[int, ...]) -> Generation | None:
        try:
            con = duckdb.connect(str(dest), read_only=True, config=READ_ONLY_CONFIG)
        except duckdb.Error as exc:
            self.error = f"{self.source}: cannot read the store: {_first_line(exc)}"
            _remove(dest)
            return None
        try:
            migrate.check_readable(con, str(self.source))
            stale = con.execute("SELECT value FROM meta WHERE key = 'corpus_state'").fetchall() == [("stale",)]
        except (StoreError, duckdb.Error) as exc:
            con.close()
            self.error = str(exc) if isinstance(exc, StoreError) else f"{self.source}: {_first_line(exc)}"
            _remove(dest)
            return None
        return Generation(dest, con, sig, datetime.now(UTC), number=self._taken, corpus_stale=stale)

    # -- reading ----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current snapshot for one request (the snapshot stays until it is closed)."""
        with self._lock:
            gen = self._current
            if gen is None:
                raise StoreBusyError(self.error or f"{self.source} is being written by another process "
                                     "(entente run): the pages appear as soon as it is done")
            gen.users += 1
        cursor = gen.con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()
            with self._lock:
                gen.users -= 1
                if gen.retired and gen.users == 0:
                    gen.dispose()

    def status(self) -> Status:
        gen = self._current
        return Status(source=str(self.source), generation=gen.number if gen else 0,
                      taken_at=gen.taken_at if gen else None, writer_busy=self.writer_busy,
                      corpus_stale=bool(gen and gen.corpus_stale), error=self.error)

    # -- the background refresh ---------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._poll, name="entente-snapshot", daemon=True)
            self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            try:
                self.refresh()
            except OSError as exc:  # the store was moved or deleted: keep serving the last copy
                self.error = f"{self.source}: {exc.strerror or exc}"

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.poll_seconds + 5)
        with self._lock:
            gen, self._current = self._current, None
            if gen is not None:
                gen.retired = True
                if gen.users == 0:  # else the last request reading it closes it
                    gen.dispose()
        shutil.rmtree(self._dir, ignore_errors=True)


def signature(path: Path) -> tuple[int, ...]:
    """What changes when a store is written: size, modification time and inode of the file and its WAL."""
    out: list[int] = []
    for p in (path, Path(str(path) + WAL_SUFFIX)):
        try:
            st = p.stat()
        except FileNotFoundError:
            out += [-1, -1, -1]
            continue
        out += [st.st_size, st.st_mtime_ns, st.st_ino]
    return tuple(out)


def _copy(source: Path, dest: Path) -> None:
    shutil.copyfile(source, dest)
    wal = Path(str(source) + WAL_SUFFIX)
    with contextlib.suppress(FileNotFoundError):  # a writer that closed cleanly leaves no WAL
        shutil.copyfile(wal, Path(str(dest) + WAL_SUFFIX))


def _remove(dest: Path) -> None:
    for p in (dest, Path(str(dest) + WAL_SUFFIX)):
        p.unlink(missing_ok=True)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- is a writer there? ------------------------------------------------------------------------------
#: ``struct flock`` as the C library lays it out: (l_type, l_whence, l_start, l_len, l_pid) on Linux
#: and most Unixes; the BSDs and macOS put the offsets first.
_FLOCK_LAYOUTS = {"linux": ("@hhqqi", (0, 1, 2, 3, 4)), "darwin": ("@qqihh", (3, 4, 0, 1, 2))}


def writer_holds(path: Path) -> bool:
    """Whether another process holds ``path`` for writing (DuckDB's write lock), asked without locking.

    ``F_GETLK`` asks whether a read lock could be set; it sets none, so a run that opens the
    store at that instant is not disturbed. Where the layout of ``struct flock`` is not known,
    the answer is False, and a copy made during a write is still caught by the file's change.
    """
    platform = "darwin" if sys.platform == "darwin" else "linux" if sys.platform.startswith("linux") else None
    if platform is None or fcntl is None:
        return False
    fmt, order = _FLOCK_LAYOUTS[platform]
    fields = [0] * 5
    fields[order[0]], fields[order[1]] = fcntl.F_RDLCK, os.SEEK_SET
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack(fmt, *fields))
    except OSError:
        return False
    finally:
        os.close(fd)
    return struct.unpack(fmt, answer)[order[0]] != fcntl.F_UNLCK

"""Running the per-document pipeline over many documents: in this process or in worker processes.

Each document costs only itself:

- it is checked first (``pipeline.check_document``: not too long, prose);
- documents are processed in chunks (``POOL_CHUNK`` documents, ``CHUNK_CHARS`` characters)
  parsed together; when a chunk fails or runs over its time budget, each of its documents is
  processed again alone, with a budget of its own, and the one that fails is reported;
- the time budget (``Options.time_budget``) is enforced by a timer signal in the process
  that runs the pipeline (the main thread of this process, or of each worker);
- with several workers (``pool.py``), a worker that dies or stops answering costs only its
  chunk, whose documents are retried once, each alone, and then reported.

The Spark engine (``spark.py``) runs the same ``process_alone``.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..errors import DocumentError, DocumentTimeout, EntenteError, InputError
from ..model import DocResult, Document
from ..options import Options
from ..pipeline import check_document, process_batch, process_document

#: Documents per chunk parsed together (and sent to a worker process at once): enough to batch
#: the neural layers and amortise pickling.
POOL_CHUNK = 16
#: Characters per chunk: a long document goes alone, so its time budget is its own.
CHUNK_CHARS = 100_000
#: Errors the pipeline may raise on odd input (a bug to report), which cost only their document.
PIPELINE_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, IndexError, KeyError, RecursionError, TypeError, AttributeError, AssertionError,
    ZeroDivisionError, OverflowError, UnicodeError, MemoryError)

Result = DocResult | InputError


def report_error(err: EntenteError) -> None:
    """One line on stderr naming the file; the batch goes on."""
    print(f"entente: skipped {err}", file=sys.stderr)


class _OutOfTime(BaseException):
    """Raised by the timer signal inside the pipeline. A ``BaseException``, so that no
    ``except Exception`` in a library swallows it."""


#: What makes a chunk's batch be processed again document by document.
BATCH_ERRORS: tuple[type[BaseException], ...] = (_OutOfTime, EntenteError, *PIPELINE_ERRORS)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise ``_OutOfTime`` in this block after ``seconds`` (a real-time timer signal).

    Only where signals can be used: the main thread of a POSIX process. Elsewhere (a thread
    of a web server, Windows) the block runs without a budget.
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    armed = [True]

    def expire(signum: int, frame: object) -> None:
        if armed[0]:  # a tick that arrives as the block ends is ignored
            raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _where(doc: Document) -> str:
    return doc.path or doc.id


def process_alone(doc: Document, options: Options) -> Result:
    """One document's result, or the error that skips it (the batch goes on)."""
    try:
        with time_budget(options.time_budget):
            return process_document(doc, options)
    except _OutOfTime:
        return DocumentTimeout(_where(doc), f"took longer than its time budget of {options.time_budget:g} s: "
                                            "skipped (raise --time-budget to give it more)")
    except InputError as exc:
        return exc
    except MemoryError:
        return DocumentError(_where(doc), "ran out of memory: skipped (split it, or lower --max-chars)")
    except EntenteError as exc:
        return DocumentError(_where(doc), str(exc))
    except PIPELINE_ERRORS as exc:  # a bug on odd input must not stop the batch
        return DocumentError(_where(doc), f"internal error on this document ({type(exc).__name__}: {exc}): "
                                          "skipped; please report it")


def process_chunk(docs: list[Document], options: Options,
                  on_phase: Callable[[], None] | None = None) -> list[Result]:
    """Results for a chunk of documents parsed as one batch, in order. If the batch fails or
    runs over one time budget, each document is processed alone with its own budget, so that
    one bad document costs only itself. ``on_phase`` is called before each budgeted step
    (a worker tells its supervisor it is still alive)."""
    out: dict[int, Result] = {}
    todo: list[int] = []
    for i, d in enumerate(docs):
        try:
            check_document(d, options)
            todo.append(i)
        except InputError as exc:
            out[i] = exc
    if todo:
        if on_phase:
            on_phase()
        try:
            with time_budget(options.time_budget):
                batch = process_batch([docs[i] for i in todo], options)
            out.update(zip(todo, batch, strict=True))
        except BATCH_ERRORS:
            for i in todo:
                if on_phase:
                    on_phase()
                out[i] = process_alone(docs[i], options)
    return [out[i] for i in range(len(docs))]


def chunks(docs: Iterable[Document], size: int = POOL_CHUNK, chars: int = CHUNK_CHARS) -> Iterator[list[Document]]:
    """Documents in chunks of at most ``size`` documents and about ``chars`` characters."""
    chunk: list[Document] = []
    total = 0
    for d in docs:
        if chunk and (len(chunk) >= size or total + len(d.text) > chars):
            yield chunk
            chunk, total = [], 0
        chunk.append(d)
        total += len(d.text)
    if chunk:
        yield chunk


def process_all(
    items: Iterable[Document | InputError],
    options: Options = Options(),
    workers: int = 1,
    on_error: Callable[[EntenteError], None] = report_error,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[DocResult]:
    """Yield a result per processed document, in order, reporting every input skipped
    (unreadable, refused, failed) through ``on_error``; nothing raised by one input stops it."""

    def docs() -> Iterator[Document]:
        for item in items:
            if isinstance(item, InputError):
                on_error(item)
            else:
                yield item

    if workers <= 1:
        batches: Iterable[list[Result]] = (process_chunk(c, options) for c in chunks(docs()))
    else:
        from .pool import WorkerPool

        batches = WorkerPool(workers, options).map(chunks(docs()))
    for batch in batches:
        for r in batch:
            if on_progress:
                on_progress(1)
            if isinstance(r, InputError):
                on_error(r)
            else:
                yield r

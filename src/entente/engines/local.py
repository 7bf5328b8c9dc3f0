"""Running the per-document pipeline over many documents: in-process or in a process pool.

The Spark engine (``spark.py``) runs the same ``process_document``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat

from ..errors import EntenteError, InputError
from ..model import DocResult, Document
from ..options import Options
from ..pipeline import content_hash, process_batch, process_document

#: Documents per chunk sent to a worker process: large enough to amortise pickling.
POOL_CHUNK = 16


def report_error(err: EntenteError) -> None:
    """One line on stderr naming the file; the batch goes on."""
    print(f"entente: skipped {err}", file=sys.stderr)


def process_safely(doc: Document, options: Options) -> DocResult | str:
    """The document's result, or a one-line message when this document fails (the batch goes on)."""
    try:
        return process_document(doc, options)
    except EntenteError as exc:
        return f"{doc.path or doc.id}: {exc}"
    except (ValueError, IndexError, KeyError, RecursionError) as exc:  # a bug on odd input must not stop the batch
        return f"{doc.path or doc.id}: internal error on this document ({type(exc).__name__}: {exc})"


def process_chunk(docs: list[Document], options: Options) -> list[DocResult | str]:
    """Results for a chunk of documents parsed as one batch; if the batch fails, each
    document is processed alone so that one bad document costs only itself."""
    try:
        return list(process_batch(docs, options))
    except (EntenteError, ValueError, IndexError, KeyError, RecursionError):
        return [process_safely(d, options) for d in docs]


def _chunks(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for d in docs:
        chunk.append(d)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def process_all(
    items: Iterable[Document | InputError],
    options: Options = Options(),
    workers: int = 1,
    skip_hashes: set[str] | None = None,
    on_error: Callable[[EntenteError], None] = report_error,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[DocResult]:
    """Yield a result per readable document, reporting unreadable ones through ``on_error``."""
    skip = skip_hashes or set()

    def docs() -> Iterator[Document]:
        for item in items:
            if isinstance(item, InputError):
                on_error(item)
            elif content_hash(item) in skip:
                if on_progress:
                    on_progress(1)
            else:
                yield item

    chunks = _chunks(docs(), POOL_CHUNK)
    if workers <= 1:
        batches: Iterable[list[DocResult | str]] = (process_chunk(c, options) for c in chunks)
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        batches = pool.map(process_chunk, chunks, repeat(options))
    results = (r for batch in batches for r in batch)
    try:
        for r in results:
            if on_progress:
                on_progress(1)
            if isinstance(r, str):
                on_error(EntenteError(r))
            else:
                yield r
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)

"""What the web app's tests share: the stores they browse, a live server, and the hostile article.

The stores are built once per session by the real pipeline (``corpus_stores.store_of``):
one from ``examples/articles``, one holding an article whose title, text and URL try to run
script. A live server runs the app with uvicorn in a thread, on a free local port.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from corpus_stores import store_of

ROOT = Path(__file__).parents[1]
ARTICLES = ROOT / "examples" / "articles"

#: Each payload sets window.__xss if it ever runs; the browser test checks that it never does.
XSS_TITLE = "Talks <script>window.__xss='title'</script><img src=x onerror=\"window.__xss='title-img'\">"
XSS_URL = "javascript:window.__xss='url'"
XSS_TEXT = (
    "India and Kazakhstan signed an agreement on uranium in Astana on Wednesday. "
    "<script>window.__xss='text'</script> "
    "Russia attacked Ukraine on Tuesday, <img src=x onerror=\"window.__xss='text-img'\"> officials said.\n\n"
    "<a href=\"javascript:window.__xss='text-link'\">Read more</a>\n"
)


@cache
def hostile_store() -> str:
    """A store holding one article whose title, text and URL carry script, an event handler and a javascript: URL."""
    folder = Path(store_of(str(ARTICLES))).parent.parent / "entente-hostile"
    folder.mkdir(exist_ok=True)
    record = {"id": "hostile<u>1</u>", "title": XSS_TITLE, "url": XSS_URL, "date": "2022-03-02",
              "source": "<i>Evil Wire</i>", "text": XSS_TEXT}
    path = folder / "hostile.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return store_of(str(path))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(db: str, poll_seconds: float = 2.0) -> Iterator[str]:
    """The app over ``db`` served by uvicorn in a thread; yields its base URL."""
    import uvicorn

    from entente.web import create_app

    port = free_port()
    app = create_app(db, poll_seconds=poll_seconds)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

"""The application: ``create_app(db)`` builds it, ``serve(db, host, port)`` runs it with uvicorn.

Every route reads; none writes. The store is served from a snapshot (``snapshot.py``) so
that ``entente run`` keeps writing while the pages are open. Each response carries a
Content-Security-Policy that lets a page run only the package's own scripts and load only
its own files; bound to a loopback address, the app answers only requests addressed to
that host (a page elsewhere cannot reach it by rebinding a domain name).
"""

from __future__ import annotations

import gc
import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..errors import EntenteError
from ..outputs.labels import warm
from .render import page
from .snapshot import POLL_SECONDS, Snapshot, StoreBusyError
from .views import actors, articles, claims, dyads, events, overview

#: Where a page may load from: the app itself only. Styles set by the chart library through the
#: DOM (element.style) are allowed by 'self'; no inline script or style attribute in markup is.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: The OpenAPI page: Swagger UI sets style attributes in its markup, so inline styles are allowed there.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
           "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Resource-Policy": "same-origin"}
#: Host names that reach a server bound to a loopback address.
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
#: Seconds after which the "store is busy" page reloads itself.
BUSY_RETRY_SECONDS = 5

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class SecurityHeaders:
    """Adds the Content-Security-Policy and the other safety headers to every HTTP response."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CSP if scope["path"] == "/docs" else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"content-security-policy"]
                headers.append((b"content-security-policy", policy.encode()))
                headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(db: str | Path, *, poll_seconds: float = POLL_SECONDS, allowed_hosts: list[str] | None = None,
               snapshot: Snapshot | None = None) -> FastAPI:
    """The web app over the store at ``db`` (a ``StoreError`` if there is none).

    ``allowed_hosts`` limits the Host header the app answers (``serve`` sets it for a
    loopback address); ``poll_seconds`` is how often the store is looked at for changes.
    """
    snap = snapshot or Snapshot(Path(db), poll_seconds)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        snap.start()
        warm()  # the knowledge base behind the names, loaded before the first page rather than during it
        gc.freeze()  # ... and, with the code, kept out of the collector's scans: a page that makes many
        try:         # small records would otherwise pay for a scan of them all (30 ms each, a few per page)
            yield
        finally:
            snap.close()
            gc.unfreeze()

    app = FastAPI(title="entente", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Read-only JSON API over an entente store: the data behind every page of "
                              "`entente serve`. Event objects follow the output contract of `entente extract`.")
    app.state.snapshot = snap
    app.state.dyads = dyads.Dyads(snap)
    app.add_middleware(SecurityHeaders)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(packages=[("entente.web", "static")]), name="static")
    for module in (overview, events, articles, dyads, actors, claims):
        app.include_router(module.router)
    _errors(app)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return page(request, "docs.html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return page(request, "error.html", status_code=status, code=status, message=message,
                retry=BUSY_RETRY_SECONDS if status == 503 else None)


def _errors(app: FastAPI) -> None:
    """Errors as pages (or JSON under /api): a busy store, a bad filter, a missing page."""

    @app.exception_handler(StoreBusyError)
    async def busy(request: Request, exc: StoreBusyError) -> Response:
        return _error(request, 503, str(exc), {"Retry-After": str(BUSY_RETRY_SECONDS)})

    @app.exception_handler(EntenteError)
    async def bad_request(request: Request, exc: EntenteError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        said = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:]) or 'request'}: {e['msg']}" for e in exc.errors())
        if _is_api(request):
            return JSONResponse({"detail": json.loads(json.dumps(exc.errors(), default=str))}, status_code=422)
        return _error(request, 400, f"this address asks for something entente cannot read: {said}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "not found"
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        return _error(request, exc.status_code, message)


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8765, *,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the store at ``db`` on http://host:port until interrupted (Ctrl-C)."""
    import uvicorn

    hosts = [*LOOPBACK, host] if host in LOOPBACK else None
    app = create_app(db, allowed_hosts=hosts)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    if on_ready is not None:
        on_ready(url)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)

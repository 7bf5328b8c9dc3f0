"""``entente serve``: the web app over a store, calling ``entente.web.serve``."""

from __future__ import annotations

import errno
import socket
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import EntenteError
from ..store import DEFAULT_DB

err = Console(stderr=True, soft_wrap=True)


def _port_free(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served, or None when it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} is already in use on {host}: try --port {port + 1}"
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def serve(db: Annotated[str, typer.Option("--db", help="The DuckDB store that `entente run` writes.")] = DEFAULT_DB,
          host: Annotated[str, typer.Option("--host", help="Address to listen on; 127.0.0.1 keeps it to this machine.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8765) -> None:
    """Browse, filter and check every event against its source in a local web app (read-only).

    Prints the address and serves until Ctrl-C. Pages: overview, events (filters in the URL,
    CSV/JSONL/Parquet downloads), each event, each article with its evidence highlighted,
    dyads, actors, the actor network and the claims; the JSON API is documented at /docs.
    `entente run` can write to the same store meanwhile: the pages follow once it is done.

    Example: entente serve --db entente.duckdb --port 8765
    """
    from ..web import serve as run_server

    why = _port_free(host, port)
    if why:
        err.print(f"[red]entente:[/red] {escape(why)}", highlight=False)
        raise typer.Exit(1)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"entente: listening on {host}: anyone who can reach this machine can read the store", highlight=False)

    def ready(url: str) -> None:
        err.print(f"entente: serving {db} at {url} (read-only; Ctrl-C to stop)", highlight=False)
        print(url, flush=True)

    try:
        run_server(db, host, port, on_ready=ready)
    except EntenteError as exc:
        err.print(f"[red]entente:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:  # uvicorn stops on Ctrl-C by itself; this covers the start-up
        raise typer.Exit(0) from None


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``entente`` app."""
    app.command("serve")(serve)

"""The web app: a store in, pages and a JSON API over it out (``entente serve``).

Laid out like datasette: ``app.py`` builds the FastAPI application; ``views/`` holds one
module per kind of page, each page with its ``/api`` twin made by the same function, on the
same library functions as the CLI (``store.queries``, ``corpus.tables``, ``outputs.brief``,
``claims.reconcile``); ``templates/`` (Jinja2, autoescaped) and ``static/`` (CSS, a little
JavaScript, and the vendored uPlot, Cytoscape.js and Swagger UI with their licences) sit
beside them. ``snapshot.py`` keeps the store readable while ``entente run`` writes to it;
``outline.py`` reads a dyad's brief a page at a time.

    >>> from entente.web import create_app
    >>> app = create_app("entente.duckdb")      # an ASGI app: uvicorn, or FastAPI's TestClient
"""

from .app import create_app, serve

__all__ = ["create_app", "serve"]

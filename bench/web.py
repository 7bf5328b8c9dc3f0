"""Web app benchmark: how fast the events page and the dyad page answer on a store of 100,000 events.

    python bench/web.py                 # builds a 100,000-event store, then times the pages
    python bench/web.py --events 20000  # a smaller store
    python bench/web.py --quick         # 2,000 events, 3 rounds: a smoke run
    python bench/web.py --db FILE       # time an existing store instead (its busiest dyad)
    python bench/web.py --db FILE --src ../before/src   # the same pages served by another checkout

The store is synthetic and reproducible (fixed seed), written in the store's own schema:
articles of five sentences, one event per sentence, 60 countries and 5 organisations with
skewed activity (a few dyads are very busy, as in real news), CAMEO codes drawn from the
codebook, 80% of real-world events reported once, the rest by 2 or 3 articles, dates over
ten years (some only to the month, some undated), intended and hypothetical events, and a
figure in every tenth article, and the dyad tables written from them as the corpus step
writes them (``store.schema.write_dyad_tables``). No article text from anywhere is used.

The app runs under uvicorn in this process and is asked over HTTP, as a browser would.
Each page is asked first by a server just started for it (its own copy of the store, nothing
read from it or kept of it, its templates loaded as a new process loads them, from the
compiled templates an earlier one kept: the cold answer, which the target of 300 ms is
about), then ``--rounds`` times more (the warm answers: median, slowest, and the CPU time
of this process meanwhile, which a shared machine disturbs less). The dyad pages are those
of the busiest dyad, the 11th, one at the 5th and one at the 25th percentile of activity,
each followed by the chart's data the page asks for; the last line times the first views
of ten more dyads on a server that has already served one.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_EVENTS = 100_000
QUICK_EVENTS = 2_000
SEED = 11
ROUNDS = 15
#: The issue's target for the events page and the dyad page.
TARGET_MS = 300
#: What the dyad page's chart asks for, after the page (web/views/dyads.py).
CHART = "/series"
#: Sentences (and events) per synthetic article.
SENTENCES = 5
FIRST_DAY = date(2015, 1, 1)
DAYS = 3650
COUNTRIES = ["USA", "CHN", "RUS", "UKR", "IND", "PAK", "IRN", "ISR", "SAU", "TUR", "DEU", "FRA", "GBR", "JPN", "KOR",
             "PRK", "SYR", "IRQ", "AFG", "EGY", "BRA", "MEX", "CAN", "AUS", "IDN", "PHL", "VNM", "THA", "MYS", "SGP",
             "KAZ", "UZB", "AZE", "ARM", "GEO", "BLR", "POL", "ITA", "ESP", "NLD", "BEL", "SWE", "NOR", "FIN", "QAT",
             "ARE", "OMN", "YEM", "LBN", "JOR", "NGA", "ETH", "KEN", "ZAF", "NER", "MLI", "SDN", "LBY", "VEN", "COL"]
IGOS = ["IGO:UN", "IGO:EU", "IGO:NATO", "IGO:AU", "IGO:ASEAN"]
SECTORS = [None, None, "GOV", "GOV", "MIL", "BUS"]
CODES = ["010", "012", "018", "020", "036", "040", "042", "043", "046", "051", "057", "061", "062", "070", "073",
         "081", "111", "112", "120", "130", "138", "160", "163", "172", "173", "190", "193", "195"]
VERBS = {"01": "commented on", "02": "appealed to", "03": "pledged to work with", "04": "held talks with",
         "05": "praised", "06": "agreed to cooperate with", "07": "sent aid to", "08": "eased restrictions on",
         "11": "criticised", "12": "rejected a proposal by", "13": "threatened", "16": "cut ties with",
         "17": "imposed sanctions on", "19": "attacked"}


def _weights(n: int) -> list[float]:
    return [1 / (k + 1) ** 1.1 for k in range(n)]  # a few actors in most of the news


def build_store(path: Path, n_events: int = DEFAULT_EVENTS, seed: int = SEED) -> Path:
    """Write a synthetic store of about ``n_events`` per-article events to ``path`` (see the docstring)."""
    import pyarrow as pa

    from entente.events.codebook import lookup
    from entente.store import Store
    from entente.store.schema import write_dyad_tables

    rnd = random.Random(seed)
    actors = COUNTRIES + IGOS
    weights = _weights(len(actors))
    codes = [lookup(c) for c in CODES]
    n_docs = max(1, n_events // SENTENCES)
    docs: list[list[dict[str, Any]]] = [[] for _ in range(n_docs)]
    corpus: list[dict[str, Any]] = []
    slots = [d for d in range(n_docs) for _ in range(SENTENCES)]
    rnd.shuffle(slots)
    while slots:
        a, b = rnd.choices(actors, weights, k=2)
        if a == b:
            continue
        code = rnd.choice(codes)
        day = FIRST_DAY + timedelta(days=rnd.randrange(DAYS))
        precision = rnd.choices(["day", "month", None], [0.75, 0.15, 0.10])[0]
        modality = rnd.choices(["asserted", "intended", "hypothetical"], [0.9, 0.07, 0.03])[0]
        reports = min(len(slots), rnd.choices([1, 2, 3], [0.8, 0.15, 0.05])[0])
        members = [slots.pop() for _ in range(reports)]
        ce = {"a": a, "b": b, "code": code, "day": day, "precision": precision, "modality": modality,
              "sector": (rnd.choice(SECTORS), rnd.choice(SECTORS)), "members": []}
        for d in members:
            ce["members"].append((d, len(docs[d])))
            docs[d].append(ce)
        corpus.append(ce)
    tables = _tables(docs, corpus, rnd)
    with Store(path) as store:
        for name, rows in tables.items():
            table = pa.Table.from_pylist(rows)
            store.con.register(f"_bench_{name}", table)
            store.con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _bench_{name}")
            store.con.unregister(f"_bench_{name}")
        write_dyad_tables(store.con)  # what the corpus step writes last
        store.set_meta("corpus_state", "fresh")
    return path


def _side(key: str, sector: str | None) -> dict[str, Any]:
    # every key in every row: the tables are made with pa.Table.from_pylist, whose columns are the first row's
    if key.startswith("IGO:"):
        return {"key": key, "code": "IGO" + key[4:], "text": key[4:], "name": key[4:], "country": None,
                "igo": key[4:], "sector": None}
    return {"key": key, "code": key + (sector or ""), "text": key, "name": key, "country": key, "igo": None,
            "sector": sector}


def _dates(ce: dict[str, Any]) -> tuple[date | None, date | None]:
    day, precision = ce["day"], ce["precision"]
    if precision is None:
        return None, None
    if precision == "month":
        first = day.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return first, nxt - timedelta(days=1)
    return day, day


def _tables(docs: list[list[dict[str, Any]]], corpus: list[dict[str, Any]], rnd: random.Random) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"documents": [], "events": [], "corpus_events": [], "claims": [],
                                            "claim_docs": []}
    ids: dict[tuple[int, int], str] = {}
    for d, sentences in enumerate(docs):
        doc_id = f"bench-{d:06d}"
        h = hashlib.sha1(doc_id.encode()).hexdigest()[:16]
        parts, offsets = [], []
        pos = 0
        for k, ce in enumerate(sentences):
            s = f"{ce['a']} {VERBS.get(ce['code'].root, 'dealt with')} {ce['b']} (sentence {k + 1} of {doc_id})."
            offsets.append((pos, pos + len(s), s))
            parts.append(s)
            pos += len(s) + 1
        text = " ".join(parts)
        pub = FIRST_DAY + timedelta(days=rnd.randrange(DAYS))
        out["documents"].append({"content_hash": h, "doc_id": doc_id, "source_key": f"/bench/{doc_id}.txt",
                                 "path": f"bench/{doc_id}.txt", "title": f"Article {d}",
                                 "url": f"https://news.example.com/{doc_id}", "outlet": "Bench Wire", "pub_date": pub,
                                 "pub_date_precision": "day", "pub_date_origin": "meta", "text": text,
                                 "n_events": len(sentences), "entente_version": "bench"})
        for k, ce in enumerate(sentences):
            start, end, sentence = offsets[k]
            event_id = hashlib.sha1(f"{doc_id}:{k}".encode()).hexdigest()[:16]
            ids[(d, k)] = event_id
            first, last = _dates(ce)
            row = {"event_id": event_id, "content_hash": h, "doc_id": doc_id, **_event_fields(ce, first, last),
                   "date_source": "On Monday" if first else None, "evidence_sentence": sentence,
                   "evidence_start": start, "evidence_end": end, "rule": "bench:subj>obj",
                   "mentions": [{"sentence": sentence, "start": start, "end": end}]}
            out["events"].append(row)
        if d % 10 == 0 and sentences:
            ce = sentences[0]
            value = rnd.choice([100.0, 250.0, 1000.0])
            out["claims"].append({"content_hash": h, "doc_id": doc_id, "claim_no": 0, "value": value, "low": value,
                                  "high": value, "qualifier": "exact", "unit": None, "item": "troops",
                                  "text": f"{value:g} troops", "evidence_sentence": offsets[0][2],
                                  "evidence_start": offsets[0][0], "evidence_end": offsets[0][1],
                                  "event_id": ids[(d, 0)], "actor": ce["a"], "actors": [ce["a"], ce["b"]]})
        out["claim_docs"].append({"doc_id": doc_id, "content_hash": h, "n_claims": 1 if d % 10 == 0 and sentences else 0})
    for ce in corpus:
        members = [ids[m] for m in ce["members"]]
        first, last = _dates(ce)
        out["corpus_events"].append({
            "corpus_event_id": hashlib.sha1("|".join(members).encode()).hexdigest()[:16], **_event_fields(ce, first, last),
            "symmetric": False, "n_mentions": len(members), "n_sources": len(members), "n_articles": len(members),
            "doc_ids": [f"bench-{d:06d}" for d, _ in ce["members"]], "event_ids": members})
    return out


def _event_fields(ce: dict[str, Any], first: date | None, last: date | None) -> dict[str, Any]:
    code = ce["code"]
    out: dict[str, Any] = {}
    for prefix, key, sector in (("source", ce["a"], ce["sector"][0]), ("target", ce["b"], ce["sector"][1])):
        out.update({f"{prefix}_{k}": v for k, v in _side(key, sector).items()})
    out.update({"cameo": code.code, "root": code.root, "goldstein": code.goldstein, "quad_class": code.quad_class,
                "plover": code.plover, "date_start": first, "date_end": last, "date_precision": ce["precision"],
                "modality": ce["modality"]})
    return out


# -- timing ---------------------------------------------------------------------------------------------
@dataclass
class Timing:
    """One page: its cold answer (a server just started, nothing read or rendered yet) and its warm ones."""

    page: str
    cold_ms: float
    cold_cpu: float
    warm_ms: float | None = None  # median of the rounds
    slowest_ms: float | None = None
    warm_cpu: float | None = None


@contextmanager
def _server(db: Path) -> Iterator[str]:
    """A new server over ``db`` (its own copy of the store, nothing read or rendered yet); yields its base URL."""
    import uvicorn

    sys.path.insert(0, str(ROOT / "tests"))
    from web_support import free_port

    from entente.web import create_app
    from entente.web.render import ENV

    if ENV.cache is not None:
        ENV.cache.clear()  # templates are loaded on their first page, as in a new process
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        _ready(base)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def time_pages(db: Path, rounds: int = ROUNDS) -> list[Timing]:
    """Each page asked over HTTP: first by a new server (cold), then ``rounds`` times more (warm)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    ranks = con.execute("SELECT actor_a, actor_b, events FROM dyads ORDER BY events DESC, actor_a, actor_b").fetchall()
    con.close()
    a, b, n = ranks[0]
    pages = [
        ("events page (default)", "/events"),
        ("events page, dyad + dates", f"/events?dyad={a}-{b}&since=2018&until=2020"),
        ("events page, text search", "/events?q=sanctions"),
        ("events page, sorted, page 1000", "/events?sort=-goldstein&page=1000"),
        ("events page, actor + QuadClass", f"/events?actor={a}&quad=4"),
    ]
    for rank in (0, 10, len(ranks) // 20, len(ranks) // 4):
        if rank < len(ranks):
            x, y, m = ranks[rank]
            pages.append((f"dyad page {x}-{y} ({m:,} events)", f"/dyads/{x}/{y}"))
    pages += [
        (f"dyad page {a}-{b}, one year", f"/dyads/{a}/{b}?year=2019"),
        (f"dyad page {a}-{b}, page 3", f"/dyads/{a}/{b}?page=3"),
        ("api/events (JSON, one page)", f"/api/events?dyad={a}-{b}"),
        ("overview", "/"), ("actor page", f"/actors/{a}"), ("network", "/network"), ("claims", "/claims"),
    ]
    out = []
    for name, path in pages:
        with _server(db) as base:
            ms, cpu = _timed(base + path)
            t = Timing(name, ms, cpu)
            if path.startswith("/dyads/") and "?" not in path:
                chart, chart_cpu = _timed(f"{base}/api{path}{CHART}")
                out += [t, Timing("  then its chart's data", chart, chart_cpu)]
            else:
                out.append(t)
            times = [_timed(base + path) for _ in range(rounds)]
            t.warm_ms, t.slowest_ms = statistics.median(ms for ms, _ in times), max(ms for ms, _ in times)
            t.warm_cpu = statistics.median(c for _, c in times)
    # the first views of dyads never asked before, on a server that has served the busiest: those of the
    # 12th to the 21st busiest (one first view is one sample on a shared machine)
    with _server(db) as base:
        _get(f"{base}/dyads/{a}/{b}")
        firsts = [_timed(f"{base}/dyads/{x}/{y}") for x, y, _ in ranks[11:21]]
    if firsts:
        sizes = [m for _, _, m in ranks[11:21]]
        t = Timing(f"dyad pages of {min(sizes):,}-{max(sizes):,} events, first views", statistics.median(
            ms for ms, _ in firsts), statistics.median(c for _, c in firsts))
        t.slowest_ms = max(ms for ms, _ in firsts)
        out.append(t)
    return out


def _timed(url: str) -> tuple[float, float]:
    """Milliseconds to get ``url``: elapsed, and CPU used by this process meanwhile (the server's threads,
    DuckDB's included, and the client's), which other work on a shared machine disturbs less."""
    t, c = time.perf_counter(), time.process_time()
    _get(url)
    return (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000


def _ready(base: str) -> None:
    """Wait until the server answers (it takes its copy of the store before it starts), reading nothing."""
    import urllib.error

    deadline = time.monotonic() + 120
    while True:
        try:
            return _get(base + "/favicon.ico")
        except (urllib.error.URLError, RuntimeError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 (a local URL)
        r.read()
        if r.status not in (200, 204):
            raise RuntimeError(f"{url}: HTTP {r.status}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    ap.add_argument("--quick", action="store_true", help="2,000 events, 3 rounds")
    ap.add_argument("--db", type=Path, help="time this store instead of building one")
    ap.add_argument("--src", type=Path, help="time the entente of this src folder (another checkout: before/after)")
    args = ap.parse_args()
    if args.src:
        sys.path.insert(0, str(args.src.resolve()))
    n, rounds = (QUICK_EVENTS, 3) if args.quick else (args.events, args.rounds)
    with tempfile.TemporaryDirectory(prefix="entente-bench-web-") as tmp:
        db = args.db
        if db is None:
            t = time.perf_counter()
            db = build_store(Path(tmp) / "bench.duckdb", n)
            size = db.stat().st_size / 2**20
            print(f"built a store of {n:,} events in {time.perf_counter() - t:.1f} s ({size:.0f} MB)")
        results = time_pages(db, rounds)
    print(f"\n{'page':<52} {'cold ms':>8} {'CPU ms':>7} {'warm ms':>8} {'slowest':>8} {'CPU ms':>7}")
    for t in results:
        warm = "".join(f" {x:>8.0f}" if x is not None else f" {'':>8}" for x in (t.warm_ms, t.slowest_ms))
        warm += f" {t.warm_cpu:>7.0f}" if t.warm_cpu is not None else f" {'':>7}"
        target = f"  target < {TARGET_MS} ms: {'meets' if t.cold_ms < TARGET_MS else 'MISSES'}" \
            if t.page.startswith(("events page", "dyad page")) else ""
        print(f"{t.page:<52} {t.cold_ms:>8.0f} {t.cold_cpu:>7.0f}{warm}{target}")


if __name__ == "__main__":
    main()

"""Search and /documents?symbol= at national scale, at the store level, beside a primary-key get.

    .venv/bin/python bench/search_scale.py --sizes 100k,1m --stores sqlite
    NEO4J_URI=bolt://127.0.0.1:7696 .venv/bin/python bench/search_scale.py --sizes 100k --stores neo4j

For each size it synthesizes a graph (graph.synth, seed 1; kept under --data and reused), imports it
into a store (the SQLite file is kept and reused while it holds the graph; the Neo4j run WIPES the
database at NEO4J_URI) and measures, in one run and in turn, p50/p99 in ms over --queries calls after
a warm-up:

- ``get``: ``get_document`` of a random key, the baseline (a primary-key read and one row out);
- ``search short``: "<code> <number>" / "<code><number>" of random central documents and local plans;
- ``search words``: title words, and exact symbols of random documents;
- ``search prefix``: random documents' symbols typed half-way ("7/KH-UB" of 7/KH-UBND), as a lookup widget
  sends them keystroke by keystroke;
- ``symbol``: ``find_documents(symbol=...)`` (what ``/documents?symbol=`` runs) of random documents' symbols.

It also checks, for EVERY central document, that "<code> <number>" and "<code><number>" put it before
any non-central document of that number, and that limit=5 gives the first 5 of limit=50.
Results are merged into --results (JSON); the table is printed as Markdown.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from graph.models import DocumentFilter, Level
from graph.ports import GraphStore
from graph.stores.neo4j import Neo4jStore
from graph.stores.sqlite import SqliteStore
from graph.symbols import parse_symbol
from graph.synth import synthesize
from graph.usecases.bulk_import import run_import

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"20k": 20_000, "100k": 100_000, "1m": 1_000_000}
SEED = 1
WARMUP = 100
WIPE = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
WORDS = ("thực hiện nghị quyết", "phát triển kinh tế tư nhân", "chuyen doi so", "kế hoạch triển khai", "dân vận")


def ndjson(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def typed_half_way(symbol: str, rng: random.Random) -> str:
    """``symbol`` cut where someone typing it may pause: past its number and two more characters, short of its end."""
    shortest = len(symbol) - len(symbol.lstrip("0123456789")) + 3
    return symbol[: rng.randint(min(shortest, len(symbol) - 1), len(symbol) - 1)]


def workload(directory: Path, queries: int) -> dict[str, list[Any]]:
    """Query arguments drawn from the graph: keys, short forms, words and symbols."""
    rng = random.Random(SEED)
    keys, symbols, central, local = [], [], [], []
    for i, doc in enumerate(ndjson(directory / "documents.ndjson")):
        parts = parse_symbol(doc["symbol"])
        if i % 13 == 0:
            keys.append(doc["key"])
            symbols.append(doc["symbol"])
        if parts is None or not parts.type_code:
            continue
        short = (doc["key"], parts.type_code, parts.number.lstrip("0"))
        if doc["level"] == Level.central.value:
            central.append(short)
        elif i % 13 == 0:
            local.append(short)
    shorts = [rng.choice(central if i % 2 else local) for i in range(queries)]
    return {
        "get": [rng.choice(keys) for _ in range(queries)],
        "search short": [f"{c} {n}" if i % 3 else f"{c}{n}" for i, (_, c, n) in enumerate(shorts)],
        "search words": [rng.choice(WORDS) if i % 2 else rng.choice(symbols) for i in range(queries)],
        "search prefix": [typed_half_way(rng.choice(symbols), rng) for _ in range(queries)],
        "symbol": [rng.choice(symbols) for _ in range(queries)],
        "central": central,
    }


async def timed(call: Callable[[Any], Awaitable[object]], args: list[Any]) -> dict[str, float]:
    """p50/p99 ms of ``call`` over ``args``, after a warm-up on the first of them."""
    for arg in args[:WARMUP]:
        await call(arg)
    samples = []
    for arg in args:
        started = time.perf_counter()
        await call(arg)
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100)
    return {"p50": round(cuts[49], 2), "p99": round(cuts[98], 2)}


async def central_first(store: GraphStore, central: list[tuple[str, str, str]]) -> dict[str, int]:
    """How many of the central documents' short forms put them before local ones, limit=5 a prefix of 50."""
    checked = failed = 0
    for key, code, number in central:
        for query in (f"{code} {number}", f"{code}{number}"):
            small, large = await store.search(query, limit=5), await store.search(query, limit=50)
            found = [h.key for h in large]
            local = [i for i, h in enumerate(large) if (h.number or "").lstrip("0") == number and h.level != "central"]
            ok = [h.key for h in small] == found[:5] and key in found and all(found.index(key) < i for i in local)
            checked += 1
            failed += not ok
    return {"checked": checked, "failed": failed}


async def measure(store: GraphStore, load: dict[str, list[Any]]) -> dict[str, Any]:
    async def search(query: str) -> object:
        return await store.search(query, limit=10)

    async def symbol(value: str) -> object:
        return await store.find_documents(DocumentFilter(symbol=value), limit=20)

    calls: dict[str, Callable[[Any], Awaitable[object]]] = {
        "get": store.get_document,
        "search short": search,
        "search words": search,
        "search prefix": search,
        "symbol": symbol,
    }
    out: dict[str, Any] = {name: await timed(call, load[name]) for name, call in calls.items()}
    out["central first"] = await central_first(store, load["central"])
    return out


async def open_store(kind: str, data: Path, size: str) -> tuple[GraphStore, bool]:
    """The store for one size and whether it already holds the graph."""
    if kind == "sqlite":
        sqlite = SqliteStore(data / f"search-s{size}.db")
        await sqlite.open()
        await sqlite.migrate()
        held = (
            len(await sqlite.find_documents(DocumentFilter(), limit=1)) == 1 and (data / f"search-s{size}.ok").exists()
        )
        return sqlite, held
    neo = Neo4jStore(os.environ["NEO4J_URI"], "neo4j", os.environ.get("NEO4J_PASSWORD", "password"), "neo4j")
    await neo.open()
    await wipe(neo)
    await neo.migrate()
    return neo, False


async def wipe(neo: Neo4jStore) -> None:
    """Delete everything in batches: one transaction would outgrow Neo4j's transaction memory at 100k
    documents (the tests' own wipe too, so the bench leaves the database empty), and batches need an
    implicit transaction."""
    await neo.db.run_auto_commit(WIPE)


async def run(kind: str, size: str, data: Path, queries: int) -> dict[str, Any]:
    directory = data / f"s{size}"
    if not (directory / "links.ndjson").exists():
        synthesize(directory, SIZES[size], SEED)
    store, held = await open_store(kind, data, size)
    try:
        imported = None
        if not held:
            started = time.perf_counter()
            await run_import(store, directory)
            imported = round(time.perf_counter() - started, 1)
            if kind == "sqlite":
                (data / f"search-s{size}.ok").touch()
        result = await measure(store, workload(directory, queries))
        return {"store": kind, "size": size, "import_s": imported, **result}
    finally:
        if isinstance(store, Neo4jStore):
            await wipe(store)
        await store.close()


def table(results: list[dict[str, Any]]) -> str:
    kinds = ("get", "search short", "search words", "search prefix", "symbol")
    head = (
        "| store | size | " + " | ".join(f"{k} p50 / p99 ms" for k in kinds) + " | central first (failed / checked) |"
    )
    rows = [head, "|" + "---|" * (len(kinds) + 3)]
    for r in results:
        cells = [f"{r[k]['p50']} / {r[k]['p99']}" if k in r else "not run" for k in kinds]
        check = r["central first"]
        rows.append(
            f"| {r['store']} | {r['size']} | " + " | ".join(cells) + f" | {check['failed']} / {check['checked']} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100k,1m", type=lambda s: s.split(","), help=f"of {', '.join(SIZES)}")
    parser.add_argument("--stores", default="sqlite", type=lambda s: s.split(","))
    parser.add_argument("--queries", type=int, default=1000, help="calls per measured operation")
    parser.add_argument("--data", type=Path, default=ROOT / "data/bench")
    parser.add_argument("--results", type=Path, default=ROOT / "bench/search_scale_results.json")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    saved = json.loads(args.results.read_text()) if args.results.exists() else []
    for kind in args.stores:
        for size in args.sizes:
            result = asyncio.run(run(kind, size, args.data, args.queries))
            print(json.dumps(result), flush=True)
            saved = [r for r in saved if (r["store"], r["size"]) != (kind, size)] + [result]
            args.results.write_text(json.dumps(saved, indent=1) + "\n")
    print(table(sorted(saved, key=lambda r: (r["store"], SIZES[r["size"]]))))


if __name__ == "__main__":
    main()

"""Audit summary at national scale: the Scoreboard across 1,000 central documents and 34 provinces.

    .venv/bin/python bench/audit_summary.py --size 1m          # synthesize (once), import (once), measure
    .venv/bin/python bench/audit_summary.py --size 200k --documents 1000

It synthesizes a graph (``lexgraph synth``, seed 1; kept under --data and reused), imports it into an
embedded store (kept too), records a confirmed province-level obligation with a plan deadline (90 days after
the document) on --documents central documents drawn with seed 1, then times ``audit_summary`` at province
level on --as-of (after 2025-07-01: 34 provinces, each carrying the plans of its predecessors), as the API
calls it, on a store reopened with the app's in-memory adjacency index: the index build (a worker runs it in
the background from startup; until it is ready the SQL walk answers), the first call after it (cold), then
p50/p99 (wall, and the process's CPU) over --repeat calls, then with compare_to (two dates scored from one
read). The load average is recorded before and after. Results are merged into --results (JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from app.settings import Settings
from graph.audit import SummarySort
from graph.models import Level
from graph.obligations import ObligationDraft
from graph.stores.sqlite import SqliteStore
from graph.synth import synthesize
from graph.usecases.audit import AuditOptions, audit_summary
from graph.usecases.bulk_import import run_import

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"10k": 10_000, "100k": 100_000, "200k": 200_000, "1m": 1_000_000}
SEED = 1
DEADLINE_DAYS = 90
CENTRAL_SERIES = ("-NQ/TW", "-KL/TW", "-CT/TW", "-QĐ/TW")
ADJACENCY_MIN_DOCUMENTS = Settings.model_fields["adjacency_min_documents"].default


def central_documents(path: Path, as_of: dt.date, count: int) -> list[tuple[str, dt.date]]:
    """``count`` central Party documents issued by ``as_of``, drawn with the seed, with their dates."""
    found = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            if doc.get("level") == "central" and doc["symbol"].endswith(CENTRAL_SERIES) and doc.get("date"):
                day = dt.date.fromisoformat(doc["date"])
                if day <= as_of:
                    found.append((doc["key"], day))
    if len(found) < count:
        raise SystemExit(f"only {len(found)} central documents by {as_of}; ask for fewer")
    return sorted(random.Random(SEED).sample(found, count))


async def prepared_store(data: Path, size: str) -> tuple[SqliteStore, Path, dict[str, float]]:
    """The embedded store of one size, synthesized and imported the first time only; the seconds each took."""
    directory = data / f"s{size}"
    timings: dict[str, float] = {}
    if not (directory / "links.ndjson").exists():
        started = time.perf_counter()
        synthesize(directory, SIZES[size], SEED)
        timings["synthesize_s"] = round(time.perf_counter() - started, 1)
    path = data / f"s{size}-audit.db"
    fresh = not path.exists()
    store = SqliteStore(path)
    await store.open()
    await store.migrate()
    if fresh:
        started = time.perf_counter()
        await run_import(store, directory)
        timings["import_s"] = round(time.perf_counter() - started, 1)
    return store, directory, timings


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    store, directory, timings = await prepared_store(args.data, args.size)
    as_of = args.as_of
    chosen = central_documents(directory / "documents.ndjson", as_of, args.documents)
    await store.upsert_obligations(
        [
            ObligationDraft(document=key, level=Level.province, deadline=day + dt.timedelta(days=DEADLINE_DAYS))
            for key, day in chosen
        ]
    )
    counts = await store.counts()
    await store.close()

    load_before = os.getloadavg()
    # Reopened as the app opens it: the first call is a cold one.
    store = SqliteStore(args.data / f"s{args.size}-audit.db", adjacency_min_documents=ADJACENCY_MIN_DOCUMENTS)
    await store.open()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        if store.adjacency.refresh() is None:
            raise SystemExit("the graph is under the index's minimum size: the SQL walk would answer")
        timings["index_build_s"] = round(time.perf_counter() - started, 1)
        timings["index_build_cpu_s"] = round(time.process_time() - cpu, 1)

        async def once(options: AuditOptions) -> tuple[float, float, Any]:
            started, cpu = time.perf_counter(), time.process_time()
            report = await audit_summary(
                store, level=Level.province, as_of=as_of, sort=SummarySort.deficit, options=options
            )
            return time.perf_counter() - started, time.process_time() - cpu, report

        cold, cold_cpu, report = await once(AuditOptions())
        warm = [(await once(AuditOptions()))[:2] for _ in range(args.repeat)]
        compare = [(await once(AuditOptions(compare_to=as_of - dt.timedelta(days=365))))[0] for _ in range(args.repeat)]
    finally:
        await store.close()
    ordered = sorted(wall for wall, _ in warm)
    return {
        "size": args.size,
        "documents_in_store": counts.documents,
        "links_in_store": counts.links,
        "audited_documents": len(report.documents),
        "units": len(report.items),
        "rows": report.summary.expected,
        "as_of": as_of.isoformat(),
        "cold_s": round(cold, 3),
        "cold_cpu_s": round(cold_cpu, 3),
        "p50_s": round(statistics.median(ordered), 3),
        "p99_s": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 3),
        "cpu_p50_s": round(statistics.median(cpu for _, cpu in warm), 3),
        "compare_to_p50_s": round(statistics.median(compare), 3),
        "repeat": args.repeat,
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "summary": report.summary.model_dump(mode="json", exclude={"warnings"}),
        **timings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="1m")
    parser.add_argument("--documents", type=int, default=1000, help="central documents given an obligation")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 3, 31))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "bench")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "audit_summary_results.json")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    result = asyncio.run(measure(args))
    results = json.loads(args.results.read_text()) if args.results.exists() else {}
    results[args.size] = result
    args.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

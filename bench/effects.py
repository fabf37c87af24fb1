"""Effect-status derivation at scale on the embedded store: the set-based pass after a bulk import.

    PYTHONPATH=. .venv/bin/python bench/effects.py --documents 200000
    PYTHONPATH=. .venv/bin/python bench/effects.py --documents 1000000 --links-per-document 5

It synthesizes a graph (``graph.synth``, seed 1), then adds ``amends`` / ``replaces`` / ``repeals`` links from
later documents to earlier ones until the graph holds ``--links-per-document`` links per document, imports it
into a fresh SQLite store (``run_import``, which ends with the recompute pass) and then times, apart:

- the full recompute pass (``recompute_effects``), run again on the imported store;
- a status filter over every document (``find_documents(status=amended)``, which computes each status on read,
  and reads back every amended document);
- single link writes (one ``upsert_links`` each), which recompute their target in the same transaction.

Results are merged into --results (JSON), keyed by documents and links per document.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from graph.models import DocumentFilter, EffectStatus, LinkDraft, Relation
from graph.stores.sqlite import SqliteStore
from graph.synth import synthesize
from graph.usecases.bulk_import import run_import

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
EFFECTS = (Relation.amends, Relation.amends, Relation.amends, Relation.replaces, Relation.repeals)
SINGLE_WRITES = 200


def add_effect_links(data: Path, per_document: float, rng: random.Random) -> int:
    """Append effect links (later document → earlier one) to ``links.ndjson`` up to ``per_document`` links a
    document in all; how many were added."""
    dated = []
    with (data / "documents.ndjson").open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            dated.append((doc.get("date") or "", doc["key"]))
    dated.sort()
    with (data / "links.ndjson").open(encoding="utf-8") as f:
        existing = sum(1 for _ in f)
    wanted = max(0, int(per_document * len(dated)) - existing)
    seen: set[tuple[int, str, int]] = set()
    with (data / "links.ndjson").open("a", encoding="utf-8", newline="\n") as f:
        while len(seen) < wanted:
            source = rng.randrange(1, len(dated))
            relation = rng.choice(EFFECTS)
            target = rng.randrange(0, source)
            if (source, relation.value, target) not in seen:
                seen.add((source, relation.value, target))
                f.write(
                    json.dumps({"source": dated[source][1], "relation": relation.value, "target": dated[target][1]})
                )
                f.write("\n")
    return wanted


async def measure(data: Path, db: Path) -> dict[str, Any]:
    """Import ``data`` into a fresh store at ``db`` and time the recompute pass, a status filter and single writes."""
    db.unlink(missing_ok=True)
    store = SqliteStore(db)
    await store.migrate()
    try:
        started = time.perf_counter()
        report = await run_import(store, data)
        imported = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        touched = await store.recompute_effects()
        recompute, recompute_cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        amended = await store.find_documents(DocumentFilter(status=EffectStatus.amended), limit=10_000_000)
        status_scan = time.perf_counter() - started
        writes = await _single_writes(store, [d.key for d in amended[: SINGLE_WRITES * 2]])
        counts = await store.counts()
    finally:
        await store.close()
    return {
        "documents": counts.documents,
        "links": counts.links,
        "import_seconds": round(imported, 1),
        "import_report_seconds": round(report.seconds, 1),
        "recompute_seconds": round(recompute, 2),
        "recompute_cpu_seconds": round(recompute_cpu, 2),
        "documents_with_effects": touched,
        "amended_today": len(amended),
        "status_filter_seconds": round(status_scan, 2),
        "single_link_write_ms_p50": round(statistics.median(writes), 2),
        "single_link_write_ms_p99": round(statistics.quantiles(writes, n=100)[98], 2),
    }


async def _single_writes(store: SqliteStore, keys: list[str]) -> list[float]:
    """Milliseconds of one ``repeals`` link write each (its target's effects recomputed in the transaction)."""
    out = []
    for source, target in zip(keys[1::2], keys[::2], strict=False):
        started = time.perf_counter()
        await store.upsert_links([LinkDraft(source=source, relation=Relation.repeals, target=target, force=True)])
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--links-per-document", type=float, default=5.0)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "bench" / "effects")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "effects_results.json")
    args = parser.parse_args()
    size = f"{args.documents}-{args.links_per_document:g}"
    data = args.data / size
    if not (data / "links.ndjson").exists():
        synthesize(data, args.documents, SEED)
        add_effect_links(data, args.links_per_document, random.Random(SEED))
    result = asyncio.run(measure(data, args.data / f"{size}.db"))
    print(json.dumps(result, indent=2))
    results = json.loads(args.results.read_text(encoding="utf-8")) if args.results.exists() else {}
    results[size] = result
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

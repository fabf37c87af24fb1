"""HTTP throughput beside a bare FastAPI endpoint, and the whole lineage beside an in-memory search.

    .venv/bin/python bench/throughput.py --size 100k --workers 1,2            # SQLite
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/throughput.py --size 100k --store neo4j

The store is the one bench/national.py builds (``--data``, synthesized and imported when missing or
different). For each worker count it serves the store with ``lexgraph serve --workers N`` and the
baseline, bench/bare_app.py, on the same uvicorn with the same worker count and event loop. For each kind of request
(a document by key, search, a symbol lookup, a depth-4 lineage page) it draws from 1,000 distinct
requests with a Zipf-like skew (the k-th most asked has weight 1/k) and runs ``wrk`` (one thread, 50
connections) against the baseline and then against lexgraph, ``--rounds`` times in alternation; a
figure is the median of its rounds, and *ratio* is lexgraph's requests/s over the baseline's.

wrk's own CPU share is reported beside each figure: a load generator that saturates its core measures
itself. *worker MB* is the largest resident set among the serving processes after the load.

Then, with no HTTP, the whole lineage (every depth, every node, one call) from central resolutions,
beside a breadth-first search of the same links in an in-memory networkx graph.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote

import httpx
import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import national  # the sibling benchmark: workload, stores, import

from app.settings import EventLoop, StoreKind
from graph.adjacency import GraphIndex, walk
from graph.models import LINEAGE_RELATIONS, MAX_DEPTH, LineageDirection, View
from graph.stores.sqlite import SqliteStore

ROOT = national.ROOT
DISTINCT = 1_000
ZIPF_S = 1.0
LINEAGE_DEPTH = 4
KINDS = ("document", "search", "symbol", "lineage")
_WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_ERRORS = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_WRK_PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Run:
    """One kind of request at one worker count: medians over the rounds."""

    kind: str
    workers: int
    app_rps: float
    bare_rps: float
    ratio: float
    app_p50_ms: float
    app_p99_ms: float
    errors: int
    wrk_cpu_percent: float


@dataclass
class Report:
    store: str
    size: str
    runs: list[Run] = field(default_factory=list)
    worker_mb: dict[int, float] = field(default_factory=dict)
    whole_lineage: dict[str, float] = field(default_factory=dict)


def ndjson(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def request_mix(directory: Path, rng: random.Random) -> dict[str, list[str]]:
    """1,000 distinct paths of each kind, the most asked first."""
    keys: list[str] = []
    symbols: list[str] = []
    short_forms: set[str] = set()
    roots: list[str] = []
    for index, doc in enumerate(ndjson(directory / "documents.ndjson")):
        symbol = str(doc["symbol"])
        if symbol.endswith("/TW") or symbol.endswith("-CP") or symbol.endswith("-TTg"):
            roots.append(str(doc["key"]))
            number, _, rest = symbol.partition("-") if "-" in symbol.split("/")[0] else symbol.partition("/")
            code = re.split(r"[-/]", rest)[0]
            short_forms.add(f"{code} {number}")
        if index % 53 == 0:
            keys.append(str(doc["key"]))
            symbols.append(symbol)
    searches = sorted(short_forms) + symbols
    picks = {
        "document": rng.sample(keys, min(DISTINCT, len(keys))),
        "search": rng.sample(searches, min(DISTINCT, len(searches))),
        "symbol": rng.sample(symbols, min(DISTINCT, len(symbols))),
        "lineage": rng.sample(roots, min(DISTINCT, len(roots))),
    }
    return {
        "document": [f"/documents/{k}" for k in picks["document"]],
        "search": [f"/search?q={quote(q)}" for q in picks["search"]],
        "symbol": [f"/documents?symbol={quote(s)}" for s in picks["symbol"]],
        "lineage": [f"/documents/{k}/lineage?direction=down&max_depth={LINEAGE_DEPTH}" for k in picks["lineage"]],
    }


def wrk_script(paths: Sequence[str]) -> str:
    """A wrk Lua script drawing paths with weight 1/rank^s (a binary search over the cumulative weights)."""
    weights = [1 / (rank**ZIPF_S) for rank in range(1, len(paths) + 1)]
    total, running, cumulative = sum(weights), 0.0, []
    for weight in weights:
        running += weight
        cumulative.append(running / total)
    quoted = ",".join(json.dumps(p) for p in paths)
    return (
        f"local paths = {{{quoted}}}\n"
        f"local cum = {{{','.join(f'{c:.9f}' for c in cumulative)}}}\n"
        "local n = #paths\n"
        "request = function()\n"
        "  local r, lo, hi = math.random(), 1, n\n"
        "  while lo < hi do\n"
        "    local mid = math.floor((lo + hi) / 2)\n"
        "    if cum[mid] < r then lo = mid + 1 else hi = mid end\n"
        "  end\n"
        '  return wrk.format("GET", paths[lo])\n'
        "end\n"
    )


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_percent: float


def run_wrk(base: str, script: Path, clients: int, seconds: float) -> WrkResult:
    """One wrk run; its CPU share from the kernel's accounting of the child."""
    command = ["wrk", "-t1", f"-c{clients}", f"-d{round(seconds)}s", "--latency", "-s", str(script), base]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    output = process.stdout.read() if process.stdout else ""
    if status != 0:
        raise SystemExit(f"wrk failed ({status}): {output}")
    percentiles = {p: float(v) * _UNIT_MS[u] for p, v, u in _WRK_PERCENTILE.findall(output)}
    errors = _WRK_ERRORS.search(output)
    rate = _WRK_RATE.search(output)
    if rate is None:
        raise SystemExit(f"no rate in wrk's output: {output}")
    return WrkResult(
        rps=float(rate.group(1)),
        p50_ms=round(percentiles.get("50", 0.0), 2),
        p99_ms=round(percentiles.get("99", 0.0), 2),
        errors=int(errors.group(1)) if errors else 0,
        cpu_percent=round(100 * (usage.ru_utime + usage.ru_stime) / wall, 1),
    )


def start_server(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(base: str, path: str) -> None:
    for _ in range(1200):
        try:
            if httpx.get(base + path, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{base} did not answer")


def serving_pids(pid: int) -> list[int]:
    """The processes that answer requests: uvicorn's workers (spawned by multiprocessing, beside its resource
    tracker), or the process itself with one worker."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    workers = [int(c) for c in children if "resource_tracker" not in Path(f"/proc/{c}/cmdline").read_text()]
    return workers or [pid]


def measure_workers(
    workers: int, env: dict[str, str], mix: dict[str, list[str]], args: argparse.Namespace, report: Report
) -> None:
    app_port, bare_port = national.free_port(), national.free_port()
    lexgraph = [str(ROOT / ".venv/bin/lexgraph"), "serve", "--port", str(app_port), "--workers", str(workers)]
    # The baseline runs on the event loop lexgraph serve picks for this many workers.
    loop = EventLoop(env.get("LEXGRAPH_EVENT_LOOP", EventLoop.auto)).for_server(workers, StoreKind(args.store))
    bare = [str(ROOT / ".venv/bin/uvicorn"), "bench.bare_app:app", "--port", str(bare_port)]
    bare += ["--workers", str(workers), "--loop", loop]
    servers = [start_server(lexgraph, env), start_server(bare, os.environ.copy())]
    app_base, bare_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
    try:
        wait_ready(app_base, "/health")
        wait_ready(bare_base, "/health")
        with tempfile.TemporaryDirectory() as scratch:
            for kind in args.kinds:
                script = Path(scratch) / f"{kind}.lua"
                script.write_text(wrk_script(mix[kind]))
                run_wrk(app_base, script, args.clients, args.warmup)  # warm caches and each worker's index
                pairs = [
                    (
                        run_wrk(bare_base, script, args.clients, args.seconds),
                        run_wrk(app_base, script, args.clients, args.seconds),
                    )
                    for _ in range(args.rounds)
                ]
                bare_rps = statistics.median(b.rps for b, _ in pairs)
                app_rps = statistics.median(a.rps for _, a in pairs)
                run = Run(
                    kind=kind,
                    workers=workers,
                    app_rps=round(app_rps, 1),
                    bare_rps=round(bare_rps, 1),
                    ratio=round(app_rps / bare_rps, 3),
                    app_p50_ms=round(statistics.median(a.p50_ms for _, a in pairs), 2),
                    app_p99_ms=round(statistics.median(a.p99_ms for _, a in pairs), 2),
                    errors=sum(a.errors for _, a in pairs),
                    wrk_cpu_percent=max(max(a.cpu_percent, b.cpu_percent) for b, a in pairs),
                )
                report.runs.append(run)
                print(json.dumps(asdict(run)), flush=True)
        report.worker_mb[workers] = max(round(national.rss_mb(p)[0]) for p in serving_pids(servers[0].pid))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


async def measure_whole_lineage(store_kind: str, args: argparse.Namespace, work: national.Workload) -> dict[str, float]:
    """p50 of the whole lineage in one store call, as documents and links and as an outline (keys, depths,
    facts, links by position), beside networkx's BFS of the same links (no depth cut).

    On the embedded store also the walk alone in its adjacency index: every reached key with its depth, what
    the BFS gives, before any document or link is read and built."""
    store = await national.open_bench_store(store_kind, args.data, args.size, wipe=False)
    index = None
    if isinstance(store, SqliteStore):  # the in-memory index, as lexgraph serve builds it
        store.adjacency.min_documents = 0
        index = store.adjacency.refresh()
    try:
        roots = work.roots[: args.lineage_roots]

        async def whole(root: str) -> object:
            return await store.lineage(root, LineageDirection.down, LINEAGE_RELATIONS, MAX_DEPTH, limit=None)

        async def in_memory(root: str) -> object:
            return nx.single_source_shortest_path_length(work.graph, root, cutoff=MAX_DEPTH)

        async def outline(root: str) -> object:
            return await store.lineage_outline(root, LineageDirection.down, LINEAGE_RELATIONS, MAX_DEPTH)

        store_ms = national.p50_p99(await national.timed(whole, roots))
        outline_ms = national.p50_p99(await national.timed(outline, roots))
        bfs_ms = national.p50_p99(await national.timed(in_memory, roots))
        reached = statistics.median(len(nx.single_source_shortest_path_length(work.graph, r)) for r in roots)
        result = {
            "store_p50_ms": store_ms[0],
            "bfs_p50_ms": bfs_ms[0],
            "ratio": round(store_ms[0] / bfs_ms[0], 1),
            "outline_p50_ms": outline_ms[0],
            "outline_ratio": round(outline_ms[0] / bfs_ms[0], 1),
            "median_documents": reached,
        }
        if index is not None:
            walk_ms = national.p50_p99(await national.timed(partial(walked_depths, index), roots))
            result |= {"walk_p50_ms": walk_ms[0], "walk_ratio": round(walk_ms[0] / bfs_ms[0], 1)}
        return result
    finally:
        await store.close()


async def walked_depths(index: GraphIndex, root: str) -> dict[str, int]:
    """Every document the whole lineage reaches from ``root``, with its depth, from the index's walk."""
    start = index.keys.find(root)
    if start is None:
        return {}
    reached = walk(index, start, down=True, relations=LINEAGE_RELATIONS, max_depth=MAX_DEPTH, view=View())
    return dict(zip(index.keys.keys(reached.ids), reached.depths.tolist(), strict=True))


async def prepare(args: argparse.Namespace) -> national.Workload:
    """The synthetic graph and a store holding it (imported when missing or different)."""
    work = national.workload(args.data, args.size, args.lineage_roots, 0)
    store = await national.open_bench_store(args.store, args.data, args.size, wipe=False)
    try:
        counts = await store.counts()
        if (counts.documents, counts.links) != (work.documents, work.links):
            await store.close()
            store = await national.open_bench_store(args.store, args.data, args.size, wipe=True)
            result = national.Result(args.store, args.size, work.documents, work.links)
            await national.measure_import(store, work, result, args.batch_size)
    finally:
        await store.close()
    return work


def table(report: Report) -> str:
    lines = [
        f"{report.store} {report.size}: requests/s beside the bare endpoint (median of rounds)",
        "| kind | workers | lexgraph req/s | bare req/s | ratio | p50 / p99 ms | errors | wrk CPU % |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in report.runs:
        lines.append(
            f"| {r.kind} | {r.workers} | {r.app_rps:,.0f} | {r.bare_rps:,.0f} | {r.ratio:.1%} | "
            f"{r.app_p50_ms:.1f} / {r.app_p99_ms:.1f} | {r.errors} | {r.wrk_cpu_percent} |"
        )
    lines.append(f"worker MB after load: {report.worker_mb}")
    lines.append(f"whole lineage: {report.whole_lineage}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="100k", choices=sorted(national.SIZES))
    parser.add_argument("--store", default="sqlite", choices=("sqlite", "neo4j"))
    parser.add_argument(
        "--workers",
        default="1,2",
        type=lambda s: [int(w) for w in s.split(",") if w],
        help='worker counts to serve; "" for the whole lineage alone',
    )
    parser.add_argument("--kinds", default=",".join(KINDS), type=lambda s: s.split(","))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before the measured rounds")
    parser.add_argument("--lineage-roots", type=int, default=100, help="roots of the whole-lineage comparison")
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--data", type=Path, default=ROOT / "data/bench")
    parser.add_argument("--results", type=Path, default=ROOT / "bench/throughput_results.json")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    work = asyncio.run(prepare(args))
    report = Report(args.store, args.size)
    mix = request_mix(work.directory, random.Random(national.SEED))
    env = national.store_env(args.store, args.data, args.size)
    for workers in args.workers:
        measure_workers(workers, env, mix, args, report)
    report.whole_lineage = asyncio.run(measure_whole_lineage(args.store, args, work))
    results = json.loads(args.results.read_text()) if args.results.exists() else {}
    results[f"{args.store}/{args.size}"] = asdict(report)
    args.results.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(table(report))


if __name__ == "__main__":
    main()

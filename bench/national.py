"""National-scale benchmark: import rate and query latency at 10k, 100k and 1M documents, on both stores.

    .venv/bin/python bench/national.py --sizes 10k,100k --stores sqlite
    NEO4J_URI=bolt://127.0.0.1:7691 .venv/bin/python bench/national.py --sizes 10k --stores sqlite,neo4j
    .venv/bin/python bench/national.py --plot          # bench/p99_latency.png from the recorded results

For each size it synthesizes a graph (``lexgraph synth``, seed 1; kept under --data and reused),
imports it into a fresh store and measures, each beside a baseline taken in the same run:

- import rate (links/s) of the bulk path, beside per-row writes (one ``upsert_links`` per link);
- lineage down to depth 4 from central resolutions, beside a breadth-first search to depth 4 in an
  in-memory networkx graph of the same links;
- province-level implementers of the same resolutions, a 3-hop path, and search;
- the HTTP API (``lexgraph serve`` in a subprocess on 127.0.0.1): lineage p50 over HTTP divided by the
  direct store call's, requests/s of a bounded concurrent load run, and the server's resident memory.

Latencies are p50/p99 in milliseconds over --queries queries after a warm-up. Results are merged into
--results (JSON) so that runs of different sizes and stores add up to one table. The Neo4j run WIPES
the database at NEO4J_URI.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import networkx as nx

from graph.models import LINEAGE_RELATIONS, Level, Lineage, LineageDirection, LinkDraft, Relation
from graph.paths import PathQuery, find_paths
from graph.ports import GraphStore
from graph.stores.neo4j import Neo4jStore
from graph.stores.sqlite import SqliteStore
from graph.synth import synthesize
from graph.usecases.bulk_import import run_import

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 1
DEPTH = 4
PATH_HOPS = 3
WARMUP = 20
PER_ROW_WRITES = 1_000
SEARCH_WORDS = (
    "chuyển đổi số",
    "chuyen doi so",
    "kinh tế tư nhân",
    "dân vận",
    "nông thôn mới",
    "tham nhũng",
    "giáo dục và đào tạo",
    "biến đổi khí hậu",
    "nguồn nhân lực",
    "khoa học công nghệ",
    "cán bộ",
    "quốc phòng",
)
_WIPE_STEP = "MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n"


@dataclass
class Result:
    """One store at one size; latencies in ms."""

    store: str
    size: str
    documents: int
    links: int
    documents_per_s: float = 0.0
    links_per_s: float = 0.0
    per_row_links_per_s: float = 0.0
    latency: dict[str, tuple[float, float]] = field(default_factory=dict)
    api_overhead: float = 0.0
    api_requests_per_s: float = 0.0
    api_errors: int = 0
    api_rss_mb: float = 0.0
    api_peak_rss_mb: float = 0.0
    # Median and largest lineage answer (first page, default limit): documents in the whole lineage,
    # documents and links on the page.
    lineage_answer: dict[str, tuple[int, int]] = field(default_factory=dict)
    note: str = ""


def p50_p99(samples: Sequence[float]) -> tuple[float, float]:
    """Median and 99th percentile in milliseconds of samples in seconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return round(cuts[49] * 1000, 2), round(cuts[98] * 1000, 2)


async def timed(call: Callable[[Any], Awaitable[Any]], args: Sequence[Any]) -> list[float]:
    """Seconds per call, after a warm-up on the first few arguments."""
    for arg in args[:WARMUP]:
        await call(arg)
    samples = []
    for arg in args:
        started = time.perf_counter()
        await call(arg)
        samples.append(time.perf_counter() - started)
    return samples


# the synthetic graph and what queries are asked of it


@dataclass
class Workload:
    directory: Path
    documents: int
    links: int
    roots: list[str]
    path_pairs: list[tuple[str, str]]
    searches: list[str]
    graph: nx.DiGraph

    @property
    def lineage_edges(self) -> int:
        return int(self.graph.number_of_edges())


def ndjson(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def workload(data: Path, size: str, queries: int, path_queries: int) -> Workload:
    """Synthesize (once) and pick the query arguments: central resolutions, 3-hop pairs, search text."""
    directory = data / f"s{size}"
    if not (directory / "links.ndjson").exists():
        synthesize(directory, SIZES[size], SEED)
    rng = random.Random(SEED)
    central, symbols = [], []
    documents = 0
    for doc in ndjson(directory / "documents.ndjson"):
        documents += 1
        if doc["symbol"].endswith("-NQ/TW"):  # a Party resolution; the Government's are leaves
            central.append(doc["key"])
        if documents % 97 == 0:
            symbols.append(doc["symbol"])
    # Edges point down the lineage (from what is implemented to what implements it), as the walk goes.
    graph = nx.DiGraph()
    lineage = {r.value for r in LINEAGE_RELATIONS}
    implemented: dict[str, str] = {}
    links = 0
    for link in ndjson(directory / "links.ndjson"):
        links += 1
        if link["relation"] in lineage:
            graph.add_edge(link["target"], link["source"])
        if link["relation"] == Relation.implements:
            implemented[link["source"]] = link["target"]
    graph.add_nodes_from(central)  # a resolution nothing implements yet is a root too
    roots = [rng.choice(central) for _ in range(queries)]
    # A path query joins a plan to what it implements three implements links up (a district's state
    # plan to the central document); the store answers with the shortest chains of at most that length.
    chains = []
    for start in sorted(implemented):
        ends = [start]
        while len(ends) <= PATH_HOPS and ends[-1] in implemented:
            ends.append(implemented[ends[-1]])
        if len(ends) == PATH_HOPS + 1:
            chains.append((start, ends[-1]))
    pairs = [rng.choice(chains) for _ in range(path_queries)] if chains else []
    searches = [rng.choice(SEARCH_WORDS) if i % 2 else rng.choice(symbols) for i in range(queries)]
    return Workload(directory, documents, links, roots, pairs, searches, graph)


# stores


async def open_bench_store(kind: str, data: Path, size: str, *, wipe: bool) -> GraphStore:
    """The store of one size, emptied first when ``wipe``."""
    store: GraphStore
    if kind == "sqlite":
        path = data / f"s{size}.db"
        for stale in data.glob(f"s{size}.db*") if wipe else ():
            stale.unlink()
        store = SqliteStore(path)
        await store.open()
    else:
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            raise SystemExit("the neo4j store needs NEO4J_URI")
        neo = Neo4jStore(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", "password"),
            os.environ.get("NEO4J_DATABASE", "neo4j"),
            query_timeout=600.0,
        )
        await neo.open()
        while wipe and (await neo.db.write(_WIPE_STEP))[0]["n"]:
            pass
        store = neo
    await store.migrate()
    return store


def store_env(kind: str, data: Path, size: str) -> dict[str, str]:
    """The environment that points ``lexgraph serve`` at the store just measured."""
    # The per-client rate limit is off: the load run measures what the server can answer.
    env = os.environ | {"LEXGRAPH_STORE": kind, "LEXGRAPH_LOAD_SEEDS": "false", "LEXGRAPH_RATE_LIMIT": "0"}
    if kind == "sqlite":
        env["LEXGRAPH_SQLITE_PATH"] = str(data / f"s{size}.db")
    return env


async def measure_import(store: GraphStore, work: Workload, result: Result, batch_size: int) -> None:
    await run_import(store, work.directory / "organizations.ndjson", batch_size=batch_size)
    started = time.perf_counter()
    await run_import(store, work.directory / "documents.ndjson", batch_size=batch_size)
    result.documents_per_s = round(work.documents / (time.perf_counter() - started))
    started = time.perf_counter()
    await run_import(store, work.directory / "links.ndjson", batch_size=batch_size)
    result.links_per_s = round(work.links / (time.perf_counter() - started))
    counts = await store.counts()
    if (counts.documents, counts.links) != (work.documents, work.links):
        raise SystemExit(
            f"{store.kind}: imported {counts} but the input holds {work.documents} documents, {work.links} links"
        )
    # Baseline: the first links written again one per transaction through the ordinary write path (after
    # the bulk load, which thus ran as a first load into a store without links, as a new deployment's does).
    first = []
    for link in ndjson(work.directory / "links.ndjson"):
        first.append(LinkDraft.model_validate(link))
        if len(first) == PER_ROW_WRITES:
            break
    started = time.perf_counter()
    for draft in first:
        await store.upsert_links([draft])
    result.per_row_links_per_s = round(len(first) / (time.perf_counter() - started))


async def measure_queries(store: GraphStore, work: Workload, result: Result) -> None:
    # Lineage and implementers as a client asks: the first page at the default limit, with the counts.
    def lineage(root: str) -> Awaitable[Lineage]:
        return store.lineage(root, LineageDirection.down, LINEAGE_RELATIONS, DEPTH)

    async def networkx_bfs(root: str) -> Any:
        return nx.single_source_shortest_path_length(work.graph, root, cutoff=DEPTH)

    def implementers(root: str) -> Awaitable[Any]:
        return store.implementers(root, level=Level.province, jurisdiction=None, max_depth=DEPTH)

    def path(pair: tuple[str, str]) -> Awaitable[Any]:
        return find_paths(store, pair[0], pair[1], PathQuery(max_length=PATH_HOPS, k=10))

    def search(text: str) -> Awaitable[Any]:
        return store.search(text, limit=20)

    runs: list[tuple[str, Callable[[Any], Awaitable[Any]], Sequence[Any]]] = [
        ("lineage", lineage, work.roots),
        ("networkx_bfs", networkx_bfs, work.roots),
        ("implementers", implementers, work.roots),
        ("path", path, work.path_pairs),
        ("search", search, work.searches),
    ]
    for name, call, args in runs:
        if args:
            result.latency[name] = p50_p99(await timed(call, args))
    answers = [await lineage(root) for root in work.roots]
    for name, sizes in (
        ("total", [a.total for a in answers]),
        ("page_nodes", [len(a.nodes) for a in answers]),
        ("page_edges", [len(a.edges) for a in answers]),
    ):
        result.lineage_answer[name] = (round(statistics.median(sizes)), max(sizes))


# the HTTP API


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> tuple[float, float]:
    """Resident and peak resident memory of a process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def load_run(base: str, work: Workload, clients: int, seconds: float) -> tuple[int, int, float]:
    """Requests done and failed by ``clients`` concurrent clients looping over a query mix for ``seconds``."""
    rng = random.Random(SEED)
    urls = [
        *(f"/documents/{r}/lineage?direction=down&max_depth={DEPTH}" for r in work.roots),
        *(f"/documents/{r}/implementers?level=province&max_depth={DEPTH}" for r in work.roots),
        *(f"/search?q={q}" for q in work.searches),
        *(f"/documents/{r}" for r in work.roots),
    ]
    done = failed = 0
    deadline = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal done, failed
        while time.perf_counter() < deadline:
            try:
                response = await http.get(rng.choice(urls))
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            done += ok
            failed += not ok

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return done, failed, time.perf_counter() - started


async def measure_api(
    kind: str, data: Path, size: str, work: Workload, result: Result, clients: int, seconds: float
) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/lexgraph"), "serve", "--port", str(port)],
        env=store_env(kind, data, size),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60.0) as http:
            for _ in range(600):
                try:
                    if (await http.get("/health")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)

            async def lineage(root: str) -> None:
                response = await http.get(
                    f"/documents/{root}/lineage", params={"direction": "down", "max_depth": DEPTH}
                )
                response.raise_for_status()

            p50_http, _ = p50_p99(await timed(lineage, work.roots))
        result.api_overhead = round(p50_http / result.latency["lineage"][0], 2)
        done, failed, elapsed = await load_run(base, work, clients, seconds)
        result.api_requests_per_s = round(done / elapsed, 1)
        result.api_errors = failed
        current, peak = rss_mb(server.pid)
        result.api_rss_mb, result.api_peak_rss_mb = round(current), round(peak)
    finally:
        server.terminate()
        server.wait(timeout=30)


# reporting


def load_results(path: Path) -> dict[str, Result]:
    if not path.exists():
        return {}
    raw = json.loads(path.read_text())
    return {
        k: Result(
            **(
                v
                | {
                    "latency": {n: tuple(x) for n, x in v["latency"].items()},
                    "lineage_answer": {n: tuple(x) for n, x in v.get("lineage_answer", {}).items()},
                }
            )
        )
        for k, v in raw.items()
    }


def save_result(path: Path, result: Result) -> None:
    results = load_results(path)
    results[f"{result.store}/{result.size}"] = result
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({k: asdict(v) for k, v in sorted(results.items())}, indent=1) + "\n")


LATENCY_COLUMNS = ("lineage", "networkx_bfs", "implementers", "path", "search")


def table(results: Sequence[Result]) -> str:
    head = [
        "store",
        "size",
        "docs",
        "links",
        "import docs/s",
        "import links/s",
        "per-row links/s",
        *(f"{n} p50/p99 ms" for n in LATENCY_COLUMNS),
        "API/direct",
        "API req/s",
        "API RSS MB",
    ]
    rows = [head, ["---"] * len(head)]
    for r in results:
        latency = [f"{r.latency[n][0]} / {r.latency[n][1]}" if n in r.latency else "-" for n in LATENCY_COLUMNS]
        rows.append(
            [
                r.store,
                r.size,
                f"{r.documents:,}",
                f"{r.links:,}",
                *(
                    f"{rate:,.0f}" if rate else "-"
                    for rate in (r.documents_per_s, r.links_per_s, r.per_row_links_per_s)
                ),
                *latency,
                f"{r.api_overhead}x" if r.api_overhead else "-",
                f"{r.api_requests_per_s:,.0f}" if r.api_requests_per_s else "-",
                f"{r.api_rss_mb:,.0f} (peak {r.api_peak_rss_mb:,.0f})" if r.api_rss_mb else "-",
            ]
        )
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def plot(results: Sequence[Result], out: Path) -> None:
    """p99 latency against graph size, one line per store and query."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5))
    styles = {"sqlite": "-", "neo4j": "--"}
    for kind in sorted({r.store for r in results}):
        runs = sorted((r for r in results if r.store == kind), key=lambda r: r.documents)
        for name in ("lineage", "implementers", "search", "networkx_bfs"):
            points = [(r.documents, r.latency[name][1]) for r in runs if name in r.latency]
            if points and not (name == "networkx_bfs" and kind != "sqlite"):
                label = "networkx BFS (baseline)" if name == "networkx_bfs" else f"{kind} {name}"
                style = styles[kind] if name != "networkx_bfs" else ":"
                ax.plot(*zip(*points, strict=True), style, marker="o", label=label)
    for target, what in ((50, "lineage target at 1M"), (20, "search target at 1M")):
        ax.axhline(target, color="grey", linestyle="-.", linewidth=0.8)
        ax.annotate(
            f"{what}: {target} ms", (0.01, target), xycoords=("axes fraction", "data"), fontsize=7, color="grey"
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("documents")
    ax.set_ylabel("p99 latency (ms)")
    ax.set_title(f"p99 latency against graph size (lineage and implementers to depth {DEPTH})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)


async def run(args: argparse.Namespace) -> None:
    for size in args.sizes:
        print(f"# {size}: preparing the workload", file=sys.stderr, flush=True)
        work = workload(args.data, size, args.queries, args.path_queries)
        for kind in args.stores:
            print(f"# {size} {kind}: import", file=sys.stderr, flush=True)
            result = Result(kind, size, work.documents, work.links)
            store = await open_bench_store(kind, args.data, size, wipe=not args.reuse)
            try:
                counts = await store.counts()
                if args.reuse and (counts.documents, counts.links) == (work.documents, work.links):
                    earlier = load_results(args.results).get(f"{kind}/{size}")
                    result.note = "queries measured on a store imported by an earlier run"
                    if earlier is not None:
                        result.documents_per_s, result.links_per_s = earlier.documents_per_s, earlier.links_per_s
                        result.per_row_links_per_s = earlier.per_row_links_per_s
                else:
                    await measure_import(store, work, result, args.batch_size)
                print(f"# {size} {kind}: queries", file=sys.stderr, flush=True)
                await measure_queries(store, work, result)
            finally:
                await store.close()
            if args.api:
                print(f"# {size} {kind}: API", file=sys.stderr, flush=True)
                await measure_api(kind, args.data, size, work, result, args.clients, args.seconds)
            save_result(args.results, result)
            print(table([result]), flush=True)
            sizes = ", ".join(f"{name} {median} (max {most})" for name, (median, most) in result.lineage_answer.items())
            print(f"lineage answer, median (max): {sizes}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1m", type=lambda s: s.split(","), help=f"of {', '.join(SIZES)}")
    parser.add_argument("--stores", default="sqlite,neo4j", type=lambda s: s.split(","))
    parser.add_argument("--queries", type=int, default=300, help="queries per measured operation")
    parser.add_argument("--path-queries", type=int, default=100, help="3-hop path queries (the slowest kind)")
    parser.add_argument("--reuse", action="store_true", help="keep a store that already holds the graph: queries only")
    parser.add_argument("--batch-size", type=int, default=5_000)
    parser.add_argument("--clients", type=int, default=50, help="concurrent API clients in the load run")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the load run")
    parser.add_argument("--no-api", dest="api", action="store_false", help="skip the HTTP measurements")
    parser.add_argument("--data", type=Path, default=ROOT / "data/bench", help="synthetic graphs and SQLite files")
    parser.add_argument("--results", type=Path, default=ROOT / "bench/national_results.json")
    parser.add_argument("--plot", action="store_true", help="only draw bench/p99_latency.png from --results")
    args = parser.parse_args()
    if args.plot:
        results = list(load_results(args.results).values())
        plot(results, ROOT / "bench/p99_latency.png")
        print(table(sorted(results, key=lambda r: (r.store, r.documents))))
        return
    unknown = [s for s in args.sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown sizes {unknown}; choose from {', '.join(SIZES)}")
    args.data.mkdir(parents=True, exist_ok=True)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()

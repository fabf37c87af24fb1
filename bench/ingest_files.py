"""Ingest throughput over a folder of generated DOCX, PDF and HTML files, on the embedded store.

    .venv/bin/python bench/ingest_files.py [--files 1000] [--seed 1]

Prints files/s and MB/s for the whole run, and the share of the time spent reading files (graph.files),
extracting (graph.extract) and writing (the store), measured around each phase of every file.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import graph.usecases.file_ingest as file_ingest
import graph.usecases.ingest as ingest
from graph.seeds import load_seeds
from graph.stores.sqlite import SqliteStore
from tests.files.make_fixtures import make_fixture_folder

PHASES = ("read", "extract", "write")


def _timed(phase: str, spent: dict[str, float], fn):  # type: ignore[no-untyped-def]
    if asyncio.iscoroutinefunction(fn):

        async def timed_async(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                spent[phase] += time.perf_counter() - started

        return timed_async

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[phase] += time.perf_counter() - started

    return timed


async def main(files: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "files"
        paths = make_fixture_folder(folder, files, seed)
        size = sum(p.stat().st_size for p in paths)
        store = SqliteStore(Path(tmp) / "bench.db")
        await store.open()
        await store.migrate()
        await load_seeds(store, units=False)
        spent: dict[str, float] = defaultdict(float)
        file_ingest.read_document = _timed("read", spent, file_ingest.read_document)  # type: ignore[assignment]
        ingest.extract = _timed("extract", spent, ingest.extract)  # type: ignore[assignment]
        started = time.perf_counter()
        outcomes = [await file_ingest.ingest_file(store, p.read_bytes(), str(p), "nghe-an") for p in paths]
        elapsed = time.perf_counter() - started
        spent["write"] = elapsed - spent["read"] - spent["extract"]
        await store.close()
    ok = sum(o.status == "ok" for o in outcomes)
    print(f"{files} files ({size / 1e6:.1f} MB), {ok} ok, in {elapsed:.1f} s")
    print(f"throughput: {files / elapsed:.1f} files/s, {size / 1e6 / elapsed:.2f} MB/s")
    for phase in PHASES:
        print(f"  {phase:8} {spent[phase]:7.1f} s  {100 * spent[phase] / elapsed:5.1f} %")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(main(args.files, args.seed))

"""The embedded store's in-memory adjacency index: built from a read snapshot, used while its version is current.

``graph_version`` (migration V0024) is bumped by triggers in the transaction of every write to links or to
the document columns a walk reads, whatever the write path; a walk reads it first (one primary-key read on
its own connection) and takes the index only when the versions match, else answers from SQL and asks for
a rebuild. Rebuilds run in a background thread, one at a time and at most every ``min_interval`` seconds,
so a burst of writes costs one rebuild. Every worker process keeps its own index: nothing assumes one
process owns the data.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from graph.adjacency import (
    LEVEL_CODE,
    NO_JURISDICTION,
    RELATION_CODE,
    REVIEW_CODE,
    GraphIndex,
    KeyTable,
    Rows,
    issued_day,
)
from graph.clock import parse_day

GRAPH_VERSION = "SELECT n FROM graph_version"
DOCUMENT_COUNT = "SELECT count(*) FROM documents"
INDEX_DOCUMENTS = "SELECT key, level, jurisdiction, year, date FROM documents ORDER BY key"
INDEX_LINKS = "SELECT source, relation, target, review FROM links"
_FETCH = 50_000


class AdjacencyCache:
    """The current :class:`GraphIndex` of one database file, if the graph is large enough to want one."""

    def __init__(self, path: Path, *, min_documents: int | None, min_interval: float = 5.0) -> None:
        self.path = path
        self.min_documents = min_documents
        self.min_interval = min_interval
        self._index: GraphIndex | None = None
        self._small_at: int | None = None  # a version whose graph was under min_documents
        self._lock = threading.Lock()
        self._building = False
        self._last_start = -float("inf")

    def current(self, conn: sqlite3.Connection) -> GraphIndex | None:
        """The index if it holds the graph as ``conn`` sees it now; else None, and a rebuild is asked for."""
        if self.min_documents is None:
            return None
        version = conn.execute(GRAPH_VERSION).fetchone()[0]
        index = self._index
        if index is not None and index.version == version:
            return index
        if version != self._small_at:
            self._rebuild_later()
        return None

    def refresh(self) -> GraphIndex | None:
        """Build the index now, in this thread (tests and warm-up); None when the graph is too small."""
        with self._lock:
            self._building = True
        try:
            return self._build()
        finally:
            with self._lock:
                self._building = False

    def _rebuild_later(self) -> None:
        with self._lock:
            if self._building or time.monotonic() - self._last_start < self.min_interval:
                return
            self._building = True
            self._last_start = time.monotonic()
        threading.Thread(target=self._build_in_background, name="lexgraph-adjacency", daemon=True).start()

    def _build_in_background(self) -> None:
        try:
            self._build()
        finally:
            with self._lock:
                self._building = False

    def _build(self) -> GraphIndex | None:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        try:
            conn.execute("BEGIN")  # one read snapshot: the version and the rows agree
            version = conn.execute(GRAPH_VERSION).fetchone()[0]
            if conn.execute(DOCUMENT_COUNT).fetchone()[0] < (self.min_documents or 0):
                self._small_at, self._index = version, None
                return None
            self._index = build_index(conn, version)
            return self._index
        finally:
            conn.close()
            release_freed_memory()


def _libc_trim() -> Callable[[int], object] | None:
    name = ctypes.util.find_library("c")
    trim: Callable[[int], object] | None = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    return trim


_MALLOC_TRIM = _libc_trim()


def release_freed_memory() -> None:
    """Give the heap a build freed back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    A build holds every key as a Python string for a moment, about 300 MB at 1M documents; freed in a
    worker thread's arena, that memory stays in the process's resident set until trimmed."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def build_index(conn: sqlite3.Connection, version: int) -> GraphIndex:
    """The index of every document and link ``conn`` sees, tagged with ``version``."""
    keys: list[str] = []
    levels: list[int] = []
    jurisdiction_codes: list[int] = []
    jurisdictions: dict[str, int] = {}
    years: list[int] = []
    issued: list[int] = []
    cursor = conn.execute(INDEX_DOCUMENTS)
    while batch := cursor.fetchmany(_FETCH):
        for key, level, jurisdiction, year, date in batch:
            keys.append(key)
            levels.append(LEVEL_CODE.get(level, 0))
            jurisdiction_codes.append(
                NO_JURISDICTION if jurisdiction is None else jurisdictions.setdefault(jurisdiction, len(jurisdictions))
            )
            years.append(year or 0)
            issued.append(issued_day(parse_day(date), year))
    ids = {key: i for i, key in enumerate(keys)}
    sources, targets, relations, reviews = [], [], [], []
    cursor = conn.execute(INDEX_LINKS)
    while batch := cursor.fetchmany(_FETCH):
        sources.append(np.fromiter((ids[r[0]] for r in batch), dtype=np.int32, count=len(batch)))
        targets.append(np.fromiter((ids[r[2]] for r in batch), dtype=np.int32, count=len(batch)))
        relations.append(np.fromiter((RELATION_CODE[r[1]] for r in batch), dtype=np.uint8, count=len(batch)))
        reviews.append(np.fromiter((REVIEW_CODE[r[3]] for r in batch), dtype=np.uint8, count=len(batch)))
    count = len(keys)
    source, target = _joined(sources, np.int32), _joined(targets, np.int32)
    relation, review = _joined(relations, np.uint8), _joined(reviews, np.uint8)
    del ids
    return GraphIndex(
        version=version,
        keys=KeyTable.from_sorted(keys),
        level=np.array(levels, dtype=np.uint8),
        jurisdiction=np.array(jurisdiction_codes, dtype=np.int32),
        jurisdictions=tuple(jurisdictions),
        year=np.array(years, dtype=np.int32),
        issued=np.array(issued, dtype=np.int32),
        out=Rows.grouped(count, source, target, relation, review),
        into=Rows.grouped(count, target, source, relation, review),
    )


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

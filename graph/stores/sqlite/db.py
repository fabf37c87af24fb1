"""The SQLite connection core every role of the embedded store is built on.

sqlite3 is synchronous, so every call runs in a worker thread with a connection of its own;
writes take the database lock up front (``BEGIN IMMEDIATE``) so a batch is all or nothing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread

from graph.effects import status_function
from graph.errors import StoreUnavailableError
from graph.search import index_words
from graph.text import fold

T = TypeVar("T")

# The connection of the unit of work the current task runs in, if any.
_UNIT: ContextVar[sqlite3.Connection | None] = ContextVar("lexgraph_sqlite_unit", default=None)
_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON")
# How long closing waits for calls still running in worker threads (a bulk import's batch takes seconds).
CLOSE_WAIT_SECONDS = 30.0


class SqliteDb:
    """One database file: a connection per thread, ``run`` to leave the event loop, ``write`` for a transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._in_threads = 0
        self._threads_done = threading.Condition()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use; inside a unit of work, the unit's."""
        if (pinned := _UNIT.get()) is not None:
            return pinned
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = _open(self.path)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on this thread's connection: committed at the end, rolled back on any error."""
        conn = self.connection()
        if conn is _UNIT.get():  # inside a unit of work: its transaction is this write's
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error:
            # A commit refused (disk full, read-only file) leaves the transaction open on this connection.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[None]:
        """One transaction for every write of the block, on a connection of its own: all or nothing.

        Worker threads see the unit's connection through a context variable (anyio copies the context
        into them); a write inside the unit joins its transaction instead of opening one.
        """
        if _UNIT.get() is not None:
            yield
            return
        conn = await self.run(self._unit_connection)
        token = _UNIT.set(conn)
        try:
            yield
            await self.run(conn.execute, "COMMIT")
        finally:
            _UNIT.reset(token)
            if conn.in_transaction:
                conn.execute("ROLLBACK")  # the block failed, was cancelled, or its commit was refused
            conn.close()

    def _unit_connection(self) -> sqlite3.Connection:
        conn = _open(self.path)
        conn.execute("BEGIN IMMEDIATE")
        return conn

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a worker thread; a database that cannot answer is unavailable."""
        try:
            return await anyio.to_thread.run_sync(partial(self._counted, fn, *args))
        except sqlite3.OperationalError as e:
            raise StoreUnavailableError(f"SQLite store error: {e}") from e

    def _counted(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)``, counted while it runs so that :meth:`close` waits for it."""
        with self._threads_done:
            self._in_threads += 1
        try:
            return fn(*args)
        finally:
            with self._threads_done:
                self._in_threads -= 1
                self._threads_done.notify_all()

    def read_now(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on the calling thread: for a read an index bounds (a row by key, a short page), which
        costs less than the hop to a worker thread and back, and under load less than the wait for the GIL."""
        try:
            return fn(*args)
        except sqlite3.OperationalError as e:
            raise StoreUnavailableError(f"SQLite store error: {e}") from e

    def close(self) -> None:
        """Close every thread's connection, once the calls running in worker threads have ended (up to
        CLOSE_WAIT_SECONDS). A task cancelled while its call runs in a thread leaves the thread running, and a
        connection closed under a running statement crashes the process."""
        with self._threads_done:
            self._threads_done.wait_for(lambda: self._in_threads == 0, timeout=CLOSE_WAIT_SECONDS)
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()


def _open(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as e:
        raise StoreUnavailableError(f"cannot open SQLite database {path}: {e}") from e
    conn.row_factory = sqlite3.Row
    for pragma in _PRAGMAS:
        conn.execute(pragma)
    conn.create_function("lexgraph_fold", 1, _fold_or_none, deterministic=True)
    conn.create_function("lexgraph_words", 1, index_words_json, deterministic=True)
    conn.create_function("lexgraph_status", 5, status_function, deterministic=True)
    return conn


class SqliteRole:
    """Base of the embedded store's roles: each reaches the database only through ``db``."""

    db: SqliteDb


def index_words_json(text: str | None) -> str | None:
    """SQL function ``lexgraph_words``: the words of indexed search text as a JSON array (for the vocabulary)."""
    return json.dumps(index_words(text)) if text is not None else None


def _fold_or_none(text: str | None) -> str | None:
    return fold(text) if text is not None else None

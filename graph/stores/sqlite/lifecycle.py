"""Lifecycle of the embedded store: open, close, health, migrations, counts."""

from __future__ import annotations

import asyncio
import fcntl
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from graph.clock import timestamp
from graph.errors import StoreBusyError, StoreUnavailableError
from graph.migrations import discover, pending
from graph.models import GraphCounts
from graph.stores.sqlite.db import SqliteRole

CREATE_MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"
)
APPLIED_MIGRATIONS = "SELECT version, checksum FROM schema_migrations"
RECORD_MIGRATION = "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)"
COUNT = {
    "documents": "SELECT count(*) FROM documents",
    "links": "SELECT count(*) FROM links",
    "organizations": "SELECT count(*) FROM organizations",
}

PROBE_WRITE = "INSERT OR REPLACE INTO health_probe VALUES (?, ?)"
LOCK_POLL_SECONDS = 0.1


class SqliteLifecycle(SqliteRole):
    """Connecting, health and schema of the embedded store."""

    kind = "sqlite"
    migrations_dir: Path
    # How long a process waits for another's exclusive block (its seeding) before it gives up.
    lease_wait_seconds = 600.0

    async def open(self) -> None:
        self.db.path.parent.mkdir(parents=True, exist_ok=True)
        await self.db.run(self.db.connection)

    async def close(self) -> None:
        self.db.close()

    async def ping(self) -> bool:
        try:
            await self.db.run(lambda: self.db.connection().execute("SELECT 1").fetchone())
        except (StoreUnavailableError, sqlite3.Error):
            return False
        return True

    def unit_of_work(self) -> AbstractAsyncContextManager[None]:
        return self.db.unit_of_work()

    async def probe_write(self, worker: str) -> None:
        def write() -> None:
            with self.db.write() as tx:
                tx.execute(PROBE_WRITE, (worker, timestamp()))

        await self.db.run(write)

    async def migrate(self) -> list[str]:
        return await self.db.run(self._migrate)

    def _migrate(self) -> list[str]:
        self.db.connection().execute(CREATE_MIGRATIONS_TABLE)
        applied_now = []
        with self.db.write() as tx:
            applied = {r[0]: r[1] for r in tx.execute(APPLIED_MIGRATIONS)}
            for migration in pending(discover(self.migrations_dir, "sql"), applied):
                for statement in migration.statements():
                    tx.execute(statement)
                tx.execute(RECORD_MIGRATION, (migration.version, migration.name, migration.checksum, timestamp()))
                applied_now.append(migration.label)
        return applied_now

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[None]:
        """Hold an advisory lock on a file beside the database for the block: the processes sharing a database file
        share its machine, and the system releases the lock of a process that dies. Migrations need none: they
        run in one write transaction."""
        lock = self.db.path.with_name(f"{self.db.path.name}.{name}.lock")
        give_up = time.monotonic() + self.lease_wait_seconds
        with lock.open("a") as f:
            while True:
                try:
                    fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= give_up:
                        raise StoreBusyError(
                            f"another process has held {lock} for over {self.lease_wait_seconds:g} s"
                        ) from None
                    await asyncio.sleep(LOCK_POLL_SECONDS)
            try:
                yield
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)

    async def counts(self) -> GraphCounts:
        def count() -> GraphCounts:
            conn = self.db.connection()
            return GraphCounts(**{name: conn.execute(sql).fetchone()[0] for name, sql in COUNT.items()})

        return await self.db.run(count)

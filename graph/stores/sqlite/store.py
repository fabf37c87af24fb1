"""The embedded store: one SQLite file in WAL mode, its roles composed on one connection core."""

from __future__ import annotations

import asyncio
from pathlib import Path

from graph.bulk import ImportState
from graph.lineage import LINEAGE_PAGES_BYTES, LineageShape
from graph.migrations import DEFAULT_MIGRATIONS_DIR
from graph.search_flow import SEARCH_RANKINGS
from graph.stores.sqlite.adjacency import AdjacencyCache
from graph.stores.sqlite.bulk import SqliteBulk
from graph.stores.sqlite.changes import SqliteChanges
from graph.stores.sqlite.corrections import SqliteCorrections
from graph.stores.sqlite.db import SqliteDb
from graph.stores.sqlite.documents import SqliteDocuments
from graph.stores.sqlite.effects import SqliteEffects
from graph.stores.sqlite.events import SqliteEvents
from graph.stores.sqlite.export import SqliteExport
from graph.stores.sqlite.keys import SqliteKeys
from graph.stores.sqlite.lifecycle import SqliteLifecycle
from graph.stores.sqlite.links import SqliteLinks
from graph.stores.sqlite.neighbours import SqliteNeighbours
from graph.stores.sqlite.obligations import SqliteObligations
from graph.stores.sqlite.organizations import SqliteOrganizations
from graph.stores.sqlite.reach import SqliteReach
from graph.stores.sqlite.search import SqliteSearch
from graph.stores.sqlite.snapshots import SqliteSnapshots
from graph.stores.sqlite.texts import SqliteTexts
from graph.stores.sqlite.traversal import WALKS_IN_THREADS, SqliteTraversal
from graph.versioned_cache import VersionedCache


class SqliteStore(
    SqliteLifecycle,
    SqliteOrganizations,
    SqliteDocuments,
    SqliteLinks,
    SqliteTraversal,
    SqliteNeighbours,
    SqliteSearch,
    SqliteObligations,
    SqliteReach,
    SqliteSnapshots,
    SqliteTexts,
    SqliteKeys,
    SqliteChanges,
    SqliteBulk,
    SqliteExport,
    SqliteCorrections,
    SqliteEffects,
    SqliteEvents,
):
    """The embedded default store: every role on one :class:`SqliteDb`."""

    def __init__(
        self,
        path: str | Path,
        migrations_dir: Path = DEFAULT_MIGRATIONS_DIR,
        *,
        adjacency_min_documents: int | None = None,
        search_rankings: int = SEARCH_RANKINGS,
        lineage_pages_bytes: int = LINEAGE_PAGES_BYTES,
    ) -> None:
        """``adjacency_min_documents``: walk in memory once the graph has that many documents (None: never);
        ``search_rankings``: how many searches' rankings to keep while the data is unchanged (0: none);
        ``lineage_pages_bytes``: how much of lineage pages to keep so (0: none)."""
        self.db = SqliteDb(path)
        self.adjacency = AdjacencyCache(self.db.path, min_documents=adjacency_min_documents)
        self.rankings = VersionedCache(search_rankings)
        self.lineage_pages = VersionedCache(lineage_pages_bytes, size=LineageShape.size)
        self.walks_in_threads = asyncio.Semaphore(WALKS_IN_THREADS)
        self.import_state = ImportState()
        self.migrations_dir = migrations_dir

    @property
    def path(self) -> Path:
        return self.db.path

    async def migrate(self) -> list[str]:
        applied = await super().migrate()
        await self.end_import()  # a bulk load stopped midway left indexes and search triggers to restore
        return applied

    async def warm(self) -> None:
        """Build the in-memory adjacency index now, when the graph is large enough to want one: until it is built,
        walks go to SQL, and at national scale a burst of them starves the build of the interpreter."""
        if self.adjacency.min_documents is not None:
            await self.db.run(self.adjacency.refresh)

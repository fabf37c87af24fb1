"""The production store: Neo4j through the official async driver, its roles composed on one driver core.

No state lives in the process between requests: any number of API workers can share one graph.
"""

from __future__ import annotations

from typing import Any

from graph.bulk import ImportState
from graph.migrations import DEFAULT_MIGRATIONS_DIR
from graph.stores.neo4j.bulk import Neo4jBulk
from graph.stores.neo4j.changes import Neo4jChanges
from graph.stores.neo4j.corrections import Neo4jCorrections
from graph.stores.neo4j.db import Neo4jDb
from graph.stores.neo4j.documents import Neo4jDocuments
from graph.stores.neo4j.effects import Neo4jEffects
from graph.stores.neo4j.events import Neo4jEvents
from graph.stores.neo4j.export import Neo4jExport
from graph.stores.neo4j.keys import Neo4jKeys
from graph.stores.neo4j.lifecycle import Neo4jLifecycle
from graph.stores.neo4j.links import Neo4jLinks
from graph.stores.neo4j.neighbours import Neo4jNeighbours
from graph.stores.neo4j.obligations import Neo4jObligations
from graph.stores.neo4j.organizations import Neo4jOrganizations
from graph.stores.neo4j.reach import Neo4jReach
from graph.stores.neo4j.search import Neo4jSearch
from graph.stores.neo4j.snapshots import Neo4jSnapshots
from graph.stores.neo4j.texts import Neo4jTexts
from graph.stores.neo4j.traversal import Neo4jTraversal


class Neo4jStore(
    Neo4jLifecycle,
    Neo4jOrganizations,
    Neo4jDocuments,
    Neo4jLinks,
    Neo4jTraversal,
    Neo4jNeighbours,
    Neo4jSearch,
    Neo4jObligations,
    Neo4jReach,
    Neo4jSnapshots,
    Neo4jTexts,
    Neo4jKeys,
    Neo4jChanges,
    Neo4jBulk,
    Neo4jExport,
    Neo4jCorrections,
    Neo4jEffects,
    Neo4jEvents,
):
    """Graph store backed by Neo4j 5: every role on one :class:`Neo4jDb`."""

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        query_timeout: float = 10.0,
        connection_timeout: float = 2.0,
        max_retry_time: float = 0.5,
        migrations_dir: Any = DEFAULT_MIGRATIONS_DIR,
    ) -> None:
        self.db = Neo4jDb(
            uri,
            user,
            password,
            database,
            query_timeout=query_timeout,
            connection_timeout=connection_timeout,
            max_retry_time=max_retry_time,
        )
        self.migrations_dir = migrations_dir
        self.import_state = ImportState()

    @property
    def uri(self) -> str:
        return self.db.uri

    @property
    def database(self) -> str:
        return self.db.database

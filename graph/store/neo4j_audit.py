"""Neo4j part of the audit capability (mixed into Neo4jStore)."""

from __future__ import annotations


class Neo4jAudit:
    """audit queries of the Neo4j store."""

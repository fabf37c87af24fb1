"""Neo4j part of the bulk capability (mixed into Neo4jStore)."""

from __future__ import annotations


class Neo4jBulk:
    """bulk queries of the Neo4j store."""

"""Neo4j part of the search capability (mixed into Neo4jStore)."""

from __future__ import annotations


class Neo4jSearch:
    """search queries of the Neo4j store."""

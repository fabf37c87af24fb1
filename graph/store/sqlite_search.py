"""SQLite part of the search capability (mixed into SqliteStore)."""

from __future__ import annotations


class SqliteSearch:
    """search queries of the embedded store."""

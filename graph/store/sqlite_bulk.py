"""SQLite part of the bulk capability (mixed into SqliteStore)."""

from __future__ import annotations


class SqliteBulk:
    """bulk queries of the embedded store."""

"""SQLite part of the audit capability (mixed into SqliteStore)."""

from __future__ import annotations


class SqliteAudit:
    """audit queries of the embedded store."""

"""The embedded SQLite store, one module per role."""

from graph.stores.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]

"""Stores: one protocol (:class:`GraphStore`), an embedded SQLite and a Neo4j implementation."""

from graph.store.base import GraphStore, LinkDraft

__all__ = ["GraphStore", "LinkDraft"]

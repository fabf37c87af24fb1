"""The Neo4j store, one module per role; the only package that imports the neo4j driver."""

from graph.stores.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]

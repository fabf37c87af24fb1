"""One exception root for the domain and the stores; the HTTP edge maps each kind to a status."""

from __future__ import annotations


class LexgraphError(Exception):
    """Root of every error lexgraph raises on purpose."""


class NotFoundError(LexgraphError):
    """A named document, organization or other entity does not exist."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} '{key}' not found")
        self.kind = kind
        self.key = key


class InvalidInputError(LexgraphError):
    """Input that is well-formed but makes no sense for the graph (unknown issuer, bad date order, ...)."""


class ConflictError(LexgraphError):
    """A write that would change what a stored document says: its fields differ from the body's."""

    def __init__(self, key: str, fields: list[str]) -> None:
        super().__init__(
            f"document '{key}' already exists with other values for {', '.join(fields)}: "
            f"change it with PATCH /documents/{key}, or give the same values"
        )
        self.key = key
        self.fields = fields


class StoreUnavailableError(LexgraphError):
    """The store cannot be reached now; the request may succeed later."""


class StoreBusyError(StoreUnavailableError):
    """The store refused a transaction that may pass if run again: it deadlocked with another write."""


class MigrationError(LexgraphError):
    """A schema migration failed or the recorded history disagrees with the files."""

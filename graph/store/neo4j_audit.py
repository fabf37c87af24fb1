"""Neo4j part of the audit capability (mixed into Neo4jStore): organization search and obligations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import neo4j
from neo4j import AsyncManagedTransaction

from graph.audit import organization_matches
from graph.errors import NotFoundError
from graph.models import Level, Organization
from graph.obligations import (
    Obligation,
    ObligationDraft,
    ObligationStatus,
    check_references,
    obligation_from_row,
    obligation_row,
    referenced_organizations,
)
from graph.store import cypher

# A confirmed write confirms a proposed obligation; a proposal never downgrades a confirmed one.
UPSERT_OBLIGATIONS = """
UNWIND $rows AS row
MERGE (o:Obligation {id: row.id})
ON CREATE SET o += row
ON MATCH SET o.status = CASE WHEN row.status = $confirmed THEN $confirmed ELSE o.status END
RETURN o {.*} AS obligation
"""
LIST_OBLIGATIONS = """
MATCH (o:Obligation)
WHERE ($document IS NULL OR o.document = $document) AND ($level IS NULL OR o.level = $level)
  AND ($status IS NULL OR o.status = $status)
RETURN o {.*} AS obligation ORDER BY o.document, o.id
"""
CONFIRM_OBLIGATION = """
MATCH (o:Obligation {id: $id, document: $document})
SET o.status = $confirmed
RETURN o {.*} AS obligation
"""


class Neo4jAudit:
    """Organization search and obligation storage of the Neo4j store."""

    if TYPE_CHECKING:

        async def _read(self, query: str, /, **params: Any) -> list[neo4j.Record]: ...

        async def _write(self, query: str, /, **params: Any) -> list[neo4j.Record]: ...

        async def _in_transaction(self, work: Any, *args: Any, write: bool) -> Any: ...

        async def _tx_run(self, tx: AsyncManagedTransaction, query: str, /, **params: Any) -> list[neo4j.Record]: ...

        async def _organizations_by_key(self, keys: Sequence[str]) -> dict[str, Organization]: ...

        async def list_organizations(
            self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None
        ) -> list[Organization]: ...

    async def find_organizations(
        self,
        *,
        level: Level | None = None,
        parent: str | None = None,
        as_of: dt.date | None = None,
        q: str | None = None,
    ) -> list[Organization]:
        # Cypher has no accent folding, so the text filter runs here, on the level/parent/date selection.
        found = await self.list_organizations(level=level, parent=parent, as_of=as_of)
        return [o for o in found if q is None or organization_matches(o, q)]

    async def upsert_obligations(self, drafts: Sequence[ObligationDraft]) -> list[Obligation]:
        drafts = list(drafts)
        check_references(drafts, await self._organizations_by_key(sorted(referenced_organizations(drafts))))
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        rows = [obligation_row(d, now) for d in drafts]
        documents = sorted({d.document for d in drafts})

        async def work(tx: AsyncManagedTransaction) -> dict[str, Obligation]:
            known = {r["key"] for r in await self._tx_run(tx, cypher.EXISTING_DOCUMENT_KEYS, keys=documents)}
            for key in documents:
                if key not in known:
                    raise NotFoundError("document", key)
            records = await self._tx_run(tx, UPSERT_OBLIGATIONS, rows=rows, confirmed=ObligationStatus.confirmed.value)
            return {r["obligation"]["id"]: obligation_from_row(r["obligation"]) for r in records}

        stored: dict[str, Obligation] = await self._in_transaction(work, write=True)
        return [stored[r["id"]] for r in rows]

    async def list_obligations(
        self,
        *,
        document: str | None = None,
        level: Level | None = None,
        status: ObligationStatus | None = None,
    ) -> list[Obligation]:
        records = await self._read(
            LIST_OBLIGATIONS,
            document=document,
            level=level.value if level else None,
            status=status.value if status else None,
        )
        return [obligation_from_row(r["obligation"]) for r in records]

    async def confirm_obligation(self, document: str, obligation_id: str) -> Obligation:
        records = await self._write(
            CONFIRM_OBLIGATION, id=obligation_id, document=document, confirmed=ObligationStatus.confirmed.value
        )
        if not records:
            raise NotFoundError("obligation", obligation_id)
        return obligation_from_row(records[0]["obligation"])

"""Obligations of the Neo4j store (what the audit reads)."""

from __future__ import annotations

from collections.abc import Sequence

from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.models import Level
from graph.obligations import (
    ObligationDraft,
    ObligationStatus,
    RecordedObligation,
    check_references,
    obligation_from_row,
    obligation_row,
    referenced_organizations,
)
from graph.stores.neo4j import cypher
from graph.stores.neo4j.db import Neo4jRole, Transaction, run
from graph.stores.neo4j.rows import organizations_by_key
from graph.writes import require_known

# An accepted write accepts a stored obligation; a proposal never changes a decided one.
UPSERT_OBLIGATIONS = """
UNWIND $rows AS row
MERGE (o:RecordedObligation {id: row.id})
ON CREATE SET o += row
ON MATCH SET o.status = CASE WHEN row.status = $confirmed THEN $confirmed ELSE o.status END
RETURN o {.*} AS obligation
"""
LIST_OBLIGATIONS = """
MATCH (o:RecordedObligation)
WHERE ($document IS NULL OR o.document = $document) AND ($level IS NULL OR o.level = $level)
  AND ($status IS NULL OR o.status = $status)
RETURN o {.*} AS obligation ORDER BY o.document, o.id
"""
CONFIRM_OBLIGATION = """
MATCH (o:RecordedObligation {id: $id, document: $document})
SET o.status = $confirmed
RETURN o {.*} AS obligation
"""


class Neo4jObligations(Neo4jRole):
    """Obligations of the Neo4j store."""

    async def upsert_obligations(self, drafts: Sequence[ObligationDraft]) -> list[RecordedObligation]:
        drafts = list(drafts)
        check_references(drafts, await organizations_by_key(self.db, sorted(referenced_organizations(drafts))))
        now = timestamp()
        rows = [obligation_row(d, now) for d in drafts]
        documents = sorted({d.document for d in drafts})

        async def work(tx: Transaction) -> dict[str, RecordedObligation]:
            known = {r["key"] for r in await run(tx, cypher.EXISTING_DOCUMENT_KEYS, keys=documents)}
            require_known("document", documents, known)
            records = await run(tx, UPSERT_OBLIGATIONS, rows=rows, confirmed=ObligationStatus.confirmed.value)
            return {r["obligation"]["id"]: obligation_from_row(r["obligation"]) for r in records}

        stored = await self.db.transaction(work, write=True)
        return [stored[r["id"]] for r in rows]

    async def list_obligations(
        self,
        *,
        document: str | None = None,
        level: Level | None = None,
        status: ObligationStatus | None = None,
    ) -> list[RecordedObligation]:
        records = await self.db.read(
            LIST_OBLIGATIONS,
            document=document,
            level=level.value if level else None,
            status=status.value if status else None,
        )
        return [obligation_from_row(r["obligation"]) for r in records]

    async def confirm_obligation(self, document: str, obligation_id: str) -> RecordedObligation:
        return await self.review_obligation(document, obligation_id, ObligationStatus.accepted)

    async def review_obligation(
        self, document: str, obligation_id: str, status: ObligationStatus
    ) -> RecordedObligation:
        records = await self.db.write(CONFIRM_OBLIGATION, id=obligation_id, document=document, confirmed=status.value)
        if not records:
            raise NotFoundError("obligation", obligation_id)
        return obligation_from_row(records[0]["obligation"])

"""Obligations of the embedded store (what the audit reads)."""

from __future__ import annotations

import json
import sqlite3
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
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import known_documents, organizations_by_key
from graph.writes import require_known

OBLIGATION_COLUMNS = "id, document, level, parent, units, deadlines, branch, relation, status, evidence, created_at"

# A curated (accepted) write accepts a stored obligation; a proposal never changes a decided one.
UPSERT_OBLIGATION = (
    f"INSERT INTO obligations ({OBLIGATION_COLUMNS}) VALUES "
    "(:id, :document, :level, :parent, :units, :deadlines, :branch, :relation, :status, :evidence, :created_at) "
    "ON CONFLICT (id) DO UPDATE SET status = excluded.status WHERE excluded.status = 'accepted'"
)
LIST_OBLIGATIONS = (
    f"SELECT {OBLIGATION_COLUMNS} FROM obligations WHERE (:document IS NULL OR document = :document) "
    "AND (:level IS NULL OR level = :level) AND (:status IS NULL OR status = :status) ORDER BY document, id"
)


CONFIRM_OBLIGATION = "UPDATE obligations SET status = ? WHERE id = ? AND document = ?"
OBLIGATIONS_BY_ID = f"SELECT {OBLIGATION_COLUMNS} FROM obligations WHERE id IN (SELECT value FROM json_each(?))"


class SqliteObligations(SqliteRole):
    """Obligations of the embedded store."""

    async def upsert_obligations(self, drafts: Sequence[ObligationDraft]) -> list[RecordedObligation]:
        return await self.db.run(self._upsert_obligations, list(drafts))

    def _upsert_obligations(self, drafts: list[ObligationDraft]) -> list[RecordedObligation]:
        now = timestamp()
        with self.db.write() as tx:
            documents = sorted({d.document for d in drafts})
            require_known("document", documents, known_documents(tx, documents))
            check_references(drafts, organizations_by_key(tx, sorted(referenced_organizations(drafts))))
            rows = [obligation_row(d, now) for d in drafts]
            tx.executemany(UPSERT_OBLIGATION, [r | {"units": json.dumps(r["units"])} for r in rows])
            stored = _obligations_by_id(tx, [r["id"] for r in rows])
        return [stored[r["id"]] for r in rows]

    async def list_obligations(
        self,
        *,
        document: str | None = None,
        level: Level | None = None,
        status: ObligationStatus | None = None,
    ) -> list[RecordedObligation]:
        params = {
            "document": document,
            "level": level.value if level else None,
            "status": status.value if status else None,
        }
        rows = await self.db.run(lambda: self.db.connection().execute(LIST_OBLIGATIONS, params).fetchall())
        return [obligation_from_row(dict(r)) for r in rows]

    async def confirm_obligation(self, document: str, obligation_id: str) -> RecordedObligation:
        return await self.review_obligation(document, obligation_id, ObligationStatus.accepted)

    async def review_obligation(
        self, document: str, obligation_id: str, status: ObligationStatus
    ) -> RecordedObligation:
        def confirm() -> RecordedObligation:
            with self.db.write() as tx:
                updated = tx.execute(CONFIRM_OBLIGATION, (status.value, obligation_id, document))
                if updated.rowcount == 0:
                    raise NotFoundError("obligation", obligation_id)
            return _obligations_by_id(self.db.connection(), [obligation_id])[obligation_id]

        return await self.db.run(confirm)


def _obligations_by_id(conn: sqlite3.Connection, ids: Sequence[str]) -> dict[str, RecordedObligation]:
    rows = conn.execute(OBLIGATIONS_BY_ID, (json.dumps(list(ids)),))
    return {r["id"]: obligation_from_row(dict(r)) for r in rows}

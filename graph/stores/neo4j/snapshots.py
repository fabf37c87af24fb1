"""Audit snapshots of the Neo4j store."""

from __future__ import annotations

from graph.audit_snapshots import AuditSnapshot, AuditSnapshotInfo, info_from_row, snapshot_from_row, snapshot_row
from graph.errors import NotFoundError
from graph.stores.neo4j.db import Neo4jRole

PUT_SNAPSHOT = "MERGE (s:AuditSnapshot {id: $row.id}) SET s += $row"
LIST_SNAPSHOTS = """
MATCH (s:AuditSnapshot) WHERE $document IS NULL OR s.document = $document
RETURN s {.id, .document, .level, .parent, .as_of, .taken_at, .summary} AS snapshot
ORDER BY s.document, s.as_of, s.taken_at, s.id
"""
GET_SNAPSHOT = "MATCH (s:AuditSnapshot {id: $id}) RETURN s {.*} AS snapshot"


class Neo4jSnapshots(Neo4jRole):
    """Audit snapshots of the Neo4j store."""

    async def put_audit_snapshot(self, snapshot: AuditSnapshot) -> None:
        await self.db.write(PUT_SNAPSHOT, row=snapshot_row(snapshot))

    async def list_audit_snapshots(self, *, document: str | None = None) -> list[AuditSnapshotInfo]:
        return [info_from_row(r["snapshot"]) for r in await self.db.read(LIST_SNAPSHOTS, document=document)]

    async def get_audit_snapshot(self, snapshot_id: str) -> AuditSnapshot:
        records = await self.db.read(GET_SNAPSHOT, id=snapshot_id)
        if not records:
            raise NotFoundError("audit snapshot", snapshot_id)
        return snapshot_from_row(records[0]["snapshot"])

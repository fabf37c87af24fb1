"""Audit snapshots of the embedded store."""

from __future__ import annotations

from graph.audit_snapshots import AuditSnapshot, AuditSnapshotInfo, info_from_row, snapshot_from_row, snapshot_row
from graph.errors import NotFoundError
from graph.stores.sqlite.db import SqliteRole

SNAPSHOT_COLUMNS = "id, document, level, parent, as_of, taken_at, summary"
INSERT_SNAPSHOT = (
    "INSERT OR REPLACE INTO audit_snapshots (id, document, level, parent, as_of, taken_at, summary, report) "
    "VALUES (:id, :document, :level, :parent, :as_of, :taken_at, :summary, :report)"
)
LIST_SNAPSHOTS = (
    f"SELECT {SNAPSHOT_COLUMNS} FROM audit_snapshots WHERE (:document IS NULL OR document = :document) "
    "ORDER BY document, as_of, taken_at, id"
)
GET_SNAPSHOT = f"SELECT {SNAPSHOT_COLUMNS}, report FROM audit_snapshots WHERE id = ?"


class SqliteSnapshots(SqliteRole):
    """Audit snapshots of the embedded store."""

    async def put_audit_snapshot(self, snapshot: AuditSnapshot) -> None:
        def put() -> None:
            with self.db.write() as tx:
                tx.execute(INSERT_SNAPSHOT, snapshot_row(snapshot))

        await self.db.run(put)

    async def list_audit_snapshots(self, *, document: str | None = None) -> list[AuditSnapshotInfo]:
        rows = await self.db.run(
            lambda: self.db.connection().execute(LIST_SNAPSHOTS, {"document": document}).fetchall()
        )
        return [info_from_row(dict(r)) for r in rows]

    async def get_audit_snapshot(self, snapshot_id: str) -> AuditSnapshot:
        row = await self.db.run(lambda: self.db.connection().execute(GET_SNAPSHOT, (snapshot_id,)).fetchone())
        if row is None:
            raise NotFoundError("audit snapshot", snapshot_id)
        return snapshot_from_row(dict(row))

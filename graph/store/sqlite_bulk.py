"""SQLite part of the bulk capability (mixed into SqliteStore): batched import with checkpoints, keyset export."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from graph.bulk import ImportCheckpoint
from graph.errors import NotFoundError
from graph.identity import ResolvedDocument
from graph.models import Document, Link, Organization

# graph.store.sqlite imports this module while it loads: its helpers are reached at call time.
from graph.store import sqlite as core

T = TypeVar("T")

# Checkpoints (migration V0007) live in the database so that they commit with their batch and vanish with the data.
_IMPORT_CACHE = "PRAGMA cache_size = -262144"  # KiB: 256 MB
_SAVE_CHECKPOINT = "INSERT OR REPLACE INTO import_checkpoints VALUES (?, ?, ?)"
_LINK_VALUES = (
    "source, relation, target, origin, evidence, source_text_id, span_start, span_end, confidence, created_at"
)
_LINKS_PAGE = (
    f"SELECT {_LINK_VALUES} FROM links WHERE (source, relation, target) > (?, ?, ?) "
    "ORDER BY source, relation, target LIMIT ?"
)
_ORGANIZATIONS_PAGE = "SELECT * FROM organizations WHERE key > ? ORDER BY key LIMIT ?"


class SqliteBulk:
    """Bulk queries of the embedded store."""

    if TYPE_CHECKING:

        def _connection(self) -> sqlite3.Connection: ...

        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

        async def _run(self, fn: Callable[..., T], *args: Any) -> T: ...

        def _upsert_organizations(self, organizations: list[Organization]) -> int: ...

    # import

    async def import_organizations(
        self, rows: Sequence[Organization], checkpoint: ImportCheckpoint | None = None
    ) -> int:
        return await self._run(self._import_organizations, list(rows), checkpoint)

    def _import_organizations(self, rows: list[Organization], checkpoint: ImportCheckpoint | None) -> int:
        # Organizations are few: the store's own upsert (one transaction) then the checkpoint; a crash
        # between the two only repeats an idempotent batch.
        self._upsert_organizations(rows)
        if checkpoint is not None:
            with self._write() as tx:
                _save_checkpoint(tx, checkpoint)
        return len(rows)

    async def import_documents(
        self, rows: Sequence[ResolvedDocument], checkpoint: ImportCheckpoint | None = None
    ) -> int:
        return await self._run(self._import, self._write_documents, list(rows), checkpoint)

    async def import_links(self, rows: Sequence[Link], checkpoint: ImportCheckpoint | None = None) -> int:
        return await self._run(self._import, self._write_links, list(rows), checkpoint)

    def _import(
        self, write: Callable[[sqlite3.Connection, list[Any]], None], rows: list[Any], checkpoint: ImportCheckpoint | None
    ) -> int:
        # Index pages of a national graph outgrow SQLite's default 2 MB cache; a bulk writer keeps more of them.
        self._connection().execute(_IMPORT_CACHE)
        with self._write() as tx:
            write(tx, rows)
            if checkpoint is not None:
                _save_checkpoint(tx, checkpoint)
        return len(rows)

    def _write_documents(self, tx: sqlite3.Connection, rows: list[ResolvedDocument]) -> None:
        tx.executemany(
            f"INSERT OR REPLACE INTO documents ({core._DOCUMENT_COLUMNS}, scope) VALUES ({','.join('?' * 17)})",
            [(*core._document_row(r.document), r.scope) for r in rows],
        )
        tx.executemany("DELETE FROM document_symbols WHERE document_key = ?", [(r.document.key,) for r in rows])
        tx.executemany(
            "INSERT OR IGNORE INTO document_symbols VALUES (?, ?)",
            [(mk, r.document.key) for r in rows for mk in r.match_keys],
        )

    def _write_links(self, tx: sqlite3.Connection, rows: list[Link]) -> None:
        now = core._now()
        try:
            tx.executemany(
                f"INSERT OR REPLACE INTO links ({_LINK_VALUES}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        link.source, link.relation.value, link.target, link.origin.value, link.evidence,
                        link.source_text_id, link.span_start, link.span_end, link.confidence,
                        link.created_at.isoformat(timespec="milliseconds") if link.created_at else now,
                    )
                    for link in rows
                ],
            )
        except sqlite3.IntegrityError:
            keys = sorted({k for link in rows for k in (link.source, link.target)})
            known = {
                r[0]
                for r in tx.execute(
                    "SELECT key FROM documents WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(keys),)
                )
            }
            missing = next((k for link in rows for k in (link.source, link.target) if k not in known), None)
            if missing is None:
                raise
            raise NotFoundError("document", missing) from None

    async def import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        return await self._run(self._import_checkpoint, source)

    def _import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        row = self._connection().execute(
            "SELECT source, fingerprint, line FROM import_checkpoints WHERE source = ?", (source,)
        ).fetchone()
        return ImportCheckpoint(row[0], row[1], row[2]) if row else None

    # export

    async def iter_organizations(self, batch: int) -> AsyncIterator[list[Organization]]:
        after = ""
        while page := await self._run(self._page, _ORGANIZATIONS_PAGE, (after, batch)):
            yield [core._organization(r) for r in page]
            after = page[-1]["key"]

    async def iter_documents(self, batch: int) -> AsyncIterator[list[Document]]:
        after = ""
        sql = f"SELECT {core._DOCUMENT_COLUMNS} FROM documents WHERE key > ? ORDER BY key LIMIT ?"
        while page := await self._run(self._page, sql, (after, batch)):
            yield [core._document(r) for r in page]
            after = page[-1]["key"]

    async def iter_links(self, batch: int) -> AsyncIterator[list[Link]]:
        after = ("", "", "")
        while page := await self._run(self._page, _LINKS_PAGE, (*after, batch)):
            yield [core._link(r) for r in page]
            last = page[-1]
            after = (last["source"], last["relation"], last["target"])

    def _page(self, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
        return self._connection().execute(sql, params).fetchall()


def _save_checkpoint(tx: sqlite3.Connection, checkpoint: ImportCheckpoint) -> None:
    tx.execute(_SAVE_CHECKPOINT, (checkpoint.source, checkpoint.fingerprint, checkpoint.line))

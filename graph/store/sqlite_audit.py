"""SQLite part of the audit capability (mixed into SqliteStore): organization search and obligations."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

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

# graph.store.sqlite imports this module while it loads: its helpers are reached at call time.
from graph.store import sqlite as core
from graph.text import fold, squash_spaces

T = TypeVar("T")

_OBLIGATION_COLUMNS = "id, document, level, parent, units, deadlines, branch, relation, status, evidence, created_at"

_FIND_ORGANIZATIONS = (
    "SELECT * FROM organizations WHERE (:level IS NULL OR level = :level) "
    "AND (:parent IS NULL OR parent = :parent) "
    "AND (:as_of IS NULL OR ((valid_from IS NULL OR valid_from <= :as_of) AND (valid_to IS NULL OR :as_of <= valid_to))) "
    "AND (:q IS NULL OR instr(lexgraph_fold(name), :q) OR instr(coalesce(lexgraph_fold(short_name), ''), :q) "
    "OR EXISTS (SELECT 1 FROM json_each(aliases) WHERE instr(lexgraph_fold(value), :q))) "
    "ORDER BY key"
)
# A curated (confirmed) write confirms a proposed obligation; a proposal never downgrades a confirmed one.
_UPSERT_OBLIGATION = (
    f"INSERT INTO obligations ({_OBLIGATION_COLUMNS}) VALUES "
    "(:id, :document, :level, :parent, :units, :deadlines, :branch, :relation, :status, :evidence, :created_at) "
    "ON CONFLICT (id) DO UPDATE SET status = excluded.status WHERE excluded.status = 'confirmed'"
)
_LIST_OBLIGATIONS = (
    f"SELECT {_OBLIGATION_COLUMNS} FROM obligations WHERE (:document IS NULL OR document = :document) "
    "AND (:level IS NULL OR level = :level) AND (:status IS NULL OR status = :status) ORDER BY document, id"
)


class SqliteAudit:
    """Organization search and obligation storage of the embedded store."""

    if TYPE_CHECKING:

        def _connection(self) -> sqlite3.Connection: ...

        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...

        async def _run(self, fn: Callable[..., T], *args: Any) -> T: ...

        def _organizations_by_key(self, keys: Sequence[str]) -> dict[str, Organization]: ...

    async def find_organizations(
        self,
        *,
        level: Level | None = None,
        parent: str | None = None,
        as_of: dt.date | None = None,
        q: str | None = None,
    ) -> list[Organization]:
        params = {
            "level": level.value if level else None,
            "parent": parent,
            "as_of": as_of.isoformat() if as_of else None,
            "q": fold(squash_spaces(q)) if q else None,
        }
        rows = await self._run(lambda: self._connection().execute(_FIND_ORGANIZATIONS, params).fetchall())
        return [core._organization(r) for r in rows]

    async def upsert_obligations(self, drafts: Sequence[ObligationDraft]) -> list[Obligation]:
        return await self._run(self._upsert_obligations, list(drafts))

    def _upsert_obligations(self, drafts: list[ObligationDraft]) -> list[Obligation]:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        with self._write() as tx:
            documents = sorted({d.document for d in drafts})
            known = {
                r[0]
                for r in tx.execute(
                    "SELECT key FROM documents WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(documents),)
                )
            }
            for key in documents:
                if key not in known:
                    raise NotFoundError("document", key)
            check_references(drafts, self._organizations_by_key(sorted(referenced_organizations(drafts))))
            rows = [obligation_row(d, now) for d in drafts]
            tx.executemany(_UPSERT_OBLIGATION, [r | {"units": json.dumps(r["units"])} for r in rows])
            stored = self._obligations_by_id([r["id"] for r in rows])
        return [stored[r["id"]] for r in rows]

    def _obligations_by_id(self, ids: Sequence[str]) -> dict[str, Obligation]:
        rows = self._connection().execute(
            f"SELECT {_OBLIGATION_COLUMNS} FROM obligations WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(ids)),),
        )
        return {r["id"]: obligation_from_row(dict(r)) for r in rows}

    async def list_obligations(
        self,
        *,
        document: str | None = None,
        level: Level | None = None,
        status: ObligationStatus | None = None,
    ) -> list[Obligation]:
        params = {
            "document": document,
            "level": level.value if level else None,
            "status": status.value if status else None,
        }
        rows = await self._run(lambda: self._connection().execute(_LIST_OBLIGATIONS, params).fetchall())
        return [obligation_from_row(dict(r)) for r in rows]

    async def confirm_obligation(self, document: str, obligation_id: str) -> Obligation:
        return await self._run(self._confirm_obligation, document, obligation_id)

    def _confirm_obligation(self, document: str, obligation_id: str) -> Obligation:
        with self._write() as tx:
            updated = tx.execute(
                "UPDATE obligations SET status = ? WHERE id = ? AND document = ?",
                (ObligationStatus.confirmed.value, obligation_id, document),
            )
            if updated.rowcount == 0:
                raise NotFoundError("obligation", obligation_id)
        return self._obligations_by_id([obligation_id])[obligation_id]

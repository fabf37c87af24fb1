"""Organizations of the embedded store."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence

from graph.clock import iso_day
from graph.errors import NotFoundError
from graph.models import Level, Organization
from graph.paging import DEFAULT_LIST_LIMIT
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import organization_from_row, organization_values, organizations_by_key
from graph.text import fold, squash_spaces

UPSERT_ORGANIZATIONS = (
    "INSERT OR REPLACE INTO organizations (key, name, short_name, kind, level, branch, parent, jurisdiction, "
    "valid_from, valid_to, predecessors, aliases, names) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
_SELECTION = (
    "(:level IS NULL OR level = :level) AND (:parent IS NULL OR parent = :parent) "
    "AND (:as_of IS NULL OR ((valid_from IS NULL OR valid_from <= :as_of) "
    "AND (valid_to IS NULL OR :as_of <= valid_to)))"
)
LIST_ORGANIZATIONS = f"SELECT * FROM organizations WHERE {_SELECTION} ORDER BY key"
FIND_ORGANIZATIONS = (
    f"SELECT * FROM organizations WHERE {_SELECTION} "
    "AND (:q IS NULL OR instr(lexgraph_fold(name), :q) OR instr(coalesce(lexgraph_fold(short_name), ''), :q) "
    "OR EXISTS (SELECT 1 FROM json_each(aliases) WHERE instr(lexgraph_fold(value), :q))) "
    "AND (:after IS NULL OR key > :after) ORDER BY key LIMIT :limit"
)


def write_organizations(tx: sqlite3.Connection, organizations: Sequence[Organization]) -> int:
    """Insert or replace organizations in an open transaction."""
    rows = [organization_values(o) for o in organizations]
    tx.executemany(UPSERT_ORGANIZATIONS, rows)
    return len(rows)


class SqliteOrganizations(SqliteRole):
    """Organizations of the embedded store."""

    async def upsert_organizations(self, organizations: Sequence[Organization]) -> int:
        def upsert() -> int:
            with self.db.write() as tx:
                return write_organizations(tx, organizations)

        return await self.db.run(upsert)

    async def get_organization(self, key: str) -> Organization:
        found = await self.db.run(lambda: organizations_by_key(self.db.connection(), [key]))
        if key not in found:
            raise NotFoundError("organization", key)
        return found[key]

    async def list_organizations(
        self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None
    ) -> list[Organization]:
        params = {"level": level.value if level else None, "parent": parent, "as_of": iso_day(as_of)}
        rows = await self.db.run(lambda: self.db.connection().execute(LIST_ORGANIZATIONS, params).fetchall())
        return [organization_from_row(r) for r in rows]

    async def find_organizations(
        self,
        *,
        level: Level | None = None,
        parent: str | None = None,
        as_of: dt.date | None = None,
        q: str | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIST_LIMIT,
    ) -> list[Organization]:
        params = {
            "after": after,
            "limit": limit,
            "level": level.value if level else None,
            "parent": parent,
            "as_of": iso_day(as_of),
            "q": fold(squash_spaces(q)) if q else None,
        }
        rows = await self.db.run(lambda: self.db.connection().execute(FIND_ORGANIZATIONS, params).fetchall())
        return [organization_from_row(r) for r in rows]

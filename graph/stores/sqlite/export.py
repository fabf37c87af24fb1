"""Bulk export of the embedded store: every record in key order, keyset-paginated."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from graph.models import Document, Link, Organization
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.effects import EFFECTS_OF_D
from graph.stores.sqlite.rows import (
    DOCUMENT_COLUMNS,
    LINK_STATE,
    document_from_row,
    link_from_row,
    organization_from_row,
)

LINKS_PAGE = (
    f"SELECT {LINK_STATE} FROM links WHERE (source, relation, target) > (?, ?, ?) "
    "ORDER BY source, relation, target LIMIT ?"
)
ORGANIZATIONS_PAGE = "SELECT * FROM organizations WHERE key > ? ORDER BY key LIMIT ?"
DOCUMENTS_PAGE = (
    f"SELECT {DOCUMENT_COLUMNS}, {EFFECTS_OF_D} AS effects FROM documents d WHERE key > ? ORDER BY key LIMIT ?"
)


class SqliteExport(SqliteRole):
    """Bulk export of the embedded store."""

    async def iter_organizations(self, batch: int) -> AsyncIterator[list[Organization]]:
        after = ""
        while page := await self.db.run(self._page, ORGANIZATIONS_PAGE, (after, batch)):
            yield [organization_from_row(r) for r in page]
            after = page[-1]["key"]

    async def iter_documents(self, batch: int) -> AsyncIterator[list[Document]]:
        after = ""
        while page := await self.db.run(self._page, DOCUMENTS_PAGE, (after, batch)):
            yield [document_from_row(r) for r in page]
            after = page[-1]["key"]

    async def iter_links(self, batch: int) -> AsyncIterator[list[Link]]:
        after = ("", "", "")
        while page := await self.db.run(self._page, LINKS_PAGE, (*after, batch)):
            yield [link_from_row(r) for r in page]
            last = page[-1]
            after = (last["source"], last["relation"], last["target"])

    def _page(self, sql: str, params: tuple[Any, ...]) -> list[sqlite3.Row]:
        return self.db.connection().execute(sql, params).fetchall()

"""Documents of the embedded store, created or merged by identity (graph.identity)."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import TypeVar

from graph.clock import today
from graph.effects import as_of
from graph.errors import NotFoundError
from graph.events import document_events
from graph.identity import (
    DocumentDraft,
    ResolvedDocument,
    WriteMode,
    check_new_keys,
    draft_lookup_keys,
    new_keys,
    resolve_documents,
)
from graph.models import Document, DocumentFilter
from graph.paging import DEFAULT_LIST_LIMIT
from graph.records import document_json
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.effects import EFFECTS_OF_D, STATUS_FILTER, after_document_write, filter_params
from graph.stores.sqlite.events import record_events
from graph.stores.sqlite.rows import (
    DOCUMENT_COLUMNS,
    DOCUMENT_JSON_OF_J,
    JOIN_DOCUMENT_JSON,
    dict_rows,
    document_from_row,
    document_json_rows,
    document_values,
    documents_by_key,
    found_json,
    organizations_by_key,
)
from graph.symbols import symbol_match_key
from graph.text import fold

R = TypeVar("R")
UPSERT_DOCUMENTS = f"INSERT OR REPLACE INTO documents ({DOCUMENT_COLUMNS}, scope) VALUES ({','.join('?' * 18)})"
EXISTING_KEYS = "SELECT key FROM documents WHERE key IN (SELECT value FROM json_each(?))"
CLEAR_SPELLINGS = "DELETE FROM document_symbols WHERE document_key = ?"
ADD_SPELLING = "INSERT OR IGNORE INTO document_symbols VALUES (?, ?)"
# The most rows a read takes on the event loop's thread (graph.stores.sqlite.db.SqliteDb.read_now).
INLINE_ROWS = 500
CANDIDATES = (
    f"SELECT {DOCUMENT_COLUMNS}, scope, "
    "(SELECT json_group_array(match_key) FROM document_symbols WHERE document_key = d.key) AS match_keys "
    "FROM documents d WHERE key IN (SELECT document_key FROM document_symbols "
    "WHERE match_key IN (SELECT value FROM json_each(?)))"
)
# By symbol, every filter is checked on the symbol's documents, which its index bounds.
_FILTERS = (
    f"{STATUS_FILTER} AND (:year IS NULL OR year = :year) AND (:jurisdiction IS NULL OR jurisdiction = :jurisdiction) "
    "AND (:level IS NULL OR level = :level) AND (:type IS NULL OR lexgraph_fold(type) = :type)"
)


# A find's filters on a document's own fields (without a symbol). Only those given are written into its
# query, so that the planner walks one index serving the filters in page order (migration V0029) and stops
# after the page; "(:level IS NULL OR ...)" would make it scan every document. Of jurisdiction, type and
# level, the first given (in the order of how few documents each commonly leaves) is read from its index and
# the others checked on its rows ("+" keeps the planner off their indexes); a year is the second column of
# each of those indexes, and the first of documents_order.
_INDEXED_FILTERS = {"jurisdiction": "d.jurisdiction", "type": "lexgraph_fold(d.type)", "level": "d.level"}
_FIELD_FILTERS = (*_INDEXED_FILTERS, "year")


@functools.cache
def _find(columns: str, given: frozenset[str], joins: str = "") -> str:
    """SQL: documents passing the field filters ``given`` (names in :data:`_FIELD_FILTERS`) and the status
    ones, a page of them in page order."""
    indexed = [name for name in _INDEXED_FILTERS if name in given]
    terms = [f"{'+' if name != indexed[0] else ''}{_INDEXED_FILTERS[name]} = :{name}" for name in indexed]
    if "year" in given:  # with the year fixed, the page order is the key's, as the index holds it
        terms.append("coalesce(d.year, 0) = :year")
    order = "d.key" if "year" in given else "coalesce(d.year, 0) DESC, d.key"
    where = " AND ".join([STATUS_FILTER, *terms])
    return f"SELECT {columns} FROM documents d {joins} WHERE {where} ORDER BY {order} LIMIT :limit OFFSET :offset"


def _find_by_symbol(columns: str, joins: str = "") -> str:
    """By symbol: the documents of a match key in page order from their own index (migration V0019), each
    then by primary key, so a page stops after its rows however many documents share the symbol; written
    apart from :func:`_find`, since "OR :match_key IS NULL" would make the planner scan documents."""
    return (
        f"SELECT {columns} FROM document_symbol_order o JOIN documents d ON d.key = o.document_key {joins} "
        f"WHERE o.match_key = :match_key AND {_FILTERS} "
        "ORDER BY o.sort_year DESC, o.document_key LIMIT :limit OFFSET :offset"
    )


_ROW = f"{DOCUMENT_COLUMNS}, {EFFECTS_OF_D} AS effects"
_JSON = f"{DOCUMENT_JSON_OF_J}, d.key"
FIND_DOCUMENTS_BY_SYMBOL = _find_by_symbol(_ROW)
FIND_DOCUMENTS_JSON_BY_SYMBOL = _find_by_symbol(_JSON, JOIN_DOCUMENT_JSON)


class SqliteDocuments(SqliteRole):
    """Documents of the embedded store."""

    async def upsert_documents(
        self, drafts: Sequence[DocumentDraft], mode: WriteMode = WriteMode.curated
    ) -> list[Document]:
        return await self.db.run(self._upsert_documents, list(drafts), mode)

    def _upsert_documents(self, drafts: list[DocumentDraft], mode: WriteMode) -> list[Document]:
        org_keys, match_keys = draft_lookup_keys(drafts)
        with self.db.write() as tx:
            organizations = organizations_by_key(tx, sorted(org_keys))
            candidates = _candidates(tx, match_keys)
            resolved = resolve_documents(drafts, organizations, candidates, mode)
            taken = tx.execute(EXISTING_KEYS, (json.dumps(new_keys(resolved)),))
            check_new_keys(resolved, {row[0] for row in taken})
            final = {r.document.key: r for r in resolved}
            tx.executemany(UPSERT_DOCUMENTS, [(*document_values(r.document), r.scope) for r in final.values()])
            tx.executemany(CLEAR_SPELLINGS, [(key,) for key in final])
            tx.executemany(ADD_SPELLING, [(mk, r.document.key) for r in final.values() for mk in r.match_keys])
            after_document_write(tx, list(final))
            record_events(tx, document_events(resolved, [c.document for c in candidates]))
            stored = documents_by_key(tx, list(final))
        return [stored[r.document.key] for r in resolved]

    async def get_document(self, key: str) -> Document:
        docs = self.db.read_now(lambda: documents_by_key(self.db.connection(), [key]))
        if key not in docs:
            raise NotFoundError("document", key)
        return docs[key]

    async def get_document_json(self, key: str) -> str:
        found = self.db.read_now(lambda: document_json_rows(self.db.connection(), [key]))
        if key not in found:
            raise NotFoundError("document", key)
        text: str = found[key]["json"]
        return text

    async def find_documents(
        self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT, offset: int = 0
    ) -> list[Document]:
        params = _find_params(query, limit, offset)
        sql = FIND_DOCUMENTS_BY_SYMBOL if query.symbol else _find(_ROW, _given(params))
        rows = await self._find(query, limit + offset, lambda: dict_rows(self.db.connection(), sql, params))
        documents = [document_from_row(r) for r in rows]  # settled on today
        return documents if query.as_of is None else [as_of(d, query.as_of) for d in documents]

    async def find_documents_json(
        self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT, offset: int = 0
    ) -> list[str]:
        if query.as_of is not None:  # settled on another day than the SQL's
            return [document_json(d) for d in await self.find_documents(query, limit, offset)]
        params = _find_params(query, limit, offset)
        sql = FIND_DOCUMENTS_JSON_BY_SYMBOL if query.symbol else _find(_JSON, _given(params), JOIN_DOCUMENT_JSON)
        return await self._find(query, limit + offset, lambda: found_json(self.db.connection(), sql, params))

    async def _find(self, query: DocumentFilter, rows: int, read: Callable[[], R]) -> R:
        """A find's read, on the event loop's thread when it reads few index entries, else in a worker thread."""
        return self.db.read_now(read) if _index_bounded(query, rows) else await self.db.run(read)


def _find_params(query: DocumentFilter, limit: int, offset: int) -> dict[str, object]:
    return {
        "offset": offset,
        "match_key": symbol_match_key(query.symbol) if query.symbol else None,
        "year": query.year,
        "jurisdiction": query.jurisdiction,
        "level": query.level.value if query.level else None,
        "type": fold(query.type) if query.type else None,
        "limit": limit,
        **filter_params(query, today()),
    }


def _given(params: dict[str, object]) -> frozenset[str]:
    """The field filters a find's parameters give."""
    return frozenset(name for name in _FIELD_FILTERS if params[name] is not None)


def _index_bounded(query: DocumentFilter, rows: int) -> bool:
    """Whether a find reads only the first ``rows`` entries of the symbol index: no filter skips entries."""
    unfiltered = query.as_of is None and query.status is None and query.in_force is None
    return query.symbol is not None and unfiltered and rows <= INLINE_ROWS


def _candidates(conn: sqlite3.Connection, match_keys: set[str]) -> list[ResolvedDocument]:
    rows = conn.execute(CANDIDATES, (json.dumps(sorted(match_keys)),))
    return [ResolvedDocument(document_from_row(r), r["scope"], tuple(json.loads(r["match_keys"]))) for r in rows]

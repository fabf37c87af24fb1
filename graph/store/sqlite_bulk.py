"""SQLite part of the bulk capability (mixed into SqliteStore): batched import with checkpoints, keyset export.

A first load into an empty table sets its secondary indexes and search triggers aside and rebuilds them
once at the end: a sorted index build and one full-text rebuild cost a fraction of their upkeep row by
row. What was set aside is recorded (migration V0010) in the transaction that drops it, so a load
stopped midway leaves the SQL to restore it, and the next migrate or import end does.

The links of a first load are appended to a staging table (migration V0011), each batch with its ends
checked by one set query, and moved into ``links`` once at the end, sorted by key: written batch by
batch, each batch's rows land all over the primary-key B-tree and its commit rewrites most of its pages.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractContextManager
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from graph.bulk import DocumentRow, ImportCheckpoint, LinkRow, RecordKind
from graph.errors import NotFoundError
from graph.models import Document, Link, Organization

# graph.store.sqlite imports this module while it loads: its helpers are reached at call time.
from graph.store import sqlite as core

T = TypeVar("T")

# Checkpoints (migration V0007) live in the database so that they commit with their batch and vanish with the data.
_IMPORT_PRAGMAS = (
    "PRAGMA cache_size = -262144",  # KiB: 256 MB
    "PRAGMA temp_store = MEMORY",  # the sorts of index rebuilds
)
# The end of a first load sorts every staged link and builds the index of their targets: with the
# pages of the new B-trees in cache and a helper thread per sort (the parsing process is done by then,
# so its core is free).
_REBUILD_PRAGMAS = ("PRAGMA cache_size = -1048576", "PRAGMA threads = 2")
# Per record kind, what a first load sets aside: secondary indexes, and the search triggers that the
# rebuild below replaces (documents → search text → full-text index and vocabulary). Names absent from
# the schema are skipped; other triggers stay in force.
_DEFERRABLE: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.documents: (
        "documents_jurisdiction",
        "documents_level",
        "documents_issuer",
        "documents_search_insert",
        "documents_search_update",
        "documents_search_delete",
        "document_search_text_insert",
        "document_search_text_update",
        "document_search_text_delete",
        "document_search_vocabulary_insert",
        "document_search_vocabulary_update",
    ),
    RecordKind.links: ("links_target",),
}
_FIRST_LOAD_TABLES = {RecordKind.documents: "documents", RecordKind.links: "links"}
# What the search triggers would have done, for every document at once.
_REBUILD_SEARCH = (
    "DELETE FROM document_search_text WHERE key NOT IN (SELECT key FROM documents)",
    "INSERT INTO document_search_text (key, text) SELECT key, text FROM document_search_source WHERE true "
    "ON CONFLICT (key) DO UPDATE SET text = excluded.text WHERE text <> excluded.text",
    "INSERT INTO document_search (document_search) VALUES ('rebuild')",
    "INSERT OR IGNORE INTO document_search_vocabulary (term) SELECT term FROM document_search_terms",
)
_SAVE_CHECKPOINT = "INSERT OR REPLACE INTO import_checkpoints VALUES (?, ?, ?)"
_LINK_VALUES = (
    "source, relation, target, origin, evidence, source_text_id, span_start, span_end, confidence, created_at"
)
# Same keys given twice: the later row (greater rowid) replaces the earlier, as batch by batch.
_MOVE_STAGED_LINKS = (
    f"INSERT OR REPLACE INTO links ({_LINK_VALUES}) SELECT {_LINK_VALUES} FROM import_links_staged "
    "ORDER BY source, relation, target, rowid"
)
_LINK_COLUMNS = tuple(_LINK_VALUES.split(", "))
_LINK_KEY = itemgetter(0, 1, 2)
_MISSING_ENDS = "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT key FROM documents)"
_LINKS_PAGE = (
    f"SELECT {_LINK_VALUES} FROM links WHERE (source, relation, target) > (?, ?, ?) "
    "ORDER BY source, relation, target LIMIT ?"
)
_ORGANIZATIONS_PAGE = "SELECT * FROM organizations WHERE key > ? ORDER BY key LIMIT ?"


class SqliteBulk:
    """Bulk queries of the embedded store."""

    # Set by begin_import when links go into a store without links, until end_import moves them in.
    _staging_links = False

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

    async def import_documents(self, rows: Sequence[DocumentRow], checkpoint: ImportCheckpoint | None = None) -> int:
        return await self._run(self._import, self._write_documents, list(rows), checkpoint)

    async def import_links(self, rows: Sequence[LinkRow], checkpoint: ImportCheckpoint | None = None) -> int:
        return await self._run(self._import, self._write_links, list(rows), checkpoint)

    def _import(
        self,
        write: Callable[[sqlite3.Connection, list[Any]], None],
        rows: list[Any],
        checkpoint: ImportCheckpoint | None,
    ) -> int:
        conn = self._connection()
        # Index pages of a national graph outgrow SQLite's default 2 MB cache; a bulk writer keeps more of them.
        for pragma in _IMPORT_PRAGMAS:
            conn.execute(pragma)
        with self._write() as tx:
            write(tx, rows)
            if checkpoint is not None:
                _save_checkpoint(tx, checkpoint)
        return len(rows)

    def _write_documents(self, tx: sqlite3.Connection, rows: list[DocumentRow]) -> None:
        # The last given of a key, alone, so that its spellings replace those of an earlier one.
        last = {fields["key"]: (fields, scope, keys) for fields, scope, keys in rows}
        tx.executemany(
            *_insert("INSERT OR REPLACE INTO documents", _document_columns(), _document_values([*last.values()]))
        )
        tx.executemany("DELETE FROM document_symbols WHERE document_key = ?", [(key,) for key in last])
        tx.executemany(
            "INSERT OR IGNORE INTO document_symbols VALUES (?, ?)",
            [(match_key, key) for key, (_, _, match_keys) in last.items() for match_key in match_keys],
        )

    def _write_links(self, tx: sqlite3.Connection, rows: list[LinkRow]) -> None:
        now = core._now()
        dated = [row if row[9] else (*row[:9], now) for row in rows]
        if self._staging_links:
            # The staging table has no foreign keys: every end of the batch is checked here, once.
            _check_ends(tx, rows)
            tx.executemany(*_insert("INSERT INTO import_links_staged", _LINK_COLUMNS, dated))
            return
        # In key order the primary-key inserts walk the B-tree forwards instead of jumping about; a key
        # given twice keeps its order, so the last given replaces the first.
        dated.sort(key=_LINK_KEY)
        try:
            tx.executemany(*_insert("INSERT OR REPLACE INTO links", _LINK_COLUMNS, dated))
        except sqlite3.IntegrityError:
            _check_ends(tx, rows)
            raise

    async def begin_import(self, kind: RecordKind) -> None:
        await self._run(self._begin_import, kind)

    def _begin_import(self, kind: RecordKind) -> None:
        names = _DEFERRABLE.get(kind, ())
        if not names:
            return
        with self._write() as tx:
            if tx.execute(f"SELECT 1 FROM {_FIRST_LOAD_TABLES[kind]} LIMIT 1").fetchone():
                return  # not a first load: every index and trigger stays in force
            self._staging_links = kind == RecordKind.links
            placeholders = ",".join("?" * len(names))
            found = tx.execute(
                f"SELECT name, type, sql FROM sqlite_master WHERE name IN ({placeholders}) AND sql IS NOT NULL", names
            ).fetchall()
            for name, kind_of, sql in found:
                tx.execute("INSERT INTO import_deferred VALUES (?, ?)", (name, sql))
                tx.execute(f"DROP {kind_of.upper()} {name}")

    async def end_import(self) -> None:
        await self._run(self._end_import)

    def _end_import(self) -> None:
        self._staging_links = False
        with self._write() as tx:
            deferred = tx.execute("SELECT name, sql FROM import_deferred").fetchall()
            staged = tx.execute("SELECT 1 FROM import_links_staged LIMIT 1").fetchone()
            if not deferred and not staged:
                return
            for pragma in (*_IMPORT_PRAGMAS, *_REBUILD_PRAGMAS):
                tx.execute(pragma)
            # Before the links' secondary index is rebuilt: it is then built once, by a sort.
            if staged:
                tx.execute(_MOVE_STAGED_LINKS)
                tx.execute("DELETE FROM import_links_staged")
            triggers = [sql for _, sql in deferred if sql.upper().startswith("CREATE TRIGGER")]
            for sql in (sql for _, sql in deferred if sql not in triggers):
                tx.execute(sql)
            # The only triggers set aside are the search ones: their work for every document at once,
            # then the triggers themselves, for the writes after the load.
            for statement in _REBUILD_SEARCH if triggers else ():
                tx.execute(statement)
            for sql in triggers:
                tx.execute(sql)
            tx.execute("DELETE FROM import_deferred")
        for pragma in _IMPORT_PRAGMAS:  # the rebuild's cache back to the import's
            self._connection().execute(pragma)

    async def import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        return await self._run(self._import_checkpoint, source)

    def _import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        row = (
            self._connection()
            .execute("SELECT source, fingerprint, line FROM import_checkpoints WHERE source = ?", (source,))
            .fetchone()
        )
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


def _document_columns() -> tuple[str, ...]:
    return (*core._DOCUMENT_COLUMNS.split(", "), "scope")


def _document_values(rows: list[DocumentRow]) -> list[list[Any]]:
    """Documents' JSON values as the columns of :func:`_document_columns` hold them."""
    names = _document_columns()[:-1]
    aliases, stub = names.index("aliases"), names.index("stub")
    out = []
    for fields, scope, _ in rows:
        values = [fields[name] for name in names]
        values[aliases] = json.dumps(values[aliases], ensure_ascii=False) if values[aliases] else "[]"
        values[stub] = int(values[stub])
        values.append(scope)
        out.append(values)
    return out


def _insert(verb: str, columns: Sequence[str], rows: list[Sequence[Any]]) -> tuple[str, list[tuple[Any, ...]]]:
    """An INSERT of ``rows`` (values in the order of ``columns``) and its parameters, leaving out the
    columns that are None in every row: they take their default, NULL, and sqlite3 binds None several
    times slower than a string (it looks for an adapter first)."""
    kept = [i for i in range(len(columns)) if any(row[i] is not None for row in rows)]
    if len(kept) < 2:  # no rows (the tables' keys are never None); itemgetter of one gives no tuple
        kept = list(range(len(columns)))
    pick = itemgetter(*kept)
    values = [pick(row) for row in rows]
    return f"{verb} ({', '.join(columns[i] for i in kept)}) VALUES ({','.join('?' * len(kept))})", values


def _check_ends(tx: sqlite3.Connection, rows: list[LinkRow]) -> None:
    """Raise NotFoundError naming the first end, in row order, that is no stored document."""
    ends = json.dumps(sorted({k for row in rows for k in (row[0], row[2])}))
    absent = {r[0] for r in tx.execute(_MISSING_ENDS, (ends,))}
    if absent:
        raise NotFoundError("document", next(k for row in rows for k in (row[0], row[2]) if k in absent))


def _save_checkpoint(tx: sqlite3.Connection, checkpoint: ImportCheckpoint) -> None:
    tx.execute(_SAVE_CHECKPOINT, (checkpoint.source, checkpoint.fingerprint, checkpoint.line))

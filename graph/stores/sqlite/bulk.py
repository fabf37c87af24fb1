"""Bulk import of the embedded store: batched, with checkpoints committed with their batch.

A first load into an empty table sets its secondary indexes and search triggers aside and rebuilds them
once at the end: a sorted index build and one full-text rebuild cost a fraction of their upkeep row by
row. What was set aside is recorded (migration V0010) in the transaction that drops it, so a load
stopped midway leaves the SQL to restore it, and the next migrate or import end does.

The links of a first load are appended to a staging table (migration V0011), each batch with its ends
checked by one set query, and moved into ``links`` once at the end, sorted by key: written batch by
batch, each batch's rows land all over the primary-key B-tree and its commit rewrites most of its pages.
Staged rows carry what a line gives beyond the flat fields (migration V0025). The ids a batch gives are
checked against the links stored, or in a first load against the hashes of the ids staged before (an index
on the staged ids, its pages rewritten by every batch's commit, would cost as much as the load).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from graph.bulk import (
    LINK_ROW_FIELDS,
    DocumentRow,
    FirstLoad,
    ImportCheckpoint,
    ImportState,
    LinkField,
    LinkRow,
    RecordKind,
    check_taken,
    given_ids,
)
from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.models import Organization
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.organizations import write_organizations
from graph.stores.sqlite.rows import DOCUMENT_COLUMNS
from graph.stores.sqlite.search import RANK_DOCUMENT_TRIGGERS, RANK_LINK_TRIGGERS, rebuild_ranks

# Checkpoints (migration V0007) live in the database so that they commit with their batch and vanish with the data.
_IMPORT_PRAGMAS = (
    "PRAGMA cache_size = -262144",  # KiB: 256 MB
    "PRAGMA temp_store = MEMORY",  # the sorts of index rebuilds
)
# The end of a first load sorts every staged link and builds the index of their targets: with the
# pages of the new B-trees in cache and a helper thread per sort (the parsing process is done by then,
# so its core is free).
_REBUILD_PRAGMAS = ("PRAGMA cache_size = -1048576", "PRAGMA threads = 2")
# The search triggers a first load of documents sets aside; the rebuild below does their work for every
# document at once (documents → search text → full-text index and vocabulary).
_SEARCH_TRIGGERS = (
    "documents_search_insert",
    "documents_search_update",
    "documents_search_delete",
    "document_search_text_insert",
    "document_search_text_update",
    "document_search_text_delete",
    "document_search_vocabulary_insert",
    "document_search_vocabulary_update",
)
# The triggers keeping each document's JSON (migration V0028), which a first load sets aside too.
_DOCUMENT_JSON_TRIGGERS = ("document_json_insert", "document_json_update", "document_json_delete")
# The graph and data version triggers (V0024, V0030), which a first load replaces with one bump each at its end.
_VERSIONS = ("graph_version", "data_version")
_VERSION_TRIGGERS: dict[RecordKind, tuple[str, ...]] = {
    kind: tuple(f"{version}_{kind.value}_{write}" for version in _VERSIONS for write in ("insert", "update", "delete"))
    for kind in (RecordKind.documents, RecordKind.links)
}
# Per record kind, what a first load sets aside: secondary indexes and triggers. Names absent from the
# schema are skipped; other triggers stay in force.
_DEFERRABLE: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.documents: (
        "documents_order",
        "documents_jurisdiction",
        "documents_level",
        "documents_type",
        "documents_issuer",
        *_SEARCH_TRIGGERS,
        *_DOCUMENT_JSON_TRIGGERS,
        *_VERSION_TRIGGERS[RecordKind.documents],
        *RANK_DOCUMENT_TRIGGERS,
    ),
    RecordKind.links: (
        "links_target",
        "links_id",
        "links_queue",
        "links_effects",
        *_VERSION_TRIGGERS[RecordKind.links],
        *RANK_LINK_TRIGGERS,
    ),
}
BUMP_VERSIONS = tuple(f"UPDATE {version} SET n = n + 1" for version in _VERSIONS)
_FIRST_LOAD_TABLES = {RecordKind.documents: "documents", RecordKind.links: "links"}
# What the search triggers would have done, for every document at once.
_REBUILD_SEARCH = (
    "DELETE FROM document_search_text WHERE key NOT IN (SELECT key FROM documents)",
    "INSERT INTO document_search_text (key, text) SELECT key, text FROM document_search_source WHERE true "
    "ON CONFLICT (key) DO UPDATE SET text = excluded.text WHERE text <> excluded.text",
    "INSERT INTO document_search (document_search) VALUES ('rebuild')",
    "INSERT OR IGNORE INTO document_search_vocabulary (term) SELECT term FROM document_search_terms",
)
# What the document JSON triggers would have done, for every document at once.
_REBUILD_DOCUMENT_JSON = (
    "DELETE FROM document_json WHERE key NOT IN (SELECT key FROM documents)",
    "INSERT OR REPLACE INTO document_json SELECT * FROM document_json_source ORDER BY key",
)
# Each set of triggers a first load sets aside, with the statements doing their work for every row at its end.
_REBUILDS = ((_SEARCH_TRIGGERS, _REBUILD_SEARCH), (_DOCUMENT_JSON_TRIGGERS, _REBUILD_DOCUMENT_JSON))
_SAVE_CHECKPOINT = "INSERT OR REPLACE INTO import_checkpoints VALUES (?, ?, ?)"
_LINK_COLUMNS = LINK_ROW_FIELDS
# What a link row leaves out (None) the store makes: an id, made by SQLite as the row is written (no cost to
# the parsing or the pipe), the review state accepted, the provenance read as the entry of the flat fields
# (graph.review.first_entry), not partial, not flagged.
_LINK_DEFAULTS = {
    "id": "lower(hex(randomblob(16)))",
    "review": "'accepted'",
    "provenance": "'[]'",
    "partial": "0",
    "flagged": "0",
}
# A link already stored keeps its id (given once, and clients may hold it); the rest is the input's (the
# input is the truth), review state and provenance included.
_UPSERT_LINKS = "ON CONFLICT (source, relation, target) DO UPDATE SET " + ", ".join(
    f"{name} = excluded.{name}" for name in _LINK_COLUMNS[LinkField.origin :] if name != "id"
)
# Same keys given twice: the later row (greater rowid) replaces the earlier, as batch by batch.
_MOVE_STAGED_LINKS = (
    f"INSERT OR REPLACE INTO links ({', '.join(_LINK_COLUMNS)}) SELECT "
    + ", ".join(f"coalesce({c}, {_LINK_DEFAULTS[c]})" if c in _LINK_DEFAULTS else c for c in _LINK_COLUMNS)
    + " FROM import_links_staged ORDER BY source, relation, target, rowid"
)
# The links stored under the ids a batch gives (by the index links_id), and in a first load those staged under
# the ids the load's memory says were given to another link (a scan, on that bad input only).
_STORED_HOLDERS = "SELECT id, source, relation, target FROM links WHERE id IN (SELECT value FROM json_each(?))"
_STAGED_HOLDERS = (
    "SELECT id, source, relation, target FROM import_links_staged WHERE id IN (SELECT value FROM json_each(?))"
)
_LINK_KEY = itemgetter(0, 1, 2)
_MISSING_ENDS = "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT key FROM documents)"
RESTORE_STATE = "SELECT name, sql FROM import_deferred"
ANY_STAGED = "SELECT 1 FROM import_links_staged LIMIT 1"
CLEAR_STAGED = "DELETE FROM import_links_staged"
CLEAR_DEFERRED = "DELETE FROM import_deferred"
RECORD_DEFERRED = "INSERT INTO import_deferred VALUES (?, ?)"
GET_CHECKPOINT = "SELECT source, fingerprint, line FROM import_checkpoints WHERE source = ?"


class SqliteBulk(SqliteRole):
    """Bulk import of the embedded store."""

    # What begin_import found: links going into a store without links are staged until end_import moves them in.
    import_state: ImportState

    # import

    async def import_organizations(
        self, rows: Sequence[Organization], checkpoint: ImportCheckpoint | None = None
    ) -> int:
        return await self.db.run(self._import_organizations, list(rows), checkpoint)

    def _import_organizations(self, rows: list[Organization], checkpoint: ImportCheckpoint | None) -> int:
        # Organizations are few: the store's own upsert (one transaction) then the checkpoint; a crash
        # between the two only repeats an idempotent batch.
        with self.db.write() as tx:
            write_organizations(tx, rows)
        if checkpoint is not None:
            with self.db.write() as tx:
                _save_checkpoint(tx, checkpoint)
        return len(rows)

    async def import_documents(self, rows: Sequence[DocumentRow], checkpoint: ImportCheckpoint | None = None) -> int:
        return await self.db.run(self._import, self._write_documents, list(rows), checkpoint)

    async def import_links(self, rows: Sequence[LinkRow], checkpoint: ImportCheckpoint | None = None) -> int:
        return await self.db.run(self._import, self._write_links, list(rows), checkpoint)

    def _import(
        self,
        write: Callable[[sqlite3.Connection, list[Any]], None],
        rows: list[Any],
        checkpoint: ImportCheckpoint | None,
    ) -> int:
        conn = self.db.connection()
        # Index pages of a national graph outgrow SQLite's default 2 MB cache; a bulk writer keeps more of them.
        for pragma in _IMPORT_PRAGMAS:
            conn.execute(pragma)
        with self.db.write() as tx:
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
        now, at = timestamp(), LinkField.created_at
        dated = [row if row[at] else (*row[:at], now, *row[at + 1 :]) for row in rows]
        first_load = self.import_state.first_load(RecordKind.links)
        if given := given_ids(rows):
            # Earlier batches are staged during a first load (unindexed: the load remembers their ids), stored
            # otherwise.
            claimed = list(given) if first_load is None else first_load.claim_ids(given)
            holders = _STORED_HOLDERS if first_load is None else _STAGED_HOLDERS
            if claimed:
                check_taken(given, tx.execute(holders, (json.dumps(claimed),)))
        if first_load is not None:
            # The staging table has no foreign keys: every end of the batch is checked here, once.
            _check_ends(tx, rows)
            tx.executemany(*_insert("INSERT INTO import_links_staged", _LINK_COLUMNS, dated))
            return
        # In key order the primary-key inserts walk the B-tree forwards instead of jumping about; a key
        # given twice keeps its order, so the last given replaces the first.
        dated.sort(key=_LINK_KEY)
        try:
            insert, values = _insert("INSERT INTO links", _LINK_COLUMNS, dated, defaults=_LINK_DEFAULTS)
            tx.executemany(f"{insert} {_UPSERT_LINKS}", values)
        except sqlite3.IntegrityError:
            _check_ends(tx, rows)
            raise

    async def begin_import(self, kind: RecordKind) -> None:
        await self.db.run(self._begin_import, kind)

    def _begin_import(self, kind: RecordKind) -> None:
        names = _DEFERRABLE.get(kind, ())
        if not names:
            return
        with self.db.write() as tx:
            if tx.execute(f"SELECT 1 FROM {_FIRST_LOAD_TABLES[kind]} LIMIT 1").fetchone():
                return  # not a first load: every index and trigger stays in force
            self.import_state.first_loads[kind] = FirstLoad()
            placeholders = ",".join("?" * len(names))
            found = tx.execute(
                f"SELECT name, type, sql FROM sqlite_master WHERE name IN ({placeholders}) AND sql IS NOT NULL", names
            ).fetchall()
            for name, kind_of, sql in found:
                tx.execute(RECORD_DEFERRED, (name, sql))
                tx.execute(f"DROP {kind_of.upper()} {name}")

    async def end_import(self) -> None:
        await self.db.run(self._end_import)

    def _end_import(self) -> None:
        self.import_state = ImportState()
        with self.db.write() as tx:
            deferred = tx.execute(RESTORE_STATE).fetchall()
            staged = tx.execute(ANY_STAGED).fetchone()
            if not deferred and not staged:
                return
            for pragma in (*_IMPORT_PRAGMAS, *_REBUILD_PRAGMAS):
                tx.execute(pragma)
            # Before the links' secondary index is rebuilt: it is then built once, by a sort.
            if staged:
                tx.execute(_MOVE_STAGED_LINKS)
                tx.execute(CLEAR_STAGED)
            triggers = [sql for _, sql in deferred if sql.upper().startswith("CREATE TRIGGER")]
            for sql in (sql for _, sql in deferred if sql not in triggers):
                tx.execute(sql)
            # The search and JSON triggers' work for every document at once, and the version triggers' as one
            # bump; then the triggers themselves, for the writes after the load.
            set_aside = {name for name, _ in deferred}
            for statement in (s for names, rebuild in _REBUILDS if set_aside.intersection(names) for s in rebuild):
                tx.execute(statement)
            for bump in BUMP_VERSIONS:
                tx.execute(bump)
            for sql in triggers:
                tx.execute(sql)
            rebuild_ranks(tx)
            tx.execute(CLEAR_DEFERRED)
        for pragma in _IMPORT_PRAGMAS:  # the rebuild's cache back to the import's
            self.db.connection().execute(pragma)

    async def import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        return await self.db.run(self._import_checkpoint, source)

    def _import_checkpoint(self, source: str) -> ImportCheckpoint | None:
        row = self.db.connection().execute(GET_CHECKPOINT, (source,)).fetchone()
        return ImportCheckpoint(row[0], row[1], row[2]) if row else None


def _document_columns() -> tuple[str, ...]:
    return (*DOCUMENT_COLUMNS.split(", "), "scope")


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


def _insert(
    verb: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], defaults: Mapping[str, str] | None = None
) -> tuple[str, list[tuple[Any, ...]]]:
    """An INSERT of ``rows`` (values in the order of ``columns``) and its parameters, leaving out the
    columns that are None in every row: they take their default, NULL, and sqlite3 binds None several
    times slower than a string (it looks for an adapter first). ``defaults``: columns whose None is made by
    SQL (a column's SQL value), in the rows that give none or in all of them."""
    defaults = defaults or {}
    kept = [i for i in range(len(columns)) if any(row[i] is not None for row in rows)]
    if len(kept) < 2:  # no rows (the tables' keys are never None); itemgetter of one gives no tuple
        kept = list(range(len(columns)))
    pick = itemgetter(*kept)
    values = [pick(row) for row in rows]
    names = [columns[i] for i in kept]
    placeholders = [f"coalesce(?, {defaults[name]})" if name in defaults else "?" for name in names]
    for name, sql in defaults.items():
        if name not in names:
            names.append(name)
            placeholders.append(sql)
    return f"{verb} ({', '.join(names)}) VALUES ({','.join(placeholders)})", values


def _check_ends(tx: sqlite3.Connection, rows: list[LinkRow]) -> None:
    """Raise NotFoundError naming the first end, in row order, that is no stored document."""
    ends = json.dumps(sorted({k for row in rows for k in (row[LinkField.source], row[LinkField.target])}))
    absent = {r[0] for r in tx.execute(_MISSING_ENDS, (ends,))}
    if absent:
        raise NotFoundError(
            "document", next(k for row in rows for k in (row[LinkField.source], row[LinkField.target]) if k in absent)
        )


def _save_checkpoint(tx: sqlite3.Connection, checkpoint: ImportCheckpoint) -> None:
    tx.execute(_SAVE_CHECKPOINT, (checkpoint.source, checkpoint.fingerprint, checkpoint.line))

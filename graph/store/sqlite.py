"""The embedded store: one SQLite file in WAL mode, traversals as bounded recursive CTEs.

sqlite3 is synchronous, so every call runs in a worker thread with a connection of its own;
writes take the database lock up front (``BEGIN IMMEDIATE``) so a batch is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread

from graph.errors import NotFoundError, StoreUnavailableError
from graph.identity import (
    DocumentDraft,
    ResolvedDocument,
    WriteMode,
    check_new_keys,
    draft_lookup_keys,
    new_keys,
    resolve_documents,
)
from graph.migrations import DEFAULT_MIGRATIONS_DIR, discover, pending
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    Document,
    DocumentFilter,
    GraphCounts,
    Implementers,
    Level,
    Lineage,
    LineageDirection,
    Link,
    LinkDirection,
    Organization,
    Relation,
    SourceText,
)
from graph.models import (
    Path as GraphPath,
)
from graph.store.base import (
    DEFAULT_GRAPH_PAGE,
    DEFAULT_LIST_LIMIT,
    Facts,
    LinkDraft,
    Walk,
    check_page,
    count_levels,
    distinct_paths,
    implementer_keys,
    implementers_answer,
    lineage_answer,
    lineage_page,
    link_sort_key,
    page_of,
    trusted_link,
)
from graph.store.sqlite_audit import SqliteAudit
from graph.store.sqlite_bulk import SqliteBulk
from graph.store.sqlite_keys import SqliteKeys
from graph.store.sqlite_search import SqliteSearch, index_words_json
from graph.symbols import symbol_match_key
from graph.text import fold

T = TypeVar("T")

_DOCUMENT_COLUMNS = (
    "key, symbol, aliases, type, number, date, year, issuer, level, jurisdiction, term, title, "
    "status, effective_from, effective_to, stub"
)
_LINK_COLUMNS = (
    "l.source, l.relation, l.target, l.origin, l.evidence, l.source_text_id, l.span_start, l.span_end, "
    "l.confidence, l.created_at, s.symbol AS source_symbol, t.symbol AS target_symbol"
)
_LINK_FROM = "links l JOIN documents s ON s.key = l.source JOIN documents t ON t.key = l.target"

# One breadth-first step: (document reached, the frontier document it links with) pairs, over the
# covering indexes (links_target for links into the frontier, the primary key for links out of it).
_STEP_DOWN = """
SELECT l.source, l.target FROM links l
WHERE l.target IN (SELECT value FROM json_each(:frontier)) AND l.relation IN (SELECT value FROM json_each(:relations))
"""
_STEP_UP = """
SELECT l.target, l.source FROM links l
WHERE l.source IN (SELECT value FROM json_each(:frontier)) AND l.relation IN (SELECT value FROM json_each(:relations))
"""
# Either direction, any relation: for shortest paths.
_STEP_EITHER = """
SELECT l.target, l.source FROM links l WHERE l.source IN (SELECT value FROM json_each(:frontier))
UNION ALL
SELECT l.source, l.target FROM links l WHERE l.target IN (SELECT value FROM json_each(:frontier))
"""
_FACTS = "SELECT key, level, jurisdiction, year FROM documents WHERE key IN (SELECT value FROM json_each(?))"
_LEVEL_COUNTS = "SELECT level, count(*) FROM documents WHERE key IN (SELECT value FROM json_each(?)) GROUP BY level"
# The links of the relations at either end of the page's documents, keys only (the primary key and
# links_target cover them); then the chosen links' rows by primary key.
_LINK_KEYS_AT = """
SELECT source, relation, target FROM links
WHERE source IN (SELECT value FROM json_each(:page)) AND relation IN (SELECT value FROM json_each(:relations))
UNION ALL
SELECT source, relation, target FROM links
WHERE target IN (SELECT value FROM json_each(:page)) AND relation IN (SELECT value FROM json_each(:relations))
"""
_LINKS_BY_KEYS = f"""
SELECT {_LINK_COLUMNS} FROM json_each(:keys) j
JOIN links l ON l.source = j.value ->> 0 AND l.relation = j.value ->> 1 AND l.target = j.value ->> 2
JOIN documents s ON s.key = l.source JOIN documents t ON t.key = l.target
"""


class SqliteStore(SqliteSearch, SqliteAudit, SqliteBulk, SqliteKeys):
    """The embedded default store."""

    kind = "sqlite"

    def __init__(self, path: str | Path, migrations_dir: Path = DEFAULT_MIGRATIONS_DIR) -> None:
        self.path = Path(path)
        self.migrations_dir = migrations_dir
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    # connection handling

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as e:
                raise StoreUnavailableError(f"cannot open SQLite database {self.path}: {e}") from e
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.create_function("lexgraph_fold", 1, _fold_or_none, deterministic=True)
            conn.create_function("lexgraph_words", 1, index_words_json, deterministic=True)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error:
            # A commit refused (disk full, read-only file) leaves the transaction open on this connection.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await anyio.to_thread.run_sync(partial(fn, *args))
        except sqlite3.OperationalError as e:
            raise StoreUnavailableError(f"SQLite store error: {e}") from e

    # lifecycle

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        await self._run(self._connection)

    async def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    async def ping(self) -> bool:
        try:
            await self._run(lambda: self._connection().execute("SELECT 1").fetchone())
        except (StoreUnavailableError, sqlite3.Error):
            return False
        return True

    async def probe_write(self, worker: str) -> None:
        def write() -> None:
            with self._write() as tx:
                tx.execute("INSERT OR REPLACE INTO health_probe VALUES (?, ?)", (worker, _now()))

        await self._run(write)

    async def migrate(self) -> list[str]:
        applied = await self._run(self._migrate)
        await self.end_import()  # a bulk load stopped midway left indexes and search triggers to restore
        return applied

    def _migrate(self) -> list[str]:
        conn = self._connection()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        applied_now = []
        with self._write() as tx:
            applied = {r[0]: r[1] for r in tx.execute("SELECT version, checksum FROM schema_migrations")}
            for migration in pending(discover(self.migrations_dir, "sql"), applied):
                for statement in migration.statements():
                    tx.execute(statement)
                tx.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
                    (migration.version, migration.name, migration.checksum, _now()),
                )
                applied_now.append(migration.label)
        return applied_now

    # organizations

    async def upsert_organizations(self, organizations: Sequence[Organization]) -> int:
        return await self._run(self._upsert_organizations, list(organizations))

    def _upsert_organizations(self, organizations: list[Organization]) -> int:
        rows = [
            (
                o.key,
                o.name,
                o.short_name,
                o.kind,
                o.level.value,
                o.branch.value if o.branch else None,
                o.parent,
                o.jurisdiction,
                _iso(o.valid_from),
                _iso(o.valid_to),
                json.dumps(o.predecessors),
                json.dumps(o.aliases, ensure_ascii=False),
            )
            for o in organizations
        ]
        with self._write() as tx:
            tx.executemany("INSERT OR REPLACE INTO organizations VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        return len(rows)

    async def get_organization(self, key: str) -> Organization:
        found = await self._run(self._organizations_by_key, [key])
        if key not in found:
            raise NotFoundError("organization", key)
        return found[key]

    def _organizations_by_key(self, keys: Sequence[str]) -> dict[str, Organization]:
        rows = self._connection().execute(
            "SELECT * FROM organizations WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(list(keys)),)
        )
        return {r["key"]: _organization(r) for r in rows}

    async def list_organizations(
        self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None
    ) -> list[Organization]:
        return await self._run(self._list_organizations, level, parent, as_of)

    def _list_organizations(self, level: Level | None, parent: str | None, as_of: dt.date | None) -> list[Organization]:
        rows = self._connection().execute(
            "SELECT * FROM organizations WHERE (:level IS NULL OR level = :level) "
            "AND (:parent IS NULL OR parent = :parent) "
            "AND (:as_of IS NULL OR ((valid_from IS NULL OR valid_from <= :as_of) AND (valid_to IS NULL OR :as_of <= valid_to))) "
            "ORDER BY key",
            {"level": level.value if level else None, "parent": parent, "as_of": _iso(as_of)},
        )
        return [_organization(r) for r in rows]

    # documents

    async def upsert_documents(
        self, drafts: Sequence[DocumentDraft], mode: WriteMode = WriteMode.curated
    ) -> list[Document]:
        return await self._run(self._upsert_documents, list(drafts), mode)

    def _upsert_documents(self, drafts: list[DocumentDraft], mode: WriteMode) -> list[Document]:
        org_keys, match_keys = draft_lookup_keys(drafts)
        with self._write() as tx:
            organizations = self._organizations_by_key(sorted(org_keys))
            resolved = resolve_documents(drafts, organizations, self._candidates(tx, match_keys), mode)
            created = new_keys(resolved)
            taken = tx.execute(
                "SELECT key FROM documents WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(created),)
            )
            check_new_keys(resolved, {row[0] for row in taken})
            final = {r.document.key: r for r in resolved}
            tx.executemany(
                f"INSERT OR REPLACE INTO documents ({_DOCUMENT_COLUMNS}, scope) VALUES ({','.join('?' * 17)})",
                [(*_document_row(r.document), r.scope) for r in final.values()],
            )
            tx.executemany("DELETE FROM document_symbols WHERE document_key = ?", [(key,) for key in final])
            tx.executemany(
                "INSERT OR IGNORE INTO document_symbols VALUES (?, ?)",
                [(mk, r.document.key) for r in final.values() for mk in r.match_keys],
            )
        return [final[r.document.key].document for r in resolved]

    def _candidates(self, conn: sqlite3.Connection, match_keys: set[str]) -> list[ResolvedDocument]:
        rows = conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS}, scope, "
            "(SELECT json_group_array(match_key) FROM document_symbols WHERE document_key = d.key) AS match_keys "
            "FROM documents d WHERE key IN (SELECT document_key FROM document_symbols "
            "WHERE match_key IN (SELECT value FROM json_each(?)))",
            (json.dumps(sorted(match_keys)),),
        )
        return [ResolvedDocument(_document(r), r["scope"], tuple(json.loads(r["match_keys"]))) for r in rows]

    async def get_document(self, key: str) -> Document:
        docs = await self._run(self._documents_by_key, [key])
        if key not in docs:
            raise NotFoundError("document", key)
        return docs[key]

    def _documents_by_key(self, keys: Sequence[str]) -> dict[str, Document]:
        rows = self._connection().execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(keys)),),
        )
        return {r["key"]: _document(r) for r in rows}

    async def find_documents(self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT) -> list[Document]:
        return await self._run(self._find_documents, query, limit)

    def _find_documents(self, query: DocumentFilter, limit: int) -> list[Document]:
        params = {
            "match_key": symbol_match_key(query.symbol) if query.symbol else None,
            "year": query.year,
            "jurisdiction": query.jurisdiction,
            "level": query.level.value if query.level else None,
            "type": fold(query.type) if query.type else None,
            "limit": limit,
        }
        rows = self._connection().execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents d WHERE "
            "(:match_key IS NULL OR key IN (SELECT document_key FROM document_symbols WHERE match_key = :match_key)) "
            "AND (:year IS NULL OR year = :year) AND (:jurisdiction IS NULL OR jurisdiction = :jurisdiction) "
            "AND (:level IS NULL OR level = :level) AND (:type IS NULL OR lexgraph_fold(type) = :type) "
            "ORDER BY coalesce(year, 0) DESC, key LIMIT :limit",
            params,
        )
        return [_document(r) for r in rows]

    # links

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        return await self._run(self._upsert_links, list(drafts))

    def _upsert_links(self, drafts: list[LinkDraft]) -> list[Link]:
        now = _now()
        with self._write() as tx:
            keys = {k for d in drafts for k in (d.source, d.target)}
            known = {
                r[0]
                for r in tx.execute(
                    "SELECT key FROM documents WHERE key IN (SELECT value FROM json_each(?))",
                    (json.dumps(sorted(keys)),),
                )
            }
            for key in sorted(keys - known):
                raise NotFoundError("document", key)
            tx.executemany(
                "INSERT INTO links VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (source, relation, target) DO UPDATE SET "
                "origin = excluded.origin, evidence = coalesce(excluded.evidence, evidence), "
                "source_text_id = coalesce(excluded.source_text_id, source_text_id), "
                "span_start = coalesce(excluded.span_start, span_start), span_end = coalesce(excluded.span_end, span_end), "
                "confidence = excluded.confidence "
                "WHERE excluded.origin = 'curated' AND links.origin = 'extracted'",
                [
                    (
                        d.source,
                        d.relation.value,
                        d.target,
                        d.origin.value,
                        d.evidence,
                        d.source_text_id,
                        d.span_start,
                        d.span_end,
                        d.confidence,
                        now,
                    )
                    for d in drafts
                ],
            )
            stored = self._links_where(
                tx,
                "(l.source, l.relation, l.target) IN (SELECT json_extract(value, '$[0]'), "
                "json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?))",
                (json.dumps([[d.source, d.relation.value, d.target] for d in drafts]),),
            )
        by_id = {(link.source, link.relation, link.target): link for link in stored}
        return [by_id[(d.source, d.relation, d.target)] for d in drafts]

    def _links_where(self, conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> list[Link]:
        rows = conn.execute(f"SELECT {_LINK_COLUMNS} FROM {_LINK_FROM} WHERE {where}", params)
        return sorted((_link(r) for r in rows), key=link_sort_key)

    async def links(self, key: str, direction: LinkDirection, relations: Sequence[Relation]) -> list[Link]:
        return await self._run(self._links, key, direction, relations)

    def _links(self, key: str, direction: LinkDirection, relations: Sequence[Relation]) -> list[Link]:
        conn = self._connection()
        self._require_document(conn, key)
        ends = {
            LinkDirection.out: "l.source = :key",
            LinkDirection.in_: "l.target = :key",
            LinkDirection.both: "(l.source = :key OR l.target = :key)",
        }[direction]
        return self._links_where(
            conn,
            f"{ends} AND l.relation IN (SELECT value FROM json_each(:relations))",
            {"key": key, "relations": _relations_json(relations)},
        )

    def _require_document(self, conn: sqlite3.Connection, key: str) -> None:
        if conn.execute("SELECT 1 FROM documents WHERE key = ?", (key,)).fetchone() is None:
            raise NotFoundError("document", key)

    # traversals

    async def lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Lineage:
        check_page(offset, limit)
        return await self._run(self._lineage, key, direction, relations, max_depth, offset, limit)

    def _lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        offset: int,
        limit: int | None,
    ) -> Lineage:
        conn = self._connection()
        self._require_document(conn, key)
        walk = self._walk(
            conn, key, _STEP_DOWN if direction == LineageDirection.down else _STEP_UP, relations, max_depth
        )
        levels = conn.execute(_LEVEL_COUNTS, (json.dumps(list(walk.depths)),))
        page, delivered = lineage_page(walk, offset, limit)
        return lineage_answer(
            walk,
            count_levels(levels),
            page,
            self._document_rows(conn, page),
            self._edges_touching(conn, page, delivered, relations),
        )

    def _walk(
        self, conn: sqlite3.Connection, root: str, step: str, relations: Sequence[Relation], max_depth: int
    ) -> Walk:
        walk = Walk.start(root)
        frontier = [root]
        for depth in range(1, max_depth + 1):
            if not frontier:
                break
            found = conn.execute(step, {"frontier": json.dumps(frontier), "relations": _relations_json(relations)})
            frontier = walk.add_level(found, depth)
        return walk

    def _facts(self, conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, Facts]:
        return {r[0]: Facts(r[1], r[2], r[3]) for r in conn.execute(_FACTS, (json.dumps(list(keys)),))}

    def _document_rows(self, conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Stored documents as rows of primitives (aliases parsed), for trusted_document."""
        rows = conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(keys)),),
        )
        return {r["key"]: {**dict(r), "aliases": json.loads(r["aliases"])} for r in rows}

    def _edges_touching(
        self,
        conn: sqlite3.Connection,
        page: Sequence[str],
        delivered: Sequence[str],
        relations: Sequence[Relation],
    ) -> list[Link]:
        """Links of the relations between the page's documents and those delivered up to its end."""
        ends = set(delivered)
        found = conn.execute(_LINK_KEYS_AT, {"page": json.dumps(list(page)), "relations": _relations_json(relations)})
        keys = sorted({(s, r, t) for s, r, t in found if s in ends and t in ends})
        return [trusted_link(dict(r)) for r in conn.execute(_LINKS_BY_KEYS, {"keys": json.dumps(keys)})]

    async def implementers(
        self,
        key: str,
        *,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Implementers:
        check_page(offset, limit)
        return await self._run(self._implementers, key, level, jurisdiction, max_depth, offset, limit)

    def _implementers(
        self, key: str, level: Level | None, jurisdiction: str | None, max_depth: int, offset: int, limit: int | None
    ) -> Implementers:
        conn = self._connection()
        self._require_document(conn, key)
        walk = self._walk(conn, key, _STEP_DOWN, IMPLEMENTATION_RELATIONS, max_depth)
        facts = self._facts(conn, walk.depths)
        scope = self._jurisdiction_tree(jurisdiction) if jurisdiction is not None else None
        matching = implementer_keys(walk, facts, level=level, jurisdiction_keys=scope)
        page = page_of(matching, offset, limit)
        return implementers_answer(walk, facts, matching, page, self._document_rows(conn, page))

    def _jurisdiction_tree(self, root: str) -> set[str]:
        rows = self._connection().execute(
            "WITH RECURSIVE tree(key, depth) AS (SELECT :root, 0 UNION "
            "SELECT o.key, t.depth + 1 FROM tree t JOIN organizations o ON o.parent = t.key WHERE t.depth < 8) "
            "SELECT key FROM tree",
            {"root": root},
        )
        return {r[0] for r in rows}

    async def paths(self, source: str, target: str, *, max_length: int, limit: int) -> list[GraphPath]:
        return await self._run(self._paths, source, target, max_length, limit)

    def _paths(self, source: str, target: str, max_length: int, limit: int) -> list[GraphPath]:
        conn = self._connection()
        self._require_document(conn, source)
        self._require_document(conn, target)
        if source == target:
            return []
        from_source = self._shortest_chain_depths(conn, source, target, max_length)
        if not from_source:
            return []
        length = from_source[target]
        from_target = {key: length - depth for key, depth in from_source.items()}
        on_path = sorted(from_source)
        edges = self._links_where(
            conn,
            "l.source IN (SELECT value FROM json_each(:keys)) AND +l.target IN (SELECT value FROM json_each(:keys))",
            {"keys": json.dumps(on_path)},
        )
        step: dict[str, list[tuple[str, Link]]] = {}
        for link in edges:
            for a, b in ((link.source, link.target), (link.target, link.source)):
                if from_source.get(a, -9) + 1 == from_source.get(b) and from_target.get(b, -9) + 1 == from_target.get(
                    a
                ):
                    step.setdefault(a, []).append((b, link))
        raw: list[tuple[list[str], list[Link]]] = []

        def extend(keys: list[str], hops: list[Link]) -> None:
            if len(raw) >= limit * 8:
                return
            if keys[-1] == target:
                raw.append((keys, hops))
                return
            for nxt, link in sorted(step.get(keys[-1], []), key=lambda s: (s[0], link_sort_key(s[1]))):
                extend([*keys, nxt], [*hops, link])

        extend([source], [])
        return distinct_paths(raw, self._documents_by_key(on_path), limit)

    def _shortest_chain_depths(
        self, conn: sqlite3.Connection, source: str, target: str, max_length: int
    ) -> dict[str, int]:
        """Distance from ``source`` of every document on a shortest undirected chain to ``target`` ({} if none within ``max_length``).

        Walks from both ends, always expanding the smaller frontier, until the two walks meet.
        """
        ends = _WalkEnd(source), _WalkEnd(target)
        while ends[0].frontier and ends[1].frontier and ends[0].level + ends[1].level < max_length:
            near, far = sorted(ends, key=lambda end: len(end.frontier))
            near.expand(conn.execute(_STEP_EITHER, {"frontier": json.dumps(near.frontier)}))
            met = {key: far.depths[key] for key in near.frontier if key in far.depths}
            if met:
                closest = min(met.values())
                length = near.level + closest
                ends[0].keep_chains_to([k for k, d in met.items() if d == closest])
                ends[1].keep_chains_to([k for k, d in met.items() if d == closest])
                return ends[0].depths | {key: length - depth for key, depth in ends[1].depths.items()}
        return {}

    async def counts(self) -> GraphCounts:
        return await self._run(self._counts)

    async def put_text(self, text: SourceText) -> bool:
        return await self._run(self._put_text, text)

    def _put_text(self, text: SourceText) -> bool:
        with self._write() as tx:
            cursor = tx.execute(
                "INSERT OR IGNORE INTO source_texts VALUES (?, ?, ?, ?, ?)",
                (text.id, text.text, text.jurisdiction, text.document_key, _now()),
            )
        return cursor.rowcount == 1

    async def get_text(self, text_id: str) -> SourceText:
        row = await self._run(
            lambda: self._connection().execute("SELECT * FROM source_texts WHERE id = ?", (text_id,)).fetchone()
        )
        if row is None:
            raise NotFoundError("text", text_id)
        return SourceText.model_validate(dict(row))

    def _counts(self) -> GraphCounts:
        conn = self._connection()
        return GraphCounts(
            documents=conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            links=conn.execute("SELECT count(*) FROM links").fetchone()[0],
            organizations=conn.execute("SELECT count(*) FROM organizations").fetchone()[0],
        )


@dataclass
class _WalkEnd:
    """One end of a bidirectional breadth-first walk: depths, and every predecessor one level nearer the end."""

    root: str
    depths: dict[str, int] = field(default_factory=dict)
    predecessors: dict[str, list[str]] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)
    level: int = 0

    def __post_init__(self) -> None:
        self.depths[self.root] = 0
        self.frontier = [self.root]

    def expand(self, found: Iterable[tuple[str, str]]) -> None:
        """Record (neighbour, frontier document) pairs as the next level."""
        self.level += 1
        frontier = []
        for key, predecessor in found:
            if key not in self.depths:
                self.depths[key] = self.level
                frontier.append(key)
            if self.depths[key] == self.level:
                self.predecessors.setdefault(key, []).append(predecessor)
        self.frontier = sorted(frontier)

    def keep_chains_to(self, keys: Iterable[str]) -> None:
        """Keep only the depths of documents on a shortest chain from the root to one of ``keys``."""
        kept: dict[str, int] = {}
        layer = set(keys)
        while layer:
            kept.update((key, self.depths[key]) for key in layer)
            layer = {p for key in layer for p in self.predecessors.get(key, [])}
        self.depths = kept


def _fold_or_none(text: str | None) -> str | None:
    return fold(text) if text is not None else None


def _relations_json(relations: Sequence[Relation]) -> str:
    return json.dumps([r.value for r in relations])


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _organization(row: sqlite3.Row) -> Organization:
    data = dict(row)
    data["predecessors"] = json.loads(data["predecessors"])
    data["aliases"] = json.loads(data["aliases"])
    return Organization.model_validate({k: v for k, v in data.items() if v is not None})


def _document(row: sqlite3.Row) -> Document:
    data = {k: row[k] for k in _DOCUMENT_COLUMNS.split(", ")}
    data["aliases"] = json.loads(data["aliases"])
    data["stub"] = bool(data["stub"])
    return Document.model_validate(data)


def _document_row(doc: Document) -> tuple[Any, ...]:
    return (
        doc.key,
        doc.symbol,
        json.dumps(doc.aliases, ensure_ascii=False),
        doc.type,
        doc.number,
        _iso(doc.date),
        doc.year,
        doc.issuer,
        doc.level.value if doc.level else None,
        doc.jurisdiction,
        doc.term,
        doc.title,
        doc.status.value,
        _iso(doc.effective_from),
        _iso(doc.effective_to),
        int(doc.stub),
    )


def _link(row: sqlite3.Row) -> Link:
    return Link.model_validate(dict(row))

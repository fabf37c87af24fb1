"""Walks of the embedded store: breadth-first, one query per level over the covering indexes."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from graph.adjacency import indexed_implementers, indexed_lineage, indexed_outline
from graph.lineage import (
    Facts,
    LineageJson,
    LineageRows,
    LineageShape,
    Walk,
    count_levels,
    implementer_keys,
    implementers_answer,
    lineage_answer,
    lineage_page,
    outline_of,
)
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    Implementers,
    Level,
    Lineage,
    LineageDirection,
    LineageOutline,
    Link,
    Relation,
    View,
)
from graph.paging import DEFAULT_GRAPH_PAGE, OUTLINE_MAX_DOCUMENTS, check_outline_size, check_page, page_of
from graph.stores.sqlite.adjacency import AdjacencyCache
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import (
    data_version,
    document_json_rows,
    document_rows,
    links_by_keys,
    relations_json,
)
from graph.stores.sqlite.views import link_filter, require_shown, view_params
from graph.versioned_cache import VersionedCache

# One breadth-first step: (document reached, the frontier document it links with) pairs, over the
# covering indexes (links_target for links into the frontier, the primary key for links out of it).
# ``{seen}`` is the view's condition on the link and the document reached (graph.stores.sqlite.views).
STEP_DOWN = """
SELECT l.source, l.target FROM links l
WHERE l.target IN (SELECT value FROM json_each(:frontier)) AND l.relation IN (SELECT value FROM json_each(:relations))
AND {down}
"""
STEP_UP = """
SELECT l.target, l.source FROM links l
WHERE l.source IN (SELECT value FROM json_each(:frontier)) AND l.relation IN (SELECT value FROM json_each(:relations))
AND {up}
"""
FACTS = "SELECT key, level, jurisdiction, year FROM documents WHERE key IN (SELECT value FROM json_each(?))"
LEVEL_COUNTS = "SELECT level, count(*) FROM documents WHERE key IN (SELECT value FROM json_each(?)) GROUP BY level"
# The links of the relations from the page's documents, and at either end of them, keys only (the primary key
# and links_target cover them); then the chosen links' rows by primary key.
LINK_KEYS_FROM = """
SELECT source, relation, target FROM links l
WHERE source IN (SELECT value FROM json_each(:page)) AND relation IN (SELECT value FROM json_each(:relations))
AND {seen}
"""
LINK_KEYS_AT = (
    LINK_KEYS_FROM
    + """UNION ALL
SELECT source, relation, target FROM links l
WHERE target IN (SELECT value FROM json_each(:page)) AND relation IN (SELECT value FROM json_each(:relations))
AND {seen}
"""
)
T = TypeVar("T")
# Stored documents by key as rows (graph.stores.sqlite.rows): their columns, or their JSON and symbol.
RowsRead = Callable[[sqlite3.Connection, Sequence[str]], Mapping[str, Mapping[str, Any]]]
# Walks in worker threads at once, per process (see SqliteTraversal._in_thread).
WALKS_IN_THREADS = 4
JURISDICTION_TREE = (
    "WITH RECURSIVE tree(key, depth) AS (SELECT :root, 0 UNION "
    "SELECT o.key, t.depth + 1 FROM tree t JOIN organizations o ON o.parent = t.key WHERE t.depth < 8) "
    "SELECT key FROM tree"
)


@dataclass(frozen=True)
class _LineageAsk:
    """One lineage asked of the store: its root, direction, relations, depth, page and view."""

    key: str
    direction: LineageDirection
    relations: Sequence[Relation]
    max_depth: int
    offset: int
    limit: int | None
    view: View


class SqliteTraversal(SqliteRole):
    """Lineage and implementers of the embedded store: walked in the in-memory adjacency index while it holds
    the graph as it is now, else by SQL."""

    adjacency: AdjacencyCache
    walks_in_threads: asyncio.Semaphore
    lineage_pages: VersionedCache[_LineageAsk, LineageShape]

    async def lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> Lineage:
        check_page(offset, limit)
        ask = _LineageAsk(key, direction, relations, max_depth, offset, limit, view)
        if limit is None:
            return await self._in_thread(self._lineage, ask)
        # A page walked in memory is bounded by its limit: read on the loop's thread (see SqliteDb.read_now).
        answer = self.db.read_now(self._lineage_in_index, ask, document_rows)
        return answer.lineage() if answer is not None else await self._in_thread(self._lineage_by_sql, ask)

    async def lineage_json(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> LineageJson:
        check_page(offset, limit)
        ask = _LineageAsk(key, direction, tuple(relations), max_depth, offset, limit, view)
        if limit is None:
            return LineageJson.of(await self._in_thread(self._lineage, ask))
        # A page: kept while the data is unchanged, its documents' JSON (their status today) read for each answer.
        conn = self.db.connection()
        version = self.db.read_now(data_version, conn)
        if (shape := self.lineage_pages.get(ask, version)) is not None:
            return shape.page(self.db.read_now(document_json_rows, conn, [key for key, _ in shape.nodes]))
        if (answer := self.db.read_now(self._lineage_in_index, ask, document_json_rows)) is not None:
            found, nodes = LineageJson.of_rows(answer), [(row["key"], depth) for depth, row in answer.rows]
        else:
            lineage = await self._in_thread(self._lineage, ask)
            found, nodes = LineageJson.of(lineage), [(node.key, node.depth) for node in lineage.nodes]
        self.lineage_pages.put(ask, version, LineageShape.of(found, nodes))
        return found

    def _lineage(self, ask: _LineageAsk) -> Lineage:
        answer = self._lineage_in_index(ask, document_rows)
        return answer.lineage() if answer is not None else self._lineage_by_sql(ask)

    def _lineage_in_index(self, ask: _LineageAsk, read: RowsRead) -> LineageRows | None:
        """The lineage walked in the adjacency index, its page's documents as ``read`` reads them; None when the
        index is not current or cannot answer."""
        conn = self.db.connection()
        if (index := self.adjacency.current(conn)) is None:
            return None
        return indexed_lineage(
            index,
            ask.key,
            down=ask.direction == LineageDirection.down,
            relations=ask.relations,
            max_depth=ask.max_depth,
            page=slice(ask.offset, None if ask.limit is None else ask.offset + ask.limit),
            view=ask.view,
            rows=lambda keys: read(conn, keys),
            links=lambda keys, rows: links_by_keys(conn, keys, rows),
        )

    def _lineage_by_sql(self, ask: _LineageAsk) -> Lineage:
        key, relations, view = ask.key, ask.relations, ask.view
        conn = self.db.connection()
        require_shown(conn, key, view)
        step = _steps(view)[0 if ask.direction == LineageDirection.down else 1]
        walk = _walk(conn, key, step, relations, ask.max_depth, view)
        levels = conn.execute(LEVEL_COUNTS, (json.dumps(list(walk.depths)),))
        page, delivered = lineage_page(walk, ask.offset, ask.limit)
        rows = document_rows(conn, page)
        edges = _edges_touching(conn, page, delivered, relations, view, rows)
        return lineage_answer(walk, count_levels(levels), page, rows, edges)

    async def lineage_outline(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        view: View = View(),  # noqa: B008 - frozen
        max_documents: int = OUTLINE_MAX_DOCUMENTS,
    ) -> LineageOutline:
        return await self._in_thread(self._outline, key, direction, relations, max_depth, view, max_documents)

    def _outline(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        view: View,
        max_documents: int,
    ) -> LineageOutline:
        conn = self.db.connection()
        down = direction == LineageDirection.down
        if (index := self.adjacency.current(conn)) is not None:
            answer = indexed_outline(
                index,
                key,
                down=down,
                relations=relations,
                max_depth=max_depth,
                view=view,
                max_documents=max_documents,
            )
            if answer is not None:
                return answer
        require_shown(conn, key, view)
        walk = _walk(conn, key, _steps(view)[0 if down else 1], relations, max_depth, view)
        check_outline_size(len(walk.depths), max_documents)
        links = _link_keys_among(conn, list(walk.depths), relations, view)
        return outline_of(key, walk.depths, _facts(conn, walk.depths), links, down=down)

    async def implementers(
        self,
        key: str,
        *,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
        view: View = View(),  # noqa: B008 - frozen
    ) -> Implementers:
        check_page(offset, limit)
        return await self._in_thread(self._implementers, key, level, jurisdiction, max_depth, (offset, limit), view)

    async def _in_thread(self, walk: Callable[..., T], *args: Any) -> T:
        """``walk(*args)`` in a worker thread, at most WALKS_IN_THREADS at once in this process; the others wait
        on the loop, holding no thread. Walks by SQL (the index not built yet, or stale after a write) hold the
        interpreter for long stretches: fifty at once starve the index's build and each other, and every
        thread keeps its own connection and page cache."""
        async with self.walks_in_threads:
            return await self.db.run(walk, *args)

    def _implementers(
        self,
        key: str,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        window: tuple[int, int | None],
        view: View,
    ) -> Implementers:
        offset, limit = window
        conn = self.db.connection()
        scope = (
            {r[0] for r in conn.execute(JURISDICTION_TREE, {"root": jurisdiction})}
            if jurisdiction is not None
            else None
        )
        if (index := self.adjacency.current(conn)) is not None:
            answer = indexed_implementers(
                index,
                key,
                level=level,
                jurisdictions=scope,
                max_depth=max_depth,
                page=slice(offset, None if limit is None else offset + limit),
                view=view,
                rows=lambda keys: document_rows(conn, keys),
            )
            if answer is not None:
                return answer
        require_shown(conn, key, view)
        walk = _walk(conn, key, _steps(view)[0], IMPLEMENTATION_RELATIONS, max_depth, view)
        facts = _facts(conn, walk.depths)
        matching = implementer_keys(walk, facts, level=level, jurisdiction_keys=scope)
        page = page_of(matching, offset, limit)
        return implementers_answer(walk, facts, matching, page, document_rows(conn, page))


def _steps(view: View) -> tuple[str, str]:
    """The walk steps down and up, with the view's condition on each link and document reached."""
    seen = {"down": link_filter(view, "l.source"), "up": link_filter(view, "l.target")}
    return STEP_DOWN.format(**seen), STEP_UP.format(**seen)


def _walk(
    conn: sqlite3.Connection, root: str, step: str, relations: Sequence[Relation], max_depth: int, view: View
) -> Walk:
    walk = Walk.start(root)
    frontier = [root]
    params = {"relations": relations_json(relations)} | view_params(view)
    for depth in range(1, max_depth + 1):
        if not frontier:
            break
        found = conn.execute(step, {"frontier": json.dumps(frontier)} | params)
        frontier = walk.add_level(found, depth)
    return walk


def _facts(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, Facts]:
    return {r[0]: Facts(r[1], r[2], r[3]) for r in conn.execute(FACTS, (json.dumps(list(keys)),))}


def _edges_touching(
    conn: sqlite3.Connection,
    page: Sequence[str],
    delivered: Sequence[str],
    relations: Sequence[Relation],
    view: View,
    rows: Mapping[str, Mapping[str, Any]],
) -> list[Link]:
    """Links of the relations between the page's documents and those delivered up to its end (both ends were
    walked, so shown on the view's day: only its review scope is checked)."""
    return links_by_keys(conn, _link_keys_among(conn, page, relations, view, delivered), rows)


def _link_keys_among(
    conn: sqlite3.Connection,
    page: Sequence[str],
    relations: Sequence[Relation],
    view: View,
    ends: Iterable[str] | None = None,
) -> list[tuple[str, str, str]]:
    """(source, relation, target) of the links of the relations in the view's review scope between a document
    of ``page`` and one of ``ends`` (by default the page itself), sorted."""
    among = set(page if ends is None else ends)
    params: dict[str, Any] = {"page": json.dumps(list(page)), "relations": relations_json(relations)}
    # Among the page itself, a link's source is in the page: reading by source finds each link once.
    query = (LINK_KEYS_FROM if ends is None else LINK_KEYS_AT).format(seen=link_filter(View(review=view.review)))
    return sorted({(s, r, t) for s, r, t in conn.execute(query, params) if s in among and t in among})

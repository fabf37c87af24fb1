"""Links of the embedded store: one per (source, relation, target), provenance kept."""

from __future__ import annotations

import json
from collections.abc import Sequence

from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.events import link_events
from graph.models import Link, LinkDirection, LinkDraft, Relation
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.events import record_events
from graph.stores.sqlite.rows import document_exists, known_documents, links_where, relations_json
from graph.writes import in_draft_order, link_ends, require_known

# A curated link replaces an extracted one's provenance; an extraction never overwrites a curated link.
UPSERT_LINKS = (
    "INSERT INTO links VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (source, relation, target) DO UPDATE SET "
    "origin = excluded.origin, evidence = coalesce(excluded.evidence, evidence), "
    "source_text_id = coalesce(excluded.source_text_id, source_text_id), "
    "span_start = coalesce(excluded.span_start, span_start), span_end = coalesce(excluded.span_end, span_end), "
    "confidence = excluded.confidence "
    "WHERE excluded.origin = 'curated' AND links.origin = 'extracted'"
)
LINKS_BY_KEYS = (
    "(l.source, l.relation, l.target) IN (SELECT json_extract(value, '$[0]'), "
    "json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?))"
)
LINK_ENDS = {
    LinkDirection.out: "l.source = :key",
    LinkDirection.in_: "l.target = :key",
    LinkDirection.both: "(l.source = :key OR l.target = :key)",
}
OF_RELATIONS = "l.relation IN (SELECT value FROM json_each(:relations))"
# The canonical order (graph.records.link_sort_key), paged in the database: a limit of -1 is none.
PAGE_OF_LINKS = "ORDER BY l.source, l.relation, l.target LIMIT :limit OFFSET :offset"


class SqliteLinks(SqliteRole):
    """Links of the embedded store."""

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        return await self.db.run(self._upsert_links, list(drafts))

    def _upsert_links(self, drafts: list[LinkDraft]) -> list[Link]:
        now = timestamp()
        with self.db.write() as tx:
            keys = link_ends(drafts)
            require_known("document", keys, known_documents(tx, keys))
            tx.executemany(UPSERT_LINKS, [_link_values(d, now) for d in drafts])
            ids = json.dumps([[d.source, d.relation.value, d.target] for d in drafts])
            stored = links_where(tx, LINKS_BY_KEYS, (ids,))
            record_events(tx, link_events(stored, now))
        return in_draft_order(drafts, stored)

    async def links(
        self,
        key: str,
        direction: LinkDirection,
        relations: Sequence[Relation],
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Link]:
        def read() -> list[Link]:
            conn = self.db.connection()
            if not document_exists(conn, key):
                raise NotFoundError("document", key)
            where = f"{LINK_ENDS[direction]} AND {OF_RELATIONS} {PAGE_OF_LINKS}"
            params = {"key": key, "relations": relations_json(relations), "offset": offset, "limit": limit or -1}
            return links_where(conn, where, params)

        return await self.db.run(read)


def _link_values(d: LinkDraft, now: str) -> tuple[object, ...]:
    return (
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

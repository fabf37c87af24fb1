"""Links of the embedded store: one per (source, relation, target), with an id, provenance and a review state."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence

from graph.clock import timestamp
from graph.effects import EFFECT_RELATIONS
from graph.errors import NotFoundError
from graph.events import link_events, status_events
from graph.models import Link, LinkDirection, LinkDraft, Relation, Review, View
from graph.paging import DEFAULT_LIST_LIMIT
from graph.review import ReviewQuery, check_drafts, merged_link, restated
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.effects import after_link_write
from graph.stores.sqlite.events import record_events
from graph.stores.sqlite.rows import (
    LINK_STATE,
    documents_by_key,
    issued_of,
    link_rows,
    link_values,
    links_where,
    relations_json,
)
from graph.stores.sqlite.views import link_filter, require_shown, view_params
from graph.writes import in_draft_order, link_ends

WRITE_LINK = f"INSERT OR REPLACE INTO links ({LINK_STATE}) VALUES ({','.join('?' * len(LINK_STATE.split(', ')))})"
DELETE_LINK = "DELETE FROM links WHERE id = ?"
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
# ``{queued}`` says, for the planner, that the partial index links_queue holds what is asked.
QUEUE = """
l.review = :review AND {queued} AND (:relation IS NULL OR l.relation = :relation)
AND (:jurisdiction IS NULL OR s.jurisdiction = :jurisdiction) AND (:below IS NULL OR l.confidence < :below)
AND (:text IS NULL OR EXISTS (SELECT 1 FROM json_each(l.provenance) p WHERE p.value ->> 'text_id' = :text)
     OR l.source_text_id = :text)
ORDER BY l.confidence, l.id LIMIT :limit OFFSET :offset
"""


class SqliteLinks(SqliteRole):
    """Links of the embedded store, and their review."""

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        return await self.db.run(self._upsert_links, list(drafts))

    def _upsert_links(self, drafts: list[LinkDraft]) -> list[Link]:
        now = dt.datetime.now(dt.UTC)
        triples = json.dumps([[d.source, d.relation.value, d.target] for d in drafts])
        with self.db.write() as tx:
            flags = check_drafts(drafts, issued_of(tx, link_ends(drafts)))
            stored = {(x.source, x.relation, x.target): x for x in links_where(tx, LINKS_BY_KEYS, (triples,))}
            changed: dict[tuple[str, Relation, str], Link] = {}
            for draft, flagged in zip(drafts, flags, strict=True):
                triple = (draft.source, draft.relation, draft.target)
                before = changed.get(triple) or stored.get(triple)
                after = merged_link(before, draft, flagged, now)
                if after != before:
                    changed[triple] = after
            tx.executemany(WRITE_LINK, [link_values(link) for link in changed.values()])
            _write_effects(tx, list(changed.values()))
            written = links_where(tx, LINKS_BY_KEYS, (triples,))
            changed_ids = {link.id for link in changed.values()}
            record_events(tx, link_events([link for link in written if link.id in changed_ids], timestamp(now)))
        return in_draft_order(drafts, written)

    async def links(
        self,
        key: str,
        direction: LinkDirection,
        relations: Sequence[Relation],
        *,
        offset: int = 0,
        limit: int | None = None,
        view: View = View(),  # noqa: B008 - frozen
    ) -> list[Link]:
        def read() -> list[Link]:
            conn = self.db.connection()
            require_shown(conn, key, view)
            seen = link_filter(view, "l.source", "l.target")
            where = f"{LINK_ENDS[direction]} AND {OF_RELATIONS} AND {seen} {PAGE_OF_LINKS}"
            params = {"key": key, "relations": relations_json(relations), "offset": offset, "limit": limit or -1}
            return links_where(conn, where, params | view_params(view))

        return await self.db.run(read)

    # review (graph.ports.LinkReview)

    async def get_link(self, link_id: str) -> Link:
        def read() -> list[Link]:
            return link_rows(self.db.connection(), "l.id = ?", (link_id,))

        found = await self.db.run(read)
        if not found:
            raise NotFoundError("link", link_id)
        return found[0]

    async def review_queue(self, query: ReviewQuery, *, offset: int = 0, limit: int = DEFAULT_LIST_LIMIT) -> list[Link]:
        params = {
            "review": query.review.value,
            "relation": query.relation.value if query.relation else None,
            "jurisdiction": query.jurisdiction,
            "below": query.confidence_below,
            "text": query.text,
            "offset": offset,
            "limit": limit,
        }
        queued = "true" if query.review == Review.accepted else "l.review <> 'accepted'"
        where = QUEUE.format(queued=queued)
        return await self.db.run(lambda: link_rows(self.db.connection(), where, params))

    async def update_link(self, link: Link) -> Link:
        def write() -> list[Link]:
            with self.db.write() as tx:
                stored = link_rows(tx, "l.id = ?", (link.id,))
                if not stored:
                    raise NotFoundError("link", link.id)
                tx.execute(WRITE_LINK, link_values(restated(stored[0], link)))
                _write_effects(tx, stored)
                return link_rows(tx, "l.id = ?", (link.id,))

        [written] = await self.db.run(write)
        return written

    async def delete_link(self, link_id: str) -> None:
        def delete() -> int:
            with self.db.write() as tx:
                stored = link_rows(tx, "l.id = ?", (link_id,))
                deleted = tx.execute(DELETE_LINK, (link_id,)).rowcount
                _write_effects(tx, stored)
                return deleted

        if not await self.db.run(delete):
            raise NotFoundError("link", link_id)


def _write_effects(tx: sqlite3.Connection, links: Sequence[Link]) -> None:
    """Recompute the effects of the targets of links written, decided or deleted, and record a
    ``status.changed`` event for each target whose status moved."""
    targets = sorted({link.target for link in links if link.relation in EFFECT_RELATIONS})
    if not targets:
        return
    before = documents_by_key(tx, targets)
    after_link_write(tx, links)
    record_events(tx, status_events(before, documents_by_key(tx, targets)))

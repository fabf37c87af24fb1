"""The events outbox, webhooks and deliveries of the embedded store.

:func:`record_events` is what a write calls, inside its own transaction, to log what it changed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.events import Event, EventFilter, implements_targets, with_facets
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.rows import documents_by_key
from graph.text import fold
from graph.webhooks import Attempt, Delivery, DueDelivery, Webhook, deliveries_for

IMPLEMENTS_OF = (
    "SELECT source, relation, target FROM links WHERE relation = 'implements' "
    "AND source IN (SELECT value FROM json_each(?))"
)
INSERT_EVENT = (
    "INSERT INTO events (id, at, kind, document, jurisdiction, level, type_folded, body) "
    "VALUES (:id, :at, :kind, :document, :jurisdiction, :level, :type_folded, :body)"
)
INSERT_IMPLEMENTS = "INSERT OR IGNORE INTO event_implements (target, seq) VALUES (?, ?)"
DELIVERY_COLUMNS = (
    "id, webhook, event_id, event_seq, status, attempts, created_at, next_at, last_attempt_at, last_status, "
    "last_error, delivered_at"
)
INSERT_DELIVERY = f"INSERT INTO deliveries ({DELIVERY_COLUMNS}) VALUES ({','.join('?' * 12)})"
WEBHOOK_COLUMNS = "id, url, secret, filter, created_at, key_id"
INSERT_WEBHOOK = f"INSERT INTO webhooks ({WEBHOOK_COLUMNS}) VALUES (:id, :url, :secret, :filter, :created_at, :key_id)"
ALL_WEBHOOKS = f"SELECT {WEBHOOK_COLUMNS} FROM webhooks ORDER BY created_at, id"
ONE_WEBHOOK = f"SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?"
DELETE_WEBHOOK = "DELETE FROM webhooks WHERE id = ?"
# Only the given filters go into the query, so that each one can use its index.
EVENT_CONDITIONS = {
    "jurisdiction": "e.jurisdiction = :jurisdiction",
    "level": "e.level = :level",
    "type": "e.type_folded = :type",
    "implements": "e.seq IN (SELECT seq FROM event_implements WHERE target = :implements)",
    "after": "e.seq > :after",
    "before": "e.seq < :before",
}
CLAIM = (
    "UPDATE deliveries SET lease_until = :lease_until, leased_by = :worker WHERE id IN (SELECT id FROM deliveries "
    "WHERE status = 'pending' AND next_at <= :now AND (lease_until IS NULL OR lease_until < :now) "
    "ORDER BY next_at LIMIT :limit) RETURNING id"
)
CLAIMED = (
    "SELECT d.id AS delivery_id, e.seq, e.body, w.url, w.secret, "
    + ", ".join(f"d.{c}" for c in DELIVERY_COLUMNS.split(", ")[1:])
    + " FROM deliveries d JOIN events e ON e.seq = d.event_seq JOIN webhooks w ON w.id = d.webhook "
    "WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.next_at, d.id"
)
RECORD_ATTEMPT = (
    "UPDATE deliveries SET status = :status, attempts = attempts + 1, next_at = :next_at, last_attempt_at = :at, "
    "last_status = :status_code, last_error = :error, lease_until = NULL, leased_by = NULL, "
    "delivered_at = CASE WHEN :status = 'delivered' THEN :at END "
    f"WHERE id = :delivery AND leased_by = :worker RETURNING {DELIVERY_COLUMNS}"
)
LIST_DELIVERIES = (
    f"SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE webhook = :webhook ORDER BY created_at DESC, id DESC LIMIT :limit"
)


def record_events(tx: sqlite3.Connection, events: Sequence[Event]) -> list[Event]:
    """Append ``events`` in the caller's write transaction, with their documents' facets as now written, and
    queue a delivery to every webhook whose filter each passes. Call it after the write, before commit."""
    if not events:
        return []
    keys = json.dumps(sorted({e.document for e in events}))
    documents = documents_by_key(tx, json.loads(keys))
    implements = implements_targets(tuple(r) for r in tx.execute(IMPLEMENTS_OF, (keys,)))
    recorded = []
    for e in with_facets(events, documents, implements):
        seq = tx.execute(INSERT_EVENT, _event_row(e)).lastrowid
        assert seq is not None
        recorded.append(e.model_copy(update={"seq": seq}))
        tx.executemany(INSERT_IMPLEMENTS, [(target, seq) for target in (e.facets.implements if e.facets else [])])
    hooks = [_webhook(r) for r in tx.execute(ALL_WEBHOOKS)]
    deliveries = deliveries_for(recorded, hooks, timestamp())
    tx.executemany(INSERT_DELIVERY, [tuple(d.model_dump(mode="json").values()) for d in deliveries])
    return recorded


def _event_row(e: Event) -> dict[str, Any]:
    facets = e.facets
    return {
        "id": e.id,
        "at": e.at,
        "kind": e.kind.value,
        "document": e.document,
        "jurisdiction": facets.jurisdiction if facets else None,
        "level": facets.level.value if facets and facets.level else None,
        "type_folded": fold(facets.type) if facets and facets.type else None,
        "body": e.model_dump_json(exclude={"seq"}),
    }


def _event(seq: int, body: str) -> Event:
    return Event.model_validate_json(body).model_copy(update={"seq": seq})


def _webhook(row: sqlite3.Row) -> Webhook:
    return Webhook.model_validate(dict(row) | {"filter": json.loads(row["filter"])})


def _delivery(row: sqlite3.Row) -> Delivery:
    return Delivery.model_validate(dict(row))


def events_query(query: EventFilter, after: int | None, before: int | None, newest_first: bool) -> str:
    """The SELECT of :meth:`SqliteEvents.list_events` for the filters given."""
    given = query.model_dump(exclude_none=True) | {"after": after, "before": before}
    where = " AND ".join(EVENT_CONDITIONS[k] for k, v in given.items() if v is not None) or "1"
    order = "DESC" if newest_first else "ASC"
    return f"SELECT e.seq, e.body FROM events e WHERE {where} ORDER BY e.seq {order} LIMIT :limit"


class SqliteEvents(SqliteRole):
    """Events, webhooks and deliveries of the embedded store."""

    async def append_events(self, events: Sequence[Event]) -> list[Event]:
        def append() -> list[Event]:
            with self.db.write() as tx:
                return record_events(tx, events)

        return await self.db.run(append)

    async def list_events(
        self,
        query: EventFilter,
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int = 50,
        newest_first: bool = True,
    ) -> list[Event]:
        sql = events_query(query, after, before, newest_first)
        params = query.model_dump(mode="json") | {"after": after, "before": before, "limit": limit}
        params["type"] = fold(query.type) if query.type else None
        rows = await self.db.run(lambda: self.db.connection().execute(sql, params).fetchall())
        return [_event(r["seq"], r["body"]) for r in rows]

    async def put_webhook(self, hook: Webhook) -> None:
        row = hook.model_dump(mode="json") | {"filter": hook.filter.model_dump_json()}

        def put() -> None:
            with self.db.write() as tx:
                tx.execute(INSERT_WEBHOOK, row)

        await self.db.run(put)

    async def get_webhook(self, hook_id: str) -> Webhook:
        row = await self.db.run(lambda: self.db.connection().execute(ONE_WEBHOOK, (hook_id,)).fetchone())
        if row is None:
            raise NotFoundError("webhook", hook_id)
        return _webhook(row)

    async def list_webhooks(self) -> list[Webhook]:
        rows = await self.db.run(lambda: self.db.connection().execute(ALL_WEBHOOKS).fetchall())
        return [_webhook(r) for r in rows]

    async def delete_webhook(self, hook_id: str) -> None:
        def delete() -> int:
            with self.db.write() as tx:
                return tx.execute(DELETE_WEBHOOK, (hook_id,)).rowcount

        if not await self.db.run(delete):
            raise NotFoundError("webhook", hook_id)

    async def claim_deliveries(self, worker: str, *, now: str, lease_until: str, limit: int) -> list[DueDelivery]:
        params = {"worker": worker, "now": now, "lease_until": lease_until, "limit": limit}

        def claim() -> list[sqlite3.Row]:
            with self.db.write() as tx:  # BEGIN IMMEDIATE: one claim at a time across processes
                ids = [r[0] for r in tx.execute(CLAIM, params).fetchall()]
                return tx.execute(CLAIMED, (json.dumps(ids),)).fetchall() if ids else []

        return [_due(r) for r in await self.db.run(claim)]

    async def record_attempt(self, attempt: Attempt) -> Delivery | None:
        params = attempt.model_dump(mode="json")

        def record() -> sqlite3.Row | None:
            with self.db.write() as tx:
                row: sqlite3.Row | None = tx.execute(RECORD_ATTEMPT, params).fetchone()
                return row

        row = await self.db.run(record)
        return _delivery(row) if row is not None else None

    async def list_deliveries(self, hook_id: str, *, limit: int = 50) -> list[Delivery]:
        params = {"webhook": hook_id, "limit": limit}
        rows = await self.db.run(lambda: self.db.connection().execute(LIST_DELIVERIES, params).fetchall())
        return [_delivery(r) for r in rows]


def _due(row: sqlite3.Row) -> DueDelivery:
    data = dict(row)
    delivery = Delivery.model_validate(data | {"id": data["delivery_id"]})
    return DueDelivery(
        delivery=delivery, event=_event(data["seq"], data["body"]), url=data["url"], secret=data["secret"]
    )

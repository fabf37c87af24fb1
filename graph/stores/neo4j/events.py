"""The events outbox, webhooks and deliveries of the Neo4j store.

:func:`record_events` is what a write calls, inside its own transaction, to log what it changed. Event
order comes from one counter node: taking its write lock serializes the writers of events until commit,
so ``seq`` order is commit order and a feed cursor skips nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.events import Event, EventFilter, with_facets
from graph.stores.neo4j.db import Neo4jRole, Record, Transaction, run
from graph.stores.neo4j.rows import document_from_props
from graph.text import fold
from graph.webhooks import Attempt, Delivery, DueDelivery, Webhook, deliveries_for

EVENT_FACETS = """
UNWIND $keys AS k
MATCH (d:Document {key: k})
OPTIONAL MATCH (d)-[:IMPLEMENTS]->(t:Document)
RETURN d {.*} AS doc, collect(t.key) AS implements
"""
NEXT_SEQ = """
MERGE (c:EventCounter {name: 'events'})
SET c.value = coalesce(c.value, 0) + $n
RETURN c.value AS last
"""
CREATE_EVENTS = "UNWIND $rows AS row CREATE (e:Event) SET e = row"
ALL_WEBHOOKS = "MATCH (w:Webhook) RETURN w {.*} AS hook ORDER BY w.created_at, w.id"
ONE_WEBHOOK = "MATCH (w:Webhook {id: $id}) RETURN w {.*} AS hook"
CREATE_WEBHOOK = "CREATE (w:Webhook) SET w = $hook"
DELETE_DELIVERIES = "MATCH (d:Delivery {webhook: $id}) DETACH DELETE d"
DELETE_WEBHOOK = "MATCH (w:Webhook {id: $id}) DETACH DELETE w RETURN count(*) AS deleted"
CREATE_DELIVERIES = "UNWIND $rows AS row CREATE (d:Delivery) SET d = row"
# Every claim first takes this node's write lock: claims run one at a time, each seeing the last one's leases.
TAKE_CLAIM_LOCK = "MERGE (l:DispatchLock {name: 'deliveries'}) SET l.at = $now"
CLAIM = """
MATCH (d:Delivery)
WHERE d.status = 'pending' AND d.next_at <= $now AND (d.lease_until IS NULL OR d.lease_until < $now)
WITH d ORDER BY d.next_at, d.id LIMIT $limit
SET d.lease_until = $lease_until, d.leased_by = $worker
WITH d
MATCH (e:Event {seq: d.event_seq}), (w:Webhook {id: d.webhook})
RETURN d {.*} AS delivery, e.seq AS seq, e.body AS body, w.json AS hook
ORDER BY d.next_at, d.id
"""
RECORD_ATTEMPT = """
MATCH (d:Delivery {id: $delivery})
WHERE d.leased_by = $worker
SET d.status = $status, d.attempts = d.attempts + 1, d.next_at = $next_at, d.last_attempt_at = $at,
    d.last_status = $status_code, d.last_error = $error, d.lease_until = null, d.leased_by = null,
    d.delivered_at = CASE WHEN $status = 'delivered' THEN $at END
RETURN d {.*} AS delivery
"""
LIST_DELIVERIES = """
MATCH (d:Delivery {webhook: $webhook})
RETURN d {.*} AS delivery ORDER BY d.created_at DESC, d.id DESC LIMIT $limit
"""
EVENT_CONDITIONS = {
    "jurisdiction": "e.jurisdiction = $jurisdiction",
    "level": "e.level = $level",
    "type": "e.type_folded = $type",
    "implements": "$implements IN e.implements",
    "after": "e.seq > $after",
    "before": "e.seq < $before",
}


async def record_events(tx: Transaction, events: Sequence[Event]) -> list[Event]:
    """Append ``events`` in the caller's write transaction, with their documents' facets as now written, and
    queue a delivery to every webhook whose filter each passes. Call it after the write, before commit."""
    if not events:
        return []
    facets = await run(tx, EVENT_FACETS, keys=sorted({e.document for e in events}))
    documents = {r["doc"]["key"]: document_from_props(r["doc"]) for r in facets}
    implements = {r["doc"]["key"]: sorted(r["implements"]) for r in facets}
    [counter] = await run(tx, NEXT_SEQ, n=len(events))
    first = counter["last"] - len(events) + 1
    recorded = [
        e.model_copy(update={"seq": first + i}) for i, e in enumerate(with_facets(events, documents, implements))
    ]
    await run(tx, CREATE_EVENTS, rows=[_event_props(e) for e in recorded])
    hooks = [_webhook(r["hook"]) for r in await run(tx, ALL_WEBHOOKS)]
    deliveries = deliveries_for(recorded, hooks, timestamp())
    if deliveries:
        await run(tx, CREATE_DELIVERIES, rows=[_props(d.model_dump(mode="json")) for d in deliveries])
    return recorded


def _props(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _event_props(e: Event) -> dict[str, Any]:
    facets = e.facets
    return _props(
        {
            "id": e.id,
            "seq": e.seq,
            "at": e.at,
            "kind": e.kind.value,
            "document": e.document,
            "jurisdiction": facets.jurisdiction if facets else None,
            "level": facets.level.value if facets and facets.level else None,
            "type_folded": fold(facets.type) if facets and facets.type else None,
            "implements": facets.implements if facets else [],
            "body": e.model_dump_json(exclude={"seq"}),
        }
    )


def _event(seq: int, body: str) -> Event:
    return Event.model_validate_json(body).model_copy(update={"seq": seq})


def _webhook(props: dict[str, Any]) -> Webhook:
    return Webhook.model_validate_json(props["json"])


def _due(record: Record) -> DueDelivery:
    hook = Webhook.model_validate_json(record["hook"])
    event = _event(record["seq"], record["body"])
    return DueDelivery(
        delivery=Delivery.model_validate(record["delivery"]), event=event, url=hook.url, secret=hook.secret
    )


def events_query(query: EventFilter, after: int | None, before: int | None, newest_first: bool) -> str:
    """The MATCH of :meth:`Neo4jEvents.list_events` for the filters given."""
    given = query.model_dump(exclude_none=True) | {"after": after, "before": before}
    where = " AND ".join(EVENT_CONDITIONS[k] for k, v in given.items() if v is not None) or "true"
    order = "DESC" if newest_first else "ASC"
    return f"MATCH (e:Event) WHERE {where} RETURN e.seq AS seq, e.body AS body ORDER BY e.seq {order} LIMIT $limit"


async def _claim(tx: Transaction, params: dict[str, Any]) -> list[DueDelivery]:
    await run(tx, TAKE_CLAIM_LOCK, now=params["now"])
    return [_due(r) for r in await run(tx, CLAIM, **params)]


async def _delete_webhook(tx: Transaction, hook_id: str) -> int:
    await run(tx, DELETE_DELIVERIES, id=hook_id)
    [record] = await run(tx, DELETE_WEBHOOK, id=hook_id)
    deleted: int = record["deleted"]
    return deleted


class Neo4jEvents(Neo4jRole):
    """Events, webhooks and deliveries of the Neo4j store."""

    async def append_events(self, events: Sequence[Event]) -> list[Event]:
        return await self.db.transaction(record_events, list(events), write=True)

    async def list_events(
        self,
        query: EventFilter,
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int = 50,
        newest_first: bool = True,
    ) -> list[Event]:
        params = query.model_dump(mode="json") | {"after": after, "before": before, "limit": limit}
        params["type"] = fold(query.type) if query.type else None
        records = await self.db.read(events_query(query, after, before, newest_first), **params)
        return [_event(r["seq"], r["body"]) for r in records]

    async def put_webhook(self, hook: Webhook) -> None:
        await self.db.write(
            CREATE_WEBHOOK, hook={"id": hook.id, "created_at": hook.created_at, "json": hook.model_dump_json()}
        )

    async def get_webhook(self, hook_id: str) -> Webhook:
        records = await self.db.read(ONE_WEBHOOK, id=hook_id)
        if not records:
            raise NotFoundError("webhook", hook_id)
        return _webhook(records[0]["hook"])

    async def list_webhooks(self) -> list[Webhook]:
        return [_webhook(r["hook"]) for r in await self.db.read(ALL_WEBHOOKS)]

    async def delete_webhook(self, hook_id: str) -> None:
        if not await self.db.transaction(_delete_webhook, hook_id, write=True):
            raise NotFoundError("webhook", hook_id)

    async def claim_deliveries(self, worker: str, *, now: str, lease_until: str, limit: int) -> list[DueDelivery]:
        params = {"worker": worker, "now": now, "lease_until": lease_until, "limit": limit}
        return await self.db.transaction(_claim, params, write=True)

    async def record_attempt(self, attempt: Attempt) -> Delivery | None:
        records = await self.db.write(RECORD_ATTEMPT, **attempt.model_dump(mode="json"))
        return Delivery.model_validate(records[0]["delivery"]) if records else None

    async def list_deliveries(self, hook_id: str, *, limit: int = 50) -> list[Delivery]:
        records = await self.db.read(LIST_DELIVERIES, webhook=hook_id, limit=limit)
        return [Delivery.model_validate(r["delivery"]) for r in records]

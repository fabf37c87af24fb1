"""The events outbox and webhook deliveries of both stores: events written with the change, leases held."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from graph.clock import timestamp
from graph.events import EventFilter, EventKind
from graph.identity import DocumentDraft, WriteMode
from graph.models import Level, LinkDraft, Relation
from graph.ports import GraphStore
from graph.webhooks import Attempt, DeliveryStatus, WebhookDraft, new_webhook

pytestmark = pytest.mark.contract

CONCLUSION = "43-kl-tw-2019"
SECRET = "s" * 24


def plan(number: int, province: str = "nghe-an") -> DocumentDraft:
    return DocumentDraft(
        symbol=f"{number}-KH/TU", type="Kế hoạch", date=dt.date(2020, 1, 2), issuer=f"{province}.btv", title="Kế hoạch"
    )


def later(seconds: float) -> str:
    return timestamp(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds))


async def newest(store: GraphStore, query: EventFilter | None = None, limit: int = 10) -> list[tuple[str, str]]:
    return [(e.kind.value, e.key) for e in await store.list_events(query or EventFilter(), limit=limit)]


async def test_writes_record_their_events_with_facets(seeded: GraphStore) -> None:
    [doc] = await seeded.upsert_documents([plan(901)], WriteMode.create)
    await seeded.upsert_documents([plan(901)], WriteMode.create)  # the same again: no event
    await seeded.upsert_links([LinkDraft(source=doc.key, relation=Relation.implements, target=CONCLUSION)])
    await seeded.upsert_links([LinkDraft(source=doc.key, relation=Relation.implements, target=CONCLUSION)])
    events = await seeded.list_events(EventFilter(), limit=2)
    assert [e.kind for e in events] == [EventKind.link_created, EventKind.document_created]
    link_event, doc_event = events
    assert link_event.seq > doc_event.seq and link_event.document == doc.key
    assert link_event.facets and link_event.facets.implements == [CONCLUSION]
    assert doc_event.facets and doc_event.facets.implements == [] and doc_event.facets.jurisdiction == "nghe-an"
    assert doc_event.payload["symbol"] == "901-KH/TU"


async def test_a_changed_document_records_an_update(seeded: GraphStore) -> None:
    [stub] = await seeded.upsert_documents([DocumentDraft(symbol="93-KH/TU", issuer="thanh-hoa.btv", stub=True)])
    await seeded.upsert_documents([plan(93, "thanh-hoa")], WriteMode.fill)
    assert (await newest(seeded, limit=2)) == [("document.updated", stub.key), ("document.created", stub.key)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (EventFilter(jurisdiction="thanh-hoa"), ["911-kh-tu-2020.thanh-hoa"]),
        (EventFilter(level=Level.province), ["910-kh-tu-2020.nghe-an", "911-kh-tu-2020.thanh-hoa"]),
        (EventFilter(type="kế hoạch", jurisdiction="nghe-an"), ["910-kh-tu-2020.nghe-an"]),
        (EventFilter(type="Nghị quyết", jurisdiction="nghe-an"), []),
        (EventFilter(implements=CONCLUSION), ["910-kh-tu-2020.nghe-an"]),
    ],
    ids=["jurisdiction", "level", "type", "other-type", "implements"],
)
async def test_events_filter(seeded: GraphStore, query: EventFilter, expected: list[str]) -> None:
    [mark] = await seeded.list_events(EventFilter(), limit=1)
    docs = await seeded.upsert_documents([plan(910), plan(911, "thanh-hoa")])
    await seeded.upsert_links([LinkDraft(source=docs[0].key, relation=Relation.implements, target=CONCLUSION)])
    found = await seeded.list_events(query, after=mark.seq, limit=50)
    assert list(dict.fromkeys(e.document for e in found)) == expected


async def test_events_page_by_cursor(seeded: GraphStore) -> None:
    [mark] = await seeded.list_events(EventFilter(), limit=1)
    await seeded.upsert_documents([plan(n) for n in range(920, 925)])
    query = EventFilter(jurisdiction="nghe-an")
    first = await seeded.list_events(query, after=mark.seq, limit=3)
    rest = await seeded.list_events(query, after=mark.seq, before=first[-1].seq, limit=3)
    oldest_first = await seeded.list_events(query, after=mark.seq, limit=5, newest_first=False)
    assert [e.seq for e in first + rest] == sorted((e.seq for e in first + rest), reverse=True)
    assert len(first + rest) == 5 and [e.seq for e in oldest_first] == [e.seq for e in reversed(first + rest)]


async def test_webhooks_round_trip(store: GraphStore) -> None:
    hook = new_webhook(WebhookDraft(url="https://example.org/h", secret=SECRET), "key1")
    await store.put_webhook(hook)
    assert await store.get_webhook(hook.id) == hook and await store.list_webhooks() == [hook]
    await store.delete_webhook(hook.id)
    assert await store.list_webhooks() == []


async def test_deliveries_are_queued_for_matching_events_and_leased_once(seeded: GraphStore) -> None:
    wanted = new_webhook(
        WebhookDraft(url="https://a.example/h", secret=SECRET, filter=EventFilter(implements=CONCLUSION)), None
    )
    other = new_webhook(
        WebhookDraft(url="https://b.example/h", secret=SECRET, filter=EventFilter(jurisdiction="x")), None
    )
    for hook in (wanted, other):
        await seeded.put_webhook(hook)
    [doc] = await seeded.upsert_documents([plan(930)])
    await seeded.upsert_links([LinkDraft(source=doc.key, relation=Relation.implements, target=CONCLUSION)])
    now, lease = timestamp(), later(30)
    claims = await asyncio.gather(
        *(seeded.claim_deliveries(f"w{i}", now=now, lease_until=lease, limit=10) for i in range(3))
    )
    claimed = [due for batch in claims for due in batch]
    assert [(d.delivery.webhook, d.event.kind) for d in claimed] == [(wanted.id, EventKind.link_created)]
    assert await seeded.claim_deliveries("w9", now=now, lease_until=lease, limit=10) == []
    assert await seeded.list_deliveries(other.id) == []
    due = claimed[0]
    holder = next(f"w{i}" for i, batch in enumerate(claims) if batch)
    failed = Attempt(delivery=due.delivery.id, worker="intruder", at=now, status=DeliveryStatus.delivered, next_at=now)
    assert await seeded.record_attempt(failed) is None
    retry = failed.model_copy(update={"worker": holder, "status": DeliveryStatus.pending, "status_code": 500})
    recorded = await seeded.record_attempt(retry)
    assert recorded and recorded.attempts == 1 and recorded.last_status == 500
    [again] = await seeded.claim_deliveries("w9", now=later(1), lease_until=later(30), limit=10)
    assert again.delivery.id == due.delivery.id and again.secret == SECRET and again.url == wanted.url


async def test_an_expired_lease_makes_a_delivery_due_again(seeded: GraphStore) -> None:
    await seeded.put_webhook(new_webhook(WebhookDraft(url="https://a.example/h", secret=SECRET), None))
    await seeded.upsert_documents([plan(940)])
    [first] = await seeded.claim_deliveries("dead", now=timestamp(), lease_until=later(0.05), limit=10)
    await asyncio.sleep(0.1)
    [second] = await seeded.claim_deliveries("alive", now=timestamp(), lease_until=later(30), limit=10)
    assert second.delivery.id == first.delivery.id

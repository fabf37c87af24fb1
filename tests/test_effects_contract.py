"""Store contract for effects on both stores: a link or document write recomputes, the bulk pass agrees, and the
stores' status filters agree with graph.effects on every day."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph.effects import IN_FORCE
from graph.errors import NotFoundError
from graph.identity import DocumentDraft
from graph.models import DocumentFilter, EffectStatus, LinkDraft, Relation
from graph.ports import GraphStore

pytestmark = pytest.mark.contract

BASE = DocumentDraft(symbol="7/2015/NĐ-CP", date=dt.date(2015, 3, 1), title="Nghị định")
CHANGERS = [
    (DocumentDraft(symbol="8/2016/NĐ-CP", date=dt.date(2016, 3, 1), title="Sửa"), "amends", False),
    (DocumentDraft(symbol="9/2017/NĐ-CP", date=dt.date(2017, 3, 1), title="Bãi"), "repeals", True),
    (DocumentDraft(symbol="10/2018/NĐ-CP", date=dt.date(2018, 3, 1), title="Thay"), "replaces", False),
]
DAYS = [dt.date(2014, 1, 1), dt.date(2015, 6, 1), dt.date(2016, 6, 1), dt.date(2017, 6, 1), dt.date(2019, 1, 1)]
EXPECTED = ["not_yet_in_force", "in_force", "amended", "partly_repealed", "replaced"]


async def _graph(store: GraphStore) -> tuple[str, list[str]]:
    [base] = await store.upsert_documents([BASE])
    changers = await store.upsert_documents([c for c, _, _ in CHANGERS])
    return base.key, [c.key for c in changers]


async def test_each_link_write_recomputes_its_target(store: GraphStore) -> None:
    base, changers = await _graph(store)
    seen = [(await store.get_document(base)).status]
    for key, (_, relation, partial) in zip(changers, CHANGERS, strict=True):
        await store.upsert_links([LinkDraft(source=key, relation=Relation(relation), target=base, partial=partial)])
        seen.append((await store.get_document(base)).status)
    assert seen == [EffectStatus.in_force, EffectStatus.amended, EffectStatus.partly_repealed, EffectStatus.replaced]
    assert len((await store.get_document(base)).status_links) == 1


@pytest.mark.parametrize(("day", "expected"), list(zip(DAYS, EXPECTED, strict=True)))
async def test_store_filters_agree_with_the_derivation(store: GraphStore, day: dt.date, expected: str) -> None:
    base, changers = await _graph(store)
    drafts = [
        LinkDraft(source=key, relation=Relation(relation), target=base, partial=partial)
        for key, (_, relation, partial) in zip(changers, CHANGERS, strict=True)
    ]
    await store.upsert_links(drafts)
    assert await store.recompute_effects() >= 1
    symbol = DocumentFilter(symbol=BASE.symbol)
    by_status = await store.find_documents(symbol.model_copy(update={"as_of": day, "status": EffectStatus(expected)}))
    in_force = await store.find_documents(symbol.model_copy(update={"as_of": day, "in_force": True}))
    shown = await store.find_documents(symbol.model_copy(update={"as_of": day}))
    expect_shown = [base] if day >= BASE.date else []  # type: ignore[operator]
    assert [d.key for d in shown] == expect_shown
    assert [d.status for d in shown] == [EffectStatus(expected)] * len(expect_shown)
    assert [d.key for d in by_status] == expect_shown
    assert [d.key for d in in_force] == (expect_shown if EffectStatus(expected) in IN_FORCE else [])
    every = await store.find_documents(DocumentFilter(as_of=day), limit=1000)
    for wanted in (True, False):
        by_flag = await store.find_documents(DocumentFilter(as_of=day, in_force=wanted), limit=1000)
        assert sorted(d.key for d in by_flag) == sorted(d.key for d in every if (d.status in IN_FORCE) == wanted)


async def test_documents_as_json_are_their_serialization(store: GraphStore) -> None:
    """Each document find_documents_json and get_document_json answer is the JSON of the document the model
    reads answer: statuses derived from dates or from effects, curated ones with and without effects, on today
    and (lists) on a day asked for."""
    base, changers = await _graph(store)
    others = await store.upsert_documents(
        [
            DocumentDraft(symbol="12/2090/NĐ-CP", date=dt.date(2090, 1, 1), title="Chưa có hiệu lực"),
            DocumentDraft(
                symbol="13/2010/NĐ-CP", aliases=["13/NĐ-CP"], date=dt.date(2010, 1, 1), effective_to=dt.date(2012, 1, 1)
            ),
            DocumentDraft(symbol="14/2011/NĐ-CP", date=dt.date(2011, 1, 1), status=EffectStatus.repealed, term="XII"),
            DocumentDraft(symbol="15/2012/NĐ-CP", status=EffectStatus.in_force, title="Ghi tay, có văn bản thay thế"),
            DocumentDraft(type="Luật", title='Luật "Đất đai" \\ không số hiệu'),
            DocumentDraft(symbol="16-NQ/TW", stub=True),
        ]
    )
    curated_with_effects = others[3].key
    await store.upsert_links(
        [
            LinkDraft(source=key, relation=Relation(relation), target=base, partial=partial)
            for key, (_, relation, partial) in zip(changers, CHANGERS, strict=True)
        ]
        + [LinkDraft(source=changers[2], relation=Relation.replaces, target=curated_with_effects)]
    )
    every = await store.find_documents(DocumentFilter(), limit=50)
    statuses = {"in_force", "not_yet_in_force", "expired", "unknown", "repealed", "replaced"}
    assert {d.status for d in every} >= {EffectStatus(s) for s in statuses}
    assert any(d.stub for d in every) and any(d.aliases for d in every)
    filters = [
        DocumentFilter(),
        DocumentFilter(symbol=BASE.symbol),
        DocumentFilter(symbol="13/NĐ-CP"),
        DocumentFilter(as_of=dt.date(2016, 6, 1)),
        DocumentFilter(symbol=BASE.symbol, as_of=dt.date(2015, 6, 1)),
        DocumentFilter(status=EffectStatus.expired),
        DocumentFilter(in_force=False),
        DocumentFilter(year=2015),
    ]
    pages = [(query, 50, 0) for query in filters] + [(DocumentFilter(), 3, 2)]
    for query, limit, offset in pages:
        documents = await store.find_documents(query, limit, offset)
        texts = await store.find_documents_json(query, limit, offset)
        assert documents, query
        assert [json.loads(text) for text in texts] == [d.model_dump(mode="json") for d in documents], query
    for document in every:  # one by key, as GET /documents/{key} sends it
        assert json.loads(await store.get_document_json(document.key)) == document.model_dump(mode="json")
    with pytest.raises(NotFoundError):
        await store.get_document_json("no-such-document")

"""The store contract: the same assertions, on SQLite and on Neo4j."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.errors import InvalidInputError, NotFoundError
from graph.identity import DocumentDraft
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    LINEAGE_RELATIONS,
    DocumentFilter,
    Level,
    LineageDirection,
    LinkDirection,
    Relation,
)
from graph.seeds import load_seeds
from graph.store.base import GraphStore, LinkDraft

SEED_SYMBOLS = [
    "25-NQ/TW", "43-KL/TW", "138-KH/TU", "290-QĐ/TW", "11-QĐi/TW",
    "16/CT-TTg", "114-KL/TW", "18-NQ/TW", "124-QĐ/TW",
]
PLAN = "138-kh-tu-thanh-hoa-2019"
CONCLUSION = "43-kl-tw-2019"
RESOLUTION = "25-nq-tw-2013"


async def keys_for(store: GraphStore, symbol: str, **narrow: object) -> list[str]:
    return [d.key for d in await store.find_documents(DocumentFilter(symbol=symbol, **narrow))]


@pytest.mark.parametrize("symbol", SEED_SYMBOLS)
async def test_seed_symbols_resolve(seeded: GraphStore, symbol: str) -> None:
    docs = await seeded.find_documents(DocumentFilter(symbol=symbol))
    assert docs, symbol
    assert all(d.symbol == symbol or symbol in d.aliases for d in docs)


@pytest.mark.parametrize("spelling", ["124-QĐi/TW", "124-QĐ/TW", "124-qđi/tw", "số 124-QĐi/TW"])
async def test_alias_spellings_resolve_to_one_document(seeded: GraphStore, spelling: str) -> None:
    assert await keys_for(seeded, spelling) == ["124-qd-tw-2018"]


@pytest.mark.parametrize("spelling", ["43-kl/tw", " 43 - KL / TW ", "43-KL/TƯ", "Số 43-KL/T.Ư"])
async def test_case_space_and_central_spellings(seeded: GraphStore, spelling: str) -> None:
    assert await keys_for(seeded, spelling) == [CONCLUSION]


async def test_reused_numbers_give_every_candidate_and_year_narrows(seeded: GraphStore) -> None:
    assert await keys_for(seeded, "18-NQ/TW") == ["18-nq-tw-2022", "18-nq-tw-2017"]
    assert await keys_for(seeded, "18-NQ/TW", year=2017) == ["18-nq-tw-2017"]
    assert await keys_for(seeded, "16/CT-TTg", year=2020) == ["16-ct-ttg-2020"]
    assert await keys_for(seeded, "43-NQ/TW") == ["43-nq-tw-2023"]


async def test_plan_date_and_outgoing_links(seeded: GraphStore) -> None:
    plan = await seeded.get_document(PLAN)
    assert plan.date == dt.date(2019, 3, 27)
    assert plan.level == Level.province and plan.jurisdiction == "thanh-hoa"
    out = await seeded.links(PLAN, LinkDirection.out, list(Relation))
    assert len(out) >= 15
    assert all(link.source == PLAN and link.source_symbol == "138-KH/TU" for link in out)
    assert (PLAN, Relation.implements, CONCLUSION) in {(l.source, l.relation, l.target) for l in out}


async def test_links_by_direction_and_relation(seeded: GraphStore) -> None:
    incoming = await seeded.links(RESOLUTION, LinkDirection.in_, [Relation.continues])
    assert [(l.source, l.target_symbol) for l in incoming] == [(CONCLUSION, "25-NQ/TW")]
    both = await seeded.links(CONCLUSION, LinkDirection.both, list(Relation))
    assert {l.source for l in both} | {l.target for l in both} == {PLAN, CONCLUSION, RESOLUTION}


async def test_lineage_up_and_down(seeded: GraphStore) -> None:
    up = await seeded.lineage(PLAN, LineageDirection.up, LINEAGE_RELATIONS, 10)
    depths = {n.key: n.depth for n in up.nodes}
    assert depths[PLAN] == 0 and depths[CONCLUSION] == 1 and depths[RESOLUTION] == 2
    down = await seeded.lineage(RESOLUTION, LineageDirection.down, LINEAGE_RELATIONS, 10)
    assert {n.key: n.depth for n in down.nodes} == {RESOLUTION: 0, CONCLUSION: 1, PLAN: 2}
    assert {(e.source, e.relation, e.target) for e in down.edges} == {
        (CONCLUSION, Relation.continues, RESOLUTION),
        (PLAN, Relation.implements, CONCLUSION),
    }
    shallow = await seeded.lineage(RESOLUTION, LineageDirection.down, LINEAGE_RELATIONS, 1)
    assert [n.key for n in shallow.nodes] == [RESOLUTION, CONCLUSION]


async def test_implementers_through_a_chain(seeded: GraphStore) -> None:
    found = await seeded.implementers(RESOLUTION, level=Level.province, jurisdiction=None, max_depth=10)
    assert [(d.key, d.via) for d in found] == [(PLAN, [CONCLUSION])]
    assert await seeded.implementers(RESOLUTION, level=Level.province, jurisdiction="thanh-hoa", max_depth=10)
    assert not await seeded.implementers(RESOLUTION, level=Level.province, jurisdiction="nghe-an", max_depth=10)
    central = await seeded.implementers(RESOLUTION, level=Level.central, jurisdiction=None, max_depth=10)
    assert [(d.key, d.via) for d in central] == [(CONCLUSION, [])]


async def test_paths_join_documents(seeded: GraphStore) -> None:
    paths = await seeded.paths(PLAN, RESOLUTION, max_length=6, limit=5)
    assert paths and [n.key for n in paths[0].nodes] == [PLAN, RESOLUTION]
    longer = await seeded.paths("73-kh-tu-thanh-hoa-2018", RESOLUTION, max_length=6, limit=5)
    assert [[n.key for n in p.nodes] for p in longer] == [["73-kh-tu-thanh-hoa-2018", PLAN, RESOLUTION]]
    assert [[e.relation for e in p.edges] for p in longer] == [[Relation.cites, Relation.cites]]
    assert await seeded.paths(PLAN, "18-nq-tw-2022", max_length=6, limit=5) == []


async def test_loading_seeds_twice_changes_nothing(seeded: GraphStore) -> None:
    before = await seeded.counts()
    assert before.documents >= 20 and before.links >= 21 and before.organizations > 100
    assert await load_seeds(seeded) == before


async def test_migrations_run_once(store: GraphStore) -> None:
    assert await store.migrate() == []


def draft(symbol: str, **fields: object) -> DocumentDraft:
    return DocumentDraft.model_validate({"symbol": symbol, **fields})


async def make_orgs(store: GraphStore) -> None:
    await load_seeds(store)


async def test_upserting_the_same_document_twice_is_idempotent(seeded: GraphStore) -> None:
    before = await seeded.counts()
    first = await seeded.upsert_documents([draft("43-KL/TW", date="2019-01-07", issuer="ban-bi-thu")])
    again = await seeded.upsert_documents([draft("43-kl/tw", date="2019-01-07", issuer="ban-bi-thu")])
    assert first[0].key == again[0].key == CONCLUSION
    assert (await seeded.counts()).documents == before.documents
    assert (await seeded.get_document(CONCLUSION)).title  # a partial re-post keeps what was known


async def test_local_series_are_scoped_by_jurisdiction(seeded: GraphStore) -> None:
    docs = await seeded.upsert_documents(
        [draft("02-NQ/TU", date="2015-12-30", issuer="nghe-an.btv"), draft("02-NQ/TU", date="2015-12-30", issuer="thanh-hoa.btv")]
    )
    assert [d.key for d in docs] == ["02-nq-tu-nghe-an-2015", "02-nq-tu-thanh-hoa-2015"]
    assert len(await keys_for(seeded, "02-NQ/TU")) == 2
    assert await keys_for(seeded, "02-NQ/TU", jurisdiction="nghe-an") == ["02-nq-tu-nghe-an-2015"]


async def test_a_stub_learns_its_date_without_changing_key(seeded: GraphStore) -> None:
    [stub] = await seeded.upsert_documents([draft("92-KH/TU", issuer="thanh-hoa.btv", stub=True)])
    [full] = await seeded.upsert_documents(
        [draft("92-KH/TU", issuer="thanh-hoa.btv", date="2018-05-02", title="Kế hoạch thực hiện Quy định 124")]
    )
    assert stub.key == full.key == "92-kh-tu-thanh-hoa"
    assert full.date == dt.date(2018, 5, 2) and not full.stub


async def test_an_ambiguous_undated_reference_is_not_merged(seeded: GraphStore) -> None:
    [ref] = await seeded.upsert_documents([draft("18-NQ/TW", issuer="bch-tw", stub=True)])
    assert ref.key not in {"18-nq-tw-2017", "18-nq-tw-2022"} and ref.stub
    full_2017 = await seeded.get_document("18-nq-tw-2017")
    assert full_2017.title and not full_2017.stub


async def test_a_stub_never_overwrites_a_full_record(seeded: GraphStore) -> None:
    await seeded.upsert_documents([draft("25-NQ/TW", date="2013-06-03", issuer="bch-tw", title="khác", stub=True)])
    doc = await seeded.get_document(RESOLUTION)
    assert doc.title != "khác" and not doc.stub


async def test_links_are_idempotent_and_keep_provenance(seeded: GraphStore) -> None:
    before = await seeded.counts()
    link = LinkDraft(source="73-kh-tu-thanh-hoa-2018", relation=Relation.cites, target=RESOLUTION,
                     origin="extracted", evidence="trích dẫn", source_text_id="t1", span_start=3, span_end=9, confidence=0.6)
    [first] = await seeded.upsert_links([link])
    [second] = await seeded.upsert_links([link])
    assert (await seeded.counts()).links == before.links + 1
    assert first == second
    assert (first.origin, first.evidence, first.span_start, first.span_end, first.confidence) == ("extracted", "trích dẫn", 3, 9, 0.6)
    assert first.created_at is not None
    [curated] = await seeded.upsert_links([LinkDraft(source=link.source, relation=link.relation, target=link.target)])
    assert curated.origin == "curated"


async def test_a_batch_with_an_unknown_end_writes_nothing(seeded: GraphStore) -> None:
    before = await seeded.counts()
    with pytest.raises(NotFoundError, match="no-such-doc"):
        await seeded.upsert_links([
            LinkDraft(source=PLAN, relation=Relation.cites, target="18-nq-tw-2022"),
            LinkDraft(source=PLAN, relation=Relation.cites, target="no-such-doc"),
        ])
    assert await seeded.counts() == before


async def test_a_batch_with_an_unknown_issuer_writes_nothing(seeded: GraphStore) -> None:
    before = await seeded.counts()
    with pytest.raises(InvalidInputError, match="no-such-org"):
        await seeded.upsert_documents([draft("1-KL/TW", date="2020-01-01", issuer="bch-tw"), draft("2-KL/TW", issuer="no-such-org")])
    assert await seeded.counts() == before


async def test_local_documents_need_a_jurisdiction(store: GraphStore) -> None:
    with pytest.raises(InvalidInputError, match="jurisdiction"):
        await store.upsert_documents([draft("5-KH/TU", date="2020-01-01")])


async def test_unknown_keys_are_not_found(seeded: GraphStore) -> None:
    for call in (
        seeded.get_document("nope"),
        seeded.links("nope", LinkDirection.both, list(Relation)),
        seeded.lineage("nope", LineageDirection.down, LINEAGE_RELATIONS, 3),
        seeded.paths(PLAN, "nope", max_length=3, limit=3),
    ):
        with pytest.raises(NotFoundError, match="nope"):
            await call


async def chain(store: GraphStore, n: int, relation: Relation = Relation.implements) -> list[str]:
    docs = await store.upsert_documents([draft(f"{i + 1}-KL/TW", date="2021-01-01") for i in range(n)])
    keys = [d.key for d in docs]
    await store.upsert_links([LinkDraft(source=keys[i + 1], relation=relation, target=keys[i]) for i in range(n - 1)])
    return keys


async def test_cycles_terminate(store: GraphStore) -> None:
    keys = await chain(store, 3, Relation.cites)
    await store.upsert_links([LinkDraft(source=keys[0], relation=Relation.cites, target=keys[2])])
    lineage = await store.lineage(keys[0], LineageDirection.down, [Relation.cites], 25)
    assert {n.key: n.depth for n in lineage.nodes} == {keys[0]: 0, keys[1]: 1, keys[2]: 2}
    up = await store.lineage(keys[0], LineageDirection.up, [Relation.cites], 25)
    assert {n.key: n.depth for n in up.nodes} == {keys[0]: 0, keys[2]: 1, keys[1]: 2}
    assert len(lineage.edges) == 3


async def test_depth_bound_is_respected(store: GraphStore) -> None:
    keys = await chain(store, 30)
    deep = await store.lineage(keys[0], LineageDirection.down, IMPLEMENTATION_RELATIONS, 25)
    assert max(n.depth for n in deep.nodes) == 25 and len(deep.nodes) == 26
    implementers = await store.implementers(keys[0], level=None, jurisdiction=None, max_depth=4)
    assert [(d.key, len(d.via)) for d in implementers] == [(keys[i], i - 1) for i in range(1, 5)]

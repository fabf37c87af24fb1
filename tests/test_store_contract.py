"""The store contract: the same assertions, on SQLite and on Neo4j."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from graph.errors import InvalidInputError, NotFoundError
from graph.identity import DocumentDraft
from graph.lineage import links_json
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    LINEAGE_RELATIONS,
    DocumentFilter,
    Level,
    Lineage,
    LineageDirection,
    LineageOutline,
    Link,
    LinkDirection,
    LinkDraft,
    Relation,
)
from graph.ports import GraphStore
from graph.seeds import load_seeds
from graph.stores.sqlite import SqliteStore

pytestmark = pytest.mark.contract

SEED_SYMBOLS = [
    "25-NQ/TW",
    "43-KL/TW",
    "138-KH/TU",
    "290-QĐ/TW",
    "11-QĐi/TW",
    "16/CT-TTg",
    "114-KL/TW",
    "18-NQ/TW",
    "124-QĐ/TW",
]
PLAN = "138-kh-tu-2019.thanh-hoa"
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
    # The registry holds a later 124-QĐ/TW (2023): the year tells the two apart, every spelling finds 2018's.
    assert "124-qd-tw-2018" in await keys_for(seeded, spelling)
    assert await keys_for(seeded, spelling, year=2018) == ["124-qd-tw-2018"]


@pytest.mark.parametrize("spelling", ["43-kl/tw", " 43 - KL / TW ", "43-KL/TƯ", "Số 43-KL/T.Ư"])
async def test_case_space_and_central_spellings(seeded: GraphStore, spelling: str) -> None:
    assert await keys_for(seeded, spelling) == [CONCLUSION]


async def test_reused_numbers_give_every_candidate_and_year_narrows(seeded: GraphStore) -> None:
    assert await keys_for(seeded, "18-NQ/TW") == ["18-nq-tw-2022", "18-nq-tw-2017"]
    assert await keys_for(seeded, "18-NQ/TW", year=2017) == ["18-nq-tw-2017"]
    assert await keys_for(seeded, "16/CT-TTg", year=2020) == ["16-ct-ttg-2020"]
    assert await keys_for(seeded, "43-NQ/TW") == ["43-nq-tw-2023", "43-nq-tw-2019"]  # the registry knows both


async def test_plan_date_and_outgoing_links(seeded: GraphStore) -> None:
    plan = await seeded.get_document(PLAN)
    assert plan.date == dt.date(2019, 3, 27)
    assert plan.level == Level.province and plan.jurisdiction == "thanh-hoa"
    out = await seeded.links(PLAN, LinkDirection.out, list(Relation))
    assert len(out) >= 15
    assert all(link.source == PLAN and link.source_symbol == "138-KH/TU" for link in out)
    assert (PLAN, Relation.implements, CONCLUSION) in {(link.source, link.relation, link.target) for link in out}


async def test_links_by_direction_and_relation(seeded: GraphStore) -> None:
    incoming = await seeded.links(RESOLUTION, LinkDirection.in_, [Relation.continues])
    assert [(link.source, link.target_symbol) for link in incoming] == [(CONCLUSION, "25-NQ/TW")]
    both = await seeded.links(CONCLUSION, LinkDirection.both, list(Relation))
    assert {link.source for link in both} | {link.target for link in both} == {PLAN, CONCLUSION, RESOLUTION}


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
    assert (down.total, down.depth_counts, down.level_counts) == (3, {0: 1, 1: 1, 2: 1}, {"central": 2, "province": 1})
    shallow = await seeded.lineage(RESOLUTION, LineageDirection.down, LINEAGE_RELATIONS, 1)
    assert [n.key for n in shallow.nodes] == [RESOLUTION, CONCLUSION]


# A national resolution's descent in miniature: five provinces' plans implement it, a central guide
# guides it, and three districts of Thanh Hóa implement their province's plan; one district plan also
# rests on a second provincial plan, and a citation (not a lineage relation) points back at the root.
PROVINCES = ["an-giang", "bac-giang", "bac-kan", "bac-lieu", "bac-ninh"]
DISTRICTS = ["sam-son", "bim-son", "tinh-gia"]


async def national_tree(store: GraphStore) -> dict[str, str]:
    """Store the tree; return keys by role (root, guide, province:<p>, thanh-hoa, thanh-hoa-2, district:<d>)."""
    drafts = {
        "root": draft("91-NQ/TW", date="2021-02-01", issuer="bch-tw", title="Nghị quyết về phát triển vùng"),
        "guide": draft("12-HD/BTGTW", date="2021-03-02", issuer="ban-tuyen-giao-tw"),
        **{
            f"province:{p}": draft("40-KH/TU", date=f"2021-04-{i + 10}", issuer=f"{p}.btv")
            for i, p in enumerate(PROVINCES)
        },
        "thanh-hoa": draft("41-KH/TU", date="2021-04-20", issuer="thanh-hoa.btv"),
        "thanh-hoa-2": draft("42-KH/TU", date="2022-01-05", issuer="thanh-hoa.btv"),
        **{
            f"district:{d}": draft("7-KH/HU", date=f"2021-06-{i + 10}", issuer=f"thanh-hoa.{d}.huyen-uy")
            for i, d in enumerate(DISTRICTS)
        },
    }
    docs = await store.upsert_documents(list(drafts.values()))
    keys = {role: doc.key for role, doc in zip(drafts, docs, strict=True)}
    links = [
        LinkDraft(source=keys["guide"], relation=Relation.guides, target=keys["root"]),
        *(
            LinkDraft(source=keys[f"province:{p}"], relation=Relation.implements, target=keys["root"])
            for p in PROVINCES
        ),
        LinkDraft(source=keys["thanh-hoa"], relation=Relation.implements, target=keys["root"]),
        LinkDraft(source=keys["thanh-hoa-2"], relation=Relation.continues, target=keys["thanh-hoa"]),
        *(
            LinkDraft(source=keys[f"district:{d}"], relation=Relation.implements, target=keys["thanh-hoa"])
            for d in DISTRICTS
        ),
        LinkDraft(source=keys["district:sam-son"], relation=Relation.based_on, target=keys["thanh-hoa-2"]),
        LinkDraft(source=keys["district:bim-son"], relation=Relation.cites, target=keys["root"]),
    ]
    await store.upsert_links(links)
    return keys


def edge_ids(edges: list[Link]) -> list[tuple[str, str, str]]:
    return [(e.source, e.relation.value, e.target) for e in edges]


async def test_lineage_counts_cover_the_whole_walk(seeded: GraphStore) -> None:
    keys = await national_tree(seeded)
    whole = await seeded.lineage(keys["root"], LineageDirection.down, LINEAGE_RELATIONS, 4, limit=None)
    assert (whole.total, len(whole.nodes)) == (12, 12)
    assert whole.depth_counts == {0: 1, 1: 7, 2: 4}
    assert whole.level_counts == {"central": 2, "district": 3, "province": 7}
    assert [(n.depth, n.key) for n in whole.nodes] == sorted((n.depth, n.key) for n in whole.nodes)
    assert len(whole.edges) == 12 and (keys["district:bim-son"], "cites", keys["root"]) not in edge_ids(whole.edges)
    first = await seeded.lineage(keys["root"], LineageDirection.down, LINEAGE_RELATIONS, 1, limit=3)
    assert (first.total, first.depth_counts, first.level_counts) == (8, {0: 1, 1: 7}, {"central": 2, "province": 6})
    assert [n.key for n in first.nodes] == [n.key for n in whole.nodes[:3]]


@pytest.mark.parametrize("limit", [1, 3, 5, 12], ids=lambda n: f"limit{n}")
async def test_lineage_pages_add_up_to_the_whole(seeded: GraphStore, limit: int) -> None:
    keys = await national_tree(seeded)
    whole = await seeded.lineage(keys["root"], LineageDirection.down, LINEAGE_RELATIONS, 4, limit=None)
    pages = [
        await seeded.lineage(keys["root"], LineageDirection.down, LINEAGE_RELATIONS, 4, offset=offset, limit=limit)
        for offset in range(0, whole.total + limit, limit)
    ]
    assert [n.key for page in pages for n in page.nodes] == [n.key for n in whole.nodes]
    assert [n.depth for page in pages for n in page.nodes] == [n.depth for n in whole.nodes]
    assert sorted(e for page in pages for e in edge_ids(page.edges)) == sorted(edge_ids(whole.edges))
    assert {(p.total, tuple(p.depth_counts.items()), tuple(p.level_counts.items())) for p in pages} == {
        (whole.total, tuple(whole.depth_counts.items()), tuple(whole.level_counts.items()))
    }
    for page in pages:
        on_page = {n.key for n in page.nodes}
        assert all(e.source in on_page or e.target in on_page for e in page.edges)
        assert all(e.source_symbol and e.target_symbol for e in page.edges)


@pytest.mark.parametrize("direction", list(LineageDirection))
async def test_lineage_json_is_the_lineage_serialized(seeded: GraphStore, direction: LineageDirection) -> None:
    keys = await national_tree(seeded)
    if isinstance(seeded, SqliteStore):  # its pages from the in-memory index, where SQL writes the documents
        seeded.adjacency.min_documents = 0
        assert seeded.adjacency.refresh() is not None
    for root in (keys["root"], keys["thanh-hoa"], keys["district:sam-son"], RESOLUTION, PLAN):
        for offset, limit in ((0, None), (0, 100), (2, 3)):
            page = await seeded.lineage(root, direction, LINEAGE_RELATIONS, 4, offset=offset, limit=limit)
            found = await seeded.lineage_json(root, direction, LINEAGE_RELATIONS, 4, offset=offset, limit=limit)
            assert [json.loads(node) for node in found.nodes] == [n.model_dump(mode="json") for n in page.nodes]
            assert (found.root, found.edges, found.total, found.depth_counts, found.level_counts) == (
                page.root,
                links_json(page.edges),
                page.total,
                page.depth_counts,
                page.level_counts,
            )


def outline_from(whole: Lineage) -> dict[str, object]:
    """What an outline must say of a whole lineage, read off the lineage's documents and edges."""
    position = {n.key: i for i, n in enumerate(whole.nodes)}
    return {
        "root": whole.root,
        "total": whole.total,
        "depth_counts": whole.depth_counts,
        "level_counts": whole.level_counts,
        "keys": [n.key for n in whole.nodes],
        "depths": [n.depth for n in whole.nodes],
        "levels": [n.level for n in whole.nodes],
        "jurisdictions": [n.jurisdiction for n in whole.nodes],
        "years": [n.year for n in whole.nodes],
        "links": [(position[e.source], e.relation, position[e.target]) for e in whole.edges],
    }


@pytest.mark.parametrize("direction", list(LineageDirection))
@pytest.mark.parametrize("relations", [LINEAGE_RELATIONS, list(Relation), [Relation.implements]], ids=len)
async def test_outline_is_the_whole_lineage_without_records(
    seeded: GraphStore, direction: LineageDirection, relations: list[Relation]
) -> None:
    keys = await national_tree(seeded)
    for root in (keys["root"], keys["thanh-hoa"], keys["district:sam-son"], RESOLUTION, PLAN):
        whole = await seeded.lineage(root, direction, relations, 4, limit=None)
        outline = await seeded.lineage_outline(root, direction, relations, 4)
        assert outline.model_dump(exclude={"parents"}) == outline_from(whole), root


async def test_an_outline_too_large_is_refused_saying_how_large(seeded: GraphStore) -> None:
    keys = await national_tree(seeded)
    fits = await seeded.lineage_outline(keys["root"], LineageDirection.down, LINEAGE_RELATIONS, 4, max_documents=12)
    assert fits.total == 12
    with pytest.raises(InvalidInputError, match=r"reaches 12 documents .* at most 11"):
        await seeded.lineage_outline(keys["root"], LineageDirection.down, LINEAGE_RELATIONS, 4, max_documents=11)


def parents_by_key(outline: LineageOutline) -> dict[str, str | None]:
    return {key: outline.keys[p] if p >= 0 else None for key, p in zip(outline.keys, outline.parents, strict=True)}


async def test_outline_parents_are_the_smallest_key_one_level_nearer(seeded: GraphStore) -> None:
    keys = await national_tree(seeded)
    outline = await seeded.lineage_outline(keys["root"], LineageDirection.down, LINEAGE_RELATIONS, 4)
    parent_of = parents_by_key(outline)
    # sam-son implements Thanh Hóa's first plan (depth 1) and rests on its second (depth 2): the first is nearer.
    assert parent_of[keys["district:sam-son"]] == keys["thanh-hoa"]
    assert parent_of[keys["thanh-hoa-2"]] == keys["thanh-hoa"]
    assert parent_of[keys["root"]] is None
    assert {parent_of[keys[f"province:{p}"]] for p in PROVINCES} == {keys["root"]}
    up = await seeded.lineage_outline(keys["district:sam-son"], LineageDirection.up, LINEAGE_RELATIONS, 4)
    up_parent = parents_by_key(up)
    assert up_parent[keys["thanh-hoa"]] == up_parent[keys["thanh-hoa-2"]] == keys["district:sam-son"]
    assert up_parent[keys["root"]] == keys["thanh-hoa"]


async def test_implementers_pages_keep_their_chains(seeded: GraphStore) -> None:
    keys = await national_tree(seeded)
    whole = await seeded.implementers(keys["root"], level=None, jurisdiction=None, max_depth=4, limit=None)
    assert [(d.key, d.via) for d in whole.items] == [
        (keys["province:an-giang"], []),
        (keys["province:bac-giang"], []),
        (keys["province:bac-kan"], []),
        (keys["province:bac-lieu"], []),
        (keys["province:bac-ninh"], []),
        (keys["thanh-hoa"], []),
        (keys["thanh-hoa-2"], [keys["thanh-hoa"]]),
        *sorted(((keys[f"district:{d}"], [keys["thanh-hoa"]]) for d in DISTRICTS), key=lambda kv: kv[0]),
    ]
    assert (whole.total, whole.depth_counts, whole.level_counts) == (10, {1: 6, 2: 4}, {"district": 3, "province": 7})
    pages = [
        await seeded.implementers(keys["root"], level=None, jurisdiction=None, max_depth=4, offset=offset, limit=4)
        for offset in (0, 4, 8, 12)
    ]
    assert [(d.key, d.via) for page in pages for d in page.items] == [(d.key, d.via) for d in whole.items]
    assert {page.total for page in pages} == {10}
    districts = await seeded.implementers(
        keys["root"], level=Level.district, jurisdiction="thanh-hoa", max_depth=4, offset=1, limit=1
    )
    assert (districts.total, districts.depth_counts, districts.level_counts) == (3, {2: 3}, {"district": 3})
    assert [d.key for d in districts.items] == sorted(keys[f"district:{d}"] for d in DISTRICTS)[1:2]


@pytest.mark.parametrize(
    ("offset", "limit"), [(-1, 10), (0, 0), (0, -5)], ids=["negative-offset", "zero-limit", "negative-limit"]
)
async def test_impossible_pages_are_refused(seeded: GraphStore, offset: int, limit: int) -> None:
    with pytest.raises(InvalidInputError, match=r"offset|limit"):
        await seeded.lineage(RESOLUTION, LineageDirection.down, LINEAGE_RELATIONS, 3, offset=offset, limit=limit)
    with pytest.raises(InvalidInputError, match=r"offset|limit"):
        await seeded.implementers(RESOLUTION, level=None, jurisdiction=None, max_depth=3, offset=offset, limit=limit)


async def test_implementers_through_a_chain(seeded: GraphStore) -> None:
    found = await seeded.implementers(RESOLUTION, level=Level.province, jurisdiction=None, max_depth=10)
    assert [(d.key, d.via) for d in found.items] == [(PLAN, [CONCLUSION])]
    assert (found.total, found.depth_counts, found.level_counts) == (1, {2: 1}, {"province": 1})
    assert (await seeded.implementers(RESOLUTION, level=Level.province, jurisdiction="thanh-hoa", max_depth=10)).items
    assert not (await seeded.implementers(RESOLUTION, level=Level.province, jurisdiction="nghe-an", max_depth=10)).items
    central = await seeded.implementers(RESOLUTION, level=Level.central, jurisdiction=None, max_depth=10)
    assert [(d.key, d.via) for d in central.items] == [(CONCLUSION, [])]


async def test_loading_seeds_twice_changes_nothing(seeded: GraphStore) -> None:
    before = await seeded.counts()
    assert before.documents >= 20 and before.links >= 21 and before.organizations > 100
    assert await load_seeds(seeded, units=False) == before


async def test_migrations_run_once(store: GraphStore) -> None:
    assert await store.migrate() == []


def draft(symbol: str, **fields: object) -> DocumentDraft:
    return DocumentDraft.model_validate({"symbol": symbol, **fields})


async def make_orgs(store: GraphStore) -> None:
    await load_seeds(store, units=False)


async def test_upserting_the_same_document_twice_is_idempotent(seeded: GraphStore) -> None:
    before = await seeded.counts()
    first = await seeded.upsert_documents([draft("43-KL/TW", date="2019-01-07", issuer="ban-bi-thu")])
    again = await seeded.upsert_documents([draft("43-kl/tw", date="2019-01-07", issuer="ban-bi-thu")])
    assert first[0].key == again[0].key == CONCLUSION
    assert (await seeded.counts()).documents == before.documents
    assert (await seeded.get_document(CONCLUSION)).title  # a partial re-post keeps what was known


async def test_local_series_are_scoped_by_jurisdiction(seeded: GraphStore) -> None:
    docs = await seeded.upsert_documents(
        [
            draft("02-NQ/TU", date="2015-12-30", issuer="nghe-an.btv"),
            draft("02-NQ/TU", date="2015-12-30", issuer="thanh-hoa.btv"),
        ]
    )
    assert [d.key for d in docs] == ["02-nq-tu-2015.nghe-an", "02-nq-tu-2015.thanh-hoa"]
    assert len(await keys_for(seeded, "02-NQ/TU")) == 2
    assert await keys_for(seeded, "02-NQ/TU", jurisdiction="nghe-an") == ["02-nq-tu-2015.nghe-an"]


async def test_a_stub_learns_its_date_without_changing_key(seeded: GraphStore) -> None:
    [stub] = await seeded.upsert_documents([draft("92-KH/TU", issuer="thanh-hoa.btv", stub=True)])
    [full] = await seeded.upsert_documents(
        [draft("92-KH/TU", issuer="thanh-hoa.btv", date="2018-05-02", title="Kế hoạch thực hiện Quy định 124")]
    )
    assert stub.key == full.key == "92-kh-tu.thanh-hoa"
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
    link = LinkDraft(
        source="73-kh-tu-2018.thanh-hoa",
        relation=Relation.cites,
        target=RESOLUTION,
        origin="extracted",
        evidence="trích dẫn",
        source_text_id="t1",
        span_start=3,
        span_end=9,
        confidence=0.6,
    )
    [first] = await seeded.upsert_links([link])
    [second] = await seeded.upsert_links([link])
    assert (await seeded.counts()).links == before.links + 1
    assert first == second
    assert (first.origin, first.evidence, first.span_start, first.span_end, first.confidence) == (
        "extracted",
        "trích dẫn",
        3,
        9,
        0.6,
    )
    assert first.created_at is not None
    [curated] = await seeded.upsert_links([LinkDraft(source=link.source, relation=link.relation, target=link.target)])
    assert curated.origin == "curated"


async def test_a_batch_with_an_unknown_end_writes_nothing(seeded: GraphStore) -> None:
    before = await seeded.counts()
    with pytest.raises(InvalidInputError, match="no-such-doc"):
        await seeded.upsert_links(
            [
                LinkDraft(source=PLAN, relation=Relation.cites, target="18-nq-tw-2022"),
                LinkDraft(source=PLAN, relation=Relation.cites, target="no-such-doc"),
            ]
        )
    assert await seeded.counts() == before


async def test_a_batch_with_an_unknown_issuer_writes_nothing(seeded: GraphStore) -> None:
    before = await seeded.counts()
    with pytest.raises(InvalidInputError, match="no-such-org"):
        await seeded.upsert_documents(
            [draft("1-KL/TW", date="2020-01-01", issuer="bch-tw"), draft("2-KL/TW", issuer="no-such-org")]
        )
    assert await seeded.counts() == before


async def test_local_documents_need_a_jurisdiction(store: GraphStore) -> None:
    with pytest.raises(InvalidInputError, match="jurisdiction"):
        await store.upsert_documents([draft("5-KH/TU", date="2020-01-01")])


async def test_unknown_keys_are_not_found(seeded: GraphStore) -> None:
    for call in (
        seeded.get_document("nope"),
        seeded.links("nope", LinkDirection.both, list(Relation)),
        seeded.lineage("nope", LineageDirection.down, LINEAGE_RELATIONS, 3),
        seeded.lineage_outline("nope", LineageDirection.down, LINEAGE_RELATIONS, 3),
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


async def test_lineage_without_relation_types_is_the_root_alone(store: GraphStore) -> None:
    keys = await chain(store, 3)
    alone = await store.lineage(keys[1], LineageDirection.down, [], 4)
    assert ([n.key for n in alone.nodes], alone.edges, alone.total) == ([keys[1]], [], 1)


async def test_depth_bound_is_respected(store: GraphStore) -> None:
    keys = await chain(store, 30)
    deep = await store.lineage(keys[0], LineageDirection.down, IMPLEMENTATION_RELATIONS, 25)
    assert max(n.depth for n in deep.nodes) == 25 and len(deep.nodes) == 26
    implementers = await store.implementers(keys[0], level=None, jurisdiction=None, max_depth=4)
    assert [(d.key, len(d.via)) for d in implementers.items] == [(keys[i], i - 1) for i in range(1, 5)]

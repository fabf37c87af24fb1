"""The link review contract (issue #15): ids, provenance entries, review states, write checks, views, the
queue and decisions, the same on SQLite and on Neo4j."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from graph.bulk.records import PARSERS, RecordKind
from graph.errors import InvalidInputError, NotFoundError
from graph.identity import DocumentDraft
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    Level,
    LineageDirection,
    LinkDirection,
    LinkDraft,
    Organization,
    Origin,
    Relation,
    Review,
    ReviewScope,
    View,
)
from graph.obligations import ObligationDraft, ObligationStatus
from graph.paths import PathQuery, find_paths
from graph.ports import GraphStore
from graph.review import LinkDecision, ReviewQuery
from graph.usecases.review import decide, delete

pytestmark = pytest.mark.contract

# Central conclusions, one a year: N-KL/TW of 2018 + N.
YEARS = {1: "2019-01-01", 2: "2020-01-01", 3: "2021-01-01", 4: "2022-01-01"}
KEY = {n: f"{n}-kl-tw-{date[:4]}" for n, date in YEARS.items()}
LOCAL = "5-kh-tu-2020.thanh-hoa"


async def small_graph(store: GraphStore) -> None:
    await store.upsert_organizations(
        [Organization(key="thanh-hoa", name="Thanh Hóa", kind="administrative_unit", level=Level.province)]
    )
    drafts = [DocumentDraft(symbol=f"{n}-KL/TW", date=dt.date.fromisoformat(d)) for n, d in YEARS.items()]
    drafts.append(DocumentDraft(symbol="5-KH/TU", type="Kế hoạch", date=dt.date(2020, 6, 1), jurisdiction="thanh-hoa"))
    assert [d.key for d in await store.upsert_documents(drafts)] == [*KEY.values(), LOCAL]


def extracted(source: str, relation: Relation, target: str, text: str, confidence: float = 0.5) -> LinkDraft:
    return LinkDraft(
        source=source,
        relation=relation,
        target=target,
        origin=Origin.extracted,
        evidence=f"in {text}",
        source_text_id=text,
        span_start=1,
        span_end=5,
        confidence=confidence,
    )


@pytest.fixture
async def graph(store: GraphStore) -> GraphStore:
    await small_graph(store)
    return store


async def test_a_link_has_one_id_and_an_entry_per_text(graph: GraphStore) -> None:
    [first] = await graph.upsert_links([extracted(KEY[2], Relation.implements, KEY[1], "t1")])
    assert re.fullmatch(r"[0-9a-f]{32}", first.id) and first.review == Review.proposed
    [again] = await graph.upsert_links([extracted(KEY[2], Relation.implements, KEY[1], "t1")])
    assert again == first  # the same text twice adds nothing
    [second] = await graph.upsert_links([extracted(KEY[2], Relation.implements, KEY[1], "t2", 0.9)])
    assert second.id == first.id and [p.text_id for p in second.provenance] == ["t1", "t2"]
    assert (second.source_text_id, second.confidence) == ("t1", 0.5)  # the flat fields: the first entry
    [curated] = await graph.upsert_links([LinkDraft(source=KEY[2], relation=Relation.implements, target=KEY[1])])
    assert curated.id == first.id and curated.review == Review.accepted and curated.origin == Origin.curated
    assert [p.origin for p in curated.provenance] == [Origin.curated, Origin.extracted, Origin.extracted]
    assert (await graph.get_link(first.id)).provenance == curated.provenance


@pytest.mark.parametrize(
    ("origin", "review", "expected"),
    [
        (Origin.extracted, None, Review.proposed),
        (Origin.curated, None, Review.accepted),
        (Origin.extracted, Review.accepted, Review.accepted),
        (Origin.curated, Review.rejected, Review.rejected),
    ],
)
async def test_a_new_links_review_state(
    graph: GraphStore, origin: Origin, review: Review | None, expected: Review
) -> None:
    draft = LinkDraft(source=KEY[3], relation=Relation.cites, target=KEY[1], origin=origin, review=review)
    [link] = await graph.upsert_links([draft])
    assert link.review == expected


async def test_new_evidence_for_a_rejected_link_keeps_it_rejected(graph: GraphStore) -> None:
    [link] = await graph.upsert_links([extracted(KEY[2], Relation.cites, KEY[1], "t1")])
    await graph.update_link(link.model_copy(update={"review": Review.rejected}))
    [after] = await graph.upsert_links([extracted(KEY[2], Relation.cites, KEY[1], "t2")])
    assert after.review == Review.rejected and [p.text_id for p in after.provenance] == ["t1", "t2"]


@pytest.mark.parametrize(
    ("source", "relation", "target", "message"),
    [
        (KEY[1], Relation.cites, KEY[1], "itself"),
        (KEY[1], Relation.cites, "ghost", "ghost"),
        ("ghost", Relation.cites, KEY[1], "ghost"),
        (KEY[1], Relation.implements, KEY[2], "issued before"),
        (KEY[1], Relation.repeals, KEY[4], "issued before"),
    ],
)
async def test_bad_links_are_refused_and_nothing_is_written(
    graph: GraphStore, source: str, relation: Relation, target: str, message: str
) -> None:
    before = await graph.counts()
    good = LinkDraft(source=KEY[2], relation=Relation.cites, target=KEY[1])
    with pytest.raises(InvalidInputError, match=message):
        await graph.upsert_links([good, LinkDraft(source=source, relation=relation, target=target)])
    assert await graph.counts() == before


@pytest.mark.parametrize(("relation", "flagged"), [(Relation.implements, True), (Relation.cites, False)])
async def test_a_forced_link_is_flagged_when_out_of_order(graph: GraphStore, relation: Relation, flagged: bool) -> None:
    [link] = await graph.upsert_links([LinkDraft(source=KEY[1], relation=relation, target=KEY[2], force=True)])
    assert link.flagged is flagged


async def chain_with_states(store: GraphStore) -> dict[str, str]:
    """4 implements 3 (accepted), 3 implements 2 (proposed), 2 implements 1 (rejected), 4 cites 1 (proposed)."""
    links = await store.upsert_links(
        [
            LinkDraft(source=KEY[4], relation=Relation.implements, target=KEY[3]),
            extracted(KEY[3], Relation.implements, KEY[2], "t1"),
            extracted(KEY[2], Relation.implements, KEY[1], "t1"),
            extracted(KEY[4], Relation.cites, KEY[1], "t1"),
        ]
    )
    await store.update_link(links[2].model_copy(update={"review": Review.rejected}))
    return {"4-3": links[0].id, "3-2": links[1].id, "2-1": links[2].id, "4c1": links[3].id}


@pytest.mark.parametrize(
    ("view", "down_from_2", "down_from_3"),
    [
        (View(), set(), {KEY[4]}),
        (View(review=ReviewScope.accepted), set(), {KEY[4]}),
        (View(as_of=dt.date(2021, 6, 1)), set(), set()),
    ],
)
async def test_lineage_and_implementers_see_only_what_the_view_shows(
    graph: GraphStore, view: View, down_from_2: set[str], down_from_3: set[str]
) -> None:
    await chain_with_states(graph)
    lineage = await graph.lineage(KEY[2], LineageDirection.down, IMPLEMENTATION_RELATIONS, 5, view=view)
    expected_2 = ({KEY[3]} | down_from_3) if view.review == ReviewScope.not_rejected else set()
    assert {n.key for n in lineage.nodes} - {KEY[2]} == expected_2
    assert all(e.review != Review.rejected for e in lineage.edges)
    implementers = await graph.implementers(KEY[1], level=None, jurisdiction=None, max_depth=5, view=view)
    assert {d.key for d in implementers.items} == down_from_2  # 2 implements 1 is rejected: nothing reaches 1
    up = await graph.lineage(KEY[3], LineageDirection.down, IMPLEMENTATION_RELATIONS, 5, view=view)
    assert {n.key for n in up.nodes} - {KEY[3]} == down_from_3


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (View(), {("cites", KEY[1]), ("implements", KEY[3])}),
        (View(review=ReviewScope.accepted), {("implements", KEY[3])}),
    ],
)
async def test_links_see_only_what_the_view_shows(graph: GraphStore, view: View, expected: set[Any]) -> None:
    await chain_with_states(graph)
    found = await graph.links(KEY[4], LinkDirection.out, list(Relation), view=view)
    assert {(link.relation.value, link.target) for link in found} == expected
    assert {link.review for link in found} <= {Review.accepted, Review.proposed}


async def test_as_of_hides_later_documents_and_their_links(graph: GraphStore) -> None:
    await chain_with_states(graph)
    past = View(as_of=dt.date(2021, 12, 31))
    assert {link.source for link in await graph.links(KEY[3], LinkDirection.both, list(Relation), view=past)} == {
        KEY[3]
    }
    with pytest.raises(NotFoundError):
        await graph.links(KEY[4], LinkDirection.both, list(Relation), view=past)
    assert (await find_paths(graph, KEY[3], KEY[4], PathQuery(max_length=3, k=3))).paths != []
    with pytest.raises(NotFoundError):
        await find_paths(graph, KEY[3], KEY[4], PathQuery(max_length=3, k=3, view=past))


async def test_paths_never_cross_a_rejected_link(graph: GraphStore) -> None:
    await chain_with_states(graph)
    [path] = (await find_paths(graph, KEY[2], KEY[1], PathQuery(max_length=4, k=3))).paths
    assert [n.key for n in path.nodes] == [KEY[2], KEY[3], KEY[4], KEY[1]]
    accepted = PathQuery(max_length=4, k=3, view=View(review=ReviewScope.accepted))
    assert (await find_paths(graph, KEY[2], KEY[1], accepted)).paths == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ReviewQuery(), ["low", "mid", "high"]),
        (ReviewQuery(confidence_below=0.6), ["low", "mid"]),
        (ReviewQuery(relation=Relation.cites), ["mid"]),
        (ReviewQuery(jurisdiction="thanh-hoa"), ["low"]),
        (ReviewQuery(text="t2"), ["high"]),
        (ReviewQuery(review=Review.accepted), ["curated"]),
    ],
)
async def test_the_queue_filters_and_orders(graph: GraphStore, query: ReviewQuery, expected: list[str]) -> None:
    links = await graph.upsert_links(
        [
            extracted(LOCAL, Relation.implements, KEY[1], "t1", 0.2),
            extracted(KEY[3], Relation.cites, KEY[1], "t1", 0.5),
            extracted(KEY[4], Relation.implements, KEY[2], "t2", 0.9),
            LinkDraft(source=KEY[4], relation=Relation.based_on, target=KEY[1]),
        ]
    )
    names = dict(zip((link.id for link in links), ["low", "mid", "high", "curated"], strict=True))
    assert [names[link.id] for link in await graph.review_queue(query)] == expected
    second_page = await graph.review_queue(query, offset=1, limit=1)
    assert [names[link.id] for link in second_page] == expected[1:2]


async def test_a_correction_rejects_the_link_and_accepts_its_successor(graph: GraphStore) -> None:
    [wrong] = await graph.upsert_links([extracted(KEY[3], Relation.cites, KEY[1], "t1")])
    decided = await decide(graph, wrong.id, LinkDecision(relation=Relation.implements, target=KEY[2]))
    assert decided.corrected is not None and decided.after.corrected_to == decided.corrected.id
    assert decided.after.review == Review.rejected and decided.corrected.review == Review.accepted
    assert (decided.corrected.relation, decided.corrected.target) == (Relation.implements, KEY[2])
    assert [p.text_id for p in decided.corrected.provenance] == ["t1"]
    assert (await graph.get_link(wrong.id)).review == Review.rejected


async def test_a_correction_to_an_existing_link_accepts_it_with_the_provenance(graph: GraphStore) -> None:
    [existing, wrong] = await graph.upsert_links(
        [extracted(KEY[3], Relation.implements, KEY[2], "t1"), extracted(KEY[3], Relation.cites, KEY[2], "t2")]
    )
    decided = await decide(graph, wrong.id, LinkDecision(relation=Relation.implements))
    assert decided.corrected is not None and decided.corrected.id == existing.id
    assert decided.corrected.review == Review.accepted
    assert [p.text_id for p in decided.corrected.provenance] == ["t1", "t2"]


@pytest.mark.parametrize(("review"), [Review.accepted, Review.rejected])
async def test_accept_or_reject(graph: GraphStore, review: Review) -> None:
    [link] = await graph.upsert_links([extracted(KEY[3], Relation.cites, KEY[2], "t1")])
    decided = await decide(graph, link.id, LinkDecision.model_validate({"review": review}))
    assert (decided.before.review, decided.after.review) == (Review.proposed, review)
    assert decided.after.provenance == link.provenance


async def test_delete_and_unknown_ids(graph: GraphStore) -> None:
    [link] = await graph.upsert_links([extracted(KEY[3], Relation.cites, KEY[2], "t1")])
    assert (await delete(graph, link.id)).id == link.id
    for call in (graph.get_link(link.id), graph.delete_link(link.id), delete(graph, link.id)):
        with pytest.raises(NotFoundError, match=link.id):
            await call


async def test_bulk_import_gives_ids_and_accepts(graph: GraphStore) -> None:
    line = {"source": KEY[2], "relation": "cites", "target": KEY[1], "origin": "extracted", "source_text_id": "t9"}
    rows = [PARSERS[RecordKind.links](json.dumps(line | {"confidence": 0.4}).encode())]
    await graph.import_links(rows)
    [link] = await graph.links(KEY[2], LinkDirection.out, list(Relation))
    assert re.fullmatch(r"[0-9a-f]{32}", link.id) and link.review == Review.accepted
    assert [(p.origin, p.text_id) for p in link.provenance] == [(Origin.extracted, "t9")]
    await graph.import_links(rows)
    [again] = await graph.links(KEY[2], LinkDirection.out, list(Relation))
    assert again.id == link.id


@pytest.mark.parametrize(
    ("decision", "then_proposed", "then_curated"),
    [
        (ObligationStatus.accepted, ObligationStatus.accepted, ObligationStatus.accepted),
        (ObligationStatus.rejected, ObligationStatus.rejected, ObligationStatus.accepted),
        (ObligationStatus.proposed, ObligationStatus.proposed, ObligationStatus.accepted),
    ],
)
async def test_obligations_take_the_same_three_words(
    graph: GraphStore, decision: ObligationStatus, then_proposed: ObligationStatus, then_curated: ObligationStatus
) -> None:
    proposed = ObligationDraft(document=KEY[1], level=Level.province, status=ObligationStatus.proposed)
    [stored] = await graph.upsert_obligations([proposed])
    decided = await graph.review_obligation(KEY[1], stored.id, decision)
    assert decided.status == decision
    [again] = await graph.upsert_obligations([proposed])  # extracted again: the decision stands
    assert again.status == then_proposed
    curated = ObligationDraft.model_validate(proposed.model_dump() | {"status": "confirmed"})
    [accepted] = await graph.upsert_obligations([curated])
    assert accepted.status == then_curated == ObligationStatus.confirmed

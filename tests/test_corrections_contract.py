"""Corrections of documents, the same assertions on SQLite and on Neo4j (graph.usecases.corrections)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import pytest
from pydantic import ValidationError

from graph.errors import InvalidInputError, NotFoundError
from graph.identity import DocumentDraft
from graph.keys import Change, ChangeStatus, new_change
from graph.models import (
    Document,
    DocumentFilter,
    EffectStatus,
    Level,
    Link,
    LinkDirection,
    LinkDraft,
    Organization,
    Relation,
    SourceText,
    StatusSource,
)
from graph.obligations import ObligationDraft
from graph.ports import GraphStore
from graph.usecases.corrections import (
    CommitChange,
    DocumentPatch,
    KeyTakenError,
    delete_document,
    merge_documents,
    patch_document,
)

pytestmark = pytest.mark.contract

CONCLUSION = "43-kl-tw-2019"  # 43-KL/TW: implemented by the plan, based on the resolution
RESOLUTION = "25-nq-tw-2013"
PLAN = "138-kh-tu-2019.thanh-hoa"
UNITS = [
    Organization(key=key, name=name, kind="administrative_unit", level=Level.province)
    for key, name in (("thanh-hoa", "Thanh Hóa"), ("nghe-an", "Nghệ An"))
]


def draft(symbol: str, day: dt.date, **fields: object) -> DocumentDraft:
    return DocumentDraft.model_validate({"symbol": symbol, "date": day, **fields})


@pytest.fixture
async def graph(store: GraphStore) -> GraphStore:
    """Three documents: the plan implements the conclusion, which is based on the resolution."""
    await store.upsert_organizations(UNITS)
    await store.upsert_documents(
        [
            draft("43-KL/TW", dt.date(2019, 1, 7)),
            draft("25-NQ/TW", dt.date(2013, 10, 9), title="Về công tác dân vận"),
            draft("138-KH/TU", dt.date(2019, 3, 27), jurisdiction="thanh-hoa", level=Level.province),
        ]
    )
    await store.upsert_links(
        [
            LinkDraft(source=PLAN, relation=Relation.implements, target=CONCLUSION),
            LinkDraft(
                source=CONCLUSION,
                relation=Relation.based_on,
                target=RESOLUTION,
                source_text_id="t-43",
                span_start=10,
                span_end=18,
            ),
        ]
    )
    return store


def logged(store: GraphStore) -> CommitChange:
    """A commit that writes a committed change-log entry, as the API does."""

    async def commit(keys: list[str], before: list[Document], after: list[Document]) -> None:
        change = new_change("test-key", "TEST", "/documents")
        records = {
            side: [d.model_dump(mode="json") for d in docs] for side, docs in (("before", before), ("after", after))
        }
        done = {"keys": keys, **records, "status": ChangeStatus.committed}
        await store.put_change(change.model_copy(update=done))

    return commit


def ends(links: Sequence[Link]) -> set[tuple[str, str, str]]:
    return {(link.source, link.relation.value, link.target) for link in links}


async def keys_of(store: GraphStore, symbol: str) -> list[str]:
    return [d.key for d in await store.find_documents(DocumentFilter(symbol=symbol))]


async def test_new_symbol_moves_the_document_and_everything_on_it(graph: GraphStore) -> None:
    await graph.put_text(SourceText(id="t-43", text="Kết luận 43", document_key=CONCLUSION))
    await graph.upsert_obligations([ObligationDraft(document=CONCLUSION, level=Level.province)])
    links_before = await graph.links(CONCLUSION, LinkDirection.both, list(Relation))
    moved = await patch_document(graph, CONCLUSION, DocumentPatch(symbol="44-KL/TW"), logged(graph))
    assert moved.key == "44-kl-tw-2019" and moved.symbol == "44-KL/TW" and moved.number == "44"
    with pytest.raises(NotFoundError):
        await graph.get_document(CONCLUSION)
    links_after = await graph.links(moved.key, LinkDirection.both, list(Relation))
    assert ends(links_after) == {(PLAN, "implements", moved.key), (moved.key, "based_on", RESOLUTION)}
    assert sorted(x.created_at for x in links_after) == sorted(x.created_at for x in links_before)  # type: ignore[type-var]
    assert [link.id for link in links_after] == [link.id for link in links_before]
    assert await keys_of(graph, "44-KL/TW") == [moved.key] and await keys_of(graph, "43-KL/TW") == []
    assert (await graph.get_text("t-43")).document_key == moved.key
    assert [o.document for o in await graph.list_obligations()] == [moved.key]
    assert await graph.redirect_target(CONCLUSION) == moved.key


@pytest.mark.parametrize(
    ("renames", "expected"),
    [
        (["44-KL/TW"], {CONCLUSION: "44-kl-tw-2019", "44-kl-tw-2019": None}),
        (["44-KL/TW", "45-KL/TW"], {CONCLUSION: "45-kl-tw-2019", "44-kl-tw-2019": "45-kl-tw-2019"}),
        (["44-KL/TW", "43-KL/TW"], {CONCLUSION: None, "44-kl-tw-2019": CONCLUSION}),
        (["44-KL/TW", "45-KL/TW", "43-KL/TW"], {"44-kl-tw-2019": CONCLUSION, "45-kl-tw-2019": CONCLUSION}),
    ],
)
async def test_renames_redirect_to_the_last_key_without_loops(
    graph: GraphStore, renames: list[str], expected: dict[str, str | None]
) -> None:
    key = CONCLUSION
    for symbol in renames:
        key = (await patch_document(graph, key, DocumentPatch(symbol=symbol), logged(graph))).key
    for old, new in expected.items():
        assert await graph.redirect_target(old) == new, old
    assert await graph.redirect_target("no-such-key") is None


@pytest.mark.parametrize(
    ("key", "patch", "new_key"),
    [
        (PLAN, {"jurisdiction": "nghe-an"}, "138-kh-tu-2019.nghe-an"),
        (PLAN, {"date": "2020-01-02"}, "138-kh-tu-2020.thanh-hoa"),
        (CONCLUSION, {"date": None, "year": 2018}, "43-kl-tw-2018"),
        (CONCLUSION, {"title": "Về tiếp tục đổi mới"}, CONCLUSION),
    ],
)
async def test_scope_and_year_give_a_new_key_other_fields_do_not(
    graph: GraphStore, key: str, patch: dict[str, object], new_key: str
) -> None:
    after = await patch_document(graph, key, DocumentPatch.model_validate(patch), logged(graph))
    assert after.key == new_key and await graph.get_document(new_key) == after


async def test_a_status_given_by_hand_is_curated(graph: GraphStore) -> None:
    after = await patch_document(graph, CONCLUSION, DocumentPatch(status=EffectStatus.in_force), logged(graph))
    stored = await graph.get_document(CONCLUSION)
    assert (after.status, after.status_source) == (stored.status, stored.status_source)
    assert (stored.status, stored.status_source) == (EffectStatus.in_force, StatusSource.curated)


@pytest.mark.parametrize(
    ("patch", "error"),
    [
        ({"symbol": "not a symbol"}, ValidationError),
        ({"effective_from": "2020-01-01", "effective_to": "2019-01-01"}, ValidationError),
        ({"year": 2017}, InvalidInputError),  # the date says 2019
        ({"issuer": "no-such-body"}, InvalidInputError),
        ({"jurisdiction": "nowhere", "level": "province"}, InvalidInputError),
    ],
)
async def test_invalid_patches_change_nothing(graph: GraphStore, patch: dict[str, object], error: type) -> None:
    before = await graph.get_document(CONCLUSION)
    with pytest.raises(error):
        await patch_document(graph, CONCLUSION, DocumentPatch.model_validate(patch), logged(graph))
    assert await graph.get_document(CONCLUSION) == before
    assert await graph.list_changes(since=None, after=None, limit=10) == []


async def test_taking_another_documents_key_is_a_conflict_naming_it(graph: GraphStore) -> None:
    with pytest.raises(KeyTakenError, match=RESOLUTION):
        await patch_document(
            graph, CONCLUSION, DocumentPatch(symbol="25-NQ/TW", date=dt.date(2013, 1, 1)), logged(graph)
        )
    assert (await graph.get_document(CONCLUSION)).symbol == "43-KL/TW"


async def test_a_failing_change_log_rolls_the_correction_back(graph: GraphStore) -> None:
    async def refuse(keys: list[str], before: list[Document], after: list[Document]) -> None:
        raise RuntimeError("the change log refused")

    with pytest.raises(RuntimeError):
        await patch_document(graph, CONCLUSION, DocumentPatch(symbol="44-KL/TW"), refuse)
    assert (await graph.get_document(CONCLUSION)).symbol == "43-KL/TW"
    assert await graph.redirect_target(CONCLUSION) is None
    with pytest.raises(NotFoundError):
        await graph.get_document("44-kl-tw-2019")


@pytest.mark.parametrize(
    ("key", "stub", "links_left"),
    [
        (CONCLUSION, True, {(PLAN, "implements", CONCLUSION)}),  # the plan implements it: a stub stays
        (PLAN, False, {(CONCLUSION, "based_on", RESOLUTION)}),  # nothing cites the plan
    ],
)
async def test_delete_leaves_a_stub_only_where_others_link(
    graph: GraphStore, key: str, stub: bool, links_left: set[tuple[str, str, str]]
) -> None:
    before = await graph.get_document(key)
    kept = await delete_document(graph, key, logged(graph))
    remaining = set()
    for doc in (CONCLUSION, RESOLUTION, PLAN):
        if doc != key or stub:
            remaining |= ends(await graph.links(doc, LinkDirection.both, list(Relation)))
    assert remaining == links_left
    if stub:
        stored = await graph.get_document(key)
        assert kept == stored and stored.stub and (stored.symbol, stored.year) == (before.symbol, before.year)
        assert (stored.date, stored.level, stored.title) == (None, None, None)
        assert await keys_of(graph, before.symbol) == [key]
    else:
        assert kept is None
        with pytest.raises(NotFoundError):
            await graph.get_document(key)
    with pytest.raises(NotFoundError):
        await delete_document(graph, "no-such-key", logged(graph))


async def test_merge_moves_spellings_links_and_fills_empty_fields(graph: GraphStore) -> None:
    await graph.upsert_documents([draft("430-KL/TW", dt.date(2019, 1, 7), title="Về tiếp tục đổi mới")])
    duplicate = "430-kl-tw-2019"
    await graph.upsert_links(
        [
            LinkDraft(source=duplicate, relation=Relation.based_on, target=RESOLUTION, evidence="căn cứ"),
            LinkDraft(source=PLAN, relation=Relation.cites, target=duplicate),
            LinkDraft(source=duplicate, relation=Relation.cites, target=CONCLUSION),
        ]
    )
    merged = await merge_documents(graph, CONCLUSION, duplicate, logged(graph))
    assert merged.title == "Về tiếp tục đổi mới" and "430-KL/TW" in merged.aliases
    assert await graph.get_document(CONCLUSION) == merged
    assert await keys_of(graph, "430-KL/TW") == [CONCLUSION]
    links = await graph.links(CONCLUSION, LinkDirection.both, list(Relation))
    assert ends(links) == {
        (PLAN, "implements", CONCLUSION),
        (PLAN, "cites", CONCLUSION),
        (CONCLUSION, "based_on", RESOLUTION),
    }
    [based_on] = [link for link in links if link.relation == Relation.based_on]
    assert (based_on.source_text_id, based_on.evidence) == ("t-43", "căn cứ")  # the kept link, filled in
    assert await graph.redirect_target(duplicate) == CONCLUSION
    with pytest.raises(NotFoundError):
        await graph.get_document(duplicate)


@pytest.mark.parametrize(
    ("key", "duplicate", "error"),
    [
        (CONCLUSION, CONCLUSION, InvalidInputError),
        (CONCLUSION, "nope", InvalidInputError),
        ("nope", PLAN, NotFoundError),
    ],
)
async def test_merge_refusals(graph: GraphStore, key: str, duplicate: str, error: type) -> None:
    with pytest.raises(error):
        await merge_documents(graph, key, duplicate, logged(graph))


async def test_the_change_log_keeps_before_and_after(graph: GraphStore) -> None:
    before = await graph.get_document(CONCLUSION)
    after = await patch_document(graph, CONCLUSION, DocumentPatch(symbol="44-KL/TW"), logged(graph))
    await delete_document(graph, PLAN, logged(graph))
    changes: list[Change] = await graph.list_changes(since=None, after=None, limit=10)
    assert [(c.keys, c.before, c.after) for c in changes] == [
        (sorted([CONCLUSION, after.key]), [before.model_dump(mode="json")], [after.model_dump(mode="json")]),
        ([PLAN], [changes[1].before[0]], []),
    ]
    assert changes[1].before[0]["key"] == PLAN and all(c.status == ChangeStatus.committed for c in changes)


async def test_links_from_text(graph: GraphStore) -> None:
    [link] = await graph.links_from_text("t-43")
    assert (link.source, link.target, link.span_start, link.span_end) == (CONCLUSION, RESOLUTION, 10, 18)
    assert await graph.links_from_text("no-such-text") == []


async def serialized_everywhere(store: GraphStore) -> list[str]:
    """The keys of every stored document, after asserting that the JSON lists carry each as its serialization."""
    documents = await store.find_documents(DocumentFilter(), limit=100)
    texts = await store.find_documents_json(DocumentFilter(), limit=100)
    assert [json.loads(text) for text in texts] == [d.model_dump(mode="json") for d in documents]
    return [d.key for d in documents]


async def test_every_correction_keeps_the_listed_json_the_documents(graph: GraphStore) -> None:
    """Renames, edits, curated statuses, merges and deletes: the embedded store writes each document's JSON as
    the document is written (migration V0028), so a list after each must still carry every document as it is."""
    await graph.upsert_documents([draft("430-KL/TW", dt.date(2019, 1, 7), title="Về tiếp tục đổi mới")])
    await graph.upsert_links([LinkDraft(source=PLAN, relation=Relation.cites, target="430-kl-tw-2019")])
    steps = [
        lambda: patch_document(graph, CONCLUSION, DocumentPatch(symbol="44-KL/TW"), logged(graph)),
        lambda: patch_document(graph, RESOLUTION, DocumentPatch(title='Về "dân vận" \\ mới'), logged(graph)),
        lambda: patch_document(graph, PLAN, DocumentPatch(status=EffectStatus.expired), logged(graph)),
        lambda: merge_documents(graph, "44-kl-tw-2019", "430-kl-tw-2019", logged(graph)),
        lambda: delete_document(graph, RESOLUTION, logged(graph)),  # cited: left as a stub
        lambda: delete_document(graph, PLAN, logged(graph)),
    ]
    seen = [await serialized_everywhere(graph)]
    for step in steps:
        await step()
        seen.append(await serialized_everywhere(graph))
    assert seen[0] == sorted([CONCLUSION, RESOLUTION, PLAN, "430-kl-tw-2019"], key=seen[0].index)
    assert "44-kl-tw-2019" in seen[1] and CONCLUSION not in seen[1]
    assert "430-kl-tw-2019" not in seen[4] and RESOLUTION in seen[5] and PLAN not in seen[6]
    stub = await graph.get_document(RESOLUTION)
    assert stub.stub and stub.title is None

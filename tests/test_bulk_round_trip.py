"""Bulk round trips on both stores keep every field of a link (id, review state, partial, flagged, corrected_to,
provenance), and an import refuses a link id that names another link."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.bulk import BulkInputError, ExportFormat, RecordKind
from graph.errors import NotFoundError
from graph.models import EffectStatus, Link, LinkDirection, LinkDraft, Origin, Relation, Review
from graph.ports import GraphStore
from graph.review import ReviewQuery
from graph.synth import synthesize
from graph.usecases.bulk_export import run_export
from graph.usecases.bulk_import import run_import
from tests.conftest import open_store

pytestmark = pytest.mark.contract

# Documents of the small synthetic graph (seed 3), newer and older.
NEWER, OLDER = "1-kh-ubnd-2019.bac-lieu.d10", "1-kh-tu-2018.an-giang"
CENTRAL, PLAN, PROVINCE = "1-nq-tw-2018", "1-kh-hu-2019.bac-kan.d04", "1-kh-tu-2018.bac-lieu"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 synthetic documents with only the organizations they name (and those organizations' parents)."""
    out = tmp_path_factory.mktemp("small")
    synthesize(out, 60, seed=3)
    organizations = {o["key"]: o for o in map(json.loads, lines(out / "organizations.ndjson"))}
    named = [k for d in map(json.loads, lines(out / "documents.ndjson")) for k in (d["issuer"], d["jurisdiction"])]
    kept: dict[str, dict[str, Any]] = {}
    for key in named:
        while key in organizations and key not in kept:
            kept[key] = organizations[key]
            key = organizations[key].get("parent")
    (out / "organizations.ndjson").write_text(
        "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in kept.values()), encoding="utf-8"
    )
    return out


async def with_review_states(store: GraphStore) -> dict[str, Link]:
    """Links written by the ordinary path in every state an export carries, by name."""
    [repeal] = await store.upsert_links(
        [LinkDraft(source=NEWER, relation=Relation.repeals, target=OLDER, partial=True)]
    )
    [flagged] = await store.upsert_links(
        [LinkDraft(source=CENTRAL, relation=Relation.implements, target=NEWER, force=True)]
    )
    [rejected] = await store.upsert_links(
        [LinkDraft(source=NEWER, relation=Relation.cites, target=CENTRAL, review=Review.rejected)]
    )
    corrected = await store.update_link(rejected.model_copy(update={"corrected_to": repeal.id}))
    stated = [
        LinkDraft(
            source=PLAN,
            relation=Relation.based_on,
            target=PROVINCE,
            origin=Origin.extracted,
            source_text_id=text,
            evidence=f"Căn cứ Kế hoạch số 1-KH/TU ({text})",
            confidence=confidence,
        )
        for text, confidence in (("text-a", 0.6), ("text-b", 0.8))
    ]
    await store.upsert_links(stated[:1])
    [sourced] = await store.upsert_links(stated[1:])
    return {"repeal": repeal, "flagged": flagged, "rejected": corrected, "sourced": sourced}


def exported(directory: Path, fmt: ExportFormat) -> dict[str, list[dict[str, Any]]]:
    """An export's records by kind, as NDJSON reads them."""
    return {
        kind.value: [json.loads(line) for line in lines(directory / f"{kind.value}.{fmt.value}")] for kind in RecordKind
    }


@pytest.mark.parametrize("fmt", [ExportFormat.ndjson, ExportFormat.csv])
async def test_export_then_import_into_a_fresh_store_keeps_every_link_field(
    store: GraphStore, small_graph: Path, tmp_path: Path, fmt: ExportFormat
) -> None:
    await run_import(store, small_graph)
    made = await with_review_states(store)
    assert (made["sourced"].review, len(made["sourced"].provenance), made["flagged"].flagged) == (
        Review.proposed,
        2,
        True,
    )
    read = {name: await store.get_link(link.id) for name, link in made.items()}
    await run_export(store, fmt, tmp_path / "out")
    await run_export(store, ExportFormat.ndjson, tmp_path / "before")
    again = await open_store(store.kind, tmp_path / "again")  # Neo4j: the same database, wiped
    try:
        await run_import(again, tmp_path / "out")
        await run_export(again, ExportFormat.ndjson, tmp_path / "after")
        assert exported(tmp_path / "after", ExportFormat.ndjson) == exported(tmp_path / "before", ExportFormat.ndjson)
        for name, link in read.items():
            assert await again.get_link(link.id) == link, name
        rejected = made["rejected"]
        assert rejected.corrected_to == made["repeal"].id
        shown = await again.links(rejected.source, LinkDirection.out, list(Relation))
        assert rejected.id not in {link.id for link in shown}  # rejected: out of the default view
        older = await again.get_document(OLDER)
        assert (older.status, older.status_links) == (EffectStatus.partly_repealed, [made["repeal"].id])
        queued = await again.review_queue(ReviewQuery(review=Review.proposed, text="text-b"))
        assert [link.id for link in queued] == [made["sourced"].id]  # a text of its second entry
    finally:
        await again.close()


def link_line(source: str, target: str, **fields: Any) -> str:
    return json.dumps({"source": source, "relation": "cites", "target": target} | fields) + "\n"


TAKEN_IDS = [
    pytest.param(100, False, 2, id="twice-in-one-batch"),
    pytest.param(1, False, 2, id="twice-across-batches"),
    pytest.param(100, True, 1, id="already-stored"),
]


@pytest.mark.parametrize(("batch", "stored_first", "line"), TAKEN_IDS)
async def test_an_id_that_names_another_link_is_refused_at_its_line(
    store: GraphStore, small_graph: Path, tmp_path: Path, batch: int, stored_first: bool, line: int
) -> None:
    await run_import(store, small_graph / "organizations.ndjson")
    await run_import(store, small_graph / "documents.ndjson")
    link_id = "a1" * 16
    first = link_line(NEWER, CENTRAL, id=link_id)
    if stored_first:
        (tmp_path / "links-first.ndjson").write_text(first, encoding="utf-8")
        await run_import(store, tmp_path / "links-first.ndjson")
    given = [link_line(NEWER, CENTRAL, id=link_id), link_line(PLAN, PROVINCE, id=link_id)]
    path = tmp_path / "links.ndjson"
    path.write_text("".join(given[1:] if stored_first else given), encoding="utf-8")
    before = await store.counts()
    with pytest.raises(BulkInputError) as failure:
        await run_import(store, path, batch_size=batch)
    assert (failure.value.path, failure.value.line) == (path, line)
    assert link_id in str(failure.value) and f"{PLAN} cites {PROVINCE}" in str(failure.value)
    counts = await store.counts()
    assert counts.links == before.links + (1 if batch == 1 else 0)  # the batches before it are kept
    assert [link.id for link in await store.links(PLAN, LinkDirection.out, [Relation.cites])] == []


async def test_a_stored_link_keeps_its_id_and_a_repeat_with_its_id_is_no_conflict(
    store: GraphStore, small_graph: Path, tmp_path: Path
) -> None:
    await run_import(store, small_graph / "organizations.ndjson")
    await run_import(store, small_graph / "documents.ndjson")
    kept, other = "b2" * 16, "c3" * 16
    path = tmp_path / "links.ndjson"
    path.write_text(link_line(NEWER, CENTRAL, id=kept) + link_line(NEWER, CENTRAL, id=kept, confidence=0.7), "utf-8")
    await run_import(store, path, batch_size=1)
    path.write_text(link_line(NEWER, CENTRAL, id=other, review="rejected", confidence=0.5), encoding="utf-8")
    await run_import(store, path, restart=True)
    stored = await store.get_link(kept)
    assert (stored.review, stored.confidence) == (Review.rejected, 0.5)  # the rest is the input's
    with pytest.raises(NotFoundError):
        await store.get_link(other)

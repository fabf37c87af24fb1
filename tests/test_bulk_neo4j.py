"""Bulk import into Neo4j: the first load stores what the merging path stores, link ends are found by element
id, a missing end is named by its line, and a killed import resumes without duplicates."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from graph.bulk import BulkInputError, RecordKind
from graph.identity import ResolvedDocument
from graph.models import Document, Relation
from graph.stores.neo4j import Neo4jStore
from graph.stores.neo4j.bulk import CREATE_DOCUMENTS, CREATE_LINKS, DOCUMENT_PROPERTIES, ELEMENT_IDS, IMPORT_LINKS
from graph.stores.neo4j.rows import document_props as _document_props
from graph.synth import synthesize
from graph.usecases.bulk_import import run_import
from tests.conftest import neo4j_settings, plan_operators

pytestmark = [pytest.mark.contract, pytest.mark.neo4j]

ROOT = Path(__file__).resolve().parent.parent
LEXGRAPH = ROOT / ".venv" / "bin" / "lexgraph"
DOCUMENTS = 1_200

# Everything the import writes, as comparable rows; created_at is the time of the write unless given, a
# link's id is random, and migrations are the store's own.
STORED_NODES = """
MATCH (n) WHERE NOT n:Migration
RETURN labels(n) AS labels, n {.*, created_at: null} AS props
ORDER BY labels, coalesce(n.key, n.source)
"""
STORED_RELATIONSHIPS = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, a.key AS source, b.key AS target, r {.*, created_at: null, id: null} AS props
ORDER BY source, type, target
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national")
    synthesize(out, DOCUMENTS, seed=5)
    return out


async def stored_graph(store: Neo4jStore) -> dict[str, list[dict[str, Any]]]:
    return {
        "nodes": [r.data() for r in await store.db.read(STORED_NODES)],
        "relationships": [r.data() for r in await store.db.read(STORED_RELATIONSHIPS)],
    }


async def wipe(store: Neo4jStore) -> None:
    await store.db.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")


def without_first_load(store: Neo4jStore) -> None:
    """The ordinary path: every document and link merged, as into a store that already holds some."""
    store.begin_import = lambda kind: asyncio.sleep(0)  # type: ignore[method-assign]


async def test_first_load_stores_what_the_merging_path_stores(neo4j: Neo4jStore, synthetic: Path) -> None:
    await run_import(neo4j, synthetic, batch_size=900)
    first = await stored_graph(neo4j)
    assert {label for row in first["nodes"] for label in row["labels"]} >= {"Document", "SymbolKey", "Organization"}
    assert {row["type"] for row in first["relationships"]} >= {"IMPLEMENTS", "CITES", "SPELLS", "PART_OF"}

    await wipe(neo4j)
    without_first_load(neo4j)
    await run_import(neo4j, synthetic, batch_size=900)
    assert await stored_graph(neo4j) == first


async def test_reimport_over_a_first_load_changes_nothing(neo4j: Neo4jStore, synthetic: Path) -> None:
    await run_import(neo4j, synthetic, batch_size=900)
    first = await stored_graph(neo4j)
    again = await run_import(neo4j, synthetic, batch_size=700, restart=True)
    assert again.written[RecordKind.links] == len((synthetic / "links.ndjson").read_text().splitlines())
    assert await stored_graph(neo4j) == first


LINK_PROPERTIES = [
    pytest.param(
        {
            "origin": "extracted",
            "evidence": "Căn cứ Kế hoạch số 12-KH/TU",
            "source_text_id": "ab12",
            "span_start": 3,
            "span_end": 29,
            "confidence": 0.75,
            "created_at": "2024-05-06T07:08:09.010000+00:00",
        },
        {
            "origin": "extracted",
            "evidence": "Căn cứ Kế hoạch số 12-KH/TU",
            "source_text_id": "ab12",
            "span_start": 3,
            "span_end": 29,
            "confidence": 0.75,
            "created_at": "2024-05-06T07:08:09.010000Z",  # as the store writes every time
        },
        id="every-field",
    ),
    pytest.param({}, {"origin": "curated", "confidence": 1.0}, id="defaults"),
    pytest.param(
        {"origin": "extracted", "evidence": None, "span_start": None, "confidence": 0.5},
        {"origin": "extracted", "confidence": 0.5},
        id="nulls-left-unset",
    ),
]


@pytest.mark.parametrize(("given", "stored"), LINK_PROPERTIES)
@pytest.mark.parametrize("path", ["first-load", "merge"])
async def test_link_properties_stored_as_given_and_replaced_on_reimport(
    neo4j: Neo4jStore, synthetic: Path, tmp_path: Path, given: dict[str, Any], stored: dict[str, Any], path: str
) -> None:
    documents = [json.loads(line) for line in (synthetic / "documents.ndjson").read_text(encoding="utf-8").splitlines()]
    (tmp_path / "documents.ndjson").write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in documents[:3]) + "\n", encoding="utf-8"
    )
    await run_import(neo4j, tmp_path / "documents.ndjson")
    if path == "merge":
        without_first_load(neo4j)
    ends = {"source": documents[1]["key"], "relation": "based_on", "target": documents[0]["key"]}
    richer = {
        "origin": "extracted",
        "evidence": "Thực hiện Nghị quyết",
        "span_start": 1,
        "span_end": 9,
        "confidence": 0.9,
    }
    links = tmp_path / "links.ndjson"
    ids = []
    for line in (ends | richer, ends | given):  # the second import replaces every property of the first
        links.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
        await run_import(neo4j, links, restart=True)
        [record] = await neo4j.db.read("MATCH ()-[r:BASED_ON]->() RETURN properties(r) AS props")
        ids.append(record["props"].pop("id"))
    props = record["props"]
    assert re.fullmatch(r"[0-9a-f]{32}", ids[0]) and ids[1] == ids[0]  # but its id, given once
    assert props.pop("review") == "accepted"
    written_at = props.pop("created_at")
    assert written_at == stored.get("created_at", written_at) and written_at.startswith("20")
    assert props == {name: value for name, value in stored.items() if name != "created_at"}


QUERIES = [
    *(pytest.param(CREATE_LINKS[r.value], "NodeByElementIdSeek", id=f"create-{r.value}") for r in Relation),
    *(pytest.param(IMPORT_LINKS[r.value], "NodeByElementIdSeek", id=f"merge-{r.value}") for r in Relation),
    pytest.param(ELEMENT_IDS, "NodeUniqueIndexSeek", id="element-ids"),
]


@pytest.mark.parametrize(("query", "seek"), QUERIES)
async def test_link_ends_are_looked_up_once_then_found_by_element_id(neo4j: Neo4jStore, query: str, seek: str) -> None:
    """Each document a batch links is sought in the key index once; each link end is then found by element
    id, and a created link is written as its row streams by (no Eager: the batch is not held twice)."""
    operators = await plan_operators(neo4j, query, rows=[], keys=[])
    assert seek in operators
    assert "NodeIndexSeek" not in operators and "NodeUniqueIndexSeek(Locking)" not in operators
    if query in CREATE_LINKS.values():
        assert "Eager" not in operators


async def test_a_first_load_creates_each_document_with_its_spellings_in_one_pass(neo4j: Neo4jStore) -> None:
    operators = await plan_operators(neo4j, CREATE_DOCUMENTS, rows=[])
    assert "Eager" not in operators
    assert operators.count("NodeUniqueIndexSeek(Locking)") == 1  # the spelling's MERGE; the document is at hand


def test_a_first_load_names_every_property_a_document_is_stored_with() -> None:
    document = Document.model_validate(
        {
            "key": "7-kh-ubnd-2021.ha-tinh",
            "symbol": "7/KH-UBND",
            "aliases": ["07/KH-UBND"],
            "type": "Kế hoạch",
            "number": "7",
            "date": "2021-01-12",
            "issuer": "ha-tinh.ubnd",
            "level": "province",
            "jurisdiction": "ha-tinh",
            "term": "XIII",
            "title": "Kế hoạch triển khai Nghị quyết",
            "status": "in_force",
            "effective_from": "2021-01-12",
            "effective_to": "2025-12-31",
            "stub": False,
        }
    )
    props = _document_props(ResolvedDocument(document, "ha-tinh", ("7khubnd",)))
    assert set(document.model_dump(exclude_none=True)) < set(props) <= set(DOCUMENT_PROPERTIES)


MISSING_ENDS = [
    pytest.param(0, "source", id="first-link-source"),
    pytest.param(0, "target", id="first-link-target"),
    pytest.param(5, "target", id="later-link-target"),
]


@pytest.mark.parametrize(("row", "end"), MISSING_ENDS)
async def test_a_missing_link_end_is_named_with_its_line_and_nothing_is_written(
    neo4j: Neo4jStore, synthetic: Path, tmp_path: Path, row: int, end: str
) -> None:
    await run_import(neo4j, synthetic / "documents.ndjson")
    links = [json.loads(line) for line in (synthetic / "links.ndjson").read_text(encoding="utf-8").splitlines()[:8]]
    links[row][end] = "99-kh-tu-noi-khong-co-2030"
    links[7]["target"] = "98-kh-tu-noi-khong-co-2030"  # a later missing end is not the one named
    (tmp_path / "links.ndjson").write_text("\n".join(json.dumps(r) for r in links) + "\n", encoding="utf-8")
    with pytest.raises(BulkInputError) as failure:
        await run_import(neo4j, tmp_path / "links.ndjson", batch_size=100)
    assert failure.value.line == row + 1 and "99-kh-tu-noi-khong-co-2030" in str(failure.value)
    assert (await neo4j.counts()).links == 0


def test_killed_first_load_resumes_without_duplicates(synthetic: Path) -> None:
    settings = neo4j_settings()
    env = os.environ | {
        "LEXGRAPH_STORE": "neo4j",
        "NEO4J_URI": settings["uri"],
        "NEO4J_USER": settings["user"],
        "NEO4J_PASSWORD": settings["password"],
        "NEO4J_DATABASE": settings["database"],
    }

    async def read(query: str, **params: Any) -> list[dict[str, Any]]:
        store = Neo4jStore(settings["uri"], settings["user"], settings["password"], settings["database"])
        try:
            return [r.data() for r in await store.db.read(query, **params)]
        finally:
            await store.close()

    async def first_links_batch_committed(importing: subprocess.Popen[bytes]) -> None:
        """Returns once the import has committed a batch of links (its checkpoint), or has ended."""
        # One driver for the whole wait: opening one per poll took longer than the import's remaining batches.
        store = Neo4jStore(settings["uri"], settings["user"], settings["password"], settings["database"])
        links_source = str((synthetic / "links.ndjson").resolve())
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and importing.poll() is None:
                if await store.db.read("MATCH (c:ImportCheckpoint {source: $s}) RETURN c.line", s=links_source):
                    return
                await asyncio.sleep(0.005)
        finally:
            await store.close()

    asyncio.run(_wipe_with_migrations(settings))
    importing = subprocess.Popen(
        [str(LEXGRAPH), "import", str(synthetic), "--batch-size", "100"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    asyncio.run(first_links_batch_committed(importing))
    importing.send_signal(signal.SIGKILL)
    importing.wait()
    count = f"MATCH (:Document)-[l:{'|'.join(r.rel_type for r in Relation)}]->(:Document) RETURN count(l) AS n"
    total = len((synthetic / "links.ndjson").read_text().splitlines())
    partial = asyncio.run(read(count))[0]["n"]
    assert 0 < partial < total, "the import was not stopped midway"

    subprocess.run(
        [str(LEXGRAPH), "import", str(synthetic)], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300
    )
    distinct = count.replace("count(l)", "count(DISTINCT [elementId(startNode(l)), type(l), elementId(endNode(l))])")
    assert asyncio.run(read(count))[0]["n"] == asyncio.run(read(distinct))[0]["n"] == total


async def _wipe_with_migrations(settings: dict[str, str]) -> None:
    store = Neo4jStore(settings["uri"], settings["user"], settings["password"], settings["database"])
    try:
        await store.db.write("MATCH (n) DETACH DELETE n")
        await store.migrate()
    finally:
        await store.close()

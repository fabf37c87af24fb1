"""Short symbol queries on a 20,000-document synthetic graph (graph.synth), on both stores: every
central document is found by "<type code> <number>" and "<type code><number>", ahead of every
non-central document of that number, and a page of 5 is the first 5 of a page of 50.

The graph is built and imported once per module and store (the Neo4j import of 20k documents and
their links took 98 s here on a loaded machine; it runs with the other neo4j tests).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.models import Level, LinkDirection, Relation
from graph.ports import GraphStore
from graph.search import SearchHit
from graph.symbols import parse_symbol
from graph.synth import synthesize
from graph.usecases.bulk_import import run_import
from tests.conftest import STORE_KINDS, open_store

pytestmark = pytest.mark.contract

SCALE_DOCUMENTS = 20_000
SEED = 19
# Queries answered by many documents of every level: a small page must still be a prefix of a large one.
CROWDED_QUERIES = ("KH 1", "kh1", "1/KH-UBND", "ke hoach", "nghị quyết 1", "thực hiện", "KL 2 khóa XIII")


@dataclass(frozen=True)
class Central:
    key: str
    type_code: str
    number: str


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search-scale")
    synthesize(out, SCALE_DOCUMENTS, seed=SEED)
    return out


@pytest.fixture(scope="module")
def documents(synthetic: Path) -> list[dict[str, object]]:
    lines = (synthetic / "documents.ndjson").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def centrals(documents: list[dict[str, object]]) -> list[Central]:
    found = []
    for doc in documents:
        parts = parse_symbol(str(doc["symbol"]))
        if doc["level"] == Level.central.value and parts is not None and parts.type_code:
            found.append(Central(str(doc["key"]), parts.type_code, parts.number.lstrip("0")))
    assert len(found) > 10
    return found


@pytest.fixture(scope="module", params=STORE_KINDS)
async def scaled(
    request: pytest.FixtureRequest, synthetic: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[GraphStore]:
    store = await open_store(request.param, tmp_path_factory.mktemp("store"))
    try:
        await run_import(store, synthetic)
        yield store
    finally:
        await store.close()


def keys(hits: list[SearchHit]) -> list[str]:
    return [h.key for h in hits]


def of_number(hit: SearchHit, number: str) -> bool:
    return (hit.number or "").lstrip("0") == number


@pytest.mark.parametrize("form", ["{code} {number}", "{code}{number}"], ids=["spaced", "glued"])
async def test_every_central_document_comes_before_local_ones_of_its_number(
    scaled: GraphStore, centrals: list[Central], form: str
) -> None:
    for central in centrals:
        query = form.format(code=central.type_code, number=central.number)
        small, large = await scaled.search(query, limit=5), await scaled.search(query, limit=50)
        assert keys(small) == keys(large)[:5], query
        found = keys(large)
        assert central.key in found, query
        local = [i for i, hit in enumerate(large) if of_number(hit, central.number) and hit.level != Level.central]
        assert all(found.index(central.key) < i for i in local), query
        central_of_type = [h for h in large if of_number(h, central.number) and h.level == Level.central]
        cited = [h.cited_by for h in central_of_type if h.type == large[found.index(central.key)].type]
        assert cited == sorted(cited, reverse=True), query


@pytest.mark.parametrize("query", CROWDED_QUERIES)
async def test_a_small_page_is_the_head_of_a_large_one(scaled: GraphStore, query: str) -> None:
    large = keys(await scaled.search(query, limit=50))
    assert large, query
    for limit in (1, 5, 17):
        assert keys(await scaled.search(query, limit=limit)) == large[:limit], (query, limit)


async def test_cited_by_counts_the_links_in(scaled: GraphStore, centrals: list[Central]) -> None:
    for central in centrals[:5]:
        hits = await scaled.search(f"{central.type_code} {central.number}", limit=50)
        [hit] = [h for h in hits if h.key == central.key]
        assert hit.cited_by == len(await scaled.links(central.key, LinkDirection.in_, list(Relation)))
    assert any(h.cited_by for h in hits)


async def test_a_jurisdiction_keeps_only_its_documents(scaled: GraphStore, documents: list[dict[str, object]]) -> None:
    local = next(d for d in documents if d["level"] == Level.province.value and str(d["symbol"]).startswith("1-KH"))
    hits = await scaled.search("KH 1", limit=50, jurisdiction=str(local["jurisdiction"]))
    assert hits and {h.jurisdiction for h in hits} == {local["jurisdiction"]}

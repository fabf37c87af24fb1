"""Neo4j's documents by symbol, and search by a symbol typed half-way: a page is read from the spellings' order
index and stops after its rows; a full exact recall reads no other index; and the migration that brought the
index gives stored spellings the order writes give them. A last word that may be typed half-way is looked up
as a prefix only when it finds too few documents as a whole word, unless the query names a number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from neo4j import Record

from graph.identity import DocumentDraft
from graph.migrations import DEFAULT_MIGRATIONS_DIR, discover
from graph.models import DocumentFilter, Level, Organization
from graph.search import RECALL_DEPTH
from graph.stores.neo4j import Neo4jStore
from graph.stores.neo4j.cypher import ORDER_SEPARATOR
from graph.stores.neo4j.documents import FIND_DOCUMENTS_BY_SYMBOL
from graph.stores.neo4j.effects import filter_params
from tests.conftest import plan_operators

pytestmark = [pytest.mark.contract, pytest.mark.neo4j]

SPELLING_ORDERS = "MATCH ()-[s:SPELLS]->(d:Document) RETURN d.key AS key, s.order AS order ORDER BY key, order"
DROP_ORDERS = "MATCH ()-[s:SPELLS]->() REMOVE s.order"
FILTERS = {"year": None, "jurisdiction": None, "level": None, "type": None}


async def test_a_symbol_page_is_read_in_index_order_without_a_sort(neo4j: Neo4jStore) -> None:
    params = {**FILTERS, **filter_params(DocumentFilter(), dt.date(2026, 1, 1))}
    operators = await plan_operators(
        neo4j,
        FIND_DOCUMENTS_BY_SYMBOL,
        order_prefix="1/KH-UBND" + ORDER_SEPARATOR,
        offset=0,
        limit=100,
        **params,
    )
    assert "DirectedRelationshipIndexSeekByRange" in operators
    assert not [op for op in operators if op in {"Sort", "Top", "PartialSort", "PartialTop"}]


async def test_the_migration_orders_spellings_as_writes_do(neo4j: Neo4jStore) -> None:
    await neo4j.upsert_organizations(
        [
            Organization(key=p, name=f"Tỉnh {p}", kind="province", level=Level.province)
            for p in ("ha-nam", "hue", "lao-cai")
        ]
    )
    drafts = [
        DocumentDraft(
            symbol="7/KH-UBND", type="Kế hoạch", date=day, jurisdiction=unit, title="Kế hoạch", aliases=aliases
        )
        for day, unit, aliases in (
            (dt.date(2020, 5, 1), "ha-nam", ["07/KH-UBND"]),
            (None, "lao-cai", []),
            (dt.date(2024, 1, 2), "hue", []),
        )
    ]
    await neo4j.upsert_documents(drafts)
    written = await neo4j.db.read(SPELLING_ORDERS)
    listed = [d.key for d in await neo4j.find_documents(DocumentFilter(symbol="7/KH-UBND"))]
    await neo4j.db.write(DROP_ORDERS)
    [migration] = [m for m in discover(DEFAULT_MIGRATIONS_DIR, "cypher") if m.name == "spelling_order"]
    for statement in migration.statements():
        await neo4j.db.run_auto_commit(statement)
    assert [r.data() for r in await neo4j.db.read(SPELLING_ORDERS)] == [r.data() for r in written]
    assert all(r["order"] for r in written)
    assert [d.key for d in await neo4j.find_documents(DocumentFilter(symbol="7/KH-UBND"))] == listed


SPELLINGS_INDEX = "SPELLS(order)"
NUMBER_INDEX = "Document(type_folded, number, level)"
# The plans of one unit, one a year, more than a recall takes.
CROWDED = [
    DocumentDraft(
        symbol="5/KH-UBND", type="Kế hoạch", date=dt.date(year, 1, 2), jurisdiction="ha-nam", title="Kế hoạch"
    )
    for year in range(1950, 1960 + RECALL_DEPTH)
]


async def profiled_search(neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch, text: str) -> list[tuple[str, str, int]]:
    """Each operator of the plan the search for ``text`` ran: its name, details and the rows it produced."""
    await neo4j.upsert_organizations(
        [Organization(key="ha-nam", name="Tỉnh Hà Nam", kind="province", level=Level.province)]
    )
    await neo4j.upsert_documents(CROWDED)
    captured: dict[str, Any] = {}
    read = neo4j.db.read

    async def capture(query: str, /, **params: Any) -> list[Record]:
        if not captured:  # the recall: the page's documents are read after it
            captured.update(query=query, params=params)
        return await read(query, **params)

    monkeypatch.setattr(neo4j.db, "read", capture)
    await neo4j.search(text)
    result = await neo4j.db.driver.execute_query(
        "PROFILE " + captured["query"], captured["params"], database_=neo4j.database
    )

    def operators(plan: Any) -> list[tuple[str, str, int]]:
        own = (plan["operatorType"].split("@")[0], plan.get("args", {}).get("Details", ""), plan.get("rows", 0))
        return [own, *(op for child in plan.get("children", []) for op in operators(child))]

    assert result.summary.profile is not None
    return operators(result.summary.profile)


async def test_a_symbol_typed_half_way_reads_a_page_of_spellings(
    neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    operators = await profiled_search(neo4j, monkeypatch, "5/KH-UB")
    [rows] = [rows for _, details, rows in operators if SPELLINGS_INDEX in details]
    assert 0 < rows <= RECALL_DEPTH + 1
    assert "Sort" not in [name for name, _, _ in operators]


async def test_a_full_exact_recall_reads_no_other_index(neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> None:
    operators = await profiled_search(neo4j, monkeypatch, "5/KH-UBND")
    others = [op for op in operators if SPELLINGS_INDEX in op[1] or NUMBER_INDEX in op[1]]
    assert others and all(rows == 0 for _, _, rows in others), others


def prefix_lookups(operators: list[tuple[str, str, int]]) -> list[int]:
    """How many times the search looked a half-typed word up as a prefix (the rows of that lookup's guard)."""
    return [rows for name, details, rows in operators if name == "Unwind" and "text.fallback" in details]


async def test_a_last_word_found_whole_in_enough_documents_is_not_looked_up_as_a_prefix(
    neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert prefix_lookups(await profiled_search(neo4j, monkeypatch, "kế hoạch")) == [0]


async def test_a_last_word_typed_half_way_is_looked_up_as_a_prefix(
    neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert prefix_lookups(await profiled_search(neo4j, monkeypatch, "kế hoạ")) == [1]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        pytest.param(
            "kế hoạch triển kh",
            [{"first": "(ke) AND (hoach) AND (trien) AND (kh)", "fallback": "(ke) AND (hoach) AND (trien) AND (kh*)"}],
            id="words: whole first",
        ),
        pytest.param(
            "kế hoạch 77",
            [{"first": "(77) AND (kh)", "fallback": None}, {"first": "(ke) AND (hoach) AND (77*)", "fallback": None}],
            id="a number: prefix",
        ),
        pytest.param("kế hoạch ", [{"first": "(ke) AND (hoach)", "fallback": None}], id="no prefix"),
    ],
)
async def test_the_text_recall_asks_lucene_for_whole_words_first_unless_a_number_is_named(
    neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch, text: str, asked: list[dict[str, str | None]]
) -> None:
    asks: list[Any] = []
    read = neo4j.db.read

    async def capture(query: str, /, **params: Any) -> list[Record]:
        if "texts" in params:  # a recall, not the read of the page's documents after it
            asks.append(params["texts"])
        return await read(query, **params)

    monkeypatch.setattr(neo4j.db, "read", capture)
    await neo4j.search(text)
    assert asks[0] == asked  # the first pass; a second, typo-tolerant one follows on this empty graph

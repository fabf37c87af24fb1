"""Lists of documents by filter (GET /documents without a symbol) on both stores: every mix of jurisdiction,
type, level and year gives the documents passing them all, newest year first then by key, page by page; and
on Neo4j each is read from a list order's index with no sort, the orders the migration writes being those
writes give (migration V0029)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from graph.identity import DocumentDraft
from graph.migrations import DEFAULT_MIGRATIONS_DIR, discover
from graph.models import Document, DocumentFilter, Level, Organization
from graph.ports import GraphStore
from graph.stores.neo4j import Neo4jStore
from graph.stores.neo4j.documents import _list_order
from graph.stores.neo4j.effects import filter_params
from graph.text import fold
from tests.conftest import plan_operators

pytestmark = pytest.mark.contract

UNITS = [
    Organization(key=key, name=name, kind="province", level=Level.province)
    for key, name in (("ha-nam", "Hà Nam"), ("hue", "Huế"))
]
# Two units, three types, central and provincial documents, over three years and none: 2 x 3 x 4 plans.
DRAFTS = [
    DocumentDraft(
        symbol=f"{number}/{code}-{'UBND' if unit else 'TTg'}",
        type=kind,
        date=dt.date(year, 3, 1 + number % 28) if year else None,
        jurisdiction=unit,
        level=Level.province if unit else Level.central,
        title=f"{kind} {number}",
    )
    for number, (unit, (kind, code), year) in enumerate(
        itertools.product(
            ["ha-nam", "hue", None],
            [("Kế hoạch", "KH"), ("Quyết định", "QĐ"), ("Chỉ thị", "CT")],
            [2019, 2020, 2021, None],
        ),
        start=1,
    )
]
VALUES: dict[str, Any] = {"jurisdiction": "hue", "type": "Quyết định", "level": Level.province, "year": 2020}
MIXES = [dict(c) for k in range(5) for c in itertools.combinations(VALUES.items(), k)]


def passes(document: Document, mix: dict[str, Any]) -> bool:
    fields = {**document.model_dump(), "type": fold(document.type or "")}
    return all(fields[name] == (fold(value) if name == "type" else value) for name, value in mix.items())


@pytest.mark.parametrize("mix", MIXES, ids=lambda mix: "+".join(mix) or "none")
async def test_every_mix_of_filters_lists_what_passes_in_page_order(store: GraphStore, mix: dict[str, Any]) -> None:
    await store.upsert_organizations(UNITS)
    written = await store.upsert_documents(DRAFTS)
    expected = [d.key for d in sorted(written, key=lambda d: (-(d.year or 0), d.key)) if passes(d, mix)]
    assert expected or mix == {"jurisdiction": "hue", "level": Level.central}
    query = DocumentFilter(**mix)
    assert [d.key for d in await store.find_documents(query, limit=100)] == expected
    pages = [await store.find_documents(query, limit=2, offset=offset) for offset in range(0, len(expected) + 2, 2)]
    assert [d.key for page in pages for d in page] == expected


@pytest.mark.neo4j
@pytest.mark.parametrize("mix", MIXES, ids=lambda mix: "+".join(mix) or "none")
async def test_neo4j_lists_read_an_order_index_without_a_sort(neo4j: Neo4jStore, mix: dict[str, Any]) -> None:
    query = DocumentFilter(**mix)
    params = {
        "offset": 0,
        "limit": 100,
        "year": query.year,
        "jurisdiction": query.jurisdiction,
        "level": query.level.value if query.level else None,
        "type": fold(query.type) if query.type else None,
        **filter_params(query, dt.date(2026, 12, 6)),
    }
    cypher, with_prefix = _list_order(params)
    operators = await plan_operators(neo4j, cypher, **with_prefix)
    assert "NodeIndexSeekByRange" in operators, operators
    assert not [op for op in operators if op in {"Sort", "Top", "PartialSort", "NodeByLabelScan", "AllNodesScan"}]


LIST_ORDERS = (
    "MATCH (d:Document) RETURN d.key AS key, d.page_order AS page, d.jurisdiction_order AS jurisdiction, "
    "d.level_order AS level, d.type_order AS type ORDER BY key"
)
DROP_ORDERS = "MATCH (d:Document) REMOVE d.page_order, d.jurisdiction_order, d.level_order, d.type_order"


@pytest.mark.neo4j
async def test_the_neo4j_migration_orders_documents_as_writes_do(neo4j: Neo4jStore) -> None:
    await neo4j.upsert_organizations(UNITS)
    await neo4j.upsert_documents(DRAFTS)
    written = [r.data() for r in await neo4j.db.read(LIST_ORDERS)]
    await neo4j.db.write(DROP_ORDERS)
    [migration] = [m for m in discover(DEFAULT_MIGRATIONS_DIR, "cypher") if m.name == "document_list_order"]
    for statement in migration.statements():
        await neo4j.db.run_auto_commit(statement)
    assert [r.data() for r in await neo4j.db.read(LIST_ORDERS)] == written
    assert all(row["page"] and row["level"] and row["type"] for row in written)
    assert sum(row["jurisdiction"] is None for row in written) == len(DRAFTS) // 3  # the central ones

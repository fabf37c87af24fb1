"""Every search recall and the /documents?symbol= lookup use an index, on both stores: no full scan of
documents or ranks grows with the store (SQLite: EXPLAIN QUERY PLAN; Neo4j: the query's plan)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from graph.models import DocumentFilter
from graph.stores.neo4j import Neo4jStore
from graph.stores.neo4j.documents import FIND_DOCUMENTS_BY_SYMBOL as NEO4J_BY_SYMBOL
from graph.stores.neo4j.search import SEARCH, SEARCH_BY_BARE_NUMBER, SEARCH_TEXTS
from graph.stores.sqlite import SqliteStore
from graph.stores.sqlite.documents import _FIELD_FILTERS, FIND_DOCUMENTS_BY_SYMBOL, _find
from graph.stores.sqlite.effects import filter_params
from graph.stores.sqlite.rows import LINKS_BY_KEYS, SYMBOLS_BY_KEY
from graph.stores.sqlite.search import (
    CANDIDATES,
    RECALL_BARE_NUMBER,
    RECALL_NUMBER,
    RECALL_SYMBOL,
    RECALL_SYMBOL_PREFIX,
    RECALL_TEXT,
    RECALL_TEXTS,
)
from tests.conftest import plan_operators

pytestmark = pytest.mark.contract

FILTERS: dict[str, Any] = {"level": None, "jurisdiction": None, "type": None, "year": None, "status": None}
DAY = dt.date(2026, 12, 5)
# A scan of a virtual table (FTS5, json_each) is its own index lookup; any other SCAN reads a whole table.
TABLE_SCAN = re.compile(r"^SCAN (?!.*VIRTUAL TABLE)")

SQLITE_QUERIES = [
    pytest.param(FIND_DOCUMENTS_BY_SYMBOL, {"match_key": "1-KL/TW", "limit": 5, "offset": 0}, True, id="by-symbol"),
    pytest.param(
        FIND_DOCUMENTS_BY_SYMBOL,
        {"match_key": "1-KL/TW", "limit": 5, "offset": 0, **filter_params(DocumentFilter(in_force=True), DAY)},
        True,
        id="by-symbol-in-force",
    ),
    pytest.param(RECALL_NUMBER, {"number": "ket luan 1"}, False, id="recall-number"),
    pytest.param(RECALL_BARE_NUMBER, {"number": "1"}, False, id="recall-bare-number"),
    pytest.param(RECALL_SYMBOL, {"match_key": "1-KL/TW"}, False, id="recall-symbol"),
    pytest.param(RECALL_SYMBOL_PREFIX, {"prefix": "1-K"}, False, id="recall-symbol-prefix"),
    pytest.param(RECALL_TEXT, {"match": '"ket" AND "luan"'}, False, id="recall-text"),
    pytest.param(CANDIDATES, ('["a", "b"]',), False, id="candidates"),
    pytest.param(RECALL_TEXTS, {"match": '"dang"'}, True, id="recall-texts"),
    pytest.param(LINKS_BY_KEYS, {"keys": '[["a", "cites", "b"]]'}, False, id="links-by-keys"),
    pytest.param(SYMBOLS_BY_KEY, ('["a", "b"]',), False, id="symbols-by-key"),
]


@pytest.fixture
async def sqlite(tmp_path: Path) -> Any:
    store = SqliteStore(tmp_path / "plans.db")
    await store.open()
    await store.migrate()
    yield store
    await store.close()


@pytest.mark.parametrize(("sql", "params", "sorts"), SQLITE_QUERIES)
async def test_sqlite_recalls_read_indexes(sqlite: SqliteStore, sql: str, params: Any, sorts: bool) -> None:
    if isinstance(params, dict):
        params = FILTERS | filter_params(DocumentFilter(), DAY) | {"cap": 100} | params
    plan = [row[3] for row in sqlite.db.connection().execute("EXPLAIN QUERY PLAN " + sql, params)]
    assert not [step for step in plan if TABLE_SCAN.match(step)], plan
    # The number recall reads its index in rank order: no sort of every document of the number.
    if not sorts:
        assert not [step for step in plan if "TEMP B-TREE" in step and "ORDER BY" in step], plan


FIELD_VALUES = {"year": 2019, "jurisdiction": "thanh-hoa", "level": "province", "type": "ke hoach"}
GIVEN = [frozenset(c) for k in range(len(_FIELD_FILTERS) + 1) for c in itertools.combinations(_FIELD_FILTERS, k)]


@pytest.mark.parametrize("given", GIVEN, ids=lambda given: "+".join(sorted(given)) or "none")
async def test_sqlite_lists_by_filter_read_one_index_in_page_order(sqlite: SqliteStore, given: frozenset[str]) -> None:
    """GET /documents by any mix of jurisdiction, type, level and year: an index seek on the filters (or, with
    none, the index in page order), no sort of the matching documents, so a page stops after its rows."""
    params = FILTERS | filter_params(DocumentFilter(), DAY) | {"limit": 5, "offset": 0}
    params |= {name: FIELD_VALUES[name] for name in given}
    plan = [row[3] for row in sqlite.db.connection().execute("EXPLAIN QUERY PLAN " + _find("d.key", given), params)]
    assert not [step for step in plan if "TEMP B-TREE" in step], plan
    read = [step for step in plan if re.match(r"^(SCAN|SEARCH) d ", step)]
    if given:
        assert len(read) == 1 and read[0].startswith("SEARCH d USING INDEX"), plan
    else:
        assert read == ["SCAN d USING INDEX documents_order"], plan


NEO4J_PARAMS: dict[str, Any] = FILTERS | {
    "cap": 100,
    "options": {"limit": 100},
    "match_key": "1-KL/TW",
    "prefix": "1-K",
    "type_name": "ket luan",
    "numbers": ["1", "01"],
    "local_levels": ["province", "district"],
    "texts": [{"first": "(ket) AND (luan)", "fallback": "(ket) AND (luan*)"}],
}
NEO4J_QUERIES = [
    pytest.param(SEARCH, NEO4J_PARAMS, id="search"),
    pytest.param(SEARCH_BY_BARE_NUMBER, NEO4J_PARAMS | {"type_name": None}, id="search-bare-number"),
    pytest.param(NEO4J_BY_SYMBOL, FILTERS | {"order_prefix": "1-KL/TW\u0001", "offset": 0, "limit": 5}, id="by-symbol"),
    pytest.param(SEARCH_TEXTS, {"match": "+dang", "cap": 100}, id="texts"),
]


@pytest.mark.neo4j
@pytest.mark.parametrize(("query", "params"), NEO4J_QUERIES)
async def test_neo4j_recalls_read_indexes(neo4j: Neo4jStore, query: str, params: dict[str, Any]) -> None:
    operators = await plan_operators(neo4j, query, **params)
    assert not [op for op in operators if op in {"AllNodesScan", "NodeByLabelScan"}], operators
    if query in (SEARCH, SEARCH_BY_BARE_NUMBER):
        assert any("NodeIndexSeek" in op for op in operators), operators

"""Search answers as JSON: the same bytes as the hits serialized, on both stores, and on the embedded store the
rankings it keeps, dropped by any write to documents or links, from any process."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.identity import DocumentDraft
from graph.models import Level, LinkDraft, Relation
from graph.ports import GraphStore
from graph.ranking import RankedHit, ranked
from graph.search import Candidate, SearchAsk, parse_query
from graph.stores.sqlite import SqliteStore
from graph.versioned_cache import VersionedCache
from tests.test_search_contract import EXTRA_DRAFTS, RANKING_QUERIES, RESOLUTION_25

# A later directive repealing the extra 07-CT/TU: a hit whose status an effect decides.
REPEALING = DocumentDraft(
    symbol="15-CT/TU", type="Chỉ thị", date=dt.date(2023, 3, 1), issuer="thanh-hoa.btv", title="Bãi bỏ chỉ thị 07"
)


@pytest.fixture
async def searchable(seeded: GraphStore) -> GraphStore:
    """The seeded store, the search contract's extra documents, and a repeal."""
    repealing, _, repealed = await seeded.upsert_documents([REPEALING, *EXTRA_DRAFTS])
    await seeded.upsert_links([LinkDraft(source=repealing.key, relation=Relation.repeals, target=repealed.key)])
    return seeded


@pytest.mark.contract
@pytest.mark.parametrize("limit", [1, 10, 50])
async def test_hits_json_are_the_hits_serialized(searchable: GraphStore, limit: int) -> None:
    for query in [*RANKING_QUERIES, "bai bo", "18-NQ/TW", "chi thi 7"]:
        expected = [hit.model_dump_json() for hit in await searchable.search(query, limit=limit)]
        assert expected, query
        assert await searchable.search_json(SearchAsk(query), limit=limit) == expected, query
        assert await searchable.search_json(SearchAsk(query), limit=limit) == expected, query  # asked again
    assert '"status":"repealed"' in (await searchable.search_json(SearchAsk("thien tai")))[0]


@pytest.mark.contract
async def test_filtered_hits_json_are_the_hits_serialized(searchable: GraphStore) -> None:
    for filters in [{"level": Level.central}, {"jurisdiction": "thanh-hoa"}, {"type": "NQ"}, {"year": 2019}]:
        for query in ["nghi quyet", "ke hoach", "25", "thanh hoa"]:
            expected = [hit.model_dump_json() for hit in await searchable.search(query, limit=20, **filters)]
            assert await searchable.search_json(SearchAsk(query, **filters), limit=20) == expected, (query, filters)


@pytest.fixture
async def workers(two_workers: tuple[SqliteStore, SqliteStore]) -> tuple[SqliteStore, SqliteStore]:
    """Two workers on one file holding the seeds and the search contract's extra documents."""
    await two_workers[0].upsert_documents(EXTRA_DRAFTS)
    return two_workers


async def fresh(store: SqliteStore, query: str) -> list[str]:
    """The hits of ``query`` ranked now, as JSON: what a held ranking must give."""
    return [hit.model_dump_json() for hit in await store.search(query, limit=50)]


async def test_a_new_document_from_another_worker_is_found(workers: tuple[SqliteStore, SqliteStore]) -> None:
    reader, writer = workers
    before = await reader.search_json(SearchAsk("thien tai"), limit=50)
    [written] = await writer.upsert_documents(
        [
            DocumentDraft(
                symbol="3-CT/TU", date=dt.date(2022, 5, 1), issuer="thanh-hoa.btv", title="Phòng chống thiên tai"
            )
        ]
    )
    after = await reader.search_json(SearchAsk("thien tai"), limit=50)
    assert len(after) == len(before) + 1
    assert any(hit.startswith(f'{{"key":"{written.key}"') for hit in after)
    assert after == await fresh(reader, "thien tai")


async def test_a_retitled_document_is_marked_by_its_new_title(workers: tuple[SqliteStore, SqliteStore]) -> None:
    reader, writer = workers
    marked = '"highlight":"Về tăng cường phòng, chống <mark>thiên</mark> tai'
    assert any(marked in hit for hit in await reader.search_json(SearchAsk("thien"), limit=50))
    await writer.upsert_documents([EXTRA_DRAFTS[1].model_copy(update={"title": "Về phòng, chống thiên tai"})])
    hits = await reader.search_json(SearchAsk("thien"), limit=50)
    assert not any(marked in hit for hit in hits)
    assert any('"highlight":"Về phòng, chống <mark>thiên</mark> tai"' in hit for hit in hits)
    assert hits == await fresh(reader, "thien")


async def test_a_new_citation_from_another_worker_is_counted(workers: tuple[SqliteStore, SqliteStore]) -> None:
    reader, writer = workers
    cited = next(hit for hit in await reader.search("nq 25", limit=50) if hit.key == RESOLUTION_25).cited_by
    assert (await reader.search_json(SearchAsk("nq 25")))[0].startswith(f'{{"key":"{RESOLUTION_25}"')
    [citing] = await writer.upsert_documents(
        [DocumentDraft(symbol="9-KH/TU", date=dt.date(2022, 5, 1), issuer="thanh-hoa.btv", title="Kế hoạch dân vận")]
    )
    await writer.upsert_links([LinkDraft(source=citing.key, relation=Relation.cites, target=RESOLUTION_25)])
    hits = await reader.search_json(SearchAsk("nq 25"))
    assert f'"cited_by":{cited + 1}}}' in hits[0]
    assert hits == await fresh(reader, "nq 25")


def candidate(key: str, title: str) -> Candidate:
    return Candidate.of({"key": key, "symbol": f"{key}-KH/TU", "title": title, "year": 2020}, 0)


@pytest.mark.unit
def test_the_cache_holds_rankings_of_one_version_up_to_its_bound() -> None:
    query = parse_query("ke hoach")
    assert query is not None
    hits = ranked(query, [candidate("1", "Kế hoạch")])
    cache: VersionedCache[SearchAsk, list[RankedHit]] = VersionedCache(2)
    asks = [SearchAsk("ke hoach"), SearchAsk("ke hoach", level=Level.central), SearchAsk("ke hoach", year=2020)]
    assert cache.get(asks[0], 7) is None
    for ask in asks:
        cache.put(ask, 7, hits)
    assert cache.get(asks[0], 7) is None  # the least recently used, dropped beyond the bound
    assert cache.get(asks[1], 7) is hits and cache.get(asks[2], 7) is hits
    cache.put(asks[0], 6, hits)  # ranked at a version already stale: not held
    assert cache.get(asks[0], 7) is None
    assert cache.get(asks[1], 8) is None  # a write moved the version on: every ranking is dropped
    assert cache.get(asks[1], 7) is None


@pytest.mark.unit
def test_a_cache_of_no_entries_holds_nothing() -> None:
    cache: VersionedCache[SearchAsk, list[RankedHit]] = VersionedCache(0)
    assert cache.get(SearchAsk("ke hoach"), 1) is None
    cache.put(SearchAsk("ke hoach"), 1, [])
    assert cache.get(SearchAsk("ke hoach"), 1) is None


@pytest.mark.unit
def test_a_cache_measured_by_size_keeps_within_its_budget() -> None:
    cache: VersionedCache[str, str] = VersionedCache(10, size=len)
    cache.get("", 1)
    cache.put("a", 1, "aaaa")
    cache.put("b", 1, "bbbb")
    cache.put("too big", 1, "c" * 11)  # over the whole budget: not held, nothing dropped for it
    assert (cache.get("a", 1), cache.get("b", 1), cache.get("too big", 1)) == ("aaaa", "bbbb", None)
    cache.put("a", 1, "aaaaaa")  # replaced: its old size no longer counts
    assert cache.get("b", 1) == "bbbb"
    cache.put("d", 1, "dd")  # 6 + 4 + 2 > 10: the least recently used ("a") goes
    assert (cache.get("a", 1), cache.get("b", 1), cache.get("d", 1)) == (None, "bbbb", "dd")

"""Document search on both stores: the issue's must-shows, ranking tiers, filters, typos and highlights."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from graph.identity import DocumentDraft
from graph.models import Level
from graph.ports import GraphStore
from graph.ranking import TIER_WEIGHT
from graph.search import MAX_QUERY_LENGTH, RECALL_DEPTH, SearchHit
from graph.seeds import load_seeds
from tests.conftest import WRITE_HEADERS, open_store

pytestmark = pytest.mark.contract

RESOLUTION_25 = "25-nq-tw-2013"
CONCLUSION_43 = "43-kl-tw-2019"
PLAN_138 = "138-kh-tu-2019.thanh-hoa"
RESOLUTION_18_OF_2017 = "18-nq-tw-2017"
RESOLUTION_18_OF_2022 = "18-nq-tw-2022"

# Documents written on top of the seeds: a title with markup, and words the seed titles lack.
EXTRA_DRAFTS = [
    DocumentDraft(
        symbol="12-KH/TU",
        type="Kế hoạch",
        date=dt.date(2021, 4, 2),
        issuer="thanh-hoa.btv",
        title='Triển khai <b>"Năm dân vận"</b> & phong trào thi đua ở cơ sở',
    ),
    DocumentDraft(
        symbol="07-CT/TU",
        type="Chỉ thị",
        date=dt.date(2020, 9, 15),
        issuer="thanh-hoa.btv",
        title="Về tăng cường phòng, chống thiên tai và tìm kiếm cứu nạn",
    ),
]


def keys(hits: list[SearchHit]) -> list[str]:
    return [h.key for h in hits]


def tier(hit: SearchHit) -> int:
    return int(hit.score // TIER_WEIGHT)


@pytest.fixture
async def searchable(seeded: GraphStore) -> GraphStore:
    """The seeded store plus :data:`EXTRA_DRAFTS`."""
    await seeded.upsert_documents(EXTRA_DRAFTS)
    return seeded


# --- must show: the named document comes first --------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first"),
    [
        pytest.param("nghi quyet 25", RESOLUTION_25, id="type-name-and-number-unaccented"),
        pytest.param("nghị quyết 25", RESOLUTION_25, id="type-name-and-number"),
        pytest.param("nghi quyet 25 dan van", RESOLUTION_25, id="number-and-title-words"),
        pytest.param("nq 25", RESOLUTION_25, id="code-space-number"),
        pytest.param("NQ25", RESOLUTION_25, id="code-glued-to-number"),
        pytest.param("25/NQ-TW", RESOLUTION_25, id="state-style-separators"),
        pytest.param("25-NQ/TW", RESOLUTION_25, id="exact-symbol"),
        pytest.param("số 25-NQ/TƯ", RESOLUTION_25, id="so-prefix-and-TƯ"),
        pytest.param("25-N", RESOLUTION_25, id="symbol-being-typed"),
        pytest.param("KL43", CONCLUSION_43, id="glued-code-first"),
        pytest.param("43-kl/tw", CONCLUSION_43, id="lower-case-symbol"),
        pytest.param("43 KL TW", CONCLUSION_43, id="symbol-with-spaces"),
        pytest.param("kết luận 43", CONCLUSION_43, id="type-name-accented"),
        pytest.param("ket luan so 43", CONCLUSION_43, id="type-name-so-number"),
        pytest.param("kh 138 tu", PLAN_138, id="provincial-plan-by-code"),
        pytest.param("138-K", PLAN_138, id="provincial-symbol-prefix"),
        pytest.param("nghị quyết 18 2017", RESOLUTION_18_OF_2017, id="year-picks-the-2017-resolution"),
        pytest.param("nghi quyet 18 2022", RESOLUTION_18_OF_2022, id="year-picks-the-2022-resolution"),
        pytest.param("nghị quyết 18 khóa XII", RESOLUTION_18_OF_2017, id="term-picks-the-2017-resolution"),
        pytest.param("nghi quyet 18 khoa 13", RESOLUTION_18_OF_2022, id="arabic-term-picks-the-2022-resolution"),
        pytest.param("chỉ thị 16 2020", "16-ct-ttg-2020", id="state-directive-by-year"),
        pytest.param("phòng chống thiên tai", "07-ct-tu-2020.thanh-hoa", id="title-words"),
    ],
)
async def test_named_document_comes_first(searchable: GraphStore, query: str, first: str) -> None:
    hits = await searchable.search(query)
    assert hits and hits[0].key == first


@pytest.mark.parametrize(
    ("query", "kept", "dropped"),
    [
        pytest.param("nghị quyết 18 2017", RESOLUTION_18_OF_2017, RESOLUTION_18_OF_2022, id="year"),
        pytest.param("nghị quyết 18 khóa XIII", RESOLUTION_18_OF_2022, RESOLUTION_18_OF_2017, id="term"),
        pytest.param("chỉ thị 16 2016", "16-ct-ttg-2016", "16-ct-ttg-2020", id="state-year"),
    ],
)
async def test_year_or_term_narrows_a_reused_symbol(
    searchable: GraphStore, query: str, kept: str, dropped: str
) -> None:
    found = keys(await searchable.search(query, limit=50))
    assert kept in found and dropped not in found


async def test_without_year_both_reused_symbols_are_found(searchable: GraphStore) -> None:
    found = keys(await searchable.search("nghị quyết 18"))
    assert set(found[:2]) == {RESOLUTION_18_OF_2017, RESOLUTION_18_OF_2022}


# --- accents, đ and Unicode forms ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        pytest.param("Đảng", "dang", id="Đảng-dang"),
        pytest.param("ĐẢNG", "đảng", id="upper-lower"),
        pytest.param("dân vận", "dan van", id="dân-vận"),
        pytest.param("tổ chức", "to chuc", id="tổ-not-a-stop-word"),
        pytest.param("thể chế", "the che", id="thể-not-a-stop-word"),
        pytest.param(unicodedata.normalize("NFD", "nghị quyết"), "nghị quyết", id="NFD-NFC"),
        pytest.param(unicodedata.normalize("NFD", "Đảng"), "Đảng", id="NFD-Đảng"),
        pytest.param("Mặt trận Tổ quốc", "mat tran to quoc", id="phrase"),
    ],
)
async def test_accents_fold_both_ways(searchable: GraphStore, query: str, same_as: str) -> None:
    hits = await searchable.search(query, limit=50)
    assert hits, f"{query!r} found nothing"
    assert [(h.key, h.score) for h in hits] == [(h.key, h.score) for h in await searchable.search(same_as, limit=50)]


async def test_d_folds_to_d_not_dropped(searchable: GraphStore) -> None:
    # "đảng" must fold to "dang": a fold that dropped đ would find "ang" or nothing.
    hits = await searchable.search("tu dưỡng rèn luyện cán bộ đảng viên")
    assert "124-qd-tw-2018" in keys(hits)


# --- ranking tiers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first", "first_tier", "later", "later_tier"),
    [
        pytest.param("43-KL/TW", CONCLUSION_43, 3, PLAN_138, 1, id="exact-symbol-over-title-mention"),
        pytest.param("25", RESOLUTION_25, 2, CONCLUSION_43, 1, id="number-prefix-over-title-mention"),
        pytest.param("25-N", RESOLUTION_25, 2, None, 0, id="symbol-prefix-alone"),
        pytest.param("nghi quyet 25", RESOLUTION_25, 3, PLAN_138, 1, id="type-and-number-over-title"),
    ],
)
async def test_symbol_tiers_rank_above_title_matches(
    searchable: GraphStore, query: str, first: str, first_tier: int, later: str | None, later_tier: int
) -> None:
    hits = await searchable.search(query, limit=50)
    # The registry holds other documents numbered 25 (a 2018 law): the expected one is in the top tier.
    assert tier(hits[0]) == first_tier and first in {h.key for h in hits if tier(h) == first_tier}
    tiers = [tier(h) for h in hits]
    assert tiers == sorted(tiers, reverse=True)
    if later is not None:
        assert tier(next(h for h in hits if h.key == later)) == later_tier


async def test_a_bare_number_finds_its_document_among_many_titles_citing_it(searchable: GraphStore) -> None:
    """Twice the recall depth of plans name "Nghị quyết 777-NQ/TW" in their titles and were written after it:
    "777" still finds the resolution numbered 777, first."""
    [resolution] = await searchable.upsert_documents(
        [DocumentDraft(symbol="777-NQ/TW", type="Nghị quyết", date=dt.date(2020, 1, 6), issuer="bch-tw")]
    )
    await searchable.upsert_documents(
        [
            DocumentDraft(
                symbol=f"{i}-KH/TU",
                type="Kế hoạch",
                date=dt.date(2021, 1, 1),
                issuer="thanh-hoa.tinh-uy",
                jurisdiction="thanh-hoa",
                title=f"Kế hoạch thực hiện Nghị quyết 777-NQ/TW, phần {i}",
            )
            for i in range(1000, 1000 + 2 * RECALL_DEPTH)
        ]
    )
    for limit in (5, 50):
        assert keys(await searchable.search("777", limit=limit))[0] == resolution.key


async def test_scores_are_ordered(searchable: GraphStore) -> None:
    hits = await searchable.search("cong tac dan van", limit=50)
    assert len(hits) > 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


# --- typos ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("cong tac dan vam", RESOLUTION_25, id="substitution"),
        pytest.param("cogn tac dan van", RESOLUTION_25, id="swap"),
        pytest.param("phong chong thien tsi", "07-ct-tu-2020.thanh-hoa", id="substitution-last-word"),
        pytest.param("phong chong thiien tai", "07-ct-tu-2020.thanh-hoa", id="insertion"),
        pytest.param("mat tran to quc", "217-qd-tw-2013", id="deletion"),
    ],
)
async def test_one_typo_in_a_title_word_is_tolerated(searchable: GraphStore, query: str, expected: str) -> None:
    hits = await searchable.search(query, limit=50)
    assert expected in keys(hits)


async def test_typo_finds_words_of_a_document_written_later(searchable: GraphStore) -> None:
    query = "kinh te thuyr sam"
    assert await searchable.search(query) == []
    draft = DocumentDraft(
        symbol="15-KH/TU",
        type="Kế hoạch",
        date=dt.date(2022, 5, 5),
        issuer="thanh-hoa.btv",
        title="Về phát triển kinh tế thủy sản",
    )
    await searchable.upsert_documents([draft])
    assert keys(await searchable.search(query)) == ["15-kh-tu-2022.thanh-hoa"]


async def test_retitled_document_is_found_by_its_new_words(searchable: GraphStore) -> None:
    retitled = EXTRA_DRAFTS[1].model_copy(update={"title": "Về phòng, chống dịch bệnh gia súc, gia cầm"})
    await searchable.upsert_documents([retitled])
    assert keys(await searchable.search("dich benh gia suc")) == ["07-ct-tu-2020.thanh-hoa"]
    assert keys(await searchable.search("dich benh gia cam")) == ["07-ct-tu-2020.thanh-hoa"]
    assert keys(await searchable.search("gia cqm")) == ["07-ct-tu-2020.thanh-hoa"]
    assert "07-ct-tu-2020.thanh-hoa" not in keys(await searchable.search("thien tai"))


async def test_two_typos_in_one_word_are_not(searchable: GraphStore) -> None:
    assert await searchable.search("phong chong thxxn tai") == []


# --- short, empty and filtered queries ---------------------------------------------------------


@pytest.mark.parametrize("query", ["", " ", "a", "Đ", "  b  ", "--", "\t\n"], ids=repr)
async def test_short_queries_give_nothing(searchable: GraphStore, query: str) -> None:
    assert await searchable.search(query) == []


@pytest.mark.parametrize(
    ("filters", "query", "excluded"),
    [
        pytest.param({"type": "NQ"}, "dan van", CONCLUSION_43, id="type-code"),
        pytest.param({"type": "Nghị quyết"}, "dan van", CONCLUSION_43, id="type-name"),
        pytest.param({"type": "nghi quyet"}, "dan van", CONCLUSION_43, id="type-name-folded"),
        pytest.param({"level": Level.province}, "dan van", RESOLUTION_25, id="level"),
        pytest.param({"jurisdiction": "thanh-hoa"}, "dan van", RESOLUTION_25, id="jurisdiction"),
    ],
)
async def test_filters_narrow(searchable: GraphStore, filters: dict[str, object], query: str, excluded: str) -> None:
    unfiltered = keys(await searchable.search(query, limit=50))
    filtered = await searchable.search(query, limit=50, **filters)  # type: ignore[arg-type]
    assert excluded in unfiltered and filtered and excluded not in keys(filtered)
    assert set(keys(filtered)) < set(unfiltered)
    for hit in filtered:
        if "type" in filters:
            assert hit.type == "Nghị quyết"
        if "level" in filters:
            assert hit.level == filters["level"]
        if "jurisdiction" in filters:
            assert hit.jurisdiction == filters["jurisdiction"]


async def test_limit_caps(searchable: GraphStore) -> None:
    assert len(await searchable.search("dan van", limit=3)) == 3


# --- highlights ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "key", "expected"),
    [
        pytest.param(
            "nam dan van",
            "12-kh-tu-2021.thanh-hoa",
            "Triển khai &lt;b&gt;&quot;<mark>Năm</mark> <mark>dân</mark> <mark>vận</mark>&quot;&lt;/b&gt; "
            "&amp; phong trào thi đua ở cơ sở",
            id="markup-escaped",
        ),
        pytest.param(
            "thien tsi",
            "07-ct-tu-2020.thanh-hoa",
            "Về tăng cường phòng, chống <mark>thiên</mark> <mark>tai</mark> và tìm kiếm cứu nạn",
            id="typo-marks-the-corrected-word",
        ),
        pytest.param(
            "dang vien",
            "124-qd-tw-2018",
            None,
            id="accented-words-marked-whole",
        ),
    ],
)
async def test_highlight(searchable: GraphStore, query: str, key: str, expected: str | None) -> None:
    hit = next(h for h in await searchable.search(query, limit=50) if h.key == key)
    assert hit.highlight is not None
    if expected is not None:
        assert hit.highlight == expected
    else:
        assert "<mark>đảng</mark> <mark>viên</mark>" in hit.highlight
    assert "<b>" not in hit.highlight


# --- the same ranking on both stores ------------------------------------------------------------

# One broad word ("Đảng", "nghị quyết", "khóa XI") matches hundreds of registry titles: each store then
# recalls its own capped candidate set before ranking, so those are left out until ranking sees every match.
RANKING_QUERIES = [
    "nghi quyet 25",
    "KL43",
    "cong tac dan van",
    "mat tran to quoc viet nam",
    "nghị quyết 18",
    "25",
    "thanh hoa",
    "cong tac dan vam",
    "phong chong",
    "2019",
    "ke hoach",
]


@pytest.fixture
async def both_stores(tmp_path: Path) -> AsyncIterator[tuple[GraphStore, GraphStore]]:
    """A sqlite and a neo4j store holding the same documents."""
    opened = [await open_store("sqlite", tmp_path), await open_store("neo4j", tmp_path)]
    try:
        for store in opened:
            await load_seeds(store, units=False)
            await store.upsert_documents(EXTRA_DRAFTS)
        yield opened[0], opened[1]
    finally:
        for store in opened:
            await store.close()


@pytest.mark.neo4j
async def test_neo4j_ranks_like_sqlite(both_stores: tuple[GraphStore, GraphStore]) -> None:
    sqlite, neo4j = both_stores
    for query in RANKING_QUERIES:
        on_sqlite = [(h.key, h.score, h.highlight) for h in await sqlite.search(query, limit=50)]
        on_neo4j = [(h.key, h.score, h.highlight) for h in await neo4j.search(query, limit=50)]
        assert on_sqlite, query
        assert on_sqlite == on_neo4j, query


# --- over HTTP ----------------------------------------------------------------------------------


async def test_http_items_carry_score_and_highlight(client: httpx.AsyncClient) -> None:
    response = await client.get("/search", params={"q": "nghi quyet 25 dan van"})
    assert response.status_code == 200
    first = response.json()["items"][0]
    assert first["key"] == RESOLUTION_25 and first["symbol"] == "25-NQ/TW"
    assert first["score"] > 0 and "<mark>" in first["highlight"]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        pytest.param("nghi quyet 25", RESOLUTION_25, id="nghi-quyet-25"),
        pytest.param("KL43", CONCLUSION_43, id="KL43"),
        pytest.param("43-kl/tw", CONCLUSION_43, id="43-kl-tw"),
    ],
)
async def test_http_must_show_first(client: httpx.AsyncClient, query: str, first: str) -> None:
    items = (await client.get("/search", params={"q": query})).json()["items"]
    assert items[0]["key"] == first


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        pytest.param("Đảng", "dang", id="Đảng-dang"),
        pytest.param(
            unicodedata.normalize("NFD", "nghị quyết"), unicodedata.normalize("NFC", "nghị quyết"), id="NFD-NFC"
        ),
    ],
)
async def test_http_same_items(client: httpx.AsyncClient, query: str, same_as: str) -> None:
    assert query != same_as
    first = (await client.get("/search", params={"q": query})).json()["items"]
    second = (await client.get("/search", params={"q": same_as})).json()["items"]
    assert first and first == second


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"q": "a" * (MAX_QUERY_LENGTH + 1)}, "q", id="q-201-chars"),
        pytest.param({"q": "đ" * (MAX_QUERY_LENGTH + 1)}, "q", id="q-201-accented-chars"),
        pytest.param({"q": "dang", "limit": 0}, "limit", id="limit-0"),
        pytest.param({"q": "dang", "limit": 51}, "limit", id="limit-51"),
        pytest.param({"q": "dang", "level": "galaxy"}, "level", id="unknown-level"),
        pytest.param({"q": "dang", "status": "vanished"}, "status", id="unknown-status"),
        pytest.param({"q": "dang", "year": "soon"}, "year", id="year-not-a-number"),
        pytest.param({"q": "dang", "in": "everywhere"}, "in", id="unknown-in"),
    ],
)
async def test_http_bad_input_is_422(client: httpx.AsyncClient, params: dict[str, str | int], field: str) -> None:
    response = await client.get("/search", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert any(error["loc"][-1] == field for error in body["errors"])


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("a" * MAX_QUERY_LENGTH, id="200-chars"),
        pytest.param("", id="empty"),
        pytest.param("x", id="one-char"),
    ],
)
async def test_http_allowed_lengths_answer_200(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get("/search", params={"q": query})
    assert response.status_code == 200 and response.json()["items"] == []


async def test_http_jurisdiction_by_name(client: httpx.AsyncClient) -> None:
    by_name = (await client.get("/search", params={"q": "dan van", "jurisdiction": "Thanh Hóa"})).json()["items"]
    by_key = (await client.get("/search", params={"q": "dan van", "jurisdiction": "thanh-hoa"})).json()["items"]
    assert by_name and by_name == by_key and {i["jurisdiction"] for i in by_name} == {"thanh-hoa"}


async def test_http_written_document_is_found(client: httpx.AsyncClient) -> None:
    draft = {
        "symbol": "31-KH/TU",
        "type": "Kế hoạch",
        "date": "2022-03-01",
        "issuer": "thanh-hoa.btv",
        "title": "Về chuyển đổi số trong công tác dân vận",
    }
    assert (await client.post("/documents", json=draft, headers=WRITE_HEADERS)).status_code == 201
    # The registry holds central documents on digital transformation too: the whole title ranks this one first.
    items = (await client.get("/search", params={"q": "chuyen doi so trong cong tac dan van"})).json()["items"]
    assert items[0]["symbol"] == "31-KH/TU"

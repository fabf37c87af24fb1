"""Documents of one number rank central first, then by how many links point at them (kept with every
link write), and a jurisdiction turns the central preference off; stored texts are searched with a
marked, escaped snippet. On both stores."""

from __future__ import annotations

import datetime as dt
import hashlib
import html

import httpx
import pytest

from graph.identity import DocumentDraft
from graph.models import DocumentFilter, LinkDraft, Relation, SourceText
from graph.ports import GraphStore
from graph.search import RECALL_DEPTH
from graph.text import nfc
from tests.conftest import WRITE_HEADERS

pytestmark = pytest.mark.contract

OLD_CENTRAL = DocumentDraft(
    symbol="987-KL/TW", date=dt.date(2012, 3, 1), issuer="bo-chinh-tri", term="XI", title="Về phát triển lâm nghiệp"
)
NEW_CENTRAL = DocumentDraft(
    symbol="987-KL/TW", date=dt.date(2017, 5, 2), issuer="bo-chinh-tri", term="XII", title="Về phát triển thủy sản"
)
PROVINCIAL = DocumentDraft(
    symbol="987-KL/TU", type="Kết luận", date=dt.date(2024, 6, 3), issuer="thanh-hoa.btv", title="Về phát triển du lịch"
)
CITING = [
    DocumentDraft(
        symbol=f"{n}-KH/TU", type="Kế hoạch", date=dt.date(2024, 8, 1), issuer="thanh-hoa.btv", title="Kế hoạch"
    )
    for n in (9871, 9872, 9873, 9874)
]


async def write(store: GraphStore) -> tuple[str, str, str, list[str]]:
    old, new, provincial, *citing = await store.upsert_documents([OLD_CENTRAL, NEW_CENTRAL, PROVINCIAL, *CITING])
    await store.upsert_links(
        [LinkDraft(source=c.key, relation=Relation.implements, target=provincial.key) for c in citing[:3]]
        + [LinkDraft(source=c.key, relation=Relation.implements, target=old.key) for c in citing[:2]]
        + [LinkDraft(source=citing[0].key, relation=Relation.cites, target=new.key)]
    )
    return old.key, new.key, provincial.key, [c.key for c in citing]


async def ranked(store: GraphStore, query: str, **filters: object) -> list[tuple[str, int]]:
    hits = await store.search(query, limit=50, **filters)  # type: ignore[arg-type]
    return [(h.key, h.cited_by) for h in hits if h.symbol.startswith("987-")]


@pytest.mark.parametrize("query", ["KL 987", "kl987", "kết luận 987", "987 KL"])
async def test_central_first_then_most_cited(seeded: GraphStore, query: str) -> None:
    old, new, provincial, _ = await write(seeded)
    assert await ranked(seeded, query) == [(old, 2), (new, 1), (provincial, 3)]


async def test_citations_written_later_reorder(seeded: GraphStore) -> None:
    old, new, provincial, citing = await write(seeded)
    await seeded.upsert_links([LinkDraft(source=c, relation=Relation.cites, target=new) for c in citing[1:]])
    assert await ranked(seeded, "KL 987") == [(new, 4), (old, 2), (provincial, 3)]


async def test_a_jurisdiction_turns_central_first_off(seeded: GraphStore) -> None:
    _, _, provincial, _ = await write(seeded)
    assert await ranked(seeded, "KL 987", jurisdiction="thanh-hoa") == [(provincial, 3)]


async def test_year_filter(seeded: GraphStore) -> None:
    _, new, _, _ = await write(seeded)
    assert [k for k, _ in await ranked(seeded, "KL 987", year=2017)] == [new]


TEXT = (
    "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy <b>tổ chức</b> quán triệt & triển khai thực hiện "
    "Kết luận số 987-KL/TW về phát triển lâm nghiệp bền vững."
)
OTHER_TEXT = "Các đơn vị chức năng báo cáo kết quả trước ngày 30 tháng 6."


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        pytest.param("to chuc quan triet", ["tổ", "chức", "quán", "triệt"], id="unaccented"),
        pytest.param("LÂM NGHIỆP", ["lâm", "nghiệp"], id="upper-case"),
        pytest.param("phat trien lam ngh", ["triển", "phát", "triển", "lâm", "nghiệp"], id="prefix-last"),
    ],
)
async def test_texts_are_found_with_a_marked_escaped_snippet(seeded: GraphStore, query: str, marked: list[str]) -> None:
    for text in (TEXT, OTHER_TEXT):
        key = "987-kl-tw-2012" if text == TEXT else None
        await seeded.put_text(
            SourceText(id=hashlib.sha256(nfc(text).encode()).hexdigest(), text=text, document_key=key)
        )
    [hit] = await seeded.search_texts(query)
    assert hit.document_key == "987-kl-tw-2012"
    assert [part.split("</mark>")[0] for part in hit.snippet.split("<mark>")[1:]] == marked
    plain = hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in plain and ">" not in plain
    assert html.unescape(plain).strip("…") in TEXT


async def test_every_word_of_a_text_query_must_be_there(seeded: GraphStore) -> None:
    await seeded.put_text(SourceText(id=hashlib.sha256(OTHER_TEXT.encode()).hexdigest(), text=OTHER_TEXT))
    assert await seeded.search_texts("to chuc") == []
    assert [h.document_key for h in await seeded.search_texts("chuc nang")] == [None]


SHARED = [
    DocumentDraft(symbol="9-KH/TU", type="Kế hoạch", date=day, issuer=issuer, title="Kế hoạch")
    for day, issuer in (
        (dt.date(2019, 3, 1), "thanh-hoa.btv"),
        (dt.date(2023, 3, 1), "thanh-hoa.btv"),
        (dt.date(2021, 3, 1), "nghe-an.btv"),
        (None, "bac-ninh.btv"),  # undated: last
        (dt.date(9000, 1, 1), "thanh-hoa.btv"),  # 9999 - 9000 has three digits: the order pads it
    )
]


async def test_documents_by_symbol_page_newest_first(seeded: GraphStore) -> None:
    written = await seeded.upsert_documents(SHARED)
    by_year = [d.key for d in sorted(written, key=lambda d: (-(d.year or 0), d.key))]
    pages = [await seeded.find_documents(DocumentFilter(symbol="9-kh/tu"), limit=2, offset=o) for o in (0, 2, 4)]
    assert [d.key for page in pages for d in page] == by_year
    narrowed = await seeded.find_documents(DocumentFilter(symbol="9-KH/TU", jurisdiction="nghe-an"))
    assert [d.jurisdiction for d in narrowed] == ["nghe-an"]


# More plans share one symbol than a recall takes: typed half-way, the symbol still finds the newest.
CROWDED = [
    DocumentDraft(
        symbol="5/KH-UBND", type="Kế hoạch", date=dt.date(year, 1, 2), jurisdiction="thanh-hoa", title="Kế hoạch"
    )
    for year in range(1950, 1960 + RECALL_DEPTH)
]


async def test_a_symbol_typed_half_way_finds_its_newest_documents(seeded: GraphStore) -> None:
    written = await seeded.upsert_documents(CROWDED)
    newest = [d.key for d in sorted(written, key=lambda d: -(d.year or 0))[:5]]
    assert [h.key for h in await seeded.search("5/KH-UB", limit=5)] == newest


async def test_http_text_search_names_the_text_and_its_document(client: httpx.AsyncClient) -> None:
    text = (
        "ĐẢNG BỘ TỈNH THANH HÓA\nBAN THƯỜNG VỤ TỈNH ỦY\nSố 41-KH/TU\n"
        "KẾ HOẠCH thực hiện Nghị quyết số 25-NQ/TW về công tác dân vận.\n"
        "Các cấp ủy tổ chức quán triệt sâu rộng & kịp thời đến cán bộ, đảng viên."
    )
    body = {"text": text, "jurisdiction": "thanh-hoa"}
    ingested = (await client.post("/ingest/text", json=body, headers=WRITE_HEADERS)).json()
    query = {"in": "text", "q": "quan triet sau rong"}
    assert (await client.get("/search", params=query)).status_code == 401  # stored texts are not public
    response = await client.get("/search", params=query, headers=WRITE_HEADERS)
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["text_id"] == ingested["text_id"]
    assert item["document_key"] == (ingested["document"] or {}).get("key")
    assert "<mark>quán</mark> <mark>triệt</mark> <mark>sâu</mark> <mark>rộng</mark> &amp; kịp" in item["snippet"]


# One type and number, two issuers: what has been typed of the symbol picks the spelling it begins.
TWO_ISSUERS = [
    DocumentDraft(
        symbol="12-KH/TU", type="Kế hoạch", date=dt.date(2024, 2, 1), issuer="thanh-hoa.btv", title="Kế hoạch"
    ),
    DocumentDraft(
        symbol="12/KH-UBND", type="Kế hoạch", date=dt.date(2023, 2, 1), jurisdiction="thanh-hoa", title="Kế hoạch"
    ),
]


@pytest.mark.parametrize(
    ("typed", "first"),
    [("12/KH-U", "12/KH-UBND"), ("12/KH-UB", "12/KH-UBND"), ("12/kh-u", "12/KH-UBND"), ("12-KH/T", "12-KH/TU")],
)
async def test_a_symbol_typed_half_way_ranks_the_spelling_it_begins_first(
    seeded: GraphStore, typed: str, first: str
) -> None:
    await seeded.upsert_documents(TWO_ISSUERS)
    named = {d.symbol for d in TWO_ISSUERS}
    found = [h.symbol for h in await seeded.search(typed, limit=10) if h.symbol in named]
    assert found == [first, *(named - {first})]

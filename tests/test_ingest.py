"""Extraction over HTTP and ingestion into both stores, on texts written for these tests."""

from __future__ import annotations

import httpx
import pytest

from graph.errors import StoreUnavailableError
from tests.conftest import WRITE_HEADERS

pytestmark = pytest.mark.api

PLAN_TEXT = (
    "Thực hiện Kết luận số 43-KL/TW, ngày 7-1-2019 của Ban Bí thư Trung ương Đảng về tiếp tục thực hiện "
    "Nghị quyết số 25-NQ/TW, ngày 3-6-2013 của Ban Chấp hành Trung ương Đảng khóa XI về công tác dân vận, "
    "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch (số 210-KH/TU, ngày 5-4-2019) như sau:\n"
    "1. Các cấp ủy quán triệt và triển khai thực hiện Chỉ thị số 16/CT-TTg, ngày 16-5-2016 của Thủ tướng Chính phủ.\n"
    "2. Tiếp tục thực hiện Nghị quyết số 07-NQ/TU, ngày 12-3-2018 của Ban Thường vụ Tỉnh ủy về xây dựng hệ thống "
    "chính trị.\n"
)


async def test_extract_writes_nothing(client: httpx.AsyncClient) -> None:
    before = (await client.get("/stats")).json()
    response = await client.post("/extract", json={"text": PLAN_TEXT, "jurisdiction": "Nghệ An"})
    assert response.status_code == 200
    body = response.json()
    assert body["document"]["symbol"] == "210-KH/TU"
    refs = {r["symbol"]: r for r in body["references"]}
    assert refs["43-KL/TW"]["resolution"] == {
        "status": "resolved",
        "key": "43-kl-tw-2019",
        "candidates": ["43-kl-tw-2019"],
    }
    assert refs["07-NQ/TU"]["resolution"]["status"] == "unknown"
    assert (await client.get("/stats")).json() == before


async def test_ingest_text_upserts_documents_stubs_and_links_once(client: httpx.AsyncClient) -> None:
    body = {"text": PLAN_TEXT, "jurisdiction": "Nghệ An"}
    assert (await client.post("/ingest/text", json=body)).status_code == 401
    first = await client.post("/ingest/text", json=body, headers=WRITE_HEADERS)
    assert first.status_code == 201, first.text
    report = first.json()
    assert report["text_created"] is True
    assert report["document"]["key"] == "210-kh-tu-2019.nghe-an" and report["document"]["stub"] is False
    assert "07-nq-tu-2018.nghe-an" in report["documents_created"]
    created = {(link["source"], link["relation"], link["target"]) for link in report["links_created"]}
    assert ("210-kh-tu-2019.nghe-an", "implements", "43-kl-tw-2019") in created
    assert all(
        link["origin"] == "extracted" and link["source_text_id"] == report["text_id"]
        for link in report["links_created"]
    )
    for link in report["links_created"]:
        assert 0 <= link["span_start"] < link["span_end"] <= len(PLAN_TEXT) and link["evidence"]
    stub = (await client.get("/documents/07-nq-tu-2018.nghe-an")).json()
    assert stub["stub"] is True and stub["jurisdiction"] == "nghe-an"
    implementers = (await client.get("/documents/25-nq-tw-2013/implementers", params={"level": "province"})).json()
    assert "210-kh-tu-2019.nghe-an" in {d["key"] for d in implementers["items"]}

    stats = (await client.get("/stats")).json()
    again = (await client.post("/ingest/text", json=body, headers=WRITE_HEADERS)).json()
    assert again["text_created"] is False and again["links_created"] == [] and again["documents_created"] == []
    assert (await client.get("/stats")).json() == stats


async def test_ingest_limits(client: httpx.AsyncClient) -> None:
    empty = await client.post("/ingest/text", json={"text": "   "}, headers=WRITE_HEADERS)
    assert empty.status_code == 422
    huge = await client.post("/ingest/text", json={"text": "a" * (2 * 1024 * 1024 + 1)}, headers=WRITE_HEADERS)
    assert huge.status_code == 413
    unknown = await client.post(
        "/ingest/text", json={"text": PLAN_TEXT, "jurisdiction": "Atlantis"}, headers=WRITE_HEADERS
    )
    assert unknown.status_code == 422 and "Atlantis" in unknown.json()["detail"]


DECREE_TEXT = (
    "CHÍNH PHỦ\nSố: 44/2024/NĐ-CP\nHà Nội, ngày 10 tháng 4 năm 2024\nNGHỊ ĐỊNH\n"
    "Căn cứ Luật Tổ chức Chính phủ số 76/2015/QH13 ngày 19 tháng 6 năm 2015;\n"
    "Chính phủ ban hành Nghị định.\n"
    "Điều 1. Bãi bỏ Nghị định số 88/2017/NĐ-CP ngày 27/7/2017 của Chính phủ sửa đổi, bổ sung một số điều của "
    "Nghị định số 56/2015/NĐ-CP ngày 9/6/2015 của Chính phủ.\n"
)


async def test_ingest_links_carry_provenance(client: httpx.AsyncClient) -> None:
    response = await client.post("/ingest/text", json={"text": DECREE_TEXT}, headers=WRITE_HEADERS)
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["document"]["symbol"] == "44/2024/NĐ-CP"
    created = {(link["source"], link["relation"], link["target"]): link for link in report["links_created"]}
    assert set(created) == {
        ("44-2024-nd-cp", "based_on", "76-2015-qh13"),
        ("44-2024-nd-cp", "repeals", "88-2017-nd-cp"),
        ("88-2017-nd-cp", "amends", "56-2015-nd-cp"),
    }
    for link in created.values():
        assert link["origin"] == "extracted" and link["source_text_id"] == report["text_id"]
        assert DECREE_TEXT[link["span_start"] : link["span_end"]] == link["evidence"]
        assert 0.0 < link["confidence"] <= 1.0
    stored = (await client.get("/documents/88-2017-nd-cp/links", params={"direction": "out"})).json()
    (amends,) = stored["items"]
    expected_start = created[("88-2017-nd-cp", "amends", "56-2015-nd-cp")]["span_start"]
    assert (amends["relation"], amends["origin"], amends["span_start"]) == ("amends", "extracted", expected_start)
    stub = (await client.get("/documents/88-2017-nd-cp")).json()
    assert stub["stub"] is True and stub["date"] == "2017-07-27"
    registered = (await client.get("/documents/56-2015-nd-cp")).json()  # in the registry: completed, not a stub
    assert registered["stub"] is False and registered["date"] == "2015-06-09"


async def test_extract_validates_its_input(client: httpx.AsyncClient) -> None:
    assert (await client.post("/extract", json={"text": ""})).status_code == 422
    assert (await client.post("/extract", json={})).status_code == 422
    meeting = (
        "Sáng 12/7, Tỉnh ủy tổ chức hội nghị sơ kết việc thực hiện Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương."
    )
    body = (await client.post("/extract", json={"text": meeting})).json()
    assert body["document"] is None and body["links"] == []
    assert [r["symbol"] for r in body["references"]] == ["18-NQ/TW"]


ORDERING_PLAN_TEXT = (
    "Thực hiện Kết luận số 43-KL/TW, ngày 7-1-2019 của Ban Bí thư Trung ương Đảng, Ban Thường vụ Tỉnh ủy ban hành "
    "Kế hoạch (số 215-KH/TU, ngày 20-5-2019) như sau:\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "Nâng cao nhận thức của cán bộ, đảng viên về công tác dân vận.\n"
    "II. TỔ CHỨC THỰC HIỆN\n"
    "1. Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy xây dựng kế hoạch thực hiện Kết luận số 43-KL/TW "
    "và Kế hoạch này, hoàn thành trong quý III năm 2019.\n"
    "2. Ban Tuyên giáo Tỉnh ủy chủ trì tuyên truyền Kế hoạch này.\n"
)


async def test_ingest_proposes_obligations_scoped_to_the_texts_jurisdiction(client: httpx.AsyncClient) -> None:
    body = {"text": ORDERING_PLAN_TEXT, "jurisdiction": "Thanh Hóa"}
    response = await client.post("/ingest/text", json=body, headers=WRITE_HEADERS)
    assert response.status_code == 201, response.text
    proposed = response.json()["obligations_proposed"]
    assert {(o["document"], o["level"], o["parent"], o["status"]) for o in proposed} == {
        ("43-kl-tw-2019", "district", "thanh-hoa", "proposed"),
        ("215-kh-tu-2019.thanh-hoa", "district", "thanh-hoa", "proposed"),
    }
    listed = (await client.get("/documents/43-kl-tw-2019/obligations")).json()["items"]
    assert [o["id"] for o in listed if o["status"] == "proposed"] == [
        o["id"] for o in proposed if o["document"] == "43-kl-tw-2019"
    ]
    again = (await client.post("/ingest/text", json=body, headers=WRITE_HEADERS)).json()
    assert sorted(o["id"] for o in again["obligations_proposed"]) == sorted(o["id"] for o in proposed)
    assert len((await client.get("/documents/43-kl-tw-2019/obligations")).json()["items"]) == len(listed)


DISTRICT_PLAN_TEXT = (
    "Thực hiện Kế hoạch số 152-KH/TU, ngày 3-3-2021 của Ban Thường vụ Tỉnh ủy về chuyển đổi số, "
    "Ban Thường vụ Huyện ủy ban hành Kế hoạch (số 61-KH/HU, ngày 12-4-2021) như sau:\n"
    "1. Tiếp tục thực hiện Nghị quyết số 05-NQ/HU, ngày 10-8-2020 của Ban Chấp hành Đảng bộ huyện.\n"
)


async def test_a_district_text_scopes_province_series_to_the_province_and_its_own_to_the_district(
    client: httpx.AsyncClient,
) -> None:
    body = {"text": DISTRICT_PLAN_TEXT, "jurisdiction": "thanh-hoa.hoang-hoa"}
    report = (await client.post("/ingest/text", json=body, headers=WRITE_HEADERS)).json()
    assert report["document"]["key"] == "61-kh-hu-2021.thanh-hoa.hoang-hoa"
    assert {"152-kh-tu-2021.thanh-hoa", "05-nq-hu-2020.thanh-hoa.hoang-hoa"} <= set(report["documents_created"])
    assert (await client.get("/documents/152-kh-tu-2021.thanh-hoa")).json()["level"] == "province"


async def test_a_district_series_in_a_provincial_text_is_not_guessed_into_a_district(client: httpx.AsyncClient) -> None:
    body = {"text": DISTRICT_PLAN_TEXT, "jurisdiction": "Thanh Hóa"}
    report = (await client.post("/ingest/text", json=body, headers=WRITE_HEADERS)).json()
    assert report["document"] is None
    assert "152-kh-tu-2021.thanh-hoa" in report["documents_created"]
    assert any(note.startswith("document 61-KH/HU") for note in report["skipped"])
    assert not any("-hu-" in key for key in report["documents_created"])


async def test_an_ingest_whose_write_fails_leaves_nothing_behind(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = client._transport.app.state.store  # type: ignore[attr-defined]

    async def refused(*_: object, **__: object) -> None:
        raise StoreUnavailableError("the disk is full")

    monkeypatch.setattr(store, "put_text", refused)  # the last write of an ingest
    before = (await client.get("/stats")).json()
    response = await client.post(
        "/ingest/text", json={"text": PLAN_TEXT, "jurisdiction": "nghe-an"}, headers=WRITE_HEADERS
    )
    assert response.status_code == 503
    assert (await client.get("/stats")).json() == before
    assert (await client.get("/documents", params={"symbol": "210-KH/TU"})).json()["items"] == []
    changes = (await client.get("/changes", headers=WRITE_HEADERS)).json()["items"]
    failed = [c for c in changes if c["path"] == "/ingest/text"][-1]
    assert failed["status"] == "failed" and failed["keys"], failed

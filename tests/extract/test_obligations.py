"""Dated orders read from a text: the level obliged, the action and the deadline; sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from graph.extract.deadlines import find_deadlines
from graph.extract.obligations import (
    OrderedObligation,
    ordered_drafts,
    ordered_obligations,
    with_ordered_obligations,
)
from graph.models import Document, Level, Organization
from graph.obligations import Deadline, ObligationDraft, ObligationStatus
from graph.text import fold
from tests.conftest import WRITE_HEADERS

ISSUED = dt.date(2025, 6, 2)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("phrase", "due", "within_days"),
    [
        ("hoàn thành trước ngày 30/6/2025", dt.date(2025, 6, 30), None),
        ("trước ngày 30-6-2025", dt.date(2025, 6, 30), None),
        ("trước 31-12-2025", dt.date(2025, 12, 31), None),
        ("chậm nhất ngày 15.01.2026", dt.date(2026, 1, 15), None),
        ("trước ngày 30 tháng 9 năm 2025", dt.date(2025, 9, 30), None),
        ("trước ngày 10/7", dt.date(2025, 7, 10), None),
        ("trước ngày 10/1", dt.date(2026, 1, 10), None),  # already past in June: next January
        ("trong quý III/2025", dt.date(2025, 9, 30), None),
        ("hoàn thành trong quý IV năm 2025", dt.date(2025, 12, 31), None),
        ("trước quý III/2025", dt.date(2025, 6, 30), None),
        ("trong tháng 8/2025", dt.date(2025, 8, 31), None),
        ("trước tháng 9 năm 2025", dt.date(2025, 8, 31), None),
        ("trong năm 2026", dt.date(2026, 12, 31), None),
        ("trong thời hạn 30 ngày kể từ ngày ký", None, 30),
        ("trong vòng 45 ngày, kể từ ngày ban hành", None, 45),
    ],
)
def test_deadline_forms(phrase: str, due: dt.date | None, within_days: int | None) -> None:
    folded = fold(phrase)
    found = find_deadlines(folded, 0, len(folded), ISSUED)
    assert [(d.due, d.within_days) for d in found] == [(due, within_days)]


@pytest.mark.unit
@pytest.mark.parametrize(
    "phrase",
    [
        "trong giai đoạn năm 2021-2025",
        "trong 15 ngày làm việc kể từ ngày ký",
        "đạt 2/3 số xã",
        "ngày 30/6/2025",  # a date with no word of time limit
        "trước ngày 31/2/2025",  # no such day
    ],
)
def test_no_deadline(phrase: str) -> None:
    folded = fold(phrase)
    assert find_deadlines(folded, 0, len(folded), ISSUED) == []


@pytest.mark.unit
def test_year_less_day_needs_the_issue_date() -> None:
    folded = fold("trước ngày 10/7")
    assert find_deadlines(folded, 0, len(folded), None) == []


def summary(found: tuple[OrderedObligation, ...]) -> list[tuple[str, str, str, str | None, int | None]]:
    return [(o.level.value, o.kind, o.source, o.due.isoformat() if o.due else None, o.within_days) for o in found]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Các tỉnh ủy, thành ủy xây dựng kế hoạch thực hiện Chỉ thị này, hoàn thành trước ngày 30/7/2025.",
            [("province", "plan", "sentence", "2025-07-30", None)],
        ),
        (
            "Các ban cán sự đảng, đảng đoàn, đảng ủy trực thuộc Trung ương báo cáo kết quả về Ban Bí thư "
            "trước 31-12-2025.",
            [("ministry", "report", "sentence", "2025-12-31", None)],
        ),
        (
            "Các tỉnh ủy, thành ủy và các ban cán sự đảng ban hành chương trình hành động trong quý III/2025.",
            [
                ("province", "plan", "sentence", "2025-09-30", None),
                ("ministry", "plan", "sentence", "2025-09-30", None),
            ],
        ),
        (
            "Các huyện, thị, thành ủy xây dựng kế hoạch trước ngày 15/8/2025; báo cáo Ban Thường vụ Tỉnh ủy "
            "trong tháng 12/2025.",
            [
                ("district", "plan", "sentence", "2025-08-15", None),
                ("district", "report", "sentence", "2025-12-31", None),
            ],
        ),
        (
            "2. Đảng ủy các xã, phường, đặc khu cụ thể hóa bằng kế hoạch trong thời hạn 30 ngày kể từ ngày ký.",
            [("commune", "plan", "sentence", None, 30)],
        ),
        (
            "UBND các tỉnh, thành phố trực thuộc Trung ương ban hành kế hoạch trước ngày 15 tháng 8 năm 2025.",
            [("province", "plan", "sentence", "2025-08-15", None)],
        ),
        (
            "- Các sở, ban, ngành xây dựng kế hoạch của ngành trước ngày 20/7.",
            [("unit", "plan", "sentence", "2025-07-20", None)],
        ),
        (
            "Trước ngày 30/9/2025, các bộ, ngành Trung ương xây dựng đề án và báo cáo Chính phủ.",
            [("ministry", "plan", "sentence", "2025-09-30", None)],
        ),
        # Orders with no date, and dates with no order, propose nothing.
        ("Các tỉnh ủy, thành ủy xây dựng kế hoạch thực hiện Chỉ thị này.", []),
        ("Các tỉnh ủy, thành ủy tổ chức quán triệt trước ngày 30/6/2025.", []),
        # A single body is the issuer or a helper, not a level of units.
        ("Ban Thường vụ Tỉnh ủy ban hành kế hoạch trước ngày 30/6/2025.", []),
        ("Văn phòng Tỉnh ủy theo dõi, báo cáo kết quả trước ngày 30/6/2025.", []),
        ("Các thành viên xây dựng kế hoạch trước ngày 30/6/2025.", []),
    ],
)
def test_orders_in_a_sentence(sentence: str, expected: list[tuple[str, str, str, str | None, int | None]]) -> None:
    assert summary(ordered_obligations(sentence, ISSUED)) == expected


DIRECTIVE = (
    "BAN CHẤP HÀNH TRUNG ƯƠNG\n"
    "Số 91-CT/TW\n"
    "CHỈ THỊ\n"
    "1. Các cấp ủy, tổ chức đảng xây dựng kế hoạch thực hiện Chỉ thị này trước ngày 31/8/2025.\n"
    "2. Báo cáo kết quả về Ban Bí thư (qua Văn phòng Trung ương Đảng) trong quý IV/2025.\n"
    "Nơi nhận:\n"
    "- Các tỉnh ủy, thành ủy,\n"
    "- Các ban cán sự đảng, đảng đoàn,\n"
    "  đảng ủy trực thuộc Trung ương,\n"
    "- Các đồng chí Ủy viên Ban Chấp hành Trung ương,\n"
    "- Lưu Văn phòng Trung ương.\n"
    "T/M BAN BÍ THƯ\n"
)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            DIRECTIVE,
            [
                ("province", "plan", "recipients", "2025-08-31", None),
                ("ministry", "plan", "recipients", "2025-08-31", None),
                ("province", "report", "recipients", "2025-12-31", None),
                ("ministry", "report", "recipients", "2025-12-31", None),
            ],
        ),
        (
            "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương\n"
            "Đề nghị báo cáo tình hình thực hiện trước ngày 15/12/2025.\n",
            [("province", "report", "recipients", "2025-12-15", None)],
        ),
        # The units the sentence before named, for an order that follows them without a subject.
        (
            "Đề nghị các bộ, ngành và UBND các tỉnh/thành phố xây dựng báo cáo sơ kết.\n"
            "Báo cáo sơ kết gửi về Bộ Nội vụ trước ngày 15 tháng 11 năm 2025.\n",
            [
                ("ministry", "report", "sentence", "2025-11-15", None),
                ("province", "report", "sentence", "2025-11-15", None),
            ],
        ),
        # The units a line ending in ":" introduces, for the items under it, until the next numbered item.
        (
            "2. Đề nghị các tỉnh ủy, thành ủy:\n"
            "- Xây dựng kế hoạch thực hiện trước ngày 31/7/2025;\n"
            "- Báo cáo kết quả về Ban Bí thư trong quý IV/2025.\n"
            "3. Báo cáo Bộ Chính trị trước ngày 31/12/2025.\n",
            [
                ("province", "plan", "sentence", "2025-07-31", None),
                ("province", "report", "sentence", "2025-12-31", None),
            ],
        ),
        # A report named by its number is no order to report.
        ("Các tỉnh ủy, thành ủy theo Báo cáo số 12-BC/TW trước ngày 30/6/2025.\n", []),
        # A general order and no list of recipients: nobody to oblige.
        ("Các cấp ủy xây dựng kế hoạch trước ngày 31/8/2025.\n", []),
    ],
)
def test_general_orders_oblige_the_recipients(
    text: str, expected: list[tuple[str, str, str, str | None, int | None]]
) -> None:
    assert summary(ordered_obligations(text, ISSUED)) == expected


@pytest.mark.unit
def test_units_and_evidence_are_as_written() -> None:
    (found,) = ordered_obligations(
        "3. Các tỉnh ủy, thành ủy xây dựng kế hoạch trước ngày 30/7/2025.", ISSUED, "91-CT/TW"
    )
    assert found.units == ("Các tỉnh ủy, thành ủy",)
    assert found.evidence == "Các tỉnh ủy, thành ủy xây dựng kế hoạch trước ngày 30/7/2025."
    assert found.to_dict()["deadlines"] == [{"kind": "plan", "due": "2025-07-30", "within_days": None}]
    assert found.to_dict()["targets"] == ["91-CT/TW"] and found.to_dict()["status"] == "proposed"


PROVINCE = Organization(key="nghe-an", name="Tỉnh Nghệ An", kind="administrative_unit", level=Level.province)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (None, [(Level.province, None), (Level.ministry, None)]),
        (PROVINCE, []),  # a province's own text: provinces and ministries are not its units
    ],
)
def test_drafts_one_per_level(unit: Organization | None, expected: list[tuple[Level, str | None]]) -> None:
    found = ordered_obligations(DIRECTIVE, ISSUED)
    drafts = ordered_drafts(found, "91-ct-tw-2025", unit)
    assert [(d.level, d.parent) for d in drafts] == expected
    for draft in drafts:
        assert draft.status == ObligationStatus.proposed
        assert [(d.kind, d.due) for d in draft.deadlines] == [
            ("plan", dt.date(2025, 8, 31)),
            ("report", dt.date(2025, 12, 31)),
        ]


@pytest.mark.unit
def test_a_dated_draft_replaces_an_undated_one() -> None:
    document = Document(key="12-kh-tu-2025.nghe-an", symbol="12-KH/TU", date=ISSUED)
    undated = ObligationDraft(
        document=document.key, level=Level.commune, parent="nghe-an", status=ObligationStatus.proposed
    )
    elsewhere = ObligationDraft(
        document="57-nq-tw-2024", level=Level.commune, parent="nghe-an", status=ObligationStatus.proposed
    )
    text = "Đảng ủy các xã, phường xây dựng kế hoạch trước ngày 31/7/2025."
    merged = with_ordered_obligations([undated, elsewhere], text, document, PROVINCE)
    assert [(d.document, d.deadlines) for d in merged] == [
        ("57-nq-tw-2024", []),
        (document.key, [Deadline(kind="plan", due=dt.date(2025, 7, 31))]),
    ]


CENTRAL_TEXT = (
    "BAN CHẤP HÀNH TRUNG ƯƠNG\n"
    "ĐẢNG CỘNG SẢN VIỆT NAM\n"
    "Số 93-CT/TW\n"
    "Hà Nội, ngày 2 tháng 6 năm 2025\n"
    "CHỈ THỊ\n"
    "CỦA BAN BÍ THƯ\n"
    "về công tác thử nghiệm\n"
    "1. Các tỉnh ủy, thành ủy xây dựng kế hoạch thực hiện Chỉ thị này, hoàn thành trước ngày 31/7/2025.\n"
)


@pytest.mark.api
async def test_ingest_and_preview_propose_dated_obligations(client: httpx.AsyncClient) -> None:
    preview = (await client.post("/extract", json={"text": CENTRAL_TEXT})).json()
    dated = [o for o in preview["obligations"] if o.get("deadlines")]
    assert [(o["levels"], o["deadlines"][0]["due"], o["targets"]) for o in dated] == [
        (["province"], "2025-07-31", ["93-CT/TW"])
    ]
    response = await client.post("/ingest/text", json={"text": CENTRAL_TEXT}, headers=WRITE_HEADERS)
    assert response.status_code == 201, response.text
    body = response.json()
    key = body["document"]["key"]
    proposed = [o for o in body["obligations_proposed"] if o["document"] == key]
    assert [(o["level"], o["status"], o["deadlines"]) for o in proposed] == [
        ("province", "proposed", [{"kind": "plan", "due": "2025-07-31", "within_days": None}])
    ]
    listed = (await client.get(f"/documents/{key}/obligations")).json()["items"]
    assert [o["id"] for o in listed] == [o["id"] for o in proposed]

"""Ingest and extracting stored texts again, on both stores: decisions stand, order is checked quietly."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.models import Review
from graph.ports import GraphStore
from graph.usecases.ingest import ingest_text
from graph.usecases.reextract import reextract
from tests.test_ingest import PLAN_TEXT

pytestmark = pytest.mark.contract

PLAN = "210-kh-tu-2019.nghe-an"
# A plan of 2019 said to carry out a conclusion of 2021: extraction must not fail, nor write that link.
OUT_OF_ORDER_TEXT = (
    "Thực hiện Kết luận số 98-KL/TW, ngày 7-1-2021 của Ban Bí thư Trung ương Đảng về công tác dân vận, "
    "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch (số 211-KH/TU, ngày 5-4-2019) như sau:\n"
    "1. Các cấp ủy quán triệt Kết luận số 98-KL/TW.\n"
)


async def test_an_out_of_order_link_is_counted_not_written(seeded: GraphStore) -> None:
    report = await ingest_text(seeded, OUT_OF_ORDER_TEXT, "nghe-an")
    assert report.links_out_of_order >= 1
    assert not [link for link in report.links_created if link.relation.value == "implements"]


@pytest.mark.parametrize("decision", [Review.rejected, Review.accepted])
async def test_reextract_keeps_every_decision(seeded: GraphStore, decision: Review) -> None:
    first = await ingest_text(seeded, PLAN_TEXT, "nghe-an")
    decided = first.links_created[0]
    await seeded.update_link(decided.model_copy(update={"review": decision}))
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    report = await reextract(seeded, since)
    assert (report.texts, report.links_created, report.failed) == (1, 0, {})
    assert report.links_existing == len(first.links_created) + first.links_existing
    after = await seeded.get_link(decided.id)
    assert after.review == decision and after.provenance == (await seeded.get_link(decided.id)).provenance
    assert [p.text_id for p in after.provenance] == [first.text_id]
    later = await reextract(seeded, dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    assert later.texts == 0

"""The pure decisions of a correction: which key a corrected document gets, what a stub keeps, what a merge fills."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.models import Document, EffectStatus, Level, StatusSource
from graph.usecases.corrections import corrected_key, merged_document, stub_match_keys, stub_of

pytestmark = pytest.mark.unit

CONCLUSION = Document(key="43-kl-tw-2019", symbol="43-KL/TW", number="43", year=2019, level=Level.central)
PLAN = Document(
    key="138-kh-tu-2019.thanh-hoa",
    symbol="138-KH/TU",
    number="138",
    year=2019,
    level=Level.province,
    jurisdiction="thanh-hoa",
)
LAW = Document(key="luat-dat-dai-2013", symbol="", type="Luật", title="Luật Đất đai năm 2013", year=2013)


@pytest.mark.parametrize(
    ("before", "change", "key"),
    [
        (CONCLUSION, {"title": "Về tiếp tục đổi mới", "date": dt.date(2019, 1, 7)}, CONCLUSION.key),
        (CONCLUSION, {"symbol": "44-KL/TW"}, "44-kl-tw-2019"),
        (CONCLUSION, {"year": 2018}, "43-kl-tw-2018"),
        (PLAN, {"jurisdiction": "nghe-an"}, "138-kh-tu-2019.nghe-an"),
        (PLAN, {"level": Level.central}, "138-kh-tu-2019"),
        (PLAN, {"issuer": "thanh-hoa.btv"}, PLAN.key),
        (LAW, {"title": "Luật Đất đai năm 2024", "year": 2024}, "luat-dat-dai-2024"),
    ],
)
def test_only_a_new_identity_gives_a_new_key(before: Document, change: dict[str, object], key: str) -> None:
    assert corrected_key(before, before.model_copy(update=change)) == key


@pytest.mark.parametrize(
    ("document", "kept", "match_keys"),
    [
        (
            CONCLUSION.model_copy(update={"title": "Về", "aliases": ["43-KL/TƯ"], "status": EffectStatus.in_force}),
            {"key": "43-kl-tw-2019", "symbol": "43-KL/TW", "number": "43", "year": 2019, "title": None},
            1,
        ),
        (LAW, {"key": LAW.key, "symbol": "", "type": "Luật", "title": LAW.title, "year": 2013}, 1),
    ],
)
def test_a_stub_keeps_what_a_citation_tells(document: Document, kept: dict[str, object], match_keys: int) -> None:
    stub = stub_of(document)
    assert stub.stub and stub.status == EffectStatus.unknown and stub.aliases == [] and stub.level is None
    assert {name: getattr(stub, name) for name in kept} == kept
    assert len(stub_match_keys(stub)) == match_keys


def test_a_merge_fills_only_empty_fields_and_keeps_every_spelling() -> None:
    duplicate = Document(
        key="430-kl-tw-2019",
        symbol="430-KL/TW",
        aliases=["430-KL/TƯ"],
        year=2020,
        title="Về tiếp tục đổi mới",
        status=EffectStatus.in_force,
        status_source=StatusSource.curated,
    )
    merged = merged_document(CONCLUSION, duplicate)
    assert (merged.key, merged.symbol, merged.year, merged.level) == ("43-kl-tw-2019", "43-KL/TW", 2019, Level.central)
    assert (merged.title, merged.status, merged.status_source) == (
        "Về tiếp tục đổi mới",
        EffectStatus.in_force,
        StatusSource.curated,
    )
    assert merged.aliases == ["430-KL/TW", "430-KL/TƯ"]

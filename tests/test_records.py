"""Documents and links built from stored rows without validation equal the validated models, field for field."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from pydantic import BaseModel

from graph.effects import as_of, effects_json
from graph.models import Document, Effect, EffectStatus, Implementer, LineageNode, Link, StatusSource
from graph.records import trusted_document, trusted_link
from graph.review import first_entry

ROW: dict[str, Any] = {
    "key": "25-nq-tw-2023",
    "symbol": "25-NQ/TW",
    "aliases": ["NQ 25"],
    "type": "Nghị quyết",
    "number": "25",
    "date": "2023-06-01",
    "year": 2023,
    "issuer": "bch-tw",
    "level": "central",
    "jurisdiction": None,
    "term": "XIII",
    "title": "Nghị quyết về công tác dân vận",
    "status": "unknown",
    "effective_from": None,
    "effective_to": "2030-12-31",
    "stub": 0,
    "status_source": "derived",
    "effects": "[]",
}
REPEALED = effects_json([Effect(EffectStatus.repealed, dt.date(2024, 1, 1), "l1", "1-nq-tw-2024")])
DOCUMENT_ROWS = [
    ROW,
    ROW | {"effects": REPEALED},
    ROW | {"status_source": "curated", "status": "expired", "level": None, "date": None, "aliases": []},
]
SUBCLASSES: list[tuple[type[Document], dict[str, Any]]] = [
    (Document, {}),
    (LineageNode, {"depth": 2}),
    (Implementer, {"via": ["a", "b"]}),
]


def validated(row: dict[str, Any], cls: type[Document], extra: dict[str, Any]) -> Document:
    """The same row through pydantic validation, settled on today as reads are."""
    fields = {k: v for k, v in row.items() if k not in ("effects", "stub")} | {"stub": bool(row["stub"])}
    document = cls.model_validate(fields | extra)
    stored = json.loads(row["effects"])
    effects = [Effect(EffectStatus(k), dt.date.fromisoformat(d), link, source) for k, d, link, source in stored]
    return as_of(document.model_copy(update={"effects": effects, "status_source": StatusSource(row["status_source"])}))


def dumped(model: BaseModel) -> str:
    return model.model_dump_json()


@pytest.mark.parametrize("row", DOCUMENT_ROWS)
@pytest.mark.parametrize(("cls", "extra"), SUBCLASSES)
def test_trusted_document_is_the_validated_document(
    row: dict[str, Any], cls: type[Document], extra: dict[str, Any]
) -> None:
    trusted = trusted_document(row, cls, **extra)
    expected = validated(row, cls, extra)
    assert type(trusted) is cls
    assert dumped(trusted) == dumped(expected)
    assert trusted == expected


LINK_ROW: dict[str, Any] = {
    "id": "l1",
    "source": "1-kh-tu-2023",
    "relation": "implements",
    "target": "25-nq-tw-2023",
    "origin": "extracted",
    "evidence": "thực hiện Nghị quyết số 25-NQ/TW",
    "source_text_id": "t1",
    "span_start": 3,
    "span_end": 20,
    "confidence": 0.9,
    "created_at": "2026-12-04T23:36:03.263446",
    "review": "proposed",
    "provenance": "[]",
    "corrected_to": None,
    "partial": 0,
    "flagged": 0,
    "source_symbol": "1-KH/TU",
    "target_symbol": "25-NQ/TW",
}
STORED_PROVENANCE = '[{"origin": "curated", "confidence": 1.0, "created_at": "2026-12-01T00:00:00"}]'


@pytest.mark.parametrize(
    "row",
    [LINK_ROW, LINK_ROW | {"provenance": STORED_PROVENANCE}, LINK_ROW | {"confidence": None, "created_at": None}],
)
def test_trusted_link_is_the_validated_link(row: dict[str, Any]) -> None:
    fields = {k: v for k, v in row.items() if k != "provenance"}
    fields |= {"partial": bool(row["partial"]), "flagged": bool(row["flagged"])}
    fields = {k: v for k, v in fields.items() if v is not None}
    expected = Link.model_validate(fields | {"provenance": json.loads(row["provenance"])})
    if not expected.provenance:
        expected = expected.model_copy(update={"provenance": [first_entry(expected)]})
    trusted = trusted_link(row)
    assert dumped(trusted) == dumped(expected)
    assert trusted == expected

"""Scoring against gold files: the seed article (read from ../shared/seed), the held-out corpus, the scorer itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.extract.evaluate import evaluate, score

pytestmark = pytest.mark.unit

SEED_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


@pytest.mark.seed_article
def test_seed_article_scores() -> None:
    if not any(SEED_DIR.glob("*.gold.json")):
        pytest.skip(f"no seed article at {SEED_DIR}: the shared folder is not beside this checkout")
    total = evaluate(SEED_DIR).total
    assert total.references.f1 >= 0.97, total.missed
    assert total.links.f1 >= 0.90, (total.missed, total.extra)


def test_held_out_corpus_scores() -> None:
    report = evaluate(CORPUS_DIR)
    assert len(report.files) >= 7
    total = report.total
    assert total.references.f1 >= 0.95, total.missed
    assert total.links.f1 >= 0.90, (total.missed, total.extra)


GOLD: dict[str, Any] = {
    "document": {"symbol": "5-KH/TU"},
    "references": [{"symbol": "43-KL/TW"}, {"symbol": "124-QĐ/TW", "aliases": ["124-QĐi/TW"]}],
    "links": [
        {"source": "5-KH/TU", "relation": "implements", "target": "43-KL/TW"},
        {"source": "5-KH/TU", "relation": "cites", "target": "124-QĐ/TW", "accept": ["implements"]},
    ],
}


def predicted(
    references: list[dict[str, Any]], links: list[tuple[str | None, str, str]], own: str | None = "5-KH/TU"
) -> dict[str, Any]:
    return {
        "document": {"symbol": own},
        "references": references,
        "links": [{"source": s, "relation": r, "target": t} for s, r, t in links],
    }


@pytest.mark.parametrize(
    ("extraction", "counts"),
    [
        (
            predicted(
                [{"symbol": "43-KL/TW"}, {"symbol": "124-QĐi/TW"}],
                [("5-KH/TU", "implements", "43-KL/TW"), ("5-KH/TU", "implements", "124-QĐi/TW")],
            ),
            ((2, 0, 0), (2, 0, 0)),
        ),
        (
            predicted([{"symbol": "43 - KL/TW"}], [("5-KH/TU", "cites", "43-KL/TW")]),
            ((1, 0, 1), (0, 1, 2)),
        ),
        (
            predicted([{"symbol": "43-KL/TW"}, {"symbol": "9-CT/TW"}], [(None, "implements", "43-KL/TW")], own=None),
            ((1, 1, 1), (1, 0, 1)),
        ),
    ],
    ids=["alias-and-accepted-relation", "spaces-ignored-wrong-relation", "own-without-symbol-stands-for-gold-own"],
)
def test_score(extraction: dict[str, Any], counts: tuple[tuple[int, int, int], tuple[int, int, int]]) -> None:
    scores = score(GOLD, extraction)
    got = tuple((c.tp, c.fp, c.fn) for c in (scores.references, scores.links))
    assert got == counts

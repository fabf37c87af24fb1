"""Scoring against gold files: the seed article (read from ../shared/seed), the held-out corpus, the scorer itself."""

from __future__ import annotations

import os
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


@pytest.mark.parametrize(
    ("extraction", "expected"),
    [
        (
            {"document": {"symbol": "5-KH/TU"}, "references": [{"symbol": "43-KL/TW"}], "named_references": [],
             "links": []},
            {"references": (1, 0, 0), "titles": (0, 0, 1), "links": (0, 0, 1)},
        ),
        (
            {
                "document": {"symbol": "43-KL/TW"},
                "references": [{"symbol": "5-KH/TU"}, {"symbol": "4-NQ/TW"}],
                "named_references": [{"title": "Luật Đất đai", "type": "Luật", "year": 2024}],
                "links": [{"source": "43-KL/TW", "relation": "cites", "target": "Luật Đất đai (2024)"}],
            },
            {"references": (1, 0, 0), "titles": (1, 0, 0), "links": (0, 1, 1)},
        ),
    ],
    ids=["title-missed", "wrong-own-is-a-reference-and-optional-symbol-ignored"],
)  # fmt: skip
def test_score_titles_own_document_and_optional_symbols(
    extraction: dict[str, Any], expected: dict[str, tuple[int, int, int]]
) -> None:
    gold = {
        "document": {"symbol": "5-KH/TU", "aliases": ["5-KH/TƯ"]},
        "references": [{"symbol": "43-KL/TW"}],
        "titles": [{"title": "Luật Đất đai", "type": "Luật", "year": 2024}],
        "named_references_without_symbol": [{"name": "Nghị quyết Trung ương 4", "resolves_to": "4-NQ/TW (2016)"}],
        "links": [{"source": "5-KH/TU", "relation": "based_on", "target": "Luật Đất đai (2024)"}],
    }
    scores = score(gold, extraction)
    got = {
        kind: (c.tp, c.fp, c.fn)
        for kind, c in (("references", scores.references), ("titles", scores.titles), ("links", scores.links))
    }
    assert got == expected


REAL_GOLD = Path(__file__).resolve().parent / "realgold"
REAL_PAGES = Path(os.environ.get("LEXGRAPH_REALPAGES", Path(__file__).resolve().parents[2] / "realpages"))


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_real_pages_score(split: str) -> None:
    """Real pages' texts stay outside the repository; their facts-only gold is here. Floors, not targets."""
    if not (REAL_PAGES / "001.txt").is_file():
        pytest.skip(f"no real page texts at {REAL_PAGES} (set LEXGRAPH_REALPAGES)")
    total = evaluate(REAL_GOLD, REAL_PAGES, split=split).total
    assert total.references.f1 >= 0.9, total.missed
    assert total.links.f1 >= 0.75, (total.missed, total.extra)
    assert total.relation_accuracy >= 0.9

"""Scoring extraction against hand-checked gold files: reference and link precision, recall and F1.

A gold file ``X.gold.json`` pairs with the text ``X.txt``. Symbols are compared after NFC and removing
spaces; a reference counts when found under any of its spellings (symbol or aliases). A link counts
when source, target and relation match, the relation being the gold one or any in its ``accept`` list;
the predicted own document stands for the gold ``document.symbol``. Totals are micro-averaged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.extract import extract
from graph.text import nfc

GOLD_SUFFIX = ".gold.json"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one kind of item."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Scores:
    """Reference and link counts of one file (or of many, summed), with what was missed or extra."""

    references: Counts
    links: Counts
    missed: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.references + other.references,
            self.links + other.links,
            self.missed + other.missed,
            self.extra + other.extra,
        )


@dataclass(frozen=True)
class Report:
    """Scores per gold file and their micro-averaged total."""

    files: tuple[tuple[str, Scores], ...] = field(default_factory=tuple)

    @property
    def total(self) -> Scores:
        total = Scores(Counts(), Counts())
        for _, scores in self.files:
            total = total + scores
        return total


def normalize_symbol(symbol: str) -> str:
    """The form symbols are compared in: NFC, no spaces."""
    return _SPACES.sub("", nfc(symbol))


def score(gold: dict[str, Any], extraction: dict[str, Any]) -> Scores:
    """Compare one extraction (``Extraction.to_dict()``) with one gold file's content."""
    gold_refs = [_spellings(r) for r in gold.get("references", [])]
    predicted_refs = [_spellings(r) for r in extraction.get("references", [])]
    matched_gold: set[int] = set()
    as_gold: dict[str, str] = {}
    for p_index, spellings in enumerate(predicted_refs):
        g_index = next((g for g, names in enumerate(gold_refs) if g not in matched_gold and names & spellings), None)
        if g_index is not None:
            matched_gold.add(g_index)
            canonical = normalize_symbol(gold["references"][g_index]["symbol"])
            as_gold.update(dict.fromkeys(spellings, canonical))
    references = Counts(len(matched_gold), len(predicted_refs) - len(matched_gold), len(gold_refs) - len(matched_gold))
    gold_own = (gold.get("document") or {}).get("symbol")
    predicted_own = (extraction.get("document") or {}).get("symbol")

    def end(symbol: str | None) -> str | None:
        if symbol == predicted_own and extraction.get("document") is not None:
            return normalize_symbol(gold_own) if gold_own else None
        return as_gold.get(normalize_symbol(symbol), normalize_symbol(symbol)) if symbol else None

    gold_links: dict[tuple[str | None, str | None], set[str]] = {
        (normalize_symbol(link["source"]), normalize_symbol(link["target"])): {
            link["relation"],
            *link.get("accept", []),
        }
        for link in gold.get("links", [])
    }
    predicted_links: dict[tuple[str | None, str | None], str] = {
        (end(link["source"]), end(link["target"])): link["relation"] for link in extraction.get("links", [])
    }
    hits = {pair for pair, relation in predicted_links.items() if relation in gold_links.get(pair, set())}
    links = Counts(len(hits), len(predicted_links) - len(hits), len(gold_links) - len(hits))
    missed = tuple(f"{s} {'/'.join(sorted(r))} {t}" for (s, t), r in gold_links.items() if (s, t) not in hits)
    extra = tuple(f"{s} {r} {t}" for (s, t), r in predicted_links.items() if (s, t) not in hits)
    return Scores(references, links, missed, extra)


def evaluate(gold_dir: Path, text_dir: Path | None = None) -> Report:
    """Extract every gold file's text (``text_dir``, default ``gold_dir``) and score it."""
    files: list[tuple[str, Scores]] = []
    for gold_path in sorted(gold_dir.glob(f"*{GOLD_SUFFIX}")):
        name = gold_path.name.removesuffix(GOLD_SUFFIX)
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = ((text_dir or gold_dir) / f"{name}.txt").read_text(encoding="utf-8")
        extraction = extract(text, jurisdiction=gold.get("jurisdiction")).to_dict()
        files.append((name, score(gold, extraction)))
    return Report(tuple(files))


def _spellings(reference: dict[str, Any]) -> set[str]:
    return {normalize_symbol(s) for s in (reference["symbol"], *(reference.get("aliases") or [])) if s}

"""Scoring extraction against hand-checked gold files: references, title references, links, relations.

A gold file ``X.gold.json`` pairs with the text ``X.txt``. Its keys:

* ``document``: the text's own document, ``{"symbol", "type", "date", "issuer", "aliases"?}`` or ``null``
  (a news report about a meeting). ``aliases`` are other spellings of the own symbol in the text.
* ``references``: documents named by symbol, ``{"symbol", "aliases"?, "type", "date", "issuer", "term"?}``.
  A reference counts when found under any of its spellings, compared after NFC and removing spaces.
* ``titles`` (optional): documents named by title only, ``{"title", "type", "year"}`` ("Luật Tổ chức chính
  quyền địa phương", "Luật", 2015); ``year`` may be ``null``. Matched with the extraction's
  ``named_references`` on type, folded title and year. Only gold files with a ``titles`` key score them
  (and the links to them: elsewhere such links are left out).
* ``links``: ``{"source", "relation", "target", "accept"?}``. Source and target are symbols, or the label
  ``"<title> (<year>)"`` (``"<title>"`` without a year) of a title reference. A link counts when source,
  target and relation match, the relation being the gold one or any in ``accept``.
* ``named_references_without_symbol`` (optional): ``{"name", "resolves_to"}``; the symbol ``resolves_to``
  starts with is optional: neither required nor an error, as a reference or a link end.
* ``url``, ``split`` (``"dev"`` or ``"heldout"``), ``jurisdiction``, ``notes``: bookkeeping.

The predicted own document stands for the gold own document; a predicted own document that is not the
gold one is still a document the text names, so it is scored as a predicted reference. Relation accuracy
is the share of predicted links on a gold (source, target) pair whose relation is accepted. Totals are
micro-averaged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.extract import extract
from graph.text import fold, nfc

GOLD_SUFFIX = ".gold.json"
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w]+")


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
    """Counts of one file (or of many, summed), with what was missed or extra.

    ``relations`` counts predicted links on gold pairs: ``tp`` right relation, ``fp`` wrong one.
    """

    references: Counts
    links: Counts
    missed: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    titles: Counts = Counts()
    relations: Counts = Counts()

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.references + other.references,
            self.links + other.links,
            self.missed + other.missed,
            self.extra + other.extra,
            self.titles + other.titles,
            self.relations + other.relations,
        )

    @property
    def relation_accuracy(self) -> float:
        return self.relations.precision


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


def title_key(title: str) -> str:
    """The form titles are compared in: folded, lower case, words only."""
    return _NOT_WORD.sub(" ", fold(nfc(title)).lower()).strip()


def title_label(title: str, year: int | None) -> str:
    """The name links use for a title reference: "Luật Đất đai (2024)"."""
    return f"{title} ({year})" if year else title


def score(gold: dict[str, Any], extraction: dict[str, Any]) -> Scores:
    """Compare one extraction (``Extraction.to_dict()``) with one gold file's content."""
    gold_doc = gold.get("document") or {}
    own_spellings = _spellings(gold_doc) if gold_doc.get("symbol") else set()
    predicted_doc = extraction.get("document") or {}
    predicted_own = predicted_doc.get("symbol")
    predicted = list(extraction.get("references", []))
    if predicted_own and normalize_symbol(predicted_own) not in own_spellings:
        predicted.append({"symbol": predicted_own})
    optional = {normalize_symbol(o) for o in _optional(gold)}
    predicted = [r for r in predicted if not _spellings(r) & (own_spellings | optional)]
    references, as_gold, ref_missed = _match_references(gold.get("references", []), predicted)
    titles = Counts()
    title_missed: list[str] = []
    # A gold file without titles cannot judge links to them: they are left out.
    unjudged = set() if "titles" in gold else {_label(n) for n in extraction.get("named_references", [])}
    if "titles" in gold:
        titles, title_names, title_missed = _match_titles(gold["titles"], extraction.get("named_references", []))
        as_gold.update(title_names)
    gold_own = normalize_symbol(gold_doc["symbol"]) if gold_doc.get("symbol") else None

    def end(symbol: str | None) -> str | None:
        if symbol == predicted_own and extraction.get("document") is not None:
            return gold_own
        return as_gold.get(normalize_symbol(symbol), normalize_symbol(symbol)) if symbol else None

    gold_links: dict[tuple[str | None, str | None], set[str]] = {
        (_end_name(link["source"]), _end_name(link["target"])): {link["relation"], *link.get("accept", [])}
        for link in gold.get("links", [])
    }
    predicted_links: dict[tuple[str | None, str | None], str] = {
        (end(link["source"]), end(link["target"])): link["relation"]
        for link in extraction.get("links", [])
        if not {end(link["source"]), end(link["target"])} & optional and link["target"] not in unjudged
    }
    hits = {pair for pair, relation in predicted_links.items() if relation in gold_links.get(pair, set())}
    on_pairs = [pair for pair in predicted_links if pair in gold_links]
    relations = Counts(len(hits), len(on_pairs) - len(hits), 0)
    links = Counts(len(hits), len(predicted_links) - len(hits), len(gold_links) - len(hits))
    missed = tuple(f"{s} {'/'.join(sorted(r))} {t}" for (s, t), r in gold_links.items() if (s, t) not in hits)
    extra = tuple(f"{s} {r} {t}" for (s, t), r in predicted_links.items() if (s, t) not in hits)
    return Scores(references, links, (*ref_missed, *title_missed, *missed), extra, titles, relations)


def _match_references(
    gold_refs: list[dict[str, Any]], predicted: list[dict[str, Any]]
) -> tuple[Counts, dict[str, str], list[str]]:
    """Reference counts, each matched predicted spelling's gold symbol, and the gold symbols missed."""
    gold_names = [_spellings(r) for r in gold_refs]
    matched: set[int] = set()
    as_gold: dict[str, str] = {}
    unmatched = 0
    for reference in predicted:
        spellings = _spellings(reference)
        index = next((g for g, names in enumerate(gold_names) if g not in matched and names & spellings), None)
        if index is None:
            unmatched += 1
            continue
        matched.add(index)
        as_gold.update(dict.fromkeys(spellings, normalize_symbol(gold_refs[index]["symbol"])))
    missed = [f"reference {r['symbol']}" for g, r in enumerate(gold_refs) if g not in matched]
    return Counts(len(matched), unmatched, len(gold_refs) - len(matched)), as_gold, missed


def _match_titles(
    gold_titles: list[dict[str, Any]], predicted: list[dict[str, Any]]
) -> tuple[Counts, dict[str, str], list[str]]:
    """Title reference counts, each matched prediction's label as the gold label, and the titles missed."""
    matched: set[int] = set()
    as_gold: dict[str, str] = {}
    unmatched = 0
    for named in predicted:
        index = next(
            (g for g, t in enumerate(gold_titles) if g not in matched and _same_title(t, named)),
            None,
        )
        if index is None:
            unmatched += 1
            continue
        matched.add(index)
        label = title_label(named.get("title") or named.get("name", ""), named.get("year"))
        gold_title = gold_titles[index]
        as_gold[normalize_symbol(label)] = normalize_symbol(title_label(gold_title["title"], gold_title["year"]))
    missed = [f"title {t['title']} ({t['year']})" for g, t in enumerate(gold_titles) if g not in matched]
    return Counts(len(matched), unmatched, len(gold_titles) - len(matched)), as_gold, missed


def _same_title(gold: dict[str, Any], named: dict[str, Any]) -> bool:
    title = named.get("title") or named.get("name") or ""
    if named.get("type") and gold.get("type") and named["type"] != gold["type"]:
        return False
    if gold.get("year") and named.get("year") != gold["year"]:
        return False
    return title_key(title) == title_key(gold["title"])


def _optional(gold: dict[str, Any]) -> list[str]:
    """Symbols the gold allows but does not require: what a name without symbol resolves to ("04-NQ/TW (...)")."""
    named = gold.get("named_references_without_symbol", [])
    return [n["resolves_to"].split()[0] for n in named if n.get("resolves_to")]


def _label(named: dict[str, Any]) -> str:
    return str(named.get("label") or title_label(named.get("title") or named.get("name", ""), named.get("year")))


def _end_name(name: str | None) -> str | None:
    return normalize_symbol(name) if name else None


def evaluate(gold_dir: Path, text_dir: Path | None = None, split: str | None = None) -> Report:
    """Extract every gold file's text (``text_dir``, default ``gold_dir``) and score it.

    ``split`` keeps only the gold files of that split ("dev", "heldout").
    """
    files: list[tuple[str, Scores]] = []
    for gold_path in sorted(gold_dir.glob(f"*{GOLD_SUFFIX}")):
        name = gold_path.name.removesuffix(GOLD_SUFFIX)
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if split is not None and gold.get("split") != split:
            continue
        text = ((text_dir or gold_dir) / f"{name}.txt").read_text(encoding="utf-8")
        extraction = extract(text, jurisdiction=gold.get("jurisdiction")).to_dict()
        files.append((name, score(gold, extraction)))
    return Report(tuple(files))


def _spellings(reference: dict[str, Any]) -> set[str]:
    return {normalize_symbol(s) for s in (reference.get("symbol"), *(reference.get("aliases") or [])) if s}

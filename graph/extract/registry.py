"""A registry of real central documents the extractor consults without a store.

Read from ``<repo>/seeds/registry/*.yaml`` (absent files are fine): a top-level ``documents:`` list of
``{symbol, type, date, issuer, term, title, plenum, ...}`` (``symbol`` absent for the Constitution and other
title-only documents). Indexed by (type, number), by (plenum, term) and by folded title, so that
"Nghị quyết số 57 của Bộ Chính trị" means 57-NQ/TW of 2024 and "Nghị quyết Trung ương 4 khóa XII" 04-NQ/TW.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from graph.symbols import TYPE_CODE_NAMES, parse_symbol
from graph.text import fold

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "seeds" / "registry"
_NOT_WORD = re.compile(r"[^\w]+")
# Issuer keys of the registry and the folded words texts name them by.
ISSUER_WORDS: tuple[tuple[str, str], ...] = (
    ("bo-chinh-tri", "bo chinh tri"),
    ("ban-bi-thu", "ban bi thu"),
    ("bch-tw", "ban chap hanh trung uong"),
    ("bch-tw", "trung uong dang"),
    ("quoc-hoi", "quoc hoi"),
    ("ubtvqh", "uy ban thuong vu quoc hoi"),
    ("thu-tuong", "thu tuong"),
    ("chinh-phu", "chinh phu"),
)


@dataclass(frozen=True)
class Entry:
    """One registered document."""

    symbol: str | None
    type: str | None
    date: dt.date | None
    issuer: str | None
    term: str | None
    title: str | None
    plenum: int | None

    @property
    def year(self) -> int | None:
        return self.date.year if self.date else None


@dataclass(frozen=True)
class Registry:
    """Registered documents and their indexes."""

    entries: tuple[Entry, ...] = ()
    by_number: Mapping[tuple[str, str], tuple[Entry, ...]] = field(default_factory=dict)
    by_plenum: Mapping[tuple[int, str], tuple[Entry, ...]] = field(default_factory=dict)
    by_title: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)

    def numbered(
        self,
        doc_type: str,
        number: str,
        *,
        year: int | None = None,
        term: str | None = None,
        issuer: str | None = None,
    ) -> tuple[Entry, ...]:
        """Documents of this type and number, narrowed by year, term and issuer where that leaves any."""
        found = self.by_number.get((doc_type, number.lstrip("0")), ())
        found = tuple(e for e in found if year is None or e.year in (year, None))
        found = tuple(e for e in found if term is None or e.term in (term, None))
        keys = issuer_keys(issuer)
        return _narrowed(found, lambda e: not keys or e.issuer in keys)

    def plenary(self, plenum: int, term: str, doc_type: str = "Nghị quyết") -> tuple[Entry, ...]:
        """The documents of a Central Committee conference: "Nghị quyết Trung ương 4 khóa XII"."""
        return tuple(e for e in self.by_plenum.get((plenum, term), ()) if e.type == doc_type)

    def titled(self, doc_type: str | None, title: str, year: int | None = None) -> tuple[Entry, ...]:
        """Documents named by ``title`` (and type and year, when given)."""
        found = self.by_title.get(title_words(title), ())
        found = tuple(e for e in found if doc_type is None or e.type in (doc_type, None))
        return tuple(e for e in found if year is None or e.year in (year, None))


def title_words(title: str) -> str:
    """A title's folded words: "Luật Đất đai" → "luat dat dai"."""
    return _NOT_WORD.sub(" ", fold(title).lower()).strip()


def issuer_keys(issuer: str | None) -> frozenset[str]:
    """The registry issuer keys an issuer phrase names ("Bộ Chính trị, Ban Bí thư" → both)."""
    if not issuer:
        return frozenset()
    folded = title_words(issuer)
    return frozenset(key for key, words in ISSUER_WORDS if words in folded)


def build_registry(documents: Iterable[Mapping[str, Any]]) -> Registry:
    """Index registry documents (each a mapping as the YAML files hold them)."""
    entries = tuple(e for e in map(_entry, documents) if e is not None)
    by_number: dict[tuple[str, str], list[Entry]] = {}
    by_plenum: dict[tuple[int, str], list[Entry]] = {}
    by_title: dict[str, list[Entry]] = {}
    for entry in entries:
        parts = parse_symbol(entry.symbol) if entry.symbol else None
        if parts is not None and entry.type:
            by_number.setdefault((entry.type, parts.number.lstrip("0")), []).append(entry)
        if entry.plenum is not None and entry.term:
            by_plenum.setdefault((entry.plenum, entry.term), []).append(entry)
        if entry.title:
            by_title.setdefault(title_words(entry.title), []).append(entry)
    return Registry(
        entries,
        {k: tuple(v) for k, v in by_number.items()},
        {k: tuple(v) for k, v in by_plenum.items()},
        {k: tuple(v) for k, v in by_title.items()},
    )


def load_registry(paths: Iterable[Path]) -> Registry:
    """The registry of these YAML files; a missing or unreadable file adds nothing."""
    documents: list[Mapping[str, Any]] = []
    for path in paths:
        try:
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, yaml.YAMLError):
            continue
        if isinstance(loaded, dict) and isinstance(loaded.get("documents"), list):
            documents.extend(d for d in loaded["documents"] if isinstance(d, dict))
    return build_registry(documents)


@lru_cache(maxsize=4)
def default_registry(directory: Path = DEFAULT_DIR) -> Registry:
    """The registry of ``directory``'s YAML files, read once per process."""
    return load_registry(sorted(directory.glob("*.yaml")) if directory.is_dir() else [])


def _entry(document: Mapping[str, Any]) -> Entry | None:
    symbol = str(document["symbol"]) if document.get("symbol") else None
    doc_type = document.get("type")
    if doc_type is None and symbol and (parts := parse_symbol(symbol)) and parts.type_code:
        doc_type = TYPE_CODE_NAMES.get(parts.type_code)
    if symbol is None and not document.get("title"):
        return None
    plenum = document.get("plenum")
    return Entry(
        symbol=symbol,
        type=str(doc_type) if doc_type else None,
        date=_date(document.get("date")),
        issuer=str(document["issuer"]) if document.get("issuer") else None,
        term=str(document["term"]).upper() if document.get("term") else None,
        title=str(document["title"]) if document.get("title") else None,
        plenum=int(plenum) if isinstance(plenum, int) or (isinstance(plenum, str) and plenum.isdigit()) else None,
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _narrowed(entries: tuple[Entry, ...], keep: Callable[[Entry], bool]) -> tuple[Entry, ...]:
    kept = tuple(e for e in entries if keep(e))
    return kept or entries

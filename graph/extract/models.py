"""What extraction returns: the text's own document, its references, links, anomalies and obligations.

Every span is ``(start, end)`` in characters (Python ``str`` indices) into the cleaned NFC text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from graph.models import Document, Relation

Span = tuple[int, int]
ResolutionStatus = Literal["resolved", "unknown", "ambiguous"]
DocumentLookup = Callable[[str], Sequence[Document]]


@dataclass(frozen=True)
class Resolution:
    """Which stored document a reference denotes: exactly one, none (a stub to create) or several."""

    status: ResolutionStatus
    key: str | None = None
    candidates: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "key": self.key, "candidates": list(self.candidates)}


UNKNOWN = Resolution("unknown")


@dataclass(frozen=True)
class OwnDocument:
    """The document the text is (a decision's preamble) or announces (a plan reported in the news)."""

    symbol: str | None
    type: str | None
    date: dt.date | None
    issuer: str | None
    jurisdiction: str | None
    title: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "type": self.type,
            "date": _iso(self.date),
            "issuer": self.issuer,
            "jurisdiction": self.jurisdiction,
            "title": self.title,
        }


@dataclass(frozen=True)
class Reference:
    """One document the text refers to by symbol, with everything its mentions say about it."""

    symbol: str
    aliases: tuple[str, ...]
    type: str | None
    number: str | None
    date: dt.date | None
    issuer: str | None
    term: str | None
    title: str | None
    spans: tuple[Span, ...]
    anomalies: tuple[str, ...]
    resolution: Resolution

    def to_dict(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "aliases": list(self.aliases),
            "type": self.type,
            "number": self.number,
            "date": _iso(self.date),
            "issuer": self.issuer,
            "term": self.term,
            "title": self.title,
            "spans": [list(s) for s in self.spans],
            "anomalies": list(self.anomalies),
            "resolution": self.resolution.to_dict(),
        }


@dataclass(frozen=True)
class NamedReference:
    """A document referred to by name only: "Hiến pháp năm 2013", "Nghị quyết Trung ương 4 (khóa XII)"."""

    name: str
    spans: tuple[Span, ...]
    resolution: Resolution
    type: str | None = None
    title: str | None = None
    year: int | None = None

    @property
    def label(self) -> str:
        """How links name it: "Luật Đất đai (2024)", or the title alone without a year."""
        title = self.title or self.name
        return f"{title} ({self.year})" if self.year else title

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "title": self.title,
            "year": self.year,
            "label": self.label,
            "spans": [list(s) for s in self.spans],
            "resolution": self.resolution.to_dict(),
        }


@dataclass(frozen=True)
class ExtractedLink:
    """ "source relation target" between symbols; ``source`` is ``None`` for an own document without a symbol."""

    source: str | None
    relation: Relation
    target: str
    evidence: str
    confidence: float
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "relation": self.relation.value,
            "target": self.target,
            "evidence": self.evidence,
            "confidence": self.confidence,
            "span": list(self.span),
        }


@dataclass(frozen=True)
class Anomaly:
    """Something odd about the references, reported rather than silently fixed."""

    kind: str
    message: str
    symbols: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "symbols": list(self.symbols)}


@dataclass(frozen=True)
class ExtractedObligation:
    """A proposed duty read from a "Tổ chức thực hiện" section: these units must issue plans for these targets."""

    units: tuple[str, ...]
    levels: tuple[str, ...]
    action: str
    targets: tuple[str, ...]
    relation: Relation
    evidence: str
    span: Span
    status: str = "proposed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": list(self.units),
            "levels": list(self.levels),
            "action": self.action,
            "targets": list(self.targets),
            "relation": self.relation.value,
            "evidence": self.evidence,
            "span": list(self.span),
            "status": self.status,
        }


@dataclass(frozen=True)
class Extraction:
    """The result of :func:`graph.extract.extract`; ``text`` is the cleaned text all spans index into."""

    text: str
    document: OwnDocument | None
    references: tuple[Reference, ...]
    named_references: tuple[NamedReference, ...]
    links: tuple[ExtractedLink, ...]
    anomalies: tuple[Anomaly, ...]
    obligations: tuple[ExtractedObligation, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able shape consumers rely on (without the cleaned text)."""
        return {
            "document": self.document.to_dict() if self.document else None,
            "references": [r.to_dict() for r in self.references],
            "named_references": [r.to_dict() for r in self.named_references],
            "links": [link.to_dict() for link in self.links],
            "anomalies": [a.to_dict() for a in self.anomalies],
            "obligations": [o.to_dict() for o in self.obligations],
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None

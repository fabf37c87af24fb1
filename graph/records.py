"""Documents and links from stored rows of primitives, converted without pydantic validation (already valid)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from graph.clock import parse_day
from graph.effects import settled
from graph.models import Document, EffectStatus, Level, Link, Origin, Provenance, Relation, Review, StatusSource
from graph.review import first_entry

D = TypeVar("D", bound=Document)


def link_sort_key(link: Link) -> tuple[str, str, str]:
    """The canonical order of links: source, relation, target."""
    return (link.source, link.relation.value, link.target)


def trusted_document(data: Mapping[str, Any], cls: type[D], **extra: Any) -> D:
    """A document (or a subclass with ``extra`` fields) from a stored row, converted without pydantic validation.

    ``data`` holds the stored primitives (ISO dates, enum values, aliases as a list); other keys are ignored.
    """
    document = cls.model_construct(
        key=data["key"],
        symbol=data["symbol"],
        aliases=list(data.get("aliases") or []),
        type=data.get("type"),
        number=data.get("number"),
        date=parse_day(data.get("date")),
        year=data.get("year"),
        issuer=data.get("issuer"),
        level=Level(data["level"]) if data.get("level") else None,
        jurisdiction=data.get("jurisdiction"),
        term=data.get("term"),
        title=data.get("title"),
        status=EffectStatus(data.get("status") or EffectStatus.unknown),
        effective_from=parse_day(data.get("effective_from")),
        effective_to=parse_day(data.get("effective_to")),
        stub=bool(data.get("stub")),
        status_source=StatusSource.derived,  # every field given: model_construct copies defaults slowly
        status_links=[],
        effects=[],
        **extra,
    )
    return cast(D, settled(data, document))


def trusted_link(data: Mapping[str, Any]) -> Link:
    """A link from a stored row, converted field by field without pydantic validation (its provenance list,
    stored as JSON, is validated; a link stored without one has the entry of its flat fields)."""
    created_at = data.get("created_at")
    link = Link.model_construct(
        id=data.get("id") or "",
        review=Review(data.get("review") or Review.accepted),
        provenance=[Provenance.model_validate(p) for p in json.loads(data.get("provenance") or "[]")],
        corrected_to=data.get("corrected_to"),
        partial=bool(data.get("partial")),
        flagged=bool(data.get("flagged")),
        source=data["source"],
        relation=Relation(data["relation"]),
        target=data["target"],
        origin=Origin(data.get("origin") or Origin.curated),
        evidence=data.get("evidence"),
        source_text_id=data.get("source_text_id"),
        span_start=data.get("span_start"),
        span_end=data.get("span_end"),
        confidence=float(data["confidence"]) if data.get("confidence") is not None else 1.0,
        created_at=dt.datetime.fromisoformat(created_at) if created_at else None,
        source_symbol=data.get("source_symbol"),
        target_symbol=data.get("target_symbol"),
    )
    if not link.provenance:
        link.provenance = [first_entry(link)]
    return link

"""Documents and links from stored rows of primitives, converted without pydantic validation (already valid)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from pydantic import BaseModel, TypeAdapter

from graph.clock import parse_day
from graph.effects import settled
from graph.models import Document, EffectStatus, Level, Link, Origin, Provenance, Relation, Review, StatusSource

D = TypeVar("D", bound=Document)
M = TypeVar("M", bound=BaseModel)

# Stored enum values to members by dict: calling an enum class costs a microsecond, and a page calls it hundreds
# of times.
LEVEL_BY_VALUE = {m.value: m for m in Level}
_STATUSES = {m.value: m for m in EffectStatus}
RELATION_BY_VALUE = {m.value: m for m in Relation}
_REVIEWS = {m.value: m for m in Review}
_ORIGINS = {m.value: m for m in Origin}
# A stored provenance list parsed and validated in one call (pydantic-core reads the JSON itself).
PROVENANCE_LIST = TypeAdapter(list[Provenance])


def link_sort_key(link: Link) -> tuple[str, str, str]:
    """The canonical order of links: source, relation, target."""
    return (link.source, link.relation.value, link.target)


def trusted_document(data: Mapping[str, Any], cls: type[D], **extra: Any) -> D:
    """A document (or a subclass with ``extra`` fields) from a stored row, converted without pydantic validation.

    ``data`` holds the stored primitives (ISO dates, enum values, aliases as a list); other keys are ignored.
    """
    level = data.get("level")
    document = constructed(
        cls,
        {
            "key": data["key"],
            "symbol": data["symbol"],
            "aliases": list(data.get("aliases") or []),
            "type": data.get("type"),
            "number": data.get("number"),
            "date": parse_day(data.get("date")),
            "year": data.get("year"),
            "issuer": data.get("issuer"),
            "level": LEVEL_BY_VALUE[level] if level else None,
            "jurisdiction": data.get("jurisdiction"),
            "term": data.get("term"),
            "title": data.get("title"),
            "status": _STATUSES[data.get("status") or EffectStatus.unknown],
            "status_source": StatusSource.derived,
            "status_links": [],
            "effective_from": parse_day(data.get("effective_from")),
            "effective_to": parse_day(data.get("effective_to")),
            "stub": bool(data.get("stub")),
            "effects": [],
            **extra,
        },
    )
    return cast(D, settled(data, document))


def document_json(document: Document) -> str:
    """A document as the JSON an answer carries it in."""
    return document.model_dump_json()


def constructed(cls: type[M], values: dict[str, Any]) -> M:
    """What ``cls.model_construct(**values)`` gives when ``values`` names every field in declaration order
    (the order the model serializes in), at a fifth of its cost: no defaults to look up, nothing to copy."""
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", values)
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def trusted_link(data: Mapping[str, Any]) -> Link:
    """A link from a stored row, converted field by field without pydantic validation (its provenance list,
    stored as JSON, is validated; a link stored without one has the entry of its flat fields)."""
    created = data.get("created_at")
    stored = data.get("provenance")
    origin = _ORIGINS[data.get("origin") or Origin.curated]
    confidence = float(data["confidence"]) if data.get("confidence") is not None else 1.0
    created_at = dt.datetime.fromisoformat(created) if created else None
    provenance = PROVENANCE_LIST.validate_json(stored) if stored and stored != "[]" else []
    if not provenance:  # the entry of its flat fields (graph.review.first_entry), read as stored
        entry = {
            "origin": origin,
            "text_id": data.get("source_text_id"),
            "span_start": data.get("span_start"),
            "span_end": data.get("span_end"),
            "evidence": data.get("evidence"),
            "confidence": confidence,
            "created_at": created_at,
        }
        provenance = [constructed(Provenance, entry)]
    return constructed(
        Link,
        {
            "id": data.get("id") or "",
            "source": data["source"],
            "relation": RELATION_BY_VALUE[data["relation"]],
            "target": data["target"],
            "review": _REVIEWS[data.get("review") or Review.accepted],
            "provenance": provenance,
            "corrected_to": data.get("corrected_to"),
            "partial": bool(data.get("partial")),
            "flagged": bool(data.get("flagged")),
            "origin": origin,
            "evidence": data.get("evidence"),
            "source_text_id": data.get("source_text_id"),
            "span_start": data.get("span_start"),
            "span_end": data.get("span_end"),
            "confidence": confidence,
            "created_at": created_at,
            "source_symbol": data.get("source_symbol"),
            "target_symbol": data.get("target_symbol"),
        },
    )

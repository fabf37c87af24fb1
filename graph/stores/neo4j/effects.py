"""Effects of the Neo4j store: each document's stored effects (graph.effects) kept up to date.

A link write recomputes its targets' effects and a document write those of the documents written and of the
documents they change, in the write's transaction; a bulk import recomputes every changed document in
batches. Effects are stored as JSON text (``effects``) and, for the status filters that run in Cypher, as the
first day each kind applies (``repealed_on`` …; ``''`` when the changing document is undated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from graph.clock import parse_day
from graph.effects import EFFECT_RELATIONS, IN_FORCE, Incoming, effects_json, effects_of
from graph.models import DocumentFilter, Effect, EffectStatus, Link, Relation, Review
from graph.stores.neo4j.cypher import rel_types
from graph.stores.neo4j.db import Neo4jDb, Neo4jRole, Transaction, run

_CHANGING = rel_types(list(EFFECT_RELATIONS))
_KINDS = (EffectStatus.repealed, EffectStatus.replaced, EffectStatus.partly_repealed, EffectStatus.amended)
_BATCH = 5_000

INCOMING = f"""
UNWIND $keys AS k
MATCH (d:Document {{key: k}})
OPTIONAL MATCH (s:Document)-[l:{_CHANGING}]->(d)
RETURN k AS key, collect(CASE WHEN l IS NULL THEN null ELSE {{
    link: coalesce(l.id, s.key + ' ' + toLower(type(l)) + ' ' + k), relation: toLower(type(l)), source: s.key,
    review: coalesce(l.review, 'accepted'), partial: coalesce(l.partial, false), date: s.date,
    effective_from: s.effective_from}} END) AS incoming
"""
CHANGED_BY = f"UNWIND $keys AS k MATCH (:Document {{key: k}})-[:{_CHANGING}]->(t:Document) RETURN DISTINCT t.key AS key"
EVERY_CHANGED = f"""
MATCH (d:Document) WHERE d.effects IS NOT NULL OR EXISTS {{ (:Document)-[:{_CHANGING}]->(d) }}
RETURN d.key AS key
"""
SET_EFFECTS = """
UNWIND $rows AS row
MATCH (d:Document {key: row.key})
SET d.effects = row.effects, d.repealed_on = row.repealed_on, d.replaced_on = row.replaced_on,
    d.partly_repealed_on = row.partly_repealed_on, d.amended_on = row.amended_on
"""
# The status on $status_day: the Cypher twin of graph.effects.standing, for filters (a contract test holds them equal).
STATUS_ON_DAY = """CASE
  WHEN d.status_source = 'curated' THEN d.status
  WHEN d.repealed_on <= $status_day THEN 'repealed'
  WHEN d.replaced_on <= $status_day THEN 'replaced'
  WHEN d.effective_to < $status_day THEN 'expired'
  WHEN coalesce(d.effective_from, d.date) > $status_day THEN 'not_yet_in_force'
  WHEN d.partly_repealed_on <= $status_day THEN 'partly_repealed'
  WHEN d.amended_on <= $status_day THEN 'amended'
  WHEN coalesce(d.effective_from, d.date) IS NULL THEN 'unknown'
  ELSE 'in_force' END"""
STATUS_FILTER = f"""($as_of_day IS NULL OR (d.date IS NOT NULL AND d.date <= $as_of_day)
    OR (d.date IS NULL AND coalesce(d.year, 0) <= $as_of_year))
  AND ($status IS NULL OR {STATUS_ON_DAY} = $status)
  AND ($in_force IS NULL OR ({STATUS_ON_DAY} IN $in_force_statuses) = $in_force)"""


def _incoming(row: dict[str, Any]) -> Incoming:
    return Incoming(
        link=row["link"],
        relation=Relation(row["relation"]),
        source=row["source"],
        review=Review(row["review"]),
        partial=bool(row["partial"]),
        source_date=parse_day(row["date"]),
        source_effective_from=parse_day(row["effective_from"]),
    )


def _effects_row(key: str, effects: list[Effect]) -> dict[str, Any]:
    row: dict[str, Any] = {"key": key, "effects": effects_json(effects) if effects else None}
    for kind in _KINDS:
        days = [e.day.isoformat() if e.day else "" for e in effects if e.kind == kind]
        row[f"{kind.value}_on"] = min(days) if days else None
    return row


async def recompute(tx: Transaction, keys: Sequence[str]) -> None:
    """Recompute and store the effects of the documents ``keys``."""
    records = await run(tx, INCOMING, keys=list(keys))
    rows = [_effects_row(r["key"], effects_of(_incoming(i) for i in r["incoming"])) for r in records]
    await run(tx, SET_EFFECTS, rows=rows)


async def after_link_write(tx: Transaction, links: Sequence[Link]) -> None:
    """Recompute the effects of the targets of links written, decided or deleted, in the write's transaction."""
    targets = sorted({link.target for link in links if link.relation in EFFECT_RELATIONS})
    if targets:
        await recompute(tx, targets)


async def changed_by(tx: Transaction, keys: Sequence[str]) -> list[str]:
    """The documents that links from ``keys`` amend, repeal or replace."""
    return [r["key"] for r in await run(tx, CHANGED_BY, keys=list(keys))]


async def after_document_write(tx: Transaction, keys: Sequence[str]) -> None:
    """Recompute the effects of documents just written and of those they change, in the write's transaction."""
    await recompute(tx, sorted({*keys, *await changed_by(tx, keys)}))


async def recompute_all(db: Neo4jDb) -> int:
    """Recompute the effects of every document that has or had any (after a bulk import), in batches."""
    keys = [r["key"] for r in await db.read(EVERY_CHANGED)]
    for start in range(0, len(keys), _BATCH):
        await db.transaction(recompute, keys[start : start + _BATCH], write=True)
    return len(keys)


def filter_params(query: DocumentFilter, day: dt.date) -> dict[str, Any]:
    """The parameters of :data:`STATUS_FILTER` for a filter's ``as_of``, ``status`` and ``in_force``."""
    as_of = query.as_of
    return {
        "as_of_day": as_of.isoformat() if as_of else None,
        "as_of_year": as_of.year if as_of else None,
        "status": query.status.value if query.status else None,
        "in_force": query.in_force,
        "in_force_statuses": sorted(IN_FORCE),
        "status_day": (as_of or day).isoformat(),
    }


class Neo4jEffects(Neo4jRole):
    """The bulk recompute of the Neo4j store's effects."""

    async def recompute_effects(self) -> int:
        return await recompute_all(self.db)

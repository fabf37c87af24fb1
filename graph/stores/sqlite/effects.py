"""Effects of the embedded store: each document's stored effects (graph.effects) kept up to date, set-based.

A link write recomputes its targets' effects and a document write those of the documents written and of the
documents they change, in the caller's transaction; a bulk import recomputes every document in one statement.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence

from graph.effects import EFFECT_RELATIONS, IN_FORCE
from graph.models import DocumentFilter, Link
from graph.stores.sqlite.db import SqliteRole

# Spelled as the WHERE of the partial index links_effects (V0017), so that the planner uses it.
_EFFECT_RELATIONS = ", ".join(f"'{r.value}'" for r in EFFECT_RELATIONS)
_KIND = (
    "CASE l.relation WHEN 'amends' THEN 'amended' WHEN 'replaces' THEN 'replaced' "
    "ELSE CASE WHEN l.partial THEN 'partly_repealed' ELSE 'repealed' END END"
)
# The effects of the documents a condition on the link (``l``) picks, one row per document, in the order
# graph.effects.effects_of gives them.
_EFFECTS = (
    "INSERT INTO document_effects (document, effects) "
    "SELECT target, json_group_array(json_array(kind, day, link, source)) FROM ("
    f"SELECT l.target AS target, {_KIND} AS kind, coalesce(s.effective_from, s.date) AS day, "
    "l.id AS link, l.source AS source FROM links l JOIN documents s ON s.key = l.source "
    f"WHERE l.relation IN ({_EFFECT_RELATIONS}) AND l.review <> 'rejected' AND {{which}} "
    "ORDER BY l.target, coalesce(day, ''), link) GROUP BY target"
)
_WRITTEN = "l.target IN (SELECT value FROM json_each(:keys))"
_CLEAR_WRITTEN = "DELETE FROM document_effects WHERE document IN (SELECT value FROM json_each(:keys))"
# The documents a document write changes: their effects' days are the writer's dates.
_CHANGED_BY = (
    "SELECT DISTINCT target FROM links WHERE source IN (SELECT value FROM json_each(:keys)) "
    f"AND relation IN ({_EFFECT_RELATIONS})"
)
# A document's stored effects, for reads of ``documents d``.
EFFECTS_OF_D = "coalesce((SELECT e.effects FROM document_effects e WHERE e.document = d.key), '[]')"


def no_effects(key: str) -> str:
    """SQL: whether the document whose key is the column ``key`` has no stored effects."""
    return f"NOT EXISTS (SELECT 1 FROM document_effects e WHERE e.document = {key})"


def dated_status(in_force_from: str, effective_to: str) -> str:
    """SQL: the status on :status_day of a document nothing repealed, replaced or amended, from the columns
    of the day it comes into force (its effective_from, else its date) and of its end (graph.effects.dated_status)."""
    return (
        f"CASE WHEN {effective_to} < :status_day THEN 'expired' "
        f"WHEN {in_force_from} > :status_day THEN 'not_yet_in_force' "
        f"WHEN {in_force_from} IS NULL THEN 'unknown' ELSE 'in_force' END"
    )


NO_EFFECTS_OF_D = no_effects("d.key")
DATED_STATUS_OF_D = dated_status("coalesce(d.effective_from, d.date)", "d.effective_to")
# The status on :day, by graph.effects.status_on (registered on every connection as lexgraph_status).
# Most documents have no effects: their status is a matter of dates, in SQL; the others go through Python.
STATUS_ON_DAY = (
    "(CASE WHEN d.status_source = 'curated' THEN d.status "
    f"WHEN {NO_EFFECTS_OF_D} THEN {DATED_STATUS_OF_D} "
    "ELSE lexgraph_status(d.status_source, d.status, json_array(d.date, d.effective_from, d.effective_to), "
    f"{EFFECTS_OF_D}, :status_day) END)"
)
ISSUED_BY_DAY = (
    "(:as_of_day IS NULL OR (d.date IS NOT NULL AND d.date <= :as_of_day) "
    "OR (d.date IS NULL AND coalesce(d.year, 0) <= :as_of_year))"
)
STATUS_FILTER = (
    f"{ISSUED_BY_DAY} AND (:status IS NULL OR {STATUS_ON_DAY} = :status) "
    f"AND (:in_force IS NULL OR ({STATUS_ON_DAY} IN (SELECT value FROM json_each(:in_force_statuses))) = :in_force)"
)


def recompute(tx: sqlite3.Connection, keys: Sequence[str]) -> None:
    """Recompute the effects of the documents ``keys``, in the caller's transaction."""
    params = {"keys": json.dumps(sorted(set(keys)))}
    tx.execute(_CLEAR_WRITTEN, params)
    tx.execute(_EFFECTS.format(which=_WRITTEN), params)


def after_link_write(tx: sqlite3.Connection, links: Iterable[Link]) -> None:
    """Recompute the effects of the targets of links written, decided or deleted, in the write's transaction."""
    targets = [link.target for link in links if link.relation in EFFECT_RELATIONS]
    if targets:
        recompute(tx, targets)


def changed_by(tx: sqlite3.Connection, keys: Sequence[str]) -> list[str]:
    """The documents that links from ``keys`` amend, repeal or replace."""
    return [row[0] for row in tx.execute(_CHANGED_BY, {"keys": json.dumps(list(keys))})]


def after_document_write(tx: sqlite3.Connection, keys: Sequence[str]) -> None:
    """Recompute the effects of documents just written and of those they change, in the write's transaction."""
    recompute(tx, [*keys, *changed_by(tx, keys)])


def recompute_all(tx: sqlite3.Connection) -> int:
    """Recompute every document's effects in one statement (after a bulk import); how many documents have any."""
    tx.execute("DELETE FROM document_effects")
    return tx.execute(_EFFECTS.format(which="1")).rowcount


def filter_params(query: DocumentFilter, day: dt.date) -> dict[str, object]:
    """The parameters of :data:`STATUS_FILTER` for a filter's ``as_of``, ``status`` and ``in_force``."""
    as_of = query.as_of
    return {
        "as_of_day": as_of.isoformat() if as_of else None,
        "as_of_year": as_of.year if as_of else None,
        "status": query.status.value if query.status else None,
        "in_force": None if query.in_force is None else int(query.in_force),
        "in_force_statuses": json.dumps(sorted(IN_FORCE)),
        "status_day": (as_of or day).isoformat(),
    }


class SqliteEffects(SqliteRole):
    """The bulk recompute of the embedded store's effects."""

    async def recompute_effects(self) -> int:
        def recompute() -> int:
            with self.db.write() as tx:
                return recompute_all(tx)

        return await self.db.run(recompute)

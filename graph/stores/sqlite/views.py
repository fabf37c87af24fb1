"""What a read of the embedded store sees (:class:`graph.models.View`): SQL conditions and their parameters."""

from __future__ import annotations

import sqlite3
from typing import Any

from graph.errors import NotFoundError
from graph.models import Review, ReviewScope, View, issued_by
from graph.stores.sqlite.rows import issued_of

# The review states a scope counts, as SQL (the values of a closed enum, never input).
_REVIEWS = {scope: ", ".join(f"'{review.value}'" for review in Review if scope.counts(review)) for scope in ReviewScope}
# A document issued by :view_as_of (by date, else year; undated ones always).
_ISSUED = (
    "EXISTS (SELECT 1 FROM documents v WHERE v.key = {end} AND (v.date <= :view_as_of "
    "OR (v.date IS NULL AND (v.year IS NULL OR v.year <= :view_year))))"
)


def link_filter(view: View, *ends: str, link: str = "l") -> str:
    """A condition on the link ``link``: its review state counts, and each of ``ends`` (SQL naming a
    document key) was issued by the view's day."""
    clauses = [f"{link}.review IN ({_REVIEWS[view.review]})"]
    if view.as_of is not None:
        clauses += [_ISSUED.format(end=end) for end in ends]
    return " AND ".join(clauses)


def view_params(view: View) -> dict[str, Any]:
    """The parameters of :func:`link_filter`."""
    if view.as_of is None:
        return {}
    return {"view_as_of": view.as_of.isoformat(), "view_year": view.as_of.year}


def require_shown(conn: sqlite3.Connection, key: str, view: View) -> None:
    """NotFoundError unless ``key`` is a document the view shows."""
    issued = issued_of(conn, [key]).get(key)
    if issued is None or not issued_by(issued.date, issued.year, view.as_of):
        raise NotFoundError("document", key)

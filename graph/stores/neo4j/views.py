"""What a read of the Neo4j store sees (:class:`graph.models.View`): Cypher conditions and their parameters."""

from __future__ import annotations

from typing import Any

from graph.models import Review, View


def shown(node: str) -> str:
    """A condition: document ``node`` was issued by ``$view_as_of`` (by date, else year; undated ones always)."""
    return (
        f"($view_as_of IS NULL OR {node}.date <= $view_as_of "
        f"OR ({node}.date IS NULL AND ({node}.year IS NULL OR {node}.year <= $view_year)))"
    )


def link_seen(link: str, *ends: str) -> str:
    """A condition: the link ``link`` is in a review state the view counts, and each of ``ends`` is shown."""
    return " AND ".join([f"{link}.review IN $view_reviews", *(shown(end) for end in ends)])


def path_seen(path: str) -> str:
    """A condition: every link and every document of the path ``path`` is seen."""
    links = f"all(r IN relationships({path}) WHERE r.review IN $view_reviews)"
    return f"{links} AND all(x IN nodes({path}) WHERE {shown('x')})"


def view_params(view: View) -> dict[str, Any]:
    """The parameters of these conditions."""
    return {
        "view_reviews": [review.value for review in Review if view.review.counts(review)],
        "view_as_of": view.as_of.isoformat() if view.as_of else None,
        "view_year": view.as_of.year if view.as_of else None,
    }

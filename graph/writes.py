"""Checks and ordering every store applies to a batch write: all or nothing, answers in input order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graph.errors import NotFoundError
from graph.models import Link, LinkDraft


def link_ends(drafts: Iterable[LinkDraft]) -> list[str]:
    """The document keys a batch of links joins, sorted."""
    return sorted({key for draft in drafts for key in (draft.source, draft.target)})


def require_known(kind: str, wanted: Iterable[str], known: set[str]) -> None:
    """Raise NotFoundError for the first of ``wanted`` (in its order) that is not ``known``."""
    for key in wanted:
        if key not in known:
            raise NotFoundError(kind, key)


def in_draft_order(drafts: Sequence[LinkDraft], stored: Iterable[Link]) -> list[Link]:
    """The stored links in the order of the drafts that wrote them."""
    by_id = {(link.source, link.relation, link.target): link for link in stored}
    return [by_id[(d.source, d.relation, d.target)] for d in drafts]

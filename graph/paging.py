"""Paging of listed and walked documents, the same for every store."""

from __future__ import annotations

from collections.abc import Sequence

from graph.errors import InvalidInputError

DEFAULT_LIST_LIMIT = 500
# Documents per page of a lineage or of implementers unless the caller asks otherwise (None: all): a
# national resolution's lineage holds thousands, which the counts per depth and level summarize.
DEFAULT_GRAPH_PAGE = 100
# The most documents one lineage outline answers with (about 100 bytes each in JSON): beyond that, a lineage
# is read a page at a time.
OUTLINE_MAX_DOCUMENTS = 20_000


def check_page(offset: int, limit: int | None) -> None:
    """Refuse a page that cannot exist: a negative offset or a limit under one."""
    if offset < 0:
        raise InvalidInputError(f"offset must be 0 or more, got {offset}")
    if limit is not None and limit < 1:
        raise InvalidInputError(f"limit must be 1 or more, got {limit}")


def check_outline_size(total: int, max_documents: int) -> None:
    """Refuse an outline of more than ``max_documents`` documents, saying how to ask for less."""
    if total > max_documents:
        raise InvalidInputError(
            f"this lineage reaches {total:,} documents and an outline answers at most {max_documents:,}: "
            "lower max_depth, name fewer relations, or read it a page at a time from /lineage"
        )


def page_of(keys: Sequence[str], offset: int, limit: int | None) -> list[str]:
    """The keys of one page; every key from ``offset`` on when ``limit`` is None."""
    return list(keys[offset:] if limit is None else keys[offset : offset + limit])

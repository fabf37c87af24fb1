"""Link ids an import is given: each names one (source, relation, target), in the input and in the store.

A line may give a link's id (an export does). Two lines giving one id to different links, or a line giving
the id of another stored link, would leave two links under one id or one silently dropped: the store refuses
the batch with :class:`LinkIdConflict` and the import names the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graph.bulk.records import LinkField, LinkRow
from graph.errors import InvalidInputError

LinkTriple = tuple[str, str, str]


def _named(triple: LinkTriple) -> str:
    return " ".join(triple)


class LinkIdConflict(InvalidInputError):
    """An id given to one link that already names another, earlier in the input or in the store."""

    def __init__(self, link_id: str, given: LinkTriple, holder: LinkTriple) -> None:
        super().__init__(
            f"link id '{link_id}' is given to '{_named(given)}' but already names '{_named(holder)}'; "
            "a link id names one link"
        )
        self.link_id = link_id
        self.given = given


def given_ids(rows: Sequence[LinkRow]) -> dict[str, LinkTriple]:
    """The ids a batch gives, each with its link; :class:`LinkIdConflict` for one given to two links.

    One link given twice with one id is a repeat, not a conflict (the last given is stored).
    """
    ids: dict[str, LinkTriple] = {}
    for row in rows:
        link_id = row[LinkField.id]
        if link_id is None:
            continue
        triple = (row[LinkField.source], row[LinkField.relation], row[LinkField.target])
        holder = ids.setdefault(link_id, triple)
        if holder != triple:
            raise LinkIdConflict(link_id, triple, holder)
    return ids


def check_taken(given: dict[str, LinkTriple], holders: Iterable[tuple[str, str, str, str]]) -> None:
    """:class:`LinkIdConflict` unless each of ``holders`` (id, source, relation, target), the links stored under
    the given ids, is the link its id is given to."""
    for link_id, *holder in holders:
        triple = given[link_id]
        if tuple(holder) != triple:
            raise LinkIdConflict(link_id, triple, (holder[0], holder[1], holder[2]))

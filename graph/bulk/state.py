"""The state of a bulk import between its batches: which kinds load into a store that held none of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from graph.bulk.records import RecordKind


class FirstLoad:
    """What a first load into an empty store has created, by hash of the record's identity.

    CREATE is only safe for a record not created before in the same load; a record whose hash was
    seen (a repeat in a later batch, or a rare hash collision) goes through MERGE instead.
    """

    def __init__(self) -> None:
        self._created: set[int] = set()
        self._ids: dict[int, int] = {}

    def split(self, identities: Sequence[tuple[str, ...]]) -> tuple[list[int], list[int]]:
        """Positions of ``identities`` to create and to merge; the ones to create are remembered."""
        create, merge = [], []
        for position, identity in enumerate(identities):
            digest = hash(identity)
            if digest in self._created:
                merge.append(position)
            else:
                self._created.add(digest)
                create.append(position)
        return create, merge

    def claim_ids(self, given: Mapping[str, tuple[str, ...]]) -> list[str]:
        """The ids of ``given`` (id to its link) this load gave to another link before, as far as their hashes
        tell (the store confirms them); the others are remembered with their link.

        Hashes, not the ids and links themselves: a national load gives millions of ids.
        """
        claimed = []
        for link_id, link in given.items():
            if self._ids.setdefault(hash(link_id), hash(link)) != hash(link):
                claimed.append(link_id)
        return claimed


@dataclass
class ImportState:
    """Set by a store's ``begin_import``, cleared by ``end_import``: the kinds being loaded into an empty table."""

    first_loads: dict[RecordKind, FirstLoad] = field(default_factory=dict)

    def first_load(self, kind: RecordKind) -> FirstLoad | None:
        """The first load of ``kind`` under way, if its table was empty when it began."""
        return self.first_loads.get(kind)

"""What a process computes from a store's documents and links, kept while the store's data version is unchanged."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(_: object) -> int:
    return 1


class VersionedCache(Generic[K, V]):
    """Values computed at one data version of a store, the least recently used dropped beyond a budget (a count of
    entries, or whatever ``size`` measures them in).

    The version is the store's, read before the data a value is computed from, so a value is never filed under a
    version newer than what it read; any write moves the version on and every held value is dropped at the next
    read. Each process keeps its own: nothing assumes one process owns the data.
    """

    def __init__(self, budget: int, size: Callable[[V], int] = _one) -> None:
        self.budget = budget
        self._size = size
        self._used = 0
        self._version: int | None = None
        self._held: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._held)

    def get(self, key: K, version: int) -> V | None:
        """The value of ``key`` computed at ``version``, if held."""
        if version != self._version:
            self._held.clear()
            self._used = 0
            self._version = version
            return None
        held = self._held.get(key)
        if held is None:
            return None
        self._held.move_to_end(key)
        return held[0]

    def put(self, key: K, version: int, value: V) -> None:
        """Hold ``value`` computed at ``version``, dropping the least recently used beyond the budget."""
        size = self._size(value)
        if version != self._version or size > self.budget:
            return
        if (old := self._held.pop(key, None)) is not None:
            self._used -= old[1]
        self._held[key] = (value, size)
        self._used += size
        while self._used > self.budget:
            self._used -= self._held.popitem(last=False)[1][1]

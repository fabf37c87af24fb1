"""Units of work run again when the store reports a transient conflict with another write."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from graph.errors import StoreBusyError
from graph.ports import Lifecycle

T = TypeVar("T")

ATTEMPTS = 3


async def in_one_unit(store: Lifecycle, work: Callable[[], Awaitable[T]], *, attempts: int = ATTEMPTS) -> T:
    """``work()`` in one unit of work; run again from the start, in a new transaction, when the store refused it
    as deadlocked with another write (at most ``attempts`` times, then the store is busy: a 503)."""
    for attempt in range(1, attempts):
        try:
            async with store.unit_of_work():
                return await work()
        except StoreBusyError:
            await asyncio.sleep(random.uniform(0.02, 0.1) * attempt)  # apart from the write it met
    async with store.unit_of_work():
        return await work()

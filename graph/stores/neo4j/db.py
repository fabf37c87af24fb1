"""The Neo4j connection core every role of the Neo4j store is built on.

One driver per process. Every call names the database; reads are routed to readers so that the
same code runs against a single server or a ``neo4j://`` cluster. Driver exceptions end here: each
is mapped to a :mod:`graph.errors` kind, so nothing outside this package knows the driver's types.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import neo4j
from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    NotificationDisabledClassification,
    Query,
    RoutingControl,
)
from neo4j.exceptions import (
    ConnectionAcquisitionTimeoutError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph.errors import LexgraphError, StoreBusyError, StoreUnavailableError

T = TypeVar("T")
Record = neo4j.Record
Transaction = AsyncManagedTransaction
# A pool with no free connection (every one waiting on a frozen server) is the server not answering too.
_UNAVAILABLE = (ServiceUnavailable, SessionExpired, ConnectionAcquisitionTimeoutError, OSError)
# The explicit transaction of the unit of work the current task runs in, if any.
_UNIT: ContextVar[neo4j.AsyncTransaction | None] = ContextVar("lexgraph_neo4j_unit", default=None)


class StoreQueryError(LexgraphError):
    """Neo4j rejected a query: a fault of ours, never of the caller's input."""


class Neo4jDb:
    """One driver and database: ``read``/``write`` for one query, ``transaction`` for several."""

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str,
        *,
        query_timeout: float,
        connection_timeout: float,
        max_retry_time: float,
    ) -> None:
        self.uri = uri
        self.database = database
        self.query_timeout = query_timeout
        self.driver: AsyncDriver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=connection_timeout,
            connection_acquisition_timeout=connection_timeout,
            # Short: a transient fault gets one retry, an unreachable server a 503 within about two seconds.
            max_transaction_retry_time=max_retry_time,
            # Querying a label an empty graph has not seen yet is normal here, not worth a warning.
            notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
        )

    async def verify(self) -> None:
        """Connect and verify the connection."""
        try:
            await self.driver.verify_connectivity()
        except _UNAVAILABLE as e:
            raise StoreUnavailableError(f"Neo4j at {self.uri} is unreachable") from e
        except (Neo4jError, DriverError) as e:
            raise StoreUnavailableError(f"Neo4j at {self.uri} refused the connection: {type(e).__name__}") from e

    async def close(self) -> None:
        await self.driver.close()

    async def read(self, query: str, /, **params: Any) -> list[Record]:
        return await self._execute(query, params, RoutingControl.READ)

    async def write(self, query: str, /, **params: Any) -> list[Record]:
        return await self._execute(query, params, RoutingControl.WRITE)

    async def _execute(self, text: str, params: dict[str, Any], routing: RoutingControl) -> list[Record]:
        if (unit := _UNIT.get()) is not None:
            async with mapped_errors():
                return await run(unit, text, **params)
        query = Query(text, timeout=self.query_timeout)
        async with mapped_errors():
            result = await self.driver.execute_query(query, params, database_=self.database, routing_=routing)
        return result.records

    async def run_auto_commit(self, query: str) -> None:
        """One statement in a transaction of its own, with no client timeout: a migration's schema change, or a
        backfill in ``CALL { … } IN TRANSACTIONS`` batches, which Neo4j runs only outside a managed transaction."""
        async with mapped_errors(), self.driver.session(database=self.database) as session:
            result = await session.run(query)
            await result.consume()

    async def transaction(self, work: Callable[..., Awaitable[T]], *args: Any, write: bool) -> T:
        """Run ``work(tx, *args)`` as one managed transaction (retried by the driver on transient faults); inside
        a unit of work, in the unit's transaction."""
        if (unit := _UNIT.get()) is not None:
            async with mapped_errors():
                return await work(unit, *args)
        bounded = neo4j.unit_of_work(timeout=self.query_timeout)(work)
        async with mapped_errors(), self.driver.session(database=self.database) as session:
            run = session.execute_write if write else session.execute_read
            result: T = await run(bounded, *args)
            return result

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[None]:
        """One explicit transaction for every query of the block: committed at its end, rolled back if it fails
        or is cancelled (a request past its deadline)."""
        if _UNIT.get() is not None:
            yield
            return
        async with mapped_errors(), self.driver.session(database=self.database) as session:
            tx = await session.begin_transaction(timeout=self.query_timeout)
            token = _UNIT.set(tx)
            try:
                yield
            except BaseException:
                _UNIT.reset(token)
                await tx.close()  # rolls back
                raise
            _UNIT.reset(token)
            await tx.commit()


async def run(tx: Transaction | neo4j.AsyncTransaction, query: str, /, **params: Any) -> list[Record]:
    """Every record of one query in a transaction."""
    result = await tx.run(query, params)
    return [record async for record in result]


@asynccontextmanager
async def mapped_errors() -> AsyncIterator[None]:
    """Driver exceptions as graph.errors: unreachable or timed out is unavailable, anything else a fault of ours."""
    try:
        yield
    except _UNAVAILABLE as e:
        raise StoreUnavailableError("Neo4j is unreachable") from e
    except (Neo4jError, DriverError) as e:
        raise _query_error(e) from e


def _query_error(e: Neo4jError | DriverError) -> LexgraphError:
    """A query over its time limit may pass later (a 503), a transaction that deadlocked may pass if run again;
    any other refusal is a fault of ours."""
    if isinstance(e, Neo4jError) and "TransactionTimedOut" in (e.code or ""):
        return StoreUnavailableError("Neo4j query timed out")
    if isinstance(e, TransientError):
        return StoreBusyError(f"Neo4j asks to run the transaction again: {e.code}")
    return StoreQueryError(f"Neo4j query failed: {type(e).__name__}")


class Neo4jRole:
    """Base of the Neo4j store's roles: each reaches the database only through ``db``."""

    db: Neo4jDb

"""FastAPI dependencies and their ``Annotated`` aliases."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, HTTPException, Query, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import Scope as AsgiScope

from app.settings import Settings, StoreKind, get_settings
from graph.errors import InvalidInputError, LexgraphError
from graph.keys import MAX_CHANGE_KEYS, Caller, Change, ChangeStatus, KeyScope, KeyVerifier, allows, new_change
from graph.ports import (
    ChangeLog,
    Documents,
    GraphStore,
    Lifecycle,
    Links,
    Obligations,
    Organizations,
    SearchIndex,
    Traversal,
)
from graph.stores.neo4j import Neo4jStore
from graph.stores.sqlite import SqliteStore
from graph.usecases.audit import AuditReads
from graph.usecases.ingest import IngestStore

log = logging.getLogger("lexgraph")

T = TypeVar("T")

MAX_PAGE = 5000
MAX_OFFSET = 10_000

WRITES_DISABLED = (
    "writes are disabled: create a key with 'lexgraph keys create --scope write' or set LEXGRAPH_API_KEYS "
    "to a comma-separated list of keys, and send 'Authorization: Bearer <key>'"
)


def build_store(settings: Settings) -> GraphStore:
    """The store the settings name (not yet opened)."""
    if settings.store == StoreKind.neo4j:
        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
            query_timeout=settings.neo4j_query_timeout,
            connection_timeout=settings.neo4j_connect_timeout,
            migrations_dir=settings.migrations_dir,
        )
    return SqliteStore(
        settings.sqlite_path,
        settings.migrations_dir,
        adjacency_min_documents=settings.adjacency_min_documents if settings.adjacency_index else None,
        search_rankings=settings.search_rankings,
        lineage_pages_bytes=settings.lineage_pages_mb << 20,
    )


async def with_store(settings: Settings, work: Callable[[GraphStore], Awaitable[T]]) -> T:
    """Run ``work`` on the configured store, opened and migrated, and close it after."""
    store = build_store(settings)
    await store.open()
    try:
        await store.migrate()
        return await work(store)
    finally:
        await store.close()


def build_key_verifier(store: GraphStore, settings: Settings) -> KeyVerifier:
    return KeyVerifier(store, settings.write_keys, settings.key_cache_seconds)


# The dependencies are coroutines: FastAPI runs a plain function in its thread pool, a hop per request.
async def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_key_verifier(request: Request) -> KeyVerifier:
    verifier: KeyVerifier = request.app.state.key_verifier
    return verifier


_bearer = HTTPBearer(auto_error=False)


def require_scope(needed: KeyScope) -> Callable[..., Awaitable[Caller]]:
    """A dependency answering 401 without a valid key and 403 when the key's scope is short of ``needed``."""

    async def caller_with_scope(
        verifier: Annotated[KeyVerifier, Depends(get_key_verifier)],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Caller:
        if not await verifier.any_key_source():
            raise HTTPException(status.HTTP_403_FORBIDDEN, WRITES_DISABLED)
        if credentials is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, "missing 'Authorization: Bearer <key>'", {"WWW-Authenticate": "Bearer"}
            )
        caller = await verifier.verify(credentials.credentials)
        if caller is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, "invalid or revoked API key", {"WWW-Authenticate": "Bearer"}
            )
        if not allows(caller.scope, needed):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"this key has scope '{caller.scope}'; this needs '{needed}' or above"
            )
        return caller

    return caller_with_scope


require_write = require_scope(KeyScope.write)
require_read = require_scope(KeyScope.read)

# A check for a request that needs a key only for some of its parameters (stored texts are not public).
KeyCheck = Callable[[KeyScope], Awaitable[Caller]]


async def key_check(verifier: Annotated[KeyVerifier, Depends(get_key_verifier)], request: Request) -> KeyCheck:
    """The scope check of :func:`require_scope`, run by the route when its parameters call for a key.

    The bearer key is read here rather than declared, so the route's other uses stay public in OpenAPI;
    the route documents its 401 and 403 with :data:`KEY_FOR_SOME_USES`."""

    async def check(needed: KeyScope) -> Caller:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        credentials = (
            HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())
            if scheme.lower() == "bearer" and token.strip()
            else None
        )
        return await require_scope(needed)(verifier, credentials)

    return check


# OpenAPI mark of a route that needs a key for some of its uses (app.openapi documents 401 and 403 on it).
KEY_FOR_SOME_USES = "x-lexgraph-key-for-some-uses"


class ChangeRecorder:
    """The change-log entry of one write request, logged ``pending`` before the write runs."""

    def __init__(self, store: GraphStore, change: Change) -> None:
        self.store = store
        self.change = change

    def attempting(self, keys: Iterable[str]) -> None:
        """Name what the write is about to do: a failed entry then says what was attempted."""
        self.change = self.change.model_copy(update={"keys": list(keys)[:MAX_CHANGE_KEYS]})

    async def committed(
        self,
        keys: Iterable[str],
        *,
        before: Sequence[Mapping[str, Any]] = (),
        after: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        """Mark the write done, naming what it wrote and the records it changed, before and after."""
        self.change = self.change.model_copy(
            update={
                "status": ChangeStatus.committed,
                "keys": list(keys)[:MAX_CHANGE_KEYS],
                "before": [dict(record) for record in before],
                "after": [dict(record) for record in after],
            }
        )
        await self.store.put_change(self.change)


async def record_change(
    request: Request,
    store: Annotated[GraphStore, Depends(get_store)],
    caller: Annotated[Caller, Depends(require_write)],
) -> AsyncIterator[ChangeRecorder]:
    """Log the write ahead of it, so that no write lands unlogged.

    A write-ahead entry rather than one transaction: some writes (``/ingest/text``) span several
    store transactions. A crash between write and completion leaves the entry ``pending``, which
    says truthfully that the write may have happened; every write is idempotent, so re-posting is safe.
    """
    recorder = ChangeRecorder(store, new_change(caller.key_id, request.method, request.url.path))
    await store.put_change(recorder.change)
    try:
        yield recorder
    except Exception:
        if recorder.change.status == ChangeStatus.pending:
            try:
                await store.put_change(recorder.change.model_copy(update={"status": ChangeStatus.failed}))
            except LexgraphError:
                log.warning("change %s left pending: the store did not take its failure", recorder.change.id)
        raise


class ClientIdentity:
    """Whom the rate limit counts a request against: a key already verified, else the client address.

    Checking a key not yet verified costs a store lookup, so it is done only for requests the
    address's own bucket let through: made-up keys cannot buy fresh buckets or unlimited lookups.
    """

    def __call__(self, scope: AsgiScope, token: str | None) -> str:
        caller = self._verifier(scope).remembered(token) if token else None
        if caller is not None:
            return f"key:{caller.key_id}"
        client = scope.get("client")
        return f"ip:{client[0] if client else 'unknown'}"

    async def learn(self, scope: AsgiScope, token: str) -> None:
        """Verify a key (and remember the answer), so that its next requests count against it."""
        try:
            await self._verifier(scope).verify(token)
        except LexgraphError:
            log.warning("key check skipped for the rate limit: the store did not answer")

    @staticmethod
    def _verifier(scope: AsgiScope) -> KeyVerifier:
        verifier: KeyVerifier = scope["app"].state.key_verifier
        return verifier


@dataclass(frozen=True)
class Page:
    """One page of a list that can grow large: ``limit`` items from ``offset``."""

    limit: int
    offset: int

    def of(self, items: Sequence[T]) -> tuple[list[T], bool, int | None]:
        """The page's items, whether items were left out after it, and the offset of the next page."""
        end = self.offset + self.limit
        truncated = len(items) > end
        return list(items[self.offset : end]), truncated, end if truncated else None

    def of_window(self, window: Sequence[T]) -> tuple[list[T], bool, int | None]:
        """The same, from the ``limit + 1`` items a store read from ``offset`` (it pages, not the edge)."""
        truncated = len(window) > self.limit
        return list(window[: self.limit]), truncated, self.offset + self.limit if truncated else None


def page_params(default: int) -> Callable[..., Awaitable[Page]]:
    async def page(
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")] = default,
        next: Annotated[
            str | None, Query(max_length=8, pattern=r"^\d+$", description="the 'next' of the previous page")
        ] = None,
        offset: Annotated[
            int, Query(ge=0, le=MAX_OFFSET, description="items to skip (before 'next'; still accepted)")
        ] = 0,
    ) -> Page:
        start = int(next) if next is not None else offset
        if start > MAX_OFFSET:
            raise InvalidInputError(f"'next' is past the last page this list can reach ({MAX_OFFSET} items)")
        return Page(limit, start)

    return page


class ObligationStore(Documents, Obligations, Protocol):
    """What the obligation routes use: the document they hang on, and its obligations."""


# Each route asks for the store roles it uses (graph.ports); the store behind them is the one process-wide.
DocumentsDep = Annotated[Documents, Depends(get_store)]
LinksDep = Annotated[Links, Depends(get_store)]
TraversalDep = Annotated[Traversal, Depends(get_store)]
SearchDep = Annotated[SearchIndex, Depends(get_store)]
OrganizationsDep = Annotated[Organizations, Depends(get_store)]
ObligationsDep = Annotated[ObligationStore, Depends(get_store)]
LifecycleDep = Annotated[Lifecycle, Depends(get_store)]
ChangeLogDep = Annotated[ChangeLog, Depends(get_store)]
IngestDep = Annotated[IngestStore, Depends(get_store)]
AuditDep = Annotated[AuditReads, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
WriteKey = Annotated[Caller, Depends(require_write)]
ReadKey = Annotated[Caller, Depends(require_read)]
KeyCheckDep = Annotated[KeyCheck, Depends(key_check)]
RecordedWrite = Annotated[ChangeRecorder, Depends(record_change)]

__all__ = ["Page", "ReadKey", "RecordedWrite", "SettingsDep", "WriteKey", "build_store", "get_settings", "page_params"]

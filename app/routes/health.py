import asyncio
import os
import socket
from collections.abc import Awaitable

from fastapi import APIRouter, Response, status

from app.deps import LifecycleDep
from app.errors import RETRY_AFTER_SECONDS
from app.routing import StrictJsonRoute
from app.schemas import Health, Stats
from graph.errors import LexgraphError

router = APIRouter(route_class=StrictJsonRoute, tags=["health"])

# Well inside the request deadline: a hung store is reported, not waited for.
PROBE_SECONDS = 1.0
WORKER = f"{socket.gethostname()}:{os.getpid()}"


async def _failure(check: str, probe: Awaitable[object]) -> str | None:
    """Why ``probe`` (a read or a write) failed, or did not end within the probe's time; None if it passed."""
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            passed = await probe
    except TimeoutError:
        return f"the store did not answer a {check} within {PROBE_SECONDS:g} s"
    except LexgraphError:
        return f"a {check} failed (disk full, read-only file or database down)"
    return "the store does not answer" if passed is False else None


@router.get("/health", response_model=Health)
async def health(store: LifecycleDep, response: Response) -> Health:
    """Whether the store answers a read and takes a write, each within a second; 503 when not."""
    read_failure = await _failure("read", store.ping())
    write_failure = await _failure("write", store.probe_write(WORKER)) if read_failure is None else read_failure
    if write_failure is not None:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return Health(
        status="ok" if write_failure is None else "degraded",
        store=store.kind,
        reachable=read_failure is None,
        writable=write_failure is None,
        reason=write_failure,
    )


@router.get("/stats", response_model=Stats)
async def stats(store: LifecycleDep) -> Stats:
    """Counts of documents, links and organizations."""
    counts = await store.counts()
    return Stats(store=store.kind, **counts.model_dump())

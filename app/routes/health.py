import asyncio
import os
import socket

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


async def _probe(check: str, store: LifecycleDep) -> str | None:
    """Why the store failed ``check`` ("read" or "write") within the probe's time, or None."""
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            if check == "read":
                return None if await store.ping() else "the store does not answer"
            await store.probe_write(WORKER)
            return None
    except TimeoutError:
        return f"the store did not answer a {check} within {PROBE_SECONDS:g} s"
    except LexgraphError:
        return f"a {check} failed (disk full, read-only file or database down)"


@router.get("/health", response_model=Health)
async def health(store: LifecycleDep, response: Response) -> Health:
    """Whether the store answers a read and takes a write, each within a second; 503 when not."""
    read_failure = await _probe("read", store)
    write_failure = await _probe("write", store) if read_failure is None else read_failure
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

from fastapi import APIRouter, Response, status

from app.deps import StoreDep
from app.schemas import Health, Stats

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health(store: StoreDep, response: Response) -> Health:
    """Store kind and whether it answers; 503 when it does not."""
    reachable = await store.ping()
    if not reachable:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        response.headers["Retry-After"] = "5"
    return Health(status="ok" if reachable else "degraded", store=store.kind, reachable=reachable)


@router.get("/stats", response_model=Stats)
async def stats(store: StoreDep) -> Stats:
    """Counts of documents, links and organizations."""
    counts = await store.counts()
    return Stats(store=store.kind, **counts.model_dump())

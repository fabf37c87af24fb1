"""The HTTP application: one store per process, opened in the lifespan."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi_offline import FastAPIOffline

from app.caching import ConditionalReads
from app.deps import ClientIdentity, build_key_verifier, build_store
from app.dispatch import dispatching
from app.errors import install_error_handlers
from app.fast_reads import FastReads
from app.heap import freeze_startup_heap
from app.middleware import (
    BodySizeLimit,
    QueryStringLimit,
    RateLimit,
    RequestDeadline,
    SecurityHeaders,
    UnhandledErrors,
)
from app.openapi import install_openapi
from app.redirects import KeyRedirects
from app.route_patterns import guard_included_routers
from app.routes import (
    audit,
    changes,
    corrections,
    documents,
    effects,
    extract,
    feed,
    health,
    links,
    obligations,
    organizations,
    paths,
    report,
    review_page,
    search,
    webhooks,
    widget,
)
from app.routes.extract import FILE_BODY_LIMIT, INGEST_BODY_LIMIT
from app.settings import Settings, get_settings
from app.versioning import API_PREFIX, versioned
from graph.seeds import load_seeds

log = logging.getLogger("lexgraph")
T = TypeVar("T")

# Answers over this size are compressed (for clients that accept gzip), at zlib's default level: Starlette's
# level 9 took 1.4 ms for a 110 KB lineage page against 0.6 ms, for an answer 2 % smaller.
COMPRESS_FROM_BYTES = 1024
COMPRESS_LEVEL = 6
PUBLIC_MAX_AGE = 30


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the API for the given settings (the environment's by default)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = build_store(settings)
        await store.open()
        try:
            await store.migrate()
            if settings.load_seeds and (await store.counts()).documents == 0:
                # Workers starting together all find the store empty: one seeds it, the others then find it seeded.
                async with store.exclusive("seeds"):
                    if (await store.counts()).documents == 0:
                        counts = await load_seeds(store, settings.seeds_dir, units=settings.load_units)
                        log.info("empty store seeded from %s: %s", settings.seeds_dir, counts)
            started = time.perf_counter()
            await store.warm()
            log.info("store warmed in %.1f s", time.perf_counter() - started)
            if settings.freeze_startup_heap:
                freeze_startup_heap()
            app.state.store = store
            app.state.key_verifier = build_key_verifier(store, settings)
            async with dispatching(store, settings):
                yield
        finally:
            await store.close()

    # Swagger UI and ReDoc served from the package's own copies: /docs works with no internet.
    app = FastAPIOffline(
        static_url="/docs-assets",
        title="lexgraph",
        summary="Legal-reference knowledge graph of Vietnamese Party and State documents",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(FastReads)
    app.add_middleware(KeyRedirects)
    app.add_middleware(ConditionalReads, max_age=PUBLIC_MAX_AGE)
    app.add_middleware(
        BodySizeLimit, per_path=_both_paths({"/ingest/text": INGEST_BODY_LIMIT, "/ingest/file": FILE_BODY_LIMIT})
    )
    app.add_middleware(QueryStringLimit)
    app.add_middleware(
        RequestDeadline,
        seconds=settings.request_timeout,
        per_path=_both_paths({"/ingest/text": settings.ingest_timeout, "/ingest/file": settings.ingest_timeout}),
    )
    app.add_middleware(RateLimit, rate=settings.rate_limit, burst=settings.rate_burst, identify=ClientIdentity())
    app.add_middleware(UnhandledErrors)
    app.add_middleware(SecurityHeaders)
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.allowed_origins, allow_methods=["GET"], allow_headers=["*"]
        )
    app.add_middleware(GZipMiddleware, minimum_size=COMPRESS_FROM_BYTES, compresslevel=COMPRESS_LEVEL)
    # Every route mounted twice: /v1 is documented, the unversioned paths stay as aliases.
    for module in API_MODULES:
        app.include_router(module.router, prefix=API_PREFIX)
    for module in API_MODULES:
        app.include_router(module.router, include_in_schema=False)
    app.include_router(widget.router)
    guard_included_routers(app.router.routes)
    install_openapi(app)
    return app


# Every API module (the widget's pages are not API routes), included straight into the app under /v1 and
# unversioned: a request matches against one level of routers, not an API router nested in the app's.
API_MODULES = (
    health,
    effects,
    documents,
    links,
    paths,
    extract,
    organizations,
    obligations,
    audit,
    search,
    changes,
    corrections,
    report,
    review_page,
    feed,
    webhooks,
)


def _both_paths(per_path: dict[str, T]) -> dict[str, T]:
    """A per-path setting for the unversioned path and its /v1 twin."""
    return per_path | {versioned(path): value for path, value in per_path.items()}

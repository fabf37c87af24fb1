"""Where the time of a ``GET /documents/{key}`` goes, in process: the same requests through apps built up step by step.

The steps, each timed over the same Zipf-drawn keys of bench/throughput.py's document mix (no HTTP server,
no sockets: the ASGI app called directly, one request after another, the startup heap frozen as lexgraph
serve freezes it):

- ``bare``: bench/bare_app.py, the throughput baseline;
- ``route``: one FastAPI route that reads the document from the store and returns it as the response model;
- ``dependencies``: the route as lexgraph declares it (the store as an ``Annotated`` dependency, the key's
  path checks, ``as_of``), in an included router;
- ``strict``: the same with lexgraph's route class (repeated query parameters refused);
- ``routers``: lexgraph's API routers, included under /v1 and unversioned, with their pattern guards;
- ``app``: lexgraph's app as served, with its middleware; and ``app without <middleware>`` for each one.

.venv/bin/python bench/request_ladder.py --size 1m
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI
from fastapi import Path as PathParam
from starlette.types import ASGIApp, Message

sys.path.insert(0, str(Path(__file__).resolve().parent))
import national  # the sibling benchmark: workload, stores
from bare_app import app as bare_app  # the sibling baseline
from throughput import ZIPF_S, request_mix

from app.deps import DocumentsDep, build_key_verifier
from app.main import API_MODULES, create_app
from app.route_patterns import guard_included_routers
from app.routes.effects import AsOf, seen_on
from app.routing import StrictJsonRoute
from app.settings import Settings, StoreKind
from graph.models import Document
from graph.ports import GraphStore

MIDDLEWARE = (
    "KeyRedirects",
    "ConditionalReads",
    "BodySizeLimit",
    "QueryStringLimit",
    "RequestDeadline",
    "RateLimit",
    "UnhandledErrors",
    "SecurityHeaders",
    "GZipMiddleware",
)


def route_app(store: GraphStore) -> FastAPI:
    app = FastAPI()

    @app.get("/documents/{key}", response_model=Document)
    async def get_document(key: str) -> Document:
        return await store.get_document(key)

    return app


def dependencies_app(store: GraphStore, route_class: type[StrictJsonRoute] | None = None) -> FastAPI:
    app = FastAPI()
    app.state.store = store
    router = APIRouter(prefix="/documents", **({"route_class": route_class} if route_class else {}))

    @router.get("/{key}", response_model=Document)
    async def get_document(
        key: Annotated[str, PathParam(min_length=1, max_length=200)], documents: DocumentsDep, as_of: AsOf = None
    ) -> Document:
        return seen_on(await documents.get_document(key), as_of)

    app.include_router(router)
    return app


def routers_app(store: GraphStore, settings: Settings) -> FastAPI:
    app = FastAPI()
    app.state.store, app.state.settings = store, settings
    app.state.key_verifier = build_key_verifier(store, settings)
    for module in API_MODULES:
        app.include_router(module.router, prefix="/v1")
    for module in API_MODULES:
        app.include_router(module.router)
    guard_included_routers(app.router.routes)
    return app


@contextmanager
def without_middleware(name: str | None) -> Iterator[None]:
    """create_app with the middleware class ``name`` left out (None: all of it kept)."""
    add = FastAPI.add_middleware

    def adding(self: FastAPI, cls: Any, *args: Any, **kwargs: Any) -> None:
        if cls.__name__ != name:
            add(self, cls, *args, **kwargs)

    FastAPI.add_middleware = adding  # type: ignore[method-assign]
    try:
        yield
    finally:
        FastAPI.add_middleware = add  # type: ignore[method-assign]


def served_app(store: GraphStore, settings: Settings, leaving_out: str | None = None) -> FastAPI:
    with without_middleware(leaving_out):
        app = create_app(settings)
    app.state.store = store
    app.state.key_verifier = build_key_verifier(store, settings)
    return app


async def mean_us(app: ASGIApp, paths: list[str]) -> float:
    """Mean microseconds per request over ``paths`` (after 500 of them as warm-up), each answered 200."""

    async def call(path: str) -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")],
            "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        statuses: list[int] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app(scope, receive, send)
        return statuses[0]

    for path in paths[:500]:
        if (status := await call(path)) != 200:
            raise SystemExit(f"{path} answered {status}")
    started = time.perf_counter()
    for path in paths:
        await call(path)
    return (time.perf_counter() - started) / len(paths) * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1m", choices=sorted(national.SIZES))
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--data", type=Path, default=national.ROOT / "data/bench")
    args = parser.parse_args()
    database = args.data / f"s{args.size}.db"
    if not database.exists():
        raise SystemExit(f"{database} is missing: bench/throughput.py --size {args.size} builds it")
    asked = request_mix(args.data / f"s{args.size}", random.Random(1))["document"]
    rng = random.Random(2)
    paths = rng.choices(asked, [1 / rank**ZIPF_S for rank in range(1, len(asked) + 1)], k=args.requests)
    settings = Settings(store=StoreKind.sqlite, sqlite_path=database, load_seeds=False, rate_limit=0)
    store = await national.open_bench_store("sqlite", args.data, args.size, wipe=False)
    try:
        await store.warm()
        steps: list[tuple[str, ASGIApp]] = [
            ("bare", bare_app),
            ("route", route_app(store)),
            ("dependencies", dependencies_app(store)),
            ("strict", dependencies_app(store, StrictJsonRoute)),
            ("routers", routers_app(store, settings)),
            ("app", served_app(store, settings)),
            *((f"app without {name}", served_app(store, settings, name)) for name in MIDDLEWARE),
        ]
        gc.collect()
        gc.freeze()
        print(f"GET /documents/{{key}} in process, {args.size}, {args.requests:,} requests, mean µs per request")
        for name, app in steps:
            print(f"| {name} | {await mean_us(app, paths):.0f} |", flush=True)
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main())

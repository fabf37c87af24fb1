"""ASGI middleware: request limits (body, query string, rate), security headers, and a last-resort error answer."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass
from typing import Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import RETRY_AFTER_SECONDS, STORE_UNAVAILABLE, error_body
from graph.errors import StoreUnavailableError

log = logging.getLogger("lexgraph")

DEFAULT_BODY_LIMIT = 1024 * 1024
QUERY_STRING_LIMIT = 4096
_RETRY_AFTER = (b"retry-after", str(RETRY_AFTER_SECONDS).encode())


async def send_json(
    send: Send, status: int, code: str, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Answer with the error shape (:func:`app.errors.error_body`) and nothing else."""
    body = error_body(code, detail)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class HttpMiddleware:
    """Pure ASGI middleware that acts on HTTP requests only and passes everything else through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class BodySizeLimit(HttpMiddleware):
    """Answer 413 to bodies over the limit of their path, declared or streamed (chunked), before a handler uses them."""

    def __init__(self, app: ASGIApp, default: int = DEFAULT_BODY_LIMIT, per_path: dict[str, int] | None = None) -> None:
        super().__init__(app)
        self.default = default
        self.per_path = per_path or {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.per_path.get(scope["path"], self.default)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        received = 0
        started = False
        answered = False

        async def limited_receive() -> Message:
            nonlocal received, answered
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Answer now and tell the handler the client is gone: it must not act on half a body.
                    if not started and not answered:
                        answered = True
                        await _too_large(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, guarded_send)


async def _too_large(send: Send, limit: int) -> None:
    await send_json(send, 413, "body_too_large", f"request body over the limit of {limit} bytes")


class QueryStringLimit(HttpMiddleware):
    """Answer 414 to query strings over the limit."""

    def __init__(self, app: ASGIApp, limit: int = QUERY_STRING_LIMIT) -> None:
        super().__init__(app)
        self.limit = limit

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if len(scope.get("query_string", b"")) > self.limit:
            await send_json(send, 414, "query_too_long", f"query string over the limit of {self.limit} bytes")
            return
        await self.app(scope, receive, send)


class ClientIdentifier(Protocol):
    def __call__(self, scope: Scope, token: str | None) -> str:
        """The bucket a request is counted against, decided without I/O."""

    async def learn(self, scope: Scope, token: str) -> None:
        """Find out (with I/O) whom a bearer token names, for the next requests."""


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimit(HttpMiddleware):
    """Token buckets per client (a verified key, else the client address): 429 with Retry-After when empty.

    The buckets live in this process: with N API workers a client gets up to N times the rate. That
    still stops one client from starving a worker, with no shared round-trip per request; a
    cluster-wide limit belongs in front of the workers (the load balancer or API gateway) or in a
    shared counter such as Redis.
    """

    MAX_BUCKETS = 100_000

    def __init__(
        self,
        app: ASGIApp,
        rate: float,
        burst: int,
        identify: ClientIdentifier,
        exempt: frozenset[str] = frozenset({"/health"}),
    ) -> None:
        super().__init__(app)
        self.rate = rate
        self.burst = burst
        self.identify = identify
        self.exempt = exempt
        self._buckets: dict[str, _Bucket] = {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.rate <= 0 or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        token = _bearer_token(scope)
        client = self.identify(scope, token)
        wait = self._take(client)
        if wait > 0:
            retry = str(max(1, math.ceil(wait)))
            await send_json(
                send, 429, "rate_limited", f"too many requests; retry in {retry} s", [(b"retry-after", retry.encode())]
            )
            return
        if token and client.startswith("ip:"):
            await self.identify.learn(scope, token)
        await self.app(scope, receive, send)

    def _take(self, client: str) -> float:
        """Take a token for ``client``; 0 when granted, else the seconds until one is available."""
        now = time.monotonic()
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= self.MAX_BUCKETS:
                self._forget_full(now)
            bucket = self._buckets[client] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled holds no information: dropping it changes nobody's limit.
        refill = self.burst / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill}


def _bearer_token(scope: Scope) -> str | None:
    value = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
    scheme, _, token = value.partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


# The stores map their drivers' faults to StoreUnavailableError; one that escaped the handlers, or a
# connection fault of the network itself, still means "retry later", not "bug".
_UNAVAILABLE = (StoreUnavailableError, ConnectionError, TimeoutError)


class UnhandledErrors(HttpMiddleware):
    """The last resort: log an unexpected exception and answer a generic 503 or 500, with no details."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            if isinstance(exc, _UNAVAILABLE):
                log.warning("store unavailable: %s", type(exc).__name__)
                await send_json(send, 503, "store_unavailable", STORE_UNAVAILABLE, [_RETRY_AFTER])
            else:
                log.error("unhandled error on %s %s", scope.get("method"), scope.get("path"), exc_info=exc)
                await send_json(send, 500, "internal_error", "internal error")


class RequestDeadline(HttpMiddleware):
    """Answer 503 with Retry-After when a request is not answered within its deadline (a hung store).

    A write cut off by the deadline may still have committed; every write is idempotent, so the client
    repeats it. A response already started cannot be replaced: its connection is closed instead.
    """

    def __init__(self, app: ASGIApp, seconds: float, per_path: dict[str, float] | None = None) -> None:
        super().__init__(app)
        self.seconds = seconds
        self.per_path = per_path or {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        seconds = self.per_path.get(scope["path"], self.seconds)
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if started:
                raise
            log.warning("%s %s not answered within %.1f s", scope.get("method"), scope.get("path"), seconds)
            detail = f"the request was not answered within {seconds:g} s; retry later (a write may have been applied)"
            await send_json(send, 503, "timeout", detail, [_RETRY_AFTER])


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Data and scripts need no CSP sources of their own; HTML pages (the demo page, /docs) load their
# own scripts and styles, so they are only kept out of frames.
CSP_DATA = b"default-src 'none'; frame-ancestors 'none'"
CSP_PAGE = b"frame-ancestors 'none'"


class SecurityHeaders(HttpMiddleware):
    """Add conservative security headers to every HTTP response."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                names = {name.lower() for name, _ in headers}
                content_type = dict(headers).get(b"content-type", b"")
                csp = CSP_PAGE if content_type.startswith(b"text/html") else CSP_DATA
                extra = [*SECURITY_HEADERS, (b"content-security-policy", csp)]
                message["headers"] = [*headers, *(h for h in extra if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, with_headers)

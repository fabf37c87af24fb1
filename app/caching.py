"""Conditional reads: a weak ETag on every successful GET, Cache-Control by who asks, and 304 on a match.

Public reads may be cached briefly by anyone; a read made with a key is not stored at all (it may hold
what only a key may see). The tag hashes the uncompressed body, so it is computed inside compression.
"""

from __future__ import annotations

import xxhash
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.middleware import HttpMiddleware

CACHED_METHODS = ("GET", "HEAD")
# A body longer than this is sent as it streams, untagged, rather than held in memory.
MAX_TAGGED_BODY = 8 * 1024 * 1024
NO_STORE = "no-store"
# Headers a 304 keeps (RFC 9110 15.4.5); the body's own headers go.
KEPT_ON_304 = ("cache-control", "etag", "vary", "content-location", "date", "expires")


def weak_etag(body: bytes) -> str:
    """``W/"<hash of the body>"``: XXH3-128, a validator of the bodies one URL answers, not a seal (nothing
    here needs a cryptographic hash, and it costs a microsecond where blake2b cost 40 on a page of 100)."""
    return f'W/"{xxhash.xxh3_128_hexdigest(body)}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag`` (weak comparison) or is ``*``."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or wanted in tags


def cache_control(headers: Headers, max_age: int) -> str:
    """``no-store`` for a request made with a key, else a short public lifetime."""
    return NO_STORE if "authorization" in headers else f"public, max-age={max_age}"


class ConditionalReads(HttpMiddleware):
    """Tag 200 answers to GET and HEAD, answer 304 when the client already holds the tag."""

    def __init__(self, app: ASGIApp, max_age: int = 30) -> None:
        super().__init__(app)
        self.max_age = max_age

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in CACHED_METHODS:
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False

        async def tagging_send(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                start = message
                passing = message["status"] != 200
                if passing:
                    await send(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > MAX_TAGGED_BODY and message.get("more_body", False):
                    passing = True
                    assert start is not None
                    await send(start)
                    await send({**message, "body": b"".join(chunks)})
                elif not message.get("more_body", False):
                    assert start is not None
                    await self._answer(start, b"".join(chunks), request_headers, send)

        await self.app(scope, receive, tagging_send)

    async def _answer(self, start: Message, body: bytes, request: Headers, send: Send) -> None:
        headers = MutableHeaders(scope=start)
        etag = headers.get("etag") or weak_etag(body)
        headers["etag"] = etag
        if "cache-control" not in headers:
            headers["cache-control"] = cache_control(request, self.max_age)
        if etag_matches(request.get("if-none-match"), etag):
            kept = [(k, v) for k, v in start["headers"] if k.decode("latin-1").lower() in KEPT_ON_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send(start)
        await send({"type": "http.response.body", "body": body})

"""308 Permanent Redirect from a document key a correction retired to the key the document now has.

Only a GET under ``/documents/{key}`` that would answer 404 asks the store, so the redirect costs
nothing on the paths that find their document.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from starlette.types import Message, Receive, Scope, Send

from app.middleware import HttpMiddleware, send_json
from app.versioning import API_PREFIX
from graph.errors import LexgraphError
from graph.ports import Corrections

log = logging.getLogger("lexgraph")

DOCUMENT_PATH = re.compile(rf"^(?P<prefix>{re.escape(API_PREFIX)})?/documents/(?P<key>[^/]+)(?P<rest>/.*)?$")
REDIRECTED_METHODS = frozenset({"GET"})  # the document routes answer GET only


def moved_location(scope: Scope, new_key: str, prefix: str, rest: str) -> str:
    """The same request's URL path (under the same version prefix, and with its query) with the new key."""
    query = scope.get("query_string", b"").decode("latin-1")
    path = f"{scope.get('root_path', '')}{prefix}/documents/{quote(new_key, safe='')}{quote(rest)}"
    return f"{path}?{query}" if query else path


class KeyRedirects(HttpMiddleware):
    """Turn a 404 under a retired document key into a 308 to the document's current key."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = DOCUMENT_PATH.match(scope["path"])
        if match is None or scope["method"] not in REDIRECTED_METHODS:
            await self.app(scope, receive, send)
            return
        redirected = False

        async def send_or_redirect(message: Message) -> None:
            nonlocal redirected
            if redirected:
                return
            if message["type"] == "http.response.start" and message["status"] == 404:
                new_key = await _current_key(scope, match["key"])
                if new_key is not None:
                    redirected = True
                    location = moved_location(scope, new_key, match["prefix"] or "", match["rest"] or "")
                    detail = f"document '{match['key']}' now has the key '{new_key}'"
                    await send_json(send, 308, "moved_permanently", detail, [(b"location", location.encode())])
                    return
            await send(message)

        await self.app(scope, receive, send_or_redirect)


async def _current_key(scope: Scope, key: str) -> str | None:
    store: Corrections = scope["app"].state.store
    try:
        return await store.redirect_target(key)
    except LexgraphError:
        log.warning("redirect of document key %s skipped: the store did not answer", key)
        return None

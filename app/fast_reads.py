"""``GET /documents/{key}`` answered without FastAPI's routing and dependency solving when nothing asks for more.

A document by key is the API's most asked read, and in process about half its time went to matching the route
among the app's and solving its dependencies (pyinstrument on the 1M store). With no query string, a key the
route takes and a document found, the answer is the store's JSON, which is what the route sends; anything
else (a query, a key the route would refuse, a key not found or retired, a store error) goes the ordinary
way, so the route keeps every rule and this only skips work. It is the innermost middleware: limits, ETags,
redirects and headers apply as to the route.
"""

from __future__ import annotations

import re

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.middleware import HttpMiddleware
from app.route_patterns import route_path
from app.versioning import API_PREFIX
from graph.errors import LexgraphError
from graph.ports import Documents

# The route's path and key: one path segment of 1 to 200 characters (app.routes.documents.DocumentKey).
DOCUMENT_BY_KEY = re.compile(rf"^(?:{re.escape(API_PREFIX)})?/documents/(?P<key>[^/]{{1,200}})$")


class DocumentsByKey(HttpMiddleware):
    """Answer a plain ``GET /documents/{key}`` (and under /v1) from the store's JSON of the document."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = DOCUMENT_BY_KEY.match(route_path(scope))
        if match is None or scope["method"] != "GET" or scope.get("query_string"):
            await self.app(scope, receive, send)
            return
        store: Documents = scope["app"].state.store
        try:
            text = await store.get_document_json(match["key"])
        except LexgraphError:  # not found, retired, or the store failing: the route answers as it does
            await self.app(scope, receive, send)
            return
        await Response(text, media_type="application/json")(scope, receive, send)

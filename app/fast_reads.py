"""The most asked reads, ``GET /documents/{key}``, ``GET /documents?symbol=…``, ``GET /search?q=…`` and
``GET /documents/{key}/lineage`` (its first page), answered without FastAPI's routing and dependency solving when
nothing asks for more than the plain read.

In process, about half of a document's request went to matching the route among the app's and solving its
dependencies, and a symbol list solved eleven query parameters it was not given (pyinstrument on the 1M store).
A document by key with no query string, a symbol list given its symbol alone, or a search given its query alone,
or a lineage given at most its direction and depth, is answered here by what the route itself calls (the store's
JSON; :func:`app.routes.documents.documents_found` on the route's first page;
:func:`app.routes.search.documents_searched` with the default limit; :func:`app.routes.documents.lineage_found`
with the default relations, page and view),
and a store error by the app's own answer to it (a miss is the route's 404, which KeyRedirects turns into a
redirect for a retired key; a failing store is answered once, not asked again by the route). Anything else
(another parameter, a value the route would refuse) goes to the route, which keeps every rule: this only
skips work. It is the innermost middleware, so limits, ETags, redirects and headers apply as to the routes.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.deps import Page
from app.errors import domain_error_response
from app.middleware import HttpMiddleware
from app.route_patterns import route_path
from app.routes.documents import LIST_LIMIT, SYMBOL_MAX_LENGTH, documents_found, lineage_found
from app.routes.search import documents_searched
from app.versioning import API_PREFIX
from graph.errors import LexgraphError
from graph.models import DEFAULT_DEPTH, LINEAGE_RELATIONS, MAX_DEPTH, DocumentFilter, LineageDirection
from graph.paging import DEFAULT_GRAPH_PAGE
from graph.ports import GraphStore
from graph.search import MAX_QUERY_LENGTH, SearchAsk

_PREFIX = f"(?:{re.escape(API_PREFIX)})?"
# The routes' paths; a key is one path segment of 1 to 200 characters (app.routes.documents.DocumentKey).
DOCUMENT_BY_KEY = re.compile(rf"^{_PREFIX}/documents/(?P<key>[^/]{{1,200}})$")
DOCUMENT_LIST = re.compile(rf"^{_PREFIX}/documents$")
SEARCH = re.compile(rf"^{_PREFIX}/search$")
LINEAGE = re.compile(rf"^{_PREFIX}/documents/(?P<key>[^/]{{1,200}})/lineage$")
# A depth as the route takes it, written plainly (the route parses other spellings: they go to it).
_DEPTH = re.compile(r"^[1-9][0-9]?$")
_DIRECTIONS = {direction.value: direction for direction in LineageDirection}


class FastReads(HttpMiddleware):
    """Answer a plain document by key, symbol list, search or lineage page from the store, or pass the request on to
    the routes."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = await _plain_read(scope) if scope["method"] == "GET" else None
        if answer is None:
            await self.app(scope, receive, send)
        else:
            await answer(scope, receive, send)


async def _plain_read(scope: Scope) -> Response | None:
    """The answer to a plain read, or None for a request the routes answer."""
    read = _plain(route_path(scope), scope.get("query_string", b""))
    if read is None:
        return None
    try:
        return await read(scope["app"].state.store)
    except LexgraphError as exc:
        return domain_error_response(exc)
    except ValidationError:  # a symbol the filter refuses: the route answers as it does
        return None


def _plain(path: str, query: bytes) -> Callable[[GraphStore], Awaitable[Response]] | None:
    """The read a plain request asks of the store (the paths are disjoint), or None for one the routes answer."""
    if (document := DOCUMENT_BY_KEY.match(path)) is not None:
        return None if query else lambda store: _document(store, document["key"])
    if DOCUMENT_LIST.match(path) is not None:
        if (symbol := _alone(query, "symbol", SYMBOL_MAX_LENGTH)) is None:
            return None
        return lambda store: documents_found(store, DocumentFilter(symbol=symbol), Page(limit=LIST_LIMIT, offset=0))
    if SEARCH.match(path) is not None:
        if (text := _alone(query, "q", MAX_QUERY_LENGTH)) is None:
            return None
        return lambda store: documents_searched(store, SearchAsk(text))
    if (lineage := LINEAGE.match(path)) is not None and (walk := _plain_walk(query)) is not None:
        direction, depth = walk
        page = Page(limit=DEFAULT_GRAPH_PAGE, offset=0)
        return lambda store: lineage_found(store, lineage["key"], direction, list(LINEAGE_RELATIONS), depth, page)
    return None


async def _document(store: GraphStore, key: str) -> Response:
    return Response(await store.get_document_json(key), media_type="application/json")


def _plain_walk(query: bytes) -> tuple[LineageDirection, int] | None:
    """The direction and depth of a query string giving at most those two, each once, plainly; else None."""
    items = QueryParams(query).multi_items()
    given = dict(items)
    if len(given) != len(items) or not given.keys() <= {"direction", "max_depth"}:
        return None
    direction = _DIRECTIONS.get(given.get("direction", LineageDirection.down.value))
    depth = given.get("max_depth", str(DEFAULT_DEPTH))
    if direction is None or not _DEPTH.match(depth) or int(depth) > MAX_DEPTH:
        return None
    return direction, int(depth)


def _alone(query: bytes, name: str, max_length: int) -> str | None:
    """The value of a query string that gives a non-empty ``name`` the route takes, once, and nothing else."""
    items = QueryParams(query).multi_items()
    if len(items) != 1 or items[0][0] != name or not 0 < len(items[0][1]) <= max_length:
        return None
    return items[0][1]

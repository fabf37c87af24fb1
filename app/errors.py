"""One error shape for every status, mapped once from the domain's error tree; nothing internal leaks out.

Every error answer is ``{"code": "<stable snake_case>", "detail": "<message>"}``, with ``errors`` (each
``{"loc", "msg", "type"}``) on validation failures. Raw input is never echoed: it may not be renderable.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.routing import Match

from graph.errors import ConflictError, InvalidInputError, LexgraphError, NotFoundError, StoreUnavailableError

log = logging.getLogger("lexgraph")

RETRY_AFTER_SECONDS = 5
STORE_UNAVAILABLE = "the graph store is unavailable; retry later"

# Stable codes of the statuses answered without a more specific one.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    414: "query_too_long",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class ErrorItem(BaseModel):
    """One reason a request failed validation: where, what, and its kind."""

    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    """The body of every error answer."""

    code: str
    detail: str
    errors: list[ErrorItem] | None = None


def error_body(code: str, detail: str, errors: list[dict[str, Any]] | None = None) -> bytes:
    """The JSON bytes of an error answer."""
    content: dict[str, Any] = {"code": code, "detail": detail}
    if errors is not None:
        content["errors"] = errors
    return orjson.dumps(content)


def error_response(
    status: int,
    code: str,
    detail: str,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    return Response(error_body(code, detail, errors), status, headers=headers, media_type="application/json")


def _unavailable_response() -> Response:
    return error_response(
        503, "store_unavailable", STORE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
    )


async def _domain_error(_: Request, exc: Exception) -> Response:
    return domain_error_response(exc)


def domain_error_response(exc: Exception) -> Response:
    """The answer to a :class:`graph.errors.LexgraphError`: 404, 409, 422 or 503 by its kind, else 500."""
    if isinstance(exc, NotFoundError):
        return error_response(404, "not_found", str(exc))
    if isinstance(exc, ConflictError):
        return error_response(409, "conflict", str(exc))
    if isinstance(exc, InvalidInputError):
        return error_response(422, "invalid_input", str(exc))
    if isinstance(exc, StoreUnavailableError):
        log.warning("store unavailable: %s", exc)
        return _unavailable_response()
    log.error("internal error", exc_info=exc)
    return error_response(500, "internal_error", "internal error")


def _validation_items(exc: RequestValidationError) -> list[dict[str, Any]]:
    items = []
    for error in exc.errors():
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        msg = str(error.get("msg", "invalid value"))
        if error.get("type") == "json_invalid":
            msg = f"the body is not valid JSON ({error.get('ctx', {}).get('error', 'decode error')})"
        items.append({"loc": loc, "msg": msg, "type": str(error.get("type", "value_error"))})
    return items


async def _request_invalid(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    items = _validation_items(exc)
    summary = "; ".join(f"{'.'.join(map(str, i['loc']))}: {i['msg']}" for i in items[:3])
    return error_response(422, "validation_error", summary or "invalid request", items)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = STATUS_CODES.get(exc.status_code) or HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Each route holds its own methods: the path's are those of every route it matches.
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return error_response(exc.status_code, code, detail, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LexgraphError, _domain_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(HTTPException, _http_error)

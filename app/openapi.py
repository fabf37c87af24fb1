"""The OpenAPI document: every error status a route can answer, each with the one error shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.deps import KEY_FOR_SOME_USES
from app.errors import ErrorBody
from app.examples import add_examples

# Any route: a malformed request, limits, validation, the rate limit, an internal fault, a store down or hung.
_ANY_ROUTE = {
    "400": "malformed request",
    "413": "request body over the limit",
    "414": "query string over the limit",
    "422": "invalid parameters or body",
    "429": "too many requests (Retry-After)",
    "500": "internal error",
    "503": "store unavailable or request deadline passed (Retry-After)",
}
_KEYED = {"404": "a named document, organization or other entity does not exist"}
_GUARDED = {"401": "missing, invalid or revoked key", "403": "the key's scope does not allow this"}
_WRITE = {"409": "the write conflicts with what is stored"}
_MOVED = {"308": "the document's key changed (a correction or a merge): Location names the same URL with the new key"}


def _error_statuses(path: str, method: str, operation: dict[str, Any]) -> dict[str, str]:
    statuses = _ANY_ROUTE | _KEYED  # a key in the path, the query or the body may name nothing
    if operation.get("security") or KEY_FOR_SOME_USES in operation:
        statuses |= _GUARDED
    if method in {"post", "put", "patch"}:
        statuses |= _WRITE
    if method == "get" and path.startswith("/documents/{key}"):
        statuses |= _MOVED
    return statuses


def install_openapi(app: FastAPI) -> None:
    """Build the schema once, with every route's error statuses documented by :class:`ErrorBody`."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(components["ErrorBody"].pop("$defs", {}))
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, description in _error_statuses(path, method, operation).items():
                    responses[status] = {"description": description, **error}
        add_examples(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

"""The versioned path prefix every route is also served under, and the Location of what a request created."""

from __future__ import annotations

from fastapi import Request

API_PREFIX = "/v1"


def versioned(path: str) -> str:
    return f"{API_PREFIX}{path}"


def location(request: Request, path: str) -> str:
    """The path of a created resource, under the prefix the request used (``/v1`` or none)."""
    used = request.url.path == API_PREFIX or request.url.path.startswith(f"{API_PREFIX}/")
    return versioned(path) if used else path

"""Routers a request cannot reach are passed over on their paths' common prefix, before any route is tried.

FastAPI (0.120 and later) keeps an included router as one route that, asked whether it matches, tries each
of its routes in turn, with bookkeeping around every try; the app's API is included twice (under /v1 and
unversioned), so a request used to try about a hundred routes, twice over, before its own: half the CPU
of a ``GET /documents/{key}``. Every route of a module's router starts with the same literal text
("/v1/documents"), so a path that does not start with it cannot match any of them. Older FastAPI copies
routes flat into the app and has no such routers: nothing is wrapped then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from starlette.routing import BaseRoute, Match
from starlette.types import Scope

Matcher = Callable[[Scope], tuple[Match, Scope]]


def literal_prefix(path: str) -> str:
    """The text every path a route template matches starts with: up to its first parameter."""
    return path.partition("{")[0]


def common_prefix(paths: Iterable[str]) -> str:
    """The literal text every one of the route templates ``paths`` starts with ("" when there are none)."""
    prefixes = [literal_prefix(p) for p in paths]
    if not prefixes:
        return ""
    low, high = min(prefixes), max(prefixes)  # the common prefix of all is that of the extremes
    end = 0
    while end < min(len(low), len(high)) and low[end] == high[end]:
        end += 1
    return low[:end]


def route_path(scope: Scope) -> str:
    """The path routes match against: the request's path without the app's root path."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def included_prefix(route: Any) -> str:
    """The common literal prefix of an included router's routes, or "" (no cheap test) for anything else."""
    router = getattr(route, "original_router", None)
    context = getattr(route, "include_context", None)
    if router is None or context is None:
        return ""
    paths = [getattr(r, "path", None) for r in router.routes]
    if not paths or any(not isinstance(p, str) for p in paths):
        return ""
    return common_prefix(f"{context.prefix}{p}" for p in paths)


def prefix_guarded(matches: Matcher, prefix: str) -> Matcher:
    """``matches``, answering "no match" at once for a path outside ``prefix``."""

    def guarded(scope: Scope) -> tuple[Match, Scope]:
        if not route_path(scope).startswith(prefix):
            return Match.NONE, {}
        return matches(scope)

    return guarded


def guard_included_routers(routes: Iterable[BaseRoute]) -> int:
    """Give every included router among ``routes`` its prefix test; how many were given one."""
    guarded = 0
    for route in routes:
        prefix = included_prefix(route)
        if len(prefix) > 1:  # "/" alone rules nothing out
            route.matches = prefix_guarded(route.matches, prefix)  # type: ignore[method-assign,assignment]
            guarded += 1
    return guarded

"""Included routers passed over with one pattern test, before any of their routes is tried.

FastAPI (0.120 and later) keeps an included router as one route that, asked whether it matches, tries each
of its routes in turn, with bookkeeping around every try; the app's API is included twice (under /v1 and
unversioned), so a request used to try about a hundred routes, twice over, before its own: half the CPU
of a ``GET /documents/{key}``. A router can match a path only if one of its routes' path patterns does, so
each included router is given the union of its routes' patterns as a guard: one regular expression search
rules it out. Routers holding anything but plain routes (a mount, say) are left unguarded. Older FastAPI
copies routes flat into the app and has no such routers: nothing is wrapped then.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from starlette.routing import BaseRoute, Match, Route, compile_path
from starlette.types import Scope

Matcher = Callable[[Scope], tuple[Match, Scope]]
# A path parameter's named group; the union of several routes' patterns may not name a group twice.
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


def route_path(scope: Scope) -> str:
    """The path routes match against: the request's path without the app's root path."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def union_pattern(paths: Iterable[str]) -> re.Pattern[str]:
    """One pattern matching exactly the paths that one of the route templates ``paths`` matches."""
    patterns = [_NAMED_GROUP.sub("(?:", compile_path(path)[0].pattern) for path in paths]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def included_pattern(route: Any) -> re.Pattern[str] | None:
    """The union of an included router's route patterns (its prefix included), or None (no cheap test)."""
    router = getattr(route, "original_router", None)
    context = getattr(route, "include_context", None)
    if router is None or context is None or not router.routes:
        return None
    if not all(isinstance(r, Route) for r in router.routes):
        return None
    return union_pattern(f"{context.prefix}{r.path}" for r in router.routes)


def pattern_guarded(matches: Matcher, pattern: re.Pattern[str]) -> Matcher:
    """``matches``, answering "no match" at once for a path ``pattern`` does not match."""

    def guarded(scope: Scope) -> tuple[Match, Scope]:
        if pattern.match(route_path(scope)) is None:
            return Match.NONE, {}
        return matches(scope)

    return guarded


def guard_included_routers(routes: Iterable[BaseRoute]) -> int:
    """Give every included router among ``routes`` its pattern test; how many were given one."""
    guarded = 0
    for route in routes:
        pattern = included_pattern(route)
        if pattern is not None:
            route.matches = pattern_guarded(route.matches, pattern)  # type: ignore[method-assign,assignment]
            guarded += 1
    return guarded

"""Included routers passed over on their routes' patterns: the same routes answer, fewer are tried."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from starlette.routing import Match, Mount
from starlette.types import Scope

from app.route_patterns import guard_included_routers, included_pattern, pattern_guarded, route_path, union_pattern

TEMPLATES = ["/v1/documents", "/v1/documents/{key}", "/v1/documents/{key}/lineage", "/v1/files/{path:path}"]


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        ("/v1/documents", True),
        ("/v1/documents/25-nq-tw-2013", True),
        ("/v1/documents/25-nq-tw-2013/lineage", True),
        ("/v1/files/a/b.pdf", True),
        ("/v1/documents/", False),
        ("/v1/documents/x/links", False),
        ("/v1/documentsx", False),
        ("/documents/x", False),
        ("/v1/documents/x/lineage/more", False),
    ],
)
def test_union_pattern_matches_what_one_template_matches(path: str, matched: bool) -> None:
    assert (union_pattern(TEMPLATES).match(path) is not None) == matched


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"path": "/documents/x"}, "/documents/x"),
        ({"path": "/api/documents/x", "root_path": "/api"}, "/documents/x"),
        ({"path": "/documents/x", "root_path": "/api"}, "/documents/x"),
    ],
)
def test_route_path(scope: Scope, expected: str) -> None:
    assert route_path(scope) == expected


@pytest.mark.parametrize(
    ("path", "tried", "match"),
    [
        ("/v1/documents/x", True, Match.FULL),
        ("/v1/documents", True, Match.FULL),
        ("/documents/x", False, Match.NONE),
        ("/v1/documents/x/timeline", False, Match.NONE),
    ],
)
def test_pattern_guarded_tries_only_paths_a_route_could_match(path: str, tried: bool, match: Match) -> None:
    calls: list[str] = []

    def matches(scope: Scope) -> tuple[Match, dict[str, Any]]:
        calls.append(scope["path"])
        return Match.FULL, {"endpoint": "found"}

    answer, _ = pattern_guarded(matches, union_pattern(TEMPLATES))({"path": path})
    assert answer == match
    assert calls == ([path] if tried else [])


def test_routers_with_a_mount_are_left_unguarded() -> None:
    plain, mounting = APIRouter(prefix="/a"), APIRouter(prefix="/b")
    plain.add_api_route("/{key}", lambda key: key)
    mounting.add_api_route("/{key}", lambda key: key)
    mounting.routes.append(Mount("/static", app=FastAPI()))
    app = FastAPI()
    app.include_router(plain, prefix="/v1")
    app.include_router(mounting, prefix="/v1")
    included = [r for r in app.router.routes if getattr(r, "original_router", None) is not None]
    patterns = [included_pattern(r) for r in included]
    assert patterns[0] is not None and patterns[0].match("/v1/a/x") and not patterns[0].match("/v1/b/x")
    assert patterns[1] is None
    assert guard_included_routers(app.router.routes) == 1

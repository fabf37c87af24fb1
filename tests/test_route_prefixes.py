"""Included routers passed over on their routes' common prefix: the same routes answer, fewer are tried."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.routing import Match
from starlette.types import Scope

from app.route_prefixes import common_prefix, prefix_guarded, route_path


@pytest.mark.parametrize(
    ("paths", "expected"),
    [
        (["/v1/documents", "/v1/documents/{key}", "/v1/documents/{key}/lineage"], "/v1/documents"),
        (["/documents/{key}/timeline"], "/documents/"),
        (["/search", "/search/text"], "/search"),
        (["/health", "/stats"], "/"),
        (["/{path}"], "/"),
        ([], ""),
    ],
)
def test_common_prefix(paths: list[str], expected: str) -> None:
    assert common_prefix(paths) == expected


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
        ("/v1/links", False, Match.NONE),
    ],
)
def test_prefix_guarded_tries_only_paths_under_the_prefix(path: str, tried: bool, match: Match) -> None:
    calls: list[str] = []

    def matches(scope: Scope) -> tuple[Match, dict[str, Any]]:
        calls.append(scope["path"])
        return Match.FULL, {"endpoint": "found"}

    answer, _ = prefix_guarded(matches, "/v1/documents")({"path": path})
    assert answer == match
    assert calls == ([path] if tried else [])

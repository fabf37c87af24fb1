"""``lexgraph serve`` hands uvicorn the event loop the settings name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from pydantic import ValidationError
from typer.testing import CliRunner

from app.cli import cli
from app.settings import EventLoop, Settings, get_settings


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append({"app": app, **options}))
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


@pytest.mark.parametrize("loop", list(EventLoop))
def test_serve_runs_on_the_loop_the_settings_name(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, loop: EventLoop
) -> None:
    monkeypatch.setenv("LEXGRAPH_EVENT_LOOP", loop.value)
    result = CliRunner().invoke(cli, ["serve", "--port", "8011", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert [(c["app"], c["loop"], c["port"], c["workers"]) for c in served] == [
        ("app.main:create_app", loop.value, 8011, 2)
    ]


@pytest.mark.parametrize(
    ("store", "workers", "expected"),
    [
        ("sqlite", 1, "asyncio"),
        ("sqlite", 2, "auto"),
        ("sqlite", 4, "auto"),
        ("neo4j", 1, "auto"),
        ("neo4j", 2, "auto"),
    ],
)
def test_the_default_loop_is_asyncio_for_one_embedded_worker_else_uvicorns_choice(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, store: str, workers: int, expected: str
) -> None:
    monkeypatch.delenv("LEXGRAPH_EVENT_LOOP", raising=False)
    monkeypatch.setenv("LEXGRAPH_STORE", store)
    assert CliRunner().invoke(cli, ["serve", "--workers", str(workers)]).exit_code == 0
    assert served[0]["loop"] == expected


@pytest.mark.parametrize("loop", [EventLoop.asyncio, EventLoop.uvloop])
def test_a_named_loop_is_kept_for_one_worker(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, loop: EventLoop
) -> None:
    monkeypatch.setenv("LEXGRAPH_EVENT_LOOP", loop.value)
    assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    assert served[0]["loop"] == loop.value


def test_an_unknown_loop_is_refused() -> None:
    with pytest.raises(ValidationError, match="'auto', 'asyncio' or 'uvloop'"):
        Settings(event_loop="trio")  # type: ignore[arg-type]

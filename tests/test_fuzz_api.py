"""Schemathesis against the OpenAPI schema on both stores: generated requests, valid and invalid, never a 5xx."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.python import asgi

from app.main import create_app
from tests.conftest import STORE_KINDS, WRITE_HEADERS, app_settings, open_store

pytestmark = pytest.mark.api

EXAMPLES_PER_OPERATION = 40
MIN_REQUESTS_PER_STORE = 500


@pytest.fixture
def stopping_lifespans() -> Iterator[None]:
    """Schemathesis starts the app's lifespan on first call; end it (and close the store) after the test."""
    yield
    asgi.shutdown_lifespans()


@pytest.mark.parametrize("kind", STORE_KINDS)
def test_no_server_errors(kind: str, tmp_path: Path, stopping_lifespans: None) -> None:
    if kind == "neo4j":
        asyncio.run(_wipe_neo4j(tmp_path))
    app = create_app(app_settings(kind, tmp_path, rate_limit=0))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    responses: list[tuple[str, int]] = []

    for operation in schema.get_all_operations():
        strategy = st.one_of([operation.ok().as_strategy(mode) for mode in schemathesis.GenerationMode])

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def call(case: schemathesis.Case) -> None:
            response = case.call(headers=WRITE_HEADERS)
            responses.append((f"{case.method} {case.formatted_path}", response.status_code))

        call()

    server_errors = [(label, status) for label, status in responses if status >= 500]
    assert server_errors == []
    assert len(responses) >= MIN_REQUESTS_PER_STORE


async def _wipe_neo4j(tmp_path: Path) -> None:
    await (await open_store("neo4j", tmp_path)).close()

"""Database faults for real: a throwaway Neo4j is stopped under the running API, then started again."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.settings import Settings, StoreKind
from tests.conftest import WRITE_HEADERS, WRITE_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.neo4j]

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "neo4j"
ANSWER_WITHIN = 2.0
RECOVER_WITHIN = 30.0
NEW_DOCUMENT = {
    "symbol": "12-KH/TU",
    "type": "Kế hoạch",
    "date": "2019-05-02",
    "issuer": "nghe-an.btv",
    "title": "Kế hoạch số 12",
}
REQUESTS = [
    ("GET", "/documents/25-nq-tw-2013", None),
    ("GET", "/documents/25-nq-tw-2013/lineage", None),
    ("GET", "/documents", {"symbol": "43-KL/TW"}),
    ("GET", "/search", {"q": "nghị quyết 25"}),
    ("POST", "/documents", NEW_DOCUMENT),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ThrowawayNeo4j:
    state: Path
    port: int

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def run(self, command: str) -> None:
        env = os.environ | {
            "LEXGRAPH_NEO4J_STATE": str(self.state),
            "LEXGRAPH_NEO4J_PORT": str(self.port),
            "LEXGRAPH_NEO4J_HEAP": "512m",
            "LEXGRAPH_NEO4J_PAGECACHE": "64m",
        }
        done = subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"scripts/neo4j {command} failed:\n{done.stderr}"


@pytest.fixture(scope="module")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayNeo4j]:
    """A Neo4j of this module's own (state in a temporary folder, a free port), not the tests' shared one; each
    test leaves it running; stopped at the end whatever happens."""
    if not (os.environ.get("CI") or os.environ.get("NEO4J_URI")):
        pytest.skip("Neo4j tests not requested: set NEO4J_URI (or CI=true)")
    server = ThrowawayNeo4j(tmp_path_factory.mktemp("throwaway") / "neo4j", _free_port())
    server.run("start")
    try:
        yield server
    finally:
        server.run("stop")


@pytest.fixture
async def api(neo4j_server: ThrowawayNeo4j, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        store=StoreKind.neo4j, neo4j_uri=neo4j_server.uri, api_keys=WRITE_KEY, rate_limit=0, load_units=False
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as client,
    ):
        yield client


async def _call(client: httpx.AsyncClient, method: str, path: str, data: dict[str, str] | None) -> httpx.Response:
    if method == "GET":
        return await client.get(path, params=data)
    return await client.post(path, json=data, headers=WRITE_HEADERS)


async def _answered(
    client: httpx.AsyncClient, method: str, path: str, data: dict[str, str] | None, *, by: float
) -> httpx.Response:
    """The first answer other than 503 before ``by``: a restarted database plans its queries anew, and the
    first may pass the request deadline."""
    response = await _call(client, method, path, data)
    while response.status_code == 503 and time.monotonic() < by:
        response = await _call(client, method, path, data)
    return response


async def _all_answered(client: httpx.AsyncClient) -> None:
    """Every request answered (a database just started plans each query for the first time)."""
    by = time.monotonic() + RECOVER_WITHIN
    for method, path, data in REQUESTS:
        response = await _answered(client, method, path, data, by=by)
        assert response.status_code in (200, 201), (path, response.text)


# Neither test touches the shared Neo4j, so their names leave it out: they may run beside its tests.
async def test_database_stopped_then_back(api: httpx.AsyncClient, neo4j_server: ThrowawayNeo4j) -> None:
    await _all_answered(api)

    await asyncio.to_thread(neo4j_server.run, "stop")
    for method, path, data in [*REQUESTS, ("GET", "/health", None)]:
        started = time.monotonic()
        response = await _call(api, method, path, data)
        elapsed = time.monotonic() - started
        assert response.status_code == 503, (path, response.text)
        assert int(response.headers["retry-after"]) > 0
        assert elapsed < ANSWER_WITHIN, f"{method} {path} took {elapsed:.2f}s"
        assert "neo4j" not in response.text.lower() or path == "/health"
    health = (await api.get("/health")).json()
    assert (health["status"], health["store"], health["reachable"], health["writable"]) == (
        "degraded",
        "neo4j",
        False,
        False,
    )

    await asyncio.to_thread(neo4j_server.run, "start")
    deadline = time.monotonic() + RECOVER_WITHIN
    while (await api.get("/health")).status_code != 200:
        assert time.monotonic() < deadline, "the API did not recover after Neo4j came back"
        await asyncio.sleep(0.5)
    await _all_answered(api)
    assert (await api.get("/documents/12-kh-tu-2019.nghe-an")).status_code == 200


FROZEN_REQUESTS = 100


async def test_database_frozen_answers_503_within_the_deadline(
    api: httpx.AsyncClient, neo4j_server: ThrowawayNeo4j
) -> None:
    """The database process stopped with its sockets open: nothing answers, nothing refuses."""
    await _all_answered(api)
    deadline = Settings().request_timeout
    pid = int((neo4j_server.state / "neo4j.pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        mixed = [REQUESTS[i % len(REQUESTS)] for i in range(FROZEN_REQUESTS - 1)] + [("GET", "/health", None)]

        async def timed(method: str, path: str, data: dict[str, str] | None) -> tuple[str, int, float]:
            started = time.monotonic()
            response = await _call(api, method, path, data)
            return path, response.status_code, time.monotonic() - started

        answers = await asyncio.gather(*(timed(*request) for request in mixed))
    finally:
        os.kill(pid, signal.SIGCONT)
    late = [(path, status, round(took, 2)) for path, status, took in answers if status != 503 or took > deadline + 1]
    assert late == [] and len(answers) == FROZEN_REQUESTS
    recover_by = time.monotonic() + RECOVER_WITHIN
    while (await api.get("/health")).status_code != 200:
        assert time.monotonic() < recover_by, "the API did not recover after Neo4j was thawed"
        await asyncio.sleep(0.5)
    assert (await _answered(api, *REQUESTS[0], by=recover_by)).status_code == 200

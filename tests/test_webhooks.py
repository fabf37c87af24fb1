"""Webhooks over HTTP on both stores: a real receiver on 127.0.0.1 gets signed deliveries, retried when it fails."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson
import pytest

from app.dispatch import Resolver, check_target
from graph.clock import timestamp
from graph.errors import InvalidInputError
from graph.events import EventKind, document_event
from graph.models import Document
from graph.webhooks import (
    DeliveryStatus,
    DueDelivery,
    RetryPolicy,
    attempt_outcome,
    delivery_body,
    new_delivery,
    refused_addresses,
    signature,
    signature_holds,
)
from tests.conftest import STORE_KINDS, WRITE_HEADERS
from tests.test_keys import Api, serve_api

CONCLUSION = "43-kl-tw-2019"
SECRET = "a-shared-secret-of-some-length"
FAST = {
    "webhook_dispatch": True,
    "webhook_allow_private": True,
    "webhook_poll_seconds": 0.05,
    "webhook_backoff_seconds": 0.2,
}


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Receiver:
    """An HTTP server that records what it is sent and answers each POST with the next status given."""

    statuses: list[int]
    received: list[Received] = field(default_factory=list)
    url: str = ""

    async def wait_for(self, count: int, seconds: float) -> list[Received]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        return self.received


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    good, flaky = Receiver([200]), Receiver([500, 200])
    servers = [_serve(r) for r in (good, flaky)]
    yield good, flaky
    for server in servers:
        server.shutdown()
        server.server_close()


def _serve(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            receiver.received.append(Received(dict(self.headers.items()), body, time.monotonic()))
            status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(params=STORE_KINDS)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Api]:
    async for served in serve_api(request.param, tmp_path, **FAST):
        yield served


async def subscribe(api: Api, url: str, **filter: str) -> str:
    response = await api.client.post(
        "/v1/webhooks", json={"url": url, "secret": SECRET, "filter": filter}, headers=WRITE_HEADERS
    )
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/v1/webhooks/{response.json()['id']}"
    assert "secret" not in response.json()
    hook_id: str = response.json()["id"]
    return hook_id


async def new_plan(api: Api, number: int, implements: str | None) -> str:
    body = {"symbol": f"{number}-KH/TU", "type": "Kế hoạch", "date": "2021-03-04", "issuer": "nghe-an.btv"}
    created = await api.client.post("/v1/documents", json=body, headers=WRITE_HEADERS)
    assert created.status_code == 201, created.text
    key: str = created.json()["key"]
    if implements:
        link = {"source": key, "relation": "implements", "target": implements}
        assert (await api.client.post("/v1/links", json=link, headers=WRITE_HEADERS)).status_code == 201
    return key


@pytest.mark.api
async def test_a_new_implementing_document_is_delivered_signed_and_retried(
    api: Api, receivers: tuple[Receiver, Receiver]
) -> None:
    good, flaky = receivers
    hook = await subscribe(api, good.url, implements=CONCLUSION)
    flaky_hook = await subscribe(api, flaky.url, jurisdiction="Nghệ An")
    await new_plan(api, 801, None)  # implements nothing: not for the first hook
    key = await new_plan(api, 802, CONCLUSION)
    linked = time.monotonic()
    [delivery] = await good.wait_for(1, 5.0)
    assert delivery.at - linked < 5.0
    assert signature_holds(SECRET, delivery.body, delivery.headers["X-Lexgraph-Signature"])
    event = orjson.loads(delivery.body)["event"]
    assert (event["kind"], event["document"], event["payload"]["target"]) == ("link.created", key, CONCLUSION)
    assert (
        event["at"].endswith("Z") and orjson.loads(delivery.body)["delivery"] == delivery.headers["X-Lexgraph-Delivery"]
    )
    await asyncio.sleep(0.3)
    assert len(good.received) == 1  # nothing else passed its filter
    tries = await flaky.wait_for(4, 5.0)  # 801 created; 802 created; 802's link: the first try (a 500) again
    first = tries[0]
    [retry] = [t for t in tries[1:] if t.headers["X-Lexgraph-Delivery"] == first.headers["X-Lexgraph-Delivery"]]
    assert retry.body == first.body and retry.at - first.at >= 0.2  # after the backoff
    log = (await api.client.get(f"/v1/webhooks/{flaky_hook}/deliveries", headers=WRITE_HEADERS)).json()["items"]
    retried = next(d for d in log if d["id"] == first.headers["X-Lexgraph-Delivery"])
    assert (retried["status"], retried["attempts"], retried["last_status"]) == ("delivered", 2, 200)
    assert (await api.client.get(f"/v1/webhooks/{hook}/deliveries", headers=WRITE_HEADERS)).json()["items"][0][
        "status"
    ] == "delivered"


@pytest.mark.api
async def test_webhook_routes(api: Api) -> None:
    hook = await subscribe(api, "http://127.0.0.1:9/never")
    listed = (await api.client.get("/webhooks", headers=WRITE_HEADERS)).json()["items"]
    assert [h["id"] for h in listed] == [hook] and "secret" not in listed[0]
    assert (await api.client.get("/v1/webhooks")).status_code == 401
    assert (await api.client.delete(f"/v1/webhooks/{hook}", headers=WRITE_HEADERS)).status_code == 204
    missing = await api.client.get(f"/v1/webhooks/{hook}", headers=WRITE_HEADERS)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


@pytest.mark.api
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/h",
        "http://[::1]/h",
        "http://10.1.2.3/h",
        "http://169.254.169.254/latest",
        "ftp://x.org/",
        "http://[::1/h",
        "http://" + "x" * 70 + ".example/h",
        "http://localhost:99999/h",
    ],
    ids=["loopback", "loopback-v6", "private", "link-local", "not-http", "bad-bracket", "bad-idna", "bad-port"],
)
async def test_private_targets_are_refused(tmp_path: Path, url: str) -> None:
    async for api in serve_api("sqlite", tmp_path, load_seeds=False):
        response = await api.client.post("/v1/webhooks", json={"url": url, "secret": SECRET}, headers=WRITE_HEADERS)
        assert (response.status_code, response.json()["code"]) == (422, "invalid_input")


@pytest.mark.unit
@pytest.mark.parametrize(
    ("addresses", "refused"),
    [
        (["93.184.216.34"], []),
        (["93.184.216.34", "192.168.1.2"], ["192.168.1.2"]),
        (["::ffff:127.0.0.1"], ["::ffff:127.0.0.1"]),
        (["fe80::1%eth0"], ["fe80::1%eth0"]),
        (["100.64.0.1"], ["100.64.0.1"]),
        (["2606:4700::1111"], []),
    ],
)
def test_refused_addresses(addresses: list[str], refused: list[str]) -> None:
    assert refused_addresses(addresses) == refused


def resolver_of(answer: list[str] | None, delay: float = 0.0) -> Resolver:
    async def resolve(host: str, port: int) -> list[str]:
        await asyncio.sleep(delay)
        if answer is None:
            raise OSError("no such host")
        return answer

    return resolve


@pytest.mark.unit
@pytest.mark.parametrize(
    ("url", "resolver", "allow_private", "refused"),
    [
        ("https://hooks.example.org/h", resolver_of(["93.184.216.34"]), False, False),
        ("https://hooks.example.org/h", resolver_of(["93.184.216.34", "10.0.0.7"]), False, True),
        ("https://hooks.example.org/h", resolver_of(["10.0.0.7"]), True, False),
        ("https://nowhere.example/h", resolver_of(None), False, True),
        ("https://slow.example/h", resolver_of(["93.184.216.34"], delay=5), False, True),
        ("https://user:pw@hooks.example.org/h", resolver_of(["93.184.216.34"]), True, True),
    ],
    ids=["public", "one-private", "private-allowed", "unresolvable", "too-slow", "credentials"],
)
async def test_check_target(url: str, resolver: Resolver, allow_private: bool, refused: bool) -> None:
    if refused:
        with pytest.raises(InvalidInputError):
            await check_target(url, allow_private, resolver)
    else:
        await check_target(url, allow_private, resolver)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("attempts_before", "status_code", "status", "wait"),
    [
        (0, 200, DeliveryStatus.delivered, 2.0),
        (0, 500, DeliveryStatus.pending, 2.0),
        (2, None, DeliveryStatus.pending, 8.0),
        (7, 503, DeliveryStatus.failed, 256.0),
    ],
)
def test_attempt_outcomes_back_off(
    attempts_before: int, status_code: int | None, status: DeliveryStatus, wait: float
) -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    event = document_event(EventKind.document_created, Document(key="k"))
    delivery = new_delivery("wh_1", event, timestamp(at)).model_copy(update={"attempts": attempts_before})
    due = DueDelivery(delivery=delivery, event=event, url="https://h.example/", secret=SECRET)
    outcome = attempt_outcome(due, "w", at, status_code, None if status_code == 200 else "no", RetryPolicy())
    assert outcome.status == status and outcome.next_at == timestamp(at + dt.timedelta(seconds=wait))


@pytest.mark.unit
def test_signatures_are_of_the_exact_body() -> None:
    event = document_event(EventKind.document_created, Document(key="k"))
    body = delivery_body(new_delivery("wh_1", event, "t"), event)
    header = signature(SECRET, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64 and signature_holds(SECRET, body, header)
    assert not signature_holds(SECRET, body + b" ", header) and not signature_holds(SECRET + "x", body, header)

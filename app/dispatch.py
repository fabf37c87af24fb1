"""The webhook dispatcher: a task of each API process that sends the deliveries the outbox queued.

Every worker polls; a delivery is sent by the worker that leased it (the store gives each lease to one
claimant), and a lease that runs out (a worker stopped mid-send) makes it due again: at least once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx

from app.settings import Settings
from graph.clock import timestamp
from graph.errors import InvalidInputError, LexgraphError
from graph.ports import Events
from graph.process import process_name
from graph.webhooks import (
    DueDelivery,
    RetryPolicy,
    attempt_outcome,
    delivery_body,
    refused_addresses,
    signature,
    target_host,
)

log = logging.getLogger("lexgraph")

CLAIM_BATCH = 20
# Under the request deadline: a host that does not resolve in time is refused rather than timing the request out.
RESOLVE_TIMEOUT_SECONDS = 2.0
USER_AGENT = "lexgraph-webhooks/1"
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


async def check_target(url: str, allow_private: bool, resolver: Resolver = resolve) -> None:
    """Refuse a URL that is not http(s), or (unless allowed) whose host resolves to any non-public address."""
    host, port = target_host(url)
    if allow_private:
        return
    try:
        addresses = await asyncio.wait_for(resolver(host, port), RESOLVE_TIMEOUT_SECONDS)
    except (OSError, TimeoutError, ValueError) as e:  # ValueError: a name IDNA cannot encode
        raise InvalidInputError(f"the webhook host {host!r} does not resolve") from e
    if refused := refused_addresses(addresses):
        raise InvalidInputError(
            f"the webhook host {host!r} resolves to a private, loopback or link-local address ({refused[0]}); "
            "set LEXGRAPH_WEBHOOK_ALLOW_PRIVATE=true to allow it"
        )


class Dispatcher:
    """Claims due deliveries, sends each signed, records how it went."""

    def __init__(self, store: Events, settings: Settings, client: httpx.AsyncClient) -> None:
        self.store = store
        self.settings = settings
        self.client = client
        self.worker = process_name()
        self.policy = RetryPolicy(
            max_attempts=settings.webhook_max_attempts, base_seconds=settings.webhook_backoff_seconds
        )

    async def run(self) -> None:
        """Poll the outbox until cancelled; a store that fails is retried at the next poll."""
        while True:
            try:
                sent = await self.dispatch_once()
            except LexgraphError as e:
                log.warning("webhook dispatch skipped a round: %s", e)
                sent = 0
            except Exception:  # a fault of ours must not end the only sender of this process
                log.exception("webhook dispatch failed a round")
                sent = 0
            if not sent:
                await asyncio.sleep(self.settings.webhook_poll_seconds)

    async def dispatch_once(self) -> int:
        """Claim what is due and send it; how many were claimed."""
        now = dt.datetime.now(dt.UTC)
        lease = now + dt.timedelta(seconds=self.settings.webhook_lease_seconds)
        due = await self.store.claim_deliveries(
            self.worker, now=timestamp(now), lease_until=timestamp(lease), limit=CLAIM_BATCH
        )
        await asyncio.gather(*(self.send(d) for d in due))
        return len(due)

    async def send(self, due: DueDelivery) -> None:
        """One try at one delivery, recorded whatever happens."""
        body = delivery_body(due.delivery, due.event)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Lexgraph-Delivery": due.delivery.id,
            "X-Lexgraph-Event": due.event.kind.value,
            "X-Lexgraph-Signature": signature(due.secret, body),
        }
        status_code: int | None = None
        error: str | None = None
        try:
            await check_target(due.url, self.settings.webhook_allow_private)
            response = await self.client.post(due.url, content=body, headers=headers)
            status_code = response.status_code
            error = None if response.is_success else f"the receiver answered {status_code}"
        except (httpx.HTTPError, InvalidInputError, OSError) as e:
            error = f"{type(e).__name__}: {e}"
        outcome = attempt_outcome(due, self.worker, dt.datetime.now(dt.UTC), status_code, error, self.policy)
        try:
            await self.store.record_attempt(outcome)
        except LexgraphError as e:  # the lease runs out and the delivery is sent again: at least once
            log.warning("delivery %s sent but not recorded: %s", due.delivery.id, e)


@contextlib.asynccontextmanager
async def dispatching(store: Events, settings: Settings) -> AsyncIterator[None]:
    """Run a dispatcher for the block's duration (when the settings ask for one)."""
    if not settings.webhook_dispatch:
        yield
        return
    timeout = httpx.Timeout(settings.webhook_timeout)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
        task = asyncio.create_task(Dispatcher(store, settings, client).run(), name="lexgraph-webhooks")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

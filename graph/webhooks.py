"""Webhooks: subscriptions, deliveries and the pure rules of sending them (signing, backoff, target checks)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import orjson
from pydantic import BaseModel, ConfigDict, Field

from graph.clock import timestamp
from graph.errors import InvalidInputError
from graph.events import Event, EventFilter

SIGNATURE_PREFIX = "sha256="
SCHEMES = ("http", "https")
# The error a receiver's answer is cut to in the delivery log.
MAX_ERROR_CHARS = 300


class WebhookDraft(BaseModel):
    """A subscription as posted: where to send, the shared secret that signs each body, what to send."""

    url: str = Field(min_length=8, max_length=2000, description="an http(s) URL on a public address")
    secret: str = Field(min_length=16, max_length=200, description="signs each body (HMAC-SHA256)")
    filter: EventFilter = Field(default_factory=EventFilter)


class Webhook(WebhookDraft):
    """A stored subscription."""

    id: str
    created_at: str
    key_id: str | None = Field(default=None, description="the key that created it")


class DeliveryStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class Delivery(BaseModel):
    """One event to send to one webhook, and how sending it went so far."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="sent as X-Lexgraph-Delivery: the same on every retry, for de-duplication")
    webhook: str
    event_id: str
    event_seq: int
    status: DeliveryStatus = DeliveryStatus.pending
    attempts: int = 0
    created_at: str
    next_at: str = Field(description="when it is due next")
    last_attempt_at: str | None = None
    last_status: int | None = Field(default=None, description="the receiver's HTTP status at the last attempt")
    last_error: str | None = None
    delivered_at: str | None = None


class DueDelivery(BaseModel):
    """A delivery claimed by one worker, with what sending it needs."""

    delivery: Delivery
    event: Event
    url: str
    secret: str


class Attempt(BaseModel):
    """The outcome of one try, recorded only while the worker still holds the delivery's lease."""

    delivery: str
    worker: str
    at: str
    status: DeliveryStatus
    next_at: str
    status_code: int | None = None
    error: str | None = None


def new_webhook(draft: WebhookDraft, key_id: str | None) -> Webhook:
    return Webhook(**draft.model_dump(), id=f"wh_{secrets.token_hex(8)}", created_at=timestamp(), key_id=key_id)


def new_delivery(webhook: str, event: Event, at: str) -> Delivery:
    return Delivery(
        id=f"dlv_{secrets.token_hex(10)}",
        webhook=webhook,
        event_id=event.id,
        event_seq=event.seq,
        created_at=at,
        next_at=at,
    )


def deliveries_for(events: Iterable[Event], hooks: Iterable[Webhook], at: str) -> list[Delivery]:
    """One delivery per recorded event and webhook whose filter it passes."""
    hooks = list(hooks)
    return [new_delivery(h.id, e, at) for e in events for h in hooks if h.filter.matches(e)]


def delivery_body(delivery: Delivery, event: Event) -> bytes:
    """The raw JSON body sent: the same bytes on every retry (so the same signature)."""
    content: dict[str, Any] = {
        "delivery": delivery.id,
        "webhook": delivery.webhook,
        "event": event.model_dump(mode="json", exclude={"facets"}) | {"facets": _facets(event)},
    }
    return orjson.dumps(content)


def _facets(event: Event) -> dict[str, Any] | None:
    return event.facets.model_dump(mode="json") if event.facets else None


def signature(secret: str, body: bytes) -> str:
    """The X-Lexgraph-Signature value: ``sha256=`` and the hex HMAC-SHA256 of the raw body."""
    return SIGNATURE_PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_holds(secret: str, body: bytes, header: str) -> bool:
    """Whether a received signature header is the body's (constant-time comparison)."""
    return hmac.compare_digest(signature(secret, body), header)


def backoff_seconds(attempts: int, base: float, cap: float) -> float:
    """Seconds before the next try after ``attempts`` failed ones: doubling from ``base``, at most ``cap``."""
    return float(min(cap, base * 2 ** max(attempts - 1, 0)))


def attempt_outcome(
    due: DueDelivery, worker: str, at: dt.datetime, status_code: int | None, error: str | None, policy: RetryPolicy
) -> Attempt:
    """What one try means: delivered on a 2xx, else retried later with backoff, failed after the last try."""
    ok = status_code is not None and 200 <= status_code < 300
    tries = due.delivery.attempts + 1
    if ok:
        status = DeliveryStatus.delivered
    else:
        status = DeliveryStatus.failed if tries >= policy.max_attempts else DeliveryStatus.pending
    wait = dt.timedelta(seconds=backoff_seconds(tries, policy.base_seconds, policy.cap_seconds))
    return Attempt(
        delivery=due.delivery.id,
        worker=worker,
        at=timestamp(at),
        status=status,
        next_at=timestamp(at + wait),
        status_code=status_code,
        error=error[:MAX_ERROR_CHARS] if error else None,
    )


class RetryPolicy(BaseModel):
    max_attempts: int = 8
    base_seconds: float = 2.0
    cap_seconds: float = 3600.0


def target_host(url: str) -> tuple[str, int]:
    """The host and port of a webhook URL; a URL that is not plain http(s) to a host is invalid input."""
    try:
        parts = urlsplit(url)
    except ValueError as e:  # an unbalanced [ in the host
        raise InvalidInputError("a webhook URL must be http:// or https:// with a host") from e
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise InvalidInputError("a webhook URL must be http:// or https:// with a host")
    if parts.username or parts.password:
        raise InvalidInputError("a webhook URL must not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise InvalidInputError("a webhook URL has an invalid port") from e
    return parts.hostname, port


def refused_addresses(addresses: Iterable[str]) -> list[str]:
    """The addresses a webhook may not reach: private, loopback, link-local, multicast, reserved, unspecified."""
    refused = []
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            refused.append(text)
    return refused

"""API keys (hashed at rest, scoped) and the change log of writes made with them.

A key reads ``lgk_<id>_<secret>``: the id names the stored record, the secret is 256 random bits.
Only the SHA-256 of the whole key is stored; a fast hash is enough for a secret of that entropy,
and the digest comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, Field

from graph.clock import timestamp


class KeyScope(StrEnum):
    """What a key may do; each scope includes the ones before it."""

    read = "read"
    write = "write"
    admin = "admin"


_SCOPE_RANK = {scope: rank for rank, scope in enumerate(KeyScope)}
KEY_FORMAT = re.compile(r"^lgk_(?P<id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})$")
# Keys from LEXGRAPH_API_KEYS are named in the change log by a prefix of their digest, never by themselves.
ENV_KEY_PREFIX = "env-"
ENV_KEY_SCOPE = KeyScope.write


def allows(granted: KeyScope, needed: KeyScope) -> bool:
    """Whether a key of scope ``granted`` may do what needs ``needed``."""
    return _SCOPE_RANK[granted] >= _SCOPE_RANK[needed]


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(BaseModel):
    """A stored key: its digest, never the key itself."""

    id: str
    name: str | None = None
    scope: KeyScope
    digest: str
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def matches(self, key: str) -> bool:
        return hmac.compare_digest(self.digest, key_digest(key))


def issue_key(scope: KeyScope, name: str | None = None) -> tuple[str, ApiKey]:
    """A new random key and the record to store for it; the key is shown once and never stored."""
    key_id = secrets.token_hex(6)
    key = f"lgk_{key_id}_{secrets.token_urlsafe(32)}"
    return key, ApiKey(id=key_id, name=name, scope=scope, digest=key_digest(key), created_at=timestamp())


def stored_key_id(key: str) -> str | None:
    """The record id a key names, or None when it is not of the issued form."""
    m = KEY_FORMAT.match(key)
    return m["id"] if m else None


def env_key_id(key: str) -> str:
    return ENV_KEY_PREFIX + key_digest(key)[:12]


class Caller(BaseModel):
    """Who is calling: a verified key's id and scope."""

    key_id: str
    scope: KeyScope


class ChangeStatus(StrEnum):
    """A change is logged ``pending`` before its write runs, then ``committed`` or ``failed``."""

    pending = "pending"
    committed = "committed"
    failed = "failed"


MAX_CHANGE_KEYS = 1000


class Change(BaseModel):
    """One write request: who (key id), when, what (method, path, keys written) and how it ended."""

    id: str = Field(description="sortable: the time, then a random suffix; pass as ``after`` to page on")
    at: str
    key_id: str
    method: str
    path: str
    status: ChangeStatus = ChangeStatus.pending
    keys: list[str] = Field(
        default_factory=list, description="what was written: document keys, link and obligation ids"
    )
    before: list[dict[str, Any]] = Field(
        default_factory=list,
        description="what the write changed, as it was: the documents of a correction, the link of a review decision",
    )
    after: list[dict[str, Any]] = Field(default_factory=list, description="the same records after the write")


def change_states(change: Change) -> dict[str, str | None]:
    """A change's before and after as JSON text (None when it has none)."""
    return {
        "before_state": json.dumps(change.before, ensure_ascii=False) if change.before else None,
        "after_state": json.dumps(change.after, ensure_ascii=False) if change.after else None,
    }


def change_from_row(row: dict[str, Any]) -> Change:
    """A change from its stored row or node (keys as a JSON list or a list; before and after as JSON)."""
    keys = row["keys"]
    before, after = row.get("before_state"), row.get("after_state")
    return Change.model_validate(
        row
        | {
            "keys": json.loads(keys) if isinstance(keys, str) else keys,
            "before": json.loads(before) if before else [],
            "after": json.loads(after) if after else [],
        }
    )


def link_id(source: str, relation: str, target: str) -> str:
    """How the change log names a link."""
    return f"{source} {relation} {target}"


def new_change(key_id: str, method: str, path: str) -> Change:
    at = timestamp()
    return Change(id=f"{at}-{secrets.token_hex(4)}", at=at, key_id=key_id, method=method, path=path)


class KeyLookup(Protocol):
    async def find_api_key(self, key_id: str) -> ApiKey | None: ...

    async def list_api_keys(self) -> list[ApiKey]: ...


class KeyVerifier:
    """Checks presented keys against LEXGRAPH_API_KEYS and the store.

    Answers are remembered for ``ttl`` seconds only: API workers share one store, so a key created
    or revoked through any of them (or the CLI) takes effect everywhere within that time.
    """

    MAX_REMEMBERED = 10_000

    def __init__(self, store: KeyLookup, env_keys: list[str], ttl: float) -> None:
        self.store = store
        self.env_keys = env_keys
        self.ttl = ttl
        self._remembered: dict[str, tuple[float, Caller | None]] = {}
        self._any_stored: tuple[float, bool] = (0.0, False)

    def remembered(self, key: str) -> Caller | None:
        """The caller a key identifies if that is known without asking the store, else None."""
        return self._known(key)[1]

    async def verify(self, key: str) -> Caller | None:
        """The caller a key identifies, or None when it is unknown or revoked."""
        known, caller = self._known(key)
        if known:
            return caller
        key_id = stored_key_id(key)
        if key_id is None:
            return None
        record = await self.store.find_api_key(key_id)
        caller = (
            Caller(key_id=record.id, scope=record.scope) if record and record.active and record.matches(key) else None
        )
        if len(self._remembered) >= self.MAX_REMEMBERED:
            self._remembered.clear()
        self._remembered[key_digest(key)] = (time.monotonic() + self.ttl, caller)
        return caller

    def _known(self, key: str) -> tuple[bool, Caller | None]:
        """Whether the answer for a key is known without the store, and the answer."""
        for env_key in self.env_keys:
            if hmac.compare_digest(key.encode(), env_key.encode()):
                return True, Caller(key_id=env_key_id(key), scope=ENV_KEY_SCOPE)
        remembered = self._remembered.get(key_digest(key))
        if remembered is not None and remembered[0] > time.monotonic():
            return True, remembered[1]
        return False, None

    async def any_key_source(self) -> bool:
        """Whether any key could be valid: LEXGRAPH_API_KEYS is set or the store holds an active key."""
        if self.env_keys:
            return True
        now = time.monotonic()
        if self._any_stored[0] <= now:
            stored = any(k.active for k in await self.store.list_api_keys())
            self._any_stored = (now + self.ttl, stored)
        return self._any_stored[1]

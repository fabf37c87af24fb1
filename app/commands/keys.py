"""``lexgraph keys``: create, list and revoke API keys in the configured store (no API restart needed)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from app.deps import with_store
from app.settings import get_settings
from graph.clock import timestamp
from graph.errors import NotFoundError
from graph.keys import ApiKey, KeyScope, issue_key
from graph.ports import GraphStore

T = TypeVar("T")

keys_app = typer.Typer(no_args_is_help=True, help="API keys: hashed at rest, scoped read, write or admin")


def _with_store(work: Callable[[GraphStore], Awaitable[T]]) -> T:
    return asyncio.run(with_store(get_settings(), work))


def _line(key: ApiKey) -> str:
    state = f"revoked {key.revoked_at}" if key.revoked_at else "active"
    return f"{key.id}\t{key.scope}\t{key.name or ''}\t{key.created_at}\t{state}"


@keys_app.command("create")
def create(
    scope: Annotated[KeyScope, typer.Option(help="read, write (includes read) or admin (includes write)")],
    name: Annotated[str | None, typer.Option(help="who or what the key is for")] = None,
) -> None:
    """Create a key and print it once; only its SHA-256 is stored."""
    key, record = issue_key(scope, name)
    _with_store(lambda store: store.put_api_key(record))
    typer.echo(f"key id {record.id} ({scope}); the key, shown only now:", err=True)
    typer.echo(key)


@keys_app.command("list")
def list_keys() -> None:
    """Every key: id, scope, name, creation time and whether it is revoked (never the key)."""
    for key in _with_store(lambda store: store.list_api_keys()):
        typer.echo(_line(key))


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="the id 'keys list' shows")]) -> None:
    """Revoke a key; every API worker refuses it within LEXGRAPH_KEY_CACHE_SECONDS."""
    try:
        key = _with_store(lambda store: store.revoke_api_key(key_id, timestamp()))
    except NotFoundError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    typer.echo(_line(key))

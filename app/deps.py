"""FastAPI dependencies and their ``Annotated`` aliases."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.settings import Settings, StoreKind, get_settings
from graph.store.base import GraphStore
from graph.store.neo4j import Neo4jStore
from graph.store.sqlite import SqliteStore


def build_store(settings: Settings) -> GraphStore:
    """The store the settings name (not yet opened)."""
    if settings.store == StoreKind.neo4j:
        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
            query_timeout=settings.neo4j_query_timeout,
            migrations_dir=settings.migrations_dir,
        )
    return SqliteStore(settings.sqlite_path, settings.migrations_dir)


def get_store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


_bearer = HTTPBearer(auto_error=False)


def require_write_key(
    settings: Annotated[Settings, Depends(get_app_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The caller's key, when it may write; 403 when writes are disabled, 401 when the key is wrong."""
    keys = settings.write_keys
    if not keys:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "writes are disabled: set LEXGRAPH_API_KEYS to a comma-separated list of keys and send "
            "'Authorization: Bearer <key>'",
        )
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "missing 'Authorization: Bearer <key>'", {"WWW-Authenticate": "Bearer"}
        )
    if not any(hmac.compare_digest(credentials.credentials.encode(), k.encode()) for k in keys):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid API key", {"WWW-Authenticate": "Bearer"})
    return credentials.credentials


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
WriteKey = Annotated[str, Depends(require_write_key)]

__all__ = ["StoreDep", "SettingsDep", "WriteKey", "build_store", "get_settings"]

"""Settings from the environment (and an optional .env file)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.lineage import LINEAGE_PAGES_BYTES
from graph.migrations import DEFAULT_MIGRATIONS_DIR
from graph.search_flow import SEARCH_RANKINGS
from graph.seeds import DEFAULT_SEEDS_DIR


class StoreKind(StrEnum):
    sqlite = "sqlite"
    neo4j = "neo4j"


class EventLoop(StrEnum):
    """The event loop ``lexgraph serve`` runs on; auto picks by workers and store (:meth:`for_server`)."""

    auto = "auto"
    asyncio = "asyncio"
    uvloop = "uvloop"

    def for_server(self, workers: int, store: StoreKind) -> str:
        """The loop uvicorn is given. Auto is asyncio for one worker on the embedded store, whose reads run on
        the loop's thread: there uvloop serves some saturated connections far less often than others (at 1M
        with 50 clients, p99 over a second against 17–210 ms on asyncio, at the same rate). Otherwise auto is
        uvicorn's choice (uvloop): with several workers on one port asyncio lets one worker accept every
        long-lived connection, and on Neo4j, where a request mostly waits for the database, asyncio did not
        shorten the tail and neither loop served clearly more."""
        if self is EventLoop.auto and workers == 1 and store is StoreKind.sqlite:
            return EventLoop.asyncio.value
        return self.value


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    store: StoreKind = Field(StoreKind.sqlite, validation_alias=_env("LEXGRAPH_STORE"))
    sqlite_path: Path = Field(Path("data/lexgraph.db"), validation_alias=_env("LEXGRAPH_SQLITE_PATH"))
    adjacency_index: bool = Field(
        True,
        validation_alias=_env("LEXGRAPH_ADJACENCY_INDEX"),
        description="whether the embedded store walks lineages in an in-memory index of the links",
    )
    adjacency_min_documents: int = Field(
        20_000,
        ge=0,
        validation_alias=_env("LEXGRAPH_ADJACENCY_MIN_DOCUMENTS"),
        description="the graph size from which the in-memory index is worth its memory and rebuilds",
    )
    search_rankings: int = Field(
        SEARCH_RANKINGS,
        ge=0,
        validation_alias=_env("LEXGRAPH_SEARCH_RANKINGS"),
        description="searches whose rankings the embedded store keeps while its data is unchanged (0: none)",
    )
    lineage_pages_mb: int = Field(
        LINEAGE_PAGES_BYTES >> 20,
        ge=0,
        validation_alias=_env("LEXGRAPH_LINEAGE_PAGES_MB"),
        description="megabytes of lineage pages the embedded store keeps while its data is unchanged (0: none)",
    )
    freeze_startup_heap: bool = Field(
        True,
        validation_alias=_env("LEXGRAPH_FREEZE_STARTUP_HEAP"),
        description="keep what startup built out of the garbage collector's later passes (app.heap)",
    )
    event_loop: EventLoop = Field(
        EventLoop.auto,
        validation_alias=_env("LEXGRAPH_EVENT_LOOP"),
        description="the server's event loop: auto is asyncio for one worker on sqlite, else uvicorn's choice (uvloop)",
    )
    neo4j_uri: str = Field("bolt://127.0.0.1:7687", validation_alias=_env("NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=_env("NEO4J_USER"))
    neo4j_password: SecretStr = Field(SecretStr(""), validation_alias=_env("NEO4J_PASSWORD"))
    neo4j_database: str = Field("neo4j", validation_alias=_env("NEO4J_DATABASE"))
    neo4j_query_timeout: float = Field(10.0, gt=0, validation_alias=_env("LEXGRAPH_NEO4J_QUERY_TIMEOUT"))
    neo4j_bulk_timeout: float = Field(
        600.0,
        gt=0,
        validation_alias=_env("LEXGRAPH_NEO4J_BULK_TIMEOUT"),
        description="seconds one batch of 'lexgraph import' may take on Neo4j (a batch is one transaction)",
    )
    api_keys: str = Field("", validation_alias=_env("LEXGRAPH_API_KEYS"), description="comma-separated write keys")
    load_seeds: bool = Field(
        True, validation_alias=_env("LEXGRAPH_LOAD_SEEDS"), description="seed an empty store at startup"
    )
    load_units: bool = Field(
        True,
        validation_alias=_env("LEXGRAPH_LOAD_UNITS"),
        description="seed the districts and communes too (seeds/units)",
    )
    seeds_dir: Path = Field(DEFAULT_SEEDS_DIR, validation_alias=_env("LEXGRAPH_SEEDS_DIR"))
    migrations_dir: Path = Field(DEFAULT_MIGRATIONS_DIR, validation_alias=_env("LEXGRAPH_MIGRATIONS_DIR"))
    cors_origins: str = Field("", validation_alias=_env("LEXGRAPH_CORS_ORIGINS"), description="comma-separated origins")
    neo4j_connect_timeout: float = Field(
        1.0,
        gt=0,
        validation_alias=_env("LEXGRAPH_NEO4J_CONNECT_TIMEOUT"),
        description="seconds to reach Neo4j before 503",
    )
    request_timeout: float = Field(
        3.0,
        gt=0,
        validation_alias=_env("LEXGRAPH_REQUEST_TIMEOUT"),
        description="seconds before a request answers 503 (a hung store); ingest routes have their own",
    )
    ingest_timeout: float = Field(
        60.0, gt=0, validation_alias=_env("LEXGRAPH_INGEST_TIMEOUT"), description="seconds an ingest request may take"
    )
    trusted_proxies: str = Field(
        "",
        validation_alias=_env("LEXGRAPH_TRUSTED_PROXIES"),
        description="comma-separated addresses whose X-Forwarded-For is believed; empty: none",
    )
    key_cache_seconds: float = Field(
        2.0, ge=0, validation_alias=_env("LEXGRAPH_KEY_CACHE_SECONDS"), description="how long a key check is reused"
    )
    rate_limit: float = Field(
        20.0,
        ge=0,
        validation_alias=_env("LEXGRAPH_RATE_LIMIT"),
        description="requests per second per key or IP; 0: off",
    )
    rate_burst: int = Field(
        60, ge=1, validation_alias=_env("LEXGRAPH_RATE_BURST"), description="requests allowed at once"
    )
    # The audit's colours (query parameters green, red and red_overdue_days override them per request).
    audit_green_max: float = Field(
        1.0, ge=0, le=100, validation_alias=_env("LEXGRAPH_AUDIT_GREEN_MAX"), description="green up to this deficit %"
    )
    audit_red_above: float = Field(
        5.0, ge=0, le=100, validation_alias=_env("LEXGRAPH_AUDIT_RED_ABOVE"), description="red above this deficit %"
    )
    audit_red_overdue_days: int = Field(
        365, ge=1, validation_alias=_env("LEXGRAPH_AUDIT_RED_OVERDUE_DAYS"), description="red when overdue this long"
    )

    webhook_allow_private: bool = Field(
        False,
        validation_alias=_env("LEXGRAPH_WEBHOOK_ALLOW_PRIVATE"),
        description="let webhooks target private, loopback and link-local addresses (tests, closed networks)",
    )
    webhook_dispatch: bool = Field(
        True,
        validation_alias=_env("LEXGRAPH_WEBHOOK_DISPATCH"),
        description="send webhook deliveries from this process",
    )
    webhook_timeout: float = Field(
        5.0, gt=0, validation_alias=_env("LEXGRAPH_WEBHOOK_TIMEOUT"), description="seconds a receiver may take"
    )
    webhook_poll_seconds: float = Field(
        0.5, gt=0, validation_alias=_env("LEXGRAPH_WEBHOOK_POLL_SECONDS"), description="outbox polling interval"
    )
    webhook_lease_seconds: float = Field(
        60.0, gt=0, validation_alias=_env("LEXGRAPH_WEBHOOK_LEASE_SECONDS"), description="how long a claim holds"
    )
    webhook_max_attempts: int = Field(
        8, ge=1, validation_alias=_env("LEXGRAPH_WEBHOOK_MAX_ATTEMPTS"), description="tries before a delivery fails"
    )
    webhook_backoff_seconds: float = Field(
        2.0, gt=0, validation_alias=_env("LEXGRAPH_WEBHOOK_BACKOFF_SECONDS"), description="first retry delay, doubled"
    )

    @property
    def write_keys(self) -> list[str]:
        return [k.strip() for k in self.api_keys.split(",") if k.strip()]

    @property
    def allowed_origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()

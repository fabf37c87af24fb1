"""The production store: Neo4j through the official async driver.

One driver per process. Every call names the database; reads are routed to readers so that the
same code runs against a single server or a ``neo4j://`` cluster. No state lives in the process:
any number of API workers can share one graph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, LiteralString, cast

import neo4j
from neo4j import (
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    NotificationClassification,
    Query,
    RoutingControl,
)
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.errors import LexgraphError, NotFoundError, StoreUnavailableError
from graph.identity import (
    DocumentDraft,
    ResolvedDocument,
    WriteMode,
    check_new_keys,
    draft_lookup_keys,
    new_keys,
    resolve_documents,
)
from graph.migrations import DEFAULT_MIGRATIONS_DIR, discover, pending
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    Document,
    DocumentFilter,
    GraphCounts,
    Implementers,
    Level,
    Lineage,
    LineageDirection,
    Link,
    LinkDirection,
    Organization,
    Relation,
    SourceText,
)
from graph.models import (
    Path as GraphPath,
)
from graph.search import search_text
from graph.store import cypher
from graph.store.base import (
    DEFAULT_GRAPH_PAGE,
    DEFAULT_LIST_LIMIT,
    Facts,
    LinkDraft,
    Walk,
    check_page,
    count_levels,
    distinct_paths,
    implementer_keys,
    implementers_answer,
    lineage_answer,
    link_sort_key,
    page_of,
    trusted_link,
)
from graph.store.neo4j_audit import Neo4jAudit
from graph.store.neo4j_bulk import Neo4jBulk
from graph.store.neo4j_keys import Neo4jKeys
from graph.store.neo4j_search import Neo4jSearch
from graph.symbols import symbol_match_key
from graph.text import fold

_UNAVAILABLE = (ServiceUnavailable, SessionExpired, OSError)


class StoreQueryError(LexgraphError):
    """Neo4j rejected a query: a fault of ours, never of the caller's input."""


class Neo4jStore(Neo4jSearch, Neo4jAudit, Neo4jBulk, Neo4jKeys):
    """Graph store backed by Neo4j 5."""

    kind = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        query_timeout: float = 10.0,
        connection_timeout: float = 2.0,
        max_retry_time: float = 0.5,
        migrations_dir: Any = DEFAULT_MIGRATIONS_DIR,
    ) -> None:
        self.uri = uri
        self.database = database
        self.query_timeout = query_timeout
        self.migrations_dir = migrations_dir
        self._driver: AsyncDriver = AsyncGraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=connection_timeout,
            connection_acquisition_timeout=connection_timeout,
            # Short: a transient fault gets one retry, an unreachable server a 503 within about two seconds.
            max_transaction_retry_time=max_retry_time,
            # Querying a label an empty graph has not seen yet is normal here, not worth a warning.
            notifications_disabled_classifications=[NotificationClassification.UNRECOGNIZED],
        )

    # plumbing

    def _query(self, text: str) -> Query:
        return Query(cast(LiteralString, text), timeout=self.query_timeout)

    async def _read(self, query: str, /, **params: Any) -> list[neo4j.Record]:
        return await self._execute(query, params, RoutingControl.READ)

    async def _write(self, query: str, /, **params: Any) -> list[neo4j.Record]:
        return await self._execute(query, params, RoutingControl.WRITE)

    async def _execute(self, text: str, params: dict[str, Any], routing: RoutingControl) -> list[neo4j.Record]:
        try:
            result = await self._driver.execute_query(
                self._query(text), params, database_=self.database, routing_=routing
            )
        except _UNAVAILABLE as e:
            raise StoreUnavailableError("Neo4j is unreachable") from e
        except (Neo4jError, DriverError) as e:
            raise _query_error(e) from e
        return result.records

    async def _in_transaction(self, work: Any, *args: Any, write: bool) -> Any:
        """Run ``work(tx, *args)`` as one managed transaction (retried by the driver on transient faults)."""
        bounded = neo4j.unit_of_work(timeout=self.query_timeout)(work)
        try:
            async with self._driver.session(database=self.database) as session:
                run = session.execute_write if write else session.execute_read
                return await run(bounded, *args)
        except _UNAVAILABLE as e:
            raise StoreUnavailableError("Neo4j is unreachable") from e
        except (Neo4jError, DriverError) as e:
            raise _query_error(e) from e

    async def _tx_run(self, tx: AsyncManagedTransaction, query: str, /, **params: Any) -> list[neo4j.Record]:
        result = await tx.run(cast(LiteralString, query), params)
        return [record async for record in result]

    # lifecycle

    async def open(self) -> None:
        try:
            await self._driver.verify_connectivity()
        except _UNAVAILABLE as e:
            raise StoreUnavailableError(f"Neo4j at {self.uri} is unreachable") from e
        except (Neo4jError, DriverError) as e:
            raise StoreUnavailableError(f"Neo4j at {self.uri} refused the connection: {type(e).__name__}") from e

    async def close(self) -> None:
        await self._driver.close()

    async def ping(self) -> bool:
        try:
            await self._read(cypher.PING)
        except LexgraphError:
            return False
        return True

    async def probe_write(self, worker: str) -> None:
        await self._write(cypher.PROBE_WRITE, worker=worker, at=_now())

    async def migrate(self) -> list[str]:
        applied = {r["version"]: r["checksum"] for r in await self._read(cypher.APPLIED_MIGRATIONS)}
        done = []
        for migration in pending(discover(self.migrations_dir, "cypher"), applied):
            # Schema statements cannot share a transaction with writes; each is idempotent (IF NOT EXISTS).
            for statement in migration.statements():
                await self._write(statement)
            await self._write(
                cypher.RECORD_MIGRATION,
                version=migration.version,
                name=migration.name,
                checksum=migration.checksum,
                applied_at=_now(),
            )
            done.append(migration.label)
        return done

    # organizations

    async def upsert_organizations(self, organizations: Sequence[Organization]) -> int:
        rows = [_organization_props(o) for o in organizations]

        async def work(tx: AsyncManagedTransaction) -> None:
            await self._tx_run(tx, cypher.UPSERT_ORGANIZATIONS, rows=rows)
            await self._tx_run(tx, cypher.LINK_ORGANIZATION_PARENTS, rows=[r for r in rows if r.get("parent")])

        await self._in_transaction(work, write=True)
        return len(rows)

    async def get_organization(self, key: str) -> Organization:
        found = await self._organizations_by_key([key])
        if key not in found:
            raise NotFoundError("organization", key)
        return found[key]

    async def _organizations_by_key(self, keys: Sequence[str]) -> dict[str, Organization]:
        records = await self._read(cypher.ORGANIZATIONS_BY_KEY, keys=list(keys))
        return {r["org"]["key"]: Organization.model_validate(r["org"]) for r in records}

    async def list_organizations(
        self, *, level: Level | None = None, parent: str | None = None, as_of: dt.date | None = None
    ) -> list[Organization]:
        records = await self._read(
            cypher.LIST_ORGANIZATIONS,
            level=level.value if level else None,
            parent=parent,
            as_of=as_of.isoformat() if as_of else None,
        )
        return [Organization.model_validate(r["org"]) for r in records]

    # documents

    async def upsert_documents(
        self, drafts: Sequence[DocumentDraft], mode: WriteMode = WriteMode.curated
    ) -> list[Document]:
        drafts = list(drafts)
        org_keys, match_keys = draft_lookup_keys(drafts)
        organizations = await self._organizations_by_key(sorted(org_keys))

        async def work(tx: AsyncManagedTransaction) -> list[ResolvedDocument]:
            records = await self._tx_run(tx, cypher.DOCUMENT_CANDIDATES, match_keys=sorted(match_keys))
            candidates = [
                ResolvedDocument(_document(r["doc"]), r["doc"].get("scope", ""), tuple(r["match_keys"]))
                for r in records
            ]
            resolved = resolve_documents(drafts, organizations, candidates, mode)
            [taken] = await self._tx_run(tx, cypher.EXISTING_KEYS, keys=new_keys(resolved))
            check_new_keys(resolved, set(taken["keys"]))
            final = {r.document.key: r for r in resolved}
            await self._tx_run(tx, cypher.UPSERT_DOCUMENTS, rows=[_document_props(r) for r in final.values()])
            await self._tx_run(tx, cypher.CLEAR_SPELLINGS, keys=list(final))
            await self._tx_run(
                tx,
                cypher.ADD_SPELLINGS,
                rows=[{"key": key, "match_keys": list(r.match_keys)} for key, r in final.items()],
            )
            return [final[r.document.key] for r in resolved]

        resolved = await self._in_transaction(work, write=True)
        return [r.document for r in resolved]

    async def get_document(self, key: str) -> Document:
        docs = await self._documents_by_key([key])
        if key not in docs:
            raise NotFoundError("document", key)
        return docs[key]

    async def _documents_by_key(self, keys: Sequence[str]) -> dict[str, Document]:
        [record] = await self._read(cypher.DOCUMENTS_BY_KEY, keys=list(keys))
        return {doc["key"]: _document(doc) for doc in record["documents"]}

    async def find_documents(self, query: DocumentFilter, limit: int = DEFAULT_LIST_LIMIT) -> list[Document]:
        params: dict[str, Any] = {
            "year": query.year,
            "jurisdiction": query.jurisdiction,
            "level": query.level.value if query.level else None,
            "type": fold(query.type) if query.type else None,
            "limit": limit,
        }
        if query.symbol:
            records = await self._read(
                cypher.FIND_DOCUMENTS_BY_SYMBOL, match_key=symbol_match_key(query.symbol), **params
            )
        else:
            records = await self._read(cypher.FIND_DOCUMENTS, **params)
        return [_document(r["doc"]) for r in records]

    # links

    async def upsert_links(self, drafts: Sequence[LinkDraft]) -> list[Link]:
        drafts = list(drafts)
        keys = sorted({k for d in drafts for k in (d.source, d.target)})
        now = _now()

        async def work(tx: AsyncManagedTransaction) -> list[Link]:
            known = {r["key"] for r in await self._tx_run(tx, cypher.EXISTING_DOCUMENT_KEYS, keys=keys)}
            for key in keys:
                if key not in known:
                    raise NotFoundError("document", key)
            stored: list[Link] = []
            for relation in Relation:
                rows = [_link_row(d) for d in drafts if d.relation == relation]
                if rows:
                    records = await self._tx_run(tx, cypher.upsert_links(relation), rows=rows, now=now)
                    stored.extend(_link(r.data()) for r in records)
            return stored

        stored = await self._in_transaction(work, write=True)
        by_id = {(link.source, link.relation, link.target): link for link in stored}
        return [by_id[(d.source, d.relation, d.target)] for d in drafts]

    async def links(self, key: str, direction: LinkDirection, relations: Sequence[Relation]) -> list[Link]:
        await self.get_document(key)
        if not relations:
            return []
        records: list[neo4j.Record] = []
        if direction in (LinkDirection.out, LinkDirection.both):
            records += await self._read(cypher.links_out(relations), key=key)
        if direction in (LinkDirection.in_, LinkDirection.both):
            records += await self._read(cypher.links_in(relations), key=key)
        unique = {(r["source"], r["relation"], r["target"]): r for r in records}
        return sorted((_link(r.data()) for r in unique.values()), key=link_sort_key)

    # traversals

    async def lineage(
        self,
        key: str,
        direction: LineageDirection,
        relations: Sequence[Relation],
        max_depth: int,
        *,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Lineage:
        check_page(offset, limit)
        query = cypher.lineage(relations, direction, max_depth)
        records = await self._read(query, key=key, offset=offset, limit=limit)
        if not records:
            raise NotFoundError("document", key)
        record = records[0]
        walk = Walk(key, dict(zip(record["keys"], record["depths"], strict=True)), {})
        edges = [trusted_link(link) for links in record["edges"] for link in links]
        level_counts = count_levels((level, 1) for level in record["levels"])
        page = [row["key"] for row in record["rows"]]
        return lineage_answer(walk, level_counts, page, {row["key"]: row for row in record["rows"]}, edges)

    async def _document_rows(self, tx: AsyncManagedTransaction, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Stored documents' own properties, for trusted_document."""
        [record] = await self._tx_run(tx, cypher.DOCUMENT_FIELDS_BY_KEY, keys=list(keys))
        return {doc["key"]: doc for doc in record["documents"]}

    async def implementers(
        self,
        key: str,
        *,
        level: Level | None,
        jurisdiction: str | None,
        max_depth: int,
        offset: int = 0,
        limit: int | None = DEFAULT_GRAPH_PAGE,
    ) -> Implementers:
        check_page(offset, limit)
        scope = None
        if jurisdiction is not None:
            records = await self._read(cypher.JURISDICTION_TREE, root=jurisdiction)
            scope = {jurisdiction, *(records[0]["keys"] if records else [])}

        async def work(tx: AsyncManagedTransaction) -> Implementers:
            records = await self._tx_run(
                tx, cypher.walk(IMPLEMENTATION_RELATIONS, LineageDirection.down, max_depth), key=key
            )
            walk, facts = _walk(key, records)
            matching = implementer_keys(walk, facts, level=level, jurisdiction_keys=scope)
            page = page_of(matching, offset, limit)
            return implementers_answer(walk, facts, matching, page, await self._document_rows(tx, page))

        result: Implementers = await self._in_transaction(work, write=False)
        return result

    async def paths(self, source: str, target: str, *, max_length: int, limit: int) -> list[GraphPath]:
        await self.get_document(source)
        await self.get_document(target)
        if source == target:
            return []
        [record] = await self._read(cypher.shortest_paths(max_length), source=source, target=target, cap=limit * 8)
        raw = [(path["keys"], [_link(h) for h in path["hops"]]) for path in record["paths"]]
        documents = await self._documents_by_key(sorted({k for keys, _ in raw for k in keys}))
        return distinct_paths(raw, documents, limit)

    async def put_text(self, text: SourceText) -> bool:
        records = await self._write(
            cypher.PUT_TEXT,
            id=text.id,
            text=text.text,
            jurisdiction=text.jurisdiction,
            document_key=text.document_key,
            now=_now(),
        )
        return bool(records[0]["created"])

    async def get_text(self, text_id: str) -> SourceText:
        records = await self._read(cypher.GET_TEXT, id=text_id)
        if not records:
            raise NotFoundError("text", text_id)
        return SourceText.model_validate(records[0]["text"])

    async def counts(self) -> GraphCounts:
        links = 0
        for relation in Relation:
            links += (await self._read(cypher.count_links(relation)))[0]["n"]
        return GraphCounts(
            documents=(await self._read(cypher.COUNT_DOCUMENTS))[0]["n"],
            links=links,
            organizations=(await self._read(cypher.COUNT_ORGANIZATIONS))[0]["n"],
        )


def _walk(root: str, records: list[neo4j.Record]) -> tuple[Walk, dict[str, Facts]]:
    """The walk and the facts of every document reached, from the record of :func:`cypher.walk`."""
    if not records:
        raise NotFoundError("document", root)
    record = records[0]
    facts = {root: Facts(record["level"], record["jurisdiction"], record["year"])}
    facts.update((key, Facts(level, jurisdiction, year)) for key, level, jurisdiction, year, _ in record["found"])
    nearer = [(row[0], depth, row[4]) for row, depth in zip(record["found"], record["depths"], strict=True)]
    return Walk.from_depths(root, nearer), facts


def _query_error(e: Neo4jError | DriverError) -> LexgraphError:
    """A query over its time limit may pass later (a 503); any other refusal is a fault of ours."""
    if isinstance(e, Neo4jError) and "TransactionTimedOut" in (e.code or ""):
        return StoreUnavailableError("Neo4j query timed out")
    return StoreQueryError(f"Neo4j query failed: {type(e).__name__}")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _organization_props(o: Organization) -> dict[str, Any]:
    props = o.model_dump(mode="json")
    return {k: v for k, v in props.items() if v is not None}


def _document_props(resolved: ResolvedDocument) -> dict[str, Any]:
    props = resolved.document.model_dump(mode="json")
    props["scope"] = resolved.scope
    props["type_folded"] = fold(resolved.document.type) if resolved.document.type else None
    props["search_text"] = search_text(resolved.document)
    return {k: v for k, v in props.items() if v is not None}


def _document(props: dict[str, Any]) -> Document:
    return Document.model_validate({k: v for k, v in props.items() if k in Document.model_fields})


def _link_row(draft: LinkDraft) -> dict[str, Any]:
    props = draft.model_dump(mode="json", exclude={"source", "relation", "target"})
    return {"source": draft.source, "target": draft.target, "props": {k: v for k, v in props.items() if v is not None}}


def _link(data: dict[str, Any]) -> Link:
    return Link.model_validate(data)

"""Properties of the Neo4j store's nodes and links: conversions both ways, and the reads several roles share."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graph.clock import parse_day, timestamp
from graph.identity import ResolvedDocument
from graph.models import Document, Link, Organization, organization_names
from graph.records import trusted_document
from graph.review import Issued, first_entry
from graph.search import search_text
from graph.stores.neo4j import cypher
from graph.stores.neo4j.db import Neo4jDb
from graph.text import fold


async def organizations_by_key(db: Neo4jDb, keys: Sequence[str]) -> dict[str, Organization]:
    records = await db.read(cypher.ORGANIZATIONS_BY_KEY, keys=list(keys))
    return {r["org"]["key"]: organization_from_props(r["org"]) for r in records}


async def documents_by_key(db: Neo4jDb, keys: Sequence[str]) -> dict[str, Document]:
    [record] = await db.read(cypher.DOCUMENTS_BY_KEY, keys=list(keys))
    return {doc["key"]: document_from_props(doc) for doc in record["documents"]}


def organization_props(o: Organization) -> dict[str, Any]:
    """An organization's node properties: its fields and its folded names (Cypher cannot fold accents)."""
    props = o.model_dump(mode="json") | {"folded_names": organization_names(o)}
    props["names"] = json.dumps(props["names"], ensure_ascii=False) if o.names else None
    return {k: v for k, v in props.items() if v is not None}


def organization_from_props(props: dict[str, Any]) -> Organization:
    """A stored organization: its earlier names are JSON text on the node."""
    return Organization.model_validate({**props, "names": json.loads(props.get("names") or "[]")})


def document_props(resolved: ResolvedDocument) -> dict[str, Any]:
    """A resolved document's node properties: its fields, identity scope, folded type and search text."""
    props = resolved.document.model_dump(mode="json")
    props["scope"] = resolved.scope
    props["type_folded"] = fold(resolved.document.type) if resolved.document.type else None
    props["search_text"] = search_text(resolved.document)
    return {k: v for k, v in props.items() if v is not None}


def document_from_props(props: dict[str, Any], *, settle: bool = True) -> Document:
    """A stored document, with its status of today (graph.effects) unless ``settle`` is false (as stored, for a
    write to merge into). Stored properties are the document's own JSON values: a settled read converts them
    without validation, as the embedded store does (graph.records)."""
    if settle:
        return trusted_document(props, Document)
    return Document.model_validate({k: v for k, v in props.items() if k in Document.model_fields and k != "effects"})


def link_row(link: Link) -> dict[str, Any]:
    """A link's ends and its relationship's properties: the flat fields, the provenance list as JSON, the texts
    of its entries (for the review queue's filter) and its review state."""
    props = link.model_dump(
        mode="json", exclude={"source", "relation", "target", "source_symbol", "target_symbol", "provenance"}
    )
    props["created_at"] = timestamp(link.created_at) if link.created_at else timestamp()
    props["provenance"] = json.dumps([p.model_dump(mode="json") for p in link.provenance], ensure_ascii=False)
    props["text_ids"] = sorted({p.text_id for p in link.provenance if p.text_id})
    return {"source": link.source, "target": link.target, "props": {k: v for k, v in props.items() if v is not None}}


def link_from_record(data: dict[str, Any]) -> Link:
    """A link from its record: its provenance parsed, or the entry of its flat fields (a link written before
    V0013 or bulk-loaded)."""
    fields = {k: v for k, v in data.items() if v is not None}
    fields["provenance"] = json.loads(fields.get("provenance") or "[]")
    link = Link.model_validate(fields)
    return link if link.provenance else link.model_copy(update={"provenance": [first_entry(link)]})


def issued_props(issued: dict[str, Any]) -> Issued:
    """When a document was issued, from its stored date and year."""
    return Issued(parse_day(issued.get("date")), issued.get("year"))

"""Rows of the embedded store: columns, conversions, and the reads several roles share."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from graph.clock import iso_day, parse_day, timestamp, today
from graph.models import Document, Link, Organization, Relation
from graph.records import document_json, link_sort_key, trusted_document, trusted_link
from graph.review import Issued, first_entry
from graph.stores.sqlite.effects import EFFECTS_OF_D, dated_status, no_effects

DOCUMENT_COLUMNS = (
    "key, symbol, aliases, type, number, date, year, issuer, level, jurisdiction, term, title, "
    "status, effective_from, effective_to, stub, status_source"
)
# A stored document as its JSON, from its row ``j`` of document_json (migration V0028, joined by
# JOIN_DOCUMENT_JSON), settled on :status_day: for a curated status or a document without effects, whose
# status its dates decide in SQL; NULL for the others, which graph.effects settles. A list of documents sent
# as they are skips building and serializing each one.
DOCUMENT_JSON_OF_J = (
    "CASE WHEN j.curated_status IS NOT NULL THEN j.head || j.curated_status || j.tail "
    f"WHEN {no_effects('j.key')} THEN j.head || {dated_status('j.in_force_from', 'j.effective_to')} || j.tail END"
)
JOIN_DOCUMENT_JSON = "JOIN document_json j ON j.key = d.key"
LINK_COLUMNS = (
    "l.id, l.source, l.relation, l.target, l.origin, l.evidence, l.source_text_id, l.span_start, l.span_end, "
    "l.confidence, l.created_at, l.review, l.provenance, l.corrected_to, l.partial, l.flagged, "
    "s.symbol AS source_symbol, t.symbol AS target_symbol"
)
LINK_FROM = "links l JOIN documents s ON s.key = l.source JOIN documents t ON t.key = l.target"
DATA_VERSION = "SELECT n FROM data_version"
ORGANIZATIONS_BY_KEY = "SELECT * FROM organizations WHERE key IN (SELECT value FROM json_each(?))"
DOCUMENTS_BY_KEY = (
    f"SELECT {DOCUMENT_COLUMNS}, {EFFECTS_OF_D} AS effects FROM documents d "
    "WHERE key IN (SELECT value FROM json_each(?))"
)
DOCUMENTS_JSON_BY_KEY = (
    f"SELECT {DOCUMENT_JSON_OF_J}, j.key, j.symbol FROM document_json j "
    "WHERE j.key IN (SELECT value FROM json_each(:keys))"
)
KNOWN_DOCUMENTS = "SELECT key FROM documents WHERE key IN (SELECT value FROM json_each(?))"
DOCUMENT_EXISTS = "SELECT 1 FROM documents WHERE key = ?"
ISSUED = "SELECT key, date, year FROM documents WHERE key IN (SELECT value FROM json_each(?))"
# Every stored column of a link, in the order of link_values.
LINK_STATE = (
    "id, source, relation, target, origin, evidence, source_text_id, span_start, span_end, confidence, "
    "created_at, review, provenance, corrected_to, partial, flagged"
)
LINK_STATE_OF_L = ", ".join(f"l.{column}" for column in LINK_STATE.split(", "))
SYMBOLS_BY_KEY = "SELECT key, symbol FROM documents WHERE key IN (SELECT value FROM json_each(?))"
# Links by their (source, relation, target) keys, without their ends' symbols (see links_by_keys).
LINKS_BY_KEYS = f"""
SELECT {LINK_STATE_OF_L} FROM json_each(:keys) j
JOIN links l ON l.source = j.value ->> 0 AND l.relation = j.value ->> 1 AND l.target = j.value ->> 2
"""


def organizations_by_key(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, Organization]:
    rows = conn.execute(ORGANIZATIONS_BY_KEY, (json.dumps(list(keys)),))
    return {r["key"]: organization_from_row(r) for r in rows}


def data_version(conn: sqlite3.Connection) -> int:
    """The version of the documents and links (migration V0030): it moves with every write to either."""
    version: int = conn.execute(DATA_VERSION).fetchone()[0]
    return version


def dict_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rows of a query as dicts, read as tuples: a ``sqlite3.Row`` made a dict costs half again as much
    as a tuple zipped with the column names."""
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(sql, params).fetchall()
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in rows]


def tuple_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of a query as tuples."""
    cursor = conn.cursor()
    cursor.row_factory = None
    rows: list[tuple[Any, ...]] = cursor.execute(sql, params).fetchall()
    return rows


def filled_json(conn: sqlite3.Connection, found: Sequence[tuple[str | None, str]]) -> list[str]:
    """The texts of (:data:`DOCUMENT_JSON_OF_J`, key) rows in their order, those NULL (documents with effects)
    built and settled in Python."""
    with_effects = [key for text, key in found if text is None]
    built = documents_by_key(conn, with_effects) if with_effects else {}
    return [text if text is not None else document_json(built[key]) for text, key in found]


def found_json(conn: sqlite3.Connection, sql: str, params: Mapping[str, Any]) -> list[str]:
    """The documents' JSON a query of (:data:`DOCUMENT_JSON_OF_J`, key) rows finds, in its order."""
    return filled_json(conn, tuple_rows(conn, sql, params))


def document_json_rows(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Stored documents as their key (``key``), JSON (``json``) and symbol (``symbol``), settled on today."""
    found = tuple_rows(conn, DOCUMENTS_JSON_BY_KEY, {"keys": json.dumps(list(keys)), "status_day": today().isoformat()})
    texts = filled_json(conn, [(text, key) for text, key, _ in found])
    return {
        key: {"key": key, "json": text, "symbol": symbol} for text, (_, key, symbol) in zip(texts, found, strict=True)
    }


def documents_by_key(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, Document]:
    return {d.key: d for d in map(document_from_row, dict_rows(conn, DOCUMENTS_BY_KEY, (json.dumps(list(keys)),)))}


def document_rows(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Stored documents as rows of primitives (aliases parsed), for trusted_document."""
    return {row["key"]: row for row in primitive_rows(conn, DOCUMENTS_BY_KEY, (json.dumps(list(keys)),))}


def primitive_rows(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The rows of a query of documents as dicts of primitives, their aliases parsed (what trusted_document reads)."""
    rows = dict_rows(conn, sql, params)
    for row in rows:
        row["aliases"] = json_list(row["aliases"])
    return rows


def links_by_keys(
    conn: sqlite3.Connection, keys: Sequence[tuple[str, str, str]], rows: Mapping[str, Mapping[str, Any]]
) -> list[Link]:
    """The stored links of (source, relation, target) keys; the symbols of their ends are taken from ``rows``
    (documents already read) and only the others read: two documents' lookups a link cost more than the link."""
    found = dict_rows(conn, LINKS_BY_KEYS, {"keys": json.dumps(list(keys))})
    missing = {k for link in found for k in (link["source"], link["target"]) if k not in rows}
    symbols = dict(conn.execute(SYMBOLS_BY_KEY, (json.dumps(sorted(missing)),)).fetchall()) if missing else {}
    symbols.update((k, row["symbol"]) for k, row in rows.items())
    return [
        trusted_link(link | {"source_symbol": symbols[link["source"]], "target_symbol": symbols[link["target"]]})
        for link in found
    ]


def known_documents(conn: sqlite3.Connection, keys: Sequence[str]) -> set[str]:
    """Which of ``keys`` are stored documents."""
    return {r[0] for r in conn.execute(KNOWN_DOCUMENTS, (json.dumps(list(keys)),))}


def document_exists(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute(DOCUMENT_EXISTS, (key,)).fetchone() is not None


def links_where(conn: sqlite3.Connection, where: str, params: Sequence[Any] | dict[str, Any]) -> list[Link]:
    """Links (with their ends' symbols) matching a condition on ``l``, ``s`` and ``t``, in canonical order."""
    return sorted(link_rows(conn, where, params), key=link_sort_key)


def link_rows(conn: sqlite3.Connection, where: str, params: Sequence[Any] | dict[str, Any]) -> list[Link]:
    """Links matching a condition (and ordered by whatever ``where`` ends with), in the order read."""
    return [link_from_row(r) for r in conn.execute(f"SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE {where}", params)]


def relations_json(relations: Sequence[Relation]) -> str:
    return json.dumps([r.value for r in relations])


def organization_from_row(row: sqlite3.Row) -> Organization:
    data = dict(row)
    data["predecessors"] = json.loads(data["predecessors"])
    data["aliases"] = json.loads(data["aliases"])
    data["names"] = json.loads(data.get("names") or "[]")
    return Organization.model_validate({k: v for k, v in data.items() if v is not None})


def organization_values(o: Organization) -> tuple[Any, ...]:
    """An organization as the columns of its table hold it."""
    return (
        o.key,
        o.name,
        o.short_name,
        o.kind,
        o.level.value,
        o.branch.value if o.branch else None,
        o.parent,
        o.jurisdiction,
        iso_day(o.valid_from),
        iso_day(o.valid_to),
        json.dumps(o.predecessors),
        json.dumps(o.aliases, ensure_ascii=False),
        json.dumps([n.model_dump(mode="json") for n in o.names], ensure_ascii=False),
    )


def document_from_row(row: Mapping[str, Any] | sqlite3.Row) -> Document:
    """A stored document; read with its ``effects``, with its status of today (graph.effects)."""
    return trusted_document({**row, "aliases": json_list(row["aliases"])}, Document)


def json_list(text: str | None) -> list[Any]:
    """A stored JSON list; most stored lists are empty, and decoding "[]" costs a microsecond."""
    return json.loads(text) if text and text != "[]" else []


def document_values(doc: Document) -> tuple[Any, ...]:
    """A document as the columns of :data:`DOCUMENT_COLUMNS` hold it."""
    return (
        doc.key,
        doc.symbol,
        json.dumps(doc.aliases, ensure_ascii=False),
        doc.type,
        doc.number,
        iso_day(doc.date),
        doc.year,
        doc.issuer,
        doc.level.value if doc.level else None,
        doc.jurisdiction,
        doc.term,
        doc.title,
        doc.status.value,
        iso_day(doc.effective_from),
        iso_day(doc.effective_to),
        int(doc.stub),
        doc.status_source.value,
    )


def link_from_row(row: sqlite3.Row) -> Link:
    """A link from its row: its provenance parsed, or the entry of its flat fields (a bulk-loaded link)."""
    data = dict(row)
    data["provenance"] = json.loads(data.get("provenance") or "[]")
    link = Link.model_validate(data)
    return link if link.provenance else link.model_copy(update={"provenance": [first_entry(link)]})


def link_values(link: Link) -> tuple[Any, ...]:
    """A link as the columns of :data:`LINK_STATE` hold it."""
    return (
        link.id,
        link.source,
        link.relation.value,
        link.target,
        link.origin.value,
        link.evidence,
        link.source_text_id,
        link.span_start,
        link.span_end,
        link.confidence,
        timestamp(link.created_at) if link.created_at else timestamp(),
        link.review.value,
        json.dumps([p.model_dump(mode="json") for p in link.provenance], ensure_ascii=False),
        link.corrected_to,
        int(link.partial),
        int(link.flagged),
    )


def issued_of(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, Issued]:
    """When each of ``keys`` that is a stored document was issued."""
    rows = conn.execute(ISSUED, (json.dumps(list(keys)),))
    return {r[0]: Issued(parse_day(r[1]), r[2]) for r in rows}

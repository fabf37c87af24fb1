"""Bulk writers: streaming NDJSON, CSV, GraphML (for Gephi) and JSON-LD (ELI vocabulary). Pure: no store."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Protocol
from xml.sax.saxutils import escape, quoteattr

from pydantic import BaseModel

from graph.bulk.records import ExportFormat, RecordKind
from graph.models import Document, EffectStatus, Link, Organization, Relation


def ndjson_line(model: BaseModel) -> str:
    """One NDJSON line: the model's JSON, missing values left out."""
    return model.model_dump_json(exclude_none=True) + "\n"


class ExportWriter(Protocol):
    """Receives organizations, then documents, then links, batch by batch."""

    def organizations(self, rows: Sequence[Organization]) -> None: ...

    def documents(self, rows: Sequence[Document]) -> None: ...

    def links(self, rows: Sequence[Link]) -> None: ...

    def close(self) -> None: ...


CSV_FIELDS: dict[RecordKind, list[str]] = {
    RecordKind.organizations: list(Organization.model_fields),
    RecordKind.documents: [f for f, info in Document.model_fields.items() if not info.exclude],
    RecordKind.links: [f for f in Link.model_fields if f not in ("source_symbol", "target_symbol")],
}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class TableWriter:
    """NDJSON or CSV: one file per record kind in a directory, readable back by :func:`input_files`."""

    def __init__(self, out: Path, fmt: ExportFormat) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.csv = fmt == ExportFormat.csv
        self.files: dict[RecordKind, IO[str]] = {}
        self.writers: dict[RecordKind, Any] = {}
        for kind in RecordKind:
            f = (out / f"{kind.value}.{fmt.value}").open("w", encoding="utf-8", newline="" if self.csv else "\n")
            self.files[kind] = f
            if self.csv:
                self.writers[kind] = csv.writer(f, lineterminator="\n")
                self.writers[kind].writerow(CSV_FIELDS[kind])

    def _write(self, kind: RecordKind, rows: Sequence[BaseModel]) -> None:
        if self.csv:
            fields = CSV_FIELDS[kind]
            self.writers[kind].writerows(
                [_csv_cell(v) for v in (row.model_dump(mode="json")[f] for f in fields)] for row in rows
            )
        else:
            self.files[kind].writelines(ndjson_line(_export_view(row)) for row in rows)

    def organizations(self, rows: Sequence[Organization]) -> None:
        self._write(RecordKind.organizations, rows)

    def documents(self, rows: Sequence[Document]) -> None:
        self._write(RecordKind.documents, rows)

    def links(self, rows: Sequence[Link]) -> None:
        self._write(RecordKind.links, rows)

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def _export_view(row: BaseModel) -> BaseModel:
    # The symbols of a link's ends are a convenience of reads, not part of the link.
    return row.model_copy(update={"source_symbol": None, "target_symbol": None}) if isinstance(row, Link) else row


# XML 1.0 forbids most control characters even when escaped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
GRAPHML_NODE_KEYS: dict[str, str] = {
    "label": "string",
    "symbol": "string",
    "type": "string",
    "number": "string",
    "date": "string",
    "year": "int",
    "issuer": "string",
    "level": "string",
    "jurisdiction": "string",
    "term": "string",
    "title": "string",
    "status": "string",
    "effective_from": "string",
    "effective_to": "string",
    "stub": "boolean",
    "aliases": "string",
    "status_source": "string",
    "status_links": "string",
}
GRAPHML_EDGE_KEYS: dict[str, str] = {
    "label": "string",
    "relation": "string",
    "origin": "string",
    "evidence": "string",
    "source_text_id": "string",
    "span_start": "int",
    "span_end": "int",
    "confidence": "double",
    "created_at": "string",
    "partial": "boolean",
}


def _xml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    return escape(_XML_INVALID.sub("", str(value)))


class GraphmlWriter:
    """GraphML with every attribute declared as a ``<key>``, as Gephi reads it; documents are the nodes."""

    def __init__(self, out: Path) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        self.f = out.open("w", encoding="utf-8", newline="\n")
        self.f.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
        )
        for scope, keys in (("node", GRAPHML_NODE_KEYS), ("edge", GRAPHML_EDGE_KEYS)):
            for name, kind in keys.items():
                self.f.write(f'<key id="{scope[0]}_{name}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>\n')
        self.f.write('<graph id="lexgraph" edgedefault="directed">\n')

    def organizations(self, rows: Sequence[Organization]) -> None:
        """Organizations are not nodes of the document graph; a document names its issuer."""

    def documents(self, rows: Sequence[Document]) -> None:
        for doc in rows:
            values = doc.model_dump(mode="json") | {"label": doc.symbol}
            self.f.write(f"<node id={quoteattr(doc.key)}>{self._data('n', GRAPHML_NODE_KEYS, values)}</node>\n")

    def links(self, rows: Sequence[Link]) -> None:
        for link in rows:
            values = link.model_dump(mode="json") | {"label": link.relation.value}
            self.f.write(
                f"<edge source={quoteattr(link.source)} target={quoteattr(link.target)}>"
                f"{self._data('e', GRAPHML_EDGE_KEYS, values)}</edge>\n"
            )

    @staticmethod
    def _data(prefix: str, keys: dict[str, str], values: dict[str, Any]) -> str:
        return "".join(
            f'<data key="{prefix}_{name}">{_xml_text(values[name])}</data>'
            for name in keys
            if values.get(name) is not None
        )

    def close(self) -> None:
        self.f.write("</graph>\n</graphml>\n")
        self.f.close()


ELI = "http://data.europa.eu/eli/ontology#"
# Each relation as the closest ELI property. ELI has no continuation, guidance or replacement
# property: a conclusion "continuing the implementation" of a resolution is lex:continues, declared in
# the graph a sub-property of eli:ensures_implementation_of (so the two stay apart), guidance (hướng dẫn)
# applies a document without being the act that implements it, and ELI's eli:changes covers replacement.
ELI_PROPERTIES: dict[Relation, str] = {
    Relation.implements: "eli:ensures_implementation_of",
    Relation.continues: "lex:continues",
    Relation.cites: "eli:cites",
    Relation.based_on: "eli:based_on",
    Relation.guides: "eli:applies",
    Relation.amends: "eli:amends",
    Relation.replaces: "eli:changes",
    Relation.repeals: "eli:repeals",
}
_IN_FORCE = {
    EffectStatus.in_force: "eli:InForce-inForce",
    EffectStatus.amended: "eli:InForce-inForce",
    EffectStatus.partly_repealed: "eli:InForce-partiallyInForce",
    EffectStatus.replaced: "eli:InForce-notInForce",
    EffectStatus.repealed: "eli:InForce-notInForce",
    EffectStatus.expired: "eli:InForce-notInForce",
    EffectStatus.not_yet_in_force: "eli:InForce-notInForce",
}
# The inverse written on a changed document: ELI reads a document's changes from it as well as from the changer.
ELI_INVERSES: dict[Relation, str] = {
    Relation.amends: "amended_by",
    Relation.repeals: "repealed_by",
    Relation.replaces: "changed_by",
}
# Each link also as a statement of its own, so that its review state and provenance are kept.
_STATEMENT_FIELDS = ("origin", "review", "confidence", "evidence", "source_text_id", "partial", "created_at")
JSONLD_CONTEXT: dict[str, Any] = {
    "eli": ELI,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "lex": "urn:lexgraph:vocab:",
    "doc": "urn:lexgraph:document:",
    "org": "urn:lexgraph:organization:",
    "LegalResource": "eli:LegalResource",
    "Organization": "eli:Organization",
    "symbol": "eli:id_local",
    "number": "eli:number",
    "title": "eli:title",
    "date": {"@id": "eli:date_document", "@type": "xsd:date"},
    "effective_from": {"@id": "eli:first_date_entry_in_force", "@type": "xsd:date"},
    "effective_to": {"@id": "eli:date_no_longer_in_force", "@type": "xsd:date"},
    "issuer": {"@id": "eli:passed_by", "@type": "@id"},
    "jurisdiction": {"@id": "eli:jurisdiction", "@type": "@id"},
    "in_force": {"@id": "eli:in_force", "@type": "@id"},
    "name": "rdfs:label",
    "parent": {"@id": "lex:parent", "@type": "@id"},
    "type": "lex:documentType",
    "level": "lex:level",
    "term": "lex:term",
    "status": "lex:status",
    "aliases": "lex:alias",
    "stub": {"@id": "lex:stub", "@type": "xsd:boolean"},
    "status_source": "lex:statusSource",
    "status_links": "lex:statusLink",
    "amended_by": {"@id": "eli:amended_by", "@type": "@id"},
    "repealed_by": {"@id": "eli:repealed_by", "@type": "@id"},
    "changed_by": {"@id": "eli:changed_by", "@type": "@id"},
    "Link": "lex:Link",
    **{relation.value: {"@id": prop, "@type": "@id"} for relation, prop in ELI_PROPERTIES.items()},
    **{f"link_{name}": f"lex:{name}" for name in ("source", "relation", "target", *_STATEMENT_FIELDS)},
}
_SUB_PROPERTY = {
    "@id": "lex:continues",
    "@type": "rdf:Property",
    "rdfs:subPropertyOf": {"@id": "eli:ensures_implementation_of"},
}


class JsonLdWriter:
    """One JSON-LD document: ``@context`` then a ``@graph`` streamed node by node.

    A link is written as a node object naming only its source and the relation, which JSON-LD
    merges into the source's node.
    """

    def __init__(self, out: Path) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        self.f = out.open("w", encoding="utf-8", newline="\n")
        self.f.write('{"@context": ' + json.dumps(JSONLD_CONTEXT, ensure_ascii=False) + ',\n"@graph": [')
        self.first = True
        self._node(_SUB_PROPERTY)

    def _node(self, node: dict[str, Any]) -> None:
        self.f.write(("\n" if self.first else ",\n") + json.dumps(node, ensure_ascii=False))
        self.first = False

    def organizations(self, rows: Sequence[Organization]) -> None:
        for org in rows:
            node: dict[str, Any] = {"@id": f"org:{org.key}", "@type": "Organization", "name": org.name}
            if org.parent:
                node["parent"] = f"org:{org.parent}"
            self._node(node)

    def documents(self, rows: Sequence[Document]) -> None:
        for doc in rows:
            data = doc.model_dump(mode="json", exclude_none=True, exclude={"key", "year", "aliases"})
            node: dict[str, Any] = {"@id": f"doc:{doc.key}", "@type": "LegalResource", **data}
            if doc.aliases:
                node["aliases"] = doc.aliases
            if doc.issuer:
                node["issuer"] = f"org:{doc.issuer}"
            if doc.jurisdiction:
                node["jurisdiction"] = f"org:{doc.jurisdiction}"
            if doc.status in _IN_FORCE:
                node["in_force"] = _IN_FORCE[doc.status]
            self._node(node)

    def links(self, rows: Sequence[Link]) -> None:
        for link in rows:
            self._node({"@id": f"doc:{link.source}", link.relation.value: f"doc:{link.target}"})
            if link.relation in ELI_INVERSES:
                self._node({"@id": f"doc:{link.target}", ELI_INVERSES[link.relation]: f"doc:{link.source}"})
            self._node(_statement(link))

    def close(self) -> None:
        self.f.write("\n]}\n")
        self.f.close()


def _statement(link: Link) -> dict[str, Any]:
    """A link as a ``lex:Link`` node with its review state and provenance."""
    data = link.model_dump(mode="json", include=set(_STATEMENT_FIELDS), exclude_none=True)
    node: dict[str, Any] = {
        "@id": f"urn:lexgraph:link:{link.id or f'{link.source}|{link.relation.value}|{link.target}'}",
        "@type": "Link",
        "link_source": f"doc:{link.source}",
        "link_relation": link.relation.value,
        "link_target": f"doc:{link.target}",
    }
    return node | {f"link_{name}": value for name, value in data.items()}


def open_writer(fmt: ExportFormat, out: Path) -> ExportWriter:
    """A writer of the format: a directory for ndjson and csv, one file for graphml and jsonld."""
    if fmt in (ExportFormat.ndjson, ExportFormat.csv):
        return TableWriter(out, fmt)
    if fmt == ExportFormat.graphml:
        return GraphmlWriter(out)
    return JsonLdWriter(out)

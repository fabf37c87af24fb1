"""Exports carry each document's status and effective dates, and JSON-LD the ELI effect properties, on both stores."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from graph.bulk import ExportFormat
from graph.identity import DocumentDraft
from graph.models import LinkDraft, Relation
from graph.ports import GraphStore
from graph.usecases.bulk_export import run_export

pytestmark = pytest.mark.contract

OLD = DocumentDraft(symbol="3/2016/NĐ-CP", date=dt.date(2016, 2, 1), title="Quyết định cũ")
NEW = DocumentDraft(symbol="4/2018/NĐ-CP", date=dt.date(2018, 4, 1), effective_from=dt.date(2018, 5, 1), title="Mới")


async def _replaced(store: GraphStore) -> tuple[str, str]:
    old, new = await store.upsert_documents([OLD, NEW])
    await store.upsert_links([LinkDraft(source=new.key, relation=Relation.replaces, target=old.key)])
    return old.key, new.key


async def test_table_exports_carry_status_and_dates(store: GraphStore, tmp_path: Path) -> None:
    old, _ = await _replaced(store)
    await run_export(store, ExportFormat.ndjson, tmp_path / "nd")
    await run_export(store, ExportFormat.csv, tmp_path / "csv")
    lines = (tmp_path / "nd" / "documents.ndjson").read_text(encoding="utf-8").splitlines()
    [line] = [json.loads(x) for x in lines if json.loads(x)["key"] == old]
    assert (line["status"], line["effective_to"], line["status_source"]) == ("replaced", "2018-05-01", "derived")
    with (tmp_path / "csv" / "documents.csv").open(encoding="utf-8") as f:
        [row] = [r for r in csv.DictReader(f) if r["key"] == old]
    assert (row["status"], row["effective_to"]) == ("replaced", "2018-05-01")


async def test_graph_exports_carry_eli_effects(store: GraphStore, tmp_path: Path) -> None:
    old, new = await _replaced(store)
    await run_export(store, ExportFormat.graphml, tmp_path / "g.graphml")
    graphml = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert f'<node id="{old}"><data key="n_label">' in graphml and '<data key="n_status">replaced</data>' in graphml
    await run_export(store, ExportFormat.jsonld, tmp_path / "g.jsonld")
    graph = json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8"))["@graph"]
    [node] = [n for n in graph if n.get("@id") == f"doc:{old}" and n.get("@type") == "LegalResource"]
    assert (node["in_force"], node["effective_to"]) == ("eli:InForce-notInForce", "2018-05-01")
    assert {"@id": f"doc:{old}", "changed_by": f"doc:{new}"} in graph
    [statement] = [n for n in graph if n.get("@type") == "Link"]
    assert (statement["link_relation"], statement["link_origin"]) == ("replaces", "curated")

"""Bulk import and export on both stores: round trips, idempotence, resumption, bad input, formats."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.bulk import ELI_PROPERTIES, BulkInputError, ExportFormat, InputFile, RecordKind, read_batches
from graph.errors import LexgraphError
from graph.models import LINEAGE_RELATIONS, DocumentFilter, LineageDirection, LinkDirection, Relation
from graph.ports import GraphStore
from graph.stores.sqlite import SqliteStore
from graph.stores.sqlite.search import RANK_LINK_TRIGGERS
from graph.synth import synthesize
from graph.usecases.bulk_export import run_export
from graph.usecases.bulk_import import run_import
from tests.conftest import open_store

pytestmark = pytest.mark.contract

ROOT = Path(__file__).resolve().parent.parent
LEXGRAPH = ROOT / ".venv" / "bin" / "lexgraph"
ROUND_TRIP_DOCUMENTS = 1_500


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def link_triples(path: Path) -> list[tuple[str, str, str]]:
    return [(r["source"], r["relation"], r["target"]) for r in map(json.loads, lines(path))]


def document_keys(path: Path) -> list[str]:
    return [json.loads(line)["key"] for line in lines(path)]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national")
    synthesize(out, ROUND_TRIP_DOCUMENTS, seed=1)
    return out


async def test_import_then_export_gives_back_every_record(store: GraphStore, synthetic: Path, tmp_path: Path) -> None:
    report = await run_import(store, synthetic, batch_size=700)
    assert report.written[RecordKind.documents] == ROUND_TRIP_DOCUMENTS
    written = await run_export(store, ExportFormat.ndjson, tmp_path / "B", batch_size=400)
    for kind in RecordKind:
        exported, given = tmp_path / "B" / f"{kind.value}.ndjson", synthetic / f"{kind.value}.ndjson"
        assert written[kind] == len(lines(exported)) == len(lines(given)), kind
    assert sorted(document_keys(tmp_path / "B" / "documents.ndjson")) == sorted(
        document_keys(synthetic / "documents.ndjson")
    )
    exported_links = link_triples(tmp_path / "B" / "links.ndjson")
    assert exported_links == sorted(exported_links)
    assert exported_links == sorted(link_triples(synthetic / "links.ndjson"))


async def test_imported_documents_answer_queries(store: GraphStore, synthetic: Path) -> None:
    """The bulk path writes the same spellings and lineage the ordinary write path does."""
    await run_import(store, synthetic)
    plan = json.loads(lines(synthetic / "documents.ndjson")[1])
    keys = [d.key for d in await store.find_documents(DocumentFilter(symbol=plan["symbol"].lower(), year=plan["year"]))]
    assert plan["key"] in keys
    lineage = await store.lineage(plan["key"], LineageDirection.up, LINEAGE_RELATIONS, 4)
    assert len(lineage.nodes) > 1


async def test_reimport_is_idempotent(store: GraphStore, synthetic: Path) -> None:
    await run_import(store, synthetic, batch_size=500)
    first = await store.counts()
    resumed = await run_import(store, synthetic, batch_size=500)
    assert sum(resumed.written.values()) == 0  # every file's checkpoint is at its end
    assert resumed.skipped_lines == sum(len(lines(synthetic / f"{k.value}.ndjson")) for k in RecordKind)
    again = await run_import(store, synthetic, batch_size=300, restart=True)
    assert again.written[RecordKind.links] == first.links
    assert await store.counts() == first


async def test_failed_batch_leaves_nothing_and_rerun_resumes(
    store: GraphStore, synthetic: Path, tmp_path: Path
) -> None:
    """A link to a document not yet imported fails its batch midway; the batches before it stay,
    nothing of it does, and once the document exists a re-run resumes after the last good batch."""
    batch = 200
    all_docs = lines(synthetic / "documents.ndjson")
    held_back = json.loads(all_docs[-1])["key"]
    links = lines(synthetic / "links.ndjson")
    bad_at = next(
        i for i, line in enumerate(links) if held_back in (json.loads(line)["source"], json.loads(line)["target"])
    )
    assert bad_at >= 2 * batch
    (tmp_path / "organizations.ndjson").write_text(
        (synthetic / "organizations.ndjson").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "documents.ndjson").write_text("\n".join(all_docs[:-1]) + "\n", encoding="utf-8")
    (tmp_path / "links.ndjson").write_text("\n".join(links) + "\n", encoding="utf-8")

    with pytest.raises(BulkInputError) as failure:
        await run_import(store, tmp_path, batch_size=batch)
    assert failure.value.path.name == "links.ndjson" and failure.value.line == bad_at + 1
    assert f"links.ndjson:{bad_at + 1}:" in str(failure.value) and held_back in str(failure.value)
    committed = (bad_at // batch) * batch
    assert (await store.counts()).links == committed

    (tmp_path / "late.ndjson").write_text(all_docs[-1] + "\n", encoding="utf-8")
    (tmp_path / "late.ndjson").rename(tmp_path / "documents-late.ndjson")
    resumed = await run_import(store, tmp_path, batch_size=batch)
    assert resumed.written[RecordKind.links] == len(links) - committed
    assert resumed.written[RecordKind.documents] == 1
    counts = await store.counts()
    assert (counts.documents, counts.links) == (len(all_docs), len(set(links)))


@pytest.mark.parametrize(
    "batch", [1, 2, 100], ids=["repeat-in-later-batch", "repeat-across-batches", "repeat-in-one-batch"]
)
async def test_a_record_given_twice_in_a_first_load_is_stored_once_as_last_given(
    store: GraphStore, synthetic: Path, tmp_path: Path, batch: int
) -> None:
    await run_import(store, synthetic / "organizations.ndjson")
    doc_first, doc_second = (json.loads(line) for line in lines(synthetic / "documents.ndjson")[:2])
    doc_with_alias = doc_first | {"aliases": ["901-KH/TU"]}
    doc_again = doc_first | {"title": "Kế hoạch nhập lại lần hai"}
    (tmp_path / "documents.ndjson").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in (doc_with_alias, doc_second, doc_again)) + "\n",
        encoding="utf-8",
    )
    await run_import(store, tmp_path / "documents.ndjson", batch_size=batch)
    assert (await store.counts()).documents == 2
    assert (await store.get_document(doc_first["key"])).title == doc_again["title"]
    assert await store.find_documents(DocumentFilter(symbol="901-KH/TU")) == []  # the earlier spelling went with it

    await run_import(store, synthetic / "documents.ndjson")
    first, second = (json.loads(line) for line in lines(synthetic / "links.ndjson")[:2])
    again = first | {"confidence": 0.5, "origin": "extracted"}
    (tmp_path / "links.ndjson").write_text(
        "\n".join(json.dumps(r) for r in (first, second, again)) + "\n", encoding="utf-8"
    )
    await run_import(store, tmp_path / "links.ndjson", batch_size=batch)
    assert (await store.counts()).links == 2
    stored = [
        link
        for link in await store.links(first["source"], LinkDirection.out, list(Relation))
        if link.target == first["target"]
    ]
    assert [(link.relation.value, link.confidence, link.origin.value) for link in stored] == [
        (first["relation"], 0.5, "extracted")
    ]


async def test_a_link_given_twice_in_one_batch_into_a_store_with_links_is_stored_as_last_given(
    store: GraphStore, synthetic: Path, tmp_path: Path
) -> None:
    await run_import(store, synthetic)
    link = json.loads(lines(synthetic / "links.ndjson")[0])
    given = [link | {"confidence": 0.9}, link | {"confidence": 0.4, "evidence": "Căn cứ Kế hoạch số 12-KH/TU"}]
    (tmp_path / "links.ndjson").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in given) + "\n", encoding="utf-8"
    )
    await run_import(store, tmp_path / "links.ndjson")
    stored = [
        found
        for found in await store.links(link["source"], LinkDirection.out, list(Relation))
        if found.target == link["target"]
    ]
    assert [(found.confidence, found.evidence) for found in stored] == [(0.4, given[1]["evidence"])]


BAD_INPUTS = [
    pytest.param("documents.ndjson", ['{"key": "1-nq-tw-2020"', ""], 1, "Invalid JSON", id="broken-json"),
    pytest.param(
        "documents.ndjson", ['{"key": "a-b", "symbol": "1-NQ/TW", "date": "2020-13-01"}'], 1, "date", id="bad-date"
    ),
    pytest.param(
        "links.ndjson",
        ["", '{"source": "a", "relation": "inspires", "target": "b"}'],
        2,
        "relation",
        id="unknown-relation",
    ),
    pytest.param("links.ndjson", ['{"source": "a", "relation": "cites"}'], 1, "target", id="missing-field"),
    pytest.param("links.csv", ["source,relation,target", "a,cites"], 2, "2 cells", id="csv-short-row"),
    pytest.param(
        "links.ndjson",
        ['{"source": "nowhere-1", "relation": "cites", "target": "nowhere-2"}'],
        1,
        "not found",
        id="unknown-document",
    ),
]


@pytest.mark.parametrize(("name", "content", "line", "says"), BAD_INPUTS)
async def test_bad_input_names_file_and_line_and_writes_nothing(
    store: GraphStore, tmp_path: Path, name: str, content: list[str], line: int, says: str
) -> None:
    path = tmp_path / name
    path.write_text("\n".join(content) + "\n", encoding="utf-8")
    before = await store.counts()
    with pytest.raises(BulkInputError) as failure:
        await run_import(store, path)
    assert (failure.value.path, failure.value.line) == (path, line)
    assert str(failure.value).startswith(f"{path}:{line}: ") and says in str(failure.value)
    assert await store.counts() == before


async def test_unknown_input_file_is_refused(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "notes.ndjson").write_text("{}\n", encoding="utf-8")
    with pytest.raises(LexgraphError, match=r"notes\.ndjson: cannot tell what it holds"):
        await run_import(store, tmp_path)


async def test_graphml_export_reads_back_as_the_graph(seeded: GraphStore, tmp_path: Path) -> None:
    counts = await seeded.counts()
    await run_export(seeded, ExportFormat.graphml, tmp_path / "graph.graphml")
    graph = nx.read_graphml(tmp_path / "graph.graphml", force_multigraph=True)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (counts.documents, counts.links)
    node = graph.nodes["43-kl-tw-2019"]
    assert (node["label"], node["symbol"], node["year"]) == ("43-KL/TW", "43-KL/TW", 2019)
    relations = Counter(data["relation"] for _, _, data in graph.edges(data=True))
    assert relations[Relation.implements] > 0 and sum(relations.values()) == counts.links


async def test_jsonld_export_uses_the_eli_vocabulary(seeded: GraphStore, tmp_path: Path) -> None:
    counts = await seeded.counts()
    await run_export(seeded, ExportFormat.jsonld, tmp_path / "graph.jsonld")
    data = json.loads((tmp_path / "graph.jsonld").read_text(encoding="utf-8"))
    context = data["@context"]
    assert context["eli"] == "http://data.europa.eu/eli/ontology#"
    for relation, eli_term in ELI_PROPERTIES.items():
        assert context[relation.value] == {"@id": eli_term, "@type": "@id"}
    assert {
        "eli:cites",
        "eli:based_on",
        "eli:ensures_implementation_of",
        "eli:amends",
        "eli:repeals",
        "eli:changes",
    } <= set(ELI_PROPERTIES.values())
    resources = [n for n in data["@graph"] if n.get("@type") == "LegalResource"]
    assert len(resources) == counts.documents
    link_nodes = [n for n in data["@graph"] if "@type" not in n and set(n) & {r.value for r in Relation}]
    assert len(link_nodes) == counts.links
    assert len([n for n in data["@graph"] if n.get("@type") == "Link"]) == counts.links
    plan = next(n for n in resources if n["@id"] == "doc:138-kh-tu-2019.thanh-hoa")
    assert plan["symbol"] == "138-KH/TU" and plan["issuer"].startswith("org:")
    assert {"@id": "doc:138-kh-tu-2019.thanh-hoa", "implements": "doc:43-kl-tw-2019"} in link_nodes


async def test_csv_export_parses_and_imports_into_a_fresh_store(seeded: GraphStore, tmp_path: Path) -> None:
    counts = await seeded.counts()
    await run_export(seeded, ExportFormat.csv, tmp_path / "csv")
    rows = {
        kind: list(csv.DictReader(io.StringIO((tmp_path / "csv" / f"{kind.value}.csv").read_text(encoding="utf-8"))))
        for kind in RecordKind
    }
    assert [len(rows[k]) for k in RecordKind] == [counts.organizations, counts.documents, counts.links]
    assert {r["relation"] for r in rows[RecordKind.links]} <= {r.value for r in Relation}
    again = await open_store(seeded.kind, tmp_path / "again")
    try:
        await run_import(again, tmp_path / "csv")
        assert await again.counts() == counts
        await run_export(again, ExportFormat.ndjson, tmp_path / "from-csv")
        await run_export(seeded, ExportFormat.ndjson, tmp_path / "from-store")
        for kind in RecordKind:  # the links' ids too, and so the ids a document's status names
            name = f"{kind.value}.ndjson"
            assert lines(tmp_path / "from-csv" / name) == lines(tmp_path / "from-store" / name), kind
    finally:
        await again.close()


# the embedded store's first load: indexes and search triggers set aside, rebuilt once

# What a store holds, table by table, and the schema objects it has; created_at is the time of the write.
STORED_STATE = {
    "documents": "SELECT * FROM documents ORDER BY key",
    "document_symbols": "SELECT * FROM document_symbols ORDER BY match_key, document_key",
    "links": (
        "SELECT source, relation, target, origin, evidence, confidence FROM links ORDER BY source, relation, target"
    ),
    "search_text": "SELECT key, text FROM document_search_text ORDER BY key",
    "document_json": "SELECT * FROM document_json ORDER BY key",
    "vocabulary": "SELECT term FROM document_search_vocabulary ORDER BY term",
    "schema": "SELECT type, name, sql FROM sqlite_master ORDER BY name",
    "set_aside": "SELECT * FROM import_deferred",
    "staged": "SELECT * FROM import_links_staged",
}
SEARCHED_WORDS = ["ke", "hoach", "thuc", "hien", "ket", "luan", "nghi", "quyet", "dan", "van"]


def stored_state(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(db) as conn:
        state = {name: conn.execute(sql).fetchall() for name, sql in STORED_STATE.items()}
        for word in SEARCHED_WORDS:  # the full-text index answers as the search text says
            state[f"match {word}"] = conn.execute(
                "SELECT t.key FROM document_search JOIN document_search_text t ON t.id = document_search.rowid "
                "WHERE document_search MATCH ? ORDER BY t.key",
                (word,),
            ).fetchall()
        conn.execute("INSERT INTO document_search (document_search) VALUES ('integrity-check')")
    return state


async def imported_state(synthetic: Path, db: Path, *, first_load: bool) -> dict[str, list[tuple[Any, ...]]]:
    store = SqliteStore(db)
    await store.open()
    await store.migrate()
    if not first_load:  # the ordinary path: every index and trigger in force while the rows go in
        store.begin_import = lambda kind: asyncio.sleep(0)  # type: ignore[method-assign]
    try:
        await run_import(store, synthetic, batch_size=400)
    finally:
        await store.close()
    return stored_state(db)


async def test_first_load_stores_what_the_ordinary_path_stores(synthetic: Path, tmp_path: Path) -> None:
    ordinary = await imported_state(synthetic, tmp_path / "ordinary.db", first_load=False)
    first = await imported_state(synthetic, tmp_path / "first.db", first_load=True)
    assert len(first["documents"]) == ROUND_TRIP_DOCUMENTS and first["vocabulary"] and first["match ke"]
    assert len(first["document_json"]) == ROUND_TRIP_DOCUMENTS
    assert any(row[1] == "links_target" for row in first["schema"]) and first["set_aside"] == []
    for name in ordinary:
        assert first[name] == ordinary[name], name


async def test_first_load_sets_aside_only_into_an_empty_table(synthetic: Path, tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    await store.open()
    await store.migrate()
    try:
        await run_import(store, synthetic / "organizations.ndjson")
        await run_import(store, synthetic / "documents.ndjson")
        await store.begin_import(RecordKind.documents)  # documents are there: nothing is set aside
        await store.begin_import(RecordKind.links)  # no links yet: their secondary indexes and triggers are
        set_aside = sorted(row[0] for row in stored_state(tmp_path / "s.db")["set_aside"])
        version_triggers = [
            f"{version}_links_{event}"
            for version in ("graph_version", "data_version")
            for event in ("delete", "insert", "update")
        ]
        assert set_aside == sorted(
            [*version_triggers, *RANK_LINK_TRIGGERS, "links_effects", "links_id", "links_queue", "links_target"]
        )
        versions = "SELECT (SELECT n FROM graph_version), (SELECT n FROM data_version)"
        before = sqlite3.connect(tmp_path / "s.db").execute(versions).fetchone()
        await store.end_import()
        assert stored_state(tmp_path / "s.db")["set_aside"] == []
        # The triggers' work for the whole load, as one bump of each version.
        after = sqlite3.connect(tmp_path / "s.db").execute(versions).fetchone()
        assert after == (before[0] + 1, before[1] + 1)
    finally:
        await store.close()


async def test_first_load_stages_links_and_moves_them_in_at_the_end(synthetic: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = SqliteStore(db)
    await store.open()
    await store.migrate()
    first, second = list(read_batches(InputFile(synthetic / "links.ndjson", RecordKind.links), 300))[:2]
    try:
        await run_import(store, synthetic / "organizations.ndjson")
        await run_import(store, synthetic / "documents.ndjson")
        await store.begin_import(RecordKind.links)
        await store.import_links(first.rows)
        assert (
            sqlite_count(db, "SELECT count(*) FROM links"),
            sqlite_count(db, "SELECT count(*) FROM import_links_staged"),
        ) == (0, 300)
        await store.end_import()
        assert (sqlite_count(db, "SELECT count(*) FROM links"), stored_state(db)["staged"]) == (300, [])
        await store.begin_import(RecordKind.links)  # links are there now: the next batch goes straight in
        await store.import_links(second.rows)
        assert sqlite_count(db, "SELECT count(*) FROM links") == 600
    finally:
        await store.close()
    triples = [row[:3] for batch in (first, second) for row in batch.rows]
    assert [row[:3] for row in stored_state(db)["links"]] == sorted(triples)


# the command line, on the embedded store


def cli(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"LEXGRAPH_STORE": "sqlite", "LEXGRAPH_SQLITE_PATH": str(db)}
    return subprocess.run(
        [str(LEXGRAPH), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=True
    )


def test_cli_synth_import_export_10000_keeps_the_counts(tmp_path: Path) -> None:
    """The issue's must-show: synth --documents 10000 --seed 1 into A, import A, export B."""
    db = tmp_path / "fresh.db"
    cli("synth", "--documents", "10000", "--seed", "1", "--out", "A", db=db, cwd=tmp_path)
    imported = cli("import", "A", db=db, cwd=tmp_path)
    assert "10000 documents" in imported.stdout
    cli("export", "--format", "ndjson", "--out", "B", db=db, cwd=tmp_path)
    for name in ("documents.ndjson", "links.ndjson", "organizations.ndjson"):
        assert len(lines(tmp_path / "B" / name)) == len(lines(tmp_path / "A" / name)), name
    assert len(lines(tmp_path / "B" / "documents.ndjson")) == 10_000


def sqlite_count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_killed_import_resumes_without_duplicates(synthetic: Path, tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    env = os.environ | {"LEXGRAPH_STORE": "sqlite", "LEXGRAPH_SQLITE_PATH": str(db)}
    importing = subprocess.Popen(
        [str(LEXGRAPH), "import", str(synthetic), "--batch-size", "20"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    links_source = str((synthetic / "links.ndjson").resolve())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and importing.poll() is None:
        if db.exists():
            try:
                if sqlite_count(db, f"SELECT count(*) FROM import_checkpoints WHERE source = '{links_source}'"):
                    break
            except sqlite3.OperationalError:  # not migrated yet, or locked for a moment
                pass
        time.sleep(0.01)
    importing.send_signal(signal.SIGKILL)
    importing.wait()
    total = len(lines(synthetic / "links.ndjson"))
    # stopped in a first load: the links committed so far are staged, to be moved into links at the end
    assert sqlite_count(db, "SELECT count(*) FROM links") == 0
    partial = sqlite_count(db, "SELECT count(*) FROM import_links_staged")
    assert 0 < partial < total, "the import was not stopped midway"
    assert partial % 20 == 0  # only whole batches committed
    # and what it set aside is recorded, to be restored
    assert (
        sqlite_count(
            db, "SELECT count(*) FROM import_deferred WHERE name IN ('links_target', 'documents_search_insert')"
        )
        == 2
    )
    assert not sqlite_count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'links_target'")

    subprocess.run([str(LEXGRAPH), "import", str(synthetic)], env=env, check=True, capture_output=True, timeout=300)
    assert sqlite_count(db, "SELECT count(*) FROM links") == total
    assert sqlite_count(db, "SELECT count(*) FROM documents") == ROUND_TRIP_DOCUMENTS
    assert sqlite_count(db, "SELECT count(*) FROM (SELECT DISTINCT source, relation, target FROM links)") == total
    assert sqlite_count(db, "SELECT count(*) FROM import_links_staged") == 0
    restored = stored_state(db)
    assert restored["set_aside"] == []
    fresh = tmp_path / "fresh.db"
    subprocess.run([str(LEXGRAPH), "migrate"], env=env | {"LEXGRAPH_SQLITE_PATH": str(fresh)}, check=True, timeout=120)
    assert [row[:2] for row in restored["schema"]] == [row[:2] for row in stored_state(fresh)["schema"]]
    assert len(restored["search_text"]) == ROUND_TRIP_DOCUMENTS and restored["match ke"]


def test_progress_shows_rate_and_eta(synthetic: Path, tmp_path: Path) -> None:
    env = os.environ | {"LEXGRAPH_STORE": "sqlite", "LEXGRAPH_SQLITE_PATH": str(tmp_path / "p.db"), "COLUMNS": "160"}
    done = subprocess.run(
        [str(LEXGRAPH), "import", str(synthetic)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "links.ndjson" in done.stderr and "/s" in done.stderr and "eta" in done.stderr


def test_cli_import_gives_each_batch_the_bulk_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch is one long transaction: the import runs it under LEXGRAPH_NEO4J_BULK_TIMEOUT, not the API's timeout."""
    from typer.testing import CliRunner

    from app import cli as cli_module
    from app.commands import bulk as bulk_command
    from app.settings import get_settings

    seen: list[float] = []
    with_store = bulk_command.with_store

    async def capture(settings: Any, work: Any) -> Any:
        seen.append(settings.neo4j_query_timeout)
        return await with_store(settings, work)

    monkeypatch.setenv("LEXGRAPH_STORE", "sqlite")
    monkeypatch.setenv("LEXGRAPH_SQLITE_PATH", str(tmp_path / "bulk.db"))
    monkeypatch.setenv("LEXGRAPH_NEO4J_QUERY_TIMEOUT", "3")
    monkeypatch.setenv("LEXGRAPH_NEO4J_BULK_TIMEOUT", "321")
    get_settings.cache_clear()
    monkeypatch.setattr(bulk_command, "with_store", capture, raising=True)
    synthesize(tmp_path / "A", 50, seed=2)
    try:
        result = CliRunner().invoke(cli_module.cli, ["import", str(tmp_path / "A")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert seen == [321.0]

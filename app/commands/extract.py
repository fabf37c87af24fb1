"""``lexgraph extract`` and ``lexgraph eval``: citation extraction from a text file, and its scores on gold files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graph.extract import Extraction, extract
from graph.extract.evaluate import Counts, evaluate


def extract_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="a UTF-8 text (or HTML) file")],
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", help="the text's jurisdiction, e.g. thanh-hoa")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Extract the own document, references, links, anomalies and obligations of a text."""
    extraction = extract(file.read_text(encoding="utf-8"), jurisdiction=jurisdiction)
    if as_json:
        typer.echo(json.dumps(extraction.to_dict(), ensure_ascii=False))
    else:
        _print_extraction(extraction)


def eval_command(
    gold_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="a folder of *.gold.json files")],
    text_dir: Annotated[
        Path | None, typer.Argument(exists=True, file_okay=False, help="the texts' folder; default: gold_dir")
    ] = None,
) -> None:
    """Reference and link precision, recall and F1 of extraction on gold files (micro-averaged)."""
    report = evaluate(gold_dir, text_dir)
    table = Table(title=f"Extraction on {len(report.files)} gold file(s)")
    for column in ("file", "kind", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column in ("file", "kind") else "right")
    rows = [*report.files, ("total", report.total)]
    for name, scores in rows:
        for kind, counts in (("references", scores.references), ("links", scores.links)):
            table.add_row(name, kind, *_score_cells(counts))
    console = Console()
    console.print(table)
    for line in report.total.missed:
        console.print(f"missed: {line}", markup=False)
    for line in report.total.extra:
        console.print(f"extra: {line}", markup=False)


def _score_cells(counts: Counts) -> list[str]:
    return [
        f"{counts.precision:.3f}",
        f"{counts.recall:.3f}",
        f"{counts.f1:.3f}",
        *map(str, (counts.tp, counts.fp, counts.fn)),
    ]


def _print_extraction(extraction: Extraction) -> None:
    console = Console()
    document = extraction.document
    if document is None:
        console.print("Own document: none")
    else:
        console.print(f"Own document: {document.symbol or '(no symbol)'} {document.type or ''}", markup=False)
        for label, value in (("date", document.date), ("issuer", document.issuer), ("title", document.title)):
            if value:
                console.print(f"  {label}: {value}", markup=False)
    references = Table(title=f"References ({len(extraction.references)})")
    for column in ("symbol", "type", "date", "issuer", "term", "resolution", "anomalies"):
        references.add_column(column)
    for ref in extraction.references:
        references.add_row(
            " / ".join((ref.symbol, *ref.aliases)),
            ref.type or "",
            ref.date.isoformat() if ref.date else "",
            ref.issuer or "",
            ref.term or "",
            ref.resolution.key or ref.resolution.status,
            ", ".join(ref.anomalies),
        )
    console.print(references)
    links = Table(title=f"Links ({len(extraction.links)})")
    for column in ("source", "relation", "target", "confidence", "evidence"):
        links.add_column(column)
    for link in extraction.links:
        links.add_row(link.source or "(own)", link.relation.value, link.target, f"{link.confidence:.2f}", link.evidence)
    console.print(links)
    for named in extraction.named_references:
        console.print(f"Named: {named.name} ({named.resolution.status})", markup=False)
    for anomaly in extraction.anomalies:
        console.print(f"Anomaly {anomaly.kind}: {anomaly.message}", markup=False)
    for obligation in extraction.obligations:
        console.print(
            f"Obligation ({obligation.status}): {'; '.join(obligation.units)} → {obligation.action} "
            f"{obligation.relation.value} {', '.join(obligation.targets)}",
            markup=False,
        )

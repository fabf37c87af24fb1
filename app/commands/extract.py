"""``lexgraph extract`` and ``lexgraph eval``: citation extraction from a text file, and its scores on gold files."""

from __future__ import annotations

import json
import subprocess
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
    gold_dir: Annotated[Path, typer.Argument(file_okay=False, help="a folder of *.gold.json files")],
    text_dir: Annotated[
        Path | None, typer.Argument(exists=True, file_okay=False, help="the texts' folder; default: gold_dir")
    ] = None,
    split: Annotated[str | None, typer.Option("--split", help="only gold files of this split: dev, heldout")] = None,
) -> None:
    """Reference, title, link precision, recall and F1 and relation accuracy of extraction on gold files."""
    found = locate_folder(gold_dir)
    if found is None:
        raise typer.BadParameter(f"no folder {gold_dir} (looked beside this checkout and its origin too)")
    report = evaluate(found, text_dir, split=split)
    table = Table(title=f"Extraction on {len(report.files)} gold file(s)")
    for column in ("file", "kind", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column in ("file", "kind") else "right")
    rows = [*report.files, ("total", report.total)]
    for name, scores in rows:
        kinds = [("references", scores.references), ("titles", scores.titles), ("links", scores.links)]
        for kind, counts in kinds:
            if counts.tp or counts.fp or counts.fn or kind != "titles":
                table.add_row(name, kind, *_score_cells(counts))
    console = Console()
    console.print(table)
    console.print(f"relation accuracy: {report.total.relation_accuracy:.3f}", markup=False)
    for line in report.total.missed:
        console.print(f"missed: {line}", markup=False)
    for line in report.total.extra:
        console.print(f"extra: {line}", markup=False)


def locate_folder(folder: Path, root: Path | None = None) -> Path | None:
    """``folder`` as given, else relative to the checkout ``root`` (this one), else to the one it was cloned from.

    A fresh clone of a local repository has no ``../shared`` beside it; its ``origin`` checkout does.
    """
    if folder.is_dir():
        return folder
    if folder.is_absolute():
        return None
    root = root or Path(__file__).resolve().parents[2]
    for base in (root, _origin_checkout(root)):
        if base is not None and (base / folder).is_dir():
            return (base / folder).resolve()
    return None


def _origin_checkout(root: Path) -> Path | None:
    try:
        url = subprocess.run(
            ["git", "-C", str(root), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    origin = Path(url.removeprefix("file://")) if url and "://" not in url.removeprefix("file://") else None
    return origin if origin is not None and origin.is_dir() else None


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

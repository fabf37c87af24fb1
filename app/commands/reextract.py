"""``lexgraph reextract``: the current extractor over the stored texts, review decisions kept."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import asdict
from typing import Annotated

import orjson
import typer

from app.deps import with_store
from app.settings import get_settings
from graph.usecases.reextract import reextract


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise typer.BadParameter("expected a day as YYYY-MM-DD") from e


def reextract_command(
    since: Annotated[
        dt.date | None,
        typer.Option("--since", parser=_day, help="only texts stored on or after this day (YYYY-MM-DD)"),
    ] = None,
) -> None:
    """Extract the stored texts again: new links proposed, new evidence added, every review decision kept."""
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC) if since else None
    report = asyncio.run(with_store(get_settings(), lambda store: reextract(store, start)))
    typer.echo(orjson.dumps(asdict(report)).decode())
    raise typer.Exit(1 if report.failed else 0)

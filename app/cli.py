"""The ``lexgraph`` command line."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from app.commands.audit import audit_command
from app.commands.bulk import export_command, import_command, synth_command
from app.commands.extract import eval_command, extract_command
from app.commands.ingest import ingest_command
from app.commands.keys import keys_app
from app.commands.reextract import reextract_command
from app.deps import build_store, with_store
from app.settings import get_settings
from graph.seeds import load_seeds

cli = typer.Typer(no_args_is_help=True, help="lexgraph: a knowledge graph of Vietnamese Party and State documents")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to bind")] = 8000,
    workers: Annotated[int, typer.Option(help="worker processes")] = 1,
) -> None:
    """Serve the API; an empty store is seeded first."""
    settings = get_settings()
    trusted = settings.trusted_proxies.strip()
    # Forwarded headers are believed only from the proxies named: anyone else could rotate them past the rate limit.
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop=settings.event_loop.for_server(workers, settings.store),
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )


@cli.command()
def load(
    directory: Annotated[
        Path | None, typer.Argument(exists=True, file_okay=False, help="default: LEXGRAPH_SEEDS_DIR")
    ] = None,
) -> None:
    """Load seed files (organizations, documents, links) into the configured store; idempotent."""
    settings = get_settings()
    counts = asyncio.run(with_store(settings, lambda store: load_seeds(store, directory or settings.seeds_dir)))
    typer.echo(
        f"{settings.store}: {counts.documents} documents, {counts.links} links, {counts.organizations} organizations"
    )


@cli.command()
def migrate() -> None:
    """Apply pending schema migrations to the configured store."""

    async def run() -> None:
        store = build_store(get_settings())
        await store.open()
        try:
            applied = await store.migrate()
        finally:
            await store.close()
        typer.echo(f"{store.kind}: schema up to date" + (f"; applied {', '.join(applied)}" if applied else ""))

    asyncio.run(run())


cli.command("audit")(audit_command)
cli.command("extract")(extract_command)
cli.command("ingest")(ingest_command)
cli.command("eval")(eval_command)
cli.command("synth")(synth_command)
cli.command("import")(import_command)
cli.command("export")(export_command)
cli.command("reextract")(reextract_command)
cli.add_typer(keys_app, name="keys")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()

"""A unit of work run again after the store reports a deadlock with another write."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import StoreBusyError
from graph.models import Organization, SourceText
from graph.seeds import load_seeds
from graph.stores.sqlite import SqliteStore
from graph.usecases.ingest import IngestReport, ingest_text
from graph.usecases.units import ATTEMPTS, in_one_unit
from tests.test_ingest import PLAN_TEXT

pytestmark = pytest.mark.contract


@pytest.mark.parametrize(("busy", "written"), [(0, True), (1, True), (ATTEMPTS - 1, True), (ATTEMPTS, False)])
async def test_a_busy_store_runs_the_unit_again(tmp_path: Path, busy: int, written: bool) -> None:
    store = SqliteStore(tmp_path / "u.db")
    await store.open()
    await store.migrate()
    calls = 0

    async def work() -> int:
        nonlocal calls
        calls += 1
        await store.upsert_organizations([Organization(key=f"u{calls}", name="Xã", kind="commune", level="commune")])
        if calls <= busy:
            raise StoreBusyError("deadlock")
        return calls

    try:
        if written:
            assert await in_one_unit(store, work) == busy + 1
        else:
            with pytest.raises(StoreBusyError):
                await in_one_unit(store, work)
        # Only the attempt that finished left its write: the others were rolled back.
        kept = [o.key for o in await store.list_organizations()]
        assert kept == ([f"u{busy + 1}"] if written else [])
    finally:
        await store.close()


async def seeded_store(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    await store.open()
    await store.migrate()
    await load_seeds(store, units=True)
    return store


def written(report: IngestReport) -> tuple[object, ...]:
    """What a report says was written, without the ids and times a write gives."""
    return (
        report.text_id,
        report.text_created,
        report.document.key if report.document else None,
        report.documents_created,
        report.documents_updated,
        sorted((link.source, link.relation, link.target) for link in report.links_created),
        report.links_existing,
        report.skipped,
    )


async def test_an_ingest_that_met_a_deadlock_is_written_again_from_the_start(tmp_path: Path) -> None:
    """The store refuses the text's last write once: the whole text is written again, and the report and the
    graph are those of an ingest that met nothing."""
    clean, retried = await seeded_store(tmp_path / "clean.db"), await seeded_store(tmp_path / "retried.db")
    put_text = retried.put_text
    refusals = 0

    async def refused_once(text: SourceText) -> bool:
        nonlocal refusals
        if refusals == 0:
            refusals += 1
            raise StoreBusyError("deadlock")
        return await put_text(text)

    retried.put_text = refused_once  # type: ignore[method-assign]
    try:
        expected = await ingest_text(clean, PLAN_TEXT, "Nghệ An")
        report = await ingest_text(retried, PLAN_TEXT, "Nghệ An")
        assert refusals == 1
        assert report.links_created and written(report) == written(expected)
        assert (await retried.counts()) == (await clean.counts())
    finally:
        await clean.close()
        await retried.close()

"""The audit as an inspection office uses it, over HTTP on both stores: on time, late, due soon, the trend, every
unit down to the commune, reports to open in a spreadsheet, the Monday list and dated snapshots."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook
from typer.testing import CliRunner

from app.cli import cli
from app.main import create_app
from app.settings import get_settings
from graph.audit import AuditReport
from graph.audit_snapshots import AuditSnapshotInfo
from graph.models import Level
from graph.seeds import load_seeds
from graph.stores.sqlite import SqliteStore
from graph.usecases.audit import take_snapshot
from tests.conftest import STORE_KINDS, WRITE_HEADERS, app_settings, open_store

pytestmark = [pytest.mark.contract, pytest.mark.api]

DEADLINE = "2025-10-31"
ON_TIME = ("15-KH/TU", "nghe-an.btv", "2025-10-01")  # a month before the deadline
LATE = ("20-KH/TU", "thanh-hoa.btv", "2025-11-20")  # 20 days after it


@pytest.fixture(params=STORE_KINDS)
async def client(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The API on a fresh store of each kind, seeded at startup (without districts and communes)."""
    if request.param == "neo4j":
        await (await open_store("neo4j", tmp_path)).close()
    app = create_app(app_settings(request.param, tmp_path))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as test_client:
            yield test_client


async def _post(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(url, json=body, headers=WRITE_HEADERS)
    assert response.status_code == (200 if url.endswith("/obligations") else 201), response.text
    result: dict[str, Any] = response.json()
    return result


async def _central_document(client: httpx.AsyncClient) -> str:
    """A central conclusion obliging every province to make a plan by DEADLINE; one plan on time, one late."""
    source = await _post(client, "/documents", {"symbol": "77-KL/TW", "date": "2025-08-15", "issuer": "ban-bi-thu"})
    await _post(client, f"/documents/{source['key']}/obligations", {"level": "province", "deadline": DEADLINE})
    for symbol, issuer, date in (ON_TIME, LATE):
        plan = await _post(client, "/documents", {"symbol": symbol, "date": date, "issuer": issuer})
        await _post(client, "/links", {"source": plan["key"], "relation": "implements", "target": source["key"]})
    return str(source["key"])


async def _audit(client: httpx.AsyncClient, url: str, **params: str) -> dict[str, Any]:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_one_on_time_one_late_the_rest_overdue(client: httpx.AsyncClient) -> None:
    key = await _central_document(client)
    report = await _audit(client, "/audit/implementation", document=key, as_of="2025-12-31")
    rows = {r["organization"]["key"]: r for r in report["rows"]}
    assert rows["nghe-an"]["status"] == "implemented_on_time" and rows["nghe-an"]["delay_days"] is None
    assert (rows["thanh-hoa"]["status"], rows["thanh-hoa"]["delay_days"]) == ("implemented_late", 20)
    assert rows["thanh-hoa"]["implemented_on"] == LATE[2]
    others = [r for k, r in rows.items() if k not in ("nghe-an", "thanh-hoa")]
    assert {r["status"] for r in others} == {"overdue"} and {r["delay_days"] for r in others} == {61}
    s = report["summary"]
    counts = [s[k] for k in ("implemented_on_time", "implemented_late", "implemented", "not_due", "overdue", "missing")]
    assert counts == [1, 1, 0, 0, 32, 0] and sum(counts) == s["expected"] == len(rows) == 34
    assert s["deficit_percent"] == round(100 * 32 / 34, 1) and s["on_time_percent"] == round(100 / 34, 1)
    assert s["delay_days"] == 20 + 32 * 61 and s["delay_months_total"] == round((20 + 32 * 61) / 30.44, 1)
    assert s["overdue_over_year"] == 0 and s["rating"] == "red" and s["warnings"] == []

    summary = await _audit(client, "/audit/summary", as_of="2025-12-31", sort="name")
    assert summary["summary"]["expected"] == 34 and [d["key"] for d in summary["documents"]] == [key]
    scores = {i["organization"]["key"]: i["summary"] for i in summary["items"]}
    assert (scores["thanh-hoa"]["implemented_late"], scores["thanh-hoa"]["rating"]) == (1, "green")
    assert scores["ha-tinh"]["rating"] == "red"
    lenient = await _audit(client, "/audit/summary", as_of="2025-12-31", red="100", red_overdue_days="365")
    assert lenient["summary"]["rating"] == "amber" and lenient["thresholds"]["red_above"] == 100


@pytest.mark.parametrize(
    ("as_of", "within", "due_soon"),
    # Nghệ An's plan of 1 October is on time; before it, every province is not yet due.
    [("2025-10-15", "30", 33), ("2025-09-01", "30", 0), ("2025-09-01", "60", 34), ("2025-10-31", "0", 33)],
)
async def test_due_soon_before_the_deadline(client: httpx.AsyncClient, as_of: str, within: str, due_soon: int) -> None:
    key = await _central_document(client)
    report = await _audit(client, "/audit/implementation", document=key, as_of=as_of, within=within)
    assert report["summary"]["not_due"] == (34 if as_of < ON_TIME[2] else 33)
    assert report["summary"]["due_soon"] == due_soon
    days_left = (dt.date.fromisoformat(DEADLINE) - dt.date.fromisoformat(as_of)).days
    assert {r["days_left"] for r in report["rows"] if r["status"] == "not_due"} == {days_left}
    due = await _audit(client, "/audit/due", as_of=as_of, within=within)
    assert (due["due_soon"], due["overdue"], due["total"]) == (due_soon, 0, due_soon)
    assert all(i["document"] == key and i["days_left"] == days_left for i in due["items"])


async def test_the_monday_list_of_overdue_units(client: httpx.AsyncClient) -> None:
    key = await _central_document(client)
    due = await _audit(client, "/audit/due", as_of="2025-12-31", limit="10")
    assert (due["overdue"], due["due_soon"], due["total"], due["next"]) == (32, 0, 32, 10)
    assert len(due["items"]) == 10 and due["items"][0]["state"] == "overdue" and due["items"][0]["delay_days"] == 61
    last = await _audit(client, "/audit/due", as_of="2025-12-31", limit="10", offset="30")
    assert len(last["items"]) == 2 and last["next"] is None
    assert {i["organization"]["key"] for i in last["items"]} <= {
        i["organization"]["key"] for i in (await _audit(client, "/audit/due", as_of="2025-12-31", limit="100"))["items"]
    }
    assert all(i["document"] == key for i in last["items"])


async def test_compare_to_names_the_unit_that_changed(client: httpx.AsyncClient) -> None:
    key = await _central_document(client)
    report = await _audit(client, "/audit/implementation", document=key, as_of="2025-11-30", compare_to="2025-11-10")
    assert report["changes"] == [
        {
            "document": None,
            "organization": "thanh-hoa",
            "name": "Tỉnh Thanh Hóa",
            "from": "overdue",
            "to": "implemented_late",
        }
    ]
    shown = (round(100 * 32 / 34, 1), round(100 * 33 / 34, 1))  # the change between the deficits as shown
    assert report["deficit_change"] == round(shown[0] - shown[1], 1) and report["compare_to"] == "2025-11-10"
    summary = await _audit(client, "/audit/summary", as_of="2025-11-30", compare_to="2025-11-10")
    assert [(c["document"], c["organization"]) for c in summary["changes"]] == [(key, "thanh-hoa")]
    before = await _audit(client, "/audit/implementation", document=key, as_of="2025-11-30", compare_to="2025-10-15")
    assert Counter((c["from"], c["to"]) for c in before["changes"]) == {
        ("not_due", "overdue"): 32,
        ("not_due", "implemented_late"): 1,
    }
    early = await client.get("/audit/implementation", params={"document": key, "compare_to": "2025-01-01"})
    assert early.status_code == 422


async def test_reports_to_open_in_a_spreadsheet(client: httpx.AsyncClient) -> None:
    key = await _central_document(client)
    params = {"document": key, "as_of": "2025-12-31"}
    csv_response = await client.get("/audit/implementation", params=params | {"format": "csv"})
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    disposition = csv_response.headers["content-disposition"]
    assert disposition == f'attachment; filename="audit-{key}-province-2025-12-31.csv"'
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["Mã đơn vị", "Tên đơn vị", "Cấp", "Tình trạng"] and len(lines) == 35
    summary_csv = await client.get("/audit/summary", params={"as_of": "2025-12-31", "format": "csv"})
    assert summary_csv.content.startswith(b"\xef\xbb\xbf") and "filename=" in summary_csv.headers["content-disposition"]
    assert len(list(csv.reader(io.StringIO(summary_csv.content.decode("utf-8-sig"))))) == 35

    xlsx = await client.get("/audit/implementation", params=params | {"format": "xlsx"})
    assert xlsx.headers["content-disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Tổng hợp", "Chi tiết"]
    rows = list(book["Chi tiết"].iter_rows(values_only=True))
    assert len(rows) == 35 and book["Chi tiết"].freeze_panes == "A2"
    late = next(r for r in rows if r[0] == "thanh-hoa")
    assert late[4] == "implemented_late" and late[5] == dt.datetime(2025, 10, 31) and late[7] == 20
    summary_book = load_workbook(io.BytesIO((await client.get("/audit/summary", params={"format": "xlsx"})).content))
    assert summary_book.sheetnames == ["Tổng hợp", "Đơn vị"]


@pytest.fixture(params=STORE_KINDS, scope="module")
async def units_client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[httpx.AsyncClient]:
    """The API with every district and commune seeded, once per store for the tests that only read it."""
    tmp_path = tmp_path_factory.mktemp("units")
    if request.param == "neo4j":
        await (await open_store("neo4j", tmp_path)).close()
    app = create_app(app_settings(request.param, tmp_path, load_units=True))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as test_client:
            yield test_client


@pytest.mark.parametrize(
    ("params", "expected", "warning"),
    [
        ({"level": "commune", "parent": "nghe-an", "as_of": "2026-01-15"}, 130, None),
        ({"level": "commune", "parent": "thanh-hoa", "as_of": "2026-01-15"}, 166, None),
        ({"level": "district", "as_of": "2026-01-15"}, 0, "no_units"),
        ({"level": "district", "as_of": "2025-06-30"}, 696, None),
        ({"level": "commune", "parent": "nghe-an", "as_of": "2025-06-30"}, 0, "no_units"),
    ],
)
async def test_every_unit_down_to_the_commune(
    units_client: httpx.AsyncClient, params: dict[str, str], expected: int, warning: str | None
) -> None:
    report = await _audit(units_client, "/audit/implementation", document="43-kl-tw-2019", **params)
    assert report["summary"]["expected"] == len(report["rows"]) == expected
    codes = [w["code"] for w in report["summary"]["warnings"]]
    assert (warning in codes) if warning else "no_units" not in codes
    assert report["summary"]["rating"] == (None if expected == 0 else "red")


@pytest.fixture(params=STORE_KINDS)
async def app_and_client(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The API without districts and communes, and the app, whose store a test writes snapshots to."""
    if request.param == "neo4j":
        await (await open_store("neo4j", tmp_path)).close()
    app = create_app(app_settings(request.param, tmp_path))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as test_client:
            yield app, test_client


async def test_snapshots_keep_what_was_published(app_and_client: tuple[FastAPI, httpx.AsyncClient]) -> None:
    app, client = app_and_client
    store = app.state.store
    taken = [
        await take_snapshot(store, "43-kl-tw-2019", level=Level.province, as_of=day, parent=None, taken_at=at)
        for day, at in (
            (dt.date(2019, 12, 31), dt.datetime(2020, 1, 2, tzinfo=dt.UTC)),
            (dt.date(2019, 6, 30), dt.datetime(2020, 1, 3, tzinfo=dt.UTC)),
        )
    ]
    listed = (await _audit(client, "/audit/snapshots", document="43-kl-tw-2019"))["items"]
    assert [s["as_of"] for s in listed] == ["2019-06-30", "2019-12-31"]
    assert listed[1]["summary"]["expected"] == 63 and {s["id"] for s in listed} == {t.id for t in taken}
    assert "report" not in listed[0]
    kept = await _audit(client, f"/audit/snapshots/{taken[0].id}")
    assert AuditReport.model_validate(kept["report"]) == taken[0].report and kept["taken_at"].startswith("2020-01-02")
    assert (await _audit(client, "/audit/snapshots", document="other"))["items"] == []
    assert (await client.get("/audit/snapshots/snap-0000000000000000")).status_code == 404
    assert (await client.get("/audit/snapshots/nope")).status_code == 422
    await load_seeds(store, units=False)  # a later load leaves snapshots as they were
    assert len((await _audit(client, "/audit/snapshots"))["items"]) == 2


def test_cli_snapshot_and_xlsx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEXGRAPH_STORE", "sqlite")
    monkeypatch.setenv("LEXGRAPH_SQLITE_PATH", str(tmp_path / "cli.db"))
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        assert runner.invoke(cli, ["load"]).exit_code == 0
        out = tmp_path / "audit.xlsx"
        made = runner.invoke(cli, ["audit", "43-KL/TW", "--as-of", "2019-12-31", "--format", "xlsx", "--out", str(out)])
        assert made.exit_code == 0, made.output
        rows = list(load_workbook(out)["Chi tiết"].iter_rows(values_only=True))
        assert len(rows) == 64 and ("thanh-hoa", "Tỉnh Thanh Hóa") in [r[:2] for r in rows]
        assert runner.invoke(cli, ["audit", "43-KL/TW", "--format", "xlsx"]).exit_code == 1
        taken = runner.invoke(cli, ["audit", "snapshot", "43-KL/TW", "--as-of", "2019-12-31"])
        assert taken.exit_code == 0 and taken.stdout.startswith("snap-") and "2019-12-31" in taken.stdout
        listed = asyncio.run(_snapshots(tmp_path / "cli.db"))
        assert [(s.id, s.summary.expected) for s in listed] == [(taken.stdout.split("\t")[0], 63)]
    finally:
        get_settings.cache_clear()


async def _snapshots(path: Path) -> list[AuditSnapshotInfo]:
    store = SqliteStore(path)
    await store.open()
    try:
        return await store.list_audit_snapshots()
    finally:
        await store.close()

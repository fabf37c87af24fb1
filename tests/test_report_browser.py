"""The printable audit report page end to end: the API under uvicorn, Debian's Chromium driven by Playwright.

The data is written over HTTP in the test: a central directive with a province deadline, one province's plan
on time, one 20 days late, the rest overdue. The page is checked at desktop and phone sizes, with axe-core
(tests/vendor/axe-core, MPL-2.0, injected by the test only) for serious or critical violations, for requests
to any other host, and printed to PDF (artifacts/audit-report.pdf).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, Route, ViewportSize, expect

from tests import test_widget_browser
from tests.conftest import STORE_KINDS, WRITE_HEADERS, WRITE_KEY, open_store
from tests.test_widget_browser import ARTIFACTS, ROOT, Server, browser, chromium_path, serve_api

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
__all__ = ["browser"]  # the Chromium fixture, shared with the widget's tests

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
STATIC = ROOT / "app" / "static"
DIRECTIVE = "95-ct-tw-2025"
DEADLINE = dt.date(2025, 10, 31)
AS_OF = dt.date(2026, 3, 1)
ON_TIME, LATE = "nghe-an", "thanh-hoa"
PLANS = [  # (issuer, symbol, date): Nghệ An on time, Thanh Hóa 20 days late
    ("nghe-an.btv", "41-KH/TU", DEADLINE - dt.timedelta(days=16)),
    ("thanh-hoa.btv", "42-KH/TU", DEADLINE + dt.timedelta(days=20)),
]
SIZES: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BLOCKING = ("serious", "critical")
# Seeding at startup on a busy machine can take longer than the widget's tests allow.
STARTUP_SECONDS = 240
LOAD_MS = 60_000


def post(client: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body, headers=WRITE_HEADERS)
    assert response.status_code == (200 if path.endswith("/obligations") else 201), response.text
    result: dict[str, Any] = response.json()
    return result


def load_audit_data(base: str) -> None:
    """The directive, its province obligation and the two provincial plans implementing it."""
    with httpx.Client(base_url=base, timeout=30) as client:
        directive = {
            "symbol": "95-CT/TW",
            "type": "Chỉ thị",
            "date": "2025-08-01",
            "issuer": "ban-bi-thu",
            "title": "Chỉ thị thử nghiệm báo cáo kiểm tra",
        }
        assert post(client, "/documents", directive)["key"] == DIRECTIVE
        post(client, f"/documents/{DIRECTIVE}/obligations", {"level": "province", "deadline": DEADLINE.isoformat()})
        for issuer, symbol, day in PLANS:
            plan = post(
                client, "/documents", {"symbol": symbol, "type": "Kế hoạch", "date": day.isoformat(), "issuer": issuer}
            )
            post(client, "/links", {"source": plan["key"], "relation": "implements", "target": DIRECTIVE})


async def _wipe(kind: str, tmp_path: Path) -> None:
    await (await open_store(kind, tmp_path)).close()


@pytest.fixture(scope="module", params=STORE_KINDS)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The API on a fresh seeded store of each kind (no communes), holding the audit data; one per module,
    since starting and seeding it is the slow part."""
    chromium_path()
    tmp_path = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LEXGRAPH_API_KEYS", WRITE_KEY)
        env.setenv("LEXGRAPH_LOAD_UNITS", "false")
        env.setattr(test_widget_browser, "STARTUP_SECONDS", STARTUP_SECONDS)
        if request.param == "neo4j":
            asyncio.run(_wipe("neo4j", tmp_path))  # so that startup seeds it
        with serve_api(request.param, tmp_path) as server:
            load_audit_data(server.base)
            yield server


def report_url(base: str, **extra: str) -> str:
    query = {"document": DIRECTIVE, "level": "province", "as_of": AS_OF.isoformat(), **extra}
    return f"{base}/audit/report?" + "&".join(f"{k}={v}" for k, v in query.items())


async def open_report(browser: Browser, url: str, size: str, hosts: list[str], errors: list[str]) -> Page:
    page = await browser.new_page(viewport=SIZES[size], locale="vi-VN")
    page.on("request", lambda request: hosts.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(15_000)
    await page.goto(url)
    # The first audit on a cold store under load can take a while; after it, the page draws at once.
    await expect(page.locator("section[aria-labelledby=bars-h]")).to_be_visible(timeout=LOAD_MS)
    return page


async def blocking_violations(page: Page) -> list[dict[str, Any]]:
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("size", list(SIZES))
async def test_report_page_draws_the_audit(api: Server, browser: Browser, size: str) -> None:
    hosts: list[str] = []
    errors: list[str] = []
    page = await open_report(browser, report_url(api.base), size, hosts, errors)

    await expect(page.locator("h1")).to_contain_text("95-CT/TW")
    tiles = page.locator(".map svg g[data-key]")
    await expect(tiles).to_have_count(34)
    await expect(page.locator(f".map g[data-key='{ON_TIME}']")).to_have_attribute("data-state", "implemented_on_time")
    await expect(page.locator(f".map g[data-key='{LATE}']")).to_have_attribute("data-state", "implemented_late")
    await expect(page.locator(f"table.rows tr[data-key='{LATE}'] td.num").first).to_have_text("20")
    await expect(page.locator(".map g[data-key='ha-noi']")).to_have_attribute("data-state", "overdue")
    await expect(page.locator(".legend li[data-state=overdue] .label")).to_have_text("Quá hạn")
    await expect(page.locator(".legend li[data-state=overdue] .swatch")).to_have_text("!")  # the mark on the map

    # 32 overdue, listed with their deadline and delay; the bars add up to the 34 expected.
    overdue = page.locator("table.overdue tbody tr")
    await expect(overdue).to_have_count(32)
    ha_noi = page.locator("table.overdue tr[data-key='ha-noi']")
    await expect(ha_noi).to_contain_text(DEADLINE.strftime("%d/%m/%Y"))
    await expect(ha_noi.locator("td.num")).to_have_text(str((AS_OF - DEADLINE).days))
    counts = [int(c) for c in await page.locator(".bars .count").all_text_contents()]
    assert counts == [1, 1, 0, 0, 32, 0]  # on time, late, no deadline, not due, overdue, missing
    await expect(page.locator("[data-indicator=expected] dd")).to_have_text("34")
    await expect(page.locator("[data-indicator=deficit_percent] dd")).to_have_text("94,1 %")
    await expect(page.locator("[data-indicator=on_time_percent] dd")).to_have_text("2,9 %")
    await expect(page.locator("[data-indicator=rating] dd")).to_have_text("Đỏ (không đạt)")

    assert await blocking_violations(page) == []
    assert errors == []
    assert [url for url in hosts if not url.startswith(api.base)] == []

    await page.get_by_role("button", name="English").click()
    await expect(page.locator(".legend li[data-state=overdue] .label")).to_have_text("Overdue")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "lang=en" in page.url
    if size == "desktop":
        await page.emulate_media(media="print")
        await expect(page.locator(".toolbar")).to_be_hidden()
        ARTIFACTS.mkdir(exist_ok=True)
        pdf = await page.pdf(format="A4", landscape=True, print_background=True)
        assert pdf.startswith(b"%PDF")
        (ARTIFACTS / "audit-report.pdf").write_bytes(pdf)
        await page.emulate_media(media="screen")
        await page.screenshot(path=ARTIFACTS / "audit-report.png", full_page=True)


async def test_before_the_deadline_the_units_are_due_soon(api: Server, browser: Browser) -> None:
    hosts: list[str] = []
    errors: list[str] = []
    as_of = DEADLINE - dt.timedelta(days=16)
    page = await open_report(browser, report_url(api.base, as_of=as_of.isoformat()), "desktop", hosts, errors)
    await expect(page.locator(f".map g[data-key='{ON_TIME}']")).to_have_attribute("data-state", "implemented_on_time")
    await expect(page.locator(f".map g[data-key='{LATE}']")).to_have_attribute("data-state", "not_due")
    await expect(page.locator(f".map g[data-key='{LATE}'] text.soon")).to_have_text("·*")
    await expect(page.locator("[data-count=due_soon]")).to_have_text("sắp đến hạn: 33")
    await expect(page.locator(f"table.rows tr[data-key='{LATE}'] td.num").nth(1)).to_have_text("16")
    await expect(page.locator("table.overdue")).to_have_count(0)
    assert errors == []


def new_shape_report() -> dict[str, Any]:
    """An audit in the issue's row states and summary fields, as the audit API answers once they land."""

    def row(key: str, name: str, state: str, **extra: Any) -> dict[str, Any]:
        unit = {"key": key, "name": name, "level": "province"}
        fields: dict[str, Any] = {
            "delay_days": None,
            "days_left": None,
            "due_soon": False,
            "deadline": "2026-03-31",
            "documents": [],
        }
        return {"organization": unit, "state": state, **fields, **extra}

    rows = [
        row("nghe-an", "Tỉnh Nghệ An", "implemented_on_time", documents=[{"key": "p", "symbol": "41-KH/TU"}]),
        row("thanh-hoa", "Tỉnh Thanh Hóa", "implemented_late", delay_days=20),
        row("ha-noi", "Thành phố Hà Nội", "overdue", delay_days=400, deadline="2025-01-25"),
        row("hue", "Thành phố Huế", "not_due", days_left=12, due_soon=True),
        row("lai-chau", "Tỉnh Lai Châu", "missing", deadline=None),
    ]
    summary = {
        "expected": 5,
        "implemented_on_time": 1,
        "implemented_late": 1,
        "implemented": 0,
        "not_due": 1,
        "overdue": 1,
        "missing": 1,
        "due_soon": 1,
        "deficit_percent": 50.0,
        "on_time_percent": 33.3,
        "overdue_over_year": 1,
        "delay_months_total": 13.8,
        "delay_months_mean": 6.9,
        "rating": "red",
        "warnings": ["obligations with no deadline: 1"],
    }
    document = {"key": DIRECTIVE, "symbol": "95-CT/TW", "title": "Chỉ thị thử nghiệm"}
    return {
        "document": document,
        "as_of": "2026-03-19",
        "level": "province",
        "parent": None,
        "summary": summary,
        "rows": rows,
    }


async def test_report_reads_the_new_states_and_indicators(api: Server, browser: Browser) -> None:
    async def answer(route: Route) -> None:
        await route.fulfill(status=200, content_type="application/json", body=json.dumps(new_shape_report()))

    hosts: list[str] = []
    page = await browser.new_page(viewport=SIZES["desktop"], locale="vi-VN")
    page.on("request", lambda request: hosts.append(request.url))
    await page.route("**/audit/implementation?*", answer)
    await page.goto(report_url(api.base, lang="en"))
    await expect(page.locator("section[aria-labelledby=bars-h]")).to_be_visible(timeout=LOAD_MS)
    await expect(page.locator("[data-indicator=rating] dd")).to_have_text("Red (off track)")
    await expect(page.locator("[data-indicator=on_time_percent] dd")).to_have_text("33.3 %")
    await expect(page.locator(".map g[data-key='hue'] text.soon")).to_have_text("·*")
    await expect(page.locator(".map g[data-key='lai-chau']")).to_have_attribute("data-state", "missing")
    await expect(page.locator(".map g[data-key='ca-mau-2025']")).to_have_attribute("data-state", "none")
    await expect(page.locator("table.overdue tr[data-key='ha-noi'] td.num")).to_have_text("400")
    await expect(page.locator("table.rows tr[data-key='thanh-hoa'] td.num").first).to_have_text("20")
    await expect(page.locator("[data-count=due_soon]")).to_have_text("due soon: 1")
    await expect(page.locator(".warnings li")).to_have_text("obligations with no deadline: 1")
    assert await blocking_violations(page) == []
    assert [url for url in hosts if not url.startswith(api.base)] == []


@pytest.mark.parametrize("name", ["audit-report.html", "audit-report.js", "audit-report.css"])
def test_the_page_names_no_other_host(name: str) -> None:
    text = (STATIC / name).read_text(encoding="utf-8")
    # The SVG namespace is a name, never fetched.
    assert re.findall(r"(?:https?:)?//[\w.-]+\.\w+", text.replace("http://www.w3.org/2000/svg", "")) == []

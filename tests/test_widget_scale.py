"""The lookup widget at national scale, in Debian's Chromium at desktop and phone sizes: a 700-document
lineage read to the end a page at a time, levels folded with their counts, relations named, keyboard use,
axe-core's check (0 serious or critical violations) and English labels; and a seed document's timeline, where
the document amending it opens by keyboard.

axe-core is vendored for these tests only (tests/vendor/axe-core, MPL-2.0); the app never serves it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, Route, ViewportSize, async_playwright, expect

from graph.identity import DocumentDraft
from graph.models import Level, LinkDraft, Relation
from graph.seeds import load_seeds
from graph.stores.sqlite import SqliteStore
from tests.test_widget_browser import ARTIFACTS, ROOT, Lookup, Server, chromium_path, serve_api

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
ROOT_SYMBOL = "999-NQ/TW"
IMPLEMENTERS = 700
PAGE = 100
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 740},
}
SERIOUS = ("serious", "critical")
ENGLISH_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gazette</title>
<link rel="icon" href="data:,"><script src="/widget/lexgraph-lookup.js" defer></script></head>
<body><main><h1>Documents</h1><lexgraph-lookup></lexgraph-lookup></main></body></html>"""


async def seed_wide_lineage(path: Path) -> None:
    """The seed, and a central resolution implemented by 700 provincial plans."""
    store = SqliteStore(path)
    await store.open()
    try:
        await store.migrate()
        await load_seeds(store, units=False)
        [root] = await store.upsert_documents(
            [DocumentDraft(symbol=ROOT_SYMBOL, type="Nghị quyết", date=dt.date(2020, 1, 6), issuer="bch-tw")]
        )
        plans = [
            DocumentDraft(
                symbol=f"{i}-KH/TU",
                type="Kế hoạch",
                date=dt.date(2021, 1, 1) + dt.timedelta(days=i % 300),
                issuer="thanh-hoa.tinh-uy",
                level=Level.province,
                jurisdiction="thanh-hoa",
                title=f"Kế hoạch thực hiện Nghị quyết {ROOT_SYMBOL}, phần {i}",
            )
            for i in range(1, IMPLEMENTERS + 1)
        ]
        docs = await store.upsert_documents(plans)
        await store.upsert_links([LinkDraft(source=d.key, relation=Relation.implements, target=root.key) for d in docs])
    finally:
        await store.close()


@pytest.fixture(scope="module")
def wide_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The API on the embedded store holding the seed and the 700 plans, shared by this module's tests."""
    chromium_path()
    folder = tmp_path_factory.mktemp("wide")
    asyncio.run(seed_wide_lineage(folder / "widget.db"))
    with serve_api("sqlite", folder) as server:
        yield server


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path())
        try:
            yield launched
        finally:
            await launched.close()


async def open_at(browser: Browser, url: str, size: str, locale: str = "vi-VN") -> Lookup:
    page = await browser.new_page(viewport=VIEWPORTS[size], locale=locale)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(20_000)
    await page.goto(url)
    return Lookup(page, page.get_by_role("combobox"), errors)


async def pick(lookup: Lookup, query: str, expected: str) -> None:
    await lookup.search(query)
    await expect(lookup.page.get_by_role("option").first.locator(".symbol")).to_have_text(expected)
    await lookup.box.press("ArrowDown")
    await lookup.box.press("Enter")
    await expect(lookup.page.locator("article.card h2")).to_have_text(expected)


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page (shadow DOM included)."""
    await page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target)}))"
    )
    return [v for v in found if v["impact"] in SERIOUS]


@pytest.mark.parametrize("size", list(VIEWPORTS))
async def test_a_700_document_lineage_read_to_the_end(wide_api: Server, browser: Browser, size: str) -> None:
    lookup = await open_at(browser, f"{wide_api.base}/", size)
    page = lookup.page
    await pick(lookup, ROOT_SYMBOL, ROOT_SYMBOL)
    listed = page.locator(".tree-down li[data-key]")
    more = page.locator(".tree-down button.more")
    # A page holds 100 documents of the lineage, the first of them the resolution itself.
    shown = PAGE - 1
    await expect(listed).to_have_count(shown)
    await expect(more).to_have_text(f"Hiện thêm {PAGE} văn bản (còn {IMPLEMENTERS - shown})")
    await expect(page.locator("#down-title .count")).to_have_text(f"{shown} / {IMPLEMENTERS}")

    # Read to the end: the first "show more" by pointer, the rest by keyboard (focus stays on the button).
    await more.click()
    shown += PAGE
    await expect(listed).to_have_count(shown)
    await expect(more).to_be_focused()
    while shown < IMPLEMENTERS:
        await page.keyboard.press("Enter")
        shown = min(shown + PAGE, IMPLEMENTERS)
        await expect(listed).to_have_count(shown)
    await expect(more).to_be_hidden()
    await expect(page.locator(".tree-down [role=status]")).to_have_text(
        f"Đang hiện {IMPLEMENTERS} / {IMPLEMENTERS} văn bản."
    )
    await expect(page.locator("#down-title .count")).to_have_text(str(IMPLEMENTERS))
    await expect(page.locator(".tree-down details.group[data-level=province] > summary .count")).to_have_text("700")
    keys = await listed.evaluate_all("(items) => items.map((item) => item.dataset.key)")
    assert len(set(keys)) == IMPLEMENTERS and all(key.endswith(".thanh-hoa") for key in keys)

    # Each listed plan says what it is, when, who issued it and how it links.
    last = listed.last
    await expect(last).to_contain_text(re.compile(r"Kế hoạch số \d+ · \d\d/\d\d/2021 · Tỉnh ủy Thanh Hóa"))
    await last.locator("summary").click()
    await expect(last.locator(".rel[data-relation=implements]")).to_have_text(f"thực hiện {ROOT_SYMBOL}")

    # The drawing folds the 700 into one box; Enter opens it, showing a few plans and how many more.
    cluster = page.locator("[data-cluster='down:province']")
    await expect(cluster.locator("title")).to_have_text(re.compile("^Cấp tỉnh: 700 văn bản"))
    await cluster.focus()
    await page.keyboard.press("Enter")
    opened = page.locator("[data-cluster='down:province']")
    await expect(opened).to_have_attribute("aria-expanded", "true")
    await expect(opened).to_be_focused()
    drawn = await page.locator("svg g.node[data-key]").count()
    await expect(page.locator("svg g.more")).to_have_attribute("aria-label", f"+{IMPLEMENTERS - drawn} văn bản")
    await expect(page.locator(".legend [data-relation=implements]")).to_have_text("thực hiện")

    if size == "phone":
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert await serious_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"widget-700-{size}.png")
    assert lookup.errors == []


@pytest.mark.parametrize("size", list(VIEWPORTS))
async def test_the_seed_card_passes_axe_and_fits(wide_api: Server, browser: Browser, size: str) -> None:
    lookup = await open_at(browser, f"{wide_api.base}/", size)
    page = lookup.page
    await pick(lookup, "nghi quyet 25", "25-NQ/TW")
    await expect(page.locator(".tree-down details.group[data-level=province]")).to_contain_text("138-KH/TU")
    await page.locator(".tree-down li[data-key] summary").first.click()
    await page.locator("[data-cluster='down:province']").click()
    await expect(page.locator("svg g.node[data-key='138-kh-tu-2019.thanh-hoa']")).to_be_visible()
    assert await serious_violations(page) == []
    if size == "phone":
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        box = await page.locator("article.card").bounding_box()
        assert box is not None and box["width"] <= VIEWPORTS["phone"]["width"]
    assert lookup.errors == []


async def test_english_labels(wide_api: Server, browser: Browser) -> None:
    async def english(route: Route) -> None:
        await route.fulfill(body=ENGLISH_PAGE, content_type="text/html; charset=utf-8")

    page = await browser.new_page(viewport=VIEWPORTS["desktop"], locale="en-GB")
    await page.route(f"{wide_api.base}/en.html", english)
    await page.goto(f"{wide_api.base}/en.html")
    lookup = Lookup(page, page.get_by_role("combobox", name="Document lookup"), [])
    await pick(lookup, "nghi quyet 25", "25-NQ/TW")
    await expect(page.locator("article.card .badge")).to_have_text("In force")
    await expect(page.locator("#down-title")).to_contain_text("Documents implementing or guiding this one")
    await expect(page.locator("[data-cluster='down:province'] title")).to_have_text(
        re.compile(r"^Province: \d+ documents")
    )
    assert await serious_violations(page) == []


@pytest.mark.parametrize("size", list(VIEWPORTS))
async def test_the_timeline_names_the_amending_document(wide_api: Server, browser: Browser, size: str) -> None:
    lookup = await open_at(browser, f"{wide_api.base}/", size)
    page = lookup.page
    await pick(lookup, "69-QĐ/TW", "69-QĐ/TW")  # the seed's 264-QĐ/TW amends it
    events = page.locator("section.timeline ol.events > li")
    amended = events.filter(has=page.locator("button", has_text="264-QĐ/TW"))
    await expect(amended).to_have_attribute("data-event", "amended")
    await expect(amended).to_contain_text("14/02/2025")
    await expect(amended).to_contain_text("Được sửa đổi bởi")
    days = await events.locator("time").evaluate_all("(times) => times.map((t) => t.dateTime)")
    assert days[0] == "2022-07-06" and days == sorted(days)
    assert await serious_violations(page) == []
    if size == "phone":
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The amending document opens from the timeline by keyboard; its own timeline names what it amends.
    await amended.locator("button").focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("article.card h2")).to_have_text("264-QĐ/TW")
    await expect(page.locator("article.card h2")).to_be_focused()
    amends = page.locator("section.timeline li[data-event=amends]")
    await expect(amends.locator("button")).to_have_text("69-QĐ/TW")
    await expect(amends).to_contain_text("Sửa đổi")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"widget-timeline-{size}.png", full_page=True)
    assert lookup.errors == []

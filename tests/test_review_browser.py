"""The link review page end to end: the API under uvicorn, Debian's Chromium driven by Playwright.

Each test ingests a text written here (a provincial plan citing four documents: four proposed links), opens
/review, enters keys (a bogus one, a read key, a write key), reviews the queue from the keyboard and checks
the decisions over HTTP; at desktop and phone sizes, with axe-core (tests/vendor/axe-core, injected by the
test only) and no request to another host.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, Route, expect

from graph.keys import KeyScope, issue_key
from graph.stores.sqlite import SqliteStore
from tests import test_widget_browser
from tests.conftest import STORE_KINDS, WRITE_HEADERS, WRITE_KEY, open_store
from tests.test_report_browser import SIZES, STARTUP_SECONDS, blocking_violations
from tests.test_widget_browser import ARTIFACTS, Server, browser, chromium_path, serve_api

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
__all__ = ["browser"]  # the Chromium fixture, shared with the widget's tests

PLAN_TEXT = (
    "Căn cứ Nghị quyết số 25-NQ/TW, ngày 3-6-2013 của Ban Chấp hành Trung ương Đảng khóa XI về công tác dân vận; "
    "thực hiện Kết luận số 43-KL/TW, ngày 7-1-2019 của Ban Bí thư, "
    "Ban Thường vụ Tỉnh ủy ban hành Kế hoạch (số 305-KH/TU, ngày 12-8-2019) như sau:\n"
    "1. Các cấp ủy nghiên cứu Chỉ thị số 16/CT-TTg, ngày 16-5-2016 của Thủ tướng Chính phủ.\n"
    "2. Tiếp tục thực hiện Nghị quyết số 07-NQ/TU, ngày 12-3-2018 của Ban Thường vụ Tỉnh ủy.\n"
)
# One province per screen size, so that each test reviews links of its own (the queue filtered by it).
PROVINCES = {"desktop": "Nghệ An", "phone": "Thanh Hóa"}
LOAD_MS = 30_000
LINK_URL = "**/links/*"
CONFLICT = "đã có quyết định khác"


class Keys:
    """The API with a read key stored before startup (the write key is LEXGRAPH_API_KEYS)."""

    def __init__(self, server: Server, read: str) -> None:
        self.server = server
        self.read = read


async def _store_read_key(kind: str, tmp_path: Path) -> str:
    key, record = issue_key(KeyScope.read, "review page test")
    # The store serve_api opens: the same SQLite file, or Neo4j wiped so that startup seeds it.
    store = SqliteStore(tmp_path / "widget.db") if kind == "sqlite" else await open_store(kind, tmp_path)
    if isinstance(store, SqliteStore):
        await store.open()
        await store.migrate()
    try:
        await store.put_api_key(record)
    finally:
        await store.close()
    return key


@pytest.fixture(scope="module", params=STORE_KINDS)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keys]:
    """The API on a fresh seeded store of each kind (no communes); one per module, as starting it is slow."""
    chromium_path()
    tmp_path = tmp_path_factory.mktemp("review")
    read = asyncio.run(_store_read_key(request.param, tmp_path))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LEXGRAPH_API_KEYS", WRITE_KEY)
        env.setenv("LEXGRAPH_LOAD_UNITS", "false")
        # A correction on a cold Neo4j, on a busy machine, can take longer than the default 3 s deadline.
        env.setenv("LEXGRAPH_REQUEST_TIMEOUT", "30")
        env.setattr(test_widget_browser, "STARTUP_SECONDS", STARTUP_SECONDS)
        with serve_api(request.param, tmp_path) as server:
            yield Keys(server, read)


def ingest(base: str, jurisdiction: str) -> dict[str, Any]:
    body = {"text": PLAN_TEXT, "jurisdiction": jurisdiction}
    response = httpx.post(f"{base}/ingest/text", json=body, headers=WRITE_HEADERS, timeout=60)
    assert response.status_code == 201, response.text  # the plan is new
    report: dict[str, Any] = response.json()
    assert len(report["links_created"]) == 4
    return report


def get_link(base: str, link_id: str) -> dict[str, Any]:
    response = httpx.get(f"{base}/links/{link_id}", headers=WRITE_HEADERS, timeout=30)
    assert response.status_code == 200, response.text
    link: dict[str, Any] = response.json()
    return link


async def use_key(page: Page, key: str) -> None:
    await page.get_by_label(re.compile("^Khóa API$")).fill(key)
    await page.get_by_role("button", name="Dùng khóa").click()


async def active_id(page: Page) -> str:
    option = page.locator("[role=option][aria-selected=true]")
    await expect(option).to_have_count(1)
    link_id = await option.get_attribute("data-id")
    assert link_id
    return link_id


async def answer_once_with_a_conflict(page: Page) -> None:
    """The next decision answered 409 by the browser (no link decision is a conflict today; the page must say so)."""

    async def conflict(route: Route) -> None:
        body = json.dumps({"code": "conflict", "detail": CONFLICT})
        await route.fulfill(status=409, content_type="application/json", body=body)

    await page.route(LINK_URL, conflict, times=1)


async def opened_id(page: Page) -> str:
    """The active link, once it is open (the page opens the next link after each decision)."""
    link_id = await active_id(page)
    await expect(page.locator(f"[role=option].opened[data-id='{link_id}']")).to_have_count(1)
    await expect(page.locator(".detail .text mark")).to_be_visible()
    return link_id


async def open_queue(page: Page, api: Keys, province: str) -> None:
    """A bogus key is refused; the read key shows the queue, filtered to the province, paged by three."""
    alert = page.get_by_role("alert").first
    await use_key(page, "not-a-key")
    await expect(alert).to_contain_text("khóa không hợp lệ")
    await expect(page.get_by_label(re.compile("^Khóa API$"))).to_be_focused()
    await use_key(page, api.read)
    await expect(alert).to_be_hidden()
    await page.get_by_label("Địa bàn").fill(province)
    await page.get_by_role("button", name="Lọc", exact=True).click()
    # The key's own load (the whole queue) may answer after the filter's: the page shows the filter's.
    await expect(page.locator("#queue")).not_to_have_attribute("aria-busy", "true", timeout=LOAD_MS)
    options = page.locator("#queue [role=option]")
    await expect(options).to_have_count(3, timeout=LOAD_MS)
    await page.get_by_role("button", name="Hiện thêm").click()
    await expect(options).to_have_count(4)
    await expect(page.get_by_role("button", name="Hiện thêm")).to_be_hidden()


async def check_the_open_link(page: Page, report: dict[str, Any]) -> str:
    """The lowest-confidence link (the citation) opened with Enter: its span marked and in view, both documents."""
    listbox = page.get_by_role("listbox")
    await listbox.focus()
    await listbox.press("Home")
    first = await active_id(page)
    await listbox.press("j")
    assert await active_id(page) != first
    await listbox.press("k")
    assert await active_id(page) == first
    await listbox.press("Enter")
    cited = next(link for link in report["links_created"] if link["relation"] == "cites")
    assert cited["id"] == first
    mark = page.locator(".detail .text mark")
    await expect(mark).to_have_text(PLAN_TEXT[cited["span_start"] : cited["span_end"]], timeout=LOAD_MS)
    await expect(mark).to_have_text("Chỉ thị số 16/CT-TTg")
    await expect(mark).to_be_in_viewport()
    await expect(page.locator(".detail blockquote.evidence")).to_have_text(cited["evidence"])
    await expect(page.locator(".detail [data-field=relation]")).to_have_text("dẫn chiếu")
    await expect(page.locator(".detail [data-field=confidence]")).to_have_text("0,60")
    source = page.locator(".doc[data-role=source]")
    await expect(source).to_contain_text("305-KH/TU")
    await expect(source).to_contain_text("12/08/2019")
    await expect(source).to_contain_text("Kế hoạch")
    target = page.locator(".doc[data-role=target]")
    await expect(target).to_contain_text("16/CT-TTg")
    await expect(target).to_contain_text("16/05/2016")
    return first


async def decide_from_the_keyboard(page: Page, report: dict[str, Any], cited: str) -> dict[str, str]:
    """A read key cannot decide; the write key corrects the citation (after a 422), accepts one, rejects one."""
    listbox, alert = page.get_by_role("listbox"), page.get_by_role("alert").first
    await listbox.press("a")
    await expect(alert).to_contain_text("chỉ có quyền đọc")
    await use_key(page, WRITE_KEY)
    await expect(listbox).not_to_have_attribute("aria-busy", "true")
    await listbox.focus()
    assert await active_id(page) == cited
    await listbox.press("Enter")
    await expect(page.locator(".detail .text mark")).to_be_visible()
    await listbox.press("c")
    relation = page.get_by_label("Quan hệ đúng")
    await expect(relation).to_be_focused()
    await page.get_by_label(re.compile("^Khóa văn bản đích đúng")).fill("khong-co-van-ban-nay")
    await page.get_by_role("button", name="Lưu sửa").click()
    await expect(page.locator("form.correction [role=alert]")).to_contain_text("Không sửa được")
    await expect(relation).to_be_focused()
    await answer_once_with_a_conflict(page)
    await page.get_by_role("button", name="Lưu sửa").click()
    await expect(page.locator("form.correction [role=alert]")).to_have_text(f"Không sửa được (xung đột): {CONFLICT}")
    await page.unroute(LINK_URL)
    await page.get_by_label(re.compile("^Khóa văn bản đích đúng")).fill("")
    await relation.select_option("based_on")
    await page.get_by_role("button", name="Lưu sửa").click()
    status = page.get_by_role("status")
    await expect(status).to_contain_text("Đã sửa")
    await expect(listbox).to_be_focused()
    accepted = await opened_id(page)
    await listbox.press("a")
    await expect(status).to_contain_text("Đã chấp nhận")
    rejected = await opened_id(page)
    assert rejected != accepted
    await listbox.press("r")
    await expect(status).to_contain_text("Đã bác bỏ")
    # The page held three; the fourth, loaded now, is not skipped for the three that left the queue.
    options = page.locator("#queue [role=option]")
    await expect(options).to_have_count(0)
    await page.get_by_role("button", name="Hiện thêm").click()
    await expect(options).to_have_count(1)
    decided = {"corrected": cited, "accepted": accepted, "rejected": rejected}
    left = {link["id"] for link in report["links_created"]} - set(decided.values())
    await expect(options.first).to_have_attribute("data-id", left.pop())
    return decided


@pytest.mark.parametrize("size", list(SIZES))
async def test_review_the_queue_from_the_keyboard(api: Keys, browser: Browser, size: str) -> None:
    base = api.server.base
    report = ingest(base, PROVINCES[size])
    page = await browser.new_page(viewport=SIZES[size], locale="vi-VN")
    hosts: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: hosts.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(15_000)
    await page.goto(f"{base}/review?limit=3")

    await open_queue(page, api, PROVINCES[size])
    cited = await check_the_open_link(page, report)
    assert await blocking_violations(page) == []
    queue, detail = await page.locator(".queue").bounding_box(), await page.locator(".detail").bounding_box()
    assert queue and detail
    stacked = detail["y"] >= queue["y"] + queue["height"]
    assert stacked == (size == "phone")
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=ARTIFACTS / f"review-{size}.png", full_page=True)

    decided = await decide_from_the_keyboard(page, report, cited)
    corrected = get_link(base, decided["corrected"])
    assert corrected["review"] == "rejected" and corrected["corrected_to"]
    replacement = get_link(base, corrected["corrected_to"])
    assert (replacement["relation"], replacement["target"], replacement["review"]) == (
        "based_on",
        corrected["target"],
        "accepted",
    )
    assert get_link(base, decided["accepted"])["review"] == "accepted"
    assert get_link(base, decided["rejected"])["review"] == "rejected"

    await page.get_by_role("button", name="English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.locator("h1")).to_have_text("Link review")
    assert await blocking_violations(page) == []

    # The key lives in this tab's session only, never in a URL.
    assert await page.evaluate("sessionStorage.getItem('lexgraph-review-key')") == WRITE_KEY
    assert await page.evaluate("localStorage.length") == 0
    assert all(WRITE_KEY not in url and api.read not in url for url in hosts)
    assert [url for url in hosts if not url.startswith(base)] == []
    assert errors == []

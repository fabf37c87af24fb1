"""The lookup widget end to end: the API under uvicorn, Debian's Chromium driven by Playwright.

Nothing downloads a browser: Playwright launches ``/usr/bin/chromium`` (``apt-get install chromium``).
Without it these tests skip with that reason, except under CI (CI=true), where that is a failure.
The screenshot of the demo page is kept at artifacts/widget.png.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, async_playwright, expect

from tests.conftest import STORE_KINDS, neo4j_settings, open_store

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = os.environ.get("LEXGRAPH_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
STARTUP_SECONDS = 60
EMBED_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo tỉnh</title><link rel="icon" href="data:,">
<script src="{api}/widget/lexgraph-lookup.js" defer></script></head>
<body><h1>Tra cứu văn bản</h1><lexgraph-lookup></lexgraph-lookup></body></html>
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chromium_path() -> str:
    if shutil.which(CHROMIUM) is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium package to run the browser tests")
    return CHROMIUM


@dataclass
class Server:
    """An API process and the log it writes."""

    base: str
    log: Path

    def requests(self) -> str:
        return self.log.read_text(encoding="utf-8")


@contextmanager
def serve_api(kind: str, tmp_path: Path, cors_origins: str = "") -> Iterator[Server]:
    """Run ``uvicorn app.main:create_app`` on a free port of 127.0.0.1 until the caller is done."""
    port = free_port()
    env = {
        **os.environ,
        "LEXGRAPH_STORE": kind,
        "LEXGRAPH_SQLITE_PATH": str(tmp_path / "widget.db"),
        "LEXGRAPH_CORS_ORIGINS": cors_origins,
        "LEXGRAPH_LOAD_SEEDS": "true",
    }
    if kind == "neo4j":
        cfg = neo4j_settings()
        env |= {
            "NEO4J_URI": cfg["uri"],
            "NEO4J_USER": cfg["user"],
            "NEO4J_PASSWORD": cfg["password"],
            "NEO4J_DATABASE": cfg["database"],
        }
    log = tmp_path / f"uvicorn-{port}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"the API exited with {process.returncode}:\n{log.read_text(encoding='utf-8')}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the API did not answer within {STARTUP_SECONDS} s:\n{log.read_text(encoding='utf-8')}")
            time.sleep(0.2)
        yield Server(base, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    executable = chromium_path()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture(params=STORE_KINDS)
async def api(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Server]:
    """The API on a fresh store of each kind, seeded at startup."""
    chromium_path()
    if request.param == "neo4j":
        await (await open_store("neo4j", tmp_path)).close()  # wipe it, so that startup seeds it
    with serve_api(request.param, tmp_path) as server:
        yield server


@dataclass
class Lookup:
    """A page showing the widget: the page, the widget's combobox and the script errors raised."""

    page: Page
    box: Locator
    errors: list[str]

    async def search(self, query: str) -> None:
        """Type ``query`` as a person would, then wait for the answer to all of it (not to a prefix)."""
        await self.box.press_sequentially(query, delay=40)
        await expect(self.page.locator("[role=listbox]")).to_have_attribute("aria-busy", "false")


async def open_lookup(browser: Browser, url: str) -> Lookup:
    page = await browser.new_page(viewport={"width": 1000, "height": 900}, locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(15_000)
    await page.goto(url)
    return Lookup(page, page.get_by_role("combobox", name="Tra cứu văn bản"), errors)


async def test_pick_a_resolution_and_see_its_implementers(
    api: Server, browser: Browser, request: pytest.FixtureRequest
) -> None:
    lookup = await open_lookup(browser, f"{api.base}/")
    page, box = lookup.page, lookup.box
    await expect(box).to_have_attribute("aria-expanded", "false")

    await lookup.search("nghi quyet 25")
    listbox = page.get_by_role("listbox")
    await expect(listbox).to_be_visible()
    await expect(box).to_have_attribute("aria-expanded", "true")
    options = page.get_by_role("option")
    await expect(options.first).to_contain_text("25-NQ/TW")

    await box.press("ArrowDown")
    await expect(box).to_have_attribute("aria-activedescendant", "option-0")
    await expect(options.first).to_have_attribute("aria-selected", "true")
    await box.press("ArrowDown")
    await box.press("ArrowUp")
    await expect(box).to_have_attribute("aria-activedescendant", "option-0")
    await box.press("Enter")

    await expect(listbox).to_be_hidden()
    await expect(box).to_have_attribute("aria-expanded", "false")
    await expect(box).to_have_value("25-NQ/TW")
    card = page.locator("article.card")
    await expect(card.locator("h2")).to_have_text("25-NQ/TW")
    await expect(card).to_contain_text("Nghị quyết")
    await expect(card).to_contain_text("03/06/2013")
    await expect(card).to_contain_text("Còn hiệu lực")
    await expect(card).to_contain_text("Ban Chấp hành Trung ương")  # the issuer's name, fetched

    # Who implements it, grouped by level: Thanh Hóa's plan at province level, through 43-KL/TW.
    province = page.locator(".tree-down details.group[data-level=province]")
    plan = province.locator("li[data-key='138-kh-tu-2019.thanh-hoa']")
    await expect(plan).to_contain_text("138-KH/TU")
    await expect(plan).to_contain_text("Kế hoạch số 138 · 27/03/2019 · Ban Thường vụ Tỉnh ủy Thanh Hóa")
    await expect(plan.locator(".badge")).to_have_text("Còn hiệu lực")
    await plan.locator("summary").click()
    await expect(plan.locator(".rel[data-relation=implements]")).to_have_text("thực hiện 43-KL/TW")
    await expect(page.locator(".tree-down details.group[data-level=central]")).to_contain_text("43-KL/TW")

    # The drawing folds the province level into one box with its count; opened, it shows the plan.
    province_box = page.locator("[data-cluster='down:province']")
    await expect(province_box).to_have_attribute("aria-expanded", "false")
    await expect(page.locator("svg g.node[data-key='138-kh-tu-2019.thanh-hoa']")).to_have_count(0)
    await province_box.click()
    await expect(page.locator("[data-cluster='down:province']")).to_have_attribute("aria-expanded", "true")
    await expect(page.locator("svg g.node[data-key='138-kh-tu-2019.thanh-hoa']")).to_be_visible()
    await expect(page.locator("svg path[data-relation=implements]").first).to_be_attached()
    await expect(page.locator(".legend [data-relation=continues]")).to_have_text("tiếp tục thực hiện")

    ARTIFACTS.mkdir(exist_ok=True)
    kind = request.node.callspec.id
    await page.screenshot(path=ARTIFACTS / ("widget.png" if kind == "sqlite" else f"widget-{kind}.png"), full_page=True)

    # The drawn graph is navigable: the plan's node opens the plan's card and what it rests on.
    await page.locator("svg g.node[data-key='138-kh-tu-2019.thanh-hoa']").click()
    await expect(card.locator("h2")).to_have_text("138-KH/TU")
    await expect(page.locator(".tree-up details.group[data-level=central]")).to_contain_text("25-NQ/TW")
    assert lookup.errors == []


async def test_escape_closes_then_clears(api: Server, browser: Browser) -> None:
    lookup = await open_lookup(browser, f"{api.base}/")
    page, box = lookup.page, lookup.box
    await lookup.search("KL43")
    await expect(page.get_by_role("option").first).to_contain_text("43-KL/TW")
    await box.press("Escape")
    await expect(page.get_by_role("listbox")).to_be_hidden()
    await expect(box).to_have_value("KL43")
    await box.press("Escape")
    await expect(box).to_have_value("")
    await lookup.search("xyzxyz qqq")
    await expect(page.get_by_role("status").first).to_have_text("Không tìm thấy văn bản phù hợp.")
    assert lookup.errors == []


@pytest.fixture
def embedding_pages(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """Two static sites on 127.0.0.1 (two origins) serving one page from ``tmp_path / 'site'``."""
    site = tmp_path / "site"
    site.mkdir()
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site))) for _ in range(2)]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    try:
        allowed, other = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
        yield allowed, other, site
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


async def test_embedded_on_another_origin(
    embedding_pages: tuple[str, str, Path], browser: Browser, tmp_path: Path
) -> None:
    allowed, other, site = embedding_pages
    with serve_api("sqlite", tmp_path, cors_origins=allowed) as api:
        (site / "index.html").write_text(EMBED_PAGE.format(api=api.base), encoding="utf-8")

        # One script tag is enough: the widget calls the API it was loaded from.
        embedded = await open_lookup(browser, f"{allowed}/index.html")
        await embedded.search("43-kl/tw")
        await expect(embedded.page.get_by_role("option").first).to_contain_text("43-KL/TW")
        await embedded.box.press("ArrowDown")
        await embedded.box.press("Enter")
        await expect(embedded.page.locator(".tree-down details.group[data-level=province]")).to_contain_text(
            "138-KH/TU"
        )
        assert embedded.errors == []

        # An origin the API does not list gets no answer it may read.
        refused = await open_lookup(browser, f"{other}/index.html")
        await refused.search("43-kl/tw")
        await expect(refused.page.get_by_role("status").first).to_have_text(re.compile("Không kết nối được"))

        # Plain GETs: the browser never needed a preflight.
        log = api.requests()
        assert "GET /search" in log and "/lineage?direction=down" in log
        assert "OPTIONS" not in log

"""SQLite under a full disk and a read-only file system, for real: a small tmpfs mounted for the test."""

from __future__ import annotations

import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from tests.conftest import WRITE_HEADERS, app_settings

pytestmark = pytest.mark.e2e

MOUNT_BYTES = 8 * 1024 * 1024
NEW_DOCUMENT = {"symbol": "12-KH/TU", "issuer": "nghe-an.btv", "date": "2019-05-02", "title": "Kế hoạch số 12"}
PLAN_TEXT = (
    "TỈNH ỦY NGHỆ AN\nSố 215-KH/TU\nNghệ An, ngày 5 tháng 4 năm 2019\nKẾ HOẠCH\n"
    "Thực hiện Kết luận số 43-KL/TW ngày 7-1-2019 của Ban Bí thư và Nghị quyết số 07-NQ/TU ngày 12-3-2018 "
    "của Ban Thường vụ Tỉnh ủy.\n"
)


def _mount(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the disk fault tests: {' '.join(command)}: {done.stderr.strip()}")
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of a few megabytes, unmounted at the end whatever happens."""
    mount = tmp_path / "disk"
    mount.mkdir()
    _mount(["mount", "-t", "tmpfs", "-o", f"size={MOUNT_BYTES}", "tmpfs", str(mount)])
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.fixture
def ext4_disk(tmp_path: Path) -> Iterator[Path]:
    """A small ext4 file system on a loop device (it keeps file attributes), unmounted at the end."""
    image, mount = tmp_path / "disk.ext4", tmp_path / "ext4"
    mount.mkdir()
    with image.open("wb") as out:
        out.truncate(MOUNT_BYTES * 2)
    _mount(["mkfs.ext4", "-q", "-F", str(image)])
    _mount(["mount", "-o", "loop", str(image), str(mount)])
    try:
        yield mount
    finally:
        subprocess.run(["chattr", "-R", "-i", str(mount)], capture_output=True)
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


async def _serve(tmp_path: Path, directory: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(app_settings("sqlite", tmp_path, sqlite_path=directory / "lexgraph.db", rate_limit=0))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://lexgraph.test") as client,
    ):
        yield client


@pytest.fixture
async def api(small_disk: Path, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _serve(tmp_path, small_disk):
        yield client


@pytest.fixture
async def ext4_api(ext4_disk: Path, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _serve(tmp_path, ext4_disk):
        yield client


def _fill(disk: Path) -> Path:
    """Take every free byte of the disk with one file."""
    filler = disk / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


async def _writes_fail_and_leave_nothing(api: httpx.AsyncClient) -> None:
    health = await api.get("/health")
    assert health.status_code == 503 and health.json()["reachable"] is True and health.json()["writable"] is False
    created = await api.post("/documents", json=NEW_DOCUMENT, headers=WRITE_HEADERS)
    assert created.status_code == 503 and created.json()["code"] in {"store_unavailable", "timeout"}
    ingested = await api.post(
        "/ingest/text", json={"text": PLAN_TEXT, "jurisdiction": "nghe-an"}, headers=WRITE_HEADERS
    )
    assert ingested.status_code == 503, ingested.text
    assert (await api.get("/documents/43-kl-tw-2019")).status_code == 200  # reads go on


async def _nothing_half_written(api: httpx.AsyncClient) -> None:
    for symbol in ("12-KH/TU", "215-KH/TU", "07-NQ/TU"):
        assert (await api.get("/documents", params={"symbol": symbol})).json()["items"] == []


async def test_a_full_disk_is_reported_and_leaves_nothing_half_written(
    api: httpx.AsyncClient, small_disk: Path
) -> None:
    assert (await api.get("/health")).status_code == 200
    filler = _fill(small_disk)
    await _writes_fail_and_leave_nothing(api)
    filler.unlink()
    await _nothing_half_written(api)
    assert (await api.get("/health")).status_code == 200
    assert (await api.post("/documents", json=NEW_DOCUMENT, headers=WRITE_HEADERS)).status_code == 201


def _immutable(files: list[Path], on: bool) -> None:
    # Root writes files whatever their mode: the immutable attribute stops it (ext4, not tmpfs).
    _mount(["chattr", "+i" if on else "-i", *map(str, files)])


async def test_a_read_only_database_file_is_reported(ext4_api: httpx.AsyncClient, ext4_disk: Path) -> None:
    assert (await ext4_api.get("/health")).status_code == 200
    # Not the -shm file: SQLite maps it into memory, and a mapped page that cannot be written is a bus error.
    files = [ext4_disk / "lexgraph.db", ext4_disk / "lexgraph.db-wal"]
    _immutable(files, on=True)
    try:
        await _writes_fail_and_leave_nothing(ext4_api)
    finally:
        _immutable(files, on=False)
    await _nothing_half_written(ext4_api)
    assert (await ext4_api.get("/health")).status_code == 200

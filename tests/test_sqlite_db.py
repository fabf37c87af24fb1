"""The embedded store's database file: closing waits for calls still running in worker threads."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from graph.stores.sqlite.db import SqliteDb


async def test_close_waits_for_a_call_running_in_a_worker_thread(tmp_path: Path) -> None:
    db = SqliteDb(tmp_path / "lexgraph.db")
    running = threading.Event()
    order: list[str] = []

    def slow_read() -> int:
        conn = db.connection()
        running.set()
        time.sleep(0.3)
        answer: int = conn.execute("SELECT 1").fetchone()[0]
        order.append("read")
        return answer

    read = asyncio.create_task(db.run(slow_read))
    assert await asyncio.to_thread(running.wait, 5)
    db.close()
    order.append("closed")
    assert await read == 1
    assert order == ["read", "closed"]


async def test_a_cancelled_call_still_holds_close_until_its_thread_ends(tmp_path: Path) -> None:
    db = SqliteDb(tmp_path / "lexgraph.db")
    running, finished = threading.Event(), threading.Event()

    def slow_write() -> None:
        with db.write() as tx:
            running.set()
            time.sleep(0.3)
            tx.execute("CREATE TABLE t (x)")
        finished.set()

    write = asyncio.create_task(db.run(slow_write))
    assert await asyncio.to_thread(running.wait, 5)
    write.cancel()
    await asyncio.gather(write, return_exceptions=True)
    db.close()
    assert finished.is_set()

"""Record real answers of the review, correction, timeline, text, outline and audit-alert routes as OpenAPI examples.

    .venv/bin/python scripts/openapi_examples.py          # adds or refreshes those entries of app/openapi_examples.json

It serves the API in process on a fresh embedded store with the seed data, walks one scenario (ingest a plan,
review one of its links, correct a document, merge a duplicate, reject an obligation, keep an audit snapshot)
and keeps each answer, lists cut to two items, keyed by method and unversioned path as app/examples.py reads them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import httpx

from app.examples import EXAMPLES_FILE
from app.main import create_app
from app.settings import Settings
from graph.models import Level
from graph.usecases.audit import take_snapshot

KEY = "examples-write-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
PLAN = (
    "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH THANH HÓA\nSố 150-KH/TU\nThanh Hóa, ngày 10 tháng 5 năm 2019\n"
    "KẾ HOẠCH\nthực hiện Kết luận số 43-KL/TW ngày 07/01/2019 của Bộ Chính trị\n"
    "Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương, "
    "Ban Thường vụ Tỉnh ủy xây dựng kế hoạch thực hiện Kết luận số 43-KL/TW như sau.\n"
)
CONCLUSION = "43-kl-tw-2019"


def trimmed(value: Any) -> Any:
    """Lists cut to two items, all the way down: an example shows the shape, not the data."""
    if isinstance(value, list):
        return [trimmed(v) for v in value[:2]]
    if isinstance(value, dict):
        return {k: trimmed(v) for k, v in value.items()}
    return value


class Recorder:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.examples: dict[str, dict[str, Any]] = {}

    async def call(self, method: str, route: str, url: str, body: Any = None, *, trim: bool = True) -> Any:
        """Ask, check it succeeded, and keep the exchange under ``"<METHOD> <route>"`` (``trim=False`` for an
        answer whose lists only make sense whole)."""
        response = await self.client.request(method, url, json=body, headers=AUTH)
        response.raise_for_status()
        answer = response.json() if response.content else None
        entry: dict[str, Any] = {"response": trimmed(answer) if trim else answer, "status": response.status_code}
        if body is not None:
            entry = {"request": body} | entry
        self.examples[f"{method} {route}"] = entry
        return answer


async def record(recorder: Recorder, app_store: Any) -> None:
    ingested = await recorder.client.post(
        "/ingest/text", json={"text": PLAN, "jurisdiction": "thanh-hoa"}, headers=AUTH
    )
    ingested.raise_for_status()
    text_id, plan = ingested.json()["text_id"], ingested.json()["document"]["key"]
    await recorder.call("GET", "/texts/{text_id}", f"/texts/{text_id}")
    outline = "/documents/{key}/lineage/outline"
    await recorder.call("GET", outline, f"/documents/{CONCLUSION}/lineage/outline", trim=False)
    queue = await recorder.call("GET", "/links", "/links?review=proposed&limit=2")
    link = queue["items"][0]["id"]
    await recorder.call("GET", "/links/{link}", f"/links/{link}")
    await recorder.call("PATCH", "/links/{link}", f"/links/{link}", {"review": "accepted"})
    await recorder.call("GET", "/documents/{key}/timeline", f"/documents/{CONCLUSION}/timeline")
    await recorder.call("PATCH", "/documents/{key}", f"/documents/{plan}", {"title": "Kế hoạch thực hiện Kết luận 43"})
    duplicate = {"type": "Kế hoạch", "title": "Kế hoạch 150 (nhập lại sai số)", "issuer": "thanh-hoa.btv", "year": 2019}
    created = await recorder.client.post("/documents", json=duplicate | {"symbol": "1500-KH/TU"}, headers=AUTH)
    created.raise_for_status()
    await recorder.call("POST", "/documents/{key}/merge", f"/documents/{plan}/merge", {"from": created.json()["key"]})
    obligation = await recorder.client.post(
        f"/documents/{CONCLUSION}/obligations", json={"level": "province", "deadline": "2019-06-30"}, headers=AUTH
    )
    obligation.raise_for_status()
    obligation_id = obligation.json()["id"]
    route = "/documents/{key}/obligations/{obligation_id}/reject"
    await recorder.call("POST", route, f"/documents/{CONCLUSION}/obligations/{obligation_id}/reject")
    await recorder.call("GET", "/audit/due", "/audit/due?as_of=2019-06-15&within=30&limit=2")
    taken_at = dt.datetime(2019, 7, 1, tzinfo=dt.UTC)
    await take_snapshot(
        app_store, CONCLUSION, level=Level.province, as_of=dt.date(2019, 7, 1), parent=None, taken_at=taken_at
    )
    snapshots = await recorder.call("GET", "/audit/snapshots", f"/audit/snapshots?document={CONCLUSION}")
    snapshot = snapshots["items"][0]["id"]
    await recorder.call("GET", "/audit/snapshots/{snapshot_id}", f"/audit/snapshots/{snapshot}")


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(sqlite_path=Path(scratch) / "examples.db", api_keys=KEY, load_units=False, rate_limit=0)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="https://lexgraph.example") as client:
                recorder = Recorder(client)
                await record(recorder, app.state.store)
    examples = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8")) | recorder.examples
    EXAMPLES_FILE.write_text(json.dumps(examples, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(recorder.examples)} examples recorded: {', '.join(recorder.examples)}")


if __name__ == "__main__":
    asyncio.run(main())

"""The baseline of bench/throughput.py: a bare FastAPI endpoint on the same uvicorn, answering every path.

.venv/bin/uvicorn bench.bare_app:app --port 8001 --workers 2
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/{path:path}")
async def answer(path: str) -> dict[str, str]:
    """A small JSON answer naming the path asked for: FastAPI's routing and encoding, no work behind it."""
    return {"key": path, "symbol": "25-NQ/TW", "title": "Nghị quyết về công tác dân vận"}

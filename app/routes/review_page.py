"""The link review page: the queue of proposed links, each shown in its text, decided from the keyboard.

The page is static and loads only its own script and stylesheet; the script calls this API from the same
origin with the key the reviewer types (kept in sessionStorage, sent as a Bearer header, never in a URL).
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_CACHE = "no-cache"
# Each file the page loads, with its media type: nothing else under app/static is served from here.
ASSETS = {
    "lexgraph-review.js": "text/javascript; charset=utf-8",
    "lexgraph-review.css": "text/css; charset=utf-8",
}

router = APIRouter(include_in_schema=False)


@router.api_route("/review", methods=["GET", "HEAD"])
async def review_page() -> FileResponse:
    """``/review[?lang=en&limit=N]``: the page; it asks for a key, then reads the queue."""
    return FileResponse(
        STATIC_DIR / "review.html", media_type="text/html; charset=utf-8", headers={"Cache-Control": PAGE_CACHE}
    )


def _asset_route(name: str, media_type: str) -> None:
    async def asset() -> FileResponse:
        return FileResponse(STATIC_DIR / name, media_type=media_type, headers={"Cache-Control": PAGE_CACHE})

    router.add_api_route(f"/review/{name}", asset, methods=["GET", "HEAD"], name=f"review_{name}")


for _name, _media_type in ASSETS.items():
    _asset_route(_name, _media_type)

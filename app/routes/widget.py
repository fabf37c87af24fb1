"""The embeddable lookup widget and the demo page that shows it."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
WIDGET_PATH = "/widget/lexgraph-lookup.js"
# The script is fetched by other sites' pages: cacheable for an hour, then revalidated by ETag.
WIDGET_CACHE = "public, max-age=3600, must-revalidate"
PAGE_CACHE = "no-cache"

router = APIRouter(include_in_schema=False)


@router.api_route(WIDGET_PATH, methods=["GET", "HEAD"])
async def widget_script() -> FileResponse:
    """The ``<lexgraph-lookup>`` custom element, a classic script with no dependencies."""
    return FileResponse(
        STATIC_DIR / "lexgraph-lookup.js",
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": WIDGET_CACHE},
    )


@router.api_route("/", methods=["GET", "HEAD"])
async def demo_page() -> FileResponse:
    """A page using the widget against this API."""
    return FileResponse(
        STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers={"Cache-Control": PAGE_CACHE}
    )

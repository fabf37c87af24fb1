"""The printable audit report page: a map of the provinces coloured by state, the states' bars, the overdue list.

The page is static; its script reads ``/audit/implementation`` with the page's own query
(``document``, ``level``, ``as_of``) from the same origin. No tile server, no external host.
"""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_CACHE = "no-cache"
# Each file the page loads, with its media type: nothing else under app/static is served from here.
ASSETS = {
    "audit-report.js": "text/javascript; charset=utf-8",
    "audit-report.css": "text/css; charset=utf-8",
}

router = APIRouter(include_in_schema=False)


@router.api_route("/audit/report", methods=["GET", "HEAD"])
async def report_page() -> FileResponse:
    """``/audit/report?document=KEY[&level=province&as_of=YYYY-MM-DD&lang=en]``: the page; it fetches the audit."""
    return FileResponse(
        STATIC_DIR / "audit-report.html", media_type="text/html; charset=utf-8", headers={"Cache-Control": PAGE_CACHE}
    )


def _asset_route(name: str, media_type: str) -> None:
    async def asset() -> FileResponse:
        return FileResponse(STATIC_DIR / name, media_type=media_type, headers={"Cache-Control": PAGE_CACHE})

    router.add_api_route(f"/audit/report/{name}", asset, methods=["GET", "HEAD"], name=f"report_{name}")


for _name, _media_type in ASSETS.items():
    _asset_route(_name, _media_type)

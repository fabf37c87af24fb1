"""A static page and the files it loads, served from app/static with no caching between deploys."""

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_CACHE = "no-cache"
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


def static_page(path: str, page: str, assets: tuple[str, ...], summary: str) -> APIRouter:
    """A router serving ``page`` at ``path`` and each of ``assets`` at ``path/NAME``: nothing else under
    app/static is served from it."""
    router = APIRouter(include_in_schema=False)
    for route, name in ((path, page), *((f"{path}/{asset}", asset) for asset in assets)):
        router.add_api_route(
            route, _file_endpoint(name), methods=["GET", "HEAD"], name=f"{path.strip('/')}:{name}", summary=summary
        )
    return router


def _file_endpoint(name: str) -> Callable[[], Awaitable[FileResponse]]:
    file = STATIC_DIR / name
    media_type = MEDIA_TYPES[file.suffix]

    async def serve() -> FileResponse:
        return FileResponse(file, media_type=media_type, headers={"Cache-Control": PAGE_CACHE})

    return serve

"""Map domain errors to HTTP answers; nothing internal (stack traces, driver messages) leaks out."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from graph.errors import InvalidInputError, LexgraphError, NotFoundError, StoreUnavailableError

log = logging.getLogger("lexgraph")

RETRY_AFTER_SECONDS = 5
STORE_UNAVAILABLE = "the graph store is unavailable; retry later"


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status.HTTP_404_NOT_FOUND)


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status.HTTP_422_UNPROCESSABLE_CONTENT)


async def _unavailable(_: Request, exc: Exception) -> JSONResponse:
    log.warning("store unavailable: %s", exc)
    return JSONResponse(
        {"detail": STORE_UNAVAILABLE},
        status.HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _internal(_: Request, exc: Exception) -> JSONResponse:
    log.error("internal error", exc_info=exc)
    return JSONResponse({"detail": "internal error"}, status.HTTP_500_INTERNAL_SERVER_ERROR)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NotFoundError, _not_found)
    app.add_exception_handler(InvalidInputError, _invalid)
    app.add_exception_handler(StoreUnavailableError, _unavailable)
    app.add_exception_handler(LexgraphError, _internal)

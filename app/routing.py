"""The route class every router uses: request bodies parsed strictly, by orjson.

Python's json module takes NaN, Infinity and lone surrogates, which no JSON value can hold and which
later fail to render or to store; orjson refuses them, and FastAPI answers its ``JSONDecodeError`` (a
subclass of the standard one) with a 422.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = orjson.loads(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler

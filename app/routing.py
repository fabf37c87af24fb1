"""The route class every router uses: request bodies parsed strictly by orjson, single-valued query
parameters and form fields given once.

Python's json module takes NaN, Infinity and lone surrogates, which no JSON value can hold and which
later fail to render or to store; orjson refuses them, and FastAPI answers its ``JSONDecodeError`` (a
subclass of the standard one) with a 422. A query parameter that takes one value but is given twice
would otherwise be read as its last value, silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Coroutine, Iterable, Iterator
from typing import Any, get_origin

import orjson
from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = orjson.loads(await self.body())
        return self._json


def _is_sequence(annotation: Any) -> bool:
    args = getattr(annotation, "__args__", ())
    return get_origin(annotation) in (list, tuple, set) or any(_is_sequence(a) for a in args)


def _refuse_repeated(where: str, items: Iterable[tuple[str, Any]], single: set[str]) -> None:
    counts = Counter(name for name, _ in items)
    if twice := sorted(name for name, n in counts.items() if n > 1 and name in single):
        raise RequestValidationError(
            [{"loc": (where, name), "msg": "given more than once", "type": "repeated"} for name in twice]
        )


def _single_valued(dependant: Dependant) -> Iterator[str]:
    """The query parameters of a route and its dependencies that take one value."""
    yield from (p.alias for p in dependant.query_params if not _is_sequence(p.field_info.annotation))
    for sub in dependant.dependencies:
        yield from _single_valued(sub)


class StrictJsonRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        single = set(_single_valued(self.dependant))
        single_fields = {p.alias for p in self.dependant.body_params if not _is_sequence(p.field_info.annotation)}

        async def strict_handler(request: Request) -> Response:
            strict = StrictJsonRequest(request.scope, request.receive)
            _refuse_repeated("query", request.query_params.multi_items(), single)
            if single_fields and request.headers.get("content-type", "").startswith("multipart/form-data"):
                _refuse_repeated("body", (await strict.form()).multi_items(), single_fields)
            return await handler(strict)

        return strict_handler

"""Request and response examples for every route, added to the OpenAPI document.

The examples (app/openapi_examples.json) are real answers of the API on the seed data, lists cut to two
items; each is keyed by method and unversioned path, and shown on the route under /v1.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from app.versioning import API_PREFIX

EXAMPLES_FILE = Path(__file__).resolve().parent / "openapi_examples.json"
SUCCESS = ("200", "201")
ATOM_EXAMPLE = (
    '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>https://lexgraph.example/'
    "v1/feed</id><title>lexgraph: changes to documents and links</title><updated>2019-04-02T08:00:00.000000Z"
    "</updated><author><name>lexgraph</name></author><entry><id>urn:lexgraph:event:evt_1</id><title>New document: "
    "12-KH/TU — Kế hoạch thực hiện Kết luận số 43-KL/TW</title><updated>2019-04-02T08:00:00.000000Z</updated>"
    '<link href="https://lexgraph.example/v1/documents/12-kh-tu-2019.thanh-hoa" rel="alternate" />'
    '<category term="document.created" /><content type="text">document.created 12-kh-tu-2019.thanh-hoa</content>'
    "</entry></feed>"
)


@cache
def examples() -> dict[str, dict[str, Any]]:
    """The examples by ``"<METHOD> <unversioned path>"``."""
    loaded: dict[str, dict[str, Any]] = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    return loaded


def add_examples(schema: dict[str, Any]) -> None:
    """Put each route's request and response example on its operation (in place)."""
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            example = examples().get(f"{method.upper()} {path.removeprefix(API_PREFIX)}")
            if example is not None:
                _add(operation, example)


def _add(operation: dict[str, Any], example: dict[str, Any]) -> None:
    for media in operation.get("requestBody", {}).get("content", {}).values():
        media["example"] = example["request"]
    for status in SUCCESS:
        for media_type, media in operation.get("responses", {}).get(status, {}).get("content", {}).items():
            media["example"] = ATOM_EXAMPLE if media_type.endswith("atom+xml") else example["response"]

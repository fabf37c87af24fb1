"""Request and response bodies of the HTTP API (the domain models are reused where they fit)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, Literal, TypeVar

import orjson
from pydantic import BaseModel, computed_field

from graph.lineage import LineageJson
from graph.models import Document, GraphCounts, Implementers, Lineage, Link, Organization
from graph.obligations import RecordedObligation
from graph.search import SearchHit

T = TypeVar("T")


class Items(BaseModel, Generic[T]):
    items: list[T]


class Paged(BaseModel):
    """Paging of a list: ``truncated`` while items follow, and ``next`` to ask for them (``next_offset`` is the
    same position as a number, kept for clients of earlier versions)."""

    truncated: bool = False
    next_offset: int | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def next(self) -> str | None:
        return None if self.next_offset is None else str(self.next_offset)


class PagedItems(Items[T], Paged, Generic[T]):
    pass


class LineagePage(Lineage, Paged):
    """The nodes of one page (depth, then key order), the edges touching them, and counts over the whole lineage."""


class ImplementerList(Implementers, Paged):
    """One page of implementers and counts over all of them."""


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    store: str
    reachable: bool
    writable: bool
    reason: str | None = None


class Stats(GraphCounts):
    store: str


DocumentList = PagedItems[Document]
LinkList = PagedItems[Link]


def document_list_json(items: Sequence[str], truncated: bool, next_offset: int | None) -> bytes:
    """A :data:`DocumentList` of documents already in JSON (graph.ports.Documents.find_documents_json)."""
    body = DocumentList(items=[], truncated=truncated, next_offset=next_offset).model_dump()
    body["items"] = [orjson.Fragment(item) for item in items]  # in place: the model's key order is kept
    return orjson.dumps(body)


def search_results_json(hits: Sequence[str]) -> bytes:
    """:data:`SearchResults` of hits already in JSON (graph.ports.SearchIndex.search_json)."""
    return orjson.dumps({"items": [orjson.Fragment(hit) for hit in hits]})


def lineage_page_json(found: LineageJson, next_offset: int | None) -> bytes:
    """A :class:`LineagePage` of a lineage whose documents are already in JSON (graph.ports.Traversal.lineage_json)."""
    page = LineagePage.model_construct(
        root=found.root,
        nodes=[],
        edges=[],
        total=found.total,
        depth_counts=found.depth_counts,
        level_counts=found.level_counts,
        truncated=next_offset is not None,
        next_offset=next_offset,
    )
    body = page.model_dump(mode="json")
    body["nodes"] = [orjson.Fragment(node) for node in found.nodes]  # in place: the model's key order is kept
    body["edges"] = orjson.Fragment(found.edges)
    return orjson.dumps(body)


class OrganizationPage(Items[Organization]):
    """One page of organizations in key order; ``next`` (a key) asks for the page after it."""

    truncated: bool = False
    next: str | None = None


ObligationList = Items[RecordedObligation]
SearchResults = Items[SearchHit]

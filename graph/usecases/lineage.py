"""A lineage with its documents' statuses of a day, and the ``status=`` / ``in_force=`` filters on it.

Statuses are settled on read (graph.effects), so the filter is applied here, once for every store, to the
whole walk: the stores walk without it. A document that does not pass is left out with the links touching
it, but the walk went through it, so what descends from it is kept at the depth the walk found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import cast

from graph.effects import as_of, matches
from graph.lineage import LineageJson, count_depths, count_levels
from graph.models import EffectStatus, Lineage, LineageDirection, LineageNode, Relation, View
from graph.paging import DEFAULT_GRAPH_PAGE, check_page
from graph.ports import Traversal


def settled_on(nodes: Sequence[LineageNode], day: dt.date | None) -> list[LineageNode]:
    """The nodes with their statuses of ``day``; as read (settled today) when ``day`` is None."""
    # as_of copies the node (model_copy), so each stays a LineageNode with its depth.
    return list(nodes) if day is None else [cast(LineageNode, as_of(node, day)) for node in nodes]


def filtered_page(
    whole: Lineage, status: EffectStatus | None, in_force: bool | None, offset: int, limit: int | None
) -> Lineage:
    """One page of the documents of a whole, settled lineage that pass the filters, in its order (depth, then
    key); the links between kept documents, each once with the page of its later end; counts over the kept."""
    kept = [node for node in whole.nodes if matches(node, status, in_force)]
    page = kept[offset:] if limit is None else kept[offset : offset + limit]
    delivered = {node.key for node in kept[: offset + len(page)]}
    on_page = {node.key for node in page}
    edges = [
        edge
        for edge in whole.edges
        if {edge.source, edge.target} <= delivered and (edge.source in on_page or edge.target in on_page)
    ]
    return Lineage.model_construct(
        root=whole.root,
        nodes=page,
        edges=edges,
        total=len(kept),
        depth_counts=count_depths(node.depth for node in kept),
        level_counts=count_levels((node.level.value if node.level else None, 1) for node in kept),
    )


async def lineage_with_status(
    store: Traversal,
    key: str,
    direction: LineageDirection,
    relations: Sequence[Relation],
    max_depth: int,
    *,
    offset: int = 0,
    limit: int | None = DEFAULT_GRAPH_PAGE,
    view: View = View(),  # noqa: B008 - frozen
    status: EffectStatus | None = None,
    in_force: bool | None = None,
) -> Lineage:
    """One page of a lineage, statuses of ``view.as_of`` (else today). Unfiltered, the store pages; filtered,
    the whole walk is read and paged here, so that totals, counts and pages count only what passes."""
    check_page(offset, limit)
    if status is None and in_force is None:
        found = await store.lineage(key, direction, relations, max_depth, offset=offset, limit=limit, view=view)
        return found.model_copy(update={"nodes": settled_on(found.nodes, view.as_of)})
    whole = await store.lineage(key, direction, relations, max_depth, offset=0, limit=None, view=view)
    settled = whole.model_copy(update={"nodes": settled_on(whole.nodes, view.as_of)})
    return filtered_page(settled, status, in_force, offset, limit)


async def lineage_json_with_status(
    store: Traversal,
    key: str,
    direction: LineageDirection,
    relations: Sequence[Relation],
    max_depth: int,
    *,
    offset: int = 0,
    limit: int | None = DEFAULT_GRAPH_PAGE,
    view: View = View(),  # noqa: B008 - frozen
    status: EffectStatus | None = None,
    in_force: bool | None = None,
) -> LineageJson:
    """:func:`lineage_with_status`, its documents as JSON: as the store writes them when they are today's and
    nothing filters them."""
    if view.as_of is None and status is None and in_force is None:
        return await store.lineage_json(key, direction, relations, max_depth, offset=offset, limit=limit, view=view)
    found = await lineage_with_status(
        store,
        key,
        direction,
        relations,
        max_depth,
        offset=offset,
        limit=limit,
        view=view,
        status=status,
        in_force=in_force,
    )
    return LineageJson.of(found)

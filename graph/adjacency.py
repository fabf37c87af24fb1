"""An in-memory index of the link graph: documents as integer ids, links as compressed sparse rows.

Ids are positions in key order, so the smallest id is the smallest key: the parent rule of
:class:`graph.lineage.Walk` and the (depth, key) order of a lineage hold in id space, and only the keys
of a page are ever decoded. A store builds the index from its rows at one graph version and answers
from it only while that version is current; the arrays cost about 60 bytes a document and 22 a link.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.lineage import LineageRows, count_levels
from graph.models import (
    IMPLEMENTATION_RELATIONS,
    Implementer,
    Implementers,
    Level,
    LineageOutline,
    Link,
    Relation,
    Review,
    View,
)
from graph.paging import check_outline_size
from graph.records import link_sort_key, trusted_document

RELATIONS: tuple[Relation, ...] = tuple(Relation)
REVIEWS: tuple[Review, ...] = tuple(Review)
# Level codes: 0 for a document without a level, then the levels in their declared order.
LEVELS: tuple[Level | None, ...] = (None, *Level)
RELATION_CODE = {r.value: i for i, r in enumerate(RELATIONS)}
REVIEW_CODE = {r.value: i for i, r in enumerate(REVIEWS)}
LEVEL_CODE = {(level.value if level else None): i for i, level in enumerate(LEVELS)}
LEVELS_BY_CODE = np.array(LEVELS, dtype=object)
NO_JURISDICTION = -1
# Relations in the order of their values, the order links are sorted in, and each relation code's place in it.
RELATIONS_BY_VALUE = np.array(sorted(RELATIONS, key=lambda r: r.value), dtype=object)
RELATION_VALUE_RANK = np.array([list(RELATIONS_BY_VALUE).index(r) for r in RELATIONS], dtype=np.intp)
# A link as one sortable integer: source id, relation rank, target id (ids take 31 bits each).
_RANK_BITS = (len(RELATIONS) - 1).bit_length()
_TARGET_MASK = (1 << 31) - 1

Ids = npt.NDArray[np.int32]


class KeyTable:
    """Document keys in sorted order, packed in one bytes blob (no Python string per document)."""

    def __init__(self, blob: bytes, offsets: npt.NDArray[np.int64]) -> None:
        self._blob = blob
        self._offsets = offsets

    @classmethod
    def from_sorted(cls, keys: Iterable[str]) -> KeyTable:
        encoded = [key.encode() for key in keys]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        return cls(b"".join(encoded), offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, i: int) -> bytes:
        return self._blob[self._offsets[i] : self._offsets[i + 1]]

    def key(self, i: int) -> str:
        return self[i].decode()

    def keys(self, ids: Ids | Sequence[int]) -> list[str]:
        """The keys of ``ids``, in their order (offsets gathered at once: indexing per id costs more)."""
        blob, at = self._blob, np.asarray(ids, dtype=np.intp)
        starts, ends = self._offsets[at].tolist(), self._offsets[at + 1].tolist()
        return [blob[start:end].decode() for start, end in zip(starts, ends, strict=True)]

    def find(self, key: str) -> int | None:
        """The id of ``key``, or None (a binary search over the packed keys)."""
        wanted = key.encode()
        i = bisect_left(self, wanted)  # type: ignore[call-overload,unused-ignore]
        return i if i < len(self) and self[i] == wanted else None

    @property
    def nbytes(self) -> int:
        return len(self._blob) + self._offsets.nbytes


@dataclass(frozen=True)
class Rows:
    """The links of one direction grouped by their near end: those of id ``i`` are ``indptr[i]:indptr[i+1]``."""

    indptr: npt.NDArray[np.int64]
    other: Ids
    relation: npt.NDArray[np.uint8]
    review: npt.NDArray[np.uint8]

    @classmethod
    def grouped(
        cls, count: int, near: Ids, far: Ids, relation: npt.NDArray[np.uint8], review: npt.NDArray[np.uint8]
    ) -> Rows:
        """Rows grouped by ``near`` (stable, so each group keeps the order given)."""
        order = np.argsort(near, kind="stable")
        indptr = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(near, minlength=count), out=indptr[1:])
        return cls(indptr, far[order], relation[order], review[order])

    @property
    def nbytes(self) -> int:
        return self.indptr.nbytes + self.other.nbytes + self.relation.nbytes + self.review.nbytes

    def edges_of(self, ids: Ids) -> tuple[npt.NDArray[np.int64], Ids]:
        """Positions of every link of ``ids`` and the near end of each (vectorized CSR gather)."""
        starts, ends = self.indptr[ids], self.indptr[ids + 1]
        counts = ends - starts
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
        return np.arange(total, dtype=np.int64) + shift, np.repeat(ids, counts).astype(np.int32)


@dataclass(frozen=True)
class GraphIndex:
    """The link graph at one version: documents' keys and facts by id, links both ways."""

    version: int
    keys: KeyTable
    level: npt.NDArray[np.uint8]
    jurisdiction: Ids
    jurisdictions: tuple[str, ...]
    year: Ids
    issued: Ids
    out: Rows
    into: Rows

    @property
    def documents(self) -> int:
        return len(self.keys)

    @cached_property
    def jurisdiction_names(self) -> npt.NDArray[np.object_]:
        """Jurisdiction names by code, None last, so that NO_JURISDICTION (-1) gathers None."""
        return np.array([*self.jurisdictions, None], dtype=object)

    @property
    def nbytes(self) -> int:
        arrays = (self.level, self.jurisdiction, self.year, self.issued)
        return self.keys.nbytes + sum(a.nbytes for a in arrays) + self.out.nbytes + self.into.nbytes


@dataclass(frozen=True)
class Reached:
    """A breadth-first walk in id space: each reached id with its depth and its parent (-1 for the root)."""

    ids: Ids
    depths: Ids
    parents: Ids

    def ordered(self) -> npt.NDArray[np.intp]:
        """Positions in the canonical lineage order: depth, then key (= id)."""
        return np.lexsort((self.ids, self.depths))


def issued_day(date: dt.date | None, year: int | None) -> int:
    """The first day a document counts as issued, as an ordinal; 0 for an undated one (always shown)."""
    if date is not None:
        return date.toordinal()
    return dt.date(year, 1, 1).toordinal() if year else 0


def link_mask(
    rows: Rows, positions: npt.NDArray[np.int64], relations: Sequence[Relation], view: View
) -> npt.NDArray[np.bool_]:
    """Which of the links at ``positions`` a walk follows: of the relations, and in the view's review scope."""
    relation_ok = np.zeros(len(RELATIONS), dtype=bool)
    relation_ok[[RELATION_CODE[r.value] for r in relations]] = True
    review_ok = np.array([view.review.counts(r) for r in REVIEWS], dtype=bool)
    followed: npt.NDArray[np.bool_] = relation_ok[rows.relation[positions]] & review_ok[rows.review[positions]]
    return followed


def shown(index: GraphIndex, ids: Ids, view: View) -> npt.NDArray[np.bool_]:
    """Which documents existed on the view's day (all of them without one)."""
    if view.as_of is None:
        return np.ones(len(ids), dtype=bool)
    return index.issued[ids] <= view.as_of.toordinal()


def walk(
    index: GraphIndex, root: int, *, down: bool, relations: Sequence[Relation], max_depth: int, view: View
) -> Reached:
    """Breadth-first from ``root``: down follows links into the frontier (to what implements it), up out of it.

    A document is reached once, at its least depth, with the smallest id one level nearer as its parent;
    a link is followed only when the view counts it and its far end existed on the view's day.
    """
    rows = index.into if down else index.out
    seen = np.zeros(index.documents, dtype=bool)
    seen[root] = True
    frontier = np.array([root], dtype=np.int32)
    ids, depths, parents = [frontier], [np.zeros(1, dtype=np.int32)], [np.full(1, -1, dtype=np.int32)]
    for depth in range(1, max_depth + 1):
        positions, near = rows.edges_of(frontier)
        far = rows.other[positions]
        keep = link_mask(rows, positions, relations, view) & ~seen[far]
        keep &= shown(index, far, view)
        far, near = far[keep], near[keep]
        if not len(far):
            break
        order = np.lexsort((near, far))  # per reached id, its smallest parent first
        far, near = far[order], near[order]
        first = np.ones(len(far), dtype=bool)
        first[1:] = far[1:] != far[:-1]
        frontier, parent = far[first], near[first]
        seen[frontier] = True
        ids.append(frontier)
        depths.append(np.full(len(frontier), depth, dtype=np.int32))
        parents.append(parent)
    return Reached(np.concatenate(ids), np.concatenate(depths), np.concatenate(parents))


def joining_links(
    index: GraphIndex, page: Ids, ends: Ids, relations: Sequence[Relation], view: View
) -> tuple[Ids, npt.NDArray[np.intp], Ids]:
    """The links of ``relations`` the view counts that join a page document to one of ``ends`` (either way),
    each once, in the canonical order (source key, relation value, target key): their sources' ids, their
    relations as places in :data:`RELATIONS_BY_VALUE`, and their targets' ids."""
    among = np.zeros(index.documents, dtype=bool)
    among[ends] = True
    codes = []
    for rows, page_is_source in ((index.out, True), (index.into, False)):
        at, near = rows.edges_of(page)
        far = rows.other[at]
        keep = link_mask(rows, at, relations, view) & among[far]
        source, target = (near[keep], far[keep]) if page_is_source else (far[keep], near[keep])
        rank = RELATION_VALUE_RANK[rows.relation[at[keep]]]
        codes.append((source.astype(np.int64) << (31 + _RANK_BITS)) | (rank.astype(np.int64) << 31) | target)
    joined = np.unique(np.concatenate(codes))
    rank_mask = (1 << _RANK_BITS) - 1
    source, rank, target = joined >> (31 + _RANK_BITS), (joined >> 31) & rank_mask, joined & _TARGET_MASK
    return source.astype(np.int32), rank.astype(np.intp), target.astype(np.int32)


def links_among(
    index: GraphIndex, page: Ids, ends: Ids, relations: Sequence[Relation], view: View
) -> list[tuple[str, str, str]]:
    """(source key, relation, target key) of the :func:`joining_links`."""
    source, rank, target = joining_links(index, page, ends, relations, view)
    values = [RELATIONS_BY_VALUE[r].value for r in rank.tolist()]
    return list(zip(index.keys.keys(source), values, index.keys.keys(target), strict=True))


def level_counts(index: GraphIndex, ids: Ids) -> list[tuple[str | None, int]]:
    """(level, count) pairs of the documents ``ids``."""
    counts = np.bincount(index.level[ids], minlength=len(LEVELS))
    return [(level.value if level else None, int(n)) for level, n in zip(LEVELS, counts.tolist(), strict=True) if n]


def depth_counts(depths: Ids) -> dict[int, int]:
    counts = np.bincount(depths)
    return {depth: int(n) for depth, n in enumerate(counts.tolist()) if n}


RowsFetch = Callable[[list[str]], Mapping[str, Mapping[str, Any]]]
# Links by (source, relation, target), given the rows of documents already read (their ends' symbols).
LinksFetch = Callable[[list[tuple[str, str, str]], Mapping[str, Mapping[str, Any]]], list[Link]]


def indexed_lineage(
    index: GraphIndex,
    key: str,
    *,
    down: bool,
    relations: Sequence[Relation],
    max_depth: int,
    page: slice,
    view: View,
    rows: RowsFetch,
    links: LinksFetch,
) -> LineageRows | None:
    """A lineage page walked in the index, the page's documents' rows and links read by ``rows`` and ``links``.

    None when the index cannot answer (the root is not in it, or not yet issued on the view's day): the
    store's own walk then answers, with its errors.
    """
    root = index.keys.find(key)
    if root is None or not shown(index, np.array([root], dtype=np.int32), view)[0]:
        return None
    reached = walk(index, root, down=down, relations=relations, max_depth=max_depth, view=view)
    order = reached.ordered()
    on_page = order[page]
    page_ids = reached.ids[on_page]
    delivered = reached.ids[order[: (page.start or 0) + len(on_page)]]
    page_keys = index.keys.keys(page_ids)
    stored = rows(page_keys)
    return LineageRows(
        root=key,
        rows=[
            (depth, stored[k])
            for k, depth in zip(page_keys, reached.depths[on_page].tolist(), strict=True)
            if k in stored
        ],
        edges=sorted(links(links_among(index, page_ids, delivered, relations, view), stored), key=link_sort_key),
        total=len(reached.ids),
        depth_counts=depth_counts(reached.depths),
        level_counts=count_levels(level_counts(index, reached.ids)),
    )


def indexed_outline(
    index: GraphIndex,
    key: str,
    *,
    down: bool,
    relations: Sequence[Relation],
    max_depth: int,
    view: View,
    max_documents: int,
) -> LineageOutline | None:
    """The outline of a whole lineage from the index alone (nothing read from the store); None when the index
    cannot answer (see :func:`indexed_lineage`)."""
    root = index.keys.find(key)
    if root is None or not shown(index, np.array([root], dtype=np.int32), view)[0]:
        return None
    reached = walk(index, root, down=down, relations=relations, max_depth=max_depth, view=view)
    check_outline_size(len(reached.ids), max_documents)
    order = reached.ordered()
    ids, depths = reached.ids[order], reached.depths[order]
    by_id = np.argsort(ids)
    sorted_ids = ids[by_id]

    def positions(of: Ids) -> npt.NDArray[np.intp]:
        return by_id[np.searchsorted(sorted_ids, of)]

    parents = np.full(len(ids), -1, dtype=np.intp)
    has_parent = reached.parents[order] >= 0
    parents[has_parent] = positions(reached.parents[order][has_parent])
    source, rank, target = joining_links(index, ids, ids, relations, view)
    return LineageOutline.model_construct(
        root=key,
        total=len(ids),
        depth_counts=depth_counts(depths),
        level_counts=count_levels(level_counts(index, ids)),
        keys=index.keys.keys(ids),
        depths=depths.tolist(),
        parents=parents.tolist(),
        levels=LEVELS_BY_CODE[index.level[ids]].tolist(),
        jurisdictions=index.jurisdiction_names[index.jurisdiction[ids]].tolist(),
        years=[year or None for year in index.year[ids].tolist()],
        links=list(
            zip(positions(source).tolist(), RELATIONS_BY_VALUE[rank].tolist(), positions(target).tolist(), strict=True)
        ),
    )


def indexed_implementers(
    index: GraphIndex,
    key: str,
    *,
    level: Level | None,
    jurisdictions: set[str] | None,
    max_depth: int,
    page: slice,
    view: View,
    rows: RowsFetch,
) -> Implementers | None:
    """An implementers page walked in the index (see :func:`graph.lineage.implementer_keys` for the order);
    None when the index cannot answer."""
    root = index.keys.find(key)
    if root is None or not shown(index, np.array([root], dtype=np.int32), view)[0]:
        return None
    reached = walk(index, root, down=True, relations=IMPLEMENTATION_RELATIONS, max_depth=max_depth, view=view)
    ids = reached.ids
    matching = ids != root
    if level is not None:
        matching &= index.level[ids] == LEVEL_CODE[level.value]
    if jurisdictions is not None:
        codes = [i for i, name in enumerate(index.jurisdictions) if name in jurisdictions]
        matching &= np.isin(index.jurisdiction[ids], codes)
    positions = np.flatnonzero(matching)
    # Nearest, then newest (no year last), then key.
    positions = positions[np.lexsort((ids[positions], -index.year[ids[positions]], reached.depths[positions]))]
    on_page = positions[page]
    parent_of = dict(zip(ids.tolist(), reached.parents.tolist(), strict=True))
    page_keys = index.keys.keys(ids[on_page])
    stored = rows(page_keys)
    items = [
        trusted_document(stored[k], Implementer, via=index.keys.keys(_chain(parent_of, int(i), root)))
        for k, i in zip(page_keys, ids[on_page].tolist(), strict=True)
        if k in stored
    ]
    return Implementers.model_construct(
        items=items,
        total=len(positions),
        depth_counts=depth_counts(reached.depths[positions]),
        level_counts=count_levels(level_counts(index, ids[positions])),
    )


def _chain(parent_of: Mapping[int, int], id_: int, root: int) -> list[int]:
    """The ids strictly between the root and ``id_``, nearest to the root first."""
    chain = []
    step = parent_of.get(id_, -1)
    while step not in (-1, root):
        chain.append(step)
        step = parent_of.get(step, -1)
    return chain[::-1]

"""The audit's walk in the in-memory adjacency index: what implements many documents at once, in id space.

It answers what walking the store's :class:`ImplementationGraph` with :class:`ReachIndex` answers. The links a
walk may follow are those the store's walk from all roots gathers: implementation links from documents of the
levels entered (or of none) into documents fewer than MAX_DEPTH steps from some root, whatever their review.
Each root is then walked apart over those the review scope counts, every (root, document) pair at once, with
the parent rule of :class:`graph.lineage.Walk` (the smallest id one level nearer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graph.adjacency import LEVEL_CODE, RELATION_CODE, RELATIONS, REVIEW_CODE, REVIEWS, GraphIndex, Ids, RowsFetch
from graph.audit_reach import Implementing, Reached, Reaches
from graph.clock import parse_day
from graph.models import IMPLEMENTATION_RELATIONS, MAX_DEPTH, Document, Level, Review, ReviewScope
from graph.records import trusted_document

Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Pairs:
    """(root, document) pairs a walk reached: the root's position among the roots, the document's id, its depth
    and its parent's id (-1 for a root)."""

    roots: Ids
    ids: Ids
    depths: Ids
    parents: Ids

    def codes(self, documents: int) -> Codes:
        return pair_codes(self.roots, self.ids, documents)


def pair_codes(roots: Ids, ids: Ids, documents: int) -> Codes:
    """One integer per (root position, document id) pair."""
    codes: Codes = roots.astype(np.int64) * documents + ids
    return codes


def into_links(index: GraphIndex, nodes: Ids) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Positions of the links into ``nodes`` and, for each, which of ``nodes`` it goes into."""
    rows = index.into
    starts = rows.indptr[nodes]
    counts = rows.indptr[nodes + 1] - starts
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(nodes)), counts)
    if total == 0:
        return np.zeros(0, dtype=np.int64), owner
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return np.arange(total, dtype=np.int64) + shift, owner


def followed(index: GraphIndex, positions: npt.NDArray[np.int64], entered: Mask, reviews: Mask) -> Mask:
    """Which links into the frontier a step takes: implementation links of a review in ``reviews`` whose source
    has a level code in ``entered``."""
    relation_ok = np.zeros(len(RELATIONS), dtype=bool)
    relation_ok[[RELATION_CODE[r.value] for r in IMPLEMENTATION_RELATIONS]] = True
    rows = index.into
    keep: Mask = relation_ok[rows.relation[positions]] & reviews[rows.review[positions]]
    keep &= entered[index.level[rows.other[positions]]]
    return keep


def entered_levels(levels: Sequence[Level]) -> Mask:
    """The level codes a walk enters: those of ``levels``, and no level."""
    entered = np.zeros(len(LEVEL_CODE), dtype=bool)
    entered[[0, *(LEVEL_CODE[level.value] for level in levels)]] = True
    return entered


def review_mask(reviews: Sequence[Review]) -> Mask:
    mask = np.zeros(len(REVIEWS), dtype=bool)
    mask[[REVIEW_CODE[r.value] for r in reviews]] = True
    return mask


def expanded(index: GraphIndex, roots: Ids, entered: Mask) -> Mask:
    """The documents whose links the store's walk from all ``roots`` reads: those fewer than MAX_DEPTH steps
    from a root over the links it follows (any review)."""
    seen = np.zeros(index.documents, dtype=bool)
    out = np.zeros(index.documents, dtype=bool)
    seen[roots] = True
    frontier = roots
    every = review_mask(list(Review))
    for _ in range(MAX_DEPTH):
        if not len(frontier):
            break
        out[frontier] = True
        positions, _ = into_links(index, frontier)
        far = index.into.other[positions[followed(index, positions, entered, every)]]
        frontier = np.unique(far[~seen[far]]).astype(np.int32)
        seen[frontier] = True
    return out


def pair_walk(index: GraphIndex, roots: Ids, entered: Mask, reviews: Mask, expandable: Mask) -> Pairs:
    """Breadth first from each root apart, all roots at once: each (root, document) pair once, at its least depth,
    with the smallest id one level nearer as its parent. Only ``expandable`` documents are walked from."""
    n = index.documents
    at = np.arange(len(roots), dtype=np.int32)
    found = [Pairs(at, roots, np.zeros(len(roots), dtype=np.int32), np.full(len(roots), -1, dtype=np.int32))]
    seen = np.sort(pair_codes(at, roots, n))
    frontier_at, frontier = at, roots
    depth = 0
    while len(frontier):
        depth += 1
        live = expandable[frontier]
        frontier_at, frontier = frontier_at[live], frontier[live]
        positions, into = into_links(index, frontier)
        keep = followed(index, positions, entered, reviews)
        near, root_at = frontier[into[keep]], frontier_at[into[keep]]
        far = index.into.other[positions[keep]]
        codes = pair_codes(root_at, far, n)
        fresh = ~_holds(seen, codes)
        codes, near, root_at, far = codes[fresh], near[fresh], root_at[fresh], far[fresh]
        order = np.lexsort((near, codes))  # per new pair, its smallest parent first
        codes, near, root_at, far = codes[order], near[order], root_at[order], far[order]
        first = np.ones(len(codes), dtype=bool)
        first[1:] = codes[1:] != codes[:-1]
        frontier_at, frontier = root_at[first], far[first]
        found.append(Pairs(frontier_at, frontier, np.full(len(frontier), depth, dtype=np.int32), near[first]))
        seen = np.sort(np.concatenate([seen, codes[first]]), kind="mergesort")
    return Pairs(*(np.concatenate([getattr(p, f) for p in found]) for f in ("roots", "ids", "depths", "parents")))


# (key, symbol, date, year, issuer, jurisdiction, level) of documents by key: what an audit reads of each.
FactsFetch = Callable[[list[str]], Mapping[str, tuple[Any, ...]]]
LEVEL_OF = {level.value: level for level in Level}
# An implementer's fields but its chain, in the order of Implementing's.
Facts = tuple[str, str, dt.date | None, int | None, str | None, str | None, Level | None]


def _holds(ordered: Codes, codes: Codes) -> Mask:
    """Which of ``codes`` are in the sorted array ``ordered``."""
    if not len(ordered):
        return np.zeros(len(codes), dtype=bool)
    at = np.minimum(np.searchsorted(ordered, codes), len(ordered) - 1)
    held: Mask = ordered[at] == codes
    return held


def indexed_reaches(
    index: GraphIndex,
    roots: Sequence[str],
    levels: Sequence[Level],
    review: ReviewScope,
    *,
    rows: RowsFetch,
    facts: FactsFetch,
) -> Reaches | None:
    """What implements each of ``roots`` at the last of ``levels``, walked in the index entering ``levels``; the
    roots' documents read by ``rows``, the implementers' by ``facts``. None when a root is not in the index (the
    store's own walk then answers)."""
    keys = sorted(set(roots))
    found = [index.keys.find(key) for key in keys]
    stored = rows(keys)
    if any(i is None for i in found) or len(stored) < len(keys):
        return None
    ids = np.array(found, dtype=np.int32)
    entered = entered_levels(levels)
    expandable = expanded(index, ids, entered)
    counted = [r for r in Review if review.counts(r)]
    walked = pair_walk(index, ids, entered, review_mask(counted), expandable)
    accepted = pair_walk(index, ids, entered, review_mask([r for r in counted if r == Review.accepted]), expandable)
    proposed = ~_holds(np.sort(accepted.codes(index.documents)), walked.codes(index.documents))
    wanted = (walked.depths > 0) & (index.level[walked.ids] == LEVEL_CODE[levels[-1].value])
    implementing = np.unique(walked.ids[wanted])
    named = index.keys.keys(implementing)
    read = facts(named)
    base = {i: _facts(read[key]) for i, key in zip(implementing.tolist(), named, strict=True) if key in read}
    documents = {key: trusted_document(stored[key], Document) for key in keys}
    return Reaches(documents, _reached(index, ids, walked, wanted, proposed, base))


def _reached(
    index: GraphIndex, roots: Ids, walked: Pairs, wanted: Mask, proposed: Mask, base: Mapping[int, Facts]
) -> dict[str, Reached]:
    """Per root, its implementers in (depth, key) order with their chains, and the keys reached only through
    proposed links; ``base``: what is read of each implementer, by id."""
    n = index.documents
    deep = walked.depths > 1  # the only ones with a chain: the parents of its pairs are looked up
    parent_of = dict(zip(walked.codes(n)[deep].tolist(), walked.parents[deep].tolist(), strict=True))
    order = np.lexsort((walked.ids, walked.depths, walked.roots))
    order = order[wanted[order]]
    implementers: list[list[Implementing]] = [[] for _ in range(len(roots))]
    decoded: dict[int, str] = {}  # a document on many chains is named once
    for at, i, depth, parent in zip(
        *(a[order].tolist() for a in (walked.roots, walked.ids, walked.depths, walked.parents)), strict=True
    ):
        if i in base:
            chain = _chain(parent_of, at * n, parent, depth - 1) if depth > 1 else []
            via = [decoded.get(c) or decoded.setdefault(c, index.keys.key(c)) for c in chain]
            implementers[at].append(Implementing(*base[i], via))
    marked: list[set[str]] = [set() for _ in range(len(roots))]
    for at, i in zip(walked.roots[proposed].tolist(), walked.ids[proposed].tolist(), strict=True):
        marked[at].add(index.keys.key(i))
    return {
        index.keys.key(root): Reached(implementers[at], frozenset(marked[at])) for at, root in enumerate(roots.tolist())
    }


def _chain(parent_of: Mapping[int, int], offset: int, parent: int, depth: int) -> list[int]:
    """The ids from depth 1 down to ``parent`` (at ``depth``) on one root's walk; ``offset``: that root's codes."""
    chain = [parent]
    for _ in range(depth - 1):
        chain.append(parent_of[offset + chain[-1]])
    return chain[::-1]


def _facts(fact: tuple[Any, ...]) -> Facts:
    """An implementer's stored (key, symbol, date, year, issuer, jurisdiction, level), the date and level parsed."""
    key, symbol, date, year, issuer, jurisdiction, level = fact
    return key, symbol, parse_day(date), year, issuer, jurisdiction, LEVEL_OF.get(level)

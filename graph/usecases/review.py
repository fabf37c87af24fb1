"""Review decisions on links: accept, reject, correct (the old link rejected, naming its accepted successor)
or delete; each decision one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from graph.errors import InvalidInputError
from graph.events import EventKind, link_event
from graph.models import Link, LinkDraft, Review
from graph.ports import Events, Lifecycle, LinkReview, Links
from graph.review import LinkDecision, with_entry
from graph.usecases.units import in_one_unit


class ReviewStore(Lifecycle, Links, LinkReview, Events, Protocol):
    """The store roles a decision reads and writes."""


@dataclass(frozen=True)
class Decided:
    """A decision's outcome: the link before and after it, and the link a correction accepted."""

    before: Link
    after: Link
    corrected: Link | None = None


def corrected_draft(link: Link, decision: LinkDecision) -> LinkDraft:
    """The accepted link a correction asks for, stated by the corrected link's first provenance entry."""
    relation = decision.relation or link.relation
    target = decision.target or link.target
    if (relation, target) == (link.relation, link.target):
        raise InvalidInputError("the correction names the link itself: give another relation or target")
    first = link.provenance[0]
    return LinkDraft(
        source=link.source,
        relation=relation,
        target=target,
        origin=first.origin,
        evidence=first.evidence,
        source_text_id=first.text_id,
        span_start=first.span_start,
        span_end=first.span_end,
        confidence=first.confidence,
        review=Review.accepted,
        partial=link.partial,
        force=decision.force,
    )


async def decide(store: ReviewStore, link_id: str, decision: LinkDecision) -> Decided:
    """Apply a reviewer's decision to the link ``link_id`` (NotFoundError when there is none)."""

    async def work() -> Decided:
        decided = await _decided(store, await store.get_link(link_id), decision)
        reviewed = [decided.after, *([decided.corrected] if decided.corrected else [])]
        await store.append_events(
            [link_event(EventKind.link_reviewed, link, {"corrected_to": link.corrected_to}) for link in reviewed]
        )
        return decided

    return await in_one_unit(store, work)


async def _decided(store: ReviewStore, before: Link, decision: LinkDecision) -> Decided:
    if decision.review is not None:
        return Decided(before, await store.update_link(before.model_copy(update={"review": decision.review})))
    [corrected] = await store.upsert_links([corrected_draft(before, decision)])
    entries = corrected.provenance
    for entry in before.provenance:
        entries = with_entry(entries, entry)
    corrected = await store.update_link(corrected.model_copy(update={"provenance": entries}))
    rejected = before.model_copy(update={"review": Review.rejected, "corrected_to": corrected.id})
    return Decided(before, await store.update_link(rejected), corrected)


async def delete(store: ReviewStore, link_id: str) -> Link:
    """Delete the link ``link_id``; the link as it was."""

    async def work() -> Link:
        link = await store.get_link(link_id)
        await store.append_events([link_event(EventKind.link_deleted, link)])  # while its source's facets are read
        await store.delete_link(link_id)
        return link

    return await in_one_unit(store, work)

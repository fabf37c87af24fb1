"""Link review: identity, provenance entries, write checks and review states, the same for every store.

A store reads the links a batch touches, :func:`merged_link` decides what each becomes, and the store writes
the whole state back; so both stores keep provenance and review decisions alike.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from graph.errors import InvalidInputError
from graph.models import Key, Link, LinkDraft, Origin, Provenance, Relation, Review

# Relations whose source comes after its target: a plan implements a resolution issued before it.
ORDERED_RELATIONS = frozenset(
    {Relation.implements, Relation.continues, Relation.guides, Relation.amends, Relation.replaces, Relation.repeals}
)
# The flat fields of a link, copied from its first provenance entry for clients of earlier versions.
FLAT_FIELDS = ("origin", "evidence", "source_text_id", "span_start", "span_end", "confidence", "created_at")


class Issued(NamedTuple):
    """When a document was issued, as far as known: its date, else its year."""

    date: dt.date | None
    year: int | None


def new_link_id() -> str:
    """A link's id: random, given once, never derived from its ends."""
    return uuid.uuid4().hex


def predates(source: Issued, target: Issued) -> bool:
    """Whether ``source`` was surely issued before ``target`` (by date when both have one, else by year)."""
    if source.date is not None and target.date is not None:
        return source.date < target.date
    source_year = source.date.year if source.date else source.year
    target_year = target.date.year if target.date else target.year
    return source_year is not None and target_year is not None and source_year < target_year


def link_problem(draft: LinkDraft, ends: Mapping[str, Issued]) -> str | None:
    """Why a link cannot be written (a missing end, a self-link, a source older than its target along an
    ordered relation unless forced), or None."""
    for end in (draft.source, draft.target):
        if end not in ends:
            return f"link end '{end}' is not a stored document"
    if draft.source == draft.target:
        return f"a document cannot link to itself ('{draft.source}')"
    if not draft.force and out_of_order(draft, ends):
        return (
            f"'{draft.source}' {draft.relation.value} '{draft.target}' but was issued before it; "
            'send "force": true to keep it flagged'
        )
    return None


def out_of_order(draft: LinkDraft, ends: Mapping[str, Issued]) -> bool:
    """Whether a link between stored documents goes against the order its relation implies."""
    return draft.relation in ORDERED_RELATIONS and predates(ends[draft.source], ends[draft.target])


def check_drafts(drafts: Sequence[LinkDraft], ends: Mapping[str, Issued]) -> list[bool]:
    """Refuse the batch (InvalidInputError naming the first bad link) unless every link may be written; the
    flag of each (kept with force against the order)."""
    for draft in drafts:
        if (problem := link_problem(draft, ends)) is not None:
            raise InvalidInputError(problem)
    return [out_of_order(d, ends) for d in drafts]


def entry_of(draft: LinkDraft, now: dt.datetime) -> Provenance:
    """The provenance entry a draft states."""
    return Provenance(
        origin=draft.origin,
        text_id=draft.source_text_id,
        span_start=draft.span_start,
        span_end=draft.span_end,
        evidence=draft.evidence,
        confidence=draft.confidence,
        created_at=now,
    )


def with_entry(entries: Sequence[Provenance], entry: Provenance) -> list[Provenance]:
    """The entries with ``entry`` added unless its source (origin and text) is there already; curated entries
    come before extracted ones, so a curated statement is what the flat fields show."""
    if any((e.origin, e.text_id) == (entry.origin, entry.text_id) for e in entries):
        return list(entries)
    if entry.origin == Origin.curated:
        at = next((i for i, e in enumerate(entries) if e.origin != Origin.curated), len(entries))
        return [*entries[:at], entry, *entries[at:]]
    return [*entries, entry]


def initial_review(draft: LinkDraft) -> Review:
    """A new link's state: as the draft says, else proposed when extracted and accepted otherwise."""
    if draft.review is not None:
        return draft.review
    return Review.proposed if draft.origin == Origin.extracted else Review.accepted


def next_review(stored: Review, draft: LinkDraft) -> Review:
    """A stored link's state after a draft restates it: a draft's explicit review is a decision; otherwise a
    curated statement accepts a proposed link, and nothing brings a rejected one back."""
    if draft.review is not None:
        return draft.review
    if stored == Review.proposed and initial_review(draft) == Review.accepted:
        return Review.accepted
    return stored


def flat(link: Link) -> Link:
    """The link with its flat fields copied from its first provenance entry."""
    if not link.provenance:
        return link
    first = link.provenance[0]
    return link.model_copy(
        update={
            "origin": first.origin,
            "evidence": first.evidence,
            "source_text_id": first.text_id,
            "span_start": first.span_start,
            "span_end": first.span_end,
            "confidence": first.confidence,
            "created_at": first.created_at,
        }
    )


def merged_link(stored: Link | None, draft: LinkDraft, flagged: bool, now: dt.datetime) -> Link:
    """What a stored link (or None for a new one) becomes when ``draft`` states it."""
    entry = entry_of(draft, now)
    if stored is None:
        link = Link(
            id=new_link_id(),
            source=draft.source,
            relation=draft.relation,
            target=draft.target,
            review=initial_review(draft),
            provenance=[entry],
            partial=draft.partial,
            flagged=flagged,
        )
        return flat(link)
    return flat(
        stored.model_copy(
            update={
                "review": next_review(stored.review, draft),
                "provenance": with_entry(stored.provenance, entry),
                "partial": stored.partial or draft.partial,
                "flagged": stored.flagged or flagged,
            }
        )
    )


def restated(stored: Link, decided: Link) -> Link:
    """The stored link (its id and ends) with the review state and provenance of ``decided``."""
    state = {"review", "provenance", "corrected_to", "partial", "flagged"}
    return flat(stored.model_copy(update={name: getattr(decided, name) for name in state}))


def first_entry(link: Link) -> Provenance:
    """The entry a link's flat fields make: the provenance of a link read without any (written before V0013)."""
    return Provenance(
        origin=link.origin,
        text_id=link.source_text_id,
        span_start=link.span_start,
        span_end=link.span_end,
        evidence=link.evidence,
        confidence=link.confidence,
        created_at=link.created_at,
    )


class ReviewQuery(BaseModel):
    """Which links the review queue lists: lowest confidence first, then id."""

    model_config = ConfigDict(frozen=True)

    review: Review = Review.proposed
    jurisdiction: str | None = Field(default=None, description="of the link's source")
    relation: Relation | None = None
    confidence_below: float | None = Field(default=None, ge=0.0, le=1.0)
    text: str | None = Field(default=None, description="a text id: links one of whose entries it states")


class LinkDecision(BaseModel):
    """A reviewer's decision on a link: accept or reject it, or correct its relation and/or target."""

    model_config = ConfigDict(extra="forbid")

    review: Literal[Review.accepted, Review.rejected] | None = None
    relation: Relation | None = None
    target: Key | None = None
    force: StrictBool = Field(default=False, description="keep a corrected link whose source predates its target")

    @model_validator(mode="after")
    def _one_decision(self) -> LinkDecision:
        correcting = self.relation is not None or self.target is not None
        if (self.review is None) == (not correcting):
            raise ValueError("give either 'review' (accepted or rejected) or a corrected 'relation' and/or 'target'")
        return self


def decision_summary(link: Link) -> dict[str, str | None]:
    """What the change log keeps of a link before and after a decision."""
    return {
        "id": link.id,
        "link": f"{link.source} {link.relation.value} {link.target}",
        "review": link.review.value,
        "corrected_to": link.corrected_to,
    }

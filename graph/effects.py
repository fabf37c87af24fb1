"""Effect status: whether a document is in force on a day, derived from the links that change it and its dates.

What is stored and what is computed. The stores keep, per document, only facts that do not depend on the
day: its **effects** — one per incoming ``amends``, ``replaces`` or ``repeals`` link that is not rejected,
with the link's id, the changing document and the day that document takes effect (its ``effective_from``,
else its date). A link or date write recomputes the effects of the documents it touches in the same
transaction, and a bulk import recomputes all of them in one set-based pass. The status itself depends on
the day (an expiry passes, a repeal takes effect), so it is computed on read by :func:`standing`, for today
(:func:`graph.clock.today`) or the ``as_of`` day: a stored status would be stale the day after.

Precedence: repealed > replaced > expired > not_yet_in_force > partly_repealed > amended > unknown > in_force.
A document whose status was set by hand (``status_source=curated``) keeps it whatever its links say.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.clock import iso_day, parse_day, today
from graph.models import Document, Effect, EffectStatus, Relation, Review, ReviewScope, StatusSource

# A document's date, effective_from and effective_to.
Dates = tuple[dt.date | None, dt.date | None, dt.date | None]
# The relations that change their target's effect, and what each makes of it (partial, whole).
EFFECT_RELATIONS: dict[Relation, tuple[EffectStatus, EffectStatus]] = {
    Relation.amends: (EffectStatus.amended, EffectStatus.amended),
    Relation.repeals: (EffectStatus.partly_repealed, EffectStatus.repealed),
    Relation.replaces: (EffectStatus.replaced, EffectStatus.replaced),
}
# The statuses an effect can give, strongest first; expiry and the document's own dates sit between.
ENDING = (EffectStatus.repealed, EffectStatus.replaced)
CHANGING = (EffectStatus.partly_repealed, EffectStatus.amended)
# The statuses ``in_force=true`` selects: the document still applies, changed or not.
IN_FORCE = frozenset({EffectStatus.in_force, EffectStatus.amended, EffectStatus.partly_repealed})


@dataclass(frozen=True)
class Incoming:
    """One link into a document, as the derivation reads it."""

    link: str
    relation: Relation
    source: str
    review: Review = Review.accepted
    partial: bool = False
    source_date: dt.date | None = None
    source_effective_from: dt.date | None = None


@dataclass(frozen=True)
class Standing:
    """A document's status on a day, the links that made it, and its end of force as known that day."""

    status: EffectStatus
    links: tuple[str, ...]
    effective_to: dt.date | None


def effect_kind(relation: Relation, partial: bool) -> EffectStatus | None:
    """What a link of ``relation`` does to its target's effect, or None when it does not change it."""
    kinds = EFFECT_RELATIONS.get(relation)
    return None if kinds is None else kinds[0 if partial else 1]


def effects_of(incoming: Iterable[Incoming]) -> list[Effect]:
    """The effects of a document's incoming links, rejected ones left out, by day (undated first) then link."""
    out = []
    for link in incoming:
        kind = effect_kind(link.relation, link.partial)
        if kind is not None and ReviewScope.not_rejected.counts(link.review):
            out.append(
                Effect(
                    kind=kind, day=link.source_effective_from or link.source_date, link=link.link, source=link.source
                )
            )
    return sorted(out, key=lambda e: (e.day or dt.date.min, e.link))


def _happened(effect: Effect, day: dt.date) -> bool:
    """An effect of unknown day counts from the start, as an undated document is always issued."""
    return effect.day is None or effect.day <= day


def standing(doc: Document, day: dt.date) -> Standing:
    """The status of ``doc`` on ``day`` from its stored effects and dates (see the module docstring)."""
    if doc.status_source == StatusSource.curated:
        return Standing(doc.status, (), doc.effective_to)
    return _derived(doc.effects, (doc.date, doc.effective_from, doc.effective_to), day)


def _derived(effects: Sequence[Effect], dates: Dates, day: dt.date) -> Standing:
    effective_to = dates[2]
    happened = [e for e in effects if _happened(e, day)]
    for kind in ENDING if happened else ():
        links = tuple(e.link for e in happened if e.kind == kind)
        if links:
            ends = [e.day for e in happened if e.kind in ENDING and e.day is not None]
            return Standing(kind, links, min(ends) if ends else effective_to)
    status = dated_status(dates, day)
    if status not in (EffectStatus.expired, EffectStatus.not_yet_in_force):
        for kind in CHANGING if happened else ():
            links = tuple(e.link for e in happened if e.kind == kind)
            if links:
                return Standing(kind, links, effective_to)
    return Standing(status, (), effective_to)


def dated_status(dates: Dates, day: dt.date) -> EffectStatus:
    """The status on ``day`` of a document that nothing repealed, replaced or amended, from its dates alone
    (date, effective from, effective to)."""
    date, effective_from, effective_to = dates
    start = effective_from or date
    if effective_to is not None and effective_to < day:
        return EffectStatus.expired
    if start is not None and day < start:
        return EffectStatus.not_yet_in_force
    return EffectStatus.unknown if start is None else EffectStatus.in_force


def as_of(doc: Document, day: dt.date | None = None) -> Document:
    """``doc`` with its status, status links and end of force of ``day`` (today by default)."""
    result = standing(doc, day or today())
    return doc.model_copy(
        update={"status": result.status, "status_links": list(result.links), "effective_to": result.effective_to}
    )


def matches(doc: Document, status: EffectStatus | None, in_force: bool | None) -> bool:
    """Whether a settled document passes a ``status=`` and an ``in_force=`` filter (None: no filter)."""
    if status is not None and doc.status != status:
        return False
    return in_force is None or (doc.status in IN_FORCE) == in_force


def effects_json(effects: Iterable[Effect]) -> str:
    """Effects as stored text: ``[[kind, day, link, source], …]``."""
    return json.dumps([[e.kind.value, iso_day(e.day), e.link, e.source] for e in effects], ensure_ascii=False)


def effects_from_json(text: str | None) -> list[Effect]:
    """Stored effects back from :func:`effects_json` (None or empty: none)."""
    return [
        Effect(EffectStatus(kind), parse_day(day), link, source) for kind, day, link, source in json.loads(text or "[]")
    ]


def settled(data: Mapping[str, Any], doc: Document, day: dt.date | None = None) -> Document:
    """A document just read from a stored row (``data``: its ``effects`` text and ``status_source``), settled on
    ``day`` in place: every read goes through here, so it makes no copies."""
    stored = data.get("effects")
    fields = doc.__dict__  # set in place, past pydantic's __setattr__: a read builds hundreds of these
    has_effects = bool(stored) and stored != "[]"
    curated = data.get("status_source") == StatusSource.curated
    fields["status_source"] = StatusSource.curated if curated else StatusSource.derived
    if not curated and not has_effects:
        # Most documents have no effects: their status is a matter of their dates.
        fields["effects"], fields["status_links"] = [], []
        fields["status"] = dated_status((doc.date, doc.effective_from, doc.effective_to), day or today())
        return doc
    fields["effects"] = effects_from_json(stored) if has_effects else []
    result = standing(doc, day or today())
    fields["status"], fields["status_links"], fields["effective_to"] = (
        result.status,
        list(result.links),
        result.effective_to,
    )
    return doc


def status_on(
    status_source: str | None,
    status: str | None,
    dates: tuple[str | None, str | None, str | None],
    effects: str | None,
    day: str,
) -> str:
    """The status as text from stored text (the SQL function ``lexgraph_status``); ``dates``: date, from, to."""
    if status_source == StatusSource.curated:
        return status or EffectStatus.unknown.value
    days = (parse_day(dates[0]), parse_day(dates[1]), parse_day(dates[2]))
    return _derived(effects_from_json(effects), days, dt.date.fromisoformat(day)).status.value


def status_function(source: str | None, status: str | None, dates: str, effects: str | None, day: str) -> str:
    """The SQL function ``lexgraph_status``: :func:`status_on` of a stored row, its three dates as a JSON array."""
    date, effective_from, effective_to = json.loads(dates)
    return status_on(source, status, (date, effective_from, effective_to), effects, day)

"""Pure rules of link review: order of issue, write checks, provenance entries, review states, decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from graph.errors import InvalidInputError
from graph.models import LinkDraft, Origin, Provenance, Relation, Review
from graph.review import (
    Issued,
    LinkDecision,
    check_drafts,
    initial_review,
    merged_link,
    next_review,
    predates,
    with_entry,
)

D = dt.date
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        (Issued(D(2019, 1, 1), 2019), Issued(D(2020, 1, 1), 2020), True),
        (Issued(D(2020, 1, 1), 2020), Issued(D(2020, 1, 1), 2020), False),
        (Issued(None, 2019), Issued(D(2020, 5, 1), 2020), True),
        (Issued(None, 2020), Issued(D(2020, 5, 1), 2020), False),
        (Issued(None, None), Issued(D(2020, 5, 1), 2020), False),
        (Issued(D(2021, 1, 1), 2021), Issued(None, None), False),
    ],
)
def test_predates(source: Issued, target: Issued, expected: bool) -> None:
    assert predates(source, target) is expected


ENDS = {"old": Issued(D(2010, 1, 1), 2010), "new": Issued(D(2020, 1, 1), 2020)}


@pytest.mark.parametrize(
    ("source", "relation", "target", "force", "outcome"),
    [
        ("new", Relation.implements, "old", False, False),
        ("old", Relation.cites, "new", False, False),
        ("old", Relation.implements, "new", True, True),
        ("old", Relation.amends, "new", False, "issued before"),
        ("old", Relation.cites, "old", False, "itself"),
        ("old", Relation.cites, "old", True, "itself"),
        ("old", Relation.cites, "gone", False, "gone"),
    ],
)
def test_check_drafts(source: str, relation: Relation, target: str, force: bool, outcome: bool | str) -> None:
    draft = LinkDraft(source=source, relation=relation, target=target, force=force)
    if isinstance(outcome, str):
        with pytest.raises(InvalidInputError, match=outcome):
            check_drafts([draft], ENDS)
    else:
        assert check_drafts([draft], ENDS) == [outcome]


def entry(origin: Origin, text: str | None) -> Provenance:
    return Provenance(origin=origin, text_id=text)


@pytest.mark.parametrize(
    ("entries", "added", "expected"),
    [
        ([], entry(Origin.extracted, "a"), [("extracted", "a")]),
        ([entry(Origin.extracted, "a")], entry(Origin.extracted, "a"), [("extracted", "a")]),
        ([entry(Origin.extracted, "a")], entry(Origin.extracted, "b"), [("extracted", "a"), ("extracted", "b")]),
        ([entry(Origin.extracted, "a")], entry(Origin.curated, None), [("curated", None), ("extracted", "a")]),
        (
            [entry(Origin.curated, None), entry(Origin.extracted, "a")],
            entry(Origin.curated, "c"),
            [("curated", None), ("curated", "c"), ("extracted", "a")],
        ),
    ],
)
def test_with_entry(entries: list[Provenance], added: Provenance, expected: list[tuple[str, str | None]]) -> None:
    assert [(e.origin.value, e.text_id) for e in with_entry(entries, added)] == expected


@pytest.mark.parametrize(
    ("stored", "origin", "review", "expected"),
    [
        (None, Origin.extracted, None, Review.proposed),
        (None, Origin.curated, None, Review.accepted),
        (Review.proposed, Origin.curated, None, Review.accepted),
        (Review.rejected, Origin.curated, None, Review.rejected),
        (Review.rejected, Origin.extracted, None, Review.rejected),
        (Review.accepted, Origin.extracted, None, Review.accepted),
        (Review.rejected, Origin.curated, Review.accepted, Review.accepted),
    ],
)
def test_review_states(stored: Review | None, origin: Origin, review: Review | None, expected: Review) -> None:
    draft = LinkDraft(source="a", relation=Relation.cites, target="b", origin=origin, review=review)
    assert (initial_review(draft) if stored is None else next_review(stored, draft)) == expected


def test_merged_link_keeps_the_id_and_copies_the_first_entry() -> None:
    first = LinkDraft(source="a", relation=Relation.cites, target="b", origin=Origin.extracted, source_text_id="t")
    new = merged_link(None, first, False, NOW)
    again = merged_link(new, first.model_copy(update={"source_text_id": "u", "confidence": 0.1}), True, NOW)
    assert again.id == new.id and again.flagged and len(again.provenance) == 2
    assert (again.source_text_id, again.confidence, again.created_at) == ("t", 1.0, NOW)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"review": "proposed"},
        {"review": "accepted", "target": "x"},
        {"force": True},
        {"review": "rejected", "y": 1},
    ],
)
def test_a_decision_is_one_thing(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        LinkDecision.model_validate(body)


@pytest.mark.parametrize("body", [{"review": "accepted"}, {"relation": "implements"}, {"target": "x", "force": True}])
def test_good_decisions(body: dict[str, object]) -> None:
    assert LinkDecision.model_validate(body)

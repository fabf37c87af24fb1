"""graph.effects: statuses derived from incoming links and dates, on a day."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.effects import (
    Incoming,
    as_of,
    effect_kind,
    effects_from_json,
    effects_json,
    effects_of,
    matches,
    standing,
    status_on,
)
from graph.models import Document, EffectStatus, Relation, Review, StatusSource

pytestmark = pytest.mark.unit

D = dt.date
S = EffectStatus


def _doc(incoming: list[Incoming], **fields: object) -> Document:
    return Document.model_validate({"key": "doc", "date": D(2015, 1, 1), **fields, "effects": effects_of(incoming)})


def _in(link: str, relation: Relation, day: D | None, **fields: object) -> Incoming:
    return Incoming(link=link, relation=relation, source=f"src-{link}", source_date=day, **fields)  # type: ignore[arg-type]


AMEND = _in("a", Relation.amends, D(2018, 1, 1))
PART = _in("p", Relation.repeals, D(2019, 1, 1), partial=True)
REPLACE = _in("r", Relation.replaces, D(2020, 1, 1))
REPEAL = _in("x", Relation.repeals, D(2021, 1, 1))

STATUS_CASES = [
    # (incoming, document fields, day, status, links)
    ([], {}, D(2016, 1, 1), S.in_force, ()),
    ([], {"date": None}, D(2016, 1, 1), S.unknown, ()),
    ([], {}, D(2014, 1, 1), S.not_yet_in_force, ()),
    ([], {"effective_from": D(2016, 1, 1)}, D(2015, 6, 1), S.not_yet_in_force, ()),
    ([], {"effective_to": D(2017, 1, 1)}, D(2017, 1, 1), S.in_force, ()),
    ([], {"effective_to": D(2017, 1, 1)}, D(2017, 1, 2), S.expired, ()),
    ([AMEND], {}, D(2017, 12, 31), S.in_force, ()),
    ([AMEND], {}, D(2018, 1, 1), S.amended, ("a",)),
    ([AMEND, PART], {}, D(2019, 6, 1), S.partly_repealed, ("p",)),
    ([AMEND, PART, REPLACE], {}, D(2020, 6, 1), S.replaced, ("r",)),
    ([AMEND, PART, REPLACE, REPEAL], {}, D(2022, 1, 1), S.repealed, ("x",)),
    ([REPLACE], {"effective_to": D(2019, 1, 1)}, D(2020, 6, 1), S.replaced, ("r",)),
    ([AMEND], {"effective_to": D(2019, 1, 1)}, D(2020, 6, 1), S.expired, ()),
    ([_in("a", Relation.amends, D(2018, 1, 1), review=Review.rejected)], {}, D(2019, 1, 1), S.in_force, ()),
    ([_in("a", Relation.amends, D(2018, 1, 1), review=Review.proposed)], {}, D(2019, 1, 1), S.amended, ("a",)),
    ([_in("c", Relation.cites, D(2018, 1, 1))], {}, D(2019, 1, 1), S.in_force, ()),
    ([_in("u", Relation.repeals, None)], {}, D(2016, 1, 1), S.repealed, ("u",)),
    ([AMEND], {"date": None}, D(2019, 1, 1), S.amended, ("a",)),
    (
        [_in("e", Relation.amends, D(2017, 1, 1), source_effective_from=D(2018, 3, 1))],
        {},
        D(2018, 2, 1),
        S.in_force,
        (),
    ),
    ([REPEAL], {"status": S.in_force, "status_source": StatusSource.curated}, D(2022, 1, 1), S.in_force, ()),
]


@pytest.mark.parametrize(("incoming", "fields", "day", "status", "links"), STATUS_CASES)
def test_status_on_a_day(
    incoming: list[Incoming], fields: dict[str, object], day: D, status: EffectStatus, links: tuple[str, ...]
) -> None:
    doc = _doc(incoming, **fields)
    result = standing(doc, day)
    assert (result.status, result.links) == (status, links)
    stored = status_on(
        doc.status_source.value,
        doc.status.value,
        tuple(d.isoformat() if d else None for d in (doc.date, doc.effective_from, doc.effective_to)),  # type: ignore[arg-type]
        effects_json(doc.effects),
        day.isoformat(),
    )
    assert stored == status.value


END_CASES = [
    # (incoming, day, effective_to): a replaced or repealed document ends the day its replacement takes effect
    ([REPLACE], D(2020, 6, 1), D(2020, 1, 1)),
    ([_in("r", Relation.replaces, D(2020, 1, 1), source_effective_from=D(2020, 3, 1))], D(2020, 6, 1), D(2020, 3, 1)),
    ([REPLACE, REPEAL], D(2022, 1, 1), D(2020, 1, 1)),
    ([REPLACE], D(2019, 6, 1), None),
]


@pytest.mark.parametrize(("incoming", "day", "effective_to"), END_CASES)
def test_end_of_force(incoming: list[Incoming], day: D, effective_to: D | None) -> None:
    assert as_of(_doc(incoming), day).effective_to == effective_to


KIND_CASES = [
    (Relation.amends, False, S.amended),
    (Relation.amends, True, S.amended),
    (Relation.repeals, True, S.partly_repealed),
    (Relation.repeals, False, S.repealed),
    (Relation.replaces, False, S.replaced),
    (Relation.implements, False, None),
    (Relation.cites, True, None),
]


@pytest.mark.parametrize(("relation", "partial", "kind"), KIND_CASES)
def test_effect_kind(relation: Relation, partial: bool, kind: EffectStatus | None) -> None:
    assert effect_kind(relation, partial) == kind


def test_effects_round_trip_and_order() -> None:
    effects = effects_of([REPEAL, _in("u", Relation.amends, None), AMEND])
    assert [e.link for e in effects] == ["u", "a", "x"]
    assert effects_from_json(effects_json(effects)) == effects


FILTER_CASES = [
    (S.amended, None, None, True),
    (S.amended, S.amended, None, True),
    (S.amended, S.repealed, None, False),
    (S.amended, None, True, True),
    (S.partly_repealed, None, True, True),
    (S.replaced, None, True, False),
    (S.replaced, None, False, True),
    (S.in_force, None, False, False),
]


@pytest.mark.parametrize(("status", "wanted", "in_force", "passes"), FILTER_CASES)
def test_filters(status: EffectStatus, wanted: EffectStatus | None, in_force: bool | None, passes: bool) -> None:
    assert matches(Document(key="d", status=status), wanted, in_force) == passes

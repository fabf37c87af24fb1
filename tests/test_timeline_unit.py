"""graph.timeline: a document's events in date order, cut at a day, rejected links left out."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.models import Document, EffectStatus, Link, Relation, Review
from graph.timeline import timeline

pytestmark = pytest.mark.unit

D = dt.date
DOC = Document(key="base", symbol="1/2015/NĐ-CP", date=D(2015, 1, 1), effective_from=D(2015, 2, 1))
AMENDER = Document(key="amender", symbol="2/2017/NĐ-CP", date=D(2017, 1, 1))
REPEALER = Document(key="repealer", symbol="3/2019/NĐ-CP", date=D(2019, 1, 1), effective_from=D(2019, 3, 1))
LATER = Document(key="later", symbol="4/2020/NĐ-CP", date=D(2020, 1, 1))


def _link(source: str, relation: Relation, target: str, **fields: object) -> Link:
    return Link.model_validate({"source": source, "relation": relation, "target": target, **fields})


CHANGED_BY = [
    (_link("amender", Relation.amends, "base"), AMENDER),
    (_link("repealer", Relation.repeals, "base", partial=True), REPEALER),
    (_link("later", Relation.repeals, "base", review=Review.rejected), LATER),
    (_link("later", Relation.cites, "base"), LATER),
]
CHANGES = [(_link("base", Relation.replaces, "older"), Document(key="older", symbol="9/2010/NĐ-CP"))]

CASES = [
    (
        None,
        [
            (D(2015, 1, 1), "issued", None),
            (D(2015, 2, 1), "in_force", None),
            (D(2015, 2, 1), "replaces", "older"),
            (D(2017, 1, 1), "amended", "amender"),
            (D(2019, 3, 1), "partly_repealed", "repealer"),
        ],
    ),
    (
        D(2018, 1, 1),
        [
            (D(2015, 1, 1), "issued", None),
            (D(2015, 2, 1), "in_force", None),
            (D(2015, 2, 1), "replaces", "older"),
            (D(2017, 1, 1), "amended", "amender"),
        ],
    ),
    (D(2015, 1, 15), [(D(2015, 1, 1), "issued", None)]),
]


@pytest.mark.parametrize(("day", "events"), CASES)
def test_timeline(day: D | None, events: list[tuple[D, str, str | None]]) -> None:
    doc = DOC.model_copy(update={"status": EffectStatus.partly_repealed})
    result = timeline(doc, CHANGED_BY, CHANGES, day)
    assert [(e.day, e.event.value, e.document) for e in result.entries] == events

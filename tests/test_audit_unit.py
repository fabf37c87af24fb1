"""The pure audit logic (graph/audit.py) and obligation models (graph/obligations.py), without a store."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from pydantic import ValidationError

from graph.audit import (
    AuditReport,
    RowStatus,
    SummarySort,
    audit,
    report_csv,
    score_units,
    summarize,
)
from graph.errors import InvalidInputError
from graph.models import Branch, Document, Implementer, Level, Organization, Relation, organization_matches
from graph.obligations import (
    ObligationDraft,
    ObligationRule,
    ObligationStatus,
    RecordedObligation,
    drafts_from_proposal,
)

pytestmark = pytest.mark.unit

D = dt.date
SOURCE = Document(key="9-kl-tw-2019", symbol="9-KL/TW", date=D(2019, 1, 10), issuer="ban-bi-thu", level=Level.central)


def unit(key: str, name: str, *, level: Level = Level.province, **fields: Any) -> Organization:
    return Organization(key=key, name=name, kind="administrative_unit", level=level, jurisdiction=key, **fields)


def body(unit_key: str, suffix: str, branch: Branch, level: Level = Level.province) -> Organization:
    return Organization(
        key=f"{unit_key}.{suffix}",
        name=f"{suffix} {unit_key}",
        kind="body",
        level=level,
        branch=branch,
        parent=unit_key,
        jurisdiction=unit_key,
    )


OLD = D(2025, 6, 30)
NEW = D(2025, 7, 1)
ORGS = [
    unit("an", "Tỉnh An", valid_to=OLD),
    unit("binh", "Tỉnh Bình", valid_to=OLD),
    unit("chau", "Tỉnh Châu"),
    unit("an-2025", "Tỉnh An mới", valid_from=NEW, predecessors=["an", "binh"]),
    body("an", "btv", Branch.party),
    body("an", "ubnd", Branch.state),
    body("binh", "btv", Branch.party),
    body("binh", "ubnd", Branch.state),
    body("chau", "btv", Branch.party),
    body("an-2025", "btv", Branch.party),
    body("an.x", "huyen-uy", Branch.party, Level.district),
    unit("an.x", "Huyện X", level=Level.district, parent="an", valid_to=OLD),
    unit("an.y", "Huyện Y", level=Level.district, parent="an", valid_to=OLD),
    unit("binh.z", "Huyện Z", level=Level.district, parent="binh", valid_to=OLD),
    Organization(
        key="bo-a", name="Bộ A", kind="ministry", level=Level.ministry, branch=Branch.state, jurisdiction="vn"
    ),
    Organization(
        key="bo-b", name="Bộ B", kind="ministry", level=Level.ministry, branch=Branch.state, jurisdiction="vn"
    ),
]


def plan(key: str, issuer: str, day: D, *, level: Level = Level.province, via: list[str] | None = None) -> Implementer:
    jurisdiction = issuer.rsplit(".", 1)[0] if level.is_local else "vn"
    return Implementer(
        key=key,
        symbol=f"{key}-KH",
        date=day,
        year=day.year,
        issuer=issuer,
        level=level,
        jurisdiction=jurisdiction,
        via=via or [],
    )


AN_PLAN = plan("an-plan", "an.btv", D(2019, 3, 1))  # 50 days after the source
BINH_STATE_PLAN = plan("binh-plan", "binh.ubnd", D(2019, 4, 1))
LATE_CHAU_PLAN = plan("chau-plan", "chau.btv", D(2020, 2, 1))
DISTRICT_PLAN = plan("x-plan", "an.x.huyen-uy", D(2019, 5, 1), level=Level.district, via=["an-plan"])
MINISTRY_PLAN = plan("a-plan", "bo-a", D(2019, 2, 1), level=Level.ministry)
IMPLEMENTERS = [AN_PLAN, BINH_STATE_PLAN, LATE_CHAU_PLAN, DISTRICT_PLAN, MINISTRY_PLAN]


def obligation(status: ObligationStatus = ObligationStatus.confirmed, **rule: Any) -> RecordedObligation:
    draft = ObligationDraft.model_validate({"document": SOURCE.key, "level": "province", "status": status, **rule})
    return RecordedObligation(**draft.model_dump(), id=draft.identity)


AS_OF = D(2019, 12, 31)


def run(
    *,
    as_of: D = AS_OF,
    level: Level = Level.province,
    parent: str | None = None,
    obligations: list[RecordedObligation] | None = None,
    source_branch: Branch | None = Branch.party,
) -> AuditReport:
    return audit(
        SOURCE,
        level=level,
        as_of=as_of,
        parent=parent,
        source_branch=source_branch,
        obligations=obligations or [],
        organizations=ORGS,
        implementers=IMPLEMENTERS,
    )


def statuses(report: AuditReport) -> dict[str, str]:
    return {r.organization.key: r.status.value for r in report.rows}


I, M, O, N = "implemented", "missing", "overdue", "not_due"

CASES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("no obligation: every unit, no deadline, party only", {}, {"an": I, "binh": M, "chau": M}),
    ("a state source expects state bodies", {"source_branch": Branch.state}, {"an": M, "binh": I, "chau": M}),
    ("a document after as_of does not count", {"as_of": D(2020, 1, 31)}, {"an": I, "binh": M, "chau": M}),
    ("it counts from its date on", {"as_of": D(2020, 2, 1)}, {"an": I, "binh": M, "chau": I}),
    (
        "after the deadline: overdue",
        {"obligations": [obligation(deadline="2019-06-30")]},
        {"an": I, "binh": O, "chau": O},
    ),
    (
        "before the deadline: not due",
        {"as_of": D(2019, 5, 1), "obligations": [obligation(deadline="2019-06-30")]},
        {"an": I, "binh": N, "chau": N},
    ),
    (
        "on the deadline day: not due",
        {"as_of": D(2019, 6, 30), "obligations": [obligation(deadline="2019-06-30")]},
        {"an": I, "binh": N, "chau": N},
    ),
    (
        "within_days from the source date (10 Jan + 60 = 11 Mar)",
        {"as_of": D(2019, 3, 12), "obligations": [obligation(deadlines=[{"within_days": 60}])]},
        {"an": I, "binh": O, "chau": O},
    ),
    (
        "the earliest plan deadline applies, a report deadline does not",
        {
            "as_of": D(2019, 5, 1),
            "obligations": [
                obligation(deadlines=[{"due": "2019-09-30"}, {"kind": "report", "due": "2019-02-01"}]),
                obligation(deadline="2019-04-30"),
            ],
        },
        {"an": I, "binh": O, "chau": O},
    ),
    ("branch any: a state plan counts", {"obligations": [obligation(branch="any")]}, {"an": I, "binh": I, "chau": M}),
    (
        "branch state: a party plan does not",
        {"obligations": [obligation(branch="state")]},
        {"an": M, "binh": I, "chau": M},
    ),
    (
        "explicit units: only those rows",
        {"obligations": [obligation(units=["binh"], deadline="2019-06-30")]},
        {"binh": O},
    ),
    (
        "a proposed obligation is not applied",
        {"obligations": [obligation(ObligationStatus.proposed, units=["binh"])]},
        {"an": I, "binh": M, "chau": M},
    ),
    (
        "after the merger: the successor carries its predecessors' plans",
        {"as_of": D(2026, 1, 1)},
        {"an-2025": I, "chau": I},
    ),
    (
        "an obligation on a merged unit passes to its successor",
        {"as_of": D(2026, 1, 1), "obligations": [obligation(units=["binh"], deadline="2019-06-30")]},
        {"an-2025": I},
    ),
    ("districts: every district unit valid then", {"level": Level.district}, {"an.x": I, "an.y": M, "binh.z": M}),
    ("districts under a parent", {"level": Level.district, "parent": "binh"}, {"binh.z": M}),
    (
        "an obligation for the districts of one province",
        {"level": Level.district, "obligations": [obligation(level="district", parent="an", deadline="2019-04-01")]},
        {"an.x": I, "an.y": O},
    ),
    ("ministries: by issuer, either branch by default", {"level": Level.ministry}, {"bo-a": I, "bo-b": M}),
]


@pytest.mark.parametrize(("arguments", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_statuses(arguments: dict[str, Any], expected: dict[str, str]) -> None:
    report = run(**arguments)
    assert statuses(report) == expected
    s = report.summary
    assert s.implemented + s.missing + s.overdue + s.not_due == s.expected == len(expected)


def test_the_row_of_an_implemented_unit() -> None:
    [row] = [r for r in run().rows if r.organization.key == "an"]
    assert [d.key for d in row.documents] == ["an-plan"]
    assert row.days_after_source == 50 and row.via_predecessor is False and row.deadline is None


def test_the_successor_row_is_marked_via_predecessor() -> None:
    report = run(as_of=D(2026, 1, 1), obligations=[obligation(branch="any")])
    rows = {r.organization.key: r for r in report.rows}
    assert [d.key for d in rows["an-2025"].documents] == ["an-plan", "binh-plan"]
    assert rows["an-2025"].via_predecessor is True and rows["chau"].via_predecessor is False
    assert rows["an-2025"].days_after_source == 50


def test_a_district_plan_keeps_its_chain() -> None:
    [row] = [r for r in run(level=Level.district).rows if r.organization.key == "an.x"]
    assert [(d.key, d.via) for d in row.documents] == [("x-plan", ["an-plan"])]


def test_the_assumed_rule_is_stated_only_without_obligation() -> None:
    assumed = run().assumed_rule
    assert assumed and "every province unit" in assumed and "party" in assumed and "2019-12-31" in assumed
    report = run(obligations=[obligation(deadline="2019-06-30")])
    assert report.assumed_rule is None and report.obligations == [obligation(deadline="2019-06-30").id]
    assert "not checked for conformity" in report.basis


def test_as_of_before_the_source_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="before the date of 9-KL/TW"):
        run(as_of=D(2019, 1, 9))


@pytest.mark.parametrize(
    ("statuses_", "expected"),
    [
        ([], (0, 0.0)),
        ([RowStatus.implemented, RowStatus.overdue], (2, 50.0)),
        ([RowStatus.not_due, RowStatus.not_due], (2, 0.0)),
        ([RowStatus.implemented, RowStatus.missing, RowStatus.overdue, RowStatus.not_due], (4, 66.7)),
    ],
)
def test_deficit_counts_only_units_past_deadline_or_without(
    statuses_: list[RowStatus], expected: tuple[int, float]
) -> None:
    s = summarize(statuses_)
    assert (s.expected, s.deficit_percent) == expected


def test_scores_per_unit_and_sort_orders() -> None:
    reports = [run(obligations=[obligation(deadline="2019-06-30")]), run(source_branch=Branch.state)]
    by_deficit = score_units(reports, SummarySort.deficit)
    assert [(s.organization.key, s.obligations, s.implemented, s.overdue, s.missing) for s in by_deficit] == [
        ("chau", 2, 0, 1, 1),
        ("binh", 2, 1, 1, 0),
        ("an", 2, 1, 0, 1),
    ]
    assert [s.deficit_percent for s in by_deficit] == [100.0, 50.0, 50.0]
    assert [s.organization.key for s in score_units(reports, SummarySort.name)] == ["an", "binh", "chau"]
    assert [s.organization.key for s in score_units(reports, SummarySort.overdue)] == ["chau", "binh", "an"]


def test_csv_has_a_header_and_one_line_per_row() -> None:
    report = run(as_of=D(2026, 1, 1))
    lines = list(csv.reader(io.StringIO(report_csv(report))))
    assert lines[0][:4] == ["organization", "name", "level", "status"]
    assert len(lines) == len(report.rows) + 1
    assert lines[1][:4] == ["an-2025", "Tỉnh An mới", "province", "implemented"]
    assert lines[1][5:8] == ["true", "50", "an-plan"]


def test_the_deadline_shorthand_and_identity() -> None:
    short = ObligationDraft.model_validate({"document": "d", "level": "province", "deadline": "2019-06-30"})
    long = ObligationDraft.model_validate(
        {"document": "d", "level": "province", "deadlines": [{"kind": "plan", "due": "2019-06-30"}]}
    )
    assert short.deadlines == long.deadlines and short.identity == long.identity
    assert "deadline" not in short.model_dump()
    proposed = long.model_copy(update={"status": ObligationStatus.proposed})
    assert proposed.identity == long.identity  # status is not part of the identity
    other = ObligationDraft.model_validate({"document": "d", "level": "province", "deadline": "2019-07-01"})
    assert other.identity != short.identity
    swapped = [
        ObligationDraft.model_validate({"document": "d", "level": "province", "units": u})
        for u in (["a", "b"], ["b", "a"])
    ]
    assert swapped[0].identity == swapped[1].identity


@pytest.mark.parametrize(
    "rule",
    [
        {"level": "province", "relation": "cites"},
        {"level": "province", "deadlines": [{"kind": "plan"}]},
        {"level": "province", "deadlines": [{"due": "2019-01-01", "within_days": 3}]},
        {"level": "nation"},
        {"level": "province", "branch": "army"},
    ],
)
def test_invalid_rules(rule: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ObligationRule.model_validate(rule)


def test_plan_due_resolves_relative_deadlines() -> None:
    rule = ObligationRule.model_validate(
        {"level": "province", "deadlines": [{"within_days": 30}, {"due": "2019-12-01"}]}
    )
    assert rule.plan_due(D(2019, 1, 1)) == D(2019, 1, 31)
    assert rule.plan_due(None) == D(2019, 12, 1)


def test_drafts_from_an_extracted_proposal() -> None:
    proposal = {
        "units": ["các tỉnh ủy, thành ủy"],
        "levels": ["province", "district", "nowhere"],
        "action": "xây dựng kế hoạch",
        "targets": ["43-KL/TW"],
        "relation": "implements",
        "evidence": "Các tỉnh ủy ... xây dựng kế hoạch",
        "span": [0, 10],
        "status": "proposed",
    }
    drafts = drafts_from_proposal(proposal, "43-kl-tw-2019")
    assert [(d.document, d.level, d.status, d.relation) for d in drafts] == [
        ("43-kl-tw-2019", Level.district, ObligationStatus.proposed, Relation.implements),
        ("43-kl-tw-2019", Level.province, ObligationStatus.proposed, Relation.implements),
    ]
    assert drafts[0].evidence == proposal["evidence"]
    assert drafts_from_proposal({"levels": ["province"], "relation": "cites"}, "x")[0].relation == Relation.implements


@pytest.mark.parametrize(
    ("query", "hit"), [("thanh hoa", True), ("THANH HÓA", True), ("TP  Thanh", True), ("Hoá", True), ("nghe", False)]
)
def test_organization_text_match_ignores_case_and_accents(query: str, hit: bool) -> None:
    org = Organization(
        key="thanh-hoa.thanh-hoa",
        name="Thành phố Thanh Hóa",
        short_name="TP Thanh Hóa",
        kind="administrative_unit",
        level=Level.district,
        aliases=["Thành phố Thanh Hoá"],
    )
    assert organization_matches(org, query) is hit

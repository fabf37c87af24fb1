"""The pure audit logic (graph/audit.py) and obligation models (graph/obligations.py), without a store."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
from typing import Any

import pytest
from pydantic import ValidationError

from graph.audit import AuditReport, Reached, SummarySort, audit, compared, reached_implementers
from graph.audit_indicators import RatingThresholds, summarize
from graph.audit_report import BOM, report_csv
from graph.audit_rows import AuditDocument, AuditRow, AuditUnit, RowStatus, built
from graph.audit_summary import score_units
from graph.errors import InvalidInputError
from graph.models import (
    Branch,
    Document,
    Implementer,
    Level,
    Lineage,
    LineageNode,
    Link,
    Organization,
    Relation,
    Review,
    ReviewScope,
    organization_matches,
)
from graph.obligations import (
    ObligationDraft,
    ObligationRule,
    ObligationStatus,
    RecordedObligation,
    drafts_from_proposal,
)
from graph.usecases.audit import collector_paused

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
        reached=Reached(IMPLEMENTERS),
    )


def statuses(report: AuditReport) -> dict[str, str]:
    return {r.organization.key: r.status.value for r in report.rows}


I, M, O, N = "implemented", "missing", "overdue", "not_due"
T, L = "implemented_on_time", "implemented_late"

CASES: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("no obligation: every unit, no deadline, party only", {}, {"an": I, "binh": M, "chau": M}),
    ("a state source expects state bodies", {"source_branch": Branch.state}, {"an": M, "binh": I, "chau": M}),
    ("a document after as_of does not count", {"as_of": D(2020, 1, 31)}, {"an": I, "binh": M, "chau": M}),
    ("it counts from its date on", {"as_of": D(2020, 2, 1)}, {"an": I, "binh": M, "chau": I}),
    (
        "after the deadline: overdue",
        {"obligations": [obligation(deadline="2019-06-30")]},
        {"an": T, "binh": O, "chau": O},
    ),
    (
        "before the deadline: not due",
        {"as_of": D(2019, 5, 1), "obligations": [obligation(deadline="2019-06-30")]},
        {"an": T, "binh": N, "chau": N},
    ),
    (
        "on the deadline day: not due",
        {"as_of": D(2019, 6, 30), "obligations": [obligation(deadline="2019-06-30")]},
        {"an": T, "binh": N, "chau": N},
    ),
    (
        "within_days from the source date (10 Jan + 60 = 11 Mar)",
        {"as_of": D(2019, 3, 12), "obligations": [obligation(deadlines=[{"within_days": 60}])]},
        {"an": T, "binh": O, "chau": O},
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
        {"an": T, "binh": O, "chau": O},
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
        {"an-2025": T},
    ),
    ("districts: every district unit valid then", {"level": Level.district}, {"an.x": I, "an.y": M, "binh.z": M}),
    ("districts under a parent", {"level": Level.district, "parent": "binh"}, {"binh.z": M}),
    (
        "an obligation for the districts of one province",
        {"level": Level.district, "obligations": [obligation(level="district", parent="an", deadline="2019-04-01")]},
        {"an.x": L, "an.y": O},
    ),
    ("ministries: by issuer, either branch by default", {"level": Level.ministry}, {"bo-a": I, "bo-b": M}),
]


@pytest.mark.parametrize(("arguments", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_statuses(arguments: dict[str, Any], expected: dict[str, str]) -> None:
    report = run(**arguments)
    assert statuses(report) == expected
    s = report.summary
    counts = (s.implemented_on_time, s.implemented_late, s.implemented, s.missing, s.overdue, s.not_due)
    assert sum(counts) == s.expected == len(expected)


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


def test_a_late_row_carries_its_delay_and_a_due_row_its_days_left() -> None:
    district = obligation(level="district", parent="an", deadline="2019-04-01")
    rows = {r.organization.key: r for r in run(level=Level.district, obligations=[district]).rows}
    assert (rows["an.x"].delay_days, rows["an.x"].implemented_on) == (30, D(2019, 5, 1))
    assert (rows["an.y"].status, rows["an.y"].delay_days) == ("overdue", (AS_OF - D(2019, 4, 1)).days)
    soon = {
        r.organization.key: r for r in run(as_of=D(2019, 6, 1), obligations=[obligation(deadline="2019-06-30")]).rows
    }
    assert (soon["binh"].days_left, soon["binh"].due_soon) == (29, True)
    later = run(as_of=D(2019, 5, 1), obligations=[obligation(deadline="2019-06-30")]).rows
    assert {r.organization.key: r.due_soon for r in later} == {"an": False, "binh": False, "chau": False}


def rows_of(*states: tuple[RowStatus, int | None]) -> list[AuditRow]:
    unit_ = AuditUnit(key="u", name="U", level=Level.province)
    return [
        AuditRow(
            organization=unit_,
            status=s,
            deadline=None,
            delay_days=d,
            documents=[],
            via_predecessor=False,
            days_after_source=None,
        )
        for s, d in states
    ]


OT, LT, OV, ND, MS = (
    RowStatus.implemented_on_time,
    RowStatus.implemented_late,
    RowStatus.overdue,
    RowStatus.not_due,
    RowStatus.missing,
)
INDICATOR_CASES: list[tuple[str, list[tuple[RowStatus, int | None]], dict[str, Any]]] = [
    ("nothing expected", [], {"expected": 0, "deficit_percent": 0.0, "on_time_percent": None, "rating": None}),
    ("all on time", [(OT, None)] * 3, {"deficit_percent": 0.0, "on_time_percent": 100.0, "rating": "green"}),
    (
        "one on time, one late 20 days, two overdue",
        [(OT, None), (LT, 20), (OV, 100), (OV, 400)],
        {
            "deficit_percent": 50.0,
            "on_time_percent": 25.0,
            "overdue_over_year": 1,
            "delay_days": 520,
            "delay_months_total": round(520 / 30.44, 1),
            "delay_months_mean": round(520 / 30.44 / 3, 1),
            "rating": "red",
        },
    ),
    ("not due rows leave the deficit", [(OT, None), (ND, None), (MS, None)], {"deficit_percent": 50.0}),
    ("3 of 100 missing: amber", [*[(OT, None)] * 97, *[(MS, None)] * 3], {"deficit_percent": 3.0, "rating": "amber"}),
    ("1 of 100 overdue 10 days: green", [(OT, None)] * 99 + [(OV, 10)], {"rating": "green", "on_time_percent": 99.0}),
    ("6 of 100 missing: red", [*[(OT, None)] * 94, *[(MS, None)] * 6], {"rating": "red"}),
]


@pytest.mark.parametrize(("rows", "expected"), [c[1:] for c in INDICATOR_CASES], ids=[c[0] for c in INDICATOR_CASES])
def test_indicators(rows: list[tuple[RowStatus, int | None]], expected: dict[str, Any]) -> None:
    summary = summarize(rows_of(*rows)).model_dump(mode="json")
    assert {k: summary[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("thresholds", "rating"),
    [({}, "amber"), ({"green_max": 5.0}, "green"), ({"red_above": 2.0}, "red"), ({"red_overdue_days": 10}, "red")],
)
def test_rating_thresholds_can_be_set(thresholds: dict[str, Any], rating: str) -> None:
    rows = rows_of(*[(OT, None)] * 97, (OV, 20), (MS, None), (MS, None))
    assert summarize(rows, RatingThresholds(**thresholds)).rating == rating


@pytest.mark.parametrize(
    ("arguments", "codes"),
    [
        ({}, ["no_deadline"]),
        ({"obligations": [obligation(deadline="2019-06-30")]}, []),
        ({"level": Level.district, "as_of": D(2026, 1, 1)}, ["no_units", "no_deadline"]),
        ({"obligations": [obligation(units=["binh"])]}, ["no_deadline"]),
    ],
)
def test_warnings(arguments: dict[str, Any], codes: list[str]) -> None:
    assert [w.code for w in run(**arguments).summary.warnings] == codes


def test_proposed_only_documents_are_marked_and_warned() -> None:
    report = audit(
        SOURCE,
        level=Level.province,
        as_of=AS_OF,
        parent=None,
        source_branch=Branch.party,
        obligations=[],
        organizations=ORGS,
        reached=Reached(IMPLEMENTERS, frozenset({"an-plan"})),
    )
    [row] = [r for r in report.rows if r.organization.key == "an"]
    assert row.status == "implemented" and row.documents[0].proposed
    [warning] = [w for w in report.summary.warnings if w.code == "proposed_links_only"]
    assert warning.keys == ["an-plan"]


def test_scores_per_unit_and_sort_orders() -> None:
    reports = [run(obligations=[obligation(deadline="2019-06-30")]), run(source_branch=Branch.state)]
    by_deficit = score_units(reports, SummarySort.deficit, RatingThresholds())
    assert [
        (
            s.organization.key,
            s.summary.expected,
            s.summary.implemented_on_time + s.summary.implemented,
            s.summary.overdue,
            s.summary.missing,
        )
        for s in by_deficit
    ] == [("chau", 2, 0, 1, 1), ("binh", 2, 1, 1, 0), ("an", 2, 1, 0, 1)]
    assert [s.summary.deficit_percent for s in by_deficit] == [100.0, 50.0, 50.0]
    assert [s.organization.key for s in score_units(reports, SummarySort.name, RatingThresholds())] == [
        "an",
        "binh",
        "chau",
    ]
    assert [s.organization.key for s in score_units(reports, SummarySort.overdue, RatingThresholds())] == [
        "chau",
        "binh",
        "an",
    ]


def test_compare_names_the_units_whose_state_changed() -> None:
    rule = [obligation(deadline="2019-06-30")]
    report = compared(run(obligations=rule), run(as_of=D(2019, 5, 1), obligations=rule))
    assert [(c.organization, c.from_, c.to) for c in report.changes or []] == [
        ("binh", "not_due", "overdue"),
        ("chau", "not_due", "overdue"),
    ]
    assert report.deficit_change == round(100 * 2 / 3, 1) and report.compare_to == D(2019, 5, 1)
    assert report.model_dump(mode="json")["changes"][0]["from"] == "not_due"


def test_csv_begins_with_a_bom_and_has_a_vietnamese_header() -> None:
    report = run(as_of=D(2026, 1, 1))
    text = report_csv(report)
    assert text.startswith(BOM)
    lines = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert lines[0][:5] == ["Mã đơn vị", "Tên đơn vị", "Cấp", "Tình trạng", "Mã tình trạng"]
    assert len(lines) == len(report.rows) + 1
    assert lines[1][:5] == ["an-2025", "Tỉnh An mới", "Tỉnh", "Đã thực hiện (không có hạn)", "implemented"]
    assert (lines[1][10], lines[1][11], lines[1][13]) == ("Có", "50", "an-plan")


def test_the_unit_name_is_the_one_borne_on_the_audit_date() -> None:
    renamed = unit("chau", "Tỉnh Châu mới", names=[{"name": "Tỉnh Châu cũ", "valid_to": "2020-12-31"}])
    orgs = [renamed if o.key == "chau" else o for o in ORGS]
    kwargs: dict[str, Any] = {
        "level": Level.province,
        "parent": None,
        "source_branch": Branch.party,
        "obligations": [],
        "organizations": orgs,
        "reached": Reached(IMPLEMENTERS),
    }
    names = {r.organization.key: r.organization.name for r in audit(SOURCE, as_of=AS_OF, **kwargs).rows}
    assert names["chau"] == "Tỉnh Châu cũ"
    names = {r.organization.key: r.organization.name for r in audit(SOURCE, as_of=D(2021, 1, 1), **kwargs).rows}
    assert names["chau"] == "Tỉnh Châu mới"


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


def _lineage(*edges: tuple[str, str, Review]) -> Lineage:
    keys = sorted({k for e in edges for k in e[:2]} | {SOURCE.key})
    return Lineage(
        root=SOURCE.key,
        nodes=[LineageNode(key=k, symbol=k, depth=0) for k in keys],
        edges=[Link(source=s, relation=Relation.implements, target=t, review=r) for s, t, r in edges],
        total=len(keys),
        depth_counts={},
        level_counts={},
    )


ACC, PRO, REJ = Review.accepted, Review.proposed, Review.rejected
REVIEW_CASES = [
    ("accepted chain", [("a", SOURCE.key, ACC), ("b", "a", ACC)], ReviewScope.not_rejected, ["a", "b"], []),
    (
        "a proposed step marks what lies past it",
        [("a", SOURCE.key, PRO), ("b", "a", ACC)],
        ReviewScope.not_rejected,
        ["a", "b"],
        ["a", "b"],
    ),
    (
        "accepted only: proposed steps cut",
        [("a", SOURCE.key, PRO), ("b", SOURCE.key, ACC)],
        ReviewScope.accepted,
        ["b"],
        [],
    ),
    ("rejected never counts", [("a", SOURCE.key, REJ), ("b", "a", ACC)], ReviewScope.not_rejected, [], []),
    (
        "an accepted way around a proposed one",
        [("a", SOURCE.key, PRO), ("b", SOURCE.key, ACC), ("a", "b", ACC)],
        ReviewScope.not_rejected,
        ["a", "b"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("edges", "scope", "reached", "proposed"), [c[1:] for c in REVIEW_CASES], ids=[c[0] for c in REVIEW_CASES]
)
def test_implementers_by_review(
    edges: list[tuple[str, str, Review]], scope: ReviewScope, reached: list[str], proposed: list[str]
) -> None:
    found = reached_implementers(_lineage(*edges), scope)
    assert sorted(d.key for d in found.implementers) == reached and sorted(found.proposed) == proposed


BUILT_CASES = [
    (AuditUnit, {"key": "nghe-an", "name": "Tỉnh Nghệ An", "short_name": "Nghệ An", "level": Level.province}),
    (
        AuditDocument,
        {
            "key": "15-kh-tu.nghe-an",
            "symbol": "15-KH/TU",
            "date": dt.date(2025, 10, 1),
            "issuer": None,
            "jurisdiction": "nghe-an",
            "via": ["a"],
            "proposed": True,
        },
    ),
]


@pytest.mark.unit
@pytest.mark.parametrize(("cls", "values"), BUILT_CASES)
def test_built_models_equal_validated_ones(cls: type[AuditUnit | AuditDocument], values: dict[str, Any]) -> None:
    model = built(cls, **values)
    assert model == cls.model_validate(values)
    assert model.model_dump(mode="json", exclude_unset=True) == cls.model_validate(values).model_dump(mode="json")
    assert model.model_copy(update={"key": "other"}).key == "other" and model.key == values["key"]


@pytest.mark.unit
@pytest.mark.parametrize("enabled", [True, False])
def test_collector_paused_leaves_the_collector_as_found(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()

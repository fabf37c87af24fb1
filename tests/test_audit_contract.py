"""Organizations, obligations and the implementation audit on both stores, and through the API and CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.settings import get_settings
from graph.audit import AuditReport, SummarySort
from graph.errors import InvalidInputError, NotFoundError
from graph.identity import DocumentDraft
from graph.models import Level, LinkDraft, Relation
from graph.obligations import ObligationDraft, ObligationStatus, drafts_from_proposal
from graph.ports import GraphStore
from graph.usecases.audit import audit_document, audit_summary
from tests.conftest import WRITE_HEADERS

pytestmark = pytest.mark.contract

CONCLUSION = "43-kl-tw-2019"
PLAN = "138-kh-tu-2019.thanh-hoa"
D = dt.date


async def add_plan(store: GraphStore, symbol: str, issuer: str, date: str, implements: str) -> str:
    [doc] = await store.upsert_documents(
        [DocumentDraft(symbol=symbol, issuer=issuer, date=dt.date.fromisoformat(date))]
    )
    await store.upsert_links([LinkDraft(source=doc.key, relation=Relation.implements, target=implements)])
    return doc.key


def rows_by_unit(report: AuditReport) -> dict[str, str]:
    return {r.organization.key: r.status.value for r in report.rows}


def assert_adds_up(report: AuditReport) -> None:
    s = report.summary
    counts = (s.implemented_on_time, s.implemented_late, s.implemented, s.missing, s.overdue, s.not_due)
    assert sum(counts) == s.expected == len(report.rows)


# organizations


async def test_find_organizations_by_text_level_and_date(seeded: GraphStore) -> None:
    found = await seeded.find_organizations(level=Level.province, as_of=D(2019, 12, 31), q="thanh hoa")
    assert {o.key for o in found} >= {"thanh-hoa", "thanh-hoa.btv", "thanh-hoa.ubnd"}
    assert all(o.level == Level.province for o in found)
    assert [o.key for o in await seeded.find_organizations(q="UBND TỈNH HÀ GIANG")] == ["ha-giang.ubnd"]
    today = await seeded.find_organizations(level=Level.province, as_of=D(2026, 1, 1), q="Tuyên Quang")
    assert "tuyen-quang-2025" in {o.key for o in today} and "tuyen-quang" not in {o.key for o in today}
    districts = await seeded.find_organizations(parent="thanh-hoa", level=Level.district)
    assert len(districts) == 28 and all(o.key.startswith("thanh-hoa.") for o in districts)
    assert await seeded.find_organizations(q="no such place") == []


# obligations


async def test_obligations_are_idempotent_and_proposals_await_confirmation(seeded: GraphStore) -> None:
    confirmed = ObligationDraft(document=CONCLUSION, level=Level.province, deadline=D(2019, 6, 30))
    [first] = await seeded.upsert_obligations([confirmed])
    [again] = await seeded.upsert_obligations([confirmed])
    assert first == again and first.status == ObligationStatus.confirmed and first.created_at is not None
    assert [d.due for d in first.deadlines] == [D(2019, 6, 30)]
    [proposed] = await seeded.upsert_obligations(drafts_from_proposal({"levels": ["district"]}, CONCLUSION))
    assert proposed.status == ObligationStatus.proposed
    assert {o.id for o in await seeded.list_obligations(document=CONCLUSION)} == {first.id, proposed.id}
    assert [o.id for o in await seeded.list_obligations(level=Level.district)] == [proposed.id]
    assert await seeded.list_obligations(document=CONCLUSION, status=ObligationStatus.proposed) == [proposed]
    # a proposal never downgrades a confirmed obligation; confirming is explicit
    [still] = await seeded.upsert_obligations([confirmed.model_copy(update={"status": ObligationStatus.proposed})])
    assert still.status == ObligationStatus.confirmed
    assert (await seeded.confirm_obligation(CONCLUSION, proposed.id)).status == ObligationStatus.confirmed
    # re-writing the document keeps its obligations
    await seeded.upsert_documents([DocumentDraft(symbol="43-KL/TW", date=D(2019, 1, 7), issuer="ban-bi-thu")])
    assert len(await seeded.list_obligations(document=CONCLUSION)) == 2


async def test_obligations_reject_unknown_references(seeded: GraphStore) -> None:
    with pytest.raises(NotFoundError, match="no-such-doc"):
        await seeded.upsert_obligations([ObligationDraft(document="no-such-doc", level=Level.province)])
    with pytest.raises(InvalidInputError, match="nowhere"):
        await seeded.upsert_obligations([ObligationDraft(document=CONCLUSION, level=Level.province, units=["nowhere"])])
    with pytest.raises(InvalidInputError, match="level district"):
        await seeded.upsert_obligations(
            [ObligationDraft(document=CONCLUSION, level=Level.province, units=["thanh-hoa.sam-son"])]
        )
    with pytest.raises(NotFoundError, match="ob-nope"):
        await seeded.confirm_obligation(CONCLUSION, "ob-nope")
    assert await seeded.list_obligations() == []


# the audit


async def test_audit_of_43_kl_tw_at_province_level_in_2019(seeded: GraphStore) -> None:
    report = await audit_document(seeded, CONCLUSION, level=Level.province, as_of=D(2019, 12, 31))
    assert report.summary.expected == 63 and report.summary.implemented == 1 and report.summary.missing == 62
    assert_adds_up(report)
    [thanh_hoa] = [r for r in report.rows if r.organization.key == "thanh-hoa"]
    assert thanh_hoa.status == "implemented" and not thanh_hoa.via_predecessor
    assert [(d.key, d.symbol) for d in thanh_hoa.documents] == [(PLAN, "138-KH/TU")]
    assert thanh_hoa.days_after_source == (D(2019, 3, 27) - D(2019, 1, 7)).days
    assert report.assumed_rule and "party" in report.assumed_rule and report.obligations == []


async def test_a_central_document_after_the_merger_is_audited_against_34_provinces(seeded: GraphStore) -> None:
    [source] = await seeded.upsert_documents(
        [DocumentDraft(symbol="99-KL/TW", date=D(2025, 8, 15), issuer="ban-bi-thu")]
    )
    await seeded.upsert_obligations(
        [ObligationDraft(document=source.key, level=Level.province, deadline=D(2025, 10, 31))]
    )
    await add_plan(seeded, "12-KH/TU", "tuyen-quang-2025.btv", "2025-09-20", source.key)
    before = await audit_document(seeded, source.key, level=Level.province, as_of=D(2025, 9, 30))
    after = await audit_document(seeded, source.key, level=Level.province, as_of=D(2025, 11, 30))
    for report, late in ((before, "not_due"), (after, "overdue")):
        statuses = rows_by_unit(report)
        assert len(statuses) == 34 and statuses.pop("tuyen-quang-2025") == "implemented_on_time"
        assert set(statuses.values()) == {late}
        assert report.assumed_rule is None and all(r.deadline == D(2025, 10, 31) for r in report.rows)
        assert_adds_up(report)
    assert before.summary.deficit_percent == 0.0 and after.summary.deficit_percent == round(100 * 33 / 34, 1)


async def test_a_plan_of_ha_giang_counts_for_todays_tuyen_quang(seeded: GraphStore) -> None:
    ha_giang_plan = await add_plan(seeded, "85-KH/TU", "ha-giang.btv", "2019-04-15", CONCLUSION)
    report = await audit_document(seeded, CONCLUSION, level=Level.province, as_of=D(2026, 1, 1))
    assert report.summary.expected == 34
    rows = {r.organization.key: r for r in report.rows}
    tuyen_quang = rows["tuyen-quang-2025"]
    assert tuyen_quang.status == "implemented" and tuyen_quang.via_predecessor
    assert [d.key for d in tuyen_quang.documents] == [ha_giang_plan]
    assert rows["thanh-hoa"].status == "implemented" and not rows["thanh-hoa"].via_predecessor
    assert_adds_up(report)


async def test_a_district_plan_implementing_the_province_plan_counts_for_43_kl_tw(seeded: GraphStore) -> None:
    district_plan = await add_plan(seeded, "45-KH/HU", "thanh-hoa.sam-son.huyen-uy", "2019-05-10", PLAN)
    report = await audit_document(seeded, CONCLUSION, level=Level.district, as_of=D(2019, 12, 31), parent="thanh-hoa")
    statuses = rows_by_unit(report)
    assert len(statuses) == 27 and statuses.pop("thanh-hoa.sam-son") == "implemented"
    assert set(statuses.values()) == {"missing"}
    [row] = [r for r in report.rows if r.organization.key == "thanh-hoa.sam-son"]
    assert [(d.key, d.via) for d in row.documents] == [(district_plan, [PLAN])]
    province = await audit_document(seeded, CONCLUSION, level=Level.province, as_of=D(2019, 12, 31))
    assert province.summary.implemented == 1


async def test_the_summary_scores_units_across_documents(seeded: GraphStore) -> None:
    await seeded.upsert_obligations(
        [ObligationDraft(document=CONCLUSION, level=Level.province, deadline=D(2019, 6, 30))]
    )
    report = await audit_summary(seeded, level=Level.province, as_of=D(2019, 12, 31), sort=SummarySort.deficit)
    assert [d.key for d in report.documents] == [CONCLUSION] and len(report.items) == 63
    assert report.items[-1].organization.key == "thanh-hoa" and report.items[-1].summary.deficit_percent == 0.0
    assert all(s.summary.overdue == 1 and s.summary.deficit_percent == 100.0 for s in report.items[:-1])
    assert (await audit_summary(seeded, level=Level.province, as_of=D(2018, 1, 1), sort=SummarySort.name)).items == []


# the API


async def test_audit_api(client: httpx.AsyncClient) -> None:
    params = {"document": CONCLUSION, "level": "province", "as_of": "2019-12-31"}
    body = (await client.get("/audit/implementation", params=params)).json()
    assert body["summary"]["expected"] == 63 and body["summary"]["implemented"] == 1
    assert "not checked for conformity" in body["basis"] and body["assumed_rule"]
    [row] = [r for r in body["rows"] if r["status"] == "implemented"]
    assert row["organization"] == {
        "key": "thanh-hoa",
        "name": "Tỉnh Thanh Hóa",
        "short_name": "Thanh Hóa",
        "level": "province",
    }
    assert row["documents"][0]["symbol"] == "138-KH/TU" and row["via_predecessor"] is False

    response = await client.get("/audit/implementation", params=params | {"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0] == "Mã đơn vị" and len(lines) == 64
    assert ["thanh-hoa", "Tỉnh Thanh Hóa", "Tỉnh", "Đã thực hiện (không có hạn)"] in [line[:4] for line in lines]

    missing = await client.get("/audit/implementation", params=params | {"document": "no-such-doc"})
    assert missing.status_code == 404 and "no-such-doc" in missing.json()["detail"]
    assert (await client.get("/audit/implementation", params=params | {"level": "galaxy"})).status_code == 422
    early = await client.get("/audit/implementation", params=params | {"as_of": "2018-12-31"})
    assert early.status_code == 422 and "before the date" in early.json()["detail"]
    assert (await client.get("/audit/summary", params={"level": "galaxy"})).status_code == 422


async def test_obligations_and_summary_api(client: httpx.AsyncClient) -> None:
    url = f"/documents/{CONCLUSION}/obligations"
    rule = {"level": "province", "deadline": "2019-06-30"}
    assert (await client.post(url, json=rule)).status_code == 401
    first = await client.post(url, json=rule, headers=WRITE_HEADERS)
    again = await client.post(url, json=rule, headers=WRITE_HEADERS)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    obligation = first.json()
    assert obligation["status"] == "accepted" and obligation["deadlines"] == [
        {"kind": "plan", "due": "2019-06-30", "within_days": None}
    ]
    assert [o["id"] for o in (await client.get(url)).json()["items"]] == [obligation["id"]]
    assert (await client.get("/documents/no-such-doc/obligations")).status_code == 404
    assert (
        await client.post(url, json={"level": "province", "units": ["nowhere"]}, headers=WRITE_HEADERS)
    ).status_code == 422
    confirm = await client.post(f"{url}/ob-nope/confirm", headers=WRITE_HEADERS)
    assert confirm.status_code == 404 and "ob-nope" in confirm.json()["detail"]
    confirmed = await client.post(f"{url}/{obligation['id']}/confirm", headers=WRITE_HEADERS)
    assert confirmed.json()["id"] == obligation["id"]

    audit = (await client.get("/audit/implementation", params={"document": CONCLUSION, "as_of": "2019-12-31"})).json()
    assert audit["obligations"] == [obligation["id"]] and audit["assumed_rule"] is None
    assert audit["summary"]["overdue"] == 62 and audit["summary"]["implemented_on_time"] == 1

    summary = (
        await client.get("/audit/summary", params={"level": "province", "as_of": "2019-12-31", "sort": "name"})
    ).json()
    assert [d["key"] for d in summary["documents"]] == [CONCLUSION] and len(summary["items"]) == 63
    assert summary["items"][0]["organization"]["key"] == "an-giang"
    [thanh_hoa] = [i for i in summary["items"] if i["organization"]["key"] == "thanh-hoa"]
    scores = thanh_hoa["summary"]
    assert (scores["expected"], scores["implemented_on_time"], scores["deficit_percent"]) == (1, 1, 0.0)


async def test_organizations_api(client: httpx.AsyncClient) -> None:
    found = await client.get("/organizations", params={"level": "province", "as_of": "2026-01-01", "q": "tuyen quang"})
    assert "tuyen-quang-2025" in {o["key"] for o in found.json()["items"]}
    one = (await client.get("/organizations/tuyen-quang-2025")).json()
    assert one["predecessors"] == ["tuyen-quang", "ha-giang"]
    missing = await client.get("/organizations/atlantis")
    assert missing.status_code == 404 and "atlantis" in missing.json()["detail"]
    assert (await client.get("/organizations", params={"level": "galaxy"})).status_code == 422


# the CLI (on the embedded store)


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("LEXGRAPH_STORE", "sqlite")
    monkeypatch.setenv("LEXGRAPH_SQLITE_PATH", str(tmp_path / "cli.db"))
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(cli, ["load"]).exit_code == 0
    yield runner
    get_settings.cache_clear()


def test_cli_audit(cli_store: CliRunner) -> None:
    result = cli_store.invoke(cli, ["audit", "43-KL/TW", "--level", "province", "--as-of", "2019-12-31", "--csv"])
    assert result.exit_code == 0, result.output
    lines = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert len(lines) == 64 and ["thanh-hoa", "Tỉnh Thanh Hóa", "Tỉnh", "Đã thực hiện (không có hạn)"] in [
        r[:4] for r in lines
    ]
    table = cli_store.invoke(cli, ["audit", CONCLUSION, "--as-of", "2019-12-31"])
    assert table.exit_code == 0 and "138-KH/TU" in table.stdout and "expected 63" in table.stdout
    ambiguous = cli_store.invoke(cli, ["audit", "18-NQ/TW", "--as-of", "2023-01-01"])
    assert ambiguous.exit_code == 2 and "18-nq-tw-2017" in ambiguous.output and "18-nq-tw-2022" in ambiguous.output
    assert cli_store.invoke(cli, ["audit", "nope"]).exit_code == 1


async def test_organizations_come_a_page_at_a_time(client: httpx.AsyncClient) -> None:
    whole = (await client.get("/organizations", params={"q": "a", "limit": 1000})).json()
    assert whole["truncated"] is False and len(whole["items"]) > 150
    pages: list[str] = []
    after: str | None = None
    while True:
        params = {"q": "a", "limit": 40} | ({"after": after} if after else {})
        page = (await client.get("/organizations", params=params)).json()
        pages += [o["key"] for o in page["items"]]
        assert len(page["items"]) <= 40 and page["truncated"] is (page["next"] is not None)
        if page["next"] is None:
            break
        after = page["next"]
    assert pages == [o["key"] for o in whole["items"]]
    assert (await client.get("/organizations", params={"limit": 1001})).status_code == 422

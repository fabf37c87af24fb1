"""`lexgraph extract` and `lexgraph eval` from the command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.commands.extract import locate_folder

pytestmark = pytest.mark.e2e

PLAN = (
    "TỈNH ỦY QUẢNG BÌNH\nSố 61-KH/TU\nQuảng Bình, ngày 8 tháng 5 năm 2022\nKẾ HOẠCH\n"
    "thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương Đảng khóa XIII\n"
    "Thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII về xây dựng, "
    "chỉnh đốn Đảng, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch này.\n"
    "1. Tiếp tục thực hiện Quy định số 08-QĐi/TW ngày 25/10/2018 của Ban Chấp hành Trung ương về nêu gương.\n"
)


def test_extract_json_prints_exactly_one_object_of_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--jurisdiction", "Quảng Bình", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)  # raises if anything but one JSON document was printed
    assert {"document", "references", "links", "anomalies"} <= body.keys()
    assert set(body["document"]) >= {"symbol", "type", "date", "issuer", "jurisdiction", "title"}
    assert body["document"]["symbol"] == "61-KH/TU" and body["document"]["date"] == "2022-05-08"
    for reference in body["references"]:
        assert {
            "symbol",
            "aliases",
            "type",
            "number",
            "date",
            "issuer",
            "term",
            "spans",
            "anomalies",
        } <= reference.keys()
        assert all(PLAN[start:end] in (reference["symbol"], *reference["aliases"]) for start, end in reference["spans"])
    links = {(link["source"], link["relation"], link["target"]) for link in body["links"]}
    assert links == {("61-KH/TU", "implements", "21-KL/TW"), ("61-KH/TU", "continues", "08-QĐi/TW")}
    assert all({"evidence", "confidence"} <= link.keys() for link in body["links"])


def test_extract_table_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "61-KH/TU" in result.stdout and "implements" in result.stdout


def test_eval_prints_scores(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    gold = {
        "jurisdiction": "Quảng Bình",
        "document": {"symbol": "61-KH/TU"},
        "references": [{"symbol": "21-KL/TW"}, {"symbol": "08-QĐi/TW"}, {"symbol": "99-KL/TW"}],
        "links": [{"source": "61-KH/TU", "relation": "implements", "target": "21-KL/TW"}],
    }
    (tmp_path / "plan.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "0.800" in result.stdout  # references: P 1.0, R 2/3 → F1 0.8
    assert "extra: 61-KH/TU continues 08-QĐi/TW" in result.stdout


def test_eval_finds_a_relative_folder_beside_the_checkout_it_was_cloned_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a working directory with no ../shared of its own
    origin = tmp_path / "work" / "main"
    (tmp_path / "work" / "shared" / "seed").mkdir(parents=True)
    origin.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(origin)], check=True)
    clone = tmp_path / "elsewhere" / "fresh"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True, capture_output=True)
    assert locate_folder(clone / "absent") is None
    assert locate_folder(Path("../shared/seed"), root=clone) == (tmp_path / "work" / "shared" / "seed").resolve()
    assert locate_folder(Path("../nothing/here"), root=clone) is None


def test_eval_reports_titles_and_relation_accuracy(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "BỘ TƯ PHÁP\nSố: 12/2020/TT-BTP\nTHÔNG TƯ\nCăn cứ Luật Đất đai năm 2024;\n", encoding="utf-8"
    )
    gold = {
        "document": {"symbol": "12/2020/TT-BTP"},
        "references": [],
        "titles": [{"title": "Luật Đất đai", "type": "Luật", "year": 2024}],
        "links": [{"source": "12/2020/TT-BTP", "relation": "based_on", "target": "Luật Đất đai (2024)"}],
    }
    (tmp_path / "a.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "titles" in result.stdout and "relation accuracy: 1.000" in result.stdout
    assert "missed" not in result.stdout and "extra" not in result.stdout

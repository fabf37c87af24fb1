"""Synthetic national graphs (graph.synth): deterministic per seed, and shaped like the real system."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graph.models import Level, Relation
from graph.synth import synthesize

pytestmark = pytest.mark.unit

SYNTH_FILES = ("organizations.ndjson", "documents.ndjson", "links.ndjson")


def read_ndjson(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """The 10,000-document graph of seed 1, as parsed records per file."""
    out = tmp_path_factory.mktemp("synth")
    counts = synthesize(out, 10_000, seed=1)
    records = {name.split(".")[0]: read_ndjson(out / name) for name in SYNTH_FILES}
    assert (counts.documents, counts.links) == (len(records["documents"]), len(records["links"]))
    return records


def test_same_seed_same_bytes_other_seed_other_graph(tmp_path: Path) -> None:
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        synthesize(tmp_path / name, 800, seed)
    for file in SYNTH_FILES:
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file
    assert (tmp_path / "a" / "documents.ndjson").read_bytes() != (tmp_path / "c" / "documents.ndjson").read_bytes()


@pytest.mark.parametrize("documents", [1, 37, 1_500], ids=["one", "tens", "thousands"])
def test_exactly_the_documents_asked_for(tmp_path: Path, documents: int) -> None:
    counts = synthesize(tmp_path, documents, seed=3)
    assert counts.documents == documents == len(read_ndjson(tmp_path / "documents.ndjson"))


def test_keys_unique_and_links_join_known_documents_once(national: dict[str, list[dict[str, Any]]]) -> None:
    keys = [d["key"] for d in national["documents"]]
    assert len(keys) == len(set(keys))
    triples = [(link["source"], link["relation"], link["target"]) for link in national["links"]]
    assert len(triples) == len(set(triples))
    known = set(keys)
    assert all(s in known and t in known and s != t for s, _, t in triples)


def test_every_issuer_and_jurisdiction_is_an_organization(national: dict[str, list[dict[str, Any]]]) -> None:
    organizations = {o["key"] for o in national["organizations"]}
    assert {d["issuer"] for d in national["documents"]} <= organizations
    assert {d["jurisdiction"] for d in national["documents"] if d.get("jurisdiction")} - {"vn"} <= organizations


def test_every_level_and_lineage_relation_occurs(national: dict[str, list[dict[str, Any]]]) -> None:
    levels = Counter(d["level"] for d in national["documents"])
    assert {Level.central, Level.province, Level.district, Level.commune} <= set(levels)
    relations = Counter(link["relation"] for link in national["links"])
    assert {Relation.implements, Relation.continues, Relation.cites, Relation.based_on} <= set(relations)
    terms = {d["term"] for d in national["documents"] if d["level"] == Level.central and d.get("term")}
    assert len(terms) >= 3, terms


@pytest.mark.parametrize("documents", [10_000, 30_000], ids=["10k", "30k"])
def test_central_documents_spread_over_the_period_each_bringing_plans(tmp_path: Path, documents: int) -> None:
    """Central documents are a small share, spaced over twenty years; the target is never filled with
    central documents piled on the last day."""
    synthesize(tmp_path, documents, seed=1)
    central = [d for d in read_ndjson(tmp_path / "documents.ndjson") if d["level"] == Level.central]
    assert len(central) < documents * 0.005
    assert max(Counter(d["date"] for d in central).values()) <= 2
    assert len({d["year"] for d in central}) >= 12


def test_plans_follow_what_they_implement_after_a_delay(national: dict[str, list[dict[str, Any]]]) -> None:
    dates = {d["key"]: dt.date.fromisoformat(d["date"]) for d in national["documents"]}
    delays = [
        (dates[link["source"]] - dates[link["target"]]).days
        for link in national["links"]
        if link["relation"] == Relation.implements
    ]
    assert min(delays) >= 5
    assert 20 <= sorted(delays)[len(delays) // 2] <= 180


def test_some_units_never_implement(national: dict[str, list[dict[str, Any]]]) -> None:
    """Gaps: for a central document, fewer provinces issue a plan than existed at the time."""
    level = {d["key"]: d["level"] for d in national["documents"]}
    provinces_per_central = Counter(
        link["target"]
        for link in national["links"]
        if link["relation"] == Relation.implements
        and level[link["source"]] == Level.province
        and level[link["target"]] == Level.central
    )
    assert provinces_per_central
    assert max(provinces_per_central.values()) < 63


def test_numbers_recur_across_provinces_and_terms(national: dict[str, list[dict[str, Any]]]) -> None:
    provincial = [d for d in national["documents"] if d["level"] == Level.province and d["symbol"].endswith("KH/TU")]
    places_per_symbol = Counter(d["symbol"] for d in provincial)
    assert max(places_per_symbol.values()) > 1  # the same symbol in several provinces
    years_per_symbol_and_place: dict[tuple[str, str], set[int]] = {}
    for d in provincial:
        years_per_symbol_and_place.setdefault((d["symbol"], d["jurisdiction"]), set()).add(d["year"])
    # a province's series restarts each term, so one of its symbols recurs five years apart
    assert any(max(years) - min(years) >= 5 for years in years_per_symbol_and_place.values())

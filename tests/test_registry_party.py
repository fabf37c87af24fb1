"""The registry of central Party documents (seeds/registry/party.yaml): shape, symbols, issuers, terms, links."""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.symbols import parse_symbol

pytestmark = pytest.mark.unit

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REGISTRY = SEEDS / "registry" / "party.yaml"
STATE_REGISTRY = SEEDS / "registry" / "state.yaml"
ORGANIZATIONS = SEEDS / "organizations.yaml"

MIN_ENTRIES = 300
REQUIRED_FIELDS = ("symbol", "type", "date", "issuer", "term", "title", "sources")
# First and last calendar year of each term (khóa); a term ends in the year the next congress meets.
TERM_YEARS: dict[str, tuple[int, int]] = {
    "VIII": (1996, 2001),
    "IX": (2001, 2006),
    "X": (2006, 2011),
    "XI": (2011, 2016),
    "XII": (2016, 2021),
    "XIII": (2021, 2026),
    "XIV": (2026, 2031),
}
# Document types a type code may name; "QĐ" is Quy định in most terms but also Quyết định.
TYPES_BY_CODE: dict[str, frozenset[str]] = {
    "NQ": frozenset({"Nghị quyết"}),
    "KL": frozenset({"Kết luận"}),
    "CT": frozenset({"Chỉ thị"}),
    "QĐi": frozenset({"Quy định"}),
    "QĐ": frozenset({"Quy định", "Quyết định"}),
    "HD": frozenset({"Hướng dẫn"}),
    "QC": frozenset({"Quy chế"}),
}
RELATIONS = frozenset({"continues", "replaces", "amends", "implements", "guides"})
URL_SCHEMES = ("https://", "http://")


def _load(path: Path) -> dict[str, Any]:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


REGISTRY_DATA = _load(REGISTRY)
DOCUMENTS: list[dict[str, Any]] = REGISTRY_DATA["documents"]
LINKS: list[dict[str, Any]] = REGISTRY_DATA.get("links") or []
ORG_KEYS = frozenset(org["key"] for org in _load(ORGANIZATIONS)["organizations"])


def _ref(doc: dict[str, Any]) -> str:
    return f"{doc.get('symbol') or doc['title']}@{doc['date'].year}"


def _state_refs() -> frozenset[str]:
    if not STATE_REGISTRY.exists():
        return frozenset()
    return frozenset(_ref(doc) for doc in _load(STATE_REGISTRY).get("documents") or [])


DOC_IDS = [_ref(doc) for doc in DOCUMENTS]


def test_registry_is_large_enough() -> None:
    assert len(DOCUMENTS) >= MIN_ENTRIES


def test_text_is_nfc() -> None:
    text = REGISTRY.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("doc", DOCUMENTS, ids=DOC_IDS)
def test_entry_has_required_fields(doc: dict[str, Any]) -> None:
    missing = [field for field in REQUIRED_FIELDS if not doc.get(field)]
    assert not missing
    assert isinstance(doc["date"], date)
    assert doc["title"].strip() == doc["title"]


@pytest.mark.parametrize("doc", DOCUMENTS, ids=DOC_IDS)
def test_sources_are_web_addresses(doc: dict[str, Any]) -> None:
    sources = doc["sources"]
    assert isinstance(sources, list) and sources
    assert all(isinstance(url, str) and url.startswith(URL_SCHEMES) for url in sources)
    assert len(set(sources)) == len(sources)


@pytest.mark.parametrize("doc", DOCUMENTS, ids=DOC_IDS)
def test_symbol_is_central_party_symbol(doc: dict[str, Any]) -> None:
    for text in [doc["symbol"], *doc.get("aliases", [])]:
        parts = parse_symbol(text)
        assert parts is not None and parts.is_central_party, text


@pytest.mark.parametrize("doc", DOCUMENTS, ids=DOC_IDS)
def test_type_matches_symbol_code(doc: dict[str, Any]) -> None:
    parts = parse_symbol(doc["symbol"])
    assert parts is not None and parts.type_code is not None
    assert doc["type"] in TYPES_BY_CODE[parts.type_code]


@pytest.mark.parametrize("doc", DOCUMENTS, ids=DOC_IDS)
def test_issuer_is_a_known_organization(doc: dict[str, Any]) -> None:
    assert doc["issuer"] in ORG_KEYS


@pytest.mark.parametrize("doc", DOCUMENTS, ids=DOC_IDS)
def test_date_lies_within_term(doc: dict[str, Any]) -> None:
    first, last = TERM_YEARS[doc["term"]]
    assert first <= doc["date"].year <= last


@pytest.mark.parametrize("doc", DOCUMENTS, ids=DOC_IDS)
def test_plenum_only_for_central_committee(doc: dict[str, Any]) -> None:
    plenum = doc.get("plenum")
    assert plenum is None or (doc["issuer"] == "bch-tw" and isinstance(plenum, int) and 1 <= plenum <= 20)


def test_symbol_and_year_are_unique() -> None:
    repeated = [ref for ref, count in Counter(DOC_IDS).items() if count > 1]
    assert not repeated


@pytest.mark.parametrize("link", LINKS, ids=[f"{lk['source']}-{lk['relation']}-{lk['target']}" for lk in LINKS])
def test_link_ends_exist(link: dict[str, Any]) -> None:
    known = frozenset(DOC_IDS) | _state_refs()
    assert link["relation"] in RELATIONS
    assert link["source"] in known and link["target"] in known
    assert link["source"] != link["target"]


def test_links_are_unique() -> None:
    triples = [(lk["source"], lk["relation"], lk["target"]) for lk in LINKS]
    assert len(set(triples)) == len(triples)

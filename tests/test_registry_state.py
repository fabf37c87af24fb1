"""The registry of central State documents (seeds/registry/state.yaml): well-formed facts and closed links."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.symbols import TYPE_CODE_NAMES, format_symbol, parse_symbol

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "seeds" / "registry" / "state.yaml"
ORGANIZATIONS = ROOT / "seeds" / "organizations.yaml"

MIN_DOCUMENTS = 200
# Only the Constitution is identified by its title: it carries no symbol.
TITLE_ONLY_TYPES = frozenset({"Hiến pháp"})
REQUIRED_FIELDS = ("type", "date", "issuer", "title", "sources")
OPTIONAL_FIELDS = ("symbol", "term", "effective_from", "note")
LINK_RELATIONS = frozenset({"amends", "replaces", "repeals", "guides", "implements"})
# Symbols without a type code (55/2014/QH13, 1211/2016/UBTVQH13) are laws or resolutions of the Assembly.
UNCODED_TYPES = frozenset({"Luật", "Bộ luật", "Nghị quyết"})
ASSEMBLY_ISSUERS = frozenset({"quoc-hoi", "ubtvqh"})
TERMS = {"10": "X", "11": "XI", "12": "XII", "13": "XIII", "14": "XIV", "15": "XV"}
URL_SCHEMES = ("https://", "http://")


@cache
def registry() -> dict[str, Any]:
    """The registry file, parsed once."""
    data: dict[str, Any] = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    return data


@cache
def organizations() -> dict[str, dict[str, Any]]:
    """The organization seeds by key."""
    data: dict[str, Any] = yaml.safe_load(ORGANIZATIONS.read_text(encoding="utf-8"))
    return {str(org["key"]): org for org in data["organizations"]}


def documents() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = registry()["documents"]
    return docs


def links() -> list[dict[str, str]]:
    found: list[dict[str, str]] = registry()["links"]
    return found


def reference(doc: dict[str, Any]) -> str:
    """How links name a document: ``SYMBOL@YEAR``, or ``TITLE@YEAR`` when it has no symbol."""
    return f"{doc.get('symbol') or doc['title']}@{doc['date'].year}"


def doc_id(doc: dict[str, Any]) -> str:
    return reference(doc)


def symbolled() -> list[dict[str, Any]]:
    return [doc for doc in documents() if "symbol" in doc]


def test_at_least_the_minimum_count() -> None:
    assert len(documents()) >= MIN_DOCUMENTS


def test_file_is_nfc() -> None:
    text = REGISTRY.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("doc", documents(), ids=doc_id)
def test_fields(doc: dict[str, Any]) -> None:
    assert set(doc) <= {*REQUIRED_FIELDS, *OPTIONAL_FIELDS}, set(doc) - {*REQUIRED_FIELDS, *OPTIONAL_FIELDS}
    for field in REQUIRED_FIELDS:
        assert doc.get(field), field
    assert ("symbol" in doc) != (doc["type"] in TITLE_ONLY_TYPES)
    assert isinstance(doc["date"], dt.date)
    assert isinstance(doc["title"], str) and doc["title"].strip() == doc["title"]
    if "effective_from" in doc:
        assert isinstance(doc["effective_from"], dt.date)
        assert doc["effective_from"] >= doc["date"]
    if "note" in doc:
        assert isinstance(doc["note"], str) and doc["note"].strip()


@pytest.mark.parametrize("doc", documents(), ids=doc_id)
def test_sources_are_web_pages(doc: dict[str, Any]) -> None:
    sources = doc["sources"]
    assert isinstance(sources, list) and sources
    for url in sources:
        assert isinstance(url, str) and url.startswith(URL_SCHEMES), url
        assert " " not in url, url
    assert len(set(sources)) == len(sources)


@pytest.mark.parametrize("doc", documents(), ids=doc_id)
def test_issuer_existed_on_the_date(doc: dict[str, Any]) -> None:
    issuer = organizations().get(doc["issuer"])
    assert issuer is not None, doc["issuer"]
    # A ministry restructured in 2025 is a new organization: the date picks the one that issued the document.
    if issuer.get("valid_from"):
        assert doc["date"] >= issuer["valid_from"]
    if issuer.get("valid_to"):
        assert doc["date"] <= issuer["valid_to"]


@pytest.mark.parametrize("doc", symbolled(), ids=doc_id)
def test_symbol_is_canonical_state_form(doc: dict[str, Any]) -> None:
    parts = parse_symbol(doc["symbol"])
    assert parts is not None
    assert parts.form == "state"
    assert format_symbol(parts) == doc["symbol"]
    if parts.year is not None:
        assert parts.year == doc["date"].year


@pytest.mark.parametrize("doc", symbolled(), ids=doc_id)
def test_type_agrees_with_symbol(doc: dict[str, Any]) -> None:
    parts = parse_symbol(doc["symbol"])
    assert parts is not None
    if parts.type_code is None:
        assert doc["type"] in UNCODED_TYPES
    else:
        assert TYPE_CODE_NAMES[parts.type_code] == doc["type"]


@pytest.mark.parametrize("doc", documents(), ids=doc_id)
def test_term_of_assembly_documents(doc: dict[str, Any]) -> None:
    parts = parse_symbol(doc["symbol"]) if "symbol" in doc else None
    suffix = parts.issuer.split("-")[-1] if parts else ""
    if suffix.startswith(("QH", "UBTVQH")):
        assert doc.get("term") == TERMS[suffix[-2:]]
    if doc["issuer"] in ASSEMBLY_ISSUERS:
        assert doc.get("term") in TERMS.values()
    else:
        assert "term" not in doc


def test_no_two_documents_share_symbol_and_year() -> None:
    counts = Counter(reference(doc) for doc in documents())
    assert [ref for ref, n in counts.items() if n > 1] == []


# The same symbol issued in different years names different documents, each entered once.
SAME_SYMBOL_CASES = [
    ("16/CT-TTg", [2016, 2017, 2020]),
    ("50/NQ-CP", [2020, 2021]),
]


@pytest.mark.parametrize(("symbol", "years"), SAME_SYMBOL_CASES, ids=[c[0] for c in SAME_SYMBOL_CASES])
def test_reused_symbols_are_separate_entries(symbol: str, years: list[int]) -> None:
    found = sorted(doc["date"].year for doc in symbolled() if doc["symbol"] == symbol)
    assert found == years
    titles = {doc["title"] for doc in symbolled() if doc["symbol"] == symbol}
    assert len(titles) == len(years)


@pytest.mark.parametrize("link", links(), ids=lambda link: f"{link['source']} {link['relation']} {link['target']}")
def test_link_ends_exist_and_precede(link: dict[str, str]) -> None:
    by_reference = {reference(doc): doc for doc in documents()}
    assert set(link) == {"source", "relation", "target"}
    assert link["relation"] in LINK_RELATIONS
    assert link["source"] != link["target"]
    source, target = by_reference.get(link["source"]), by_reference.get(link["target"])
    assert source is not None, link["source"]
    assert target is not None, link["target"]
    # A document can only amend, replace, guide or carry out one that already exists.
    assert source["date"] >= target["date"]


def test_no_duplicate_links() -> None:
    counts = Counter((link["source"], link["relation"], link["target"]) for link in links())
    assert [key for key, n in counts.items() if n > 1] == []

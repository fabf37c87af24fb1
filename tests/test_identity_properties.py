"""Properties of identity: no two identities share a key, and no write changes a document it does not address."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import ConflictError, InvalidInputError
from graph.identity import DocumentDraft, Identity, WriteMode
from graph.models import Document, DocumentFilter
from graph.ports import GraphStore
from graph.seeds import load_seeds
from graph.symbols import PARTY_ISSUER_CODES, TYPE_CODE_NAMES, SymbolParts, format_symbol, parse_symbol
from tests.conftest import STORE_KINDS, open_store

pytestmark = pytest.mark.contract

# Scopes as real jurisdiction keys look: some end in a year, some hold a dot (districts).
SCOPES = ["", "thanh-hoa", "an-giang", "an-giang-2025", "ha-noi-2025", "thanh-hoa.hoang-hoa", "hue", "2025"]
STATE_ISSUERS = ["CP", "TTg", "UBND", "QH13", "BTC-BNN", "SNV-CCHC&PC", "UBND-TP", "X"]
CODES = st.sampled_from(sorted(TYPE_CODE_NAMES))
NUMBERS = st.integers(min_value=0, max_value=99999).map(str) | st.sampled_from(["01", "04", "004"])
YEARS = st.none() | st.integers(min_value=1990, max_value=2030)

party_symbols = st.builds(
    lambda n, t, i: format_symbol(SymbolParts(n, t, i, "party")),
    NUMBERS,
    CODES,
    st.sampled_from(sorted(PARTY_ISSUER_CODES)),
)
state_symbols = st.builds(
    lambda n, t, i, y: format_symbol(SymbolParts(n, t, i, "state", y)),
    NUMBERS,
    st.none() | CODES,
    st.sampled_from(STATE_ISSUERS),
    YEARS,
)
symbol_identities = st.builds(Identity, party_symbols | state_symbols, st.sampled_from(SCOPES), YEARS)
title_identities = st.builds(
    lambda t, words, scope, year: Identity(None, scope, year, t, words),
    st.sampled_from(["Luật", "Hiến pháp", "Điều lệ", "Pháp lệnh"]),
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ 0123456789", min_size=1, max_size=40).filter(
        lambda s: any(c.isalpha() for c in s)
    ),
    st.sampled_from(SCOPES),
    YEARS,
)


def _identity(identity: Identity) -> tuple[str, str, int | None]:
    year = identity.year
    if identity.symbol is not None:
        parts = parse_symbol(identity.symbol)
        assert parts is not None
        year = parts.year or year
    return identity.match_key, identity.scope, year


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(symbol_identities | title_identities, min_size=2, max_size=2))
def test_two_different_identities_never_share_a_key(pair: list[Identity]) -> None:
    a, b = pair
    if a.key == b.key:
        assert _identity(a) == _identity(b), (a, b, a.key)


@settings(max_examples=500, deadline=None)
@given(symbol_identities | title_identities)
def test_a_key_is_url_safe_and_of_one_line(identity: Identity) -> None:
    assert identity.key and all(c.isascii() and (c.isalnum() or c in "-._") for c in identity.key)


# Writes against a seeded store: variants of real symbols, new ones, other values for stored fields.
SYMBOL_POOL = ["43-KL/TW", "43 kl tw", "25-NQ/TW", "18.NQ.TW", "3001-NQ/TW", "3001 nq/tw", "16/CT-TTg", "7-KH/TU"]
drafts = st.builds(
    lambda symbol, day, title, issuer: DocumentDraft(symbol=symbol, date=day, title=title, issuer=issuer),
    st.sampled_from(SYMBOL_POOL),
    st.none() | st.sampled_from([dt.date(2019, 1, 7), dt.date(2013, 6, 3), dt.date(2017, 10, 25), dt.date(2024, 2, 1)]),
    st.none() | st.sampled_from(["Một tiêu đề", "Tiêu đề khác"]),
    st.sampled_from([None, "bch-tw", "thanh-hoa.btv"]),
)


@pytest.fixture(params=STORE_KINDS)
async def seeded_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    store = await open_store(request.param, tmp_path)
    await load_seeds(store, units=False)
    yield store
    await store.close()


async def _snapshot(store: GraphStore) -> dict[str, Document]:
    return {d.key: d for d in await store.find_documents(DocumentFilter(), limit=100_000)}


# State accumulates across examples: each runs a sequence of writes on the store the earlier ones left.
@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(drafts, min_size=1, max_size=4))
async def test_no_write_changes_a_document_it_does_not_address(
    seeded_store: GraphStore, batch: list[DocumentDraft]
) -> None:
    for draft in batch:
        before = await _snapshot(seeded_store)
        try:
            [written] = await seeded_store.upsert_documents([draft], WriteMode.create)
        except (ConflictError, InvalidInputError):
            assert await _snapshot(seeded_store) == before
            continue
        after = await _snapshot(seeded_store)
        assert {k for k in after if before.get(k) != after[k]} <= {written.key}
        assert set(before) <= set(after)
        stored = before.get(written.key)
        if stored is not None and not stored.stub:
            assert written.symbol == stored.symbol
            assert all(
                getattr(written, f) == getattr(stored, f) for f in ("title", "date", "issuer") if getattr(stored, f)
            )

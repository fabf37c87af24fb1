"""Short forms of a symbol read as a type code and a number, whatever their spacing, case and accents."""

from __future__ import annotations

import pytest

from graph.search import NumberRecall, parse_query, recall_plan

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "type_code", "number", "term", "year"),
    [
        pytest.param("KL 1", "KL", "1", None, None, id="code-space-number"),
        pytest.param("KL1", "KL", "1", None, None, id="code-glued"),
        pytest.param("kl 01", "KL", "1", None, None, id="leading-zero"),
        pytest.param("NQ3", "NQ", "3", None, None, id="NQ-glued"),
        pytest.param("nq 25", "NQ", "25", None, None, id="lower-case"),
        pytest.param("25NQ", "NQ", "25", None, None, id="number-first-glued"),
        pytest.param("CT 16", "CT", "16", None, None, id="CT"),
        pytest.param("ct16", "CT", "16", None, None, id="ct-glued"),
        pytest.param("QĐ 5", "QĐ", "5", None, None, id="QĐ-accented"),
        pytest.param("qd5", "QĐ", "5", None, None, id="qd-folded"),
        pytest.param("nghị quyết 18 khóa XII", "NQ", "18", "XII", None, id="name-and-term"),
        pytest.param("nghi quyet 18 khoa 12", "NQ", "18", "XII", None, id="arabic-term"),
        pytest.param("kết luận 43", "KL", "43", None, None, id="name"),
        pytest.param("chỉ thị 16 2020", "CT", "16", None, 2020, id="name-number-year"),
        pytest.param("số 25 nq", "NQ", "25", None, None, id="so-prefix"),
        pytest.param("dân vận", None, None, None, None, id="words-only"),
    ],
)
def test_short_forms_read_type_and_number(
    text: str, type_code: str | None, number: str | None, term: str | None, year: int | None
) -> None:
    query = parse_query(text)
    assert query is not None
    assert (query.type_code, query.number, query.term, query.year) == (type_code, number, term, year)


@pytest.mark.parametrize(
    ("text", "type_number"),
    [
        pytest.param("KL 1", "ket luan 1", id="KL"),
        pytest.param("NQ03", "nghi quyet 3", id="NQ-zero"),
        pytest.param("qđ 7", "quyet dinh 7", id="QĐ"),
        pytest.param("nghị quyết 18 khóa XII", "nghi quyet 18", id="name-term"),
    ],
)
def test_a_typed_number_is_recalled_by_its_index_key(text: str, type_number: str) -> None:
    query = parse_query(text)
    assert query is not None
    numbered = [r for r in recall_plan(query, typos=False) if isinstance(r, NumberRecall)]
    assert [r.type_number for r in numbered] == [type_number]


@pytest.mark.parametrize("text", ["dân vận", "2019", "ke hoach", "25-N"])
def test_no_number_recall_without_a_number(text: str) -> None:
    query = parse_query(text)
    assert query is not None
    assert not [r for r in recall_plan(query, typos=False) if isinstance(r, NumberRecall)]


@pytest.mark.parametrize(("text", "number"), [("số 25", "25"), ("025", "25"), ("999 thanh hoa", "999")])
def test_a_bare_number_is_recalled_by_number_alone(text: str, number: str) -> None:
    query = parse_query(text)
    assert query is not None
    numbered = [r for r in recall_plan(query, typos=False) if isinstance(r, NumberRecall)]
    assert [(r.type_name, r.number) for r in numbered] == [(None, number)]

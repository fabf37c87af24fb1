"""The administrative map in the seeds: curated provinces and bodies, generated districts and communes (seeds/units)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import unicodedata
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.models import Level, Organization
from graph.seeds import SeedFile

pytestmark = pytest.mark.unit

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
UNIT_FILES = ("communes.yaml", "districts.yaml")
BEFORE = dt.date(2025, 6, 30)
COMMUNES_FROM = dt.date(2025, 7, 1)
AFTER = dt.date(2026, 1, 1)
PINNED = ("vietnam_provinces", "vietnamadminunits")


@cache
def _load(path: Path) -> SeedFile:
    # libyaml's loader: the generated files take seconds with the pure-Python one.
    raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return SeedFile.model_validate(raw)


@cache
def organizations() -> tuple[Organization, ...]:
    """The curated file and every generated file, each validated as a seed file on its own."""
    paths = [SEEDS / "organizations.yaml", *(SEEDS / "units" / name for name in UNIT_FILES)]
    return tuple(org for path in paths for org in _load(path).organizations)


@cache
def by_key() -> dict[str, Organization]:
    return {o.key: o for o in organizations()}


def units(level: Level, day: dt.date, parent: str | None = None) -> list[Organization]:
    return [
        o
        for o in organizations()
        if o.level == level
        and o.kind == "administrative_unit"
        and o.valid_on(day)
        and (parent is None or o.parent == parent)
    ]


def test_every_generated_file_lists_organizations() -> None:
    for name in UNIT_FILES:
        assert _load(SEEDS / "units" / name).organizations, name


@pytest.mark.parametrize(
    ("level", "day", "parent", "expected"),
    [
        (Level.province, AFTER, None, 34),
        (Level.commune, AFTER, None, 3321),
        (Level.province, BEFORE, None, 63),
        (Level.district, BEFORE, None, 696),
        (Level.commune, AFTER, "nghe-an", 130),
        (Level.commune, AFTER, "thanh-hoa", 166),
        (Level.commune, AFTER, "ho-chi-minh-2025", 168),
        (Level.commune, AFTER, "ha-noi", 126),
        (Level.commune, AFTER, "lai-chau", 38),
        (Level.district, BEFORE, "thanh-hoa", 26),
        (Level.district, BEFORE, "hue", 9),
        (Level.district, AFTER, None, 0),
        (Level.commune, BEFORE, None, 0),
        (Level.province, dt.date(2024, 12, 31), None, 63),
    ],
)
def test_unit_counts(level: Level, day: dt.date, parent: str | None, expected: int) -> None:
    assert len(units(level, day, parent)) == expected


@pytest.mark.parametrize(("kind", "expected"), [("Xã", 2621), ("Phường", 687), ("Đặc khu", 13)])
def test_commune_types(kind: str, expected: int) -> None:
    assert sum(o.name.startswith(kind + " ") for o in units(Level.commune, AFTER)) == expected


def test_keys_are_unique() -> None:
    counts = Counter(o.key for o in organizations())
    assert [k for k, n in counts.items() if n > 1] == []


def test_names_are_nfc() -> None:
    texts = [t for o in organizations() for t in (o.name, o.short_name or "", *o.aliases)]
    assert [t for t in texts if not unicodedata.is_normalized("NFC", t)] == []


def _covers(parent: Organization, child: Organization) -> bool:
    starts = parent.valid_from is None or (child.valid_from is not None and parent.valid_from <= child.valid_from)
    ends = parent.valid_to is None or (child.valid_to is not None and child.valid_to <= parent.valid_to)
    return starts and ends


def _precedes(old: Organization, new: Organization) -> bool:
    return old.valid_to is not None and new.valid_from is not None and old.valid_to < new.valid_from


def test_every_parent_exists_and_spans_its_child() -> None:
    known = by_key()
    missing = [o.key for o in organizations() if o.parent is not None and o.parent not in known]
    assert missing == []
    outside = [o.key for o in organizations() if o.parent is not None and not _covers(known[o.parent], o)]
    assert outside == []


def test_every_predecessor_exists_and_ends_before_its_successor() -> None:
    known = by_key()
    pairs = [(o, p) for o in organizations() for p in o.predecessors]
    assert [p for _, p in pairs if p not in known] == []
    assert [(o.key, p) for o, p in pairs if not _precedes(known[p], o)] == []


def test_every_new_province_has_predecessors() -> None:
    merged = [o for o in units(Level.province, AFTER) if o.key.endswith("-2025")]
    assert len(merged) == 23
    assert [o.key for o in merged if not o.predecessors] == []


@pytest.mark.parametrize(("level", "body"), [(Level.commune, "dang-uy"), (Level.district, "huyen-uy")])
def test_every_unit_has_its_committees(level: Level, body: str) -> None:
    known = by_key()
    day = AFTER if level == Level.commune else BEFORE
    for unit in units(level, day):
        assert f"{unit.key}.ubnd" in known, unit.key
        if not unit.key.endswith("hoang-sa"):  # no Party committee of its own
            assert f"{unit.key}.{body}" in known, unit.key


@pytest.mark.parametrize(
    ("key", "parent", "name"),
    [
        ("nghe-an.phuong-vinh-phu", "nghe-an", "Phường Vinh Phú"),
        ("an-giang-2025.dac-khu-phu-quoc", "an-giang-2025", "Đặc khu Phú Quốc"),
        ("thai-nguyen-2025.xa-van-lang-02143", "thai-nguyen-2025", "Xã Văn Lang"),
        ("thai-nguyen-2025.xa-van-lang-05665", "thai-nguyen-2025", "Xã Văn Lăng"),
        ("ho-chi-minh.quan-1", "ho-chi-minh", "Quận 1"),
        ("ha-tinh.thi-xa-ky-anh", "ha-tinh", "Thị xã Kỳ Anh"),
        ("ha-tinh.huyen-ky-anh", "ha-tinh", "Huyện Kỳ Anh"),
        ("hue.phu-xuan", "hue", "Quận Phú Xuân"),
        ("thanh-hoa.nghi-son", "thanh-hoa", "Thị xã Nghi Sơn"),
    ],
)
def test_known_units(key: str, parent: str, name: str) -> None:
    unit = by_key()[key]
    assert (unit.parent, unit.name, unit.jurisdiction) == (parent, name, key)


def test_hue_became_a_city_on_2025_01_01() -> None:
    old, new = by_key()["thua-thien-hue"], by_key()["hue"]
    assert (old.valid_to, new.valid_from, new.predecessors) == (dt.date(2024, 12, 31), dt.date(2025, 1, 1), [old.key])


SOURCES_ABSENT = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in PINNED), reason="the generator's source packages are absent"
)


def _folded(key: str) -> str:
    """A province key as vietnamadminunits writes it without its type: "ho-chi-minh-2025" → "hochiminh"."""
    return key.removesuffix("-2025").replace("-", "")


@SOURCES_ABSENT
def test_curated_mergers_agree_with_vietnamadminunits() -> None:
    data = resources.files("vietnamadminunits").joinpath("data/converter_2025.json").read_text(encoding="utf-8")
    prefix = re.compile(r"^(tinh|thanhpho)")
    merges = {
        prefix.sub("", new): sorted(prefix.sub("", o) for o in olds)
        for new, olds in json.loads(data)["DICT_PROVINCE"].items()
    }
    ours = {
        _folded(o.key): sorted(_folded(p) for p in o.predecessors)
        if o.valid_from == COMMUNES_FROM
        else [_folded(o.key)]
        for o in units(Level.province, AFTER)
    }
    assert ours == merges


@SOURCES_ABSENT
def test_the_committed_files_are_what_the_generator_writes() -> None:
    from scripts import units as generator

    written = generator.generate(generator.read_curated(), generator.read_wards(), generator.read_districts())
    assert sorted(written) == sorted(UNIT_FILES)
    for name, text in written.items():
        assert (SEEDS / "units" / name).read_text(encoding="utf-8") == text, name

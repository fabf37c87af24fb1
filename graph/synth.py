"""Synthetic national-scale graphs: central documents across terms and the plans implementing them.

The shape follows how the system works: central Party documents numbered afresh each term (khóa X
to XIV), conclusions continuing earlier resolutions, Government follow-ups, then every province
issuing its own plan weeks to months later, every district (to June 2025) or commune (from July
2025) implementing its province's plan, and some units never doing so. Local series restart per
unit and per term, so identical symbols recur across provinces and years and only
symbol + scope + year (graph.identity) tells them apart.

Everything is drawn from one ``random.Random(seed)``: the same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graph.bulk import ndjson_line
from graph.identity import DocumentDraft, complete_draft, identity_of, merge_document
from graph.models import Branch, Document, Level, Link, Organization, Origin, Relation
from graph.seeds import DEFAULT_SEEDS_DIR, SeedFile

DISTRICTS_ABOLISHED = dt.date(2025, 7, 1)
START = dt.date(2006, 5, 1)
END = dt.date(2026, 3, 31)
# Central terms (khóa) with the years they number their series in; numbering restarts each term.
TERMS: tuple[tuple[str, int, int], ...] = (
    ("X", 2006, 2010),
    ("XI", 2011, 2015),
    ("XII", 2016, 2020),
    ("XIII", 2021, 2025),
    ("XIV", 2026, 2030),
)
# Central Party series: (type code, issuers, weight).
CENTRAL_SERIES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("NQ", ("bch-tw", "bo-chinh-tri"), 4),
    ("KL", ("bo-chinh-tri", "ban-bi-thu"), 4),
    ("CT", ("ban-bi-thu", "bo-chinh-tri"), 2),
    ("QĐ", ("bo-chinh-tri", "ban-bi-thu"), 1),
)
TOPICS: tuple[str, ...] = (
    "công tác dân vận trong tình hình mới",
    "xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
    "phát triển kinh tế tư nhân",
    "chuyển đổi số quốc gia",
    "bảo vệ môi trường và ứng phó với biến đổi khí hậu",
    "phát triển nguồn nhân lực chất lượng cao",
    "công tác phòng, chống tham nhũng, tiêu cực",
    "đổi mới căn bản, toàn diện giáo dục và đào tạo",
    "bảo vệ, chăm sóc và nâng cao sức khỏe nhân dân",
    "phát triển văn hóa, con người Việt Nam",
    "xây dựng nông thôn mới",
    "tinh gọn tổ chức bộ máy của hệ thống chính trị",
    "phát triển khoa học, công nghệ và đổi mới sáng tạo",
    "công tác cán bộ các cấp",
    "quốc phòng, an ninh và đối ngoại",
)
PROVINCE_TAKE_UP = 0.88
PROVINCE_STATE_PLAN = 0.45
DISTRICT_TAKE_UP = 0.8
DISTRICT_STATE_PLAN = 0.3
COMMUNE_TAKE_UP = 0.72
GOVERNMENT_FOLLOW_UP = 0.3
CONTINUES_EARLIER = 0.45
# Mean documents a central document brings before and after July 2025, to space central dates.
_FAN_OUT_BEFORE = (
    1
    + 63 * PROVINCE_TAKE_UP * (1 + PROVINCE_STATE_PLAN)
    + 700 * PROVINCE_TAKE_UP * DISTRICT_TAKE_UP * (1 + DISTRICT_STATE_PLAN)
)
_FAN_OUT_AFTER = 1 + 34 * PROVINCE_TAKE_UP * (1 + PROVINCE_STATE_PLAN) + 3300 * PROVINCE_TAKE_UP * COMMUNE_TAKE_UP


@dataclass
class Unit:
    """An administrative unit with the bodies that issue its party and state documents."""

    key: str
    level: Level
    party_body: Organization
    state_body: Organization | None
    party_code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    children: list[Unit] = field(default_factory=list)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class SynthCounts:
    organizations: int
    documents: int
    links: int


def synthesize(out: Path, documents: int, seed: int, seeds_dir: Path = DEFAULT_SEEDS_DIR) -> SynthCounts:
    """Write ``organizations.ndjson``, ``documents.ndjson`` and ``links.ndjson`` of exactly ``documents`` documents."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    seed_orgs = SeedFile.model_validate(
        yaml.safe_load((seeds_dir / "organizations.yaml").read_text(encoding="utf-8"))
    ).organizations
    generated, provinces = _units(seed_orgs, rng)
    organizations = [*seed_orgs, *generated]
    with (out / "organizations.ndjson").open("w", encoding="utf-8", newline="\n") as f:
        for org in organizations:
            f.write(ndjson_line(org))
    generator = _Generator(rng, {o.key: o for o in organizations}, provinces, documents)
    links = 0
    with (
        (out / "documents.ndjson").open("w", encoding="utf-8", newline="\n") as docs_file,
        (out / "links.ndjson").open("w", encoding="utf-8", newline="\n") as links_file,
    ):
        for doc, doc_links in generator.run():
            docs_file.write(ndjson_line(doc))
            links_file.writelines(ndjson_line(link) for link in doc_links)
            links += len(doc_links)
    return SynthCounts(len(organizations), generator.count, links)


def _units(seed_orgs: list[Organization], rng: random.Random) -> tuple[list[Organization], list[Unit]]:
    """Generated districts (to June 2025) and communes (from July 2025) for every seed province."""
    by_key = {o.key: o for o in seed_orgs}
    provinces: list[Unit] = []
    generated: list[Organization] = []
    for p in sorted(
        (o for o in seed_orgs if o.kind == "administrative_unit" and o.level == Level.province), key=lambda o: o.key
    ):
        unit = Unit(
            p.key, Level.province, by_key[f"{p.key}.btv"], by_key[f"{p.key}.ubnd"], "TU", p.valid_from, p.valid_to
        )
        provinces.append(unit)
        label = p.short_name or p.name
        if p.valid_from is None:
            end = min(p.valid_to or DISTRICTS_ABOLISHED, DISTRICTS_ABOLISHED - dt.timedelta(days=1))
            for n in range(1, rng.randint(6, 16) + 1):
                key = f"{p.key}.d{n:02d}"
                orgs = _unit_orgs(
                    key, p.key, Level.district, f"Huyện {n:02d}, {label}", "huyen-uy", "Huyện ủy", None, end
                )
                generated.extend(orgs)
                unit.children.append(Unit(key, Level.district, orgs[1], orgs[2], "HU", None, end))
        if p.valid_on(DISTRICTS_ABOLISHED):
            areas = rng.randint(6, 14)
            for n in range(1, rng.randint(60, 135) + 1):
                key = f"{p.key}.d{n % areas + 1:02d}.c{n:03d}"
                orgs = _unit_orgs(
                    key, p.key, Level.commune, f"Xã {n:03d}, {label}", "dang-uy", "Đảng ủy", DISTRICTS_ABOLISHED, None
                )
                generated.extend(orgs)
                unit.children.append(Unit(key, Level.commune, orgs[1], orgs[2], "ĐU", DISTRICTS_ABOLISHED, None))
    return generated, provinces


def _unit_orgs(
    key: str,
    parent: str,
    level: Level,
    name: str,
    party_suffix: str,
    party_name: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
) -> list[Organization]:
    """The unit, its party committee and its people's committee."""
    common: dict[str, Any] = {"level": level, "jurisdiction": key, "valid_from": valid_from, "valid_to": valid_to}
    return [
        Organization(key=key, name=name, kind="administrative_unit", parent=parent, **common),
        Organization(
            key=f"{key}.{party_suffix}",
            name=f"{party_name} {name}",
            kind="party_committee",
            branch=Branch.party,
            parent=key,
            **common,
        ),
        Organization(
            key=f"{key}.ubnd",
            name=f"Ủy ban nhân dân {name}",
            kind="peoples_committee",
            branch=Branch.state,
            parent=key,
            **common,
        ),
    ]


def _term_of(day: dt.date) -> str:
    return next((name for name, first, last in TERMS if first <= day.year <= last), TERMS[-1][0])


def _term_index(day: dt.date) -> int:
    """Local Party series restart with each five-year congress term."""
    return (day.year - 2006) // 5


class _Generator:
    """Emits documents with the links out of them, parents always before the documents linking to them."""

    def __init__(
        self, rng: random.Random, organizations: dict[str, Organization], provinces: list[Unit], target: int
    ) -> None:
        self.rng = rng
        self.organizations = organizations
        self.provinces = provinces
        self.target = target
        self.count = 0
        self.counters: dict[tuple[str, ...], int] = {}
        self.central: list[Document] = []
        self.previous_plan: dict[str, str] = {}
        # Central dates are spaced so that the expected fan-out adds up to the target.
        after_share = (END - DISTRICTS_ABOLISHED).days / (END - START).days
        mean_fan_out = (1 - after_share) * _FAN_OUT_BEFORE + after_share * _FAN_OUT_AFTER
        self.step = (END - START).days / max(1.0, target / mean_fan_out)

    def run(self) -> Iterator[tuple[Document, list[Link]]]:
        index = 0
        while self.count < self.target:
            day = START + dt.timedelta(days=int(index * self.step) + self.rng.randint(0, max(0, int(self.step) - 1)))
            index += 1
            for doc, links in self._central(min(day, END)):
                yield doc, links
                if self.count >= self.target:
                    return

    def _next(self, *series: str) -> int:
        n = self.counters.get(series, 0) + 1
        self.counters[series] = n
        return n

    def _emit(self, draft: DocumentDraft, links: list[tuple[Relation, str]]) -> tuple[Document, list[Link]]:
        issuer = self.organizations[draft.issuer] if draft.issuer else None
        completed = complete_draft(draft, issuer)
        doc = merge_document(None, completed, identity_of(completed).key)
        self.count += 1
        return doc, [self._link(doc.key, relation, target) for relation, target in links]

    def _link(self, source: str, relation: Relation, target: str) -> Link:
        if relation == Relation.cites and self.rng.random() < 0.3:
            return Link(
                source=source,
                relation=relation,
                target=target,
                origin=Origin.extracted,
                confidence=round(self.rng.uniform(0.6, 0.99), 2),
            )
        return Link(source=source, relation=relation, target=target)

    def _earlier_central(self, k: int) -> list[str]:
        recent = self.central[-60:]
        return [d.key for d in self.rng.sample(recent, min(k, len(recent)))]

    def _central(self, day: dt.date) -> Iterator[tuple[Document, list[Link]]]:
        rng = self.rng
        term = _term_of(day)
        code, issuers, _ = rng.choices(CENTRAL_SERIES, weights=[w for *_, w in CENTRAL_SERIES])[0]
        topic = rng.choice(TOPICS)
        links: list[tuple[Relation, str]] = [(Relation.cites, k) for k in self._earlier_central(rng.randint(0, 3))]
        continued = None
        if code == "KL" and self.central and rng.random() < CONTINUES_EARLIER:
            continued = rng.choice(self.central[-80:])
            links.append((Relation.continues, continued.key))
            topic = f"tiếp tục thực hiện {continued.type or 'văn bản'} số {continued.symbol}"
        draft = DocumentDraft(
            symbol=f"{self._next(term, code)}-{code}/TW",
            date=day,
            issuer=rng.choice(issuers),
            term=term,
            title=f"Về {topic}",
        )
        central, central_links = self._emit(draft, links)
        self.central.append(central)
        yield central, central_links
        if rng.random() < GOVERNMENT_FOLLOW_UP:
            follow = _later(day, rng, 10, 90)
            code, issuer = rng.choice((("NQ", "chinh-phu"), ("CT", "thu-tuong")))
            suffix = "CP" if issuer == "chinh-phu" else "TTg"
            yield self._emit(
                DocumentDraft(
                    symbol=f"{self._next(str(follow.year), code, suffix)}/{code}-{suffix}",
                    date=follow,
                    issuer=issuer,
                    title=f"Chương trình hành động thực hiện {central.type} số {central.symbol}",
                ),
                [(Relation.implements, central.key)],
            )
        for province in self.provinces:
            yield from self._local_plans(province, central, day)

    def _local_plans(self, unit: Unit, parent: Document, day: dt.date) -> Iterator[tuple[Document, list[Link]]]:
        """The unit's plan implementing ``parent`` (if it acts on it at all), then its children's."""
        rng = self.rng
        take_up = {Level.province: PROVINCE_TAKE_UP, Level.district: DISTRICT_TAKE_UP}.get(unit.level, COMMUNE_TAKE_UP)
        date = _later(day, rng, 7, 120)
        if not unit.valid_on(date) or rng.random() >= take_up:
            return
        cited = (k for k in self._earlier_central(rng.randint(2, 5)) if k != parent.key)
        links = [(Relation.implements, parent.key), *((Relation.cites, k) for k in cited)]
        if previous := self.previous_plan.get(unit.key):
            links.append((Relation.cites, previous))
        plan, plan_links = self._emit(
            DocumentDraft(
                symbol=f"{self._next(unit.key, str(_term_index(date)))}-KH/{unit.party_code}",
                date=date,
                issuer=unit.party_body.key,
                title=f"Kế hoạch thực hiện {parent.type or 'văn bản'} số {parent.symbol}",
            ),
            links,
        )
        self.previous_plan[unit.key] = plan.key
        yield plan, plan_links
        state_share = PROVINCE_STATE_PLAN if unit.level == Level.province else DISTRICT_STATE_PLAN
        if unit.state_body is not None and unit.level != Level.commune and rng.random() < state_share:
            state_date = _later(date, rng, 5, 60)
            if unit.valid_on(state_date):
                yield self._emit(
                    DocumentDraft(
                        symbol=f"{self._next(unit.key, str(state_date.year), 'UBND')}/KH-UBND",
                        date=state_date,
                        issuer=unit.state_body.key,
                        title=f"Kế hoạch triển khai {plan.type} số {plan.symbol}",
                    ),
                    [(Relation.implements, plan.key), (Relation.based_on, parent.key)],
                )
        for child in unit.children:
            yield from self._local_plans(child, plan, date)


def _later(day: dt.date, rng: random.Random, low: int, mean: int) -> dt.date:
    """A date some days after ``day``: at least ``low``, ``mean`` on average, within half a year."""
    return day + dt.timedelta(days=min(180, low + int(rng.expovariate(1 / max(1, mean - low)))))

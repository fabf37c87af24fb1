"""Search latency benchmark: p50/p99 of GraphStore.search over a synthetic corpus.

    .venv/bin/python bench/search_latency.py                 # 100k documents, embedded store
    NEO4J_URI=bolt://127.0.0.1:7688 .venv/bin/python bench/search_latency.py --neo4j-docs 20000

The corpus is deterministic: the seed organizations, and documents issued by them with realistic
Vietnamese symbols and titles. The SQLite file is kept (``--db``) and reused while it holds the
expected corpus. With NEO4J_URI set the Neo4j store is measured too, on a smaller corpus:
that run WIPES the database at NEO4J_URI.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from graph.identity import DocumentDraft
from graph.models import Level, Organization
from graph.ports import GraphStore
from graph.search import MAX_LIMIT
from graph.seeds import DEFAULT_SEEDS_DIR, read_seeds
from graph.stores.neo4j import Neo4jStore
from graph.stores.sqlite import SqliteStore
from graph.symbols import TYPE_CODE_NAMES, parse_symbol
from graph.text import fold

SEED = 20240601
BATCH = 2000
WARMUP_QUERIES = 200
LOAD_TIMEOUT = 600.0

TOPICS = [
    "công tác dân vận",
    "xây dựng, chỉnh đốn Đảng",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "chuyển đổi số",
    "phát triển kinh tế - xã hội",
    "cải cách hành chính",
    "bảo vệ môi trường",
    "xây dựng nông thôn mới",
    "đổi mới căn bản, toàn diện giáo dục và đào tạo",
    "y tế cơ sở",
    "quốc phòng, an ninh",
    "công tác cán bộ",
    "sắp xếp tổ chức bộ máy tinh gọn",
    "phát triển kinh tế tư nhân",
    "khoa học, công nghệ và đổi mới sáng tạo",
    "quản lý và sử dụng đất đai",
    "phát triển văn hóa, con người",
    "công tác thi đua, khen thưởng",
    "phòng, chống thiên tai",
    "bảo đảm trật tự an toàn giao thông",
    "công tác giảm nghèo bền vững",
    "xây dựng đội ngũ cán bộ chủ chốt",
    "thực hành tiết kiệm, chống lãng phí",
    "phát triển du lịch",
    "công tác kiểm tra, giám sát của Đảng",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "phổ biến, giáo dục pháp luật",
    "phát triển hạ tầng giao thông",
    "công tác thanh niên",
    "bình đẳng giới và vì sự tiến bộ của phụ nữ",
    "chăm sóc sức khỏe nhân dân",
    "công tác dân tộc, tôn giáo",
    "xây dựng chính quyền điện tử",
    "phòng cháy, chữa cháy",
    "phát triển nông nghiệp công nghệ cao",
    "thu hút đầu tư",
    "công tác tuyên giáo",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "xây dựng Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội",
    "công tác bảo vệ chính trị nội bộ",
]
OPENINGS = [
    "Về {topic}",
    "Về tăng cường {topic}",
    "Về tiếp tục đẩy mạnh {topic}",
    "Ban hành Quy chế {topic}",
    "Về nâng cao hiệu quả {topic} trong tình hình mới",
    "Tổ chức thực hiện {topic} năm {year}",
    "Về việc triển khai {topic} giai đoạn {year}-{end}",
    "Sơ kết, tổng kết {topic}",
]
CENTRAL_PARTY = {
    "bch-tw": ["NQ"],
    "bo-chinh-tri": ["NQ", "KL", "QĐ", "CT", "QĐi"],
    "ban-bi-thu": ["KL", "CT", "QĐ", "HD", "TB"],
}
LOCAL_PARTY_TYPES = ["NQ", "KH", "CT", "KL", "QĐ", "HD", "TB", "CV", "BC", "CTr"]
LOCAL_STATE_TYPES = ["QĐ", "KH", "CT", "CV", "TB", "BC"]
# Our corpus holds a sample of each series: numbers advance by up to this much (busy series skip more).
NUMBER_GAPS = {"QĐ": 60, "CV": 120, "TB": 30, "KH": 20, "BC": 20}


@dataclass(frozen=True)
class Issuer:
    key: str
    level: Level
    types: Sequence[str]
    suffix: str  # "TW", "TU", "HU", "UBND", "CP", "TTg"
    place: str | None


def issuers(organizations: Sequence[Organization]) -> list[tuple[Issuer, int]]:
    """Issuing bodies of the seed organizations, each with a weight (how many documents it issues)."""
    names = {o.key: o.short_name or o.name for o in organizations}
    out: list[tuple[Issuer, int]] = [
        (Issuer(key, Level.central, types, "TW", None), 60) for key, types in CENTRAL_PARTY.items()
    ]
    out += [(Issuer("thu-tuong", Level.central, ["QĐ", "CT"], "TTg", None), 80)]
    out += [(Issuer("chinh-phu", Level.central, ["NĐ", "NQ"], "CP", None), 80)]
    for o in organizations:
        if o.valid_from is not None:  # units created by the 2025 reorganization
            continue
        place = names.get(o.jurisdiction or "")
        if o.kind == "party_standing_committee" and o.level == Level.province:
            out.append((Issuer(o.key, o.level, LOCAL_PARTY_TYPES, "TU", place), 12))
        elif o.kind == "peoples_committee" and o.level == Level.province:
            out.append((Issuer(o.key, o.level, LOCAL_STATE_TYPES, "UBND", place), 10))
        elif o.kind == "party_committee" and o.level == Level.district:
            out.append((Issuer(o.key, o.level, LOCAL_PARTY_TYPES, "HU", place), 6))
        elif o.kind == "peoples_committee" and o.level == Level.district:
            out.append((Issuer(o.key, o.level, LOCAL_STATE_TYPES, "UBND", place), 6))
    known = {o.key for o in organizations}
    return [(i, w) for i, w in out if i.key in known]


def corpus(size: int, organizations: Sequence[Organization]) -> list[DocumentDraft]:
    """``size`` deterministic drafts; each (issuer, type, year) series numbers up from 1."""
    rng = random.Random(SEED)
    pool = issuers(organizations)
    bodies, weights = [i for i, _ in pool], [w for _, w in pool]
    series: Counter[tuple[str, str, int]] = Counter()
    drafts: list[DocumentDraft] = []
    central: list[DocumentDraft] = []
    for _ in range(size):
        issuer = rng.choices(bodies, weights)[0]
        code = rng.choice(issuer.types)
        year = rng.randint(2000, 2025)
        series[(issuer.key, code, year)] += rng.randint(1, NUMBER_GAPS.get(code, 3))
        number = series[(issuer.key, code, year)]
        symbol = _symbol(number, code, issuer.suffix, year)
        date = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        draft = DocumentDraft(
            symbol=symbol,
            type=TYPE_CODE_NAMES[code],
            date=date,
            issuer=issuer.key,
            title=_title(rng, issuer, year, central),
            term=_term(year) if issuer.suffix in {"TW", "TU", "HU"} else None,
        )
        drafts.append(draft)
        if issuer.level == Level.central:
            central.append(draft)
    return drafts


def _symbol(number: int, code: str, suffix: str, year: int) -> str:
    if suffix in {"TW", "TU", "HU"}:
        return f"{number:02d}-{code}/{suffix}"
    if code == "NĐ":
        return f"{number}/{year}/NĐ-{suffix}"
    return f"{number}/{code}-{suffix}"


def _title(rng: random.Random, issuer: Issuer, year: int, central: list[DocumentDraft]) -> str:
    """A title on one topic; a third of local ones carry out an earlier central document."""
    topic = rng.choice(TOPICS)
    if central and issuer.level != Level.central and rng.random() < 0.3:
        cited = rng.choice(central[-2000:])
        text = f"Thực hiện {cited.type} số {cited.symbol} về {topic}"
    else:
        text = rng.choice(OPENINGS).format(topic=topic, year=year, end=year + 5)
    if issuer.place and rng.random() < 0.5:
        text += f" trên địa bàn {issuer.place}"
    return text


def _term(year: int) -> str:
    terms = [(2001, "IX"), (2006, "X"), (2011, "XI"), (2016, "XII"), (2021, "XIII")]
    return [t for start, t in terms if start <= year][-1] if year >= 2001 else "VIII"


@dataclass(frozen=True)
class Query:
    text: str
    level: Level | None = None
    type: str | None = None


def queries(drafts: Sequence[DocumentDraft], count: int) -> list[Query]:
    """``count`` varied queries, a tenth filtered: symbols in many spellings, title words, typos, prefixes."""
    rng = random.Random(SEED + 1)
    out: list[Query] = []
    while len(out) < count:
        doc = rng.choice(drafts)
        parts = parse_symbol(doc.symbol)
        words = (doc.title or "").split()
        start = rng.randrange(max(1, len(words) - 3))
        phrase = " ".join(words[start : start + rng.randint(1, 3)])
        number = parts.number.lstrip("0") if parts else "1"
        code = (parts.type_code or "NQ") if parts else "NQ"
        kind = rng.randrange(10)
        if kind == 0:
            q = doc.symbol
        elif kind == 1:
            q = f"{fold(code)}{number}"
        elif kind == 2:
            q = f"{(doc.type or '').lower()} {number} {doc.date.year if doc.date else ''}".strip()
        elif kind == 3:
            q = fold(phrase)
        elif kind == 4:
            q = unicodedata.normalize("NFD", phrase)
        elif kind == 5:
            q = _typo(rng, fold(phrase))
        elif kind == 6:
            q = phrase[: max(2, len(phrase) - rng.randint(1, 3))]
        elif kind == 7:
            q = f"{rng.choice(TOPICS)} khóa {doc.term or 'XII'}"
        elif kind == 8:
            q = f"{fold(doc.type or '')} {fold(phrase)}"
        else:
            q = rng.choice(TOPICS)
        if rng.random() < 0.1:
            out.append(Query(q, level=Level.province) if rng.random() < 0.5 else Query(q, type=doc.type))
        else:
            out.append(Query(q))
    return out


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    if text[i] == " ":
        return text
    return text[:i] + rng.choice("aeiounhtcg") + text[i + 1 :]


async def load(store: GraphStore, organizations: Sequence[Organization], drafts: Sequence[DocumentDraft]) -> None:
    await store.upsert_organizations(organizations)
    started = time.perf_counter()
    for i in range(0, len(drafts), BATCH):
        await store.upsert_documents(drafts[i : i + BATCH])
        print(f"  loaded {min(i + BATCH, len(drafts))}/{len(drafts)} ({time.perf_counter() - started:.0f} s)", end="\r")
    print()


async def holds_corpus(store: GraphStore, mark: Path, size: int) -> bool:
    """Whether the store holds the corpus of ``size`` drafts that ``mark`` records it was loaded with.

    Drafts sharing an identity merge, so the store holds fewer documents than drafts: the mark keeps
    the corpus size, its seed and the documents the store held once it was loaded.
    """
    return mark.is_file() and mark.read_text().split() == [str(size), str(SEED), str((await store.counts()).documents)]


async def mark_corpus(store: GraphStore, mark: Path, size: int) -> None:
    mark.write_text(f"{size} {SEED} {(await store.counts()).documents}\n")


@dataclass(frozen=True)
class Timings:
    """Milliseconds per query: elapsed, and CPU spent by this process (all its threads).

    On a shared machine the elapsed time includes waiting for a core; the CPU time does not (for
    Neo4j it leaves out the server's work).
    """

    wall: list[float]
    cpu: list[float]


async def measure(store: GraphStore, workload: Sequence[Query], limit: int) -> Timings:
    """Time each query, after a warm-up over the first queries."""
    for query in workload[:WARMUP_QUERIES]:
        await store.search(query.text, limit=limit, level=query.level, type=query.type)
    timings = Timings([], [])
    for query in workload:
        started, cpu_started = time.perf_counter(), time.process_time()
        await store.search(query.text, limit=limit, level=query.level, type=query.type)
        timings.wall.append((time.perf_counter() - started) * 1000)
        timings.cpu.append((time.process_time() - cpu_started) * 1000)
    return timings


def report(name: str, docs: int, timings: Timings) -> None:
    for kind, values in (("elapsed", timings.wall), ("cpu", timings.cpu)):
        ordered = sorted(values)

        def at(share: float, ordered: list[float] = ordered) -> float:
            return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

        print(
            f"{name}: {docs} documents, {len(values)} queries, {kind}: p50 {at(0.50):.2f} ms, p95 {at(0.95):.2f} ms, "
            f"p99 {at(0.99):.2f} ms, max {ordered[-1]:.2f} ms, mean {statistics.fmean(values):.2f} ms"
        )


async def run_sqlite(args: argparse.Namespace, organizations: Sequence[Organization]) -> None:
    drafts = corpus(args.docs, organizations)
    store = SqliteStore(args.db)
    await store.open()
    try:
        await store.migrate()
        mark = args.db.with_name(f"{args.db.name}.corpus")
        if not await holds_corpus(store, mark, args.docs):
            print(f"building {args.db} with {args.docs} documents")
            await store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{args.db}{suffix}").unlink(missing_ok=True)
            await store.open()
            await store.migrate()
            await load(store, organizations, drafts)
            await mark_corpus(store, mark, args.docs)
        report("sqlite", args.docs, await measure(store, queries(drafts, args.queries), args.limit))
    finally:
        await store.close()


async def run_neo4j(args: argparse.Namespace, uri: str, organizations: Sequence[Organization]) -> None:
    drafts = corpus(args.neo4j_docs, organizations)
    # Loading batches of thousands of documents can outlast the API's per-transaction timeout.
    store = Neo4jStore(
        uri,
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", "password"),
        query_timeout=LOAD_TIMEOUT,
    )
    await store.open()
    try:
        await store.migrate()
        mark = args.db.with_name(f"neo4j-{urlsplit(uri).port}.corpus")
        if not await holds_corpus(store, mark, args.neo4j_docs):
            print(f"loading {args.neo4j_docs} documents into {uri} (wiping it)")
            await store.db.write("MATCH (n) WHERE NOT n:Migration DETACH DELETE n")
            await load(store, organizations, drafts)
            await mark_corpus(store, mark, args.neo4j_docs)
        report("neo4j", args.neo4j_docs, await measure(store, queries(drafts, args.queries), args.limit))
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--limit", type=int, default=10, choices=range(1, MAX_LIMIT + 1), metavar=f"1..{MAX_LIMIT}")
    parser.add_argument("--db", type=Path, default=Path("data/bench/search-100k.db"))
    parser.add_argument("--neo4j-docs", type=int, default=20_000)
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    organizations = read_seeds(DEFAULT_SEEDS_DIR).organizations
    asyncio.run(run_sqlite(args, organizations))
    if uri := os.environ.get("NEO4J_URI"):
        asyncio.run(run_neo4j(args, uri, organizations))


if __name__ == "__main__":
    main()

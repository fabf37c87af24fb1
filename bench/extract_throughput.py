"""Throughput of citation extraction on synthetic Vietnamese documents, on one core.

    python bench/extract_throughput.py [--megabytes 10] [--seed 7] [--profile]

Generates realistic texts from varied templates (plans with headers and an implementation section,
decisions with a "Căn cứ" preamble, news leads announcing a plan, meeting reports), deterministic for
a seed, runs :func:`graph.extract.extract` on each and prints MB/s and references/s.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from collections.abc import Callable

from graph.extract import extract

_PROVINCES = ("Nghệ An", "Quảng Ninh", "Lâm Đồng", "Cà Mau", "Bắc Giang", "Hà Tĩnh", "Đắk Lắk", "Vĩnh Long")
_CENTRAL_ISSUERS = ("Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương Đảng", "Ban Bí thư Trung ương Đảng")
_STATE_ISSUERS = ("Chính phủ", "Thủ tướng Chính phủ", "Bộ Nội vụ", "Bộ Tài chính", "Ngân hàng Nhà nước Việt Nam")
_LOCAL_ISSUERS = ("Ban Thường vụ Tỉnh ủy", "Tỉnh ủy", "Ủy ban nhân dân tỉnh", "Hội đồng nhân dân tỉnh")
_TERMS = ("X", "XI", "XII", "XIII")
_SUBJECTS = (
    "tăng cường công tác dân vận trong tình hình mới",
    "nâng cao chất lượng đội ngũ cán bộ cấp cơ sở",
    "đẩy mạnh chuyển đổi số trong cơ quan nhà nước",
    "phát triển kinh tế tập thể, hợp tác xã",
    "xây dựng nông thôn mới gắn với đô thị văn minh",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "cải cách hành chính giai đoạn 2021 - 2030",
    "phòng, chống tham nhũng, tiêu cực",
)
_PARTY_TYPES = (("Nghị quyết", "NQ"), ("Kết luận", "KL"), ("Chỉ thị", "CT"), ("Quy định", "QĐi"), ("Quyết định", "QĐ"))
_LOCAL_TYPES = (("Kế hoạch", "KH"), ("Công văn", "CV"), ("Nghị quyết", "NQ"), ("Chương trình", "CTr"))
_STATE_TYPES = (
    ("Nghị định", "NĐ", "CP"),
    ("Thông tư", "TT", "BNV"),
    ("Quyết định", "QĐ", "TTg"),
    ("Chỉ thị", "CT", "TTg"),
)
_VERBS = ("Thực hiện", "Triển khai thực hiện", "Tiếp tục thực hiện", "Quán triệt, triển khai", "Tổ chức thực hiện")
_FILLER = (
    "Các cấp ủy, chính quyền cần nâng cao nhận thức, phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể.",
    "Tăng cường kiểm tra, giám sát, kịp thời biểu dương những điển hình tiên tiến ở cơ sở.",
    "Rà soát, bổ sung các cơ chế, chính sách phù hợp với điều kiện thực tế của địa phương.",
    "Nâng cao hiệu quả phối hợp giữa các cơ quan, đơn vị trong tổ chức thực hiện nhiệm vụ.",
    "Chú trọng công tác đào tạo, bồi dưỡng, nâng cao trình độ chuyên môn, nghiệp vụ cho đội ngũ cán bộ.",
    "Đổi mới nội dung, phương thức tuyên truyền, bảo đảm thiết thực, phù hợp với từng đối tượng.",
    "Phát huy vai trò nêu gương của người đứng đầu, cán bộ chủ chốt các cấp trong thực thi công vụ.",
    "Định kỳ sơ kết, tổng kết, rút kinh nghiệm và kịp thời tháo gỡ khó khăn, vướng mắc phát sinh.",
    "Bố trí nguồn lực hợp lý, ưu tiên cho vùng đồng bào dân tộc thiểu số, vùng sâu, vùng xa.",
    "Lắng nghe ý kiến của nhân dân, giải quyết dứt điểm các kiến nghị chính đáng ngay từ cơ sở.",
)


class _Writer:
    """Random but plausible pieces of documents."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def date(self, year: int | None = None) -> str:
        day, month, year = self.rng.randint(1, 28), self.rng.randint(1, 12), year or self.rng.randint(2005, 2024)
        style = self.rng.randrange(3)
        if style == 0:
            return f"ngày {day}-{month}-{year}"
        if style == 1:
            return f"ngày {day:02d}/{month:02d}/{year}"
        return f"ngày {day} tháng {month} năm {year}"

    def central(self) -> str:
        word, code = self.rng.choice(_PARTY_TYPES)
        issuer, term = self.rng.choice(_CENTRAL_ISSUERS), self.rng.choice(_TERMS)
        subject = self.rng.choice(_SUBJECTS)
        return f"{word} số {self.rng.randint(1, 300)}-{code}/TW, {self.date()} của {issuer} (khóa {term}) về {subject}"

    def local(self) -> str:
        word, code = self.rng.choice(_LOCAL_TYPES)
        return f"{word} số {self.rng.randint(1, 2000)}-{code}/TU {self.date()} của {self.rng.choice(_LOCAL_ISSUERS)}"

    def state(self) -> str:
        word, code, issuer = self.rng.choice(_STATE_TYPES)
        year = self.rng.randint(2010, 2024)
        by = self.rng.choice(_STATE_ISSUERS)
        return f"{word} số {self.rng.randint(1, 200)}/{year}/{code}-{issuer} {self.date(year)} của {by}"

    def reference(self) -> str:
        return self.rng.choice((self.central, self.local, self.state))()

    def paragraph(self) -> str:
        sentences = [f"- {self.rng.choice(_VERBS)} có hiệu quả {self.reference()}."]
        sentences += self.rng.sample(_FILLER, self.rng.randint(3, 6))
        if self.rng.random() < 0.5:
            sentences.append(f"Đồng thời thực hiện tốt {self.reference()} và {self.reference()}.")
        return " ".join(sentences)

    def plan(self) -> str:
        province = self.rng.choice(_PROVINCES)
        number, target = self.rng.randint(1, 400), self.central()
        body = "\n".join(self.paragraph() for _ in range(self.rng.randint(6, 14)))
        return (
            f"ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY {province.upper()}\nSố {number}-KH/TU\n{province}, {self.date()}\n"
            f"KẾ HOẠCH\nthực hiện {target}\n\nI. MỤC ĐÍCH, YÊU CẦU\n{body}\n"
            f"III. TỔ CHỨC THỰC HIỆN\n1. Các huyện, thị, thành ủy, đảng ủy trực thuộc; các sở, ngành xây dựng kế hoạch "
            f"thực hiện {target.split(',')[0]} và Kế hoạch này.\n2. Ban Tuyên giáo Tỉnh ủy tuyên truyền Kế hoạch này.\n"
        )

    def decision(self) -> str:
        basis = "\n".join(f"Căn cứ {self.state()};" for _ in range(self.rng.randint(3, 7)))
        body = "\n".join(self.paragraph() for _ in range(self.rng.randint(4, 10)))
        return (
            f"ỦY BAN NHÂN DÂN\nTỈNH {self.rng.choice(_PROVINCES).upper()}\nSố: {self.rng.randint(1, 3000)}/QĐ-UBND\n"
            f"QUYẾT ĐỊNH\nVề việc ban hành Quy chế {self.rng.choice(_SUBJECTS)}\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n"
            f"Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;\n{basis}\nQUYẾT ĐỊNH:\n"
            f"Điều 1. Ban hành kèm theo Quyết định này Quy chế.\n{body}\n"
            f"Điều 2. Quyết định này thay thế {self.state()}.\n"
        )

    def news(self) -> str:
        lead = (
            f"(Tin tỉnh) - {self.rng.choice(_VERBS)} {self.central()}, Ban Thường vụ Tỉnh ủy vừa ban hành Kế hoạch "
            f"(số {self.rng.randint(1, 400)}-KH/TU, {self.date()}) như sau:"
        )
        body = "\n".join(self.paragraph() for _ in range(self.rng.randint(5, 12)))
        return f"{lead}\n\n{body}\n"

    def meeting(self) -> str:
        lead = f"Sáng nay, Tỉnh ủy tổ chức hội nghị sơ kết 5 năm thực hiện {self.central()}."
        body = "\n".join(self.paragraph() for _ in range(self.rng.randint(3, 8)))
        return f"{lead}\n{body}\nHội nghị thống nhất tiếp tục thực hiện nghị quyết.\n"


def generate(megabytes: float, seed: int) -> list[str]:
    """Documents totalling at least ``megabytes`` MB of UTF-8, the same for the same seed."""
    writer = _Writer(random.Random(seed))
    kinds: tuple[Callable[[], str], ...] = (writer.plan, writer.decision, writer.news, writer.meeting)
    texts: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        text = writer.rng.choice(kinds)()
        texts.append(text)
        size += len(text.encode("utf-8"))
    return texts


def run(texts: list[str]) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds spent extracting all texts, and the number of references found.

    CPU time is what one core spent on this process: on a shared machine it is the fairer figure.
    """
    references = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for text in texts:
        references += len(extract(text).references)
    return time.perf_counter() - started, time.process_time() - cpu_started, references


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="print the top functions by cumulative time")
    args = parser.parse_args()
    texts = generate(args.megabytes, args.seed)
    size = sum(len(t.encode("utf-8")) for t in texts) / 1_000_000
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
    seconds, cpu_seconds, references = run(texts)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    print(f"{len(texts)} documents, {size:.1f} MB, {references} references in {seconds:.2f} s")
    print(f"{size / seconds:.2f} MB/s, {references / seconds:,.0f} references/s (wall clock)")
    print(f"{size / cpu_seconds:.2f} MB/s of CPU time on one core ({cpu_seconds:.2f} s)")


if __name__ == "__main__":
    main()

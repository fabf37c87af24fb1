"""Incoming relations: "A đã được sửa đổi, bổ sung bởi B", "bị bãi bỏ bởi B", "Được thay thế bởi: B".

The document after "bởi/theo/tại" is the link's source; its target is the document named before the wording
in the same sentence, or the text's own document ("Quyết định này được sửa đổi bởi ...", a validity line).
"""

from __future__ import annotations

import re

from graph.extract.classify import CUE_CONFIDENCE, LISTED_CONFIDENCE
from graph.extract.models import ExtractedLink, Reference
from graph.extract.patterns import ANY_TYPE_WORD, THIS_DOCUMENT, starts_word
from graph.extract.resolve import OWN, Target
from graph.extract.tokenize import Mention
from graph.models import Relation
from graph.text import squash_spaces

# Passive wording before a document: that document is the source ("được sửa đổi, bổ sung bởi Nghị định số ...").
# Case-sensitive, led by the auxiliary: scanning a whole text with IGNORECASE costs several times more.
PASSIVE_CUE = re.compile(
    r"(?:[Đđ]ược|[Bb]ị)\s+(?:(?P<amends>sửa đổi,?\s+bổ sung|sửa đổi|bổ sung|đính chính)"
    r"|(?P<replaces>thay thế)|(?P<repeals>bãi bỏ|hủy bỏ|huỷ bỏ|hết hiệu lực)"
    r"|(?P<guides>hướng dẫn(?:\s+thi hành)?|quy định chi tiết))"
    r"(?:\s+(?:một phần|một số điều|toàn bộ))?\s+(?:bởi|theo|tại)\s*:?\s*(?:các\s+)?\Z"
)
PASSIVE_WINDOW = 90
_SENTENCE_BREAK = re.compile(r"[.!?;](?=\s)|\n")
_PASSIVE_WORDS = ("bởi", "theo", "tại")
_TAIL = 14  # "bởi: các " and its spaces


def passive_links(
    text: str,
    mentions: tuple[Mention, ...],
    targets: tuple[Target, ...],
    references: tuple[Reference, ...],
    own_symbol: str | None,
) -> tuple[ExtractedLink, ...]:
    """One link per document named after passive relation wording, pointing at the document it is about."""
    links: list[ExtractedLink] = []
    for i, mention in enumerate(mentions):
        target = targets[i]
        if target is None or target == OWN or not _after_passive_word(text, mention.phrase_start):
            continue
        cue = PASSIVE_CUE.search(text, max(0, mention.phrase_start - PASSIVE_WINDOW), mention.phrase_start)
        if cue is None or not starts_word(text, cue.start()):
            continue
        subject, confident = _subject(text, mentions, targets, references, own_symbol, i, cue.start())
        source = references[target].symbol
        if subject is None or subject == source:
            continue
        relation = Relation(cue.lastgroup or "cites")
        evidence = squash_spaces(text[cue.start() : mention.end])
        confidence = CUE_CONFIDENCE if confident else LISTED_CONFIDENCE
        links.append(ExtractedLink(source, relation, subject, evidence, confidence, (cue.start(), mention.end)))
    return tuple(links)


def _after_passive_word(text: str, position: int) -> bool:
    """Whether "bởi", "theo" or "tại" ends just before ``position`` (a cheap test before the pattern)."""
    low = max(0, position - _TAIL)
    return any(text.rfind(word, low, position) >= 0 for word in _PASSIVE_WORDS)


def without_reversed(links: tuple[ExtractedLink, ...], passive: tuple[ExtractedLink, ...]) -> tuple[ExtractedLink, ...]:
    """``links`` less those the passive wording shows to run the other way, then the passive links."""
    reversed_pairs = {(link.target, link.source) for link in passive}
    ends = {link.span[1] for link in passive}
    kept = tuple(
        link
        for link in links
        if (link.source, link.target) not in reversed_pairs
        and not (link.relation == Relation.cites and link.span[1] in ends)
    )
    known = {(link.source, link.target) for link in kept}
    return kept + tuple(link for link in passive if (link.source, link.target) not in known)


def _subject(
    text: str,
    mentions: tuple[Mention, ...],
    targets: tuple[Target, ...],
    references: tuple[Reference, ...],
    own_symbol: str | None,
    i: int,
    cue_start: int,
) -> tuple[str | None, bool]:
    """The document the wording is about, and whether the sentence names it (rather than defaulting to own)."""
    breaks = list(_SENTENCE_BREAK.finditer(text, 0, cue_start))
    sentence_start = breaks[-1].end() if breaks else 0
    for j in range(i - 1, -1, -1):
        mention = mentions[j]
        if mention.end <= sentence_start:
            break
        if mention.start >= cue_start or targets[j] is None:
            continue
        target = targets[j]
        if target == OWN:
            return own_symbol, True
        assert target is not None
        return references[target].symbol, True
    # A document named by title only ("Hiến pháp ... đã được sửa đổi ... theo Nghị quyết ...") is not the own one.
    if (word := ANY_TYPE_WORD.search(text, sentence_start, cue_start)) and not THIS_DOCUMENT.match(text, word.end()):
        return None, False
    return own_symbol, False

"""Domain models: organizations, documents, links and the answers to lineage questions."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

from graph.text import fold, invisible_character, nfc, slugify, squash_spaces

MAX_DEPTH = 25
# The longest text taken for extraction, in characters (the ingest body limit is 2 MB).
MAX_TEXT_CHARS = 2_000_000
DEFAULT_DEPTH = 10


class Relation(StrEnum):
    """The closed set of link types; the only values ever spliced into a query as a relationship type."""

    implements = "implements"
    continues = "continues"
    cites = "cites"
    based_on = "based_on"
    guides = "guides"
    amends = "amends"
    replaces = "replaces"
    repeals = "repeals"

    @property
    def rel_type(self) -> str:
        """The Neo4j relationship type: ``IMPLEMENTS``."""
        return self.value.upper()


# Relations along which a document is carried out by later ones: the implementers of a document.
IMPLEMENTATION_RELATIONS: tuple[Relation, ...] = (Relation.implements, Relation.continues)
# Relations a lineage follows unless told otherwise: descent and foundation, not mere citation.
LINEAGE_RELATIONS: tuple[Relation, ...] = (Relation.implements, Relation.continues, Relation.based_on, Relation.guides)


class Level(StrEnum):
    central = "central"
    ministry = "ministry"
    province = "province"
    district = "district"
    commune = "commune"
    unit = "unit"

    @property
    def is_local(self) -> bool:
        """Local series restart in every jurisdiction, so their identity needs it."""
        return self in (Level.province, Level.district, Level.commune, Level.unit)


class Branch(StrEnum):
    party = "party"
    state = "state"


class Origin(StrEnum):
    curated = "curated"
    extracted = "extracted"


class EffectStatus(StrEnum):
    """Whether a document is in force, derived from its links and dates (see :mod:`graph.effects`)."""

    in_force = "in_force"
    amended = "amended"
    partly_repealed = "partly_repealed"
    replaced = "replaced"
    repealed = "repealed"
    expired = "expired"
    not_yet_in_force = "not_yet_in_force"
    unknown = "unknown"


class StatusSource(StrEnum):
    """Where a document's status came from: derived from links and dates, or set by hand (which wins)."""

    derived = "derived"
    curated = "curated"


class Review(StrEnum):
    """A link's (or an obligation's) review state: written by extraction, decided by a person or a curated
    source, or refused."""

    proposed = "proposed"
    accepted = "accepted"
    rejected = "rejected"


class ReviewScope(StrEnum):
    """Which links a read counts: accepted and proposed (the default), or accepted only. Rejected never count."""

    not_rejected = "not_rejected"
    accepted = "accepted"

    def counts(self, review: Review) -> bool:
        """Whether a link in state ``review`` is seen."""
        return review == Review.accepted or (self == ReviewScope.not_rejected and review == Review.proposed)


class LinkDirection(StrEnum):
    out = "out"
    in_ = "in"
    both = "both"


class LineageDirection(StrEnum):
    down = "down"
    up = "up"


KEY_PATTERN = r"^[a-z0-9][a-z0-9.\-]*$"
_KEY = re.compile(KEY_PATTERN)


def jurisdiction_key(value: str) -> str:
    """An administrative unit key from a key or a name: "Thanh Hóa" → "thanh-hoa"."""
    value = value.strip()
    return value if _KEY.match(value) else slugify(value)


def _one_line(value: str) -> str:
    value = nfc(value)
    if reason := invisible_character(value):
        raise ValueError(reason)
    return value


def _multiline(value: str) -> str:
    value = nfc(value)
    if reason := invisible_character(value, multiline=True):
        raise ValueError(reason)
    return value


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_day(value: object) -> object:
    """Only a calendar day in ISO form: never a number (0 is not 1970-01-01) nor a timestamp."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        raise ValueError("expected a day as YYYY-MM-DD")
    if isinstance(value, str) and not _ISO_DAY.match(value):
        raise ValueError("expected a day as YYYY-MM-DD")
    return value


# A day given by a caller: YYYY-MM-DD, checked before pydantic's lenient date parsing.
Day = Annotated[dt.date, BeforeValidator(_iso_day)]

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _iso_moment(value: object) -> object:
    if isinstance(value, str) and not _ISO_MOMENT.match(value):
        raise ValueError("expected an ISO 8601 time, as 2026-01-01T00:00:00Z")
    if not isinstance(value, str | dt.datetime):
        raise ValueError("expected an ISO 8601 time, as 2026-01-01T00:00:00Z")
    return value


# A moment given by a caller: ISO 8601 only, never a number of seconds.
Moment = Annotated[dt.datetime, BeforeValidator(_iso_moment)]

# Text as it is stored: NFC, with no control, format or bidirectional characters (one-line fields: no breaks).
NfcStr = Annotated[str, AfterValidator(_one_line)]
NfcText = Annotated[str, AfterValidator(_multiline)]
Key = Annotated[str, Field(min_length=1, max_length=200, pattern=KEY_PATTERN)]


class OrganizationName(BaseModel):
    """A name an organization bore over a period (a renaming is a sourced fact)."""

    model_config = ConfigDict(frozen=True)

    name: NfcStr
    valid_from: Day | None = None
    valid_to: Day | None = None
    source: NfcStr | None = None


class Organization(BaseModel):
    """An issuing body or an administrative unit, valid over a period."""

    model_config = ConfigDict(frozen=True)

    key: Key
    name: NfcStr
    short_name: NfcStr | None = None
    kind: str
    level: Level
    branch: Branch | None = None
    parent: str | None = None
    jurisdiction: str | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None
    predecessors: list[str] = Field(default_factory=list)
    aliases: list[NfcStr] = Field(default_factory=list)
    names: list[OrganizationName] = Field(
        default_factory=list, description="earlier names with the days they were used; `name` is the current one"
    )

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def name_on(self, day: dt.date | None) -> str:
        """The name the unit bore on ``day`` (the current name when no earlier name covers it)."""
        if day is not None:
            for earlier in self.names:
                if (earlier.valid_from is None or earlier.valid_from <= day) and (
                    earlier.valid_to is None or day <= earlier.valid_to
                ):
                    return earlier.name
        return self.name


def organization_names(org: Organization) -> str:
    """The name, short name and aliases of an organization folded, one a line: what a text filter searches."""
    return "\n".join(fold(squash_spaces(text)) for text in (org.name, org.short_name, *org.aliases) if text)


def organization_matches(org: Organization, query: str) -> bool:
    """Whether ``query`` occurs in the name, short name or an alias, ignoring case and accents."""
    return fold(squash_spaces(query)) in organization_names(org)


@dataclass(frozen=True)
class Effect:
    """A change made to a document by a later one: what it did, the day it took effect, the link and the changer.

    A plain dataclass: statuses are computed from effects on every read, so building one must cost little."""

    kind: EffectStatus
    day: dt.date | None
    link: str
    source: str


class Document(BaseModel):
    """A document node. ``stub`` marks one known only from a citation."""

    key: str
    symbol: str = Field(default="", description="empty for a document known by its title (a law, the Constitution)")
    aliases: list[str] = Field(default_factory=list)
    type: str | None = None
    number: str | None = None
    date: dt.date | None = None
    year: int | None = None
    issuer: str | None = None
    level: Level | None = None
    jurisdiction: str | None = None
    term: str | None = None
    title: str | None = None
    status: EffectStatus = EffectStatus.unknown
    status_source: StatusSource = StatusSource.derived
    status_links: list[str] = Field(default_factory=list, description="ids of the links that made the status")
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    stub: bool = False
    effects: list[Effect] = Field(
        default_factory=list, exclude=True, description="stored changes its status is computed from (graph.effects)"
    )


class Provenance(BaseModel):
    """Where a link was stated: one entry per text (or curated source) that states it."""

    origin: Origin = Origin.curated
    text_id: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    evidence: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    created_at: dt.datetime | None = None


class Link(BaseModel):
    """A typed, directed link "source relation target" with its review state and provenance.

    ``id`` is given once, when the link is first written, and never derived from its ends, so a correction or
    a document's new key does not orphan it. The flat provenance fields (``origin`` … ``confidence``) are the
    first entry of ``provenance``.
    """

    id: str = ""
    source: str
    relation: Relation
    target: str
    review: Review = Review.accepted
    provenance: list[Provenance] = Field(default_factory=list)
    corrected_to: str | None = Field(default=None, description="the accepted link that replaced this rejected one")
    partial: bool = Field(default=False, description="a repeal or amendment of part of the target only")
    flagged: bool = Field(default=False, description="kept with force although its source predates its target")
    origin: Origin = Origin.curated
    evidence: str | None = None
    source_text_id: str | None = None
    span_start: int | None = None
    span_end: int | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    created_at: dt.datetime | None = None
    source_symbol: str | None = None
    target_symbol: str | None = None


class SourceText(BaseModel):
    """A text submitted for extraction, identified by the SHA-256 of its NFC form."""

    id: str
    text: str
    jurisdiction: str | None = None
    document_key: str | None = None
    created_at: dt.datetime | None = None


class View(BaseModel):
    """What part of the graph a read sees: links by review state, and the graph as it stood on a day.

    With ``as_of``, documents issued after that day are absent, links whose source was issued after it are
    absent, and statuses and organization names are those of that day.
    """

    model_config = ConfigDict(frozen=True)

    review: ReviewScope = ReviewScope.not_rejected
    as_of: dt.date | None = None

    def shows(self, document: Document) -> bool:
        """Whether ``document`` existed on ``as_of`` (by its date, else its year; undated ones always)."""
        return issued_by(document.date, document.year, self.as_of)


def issued_by(date: dt.date | None, year: int | None, day: dt.date | None) -> bool:
    """Whether a document dated ``date`` (else of ``year``) had been issued on ``day``; undated ones have."""
    if day is None:
        return True
    if date is not None:
        return date <= day
    return year is None or year <= day.year


class DocumentFilter(BaseModel):
    symbol: str | None = None
    year: int | None = None
    jurisdiction: str | None = None
    type: str | None = None
    level: Level | None = None
    as_of: dt.date | None = Field(default=None, description="only documents issued by that day, statuses of that day")
    status: EffectStatus | None = None
    in_force: bool | None = Field(default=None, description="in_force, amended or partly_repealed (or not)")


class LineageNode(Document):
    depth: int


class Lineage(BaseModel):
    """One page of a lineage (depth, then key order), the links touching it, and counts over the whole lineage.

    ``level_counts`` is keyed by level, with ``unknown`` for documents without one.
    """

    root: str
    nodes: list[LineageNode]
    edges: list[Link]
    total: int
    depth_counts: dict[int, int]
    level_counts: dict[str, int]


class LineageOutline(BaseModel):
    """A whole lineage without its documents' records, as parallel lists: position ``i`` of ``keys``, ``depths``,
    ``parents``, ``levels``, ``jurisdictions`` and ``years`` is one document (the root first, then by depth, then
    key, the order of the lineage's pages), and each link is ``[source, relation, target]`` with its ends as
    positions, sorted as the lineage's edges. ``parents[i]`` is the position of the document's parent on its
    chain (the smallest key one level nearer the root it links with), -1 for the root."""

    root: str
    total: int
    depth_counts: dict[int, int]
    level_counts: dict[str, int]
    keys: list[str]
    depths: list[int]
    parents: list[int]
    levels: list[Level | None]
    jurisdictions: list[str | None]
    years: list[int | None]
    links: list[tuple[int, Relation, int]]


class Implementer(Document):
    via: list[str]


class Implementers(BaseModel):
    """One page of implementers (nearest first, then newest, then key) and counts over all of them."""

    items: list[Implementer]
    total: int
    depth_counts: dict[int, int]
    level_counts: dict[str, int]


class LinkDraft(BaseModel):
    """A link to store; ends are document keys."""

    source: str = Field(min_length=1, max_length=200)
    relation: Relation
    target: str = Field(min_length=1, max_length=200)
    origin: Origin = Origin.curated
    evidence: NfcText | None = Field(default=None, max_length=4000)
    source_text_id: NfcStr | None = Field(default=None, max_length=200)
    span_start: StrictInt | None = Field(default=None, ge=0, le=MAX_TEXT_CHARS)
    span_end: StrictInt | None = Field(default=None, ge=0, le=MAX_TEXT_CHARS)
    confidence: StrictFloat = Field(default=1.0, ge=0.0, le=1.0)
    review: Review | None = Field(default=None, description="proposed for extracted links, else accepted")
    partial: StrictBool = False
    force: StrictBool = Field(default=False, description="keep a link whose source predates its target (flagged)")


class GraphCounts(BaseModel):
    documents: int
    links: int
    organizations: int

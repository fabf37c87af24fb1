"""Document identity: symbol + issuing scope + year, because numbers repeat.

Every province numbers its own ``02-NQ/TU``; central series restart each term (``18-NQ/TW`` of 2017
and of 2022); ``16/CT-TTg`` exists for 2016 and 2020. The key is derived from the identity once,
when a document is first stored, and never changes afterwards, so that links and URLs stay valid.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field, StrictBool, model_validator

from graph.errors import ConflictError, InvalidInputError
from graph.models import Day, Document, EffectStatus, Level, NfcStr, Organization, StatusSource
from graph.symbols import SymbolParts, canonical_symbol, parse_symbol, symbol_match_key
from graph.text import fold, slugify


class WriteMode(StrEnum):
    """How a write treats a document that already exists under the same identity.

    ``create`` (the API): fills empty fields; a differing non-empty value is a conflict, unless the
    stored document is a stub. ``fill`` (extraction): fills empty fields and never conflicts.
    ``curated`` (seed files, ``lexgraph load``, imports): given values replace stored ones, by design.
    A draft marked ``stub`` only ever fills.
    """

    create = "create"
    fill = "fill"
    curated = "curated"


class DocumentDraft(BaseModel):
    """What a caller knows about a document; the store completes it into a :class:`Document`.

    A document has a symbol that parses (``43-KL/TW``, ``16/CT-TTg``), or none at all and then a type
    and a title: a law, the Constitution or the Party Charter, known by name and year.
    """

    symbol: NfcStr | None = Field(
        default=None,
        max_length=120,
        description="số ký hiệu, e.g. 43-KL/TW or 16/CT-TTg; omit only for a document known by its title",
    )
    type: NfcStr | None = Field(default=None, max_length=80)
    date: Day | None = None
    issuer: NfcStr | None = Field(default=None, max_length=200, description="an organization key")
    title: NfcStr | None = Field(default=None, max_length=2000)
    term: NfcStr | None = Field(default=None, max_length=20, description="khóa, e.g. XII")
    level: Level | None = None
    jurisdiction: NfcStr | None = Field(default=None, max_length=200, description="an administrative unit key")
    aliases: list[NfcStr] = Field(default_factory=list, max_length=50)
    status: EffectStatus = EffectStatus.unknown
    effective_from: Day | None = None
    effective_to: Day | None = None
    stub: StrictBool = False

    @model_validator(mode="after")
    def _well_formed(self) -> DocumentDraft:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.symbol is not None and not self.symbol.strip():
            self.symbol = None
        if self.symbol is not None and parse_symbol(self.symbol) is None:
            raise ValueError(
                f"'{self.symbol}' is not a document symbol: expected a number, a type code and an issuer, "
                "as in 43-KL/TW, 138-KH/TU, 16/CT-TTg or 35/2021/NĐ-CP"
            )
        if self.symbol is None and not (self.type and self.title and _title_words(self.title)):
            raise ValueError("a document without a symbol needs a type and a title (a law or charter known by name)")
        for alias in self.aliases:
            if parse_symbol(alias) is None:
                raise ValueError(f"alias '{alias}' is not a document symbol")
        return self


# A year closing a title ("Luật Đất đai năm 2013", "Hiến pháp 2013") is the document's year, not its name.
_TRAILING_YEAR = re.compile(r"(?:\s+(?:năm|nam))?\s+((?:19|20)\d\d)\s*$", re.IGNORECASE)


def _title_words(title: str) -> str:
    """A title as identity sees it: folded words, without a closing year."""
    return slugify(_TRAILING_YEAR.sub("", title))


def title_year(title: str) -> int | None:
    """The year closing a title, if any: "Luật Đất đai năm 2013" → 2013."""
    m = _TRAILING_YEAR.search(title)
    return int(m.group(1)) if m else None


def _titled_name(type_name: str, title: str) -> tuple[str, str]:
    """A titled document's type and name as slugs, the type word not repeated: ("luat", "dat-dai")."""
    kind, words = slugify(type_name), _title_words(title)
    return kind, words.removeprefix(f"{kind}-") if words != kind else words


def title_match_key(type_name: str, title: str) -> str:
    """The key every spelling of a titled document's name shares: "LUAT|DAT-DAI"."""
    kind, words = _titled_name(type_name, title)
    return f"{kind.upper()}|{words.upper()}"


def symbol_slug(parts: SymbolParts) -> str:
    """The symbol part of a key, one-to-one with the parsed symbol: ``43-kl-tw``, ``35-2021-nd-cp``."""
    tokens = [parts.number, *([str(parts.year)] if parts.year else [])]
    tokens += [*([parts.type_code] if parts.type_code else []), *parts.issuer.split("-")]
    return "-".join(fold(t).replace("&", "_") for t in tokens)


@dataclass(frozen=True)
class Identity:
    """What makes two mentions the same document: its symbol (or, lacking one, its type and title), the
    scope of local series and its year."""

    symbol: str | None
    scope: str
    year: int | None
    type: str | None = None
    title: str | None = None

    @property
    def match_key(self) -> str:
        if self.symbol is not None:
            return symbol_match_key(self.symbol)
        return title_match_key(self.type or "", self.title or "")

    @property
    def key(self) -> str:
        """The key a new document of this identity gets, one-to-one with the identity.

        ``43-kl-tw-2019``, ``16-ct-ttg-2016``, ``35-2021-nd-cp``, ``138-kh-tu-2019.thanh-hoa``,
        ``luat-dat-dai-2013``. The parts never contain a dot and the year is the only all-digit part
        after the symbol's codes, so the scope (after the dot) and the year can always be told apart.
        """
        parts = parse_symbol(self.symbol) if self.symbol is not None else None
        if parts is not None:
            name = symbol_slug(parts)
            year = None if parts.year else self.year
        else:
            name = "-".join(_titled_name(self.type or "", self.title or ""))
            year = self.year
        key = name if year is None else f"{name}-{year}"
        return f"{key}.{self.scope}" if self.scope else key


def document_year(symbol: str | None, date: dt.date | None, title: str | None = None) -> int | None:
    """The year a document belongs to: a State symbol's year, else its date's, else a year closing its title."""
    parts = parse_symbol(symbol) if symbol else None
    if parts is not None and parts.year:
        return parts.year
    if date is not None:
        return date.year
    return title_year(title) if title and not symbol else None


def default_level(symbol: str) -> Level | None:
    """A level guessed from the symbol alone, used when no issuer is given."""
    parts = parse_symbol(symbol)
    if parts is None:
        return None
    if parts.form == "party":
        if parts.is_central_party:
            return Level.central
        return Level.district if parts.is_district_party else Level.province
    return Level.province if "UBND" in parts.issuer.split("-") else Level.central


def complete_draft(draft: DocumentDraft, issuer: Organization | None) -> DocumentDraft:
    """Fill level, jurisdiction and type from the issuer and the symbol; reject what cannot be scoped."""
    level = draft.level or (issuer.level if issuer else None) or (default_level(draft.symbol) if draft.symbol else None)
    jurisdiction = draft.jurisdiction or (issuer.jurisdiction if issuer else None)
    name = draft.symbol or f"{draft.type} {draft.title}"
    if level is not None and level.is_local and not jurisdiction:
        raise InvalidInputError(
            f"'{name}' is a {level.value}-level document: give an issuer or a jurisdiction, "
            "since every jurisdiction numbers its own series"
        )
    parts = parse_symbol(draft.symbol) if draft.symbol else None
    doc_type = draft.type or (parts.type_name if parts else None)
    symbol = canonical_symbol(draft.symbol) if draft.symbol else None
    return draft.model_copy(update={"level": level, "jurisdiction": jurisdiction, "type": doc_type, "symbol": symbol})


def identity_of(draft: DocumentDraft) -> Identity:
    """The identity of a completed draft."""
    scope = draft.jurisdiction if draft.level is not None and draft.level.is_local and draft.jurisdiction else ""
    year = document_year(draft.symbol, draft.date, draft.title)
    if draft.symbol:
        return Identity(draft.symbol, scope or "", year)
    return Identity(None, scope or "", year, draft.type, draft.title)


def pick_existing(identity: Identity, candidates: list[Document]) -> Document | None:
    """The stored document a draft denotes, among those sharing its symbol (or an alias) and scope.

    A dated draft matches the candidate of its year, or else the one undated candidate (a stub that
    now learns its date). An undated draft matches the one candidate there is, or the undated one among
    several: an ambiguous reference is never merged into a dated guess.
    """
    if identity.year is not None:
        same_year = [c for c in candidates if c.year == identity.year]
        if same_year:
            return same_year[0]
        undated = [c for c in candidates if c.year is None]
        return undated[0] if len(undated) == 1 else None
    if len(candidates) == 1:
        return candidates[0]
    # Several dated documents share the symbol: an undated mention is the undated one (the same identity),
    # which holds such mentions apart from the dated documents.
    undated = [c for c in candidates if c.year is None]
    return undated[0] if undated else None


# Fields a create compares with the stored document: a differing given value is a conflict.
_COMPARED_FIELDS = (
    "type",
    "date",
    "issuer",
    "level",
    "jurisdiction",
    "term",
    "title",
    "effective_from",
    "effective_to",
)


def merge_document(
    existing: Document | None,
    draft: DocumentDraft,
    key: str,
    mode: WriteMode = WriteMode.curated,
    given: frozenset[str] = frozenset(),
) -> Document:
    """The document after applying a completed ``draft`` (see :class:`WriteMode`).

    ``given`` names the fields the caller set itself (the rest were derived from the symbol or issuer):
    only those can conflict with a stored value. The stored symbol is kept; other spellings become aliases.
    """
    symbol = draft.symbol or ""
    parts = parse_symbol(symbol) if symbol else None
    incoming: dict[str, object] = {
        **{name: getattr(draft, name) for name in _COMPARED_FIELDS},
        "number": parts.number if parts else None,
        "year": document_year(draft.symbol, draft.date, draft.title),
    }
    if existing is None:
        return Document(
            key=key,
            symbol=symbol,
            aliases=_aliases(symbol, draft.aliases),
            status=draft.status,
            status_source=_status_source(draft.status),
            stub=draft.stub,
            **incoming,  # type: ignore[arg-type]
        )
    fields = existing.model_dump()
    replaces = not draft.stub and (mode == WriteMode.curated or (mode == WriteMode.create and existing.stub))
    if mode == WriteMode.create and not draft.stub and not existing.stub:
        _check_conflicts(existing, {n: v for n, v in incoming.items() if n in given}, draft.status)
    for name, value in incoming.items():
        if value is not None and (replaces or fields[name] is None):
            fields[name] = value
    if draft.status != EffectStatus.unknown and (replaces or existing.status == EffectStatus.unknown):
        fields["status"] = draft.status
        fields["status_source"] = _status_source(draft.status)
    kept = symbol if symbol and replaces and existing.stub else existing.symbol
    fields["aliases"] = _aliases(kept, [existing.symbol, *existing.aliases, symbol, *draft.aliases])
    fields["symbol"] = kept
    fields["stub"] = existing.stub and draft.stub
    return Document(**fields)


def _status_source(status: EffectStatus) -> StatusSource:
    """A status a draft gives is set by hand; without one the store derives it (graph.effects)."""
    return StatusSource.derived if status == EffectStatus.unknown else StatusSource.curated


def _check_conflicts(existing: Document, given: dict[str, object], status: EffectStatus) -> None:
    stored = existing.model_dump()
    differing = sorted(n for n, v in given.items() if v is not None and stored[n] is not None and stored[n] != v)
    if status != EffectStatus.unknown and existing.status not in (EffectStatus.unknown, status):
        differing.append("status")
    if differing:
        raise ConflictError(existing.key, differing)


def _aliases(symbol: str, spellings: list[str]) -> list[str]:
    """Distinct spellings other than the stored symbol, in first-seen order."""
    seen = {symbol}
    out: list[str] = []
    for spelling in (s.strip() for s in spellings):
        if spelling and spelling not in seen:
            seen.add(spelling)
            out.append(spelling)
    return out


@dataclass(frozen=True)
class ResolvedDocument:
    """A document as it will be stored, with its identity scope and the match keys of its spellings."""

    document: Document
    scope: str
    match_keys: tuple[str, ...]
    created: bool = False


def spellings_match_keys(doc: Document | DocumentDraft) -> set[str]:
    """The match keys a document is found by: each spelling of its symbol, or its type and title."""
    if doc.symbol:
        return {symbol_match_key(s) for s in (doc.symbol, *doc.aliases)}
    return {title_match_key(doc.type or "", doc.title or "")}


def resolve_documents(
    drafts: list[DocumentDraft],
    organizations: dict[str, Organization],
    candidates: list[ResolvedDocument],
    mode: WriteMode = WriteMode.curated,
) -> list[ResolvedDocument]:
    """Decide, for each draft, which stored document it denotes (or a new key) and the merged record.

    ``organizations`` must hold every issuer and jurisdiction the drafts name, ``candidates`` every
    stored document sharing a match key with them. Later drafts see the earlier ones of the batch.
    """
    pool = {c.document.key: c for c in candidates}
    out: list[ResolvedDocument] = []
    for draft in drafts:
        issuer = None
        if draft.issuer is not None:
            issuer = organizations.get(draft.issuer)
            if issuer is None:
                raise InvalidInputError(f"unknown issuer organization '{draft.issuer}'")
        if draft.jurisdiction is not None and draft.jurisdiction not in organizations:
            raise InvalidInputError(f"unknown jurisdiction '{draft.jurisdiction}'")
        completed = complete_draft(draft, issuer)
        identity = identity_of(completed)
        keys = spellings_match_keys(completed)
        same = [c.document for c in pool.values() if c.scope == identity.scope and keys & set(c.match_keys)]
        existing = pick_existing(identity, sorted(same, key=lambda d: d.key))
        given = frozenset(draft.model_fields_set)
        document = merge_document(existing, completed, existing.key if existing else identity.key, mode, given)
        if existing is None and document.key in pool:
            raise ConflictError(document.key, ["identity"])
        match_keys = tuple(sorted(spellings_match_keys(document)))
        resolved = ResolvedDocument(document, identity.scope, match_keys, created=existing is None)
        pool[document.key] = resolved
        out.append(resolved)
    return out


def check_new_keys(resolved: list[ResolvedDocument], taken: set[str]) -> None:
    """Refuse to create a document under a key another document holds (a stored key of an older format)."""
    for r in resolved:
        if r.created and r.document.key in taken:
            raise ConflictError(r.document.key, ["identity"])


def new_keys(resolved: list[ResolvedDocument]) -> list[str]:
    """The keys a batch creates, to check with :func:`check_new_keys` before writing."""
    return sorted({r.document.key for r in resolved if r.created})


def draft_lookup_keys(drafts: list[DocumentDraft]) -> tuple[set[str], set[str]]:
    """The organization keys and symbol match keys a batch of drafts needs looked up."""
    org_keys = {k for d in drafts for k in (d.issuer, d.jurisdiction) if k}
    match_keys = {k for d in drafts for k in spellings_match_keys(d)}
    return org_keys, match_keys

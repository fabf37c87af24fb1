"""Document identity: symbol + issuing scope + year, because numbers repeat.

Every province numbers its own ``02-NQ/TU``; central series restart each term (``18-NQ/TW`` of 2017
and of 2022); ``16/CT-TTg`` exists for 2016 and 2020. The key is derived from the identity once,
when a document is first stored, and never changes afterwards, so that links and URLs stay valid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, Field, model_validator

from graph.errors import InvalidInputError
from graph.models import Document, EffectStatus, Level, NfcStr, Organization
from graph.symbols import canonical_symbol, parse_symbol, symbol_match_key
from graph.text import slugify


class DocumentDraft(BaseModel):
    """What a caller knows about a document; the store completes it into a :class:`Document`."""

    symbol: NfcStr = Field(min_length=1, max_length=120)
    type: NfcStr | None = Field(default=None, max_length=80)
    date: dt.date | None = None
    issuer: str | None = Field(default=None, max_length=200, description="an organization key")
    title: NfcStr | None = Field(default=None, max_length=2000)
    term: NfcStr | None = Field(default=None, max_length=20, description="khóa, e.g. XII")
    level: Level | None = None
    jurisdiction: str | None = Field(default=None, max_length=200, description="an administrative unit key")
    aliases: list[NfcStr] = Field(default_factory=list, max_length=50)
    status: EffectStatus = EffectStatus.unknown
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    stub: bool = False

    @model_validator(mode="after")
    def _effect_dates_ordered(self) -> DocumentDraft:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


@dataclass(frozen=True)
class Identity:
    """What makes two mentions the same document."""

    symbol: str
    scope: str
    year: int | None

    @property
    def match_key(self) -> str:
        return symbol_match_key(self.symbol)

    @property
    def key(self) -> str:
        """The key a new document of this identity gets: ``138-kh-tu-thanh-hoa-2019``."""
        parts = [self.symbol]
        if self.scope:
            parts.append(self.scope)
        parsed = parse_symbol(self.symbol)
        if self.year is not None and not (parsed and parsed.year):
            parts.append(str(self.year))
        return slugify("-".join(parts))


def document_year(symbol: str, date: dt.date | None) -> int | None:
    """The year a document belongs to: from its date, else from a State symbol's year."""
    if date is not None:
        return date.year
    parts = parse_symbol(symbol)
    return parts.year if parts else None


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
    level = draft.level or (issuer.level if issuer else None) or default_level(draft.symbol)
    jurisdiction = draft.jurisdiction or (issuer.jurisdiction if issuer else None)
    if level is not None and level.is_local and not jurisdiction:
        raise InvalidInputError(
            f"'{draft.symbol}' is a {level.value}-level document: give an issuer or a jurisdiction, "
            "since every jurisdiction numbers its own series"
        )
    parts = parse_symbol(draft.symbol)
    doc_type = draft.type or (parts.type_name if parts else None)
    return draft.model_copy(
        update={
            "level": level,
            "jurisdiction": jurisdiction,
            "type": doc_type,
            "symbol": canonical_symbol(draft.symbol),
        }
    )


def identity_of(draft: DocumentDraft) -> Identity:
    """The identity of a completed draft."""
    scope = draft.jurisdiction if draft.level is not None and draft.level.is_local and draft.jurisdiction else ""
    return Identity(draft.symbol, scope or "", document_year(draft.symbol, draft.date))


def pick_existing(identity: Identity, candidates: list[Document]) -> Document | None:
    """The stored document a draft denotes, among those sharing its symbol (or an alias) and scope.

    A dated draft matches the candidate of its year, or else the one undated candidate (a stub that
    now learns its date). An undated draft matches only when exactly one candidate exists: an
    ambiguous reference is never merged into a guess.
    """
    if identity.year is not None:
        same_year = [c for c in candidates if c.year == identity.year]
        if same_year:
            return same_year[0]
        undated = [c for c in candidates if c.year is None]
        return undated[0] if len(undated) == 1 else None
    return candidates[0] if len(candidates) == 1 else None


def merge_document(existing: Document | None, draft: DocumentDraft, key: str) -> Document:
    """The document after applying ``draft``: a stub never overwrites what a full record says."""
    year = document_year(draft.symbol, draft.date)
    parts = parse_symbol(draft.symbol)
    incoming = {
        "type": draft.type,
        "number": parts.number if parts else None,
        "date": draft.date,
        "year": year,
        "issuer": draft.issuer,
        "level": draft.level,
        "jurisdiction": draft.jurisdiction,
        "term": draft.term,
        "title": draft.title,
        "effective_from": draft.effective_from,
        "effective_to": draft.effective_to,
    }
    if existing is None:
        return Document(
            key=key,
            symbol=draft.symbol,
            aliases=_aliases(draft.symbol, draft.aliases),
            status=draft.status,
            stub=draft.stub,
            **incoming,
        )
    fields = existing.model_dump()
    authoritative = not draft.stub
    for name, value in incoming.items():
        if value is not None and (authoritative or fields[name] is None):
            fields[name] = value
    if authoritative and draft.status != EffectStatus.unknown:
        fields["status"] = draft.status
    symbol = draft.symbol if authoritative and existing.stub else existing.symbol
    fields["aliases"] = _aliases(symbol, [existing.symbol, *existing.aliases, draft.symbol, *draft.aliases])
    fields["symbol"] = symbol
    fields["stub"] = existing.stub and draft.stub
    return Document(**fields)


def _aliases(symbol: str, spellings: list[str]) -> list[str]:
    """Distinct spellings other than the canonical symbol, in first-seen order."""
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


def spellings_match_keys(doc: Document | DocumentDraft) -> set[str]:
    return {symbol_match_key(s) for s in (doc.symbol, *doc.aliases)}


def resolve_documents(
    drafts: list[DocumentDraft],
    organizations: dict[str, Organization],
    candidates: list[ResolvedDocument],
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
        document = merge_document(existing, completed, existing.key if existing else identity.key)
        resolved = ResolvedDocument(document, identity.scope, tuple(sorted(spellings_match_keys(document))))
        pool[document.key] = resolved
        out.append(resolved)
    return out


def draft_lookup_keys(drafts: list[DocumentDraft]) -> tuple[set[str], set[str]]:
    """The organization keys and symbol match keys a batch of drafts needs looked up."""
    org_keys = {k for d in drafts for k in (d.issuer, d.jurisdiction) if k}
    match_keys = {k for d in drafts for k in spellings_match_keys(d)}
    return org_keys, match_keys

"""Corrections of stored documents: change any field (a new identity gives a new key, the old one redirects),
remove one (a cited one stays as a stub), merge a duplicate into the document it repeats.

Every correction is one unit of work: the reads it decides on, its writes and its change-log entry (the
documents before and after) commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from graph.errors import ConflictError, InvalidInputError, NotFoundError
from graph.events import EventKind, document_event, event, facets_of
from graph.identity import (
    DocumentDraft,
    Identity,
    complete_draft,
    document_year,
    spellings_match_keys,
)
from graph.models import (
    Day,
    Document,
    DocumentFilter,
    EffectStatus,
    Level,
    Link,
    NfcStr,
    Organization,
    SourceText,
    StatusSource,
)
from graph.ports import Corrections, Documents, Events, Lifecycle, Organizations, TextStore
from graph.symbols import parse_symbol
from graph.usecases.units import in_one_unit

# Records the change-log entry of a correction, inside its unit of work: the keys written, before, after.
CommitChange = Callable[[list[str], list[Document], list[Document]], Awaitable[None]]

# What a document reduced to a stub keeps: what a citation of it can tell.
STUB_FIELDS = ("key", "symbol", "type", "number", "year")


class CorrectionStore(Lifecycle, Documents, Organizations, Corrections, Events, Protocol):
    """The store roles a correction reads and writes."""


class TextStoreReads(Documents, TextStore, Corrections, Protocol):
    """The store roles ``GET /texts/{id}`` reads."""


class KeyTakenError(ConflictError):
    """A correction would give a document the key (or the identity) another document holds."""

    def __init__(self, key: str, holder: str) -> None:
        super().__init__(holder, ["key"])
        self.args = (
            f"the corrected document's key '{key}' is held by document '{holder}': if they are one document, "
            f'merge them with POST /documents/{holder}/merge and a body {{"from": "<the other key>"}}',
        )


class DocumentPatch(BaseModel):
    """Fields to change on a stored document; a field given as null is cleared. Validated as a new document is."""

    model_config = ConfigDict(extra="forbid")

    symbol: NfcStr | None = Field(default=None, max_length=120)
    type: NfcStr | None = Field(default=None, max_length=80)
    date: Day | None = None
    year: StrictInt | None = Field(default=None, ge=1900, le=2200, description="only where no date tells it")
    issuer: NfcStr | None = Field(default=None, max_length=200, description="an organization key")
    title: NfcStr | None = Field(default=None, max_length=2000)
    term: NfcStr | None = Field(default=None, max_length=20)
    level: Level | None = None
    jurisdiction: NfcStr | None = Field(default=None, max_length=200)
    aliases: list[NfcStr] | None = Field(default=None, max_length=50)
    status: EffectStatus | None = Field(default=None, description="set by hand: the status source becomes curated")
    effective_from: Day | None = None
    effective_to: Day | None = None
    stub: bool | None = None


class MergeRequest(BaseModel):
    """The duplicate to merge into the document named in the path."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(alias="from", min_length=1, max_length=200, description="the duplicate's key")


class TextAnswer(BaseModel):
    """A stored text, the document it is the text of, and the links it states (with their spans)."""

    text: SourceText
    document: Document | None
    links: list[Link]


def scope_of(document: Document | DocumentDraft) -> str:
    """The identity scope: the jurisdiction of a local series, else none."""
    local = document.level is not None and document.level.is_local
    return document.jurisdiction if local and document.jurisdiction else ""


def identity_from(document: Document) -> Identity:
    """A document's identity (its symbol, or its type and title, with its scope and year)."""
    if document.symbol:
        return Identity(document.symbol, scope_of(document), document.year)
    return Identity(None, scope_of(document), document.year, document.type, document.title)


def patched_draft(document: Document, patch: DocumentPatch) -> DocumentDraft:
    """The draft a patched document must pass (as ``POST /documents`` does); pydantic's ValidationError if not.

    A new issuer re-derives the level and jurisdiction not given with it. Stored aliases are carried over apart,
    so that only spellings the patch gives are checked.
    """
    given = patch.model_fields_set
    fields: dict[str, Any] = document.model_dump(
        include={"type", "date", "issuer", "title", "term", "level", "jurisdiction", "effective_from", "effective_to"}
    )
    fields |= {"symbol": document.symbol or None, "status": document.status, "stub": document.stub}
    if "issuer" in given:
        fields |= {name: None for name in ("level", "jurisdiction") if name not in given}
    for name in given - {"year", "aliases"}:
        fields[name] = getattr(patch, name)
    fields["status"] = fields["status"] or EffectStatus.unknown
    fields["stub"] = bool(fields["stub"])
    fields["aliases"] = patch.aliases or []
    return DocumentDraft.model_validate(fields)


def corrected_document(document: Document, patch: DocumentPatch, completed: DocumentDraft) -> Document:
    """The document after a patch (under its old key): ``completed`` is the patched draft completed by its issuer."""
    given = patch.model_fields_set
    symbol = completed.symbol or ""
    parts = parse_symbol(symbol) if symbol else None
    year = _corrected_year(document, patch, completed)
    aliases = completed.aliases if "aliases" in given else document.aliases
    source = document.status_source
    if "status" in given:
        source = StatusSource.curated if patch.status is not None else StatusSource.derived
    return document.model_copy(
        update={
            **completed.model_dump(include={"type", "date", "issuer", "title", "term", "level", "jurisdiction"}),
            **completed.model_dump(include={"status", "effective_from", "effective_to", "stub"}),
            "symbol": symbol,
            "aliases": [a for a in dict.fromkeys(aliases) if a != symbol],
            "number": parts.number if parts else None,
            "year": year,
            "status_source": source,
        }
    )


def _corrected_year(document: Document, patch: DocumentPatch, completed: DocumentDraft) -> int | None:
    """The year a patch gives, else the one its symbol, date or title tells, else the stored one if those stand."""
    told = document_year(completed.symbol, completed.date, completed.title)
    if "year" not in patch.model_fields_set:
        unchanged = not ({"symbol", "date", "title"} & patch.model_fields_set)
        return told if told is not None or not unchanged else document.year
    parts = parse_symbol(completed.symbol) if completed.symbol else None
    if patch.year is not None and parts is not None and parts.year and parts.year != patch.year:
        raise InvalidInputError(f"year {patch.year} differs from the year in the symbol '{completed.symbol}'")
    if patch.year is not None and completed.date is not None and completed.date.year != patch.year:
        raise InvalidInputError(f"year {patch.year} differs from the date {completed.date.isoformat()}")
    return patch.year


def corrected_key(before: Document, after: Document) -> str:
    """The key a corrected document lives under: a new one only when its identity changed."""
    new = identity_from(after)
    return new.key if new != identity_from(before) else before.key


def stub_of(document: Document) -> Document:
    """What a removed document that others cite is reduced to."""
    kept = set(STUB_FIELDS) | ({"title"} if not document.symbol else set())  # a titled document's name
    return Document(**document.model_dump(include=kept), stub=True)


def stub_match_keys(document: Document) -> list[str]:
    """The spellings a stub is found by: its symbol's (or its type and title's, while it has them)."""
    if not document.symbol and not (document.type and document.title):
        return []
    return sorted(spellings_match_keys(document.model_copy(update={"aliases": []})))


def merged_document(kept: Document, duplicate: Document) -> Document:
    """``kept`` with its empty fields filled from ``duplicate``, and the duplicate's spellings as aliases."""
    fields = kept.model_dump()
    for name, value in duplicate.model_dump(exclude={"key", "aliases", "stub", "status_links"}).items():
        if fields[name] in (None, "", EffectStatus.unknown) and value not in (None, ""):
            fields[name] = value
    if kept.status == EffectStatus.unknown and duplicate.status != EffectStatus.unknown:
        fields["status_source"] = duplicate.status_source
    spellings = [*kept.aliases, duplicate.symbol, *duplicate.aliases]
    fields["aliases"] = [s for s in dict.fromkeys(spellings) if s and s != fields["symbol"]]
    fields["stub"] = kept.stub and duplicate.stub
    return Document(**fields)


async def _organization(store: Organizations, role: str, key: str | None) -> Organization | None:
    """The organization ``key`` names (422 when unknown), or None when none is named."""
    if key is None:
        return None
    try:
        return await store.get_organization(key)
    except NotFoundError:
        raise InvalidInputError(f"unknown {role} '{key}'") from None


async def _completed(store: Organizations, draft: DocumentDraft) -> DocumentDraft:
    """A patched draft completed from its issuer, as a new document's is; its jurisdiction must exist."""
    await _organization(store, "jurisdiction", draft.jurisdiction)
    return complete_draft(draft, await _organization(store, "issuer organization", draft.issuer))


async def _check_key_free(store: Documents, before: Document, after: Document) -> None:
    """Refuse a new key, or a new identity, that another document holds (409 naming it)."""
    try:
        holder = await store.get_document(after.key)
    except NotFoundError:
        holder = None
    if holder is not None:
        raise KeyTakenError(after.key, holder.key)
    if after.symbol:
        same = await store.find_documents(DocumentFilter(symbol=after.symbol, year=after.year), limit=50)
        for other in same:
            if other.key != before.key and scope_of(other) == scope_of(after) and other.year == after.year:
                raise KeyTakenError(after.key, other.key)


async def patch_document(store: CorrectionStore, key: str, patch: DocumentPatch, commit: CommitChange) -> Document:
    """Apply ``patch`` to the document ``key`` (a new identity moves it to its new key) and log the change."""

    async def work() -> Document:
        before = await store.get_document(key)
        completed = await _completed(store, patched_draft(before, patch))
        after = corrected_document(before, patch, completed)
        after = after.model_copy(update={"key": corrected_key(before, after)})
        if after.key != before.key:
            await _check_key_free(store, before, after)
        match_keys = sorted(spellings_match_keys(after))
        await store.write_corrected(after, scope_of(after), match_keys, replacing=_other(before.key, after.key))
        after = await store.get_document(after.key)  # as stored: its status settled from its effects
        moved = {"previous_key": before.key} if after.key != before.key else {}
        await store.append_events([document_event(EventKind.document_updated, after, moved)])
        await commit(sorted({before.key, after.key}), [before], [after])
        return after

    return await in_one_unit(store, work)


async def delete_document(store: CorrectionStore, key: str, commit: CommitChange) -> Document | None:
    """Remove the document ``key``; one that other documents link to stays as a stub, which is returned."""

    async def work() -> Document | None:
        before = await store.get_document(key)
        stub = stub_of(before)
        await store.append_events([document_event(EventKind.document_deleted, before, facets=facets_of(before))])
        kept = await store.remove_document(key, stub, stub_match_keys(stub))
        await commit([key], [before], [stub] if kept else [])
        return stub if kept else None

    return await in_one_unit(store, work)


async def merge_documents(store: CorrectionStore, key: str, duplicate_key: str, commit: CommitChange) -> Document:
    """Merge the document ``duplicate_key`` into ``key``: its spellings, links, obligations and texts move, its
    empty-field values fill the kept one's, and its key redirects to ``key``."""
    if key == duplicate_key:
        raise InvalidInputError(f"cannot merge document '{key}' into itself")

    async def work() -> Document:
        kept = await store.get_document(key)
        try:
            duplicate = await store.get_document(duplicate_key)
        except NotFoundError:
            # The merged-into document exists; a body naming nothing is a bad request, not a missing resource.
            raise InvalidInputError(f"no document '{duplicate_key}' to merge from") from None
        after = merged_document(kept, duplicate)
        match_keys = sorted(spellings_match_keys(after) | spellings_match_keys(duplicate))
        await store.write_corrected(after, scope_of(kept), match_keys, replacing=duplicate_key)
        after = await store.get_document(key)
        merged = event(EventKind.document_merged, duplicate_key, key, keys=[duplicate_key], payload={"into": key})
        await store.append_events([merged])
        await commit([key, duplicate_key], [kept, duplicate], [after])
        return after

    return await in_one_unit(store, work)


def _other(old: str, new: str) -> str | None:
    return old if old != new else None


async def text_answer(store: TextStoreReads, text_id: str) -> TextAnswer:
    """A stored text with its document (if it names one still stored) and the links it states."""
    text = await store.get_text(text_id)
    document = None
    if text.document_key is not None:
        try:
            document = await store.get_document(text.document_key)
        except NotFoundError:
            document = None
    return TextAnswer(text=text, document=document, links=await store.links_from_text(text_id))

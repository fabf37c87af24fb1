"""Declarative seed files: organizations, documents and links, loaded idempotently into a store.

``seeds/`` holds the curated files at its top level, the administrative units in ``units/`` and the
registry of real central documents in ``registry/``. Registry links name their ends as ``SYMBOL@YEAR``
(``TITLE@YEAR`` for a document known by its title), since keys are derived by the code, not written.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, Discriminator, Field, Tag, ValidationError

from graph.errors import InvalidInputError
from graph.identity import DocumentDraft, complete_draft, identity_of
from graph.models import GraphCounts, LinkDraft, Organization, Relation
from graph.ports import GraphStore
from graph.symbols import canonical_symbol

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
_SEED_SUFFIXES = {".yaml", ".yml", ".json"}
# libyaml's parser when PyYAML was built with it: the units files are 3 MB, read at every empty start.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ReferencedLink(BaseModel):
    """A link whose ends are written ``SYMBOL@YEAR`` or ``TITLE@YEAR``."""

    source: str = Field(min_length=3, max_length=2000)
    relation: Relation
    target: str = Field(min_length=3, max_length=2000)


def _link_kind(value: Any) -> str:
    source = value.get("source", "") if isinstance(value, dict) else getattr(value, "source", "")
    return "referenced" if "@" in str(source) else "keyed"


SeedLink = Annotated[
    Annotated[LinkDraft, Tag("keyed")] | Annotated[ReferencedLink, Tag("referenced")], Discriminator(_link_kind)
]


class SeedFile(BaseModel):
    organizations: list[Organization] = Field(default_factory=list)
    documents: list[DocumentDraft] = Field(default_factory=list)
    links: list[SeedLink] = Field(default_factory=list)


UNITS_FOLDER = "units"


def read_seeds(directory: Path, *, units: bool = True) -> SeedFile:
    """All seed files of a directory and its subfolders merged, in path order; links resolved to keys.

    ``units=False`` leaves out the administrative units below the provinces (``units/``: 12,000 entries).
    """
    files = sorted(
        p
        for p in directory.rglob("*")
        if p.suffix in _SEED_SUFFIXES and p.is_file() and (units or UNITS_FOLDER not in p.relative_to(directory).parts)
    )
    if not files:
        raise InvalidInputError(f"no seed files (*.yaml, *.json) in {directory}")
    return _read(tuple((p, p.stat().st_mtime_ns) for p in files))


@lru_cache(maxsize=4)
def _read(files: tuple[tuple[Path, int], ...]) -> SeedFile:
    merged = SeedFile()
    for path, _ in files:
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        try:
            part = SeedFile.model_validate(raw)
        except ValidationError as e:
            raise InvalidInputError(f"{path.name}: {e}") from e
        merged.organizations.extend(part.organizations)
        merged.documents.extend(part.documents)
        merged.links.extend(part.links)
    merged.links = [
        _keyed(link, _reference_keys(merged)) if isinstance(link, ReferencedLink) else link for link in merged.links
    ]
    return merged


def _reference_keys(seeds: SeedFile) -> dict[str, str]:
    """``SYMBOL@YEAR`` and ``TITLE@YEAR`` of every central seed document, to its key."""
    organizations = {o.key: o for o in seeds.organizations}
    keys: dict[str, str] = {}
    for draft in seeds.documents:
        completed = complete_draft(draft, organizations.get(draft.issuer or ""))
        identity = identity_of(completed)
        name = completed.symbol or completed.title or ""
        keys[f"{name}@{identity.year}"] = identity.key
    return keys


def _keyed(link: ReferencedLink, keys: dict[str, str]) -> LinkDraft:
    ends = []
    for reference in (link.source, link.target):
        name, _, year = reference.rpartition("@")
        key = keys.get(f"{canonical_symbol(name) if name[:1].isdigit() else name}@{year}")
        if key is None:
            raise InvalidInputError(f"seed link end '{reference}' names no seed document")
        ends.append(key)
    return LinkDraft(source=ends[0], relation=link.relation, target=ends[1])


async def load_seeds(store: GraphStore, directory: Path = DEFAULT_SEEDS_DIR, *, units: bool = True) -> GraphCounts:
    """Upsert every organization, then documents, then links; loading twice changes nothing."""
    seeds = read_seeds(directory, units=units)
    await store.upsert_organizations(seeds.organizations)
    await store.upsert_documents(seeds.documents)
    await store.upsert_links([link for link in seeds.links if isinstance(link, LinkDraft)])
    return await store.counts()

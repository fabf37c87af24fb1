"""Declarative seed files: organizations, documents and links, loaded idempotently into a store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from graph.errors import InvalidInputError
from graph.identity import DocumentDraft
from graph.models import GraphCounts, LinkDraft, Organization
from graph.ports import GraphStore

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


class SeedFile(BaseModel):
    organizations: list[Organization] = Field(default_factory=list)
    documents: list[DocumentDraft] = Field(default_factory=list)
    links: list[LinkDraft] = Field(default_factory=list)


def read_seeds(directory: Path) -> SeedFile:
    """All ``*.yaml``/``*.json`` files of a directory merged, in file-name order."""
    merged = SeedFile()
    files = sorted(p for p in directory.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
    if not files:
        raise InvalidInputError(f"no seed files (*.yaml, *.json) in {directory}")
    for path in files:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        try:
            part = SeedFile.model_validate(raw)
        except ValidationError as e:
            raise InvalidInputError(f"{path.name}: {e}") from e
        merged.organizations.extend(part.organizations)
        merged.documents.extend(part.documents)
        merged.links.extend(part.links)
    return merged


async def load_seeds(store: GraphStore, directory: Path = DEFAULT_SEEDS_DIR) -> GraphCounts:
    """Upsert every organization, then documents, then links; loading twice changes nothing."""
    seeds = read_seeds(directory)
    await store.upsert_organizations(seeds.organizations)
    await store.upsert_documents(seeds.documents)
    await store.upsert_links(seeds.links)
    return await store.counts()

"""Obligations: which units a document obliges to implement it, by when, and which branch must act."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from graph.errors import InvalidInputError
from graph.models import IMPLEMENTATION_RELATIONS, Branch, Day, Key, Level, NfcStr, NfcText, Organization, Relation

PLAN = "plan"

# "any" lets a body of either branch fulfil the obligation; None means the source's own branch.
BranchRule = Branch | Literal["any"]


class ObligationStatus(StrEnum):
    """An obligation's review state, the words of a link's (graph.models.Review); ``confirmed``, the earlier
    word, is taken on input as ``accepted``."""

    proposed = "proposed"
    accepted = "accepted"
    rejected = "rejected"
    confirmed = "accepted"  # an alias: ObligationStatus.confirmed is ObligationStatus.accepted

    @classmethod
    def _missing_(cls, value: object) -> ObligationStatus | None:
        return cls.accepted if value == "confirmed" else None


class Deadline(BaseModel):
    """One deadline: a fixed date or a number of days from the source's date. ``kind`` "plan" is the audited one."""

    model_config = ConfigDict(frozen=True)

    kind: NfcStr = Field(default=PLAN, min_length=1, max_length=40, description="plan, report, yearly_report, ...")
    due: Day | None = None
    within_days: int | None = Field(default=None, ge=0, le=3650)

    @model_validator(mode="after")
    def _one_way_to_say_when(self) -> Deadline:
        if (self.due is None) == (self.within_days is None):
            raise ValueError("give exactly one of 'due' and 'within_days'")
        return self

    def due_date(self, source_date: dt.date | None) -> dt.date | None:
        """The date this deadline falls on; ``None`` for a relative one when the source is undated."""
        if self.due is not None:
            return self.due
        if source_date is None or self.within_days is None:
            return None
        return source_date + dt.timedelta(days=self.within_days)

    def sort_key(self) -> tuple[str, str, int]:
        return (self.kind, self.due.isoformat() if self.due else "", self.within_days or 0)


class ObligationRule(BaseModel):
    """Who must implement a document: every unit of ``level`` (under ``parent``), or the listed ``units``.

    ``deadline`` is shorthand for ``deadlines: [{"kind": "plan", "due": ...}]``.
    """

    level: Level
    parent: Key | None = Field(default=None, description="only the units directly under this one, e.g. thanh-hoa")
    units: list[Key] = Field(default_factory=list, max_length=1000, description="explicit unit keys instead of a rule")
    deadlines: list[Deadline] = Field(default_factory=list, max_length=20)
    deadline: Day | None = Field(default=None, exclude=True, description="the plan deadline (input shorthand)")
    branch: BranchRule | None = Field(default=None, description="party, state or any; by default the source's branch")
    relation: Relation = Field(default=Relation.implements, description="implements or continues; chains of both count")

    @field_validator("relation")
    @classmethod
    def _implementation_relation(cls, relation: Relation) -> Relation:
        if relation not in IMPLEMENTATION_RELATIONS:
            raise ValueError(f"an obligation is fulfilled by {' or '.join(IMPLEMENTATION_RELATIONS)}")
        return relation

    @model_validator(mode="after")
    def _normalized(self) -> ObligationRule:
        # Canonical order, so that the same rule posted twice has the same identity.
        deadlines = set(self.deadlines)
        if self.deadline is not None:
            deadlines.add(Deadline(kind=PLAN, due=self.deadline))
        self.deadlines = sorted(deadlines, key=Deadline.sort_key)
        self.deadline = None
        self.units = sorted(set(self.units))
        return self

    def plan_due(self, source_date: dt.date | None) -> dt.date | None:
        """The earliest plan deadline, the one an audit measures against."""
        dates = [d for d in (x.due_date(source_date) for x in self.deadlines if x.kind == PLAN) if d is not None]
        return min(dates, default=None)


class ObligationDraft(ObligationRule):
    """An obligation to record on ``document``; curated ones are confirmed, extracted ones proposed."""

    document: Key
    status: ObligationStatus = ObligationStatus.confirmed
    evidence: NfcText | None = Field(default=None, max_length=4000)

    @property
    def identity(self) -> str:
        """A stable id from the document and the rule: posting the same obligation twice records one."""
        rule = self.model_dump(mode="json", include=set(ObligationRule.model_fields) | {"document"})
        digest = hashlib.sha256(json.dumps(rule, sort_keys=True).encode()).hexdigest()
        return f"ob-{digest[:16]}"


class RecordedObligation(ObligationDraft):
    """An obligation as a store records it: its id and when it was first recorded.

    (graph.extract.models.ExtractedObligation is another thing: an obligation phrase found in a text.)
    """

    id: str
    created_at: dt.datetime | None = None


# The former name, still imported by app/schemas.py and app/routes: RecordedObligation is the one to use.


def obligation_row(draft: ObligationDraft, created_at: str) -> dict[str, Any]:
    """The flat record both stores keep: lists of deadlines travel as JSON text."""
    return {
        "id": draft.identity,
        "document": draft.document,
        "level": draft.level.value,
        "parent": draft.parent,
        "units": draft.units,
        "deadlines": json.dumps([d.model_dump(mode="json") for d in draft.deadlines]),
        "branch": str(draft.branch) if draft.branch else None,
        "relation": draft.relation.value,
        "status": draft.status.value,
        "evidence": draft.evidence,
        "created_at": created_at,
    }


def obligation_from_row(row: Mapping[str, Any]) -> RecordedObligation:
    data = {k: v for k, v in row.items() if v is not None}
    data["deadlines"] = json.loads(data.get("deadlines", "[]"))
    if isinstance(data.get("units"), str):
        data["units"] = json.loads(data["units"])
    return RecordedObligation.model_validate(data)


def check_references(drafts: Iterable[ObligationDraft], organizations: Mapping[str, Organization]) -> None:
    """Reject obligations naming an unknown parent or a unit that is not an organization of their level."""
    for draft in drafts:
        if draft.parent is not None and draft.parent not in organizations:
            raise InvalidInputError(f"unknown parent organization '{draft.parent}'")
        for unit in draft.units:
            org = organizations.get(unit)
            if org is None:
                raise InvalidInputError(f"unknown unit '{unit}'")
            if org.level != draft.level:
                raise InvalidInputError(f"unit '{unit}' is of level {org.level.value}, not {draft.level.value}")


def referenced_organizations(drafts: Iterable[ObligationDraft]) -> set[str]:
    """The organization keys a batch of drafts names."""
    return {k for d in drafts for k in (d.parent, *d.units) if k}


def drafts_from_proposal(proposal: Mapping[str, Any], target: str) -> list[ObligationDraft]:
    """Proposed obligations on document ``target`` from one extracted obligation, one per level it names.

    The unit phrases are kept as evidence, not resolved: a curator confirms or corrects the rule.
    """
    relation = proposal.get("relation", Relation.implements)
    relation = relation if relation in IMPLEMENTATION_RELATIONS else Relation.implements
    levels = sorted({Level(v) for v in proposal.get("levels", []) if v in Level.__members__})
    units = ", ".join(proposal.get("units", []))
    evidence = proposal.get("evidence") or (f"units: {units}" if units else None)
    return [
        ObligationDraft(
            document=target, level=level, relation=relation, status=ObligationStatus.proposed, evidence=evidence
        )
        for level in levels
    ]

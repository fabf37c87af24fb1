"""Extract every stored text again with the current extractor: new links are proposed and new evidence added
to known ones, while every review decision stands (a rejected link stays rejected, an accepted one accepted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.errors import InvalidInputError
from graph.usecases.ingest import IngestReport, IngestStore, ingest_text

TEXTS_PER_PAGE = 50


@dataclass
class ReextractReport:
    """What extracting the stored texts again changed."""

    texts: int = 0
    links_created: int = 0
    links_existing: int = 0
    links_out_of_order: int = 0
    documents_created: int = 0
    failed: dict[str, str] = field(default_factory=dict)

    def add(self, report: IngestReport) -> None:
        self.texts += 1
        self.links_created += len(report.links_created)
        self.links_existing += report.links_existing
        self.links_out_of_order += report.links_out_of_order
        self.documents_created += len(report.documents_created)


async def reextract(
    store: IngestStore, since: dt.datetime | None = None, on_text: Callable[[str], None] | None = None
) -> ReextractReport:
    """Run the extractor over every stored text created at or after ``since`` (all by default), a page at a
    time; a text the extractor or the checks refuse is reported and the others go on."""
    report = ReextractReport()
    after: str | None = None
    while page := await store.texts_page(since=since, after=after, limit=TEXTS_PER_PAGE):
        for text in page:
            try:
                report.add(await ingest_text(store, text.text, text.jurisdiction, stored_id=text.id))
            except InvalidInputError as e:
                report.failed[text.id] = str(e)
            if on_text is not None:
                on_text(text.id)
        after = page[-1].id
    return report

"""The change feed rendered as JSON Feed 1.1 or Atom 1.0: one item per event, newest first."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.events import Event, EventKind

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_TITLE = "lexgraph: changes to documents and links"
# What a reader sees as an item's title, by kind.
KIND_TITLES = {
    EventKind.document_created: "New document",
    EventKind.document_updated: "Document updated",
    EventKind.document_deleted: "Document deleted",
    EventKind.document_merged: "Documents merged",
    EventKind.link_created: "New link",
    EventKind.link_reviewed: "Link reviewed",
    EventKind.link_deleted: "Link deleted",
    EventKind.status_changed: "Effect status changed",
}


@dataclass(frozen=True)
class FeedPage:
    """One page of events and the addresses a reader follows: this page, the site, the next page."""

    events: Sequence[Event]
    self_url: str
    home_url: str
    document_url: str  # with ``{key}`` for a document key
    next_url: str | None


def item_title(event: Event) -> str:
    """``New document: 12-KH/TU — Kế hoạch …`` or ``New link: a implements b``."""
    p = event.payload
    if "relation" in p:
        what = f"{p.get('source')} {p.get('relation')} {p.get('target')}"
    else:
        what = " — ".join(str(p[k]) for k in ("symbol", "title") if p.get(k)) or event.key
    return f"{KIND_TITLES[event.kind]}: {what}"


def item_text(event: Event) -> str:
    """A plain-text line of what the event says."""
    fields = ", ".join(f"{k}: {v}" for k, v in event.payload.items() if v not in (None, "", []))
    return f"{event.kind.value} {event.key}" + (f" ({fields})" if fields else "")


def json_feed(page: FeedPage) -> dict[str, Any]:
    """The page as a JSON Feed 1.1 object; each item keeps the whole event under ``_lexgraph``."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": FEED_TITLE,
        "home_page_url": page.home_url,
        "feed_url": page.self_url,
        "items": [
            {
                "id": e.id,
                "url": page.document_url.format(key=e.document),
                "title": item_title(e),
                "content_text": item_text(e),
                "date_published": e.at,
                "tags": [e.kind.value],
                "_lexgraph": e.model_dump(mode="json"),
            }
            for e in page.events
        ],
    }
    if page.next_url:
        feed["next_url"] = page.next_url
    return feed


def atom_feed(page: FeedPage, updated: str) -> bytes:
    """The page as an Atom 1.0 document (``updated``: the newest event's time, or now when there is none)."""
    ET.register_namespace("", ATOM_NS)
    root = ET.Element(f"{{{ATOM_NS}}}feed")
    _text(root, "id", page.self_url.split("?", 1)[0])
    _text(root, "title", FEED_TITLE)
    _text(root, "updated", updated)
    _text(ET.SubElement(root, f"{{{ATOM_NS}}}author"), "name", "lexgraph")
    _link(root, page.self_url, "self")
    _link(root, page.home_url, "alternate")
    if page.next_url:
        _link(root, page.next_url, "next")
    for e in page.events:
        entry = ET.SubElement(root, f"{{{ATOM_NS}}}entry")
        _text(entry, "id", f"urn:lexgraph:event:{e.id}")
        _text(entry, "title", item_title(e))
        _text(entry, "updated", e.at)
        _link(entry, page.document_url.format(key=e.document), "alternate")
        ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": e.kind.value})
        _text(entry, "content", item_text(e)).set("type", "text")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str) -> None:
    ET.SubElement(parent, f"{{{ATOM_NS}}}link", {"href": href, "rel": rel})

"""Corrections in the embedded store: a document rewritten (under a new key, or over a duplicate), removed (or
reduced to a stub), the redirects old keys leave, and the links a text states.

Links move by updating their ends in place, so every other column of a link (its id among them) stays.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from graph.clock import timestamp
from graph.models import Document, Link
from graph.stores.sqlite.db import SqliteRole
from graph.stores.sqlite.effects import after_document_write, changed_by, recompute
from graph.stores.sqlite.rows import DOCUMENT_COLUMNS, document_exists, document_values, links_where

_COLUMNS = f"{DOCUMENT_COLUMNS}, scope, status_source"
_PLACES = ",".join("?" * len(_COLUMNS.split(", ")))
INSERT_DOCUMENT = f"INSERT INTO documents ({_COLUMNS}) VALUES ({_PLACES})"
UPDATE_DOCUMENT = f"UPDATE documents SET ({_COLUMNS}) = ({_PLACES}) WHERE key = ?"
CLEAR_SPELLINGS = "DELETE FROM document_symbols WHERE document_key = ?"
ADD_SPELLING = "INSERT OR IGNORE INTO document_symbols VALUES (?, ?)"
DROP_JOINING_LINKS = "DELETE FROM links WHERE (source = ? AND target = ?) OR (source = ? AND target = ?)"
LINK_ENDS_OF = "SELECT source, relation, target FROM links WHERE source = ? OR target = ?"
LINK_HELD = "SELECT 1 FROM links WHERE source = ? AND relation = ? AND target = ?"
MOVE_LINK = "UPDATE links SET source = ?, target = ? WHERE source = ? AND relation = ? AND target = ?"
DELETE_LINK = "DELETE FROM links WHERE source = ? AND relation = ? AND target = ?"
# A link both documents had keeps the kept one's row; what only the duplicate's row says fills it.
FOLD_LINK = (
    "UPDATE links SET evidence = coalesce(links.evidence, d.evidence), "
    "source_text_id = coalesce(links.source_text_id, d.source_text_id), "
    "span_start = coalesce(links.span_start, d.span_start), span_end = coalesce(links.span_end, d.span_end) "
    "FROM (SELECT * FROM links WHERE source = ? AND relation = ? AND target = ?) AS d "
    "WHERE links.source = ? AND links.relation = ? AND links.target = ?"
)
MOVE_OBLIGATIONS = "UPDATE obligations SET document = ? WHERE document = ?"
MOVE_TEXTS = "UPDATE source_texts SET document_key = ? WHERE document_key = ?"
UNREDIRECT = "DELETE FROM key_redirects WHERE old_key = ?"
REPOINT_REDIRECTS = "UPDATE key_redirects SET new_key = ? WHERE new_key = ?"
ADD_REDIRECT = "INSERT OR REPLACE INTO key_redirects VALUES (?, ?, ?)"
DROP_REDIRECTS_TO = "DELETE FROM key_redirects WHERE new_key = ?"
REDIRECT_OF = "SELECT new_key FROM key_redirects WHERE old_key = ?"
CITED_BY_OTHERS = "SELECT 1 FROM links WHERE target = ? AND source <> ? LIMIT 1"
DELETE_OUTGOING = "DELETE FROM links WHERE source = ?"
DELETE_ALL_LINKS = "DELETE FROM links WHERE source = ? OR target = ?"
DELETE_OBLIGATIONS = "DELETE FROM obligations WHERE document = ?"
DELETE_DOCUMENT = "DELETE FROM documents WHERE key = ?"


class SqliteCorrections(SqliteRole):
    """Corrections of documents in the embedded store."""

    async def write_corrected(
        self, document: Document, scope: str, match_keys: Sequence[str], *, replacing: str | None = None
    ) -> None:
        def write() -> None:
            with self.db.write() as tx:
                _write_document(tx, document, scope)
                if replacing is not None and replacing != document.key:
                    _move_document(tx, replacing, document.key)
                _spell(tx, document.key, match_keys)
                after_document_write(tx, [document.key, *([replacing] if replacing else [])])

        await self.db.run(write)

    async def remove_document(self, key: str, stub: Document, stub_match_keys: Sequence[str]) -> bool:
        def remove() -> bool:
            with self.db.write() as tx:
                changed = changed_by(tx, [key])
                cited = tx.execute(CITED_BY_OTHERS, (key, key)).fetchone() is not None
                tx.execute(DELETE_OUTGOING if cited else DELETE_ALL_LINKS, (key,) if cited else (key, key))
                tx.execute(DELETE_OBLIGATIONS, (key,))
                tx.execute(MOVE_TEXTS, (None, key))
                if cited:
                    scope = tx.execute("SELECT scope FROM documents WHERE key = ?", (key,)).fetchone()[0]
                    _write_document(tx, stub, scope)
                    _spell(tx, key, stub_match_keys)
                else:
                    tx.execute(DROP_REDIRECTS_TO, (key,))
                    tx.execute(CLEAR_SPELLINGS, (key,))
                    tx.execute(DELETE_DOCUMENT, (key,))
                recompute(tx, [key, *changed])
            return cited

        return await self.db.run(remove)

    async def redirect_target(self, key: str) -> str | None:
        return await self.db.run(lambda: _redirect_target(self.db.connection(), key))

    async def links_from_text(self, text_id: str) -> list[Link]:
        # Reads the flat provenance field; a provenance list per link would be read here instead.
        return await self.db.run(lambda: links_where(self.db.connection(), "l.source_text_id = ?", (text_id,)))


def _write_document(conn: sqlite3.Connection, document: Document, scope: str) -> None:
    """Insert the document, or replace the fields of the stored one with its key (in place: no cascade)."""
    values = (*document_values(document), scope, document.status_source.value)
    if document_exists(conn, document.key):
        conn.execute(UPDATE_DOCUMENT, (*values, document.key))
    else:
        conn.execute(INSERT_DOCUMENT, values)


def _spell(conn: sqlite3.Connection, key: str, match_keys: Sequence[str]) -> None:
    conn.execute(CLEAR_SPELLINGS, (key,))
    conn.executemany(ADD_SPELLING, [(mk, key) for mk in match_keys])


def _move_document(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Move everything hanging on ``old`` to the stored document ``new``, remove ``old`` and redirect it."""
    _move_links(conn, old, new)
    conn.execute(MOVE_OBLIGATIONS, (new, old))
    conn.execute(MOVE_TEXTS, (new, old))
    conn.execute(UNREDIRECT, (new,))
    conn.execute(REPOINT_REDIRECTS, (new, old))
    conn.execute(ADD_REDIRECT, (old, new, timestamp()))
    conn.execute(CLEAR_SPELLINGS, (old,))
    conn.execute(DELETE_DOCUMENT, (old,))


def _move_links(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Links of ``old`` become links of ``new``; those joining the two go, one ``new`` already has is folded in."""
    conn.execute(DROP_JOINING_LINKS, (old, new, new, old))
    for source, relation, target in conn.execute(LINK_ENDS_OF, (old, old)).fetchall():
        moved = (new if source == old else source, relation, new if target == old else target)
        if conn.execute(LINK_HELD, moved).fetchone() is not None:
            conn.execute(FOLD_LINK, (source, relation, target, *moved))
            conn.execute(DELETE_LINK, (source, relation, target))
        else:
            conn.execute(MOVE_LINK, (moved[0], moved[2], source, relation, target))


def _redirect_target(conn: sqlite3.Connection, key: str) -> str | None:
    """Follow redirects from ``key`` to a stored document; None for a live key, an unknown one, or a loop."""
    seen, current = {key}, key
    while not document_exists(conn, current):
        row = conn.execute(REDIRECT_OF, (current,)).fetchone()
        if row is None or row[0] in seen:
            return None
        current = row[0]
        seen.add(current)
    return current if current != key else None

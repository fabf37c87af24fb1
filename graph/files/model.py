"""What reading a file yields, and the one error a file that cannot be read raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graph.errors import InvalidInputError

FileFormat = Literal["pdf", "docx", "html", "text"]


class UnreadableFileError(InvalidInputError):
    """The bytes are not a document lexgraph can turn into text; ``reason`` says why, for the user."""

    def __init__(self, reason: str, filename: str | None = None) -> None:
        where = f"{filename}: " if filename else ""
        super().__init__(f"{where}{reason}")
        self.reason = reason
        self.filename = filename


@dataclass(frozen=True, slots=True)
class FileText:
    """The clean NFC text of one file, as the extractor gets it, with what was learnt on the way."""

    text: str
    format: FileFormat
    sha256: str
    encoding: str | None = None
    title: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

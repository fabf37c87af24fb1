"""Versioned schema files ``V0001__<name>.<ext>``, applied in order and recorded so each runs once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import MigrationError

MIGRATION_FILE = re.compile(r"^V(?P<version>\d{4})__(?P<name>[a-z0-9_]+)\.(?P<ext>cypher|sql)$")
DEFAULT_MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    text: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()

    @property
    def label(self) -> str:
        return f"V{self.version:04d}__{self.name}"

    def statements(self) -> list[str]:
        """The statements of the file, split on ``;`` at line ends; ``//`` and ``--`` comment lines dropped."""
        lines = [ln for ln in self.text.splitlines() if not ln.lstrip().startswith(("//", "--"))]
        return [s.strip() for s in re.split(r";\s*$", "\n".join(lines), flags=re.MULTILINE) if s.strip()]


def discover(directory: Path, ext: str) -> list[Migration]:
    """The migrations for one store kind (``cypher`` or ``sql``), in version order."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob(f"V*.{ext}")):
        m = MIGRATION_FILE.match(path.name)
        if not m:
            raise MigrationError(f"migration file name not of the form V0001__name.{ext}: {path.name}")
        version = int(m["version"])
        if version in found:
            raise MigrationError(f"two migrations with version {version}: {found[version].label} and {path.name}")
        found[version] = Migration(version, m["name"], path.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def pending(migrations: list[Migration], applied: dict[int, str]) -> list[Migration]:
    """Migrations not yet applied; an applied one whose file changed since is an error."""
    for migration in migrations:
        checksum = applied.get(migration.version)
        if checksum is not None and checksum != migration.checksum:
            raise MigrationError(f"{migration.label} changed after it was applied; add a new migration instead")
    return [m for m in migrations if m.version not in applied]

"""Files into the graph on both stores: a folder of real formats, each file its own own document and links,
page chrome unlinked, unreadable files failed, and a second run all duplicates with nothing changed."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import httpx
import orjson
import pytest

from graph.models import LinkDirection, Relation
from graph.ports import GraphStore
from graph.usecases.file_ingest import files_under, ingest_file
from tests.conftest import WRITE_HEADERS
from tests.files.make_fixtures import (
    BODY,
    HEADER,
    SIDEBAR_SYMBOLS,
    SUBTITLE,
    TITLE,
    Header,
    cp1258_bytes,
    docx_bytes,
    html_bytes,
    pdf_bytes,
    scanned_pdf_bytes,
)

pytestmark = pytest.mark.api

ROOT = Path(__file__).resolve().parent.parent


def _header(number: int, day: int) -> Header:
    return Header(
        left=(*HEADER.left[:-1], f"Số {number}-KH/TU"),
        right=(HEADER.right[0], f"Nghệ An, ngày {day} tháng 3 năm 2024"),
    )


def _text(number: int, day: int) -> str:
    header = _header(number, day)
    return "\n".join([*header.left, *header.right, TITLE, SUBTITLE, *BODY])


# name → (bytes, the own document's key and day, or None when the file must fail)
FOLDER: dict[str, tuple[bytes, tuple[str, dt.date] | None]] = {
    "plan-two-columns.pdf": (pdf_bytes(_header(45, 12)), ("45-kh-tu-2024.nghe-an", dt.date(2024, 3, 12))),
    "scan.pdf": (scanned_pdf_bytes(), None),
    "plan-header-table.docx": (docx_bytes(_header(46, 13)), ("46-kh-tu-2024.nghe-an", dt.date(2024, 3, 13))),
    "portal-page.html": (html_bytes(_header(47, 14)), ("47-kh-tu-2024.nghe-an", dt.date(2024, 3, 14))),
    "plan-cp1258.txt": (cp1258_bytes(_text(48, 15)), ("48-kh-tu-2024.nghe-an", dt.date(2024, 3, 15))),
    "broken.pdf": (b"%PDF-1.7\n1 0 obj <<" + bytes(range(256)), None),
}


def _write_folder(path: Path) -> Path:
    for name, (data, _) in FOLDER.items():
        (path / name).write_bytes(data)
    return path


@pytest.mark.skipif(not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists(), reason="fonts-dejavu-core")
async def test_a_folder_ingests_file_by_file_and_twice_changes_nothing(seeded: GraphStore, tmp_path: Path) -> None:
    folder = _write_folder(_mkdir(tmp_path / "folder"))
    outcomes = {Path(o.path).name: o for o in [await _ingest(seeded, p) for p in files_under([folder])]}
    for name, (_, expected) in FOLDER.items():
        outcome = outcomes[name]
        if expected is None:
            assert outcome.status == "failed" and outcome.error and outcome.document is None, name
            continue
        key, day = expected
        assert (outcome.status, outcome.document) == ("ok", key), (name, outcome)
        document = await seeded.get_document(key)
        assert (document.date, document.issuer, document.stub) == (day, "nghe-an.tinh-uy", False)
        out = {(link.relation, link.target) for link in await seeded.links(key, LinkDirection.out, list(Relation))}
        assert (Relation.replaces, "12-kh-tu.nghe-an") in out
        assert any(relation == Relation.implements and target.startswith("18-nq-tw") for relation, target in out)
        chrome = {s.removeprefix("Số ").split("-")[0] for s in SIDEBAR_SYMBOLS}
        assert not any(target.split("-")[0] in chrome for _, target in out), out
    counts = await seeded.counts()
    again = [await _ingest(seeded, p) for p in files_under([folder])]
    assert {o.status for o in again if FOLDER[Path(o.path).name][1]} == {"duplicate"}
    assert await seeded.counts() == counts


async def _ingest(store: GraphStore, path: Path):  # type: ignore[no-untyped-def]
    return await ingest_file(store, path.read_bytes(), str(path), "nghe-an")


async def test_an_uploaded_file_is_ingested_and_a_broken_one_is_422(client: httpx.AsyncClient) -> None:
    upload = {"file": ("plan.docx", FOLDER["plan-header-table.docx"][0])}
    response = await client.post("/ingest/file", files=upload, data={"jurisdiction": "nghe-an"}, headers=WRITE_HEADERS)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "ok" and response.json()["document"] == "46-kh-tu-2024.nghe-an"
    assert response.headers["location"] == "/documents/46-kh-tu-2024.nghe-an"
    again = await client.post("/ingest/file", files=upload, data={"jurisdiction": "nghe-an"}, headers=WRITE_HEADERS)
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    broken = await client.post(
        "/ingest/file", files={"file": ("x.pdf", FOLDER["broken.pdf"][0])}, headers=WRITE_HEADERS
    )
    assert broken.status_code == 422 and "corrupt PDF" in broken.json()["detail"]
    assert (await client.post("/ingest/file", files=upload)).status_code == 401


def test_the_command_prints_one_json_object_and_fails_when_a_file_failed(tmp_path: Path) -> None:
    folder = _write_folder(_mkdir(tmp_path / "in"))
    env = os.environ | {"LEXGRAPH_SQLITE_PATH": str(tmp_path / "cli.db"), "LEXGRAPH_LOAD_UNITS": "false"}
    lexgraph = str(Path(sys.executable).parent / "lexgraph")
    command = [lexgraph, "ingest", str(folder), "--jurisdiction", "nghe-an", "--json"]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = orjson.loads(done.stdout)
    assert done.returncode == 1 and (report["ok"], report["duplicate"], report["failed"]) == (4, 0, 2)
    assert {f["path"].rsplit("/", 1)[-1] for f in report["files"] if f["status"] == "failed"} == {
        "scan.pdf",
        "broken.pdf",
    }
    assert set(report["files"][0]) == {"path", "status", "error", "document", "links_added", "text_id"}


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path

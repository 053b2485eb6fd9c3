"""Every case of the bad-input corpus (tests/corpus.py) through the real `boardshift run`:
exit status, message, what loaded, the quarantine and findings, loaded + quarantined = read,
and a failing run leaves the previous database and exports exactly as they were."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests import corpus


def run(raw: Path, db: Path, exports: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw),
                           "--db", str(db), "--exports", str(exports)],
                          capture_output=True, text=True, timeout=600)


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A successful run of the clean base folder: what every case starts from."""
    root = tmp_path_factory.mktemp("base")
    corpus.write_base(root / "raw")
    proc = run(root / "raw", root / "w.duckdb", root / "exports")
    assert proc.returncode == 0, proc.stderr
    assert rows(root / "w.duckdb", "select count(*) from raw.quarantine") == [(0,)]
    assert rows(root / "w.duckdb", "select count(*) from raw.findings") == [(0,)]
    return root


def hashes(root: Path) -> dict[str, str]:
    files = [root / "w.duckdb", *sorted((root / "exports").iterdir())]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


@pytest.mark.parametrize("case", corpus.CASES, ids=[c.name for c in corpus.CASES])
def test_case(case: corpus.Case, previous: Path, tmp_path: Path) -> None:
    shutil.copy(previous / "w.duckdb", tmp_path / "w.duckdb")
    shutil.copytree(previous / "exports", tmp_path / "exports")
    before = hashes(tmp_path)
    case.build(tmp_path / "raw")
    proc = run(tmp_path / "raw", tmp_path / "w.duckdb", tmp_path / "exports")
    message = " ".join(proc.stderr.split())
    assert proc.returncode == case.exit_code, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in case.message:
        assert fragment in message
    if case.exit_code:
        assert hashes(tmp_path) == before  # nothing half-written
        assert not (tmp_path / "w.duckdb.next").exists()
        return
    db = tmp_path / "w.duckdb"
    quarantine = {(f, r): code for f, r, code in rows(
        db, "select source_file, source_row, reason_code from raw.quarantine")}
    assert quarantine == case.quarantine
    findings = set(rows(db, "select source_file, source_row, finding_code from raw.findings"))
    assert findings == set(case.findings)
    report = rows(db, "select source_file, rows_read, rows_loaded, rows_quarantined, encoding, "
                      "ignored_columns from raw.load_report")
    for file, read, loaded, quarantined, _, _ in report:
        assert loaded + quarantined == read, file
    for file, encoding in case.encodings.items():
        assert [r[4] for r in report if r[0] == file] == [encoding]
    for file, columns in case.ignored_columns.items():
        assert [r[5] for r in report if r[0] == file] == [columns]
    if case.name in ("merged_title_rows", "full_width_headers", "extra_columns",
                     "mixed_encodings", "header_only"):
        # the clean base's 12 members, all loaded, none lost
        assert rows(db, "select count(*) from raw.board_members") == [(12,)]
    assert rows(db, "select count(*) from one_down_one_up") == [(2,)]


def test_values_case_reads_every_date_form(tmp_path: Path) -> None:
    """What the values case loaded, row by row (worked out by hand from corpus.VALUE_ROWS)."""
    corpus.values(tmp_path / "raw")
    proc = run(tmp_path / "raw", tmp_path / "w.duckdb", tmp_path / "exports")
    assert proc.returncode == 0, proc.stderr
    got = dict(rows(tmp_path / "w.duckdb", "select source_row, birth_date from raw.board_members "
                                           "where body = 'residents'"))
    day, month = dt.date(1975, 3, 12), dt.date(1975, 3, 1)
    assert [got[r] for r in range(14, 22)] == [day, day, day, month, month, month, day, day]
    assert [got[r] for r in range(22, 27)] == [None] * 5  # nonsense, future, ages 11 and 121
    assert got[27] == day  # the 15-digit ID, upgraded
    assert got[28] == day  # lower-case x with spaces
    assert got[35] is None  # 19753: March 1975, or Excel's day 19753 (1954-01-29)?
    levels = dict(rows(tmp_path / "w.duckdb", "select source_row, education_level "
                                              "from raw.board_members where body = 'residents'"))
    assert levels[31] is None and levels[34] == 4
    codes = dict(rows(tmp_path / "w.duckdb", "select source_row, district_code "
                                             "from raw.board_members where body = 'residents'"))
    assert codes[33] == "0002"
    (seats, voters, ballots), = rows(tmp_path / "w.duckdb", "select seats, registered_voters, "
                                     "ballots_cast from raw.elections where body = 'residents'")
    assert (seats, voters, ballots) == (None, 1234, None)


def test_readme_table_is_generated_from_the_corpus() -> None:
    readme = (corpus.ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(corpus.README_START) + len(corpus.README_START)
    assert readme[start:readme.index(corpus.README_END)].strip() == corpus.readme_table()

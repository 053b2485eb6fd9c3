"""Shared by the dashboard tests: a small database built by the real pipeline (a `boardshift run`
subprocess) from the hand-checked fixture of test_pipeline.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def build_database(raw: Path, db: Path, exports: Path,
                   as_of: str | None = None) -> subprocess.CompletedProcess[str]:
    """`boardshift run` on `raw` into `db` (as of `as_of`, YYYY-MM-DD, else today), as a
    subprocess (the pipeline's own CLI)."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw), "--db", str(db),
         "--exports", str(exports), "-q", *(["--as-of", as_of] if as_of else [])],
        capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-checked fixture (party 2021 in 测试街道: 2 districts, 1 一降一升, pooled mean age
    262/6 = 43.67, −2.73 years, college 80.0 %, +20.0 个百分点; residents only in 2021)."""
    from tests.test_pipeline import write_fixture

    root = tmp_path_factory.mktemp("dashboard")
    write_fixture(root / "raw")
    db = root / "data" / "fixture.duckdb"
    proc = build_database(root / "raw", db, root / "exports")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db

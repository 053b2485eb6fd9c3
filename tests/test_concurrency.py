"""Safe concurrent use: readers during a rebuild, a pipeline killed mid-run, two runs at once."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import sql
from tests import corpus

ROLLUP = "select members_new from one_down_one_up_rollup where body = 'party'"


def start_run(raw: Path, db: Path, exports: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw), "--db", str(db),
         "--exports", str(exports), "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=600)
    return proc.returncode, err


def dbt_running(pid: int, build: Path) -> bool:
    """True while the pipeline's dbt child process has the build file open: building.

    (The dbt process starts before the load, to import dbt and parse, and opens the file only
    when the load is done and it is told to build.)"""
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:  # a thread of the pipeline can end between the listing and the read
            children = task.read_text().split()
        except FileNotFoundError:
            continue
        for child in children:
            try:
                if b"pipelines.dbt_worker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                    continue
                for fd in Path(f"/proc/{child}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        if Path(os.readlink(fd)) == build:
                            return True
            except FileNotFoundError:
                continue
    return False


def digest(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                             "where table_type = 'BASE TABLE'").fetchall()
        return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for (t,) in tables}
    finally:
        con.close()


def with_extra_board_member(raw: Path) -> None:
    """The base folder plus one more member on 0002's 2021 party board (members_new 6 → 7)."""
    extra = ["0002", "党组织", "2021", corpus.make_id("19900101", "991"), "李新", "", "", "本科",
             "中共党员", "委员"]
    corpus.write_base(raw, members=[*corpus.base_members(), extra])


def big_folder(raw: Path) -> None:
    """The base folder with 150 000 extra candidates, so that loading takes a moment."""
    corpus.write_base(raw)
    n = 150_000
    pl.DataFrame({
        "district_code": ["0001"] * n, "body": ["party"] * n, "term": ["2021"] * n,
        "name": [f"候选{i}" for i in range(n)], "votes": ["1"] * n, "elected": ["否"] * n,
    }).write_parquet(raw / "candidates_extra.parquet")


@pytest.fixture
def published(tmp_path: Path) -> Path:
    corpus.write_base(tmp_path / "raw")
    code, err = finish(start_run(tmp_path / "raw", tmp_path / "w.duckdb", tmp_path / "exports"))
    assert code == 0, err
    return tmp_path / "w.duckdb"


def test_readers_keep_working_during_a_rebuild(published: Path, tmp_path: Path) -> None:
    seen: dict[str, set[int]] = {"duckdb": set(), "sql": set()}
    errors: list[BaseException] = []
    stop = threading.Event()

    def plain_reader() -> None:  # an analyst's own short read-only connections
        while not stop.is_set():
            try:
                con = duckdb.connect(str(published), read_only=True)
                try:
                    seen["duckdb"].add(con.execute(ROLLUP).fetchone()[0])
                finally:
                    con.close()
            except BaseException as exc:  # any error at all fails the test
                errors.append(exc)

    def console_reader() -> None:  # the SQL console's sandboxed reads
        while not stop.is_set():
            try:
                frame, _ = sql.query(published, ROLLUP)
                seen["sql"].add(frame.item())
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=plain_reader), threading.Thread(target=console_reader),
               threading.Thread(target=console_reader)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        raw = tmp_path / "raw2"
        with_extra_board_member(raw)
        code, err = finish(start_run(raw, published, tmp_path / "exports"))
        assert code == 0, err
        time.sleep(1.0)  # readers go on against the new file
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors[:3]
    # before the swap they saw 6 members, after it 7 — and never a half-built table
    assert seen["duckdb"] == {6, 7} and seen["sql"] == {6, 7}


@pytest.mark.parametrize("moment", ["load", "dbt build"])
def test_killed_mid_run_leaves_the_previous_database(published: Path, tmp_path: Path,
                                                     moment: str) -> None:
    before = digest(published)
    raw = tmp_path / "raw_big"
    big_folder(raw)
    proc = start_run(raw, published, tmp_path / "exports")
    build = published.with_name(published.name + ".next")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        if moment == "load" and build.exists() and not dbt_running(proc.pid, build):
            break
        if moment == "dbt build" and dbt_running(proc.pid, build):
            time.sleep(1.5)  # well inside the build
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be killed"
    killed_during_dbt = dbt_running(proc.pid, build)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert killed_during_dbt == (moment == "dbt build")
    # the published database still opens and holds the previous complete data
    assert digest(published) == before
    # and the next run succeeds (the left-over build file is cleared)
    code, err = finish(start_run(raw, published, tmp_path / "exports"))
    assert code == 0, err
    assert digest(published) != before


def test_two_runs_at_once_the_second_refuses(published: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw_big"
    big_folder(raw)
    first = start_run(raw, published, tmp_path / "exports")
    build = published.with_name(published.name + ".next")
    deadline = time.monotonic() + 120
    while not build.exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    code, err = finish(start_run(tmp_path / "raw", published, tmp_path / "exports"))
    assert code == 1
    assert "另一个 boardshift 正在更新" in " ".join(err.split())
    code, err = finish(first)
    assert code == 0, err
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute("select count(*) from raw.candidates").fetchone()[0] == 150_016
    finally:
        con.close()

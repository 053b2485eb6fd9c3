"""The dashboard keeps serving while `boardshift run` rebuilds its database, and shows the new
data afterwards without a restart: readers in threads query the data module in a loop while a
real `boardshift run` subprocess rebuilds the same database file from changed raw data."""

from __future__ import annotations

import csv
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from dashboard import data
from pipelines import warehouse
from tests.conftest import build_database
from tests.test_pipeline import MEMBER_HEAD_ZH, write_fixture

PARTY_2021 = data.Filters(term=2021, body="party")


def add_member(raw: Path) -> None:
    """One more member of 乙居民区's 2021 Party committee: the pooled board grows from 6 to 7."""
    with (raw / "班子成员_补充.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([MEMBER_HEAD_ZH, ["0002", "党委", "2021", "", "冯十", "女",
                                                   "1995-01-01", "本科", "中共党员", "委员"]])


def pooled_members() -> int:
    return data.rollup(PARTY_2021)["members_new"][0]  # cached on the file's inode and mtime


def uncached_members(db: Path) -> int:
    return data.read(str(db), "select count(*) as n from board_members where term = 2021 "
                              "and body = 'party'")["n"][0]


def loop(work: Callable[[], int], pause: float, seen: set[int], errors: list[BaseException],
         stop: threading.Event) -> None:
    while not stop.wait(pause):  # leave CPU for the rebuild
        try:
            seen.add(work())
        except BaseException as exc:  # noqa: BLE001 - every failure is the test's finding
            errors.append(exc)


def test_rebuild_while_serving(fixture_db: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    raw, db = tmp_path / "raw", tmp_path / "data" / "w.duckdb"
    write_fixture(raw)
    db.parent.mkdir()
    shutil.copyfile(fixture_db, db)  # what `boardshift run` built from this raw folder
    monkeypatch.setenv(data.DB_ENV, str(db))
    assert pooled_members() == 6 and uncached_members(db) == 6
    before = data.version()

    add_member(raw)
    seen: set[int] = set()
    errors: list[BaseException] = []
    stop = threading.Event()
    work: list[tuple[Callable[[], int], float]] = [  # opening the file costs ~20 ms of CPU
        (pooled_members, 0.005), (lambda: uncached_members(db), 0.01),
        (lambda: data.district_shifts(PARTY_2021).height, 0.005),
        (lambda: len(data.workbook_bytes()), 0.005),
    ]
    threads = [threading.Thread(target=loop, args=(w, pause, seen, errors, stop))
               for w, pause in work]
    for thread in threads:
        thread.start()
    try:
        rebuild = build_database(raw, db, tmp_path / "exports")
        time.sleep(0.5)  # keep reading the new file for a moment
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert rebuild.returncode == 0, rebuild.stdout + rebuild.stderr
    assert not errors, errors[:3]
    assert data.version() != before  # a new file was swapped in
    assert {6, 7} <= seen  # the readers saw the old numbers, then the new ones
    for _ in range(20):  # and every later read sees the new numbers
        assert pooled_members() == 7 and uncached_members(db) == 7


def publish_value(db: Path, value: int) -> None:
    """Publish a one-table database the way the pipeline does (build file, CHECKPOINT, swap)."""
    build = warehouse.fresh_build_file(db)
    con = duckdb.connect(str(build))
    con.execute("create table t as select ?::int as v", [value])
    con.close()
    warehouse.publish(build, db)


def test_a_read_after_a_swap_never_sees_the_old_file(tmp_path: Path) -> None:
    """Within one process DuckDB gives a new connection the instance of a connection still open
    to the same path: a read made while another thread is mid-query on the old file must still
    get the new file (the data module's lock), or the cache would keep old numbers under the new
    file's key."""
    db = tmp_path / "t.duckdb"
    publish_value(db, 1)
    slow = threading.Thread(target=data.read, args=(
        str(db), "select sum(i * 2) + max(v) as s from range(600000000) r(i), t"))
    slow.start()
    time.sleep(0.3)  # the slow query now holds a connection to the old file
    publish_value(db, 2)
    assert data.read(str(db), "select v from t")["v"][0] == 2
    slow.join()

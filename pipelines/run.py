"""The steps of a run, each usable alone: ingest → build (dbt) → publish → export.

A step works on a build file beside the published database and swaps it in only when it has
succeeded, so a failed run leaves the previous database (and exports) exactly as they were.

The readers and exports (polars, ≈ 0.5 s to import) are imported by the steps that use them:
`run_all` starts dbt's process first, and dbt's import and parse are what a small run waits on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines import dbt_runner, defaults, warehouse
from pipelines.progress import Progress

if TYPE_CHECKING:
    import polars as pl

    from pipelines import ingest

ROOT = defaults.ROOT
DEFAULT_RAW = defaults.DEFAULT_RAW
DEFAULT_DB = defaults.DEFAULT_DB
DEFAULT_EXPORTS = defaults.DEFAULT_EXPORTS


@dataclass
class Outcome:
    ingest: ingest.IngestResult | None = None
    dbt: dbt_runner.DbtResult | None = None
    exported: list[Path] | None = None


def _dbt_work_dir(db: Path) -> Path:
    return db.parent / ".dbt"


def _ingest_into(raw_dir: Path, build: Path, progress: Progress,
                 today: dt.date | None) -> ingest.IngestResult:
    from pipelines import ingest

    with progress.task("读取并校验文件 (read + validate)") as step:
        return ingest.ingest(raw_dir, build, today, on_file=step.note)


def _start_dbt(build: Path, db: Path, as_of: dt.date | None = None) -> dbt_runner.Started:
    """Start dbt build's process (import + parse) before the build file is loaded.

    `as_of` is the day the progress marts are reported on (default: today). The dbt work dir
    (target/ with dbt's partial-parse state, logs/) sits beside the published database and is
    kept between runs; the build file's path is always the same, so dbt re-parses only what
    changed. Unit tests are left out (the test suite runs them).
    """
    return dbt_runner.start_build(build, _dbt_work_dir(db), as_of=as_of or dt.date.today())


def _dbt_into(started: dbt_runner.Started, progress: Progress) -> dbt_runner.DbtResult:
    with progress.task("dbt build（模型与测试）", total=None) as step:
        return started.run(on_progress=step.advance_to)


def run_ingest(raw_dir: Path, db: Path, progress: Progress,
               today: dt.date | None = None) -> ingest.IngestResult:
    """Load the raw folder into a fresh database and publish it (marts are rebuilt by `build`)."""
    with warehouse.writer_lock(db):
        build = warehouse.fresh_build_file(db)
        try:
            result = _ingest_into(raw_dir, build, progress, today)
            warehouse.publish(build, db)
            return result
        finally:
            warehouse.discard(build)


def run_build(db: Path, progress: Progress, as_of: dt.date | None = None) -> dbt_runner.DbtResult:
    """Rebuild the dbt models of the published database and publish the result."""
    with warehouse.writer_lock(db):
        build = warehouse.copy_for_build(db)
        try:
            with _start_dbt(build, db, as_of) as started:
                result = _dbt_into(started, progress)
            warehouse.publish(build, db)
            return result
        finally:
            warehouse.discard(build)


def run_export(db: Path, out_dir: Path, progress: Progress, suppress_below: int = 0,
               xlsx_max_rows: int = defaults.XLSX_MAX_ROWS) -> list[Path]:
    from pipelines import exports

    with progress.task("导出汇总表 (export)"):
        return exports.export(db, out_dir, suppress_below, xlsx_max_rows)


def run_all(raw_dir: Path, db: Path, out_dir: Path, progress: Progress,
            today: dt.date | None = None, suppress_below: int = 0,
            xlsx_max_rows: int = defaults.XLSX_MAX_ROWS) -> Outcome:
    """Everything: ingest and dbt build into one build file, publish it, then export.

    `today` is the day the run is as of: future-date checks and the progress marts use it.
    """
    with warehouse.writer_lock(db):
        build = warehouse.fresh_build_file(db)
        try:
            # dbt imports and parses (≈ 3 s) while the raw files load
            with _start_dbt(build, db, today) as started:
                loaded = _ingest_into(raw_dir, build, progress, today)
                built = _dbt_into(started, progress)
            warehouse.publish(build, db)
        finally:
            warehouse.discard(build)
        exported = run_export(db, out_dir, progress, suppress_below, xlsx_max_rows)
    return Outcome(loaded, built, exported)


def headline(db: Path) -> pl.DataFrame:
    """The rollup rows of the latest term per subdistrict and body: the leadership's first answer."""
    con = warehouse.connect_read_only(db)
    try:
        return con.sql(
            """
            select * from one_down_one_up_rollup
            qualify term = max(term) over (partition by subdistrict, body)
            order by subdistrict, body
            """
        ).pl()
    finally:
        con.close()

"""Ingest: read every raw file, validate each table, account for every row, load into a build file.

The small tables (districts, elections, milestones) are validated whole. The person tables
(board members, candidates) stream: one file at a time, in batches of at most `BATCH_ROWS`
rows (a Parquet file is also read a batch at a time), each batch written to the database
before the next is read — memory follows one batch (or one CSV/Excel file), not the folder. Checks that need whole tables run in DuckDB afterwards
(`crosscheck`).
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines import contract, crosscheck, load, privacy, readers, validate, warehouse
from pipelines.errors import BoardshiftError

SOURCE = ["source_file", "source_sheet"]
BATCH_ROWS = 1_000_000  # person rows validated at a time


@dataclass
class IngestResult:
    report: pl.DataFrame
    quarantine: pl.DataFrame
    findings: pl.DataFrame
    skipped: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return int(self.report["rows_read"].sum())


@dataclass
class _Accounts:
    """What every file gave: its report row, and the quarantined rows and findings of all files."""

    reports: list[pl.DataFrame] = field(default_factory=list)
    quarantine: list[pl.DataFrame] = field(default_factory=list)
    findings: list[pl.DataFrame] = field(default_factory=list)

    def result(self, cross_table: pl.DataFrame, skipped: list[str]) -> IngestResult:
        report = pl.concat(self.reports) if self.reports else pl.DataFrame()
        result = IngestResult(report, pl.concat(self.quarantine),
                              pl.concat([*self.findings, cross_table]), skipped)
        _check_accounting(result)
        return result


def _sources(raw_dir: Path) -> tuple[dict[str, list[readers.Source]], list[str]]:
    sources, skipped = readers.discover(raw_dir)
    by_table: dict[str, list[readers.Source]] = {name: [] for name in contract.TABLE_ORDER}
    for source in sources:
        by_table[source.table].append(source)
    missing = [contract.TABLES[t] for t in contract.REQUIRED_TABLES if not by_table[t]]
    if missing:
        names = "、".join(f"{t.label_zh}({t.name})" for t in missing)
        raise BoardshiftError(f"{raw_dir} 中没有 {names} 的文件；文件名应以表名开头，如 居民区.xlsx、elections.csv")
    return by_table, skipped


def _empty(table: str) -> pl.DataFrame:
    spec = contract.TABLES[table]
    return pl.DataFrame(schema={**{c: pl.String for c in spec.column_names},
                                "source_file": pl.String, "source_sheet": pl.String,
                                "source_row": pl.Int32, "extra_cells": pl.String,
                                "cell_separator": pl.String,
                                **dict.fromkeys(readers.NUMBER_CELLS.values(), pl.Boolean)})


def _validated(raw_dir: Path, today: dt.date | None, on_file: Callable[[str], None] | None,
               by_table: dict[str, list[readers.Source]], accounts: _Accounts
               ) -> Iterator[validate.Validated]:
    """Every table validated, in contract order, as batches of loaded rows.

    Quarantined rows, findings and each file's report row are added to `accounts`.
    """
    context: dict[str, pl.DataFrame] = {}  # districts and elections, which place the rest

    def check(table: str, frame: pl.DataFrame,
              seen: validate.SeenPersons | None = None) -> validate.Validated:
        result = validate.validate(table, frame, context.get("districts"),
                                   context.get("elections"), today, seen)
        accounts.quarantine.append(result.quarantine)
        accounts.findings.append(result.findings)
        return result

    def note(source: readers.Source) -> None:
        if on_file:
            on_file(source.path.relative_to(raw_dir).as_posix()
                    + (f" [{source.sheet}]" if source.sheet else ""))

    def read(source: readers.Source) -> readers.RawFile:
        note(source)
        return readers.read(source, raw_dir)

    for table in contract.TABLE_ORDER:
        sources = by_table[table]
        if table in validate.PERSON_TABLES and sources:
            seen = validate.SeenPersons()
            for source in sources:
                note(source)
                rows = loaded = quarantined = 0
                for part in readers.read_parts(source, raw_dir, BATCH_ROWS):
                    result = check(table, part.frame, seen)
                    rows += part.frame.height
                    loaded += result.loaded.height
                    quarantined += result.quarantine.height
                    yield result
                accounts.reports.append(_file_report(part, rows, loaded, quarantined))
            continue
        files = [read(source) for source in sources]
        combined = pl.concat([f.frame for f in files], how="vertical") if files else _empty(table)
        result = check(table, combined)
        context[table] = result.loaded
        accounts.reports.extend(_file_report(f, f.frame.height, *_counts(f, result))
                                for f in files)
        yield result


def _counts(raw: readers.RawFile, result: validate.Validated) -> tuple[int, int]:
    def count(frame: pl.DataFrame) -> int:
        return frame.filter(
            (pl.col("source_file") == raw.file) & pl.col("source_sheet").eq_missing(raw.sheet)
        ).height

    return count(result.loaded), count(result.quarantine)


def _file_report(raw: readers.RawFile, rows: int, loaded: int, quarantined: int) -> pl.DataFrame:
    return pl.DataFrame({
        "table_name": [raw.table], "source_file": [raw.file], "source_sheet": [raw.sheet],
        "file_format": [raw.file_format], "encoding": [raw.encoding],
        "rows_read": [rows], "rows_loaded": [loaded],
        "rows_quarantined": [quarantined],
        "ignored_columns": ["、".join(raw.ignored_columns) or None],
    }, schema={"table_name": pl.String, "source_file": pl.String, "source_sheet": pl.String,
               "file_format": pl.String, "encoding": pl.String, "rows_read": pl.Int32,
               "rows_loaded": pl.Int32, "rows_quarantined": pl.Int32, "ignored_columns": pl.String})


def _check_accounting(result: IngestResult) -> None:
    """loaded + quarantined = read for every file, or the run stops: nothing is silently lost."""
    if result.report.height == 0:
        return
    off = result.report.filter(pl.col("rows_loaded") + pl.col("rows_quarantined") != pl.col("rows_read"))
    if off.height:
        rows = "; ".join(f"{r['source_file']}: read {r['rows_read']}, loaded {r['rows_loaded']}, "
                         f"quarantined {r['rows_quarantined']}" for r in off.iter_rows(named=True))
        raise BoardshiftError(f"内部错误：行数对不上（{rows}）")


def read_and_validate(raw_dir: Path, today: dt.date | None = None,
                      on_file: Callable[[str], None] | None = None
                      ) -> tuple[dict[str, pl.DataFrame], IngestResult]:
    """Every table validated and held in memory (ID numbers in clear), with the accounting.

    For tests and small folders; `ingest` streams the same batches into the database instead.
    """
    by_table, skipped = _sources(raw_dir)
    accounts = _Accounts()
    batches: dict[str, list[pl.DataFrame]] = {name: [] for name in contract.TABLE_ORDER}
    for result in _validated(raw_dir, today, on_file, by_table, accounts):
        batches[result.table].append(result.loaded)
    frames = {name: pl.concat(parts) for name, parts in batches.items()}
    return frames, accounts.result(crosscheck.findings_in_memory(frames), skipped)


class _Loader:
    """Pseudonymises and inserts each batch on a second thread while the next one is validated.

    polars and DuckDB both release the GIL, and the machines have two cores: at a whole
    country's size this hides most of the loading behind validation. One batch is loaded at a
    time, in order, and `put` waits until the previous one is in: memory holds two batches (the
    one loading and the one validating), not more. The first error stops the loading and is
    raised in the caller's thread; the connection is the loader's alone until `close()`.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, key: bytes) -> None:
        self._con, self._key = con, key
        self._ready = threading.Semaphore(1)  # released when the loading batch is in
        self._queue: queue.SimpleQueue[tuple[str, pl.DataFrame] | None] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, name="boardshift-load", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                if self._error is None:
                    table, frame = item
                    load.insert(self._con, table, privacy.pseudonymise(frame, self._key))
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc
            finally:
                self._ready.release()

    def put(self, table: str, frame: pl.DataFrame) -> None:
        self._ready.acquire()
        if self._error is not None:
            self._ready.release()
            raise self._error
        self._queue.put((table, frame))

    def close(self) -> None:
        """Wait until every batch is in (or the loading stopped); raise its error, if any."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> _Loader:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.close()
            return
        self._error = self._error or RuntimeError("ingest stopped")  # skip what is queued
        self._queue.put(None)
        self._thread.join()


def ingest(raw_dir: Path, target: Path, today: dt.date | None = None,
           on_file: Callable[[str], None] | None = None, key: bytes | None = None) -> IngestResult:
    """Read, validate and write every raw table into the (new) DuckDB file `target`.

    ID numbers are replaced by their keyed hash here: they are never written to the database.
    """
    by_table, skipped = _sources(raw_dir)
    key = key if key is not None else privacy.load_key()
    accounts = _Accounts()
    con = warehouse.connect_build(target)
    try:
        load.create_schema(con)
        with _Loader(con, key) as loader:
            for result in _validated(raw_dir, today, on_file, by_table, accounts):
                loader.put(result.table, result.loaded)
        cross_table = crosscheck.findings(con, "raw.board_members", "raw.candidates",
                                          "raw.elections", "id_key")
        result = accounts.result(cross_table, skipped)
        load.insert(con, "quarantine", result.quarantine)
        load.insert(con, "findings", result.findings)
        load.insert(con, "load_report", result.report)
        load.finish(con, raw_dir, result.report.height)
    finally:
        con.close()
    return result

"""Ingest: read every raw file, validate each table, account for every row, load into a build file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines import contract, load, privacy, readers, validate
from pipelines.errors import BoardshiftError

SOURCE = ["source_file", "source_sheet"]


@dataclass
class IngestResult:
    report: pl.DataFrame
    quarantine: pl.DataFrame
    findings: pl.DataFrame
    skipped: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return int(self.report["rows_read"].sum())


def read_and_validate(raw_dir: Path, today: dt.date | None = None,
                      on_file: Callable[[str], None] | None = None
                      ) -> tuple[dict[str, pl.DataFrame], IngestResult]:
    """Every table validated; the frames to load (raw.*) and the accounting of every file."""
    sources, skipped = readers.discover(raw_dir)
    by_table: dict[str, list[readers.RawFile]] = {name: [] for name in contract.TABLE_ORDER}
    for source in sources:
        if on_file:
            on_file(source.path.relative_to(raw_dir).as_posix()
                    + (f" [{source.sheet}]" if source.sheet else ""))
        by_table[source.table].append(readers.read(source, raw_dir))
    missing = [contract.TABLES[t] for t in contract.REQUIRED_TABLES if not by_table[t]]
    if missing:
        names = "、".join(f"{t.label_zh}({t.name})" for t in missing)
        raise BoardshiftError(f"{raw_dir} 中没有 {names} 的文件；文件名应以表名开头，如 居民区.xlsx、elections.csv")

    frames: dict[str, pl.DataFrame] = {}
    quarantines, found, reports = [], [], []
    for table in contract.TABLE_ORDER:
        files = by_table[table]
        spec = contract.TABLES[table]
        if files:
            combined = pl.concat([f.frame for f in files], how="vertical")
        else:
            combined = pl.DataFrame(schema={**{c: pl.String for c in spec.column_names},
                                            "source_file": pl.String, "source_sheet": pl.String,
                                            "source_row": pl.Int32, "id_from_number": pl.Boolean})
        result = validate.validate(table, combined, frames.get("districts"), frames.get("elections"),
                                   today)
        frames[table] = result.loaded
        quarantines.append(result.quarantine)
        found.append(result.findings)
        reports.extend(_file_report(f, result) for f in files)
    found.append(validate.cross_table_findings(frames))
    report = pl.concat(reports) if reports else pl.DataFrame()
    result = IngestResult(report, pl.concat(quarantines), pl.concat(found), skipped)
    _check_accounting(result)
    return frames, result


def _file_report(raw: readers.RawFile, result: validate.Validated) -> pl.DataFrame:
    def count(frame: pl.DataFrame) -> int:
        return frame.filter(
            (pl.col("source_file") == raw.file) & pl.col("source_sheet").eq_missing(raw.sheet)
        ).height

    return pl.DataFrame({
        "table_name": [raw.table], "source_file": [raw.file], "source_sheet": [raw.sheet],
        "file_format": [raw.file_format], "encoding": [raw.encoding],
        "rows_read": [raw.frame.height], "rows_loaded": [count(result.loaded)],
        "rows_quarantined": [count(result.quarantine)],
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


def ingest(raw_dir: Path, target: Path, today: dt.date | None = None,
           on_file: Callable[[str], None] | None = None, key: bytes | None = None) -> IngestResult:
    """Read, validate and write every raw table into the (new) DuckDB file `target`.

    ID numbers are replaced by their keyed hash here: they are never written to the database.
    """
    frames, result = read_and_validate(raw_dir, today, on_file)
    key = key if key is not None else privacy.load_key()
    frames = {name: privacy.pseudonymise(frame, key) for name, frame in frames.items()}
    frames = {**frames, "quarantine": result.quarantine, "findings": result.findings,
              "load_report": result.report}
    load.write(target, frames, raw_dir, result.report.height)
    return result

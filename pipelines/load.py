"""Writing validated frames into the `raw` schema of a DuckDB file (always a fresh build file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

from pipelines import contract

REPORT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("table_name", "VARCHAR", "Contract table the file was read as."),
    ("source_file", "VARCHAR", "File inside the raw folder."),
    ("source_sheet", "VARCHAR", "Workbook sheet, empty for CSV and Parquet."),
    ("file_format", "VARCHAR", "csv, xlsx or parquet."),
    ("encoding", "VARCHAR", "Detected text encoding of a CSV (utf-8, utf-8-sig, gb18030)."),
    ("rows_read", "INTEGER", "Non-blank data rows read from the file."),
    ("rows_loaded", "INTEGER", "Rows loaded into the table."),
    ("rows_quarantined", "INTEGER", "Rows put in the quarantine; loaded + quarantined = read."),
    ("ignored_columns", "VARCHAR", "Header texts that match no contract column (kept out)."),
)
QUARANTINE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("table_name", "VARCHAR", "Contract table of the row."),
    *contract.SOURCE_COLUMNS,
    ("reason_code", "VARCHAR", "First reason, as a code: missing_term, unknown_district, no_election, …"),
    ("reason", "VARCHAR", "Every reason, in Chinese, for a person to act on."),
    ("original_values", "VARCHAR", "The row as typed (JSON, ID numbers masked)."),
)
FINDING_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("table_name", "VARCHAR", "Contract table of the row."),
    *contract.SOURCE_COLUMNS,
    ("column_name", "VARCHAR", "Contract column the finding is about."),
    ("value", "VARCHAR", "The value as typed (ID numbers masked)."),
    ("finding_code", "VARCHAR", "id_invalid, birth_date_mismatch, education_unreadable, …"),
    ("message", "VARCHAR", "What was found and what was done, in Chinese."),
)
RUN_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("loaded_at", "TIMESTAMP", "When the raw data was loaded (local time)."),
    ("raw_dir", "VARCHAR", "Folder the raw files were read from."),
    ("files", "INTEGER", "Files (or sheets) read."),
)
TABLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    **{name: (*cols, *contract.SOURCE_COLUMNS) for name, cols in contract.LOADED.items()},
    "quarantine": QUARANTINE_COLUMNS,
    "findings": FINDING_COLUMNS,
    "load_report": REPORT_COLUMNS,
    "run_info": RUN_COLUMNS,
}


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists raw")
    for name, columns in TABLES.items():
        cols = ", ".join(f'"{c}" {t}' for c, t, _ in columns)
        con.execute(f"create or replace table raw.{name} ({cols})")


def insert(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Append a frame to raw.<name>, columns by name, cast to the declared types."""
    columns = TABLES[name]
    if frame.height == 0:
        return
    con.register("incoming", frame.to_arrow())
    try:
        select = ", ".join(f'cast("{c}" as {t})' for c, t, _ in columns)
        con.execute(f"insert into raw.{name} select {select} from incoming")
    finally:
        con.unregister("incoming")


def finish(con: duckdb.DuckDBPyConnection, raw_dir: Path, files: int) -> None:
    """Record the run and checkpoint: the file is complete once this returns."""
    run = pl.DataFrame({"loaded_at": [dt.datetime.now()], "raw_dir": [str(raw_dir)],
                        "files": [files]})
    insert(con, "run_info", run)
    con.execute("checkpoint")

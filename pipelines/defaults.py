"""Defaults of the command line and the steps (paths, caps), importable without polars.

`boardshift run` starts dbt's process (≈ 2.5 s of import and parse) before it imports polars and
the readers (≈ 0.5 s); so the command line reads its option defaults from here.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RAW = ROOT / "raw"
DEFAULT_DB = ROOT / "data" / "boardshift.duckdb"
DEFAULT_EXPORTS = ROOT / "exports"

XLSX_MAX_ROWS = 100_000  # default cap on the data rows of a board-level sheet in the workbooks

SQL_TIMEOUT_S = 30.0  # `boardshift sql` and the dashboard's SQL page
SQL_MAX_ROWS = 100_000

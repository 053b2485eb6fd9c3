"""Where does the export's time go? exports.export part by part.

    .venv/bin/python -m benchmarks.whatif_export DB [--xlsx-max-rows N] [--json FILE]

On a published database, times the parts of exports.export one by one, as it does them: reading
each exported table, its CSV and Parquet files, summary.xlsx (xlsxwriter lays out the workbook,
the data rows are sheet XML built column-wise by polars; a board-level table over the cap is a
note), weekly_progress.xlsx and report.md. Prints each table's rows and whether its sheet is
whole or a note.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from contextlib import closing
from pathlib import Path

import polars as pl

from pipelines import exports, report, warehouse


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--xlsx-max-rows", type=int, default=exports.XLSX_MAX_ROWS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    out = Path(tempfile.mkdtemp(prefix="boardshift-whatif-export-"))
    try:
        _measure(args, out)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _measure(args: argparse.Namespace, out: Path) -> None:
    result: dict[str, dict] = {}
    sheets: dict[str, pl.DataFrame | int] = {}
    with closing(warehouse.connect_read_only(args.db)) as con:
        for stem, (schema, table) in exports.TABLES.items():
            entry: dict = {}
            t = time.perf_counter()
            frame = exports.read_table(con, table, schema)
            entry["read_seconds"] = time.perf_counter() - t
            t = time.perf_counter()
            exports.write_csv(out / f"{stem}.csv", frame)
            entry["csv_seconds"] = time.perf_counter() - t
            if schema == "main":
                t = time.perf_counter()
                frame.write_parquet(out / f"{stem}.parquet")
                entry["parquet_seconds"] = time.perf_counter() - t
            fits = frame.height <= exports.sheet_limit(stem, args.xlsx_max_rows)
            entry |= {"rows": frame.height, "columns": frame.width,
                      "sheet": "whole" if fits else "note"}
            sheets[stem] = frame if fits else frame.height
            result[stem] = entry
            print(stem, json.dumps(entry, ensure_ascii=False), flush=True)
        t = time.perf_counter()
        exports.write_workbook(out / exports.WORKBOOK, sheets, args.xlsx_max_rows)
        cells = sum(f.height * f.width for f in sheets.values() if isinstance(f, pl.DataFrame))
        result["summary.xlsx"] = {"seconds": time.perf_counter() - t, "cells": cells,
                                  "bytes": (out / exports.WORKBOOK).stat().st_size}
        print("summary.xlsx", json.dumps(result["summary.xlsx"]), flush=True)
        t = time.perf_counter()
        exports.write_progress_workbook(out / exports.PROGRESS_WORKBOOK, con, args.xlsx_max_rows)
        result["weekly_progress.xlsx"] = {"seconds": time.perf_counter() - t}
    t = time.perf_counter()
    report.report_markdown(args.db)
    result["report.md"] = {"seconds": time.perf_counter() - t}
    print("weekly_progress.xlsx", round(result["weekly_progress.xlsx"]["seconds"], 2),
          "report.md", round(result["report.md"]["seconds"], 2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()

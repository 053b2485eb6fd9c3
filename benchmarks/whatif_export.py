"""Where does the export's time go? Evidence for the recommendations.

    .venv/bin/python -m benchmarks.whatif_export DB

On a published database, times the parts of exports.export one by one: reading the exported
tables, the CSV files, the Parquet files and summary.xlsx sheet by sheet (xlsxwriter through
polars' write_excel), and reports seconds per million cells. A sheet over Excel's 1,048,576-row
limit cannot be written at all.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from contextlib import closing
from pathlib import Path

import xlsxwriter

from pipelines import exports, marts, warehouse

EXCEL_MAX_ROWS = 1_048_576


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    out = Path(tempfile.mkdtemp(prefix="boardshift-whatif-export-"))
    try:
        _measure(args, out)
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _measure(args: argparse.Namespace, out: Path) -> None:
    report: dict[str, dict] = {}
    t = time.perf_counter()
    names = {m.name: ("main", m.name, m.sheet_zh, None) for m in marts.MARTS}
    names["quarantine"] = ("raw", "quarantine", "隔离行", marts.QUARANTINE_LABELS)
    names["findings"] = ("raw", "findings", "数据问题", marts.FINDING_LABELS)
    with closing(warehouse.connect_read_only(args.db)) as con:
        tables = {stem: exports.read_table(con, table, schema)
                  for stem, (schema, table, _, _) in names.items()}
    report["read"] = {"seconds": time.perf_counter() - t}
    book = xlsxwriter.Workbook(str(out / "summary.xlsx"))
    for stem, frame in tables.items():
        cells = frame.height * frame.width
        entry: dict = {"rows": frame.height, "columns": frame.width}
        t = time.perf_counter()
        frame.write_csv(out / f"{stem}.csv", include_bom=True)
        entry["csv_seconds"] = time.perf_counter() - t
        t = time.perf_counter()
        frame.write_parquet(out / f"{stem}.parquet")
        entry["parquet_seconds"] = time.perf_counter() - t
        _, _, sheet, labels = names[stem]
        if frame.height + 1 > EXCEL_MAX_ROWS:
            entry["xlsx_seconds"] = None
            entry["xlsx"] = f"over Excel's {EXCEL_MAX_ROWS:,}-row sheet limit"
        else:
            t = time.perf_counter()
            exports.write_sheet(book, sheet, frame, labels)
            entry["xlsx_seconds"] = time.perf_counter() - t
            entry["xlsx_seconds_per_million_cells"] = (
                entry["xlsx_seconds"] / cells * 1e6 if cells else None)
        report[stem] = entry
        print(stem, json.dumps(entry, ensure_ascii=False), flush=True)
    t = time.perf_counter()
    book.close()
    report["xlsx_close_seconds"] = {"seconds": time.perf_counter() - t}
    print("xlsx close (zip of the sheets)", round(report["xlsx_close_seconds"]["seconds"], 2))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()

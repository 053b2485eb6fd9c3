"""Excel input: how long a hand-typed roster workbook takes to read, and where the time goes.

    .venv/bin/python -m benchmarks.excel_input [--rows 49490] [--repeat 3]

The benchmark's synthetic data is Parquet; the rosters people send are workbooks. This writes
the city's 2021 board-member roster (`pipelines.scale_data`, the first `--rows` rows) as an
.xlsx the way a person's Excel would hold it — every cell text, in shared strings, the table
under a title row and starting in column B — and times `readers.read` on it, and its two parts:
fastexcel's text of every cell, and `readers._sheet_layout` (python-calamine's typed cells: the
used range, its header row, the number-typed ID and birth cells). It also reads the same rows from Parquet, and
checks the workbook's rows come out as the Parquet file's. Prints seconds (median of --repeat).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import fastexcel
import polars as pl
import xlsxwriter

from pipelines import contract, readers, scale_data

SHEET = "班子成员"
HEADER_INDEX = 2  # the header's row within the used range (title, blank row, header)


def write_workbook(frame: pl.DataFrame, path: Path) -> None:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = book.add_worksheet(SHEET)
    ws.write_string(0, 1, "2021年居民区班子成员名单")
    headers = [contract.TABLES["board_members"].column(c).label_zh for c in frame.columns]
    ws.write_row(HEADER_INDEX, 1, headers)
    for r, row in enumerate(frame.iter_rows(), start=HEADER_INDEX + 1):
        ws.write_row(r, 1, ["" if v is None else v for v in row])
    book.close()


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=49_490)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        scale_data.write_scale(work / "city", "city", 2021, "parquet")
        roster = pl.read_parquet(work / "city" / "board_members_2021.parquet").head(args.rows)
        raw = work / "raw"
        raw.mkdir()
        write_workbook(roster, raw / "班子成员_2021.xlsx")
        roster.write_parquet(raw / "board_members_2021.parquet")
        sources, _ = readers.discover(raw)
        book = next(s for s in sources if s.sheet is not None)
        table = next(s for s in sources if s.sheet is None)
        got = readers.read(book, raw).frame
        want = readers.read(table, raw).frame
        same = got.select(roster.columns).equals(want.select(roster.columns))
        # sheet columns (from column B) of the contract columns whose number cells are looked for
        number_cols = {1 + roster.columns.index(name): name for name in readers.NUMBER_CELLS}
        figures = {
            "readers.read (.xlsx)": timed(lambda: readers.read(book, raw), args.repeat),
            "  fastexcel: every cell as text": timed(
                lambda: fastexcel.read_excel(book.path).load_sheet(
                    SHEET, header_row=None, dtypes="string").to_polars(), args.repeat),
            "  _sheet_layout: range, header, numbers": timed(
                lambda: readers._sheet_layout(book.path, SHEET, number_cols, HEADER_INDEX),
                args.repeat),
            "readers.read (.parquet, same rows)": timed(lambda: readers.read(table, raw),
                                                        args.repeat),
        }
    size = (f"{roster.height:,} rows × {roster.width} columns")
    print(f"Excel input, {size}; median of {args.repeat}; rows as read from Parquet: {same}")
    for name, seconds in figures.items():
        print(f"{name:<42} {seconds:7.3f} s")


if __name__ == "__main__":
    main()

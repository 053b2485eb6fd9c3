"""Exported tables: each mart as CSV (UTF-8 with BOM) and Parquet, the quarantine and findings,
and `summary.xlsx` with a sheet per mart under Chinese headers. Written beside the exports folder
first and moved in file by file, so a failed export leaves the previous files as they were."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import duckdb
import polars as pl
import xlsxwriter

from pipelines import marts, report, warehouse

PERCENT_COLUMNS = ("share_prev", "share_new", "_share", "turnout", "turnout_prev", "_ratio")
ONE_DECIMAL = ("mean_age", "median_age", "age_shift", "_pp")
TWO_DECIMALS = ("mean_edu_level", "edu_level_shift")
PIXELS_PER_CHAR = 8  # one half-width character at 宋体 11


def read_table(con: duckdb.DuckDBPyConnection, name: str, schema: str = "main") -> pl.DataFrame:
    order = " order by source_file, source_sheet, source_row" if schema == "raw" else " order by 1"
    return con.sql(f'select * from {schema}."{name}"{order}').pl()


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _number_format(column: str) -> str | None:
    if any(column.endswith(s) for s in PERCENT_COLUMNS):
        return "0.0%"
    if any(column.startswith(s) or column.endswith(s) for s in ONE_DECIMAL):
        return "0.0"
    if any(column.startswith(s) for s in TWO_DECIMALS):
        return "0.00"
    return None


def for_people(frame: pl.DataFrame) -> pl.DataFrame:
    """Status and body in Chinese words, booleans as 是/否, for the workbook."""
    out = frame
    if "status" in out.columns:
        out = out.with_columns(pl.col("status").replace_strict(marts.STATUS_ZH, default=pl.col("status")))
    if "body" in out.columns:
        out = out.with_columns(pl.col("body").replace_strict(marts.BODY_ZH, default=pl.col("body")))
    return out.with_columns(
        pl.when(pl.col(c)).then(pl.lit("是")).when(pl.col(c).is_not_null()).then(pl.lit("否")).alias(c)
        for c, t in out.schema.items() if t == pl.Boolean
    )


def write_sheet(book: xlsxwriter.Workbook, sheet: str, frame: pl.DataFrame,
                labels: Mapping[str, str] | None = None) -> None:
    """One sheet: Chinese headers (`labels`, else the marts' vocabulary), frozen header row,
    number formats by column kind and widths that fit Chinese text."""
    shown = for_people(frame)
    headers = [labels.get(c, c) if labels else marts.label(c) for c in shown.columns]
    widths = {}
    for col, head in zip(shown.columns, headers, strict=True):
        longest = max([_display_width(head)] + [_display_width(str(v)) for v in shown[col].head(500)
                                                if v is not None])
        widths[col] = min(max(longest + 2, 6), 60) * PIXELS_PER_CHAR  # polars takes pixels
    formats = {c: f for c in shown.columns if (f := _number_format(c))}
    formats.update({c: "0" for c, t in shown.schema.items() if t.is_integer() and c not in formats})
    head_of = dict(zip(shown.columns, headers, strict=True))
    shown.rename(head_of).write_excel(
        workbook=book, worksheet=sheet, autofilter=True, freeze_panes=(1, 0),
        header_format={"bold": True, "bg_color": "#DDEBF7", "font_name": "宋体"},
        column_formats={head_of[c]: f for c, f in formats.items()},
        column_widths={head_of[c]: w for c, w in widths.items()},
        float_precision=2, table_style=None,
    )


# Every table that is exported: file stem → (schema, table). The marts first, in MARTS order.
TABLES: dict[str, tuple[str, str]] = {
    **{mart.name: ("main", mart.name) for mart in marts.MARTS},
    "quarantine": ("raw", "quarantine"),
    "findings": ("raw", "findings"),
}
WORKBOOK = "summary.xlsx"


def read_exports(db: Path) -> dict[str, pl.DataFrame]:
    """Every exported table of the published database `db`, in TABLES order."""
    with closing(warehouse.connect_read_only(db)) as con:
        return {stem: read_table(con, table, schema) for stem, (schema, table) in TABLES.items()}


def write_workbook(target: str | io.BytesIO, tables: dict[str, pl.DataFrame]) -> None:
    """summary.xlsx: a sheet per mart, then 隔离行 and 数据问题, into a path or a buffer."""
    book = xlsxwriter.Workbook(
        target, {"default_format_properties": {"font_name": "宋体", "font_size": 11}},
    )
    with book:
        for mart in marts.MARTS:
            write_sheet(book, mart.sheet_zh, tables[mart.name])
        write_sheet(book, "隔离行", tables["quarantine"], marts.QUARANTINE_LABELS)
        write_sheet(book, "数据问题", tables["findings"], marts.FINDING_LABELS)


def write_csv(target: Path | io.BytesIO, frame: pl.DataFrame) -> None:
    """CSV in UTF-8 with a BOM, so Excel shows the Chinese correctly."""
    frame.write_csv(target, include_bom=True)


def workbook_bytes(db: Path) -> bytes:
    """summary.xlsx of the published database, in memory (for downloads)."""
    buffer = io.BytesIO()
    write_workbook(buffer, read_exports(db))
    return buffer.getvalue()


def csv_bytes(db: Path, stem: str) -> bytes:
    """One exported table (a key of TABLES) as the bytes of its CSV file."""
    schema, table = TABLES[stem]
    with closing(warehouse.connect_read_only(db)) as con:
        frame = read_table(con, table, schema)
    buffer = io.BytesIO()
    write_csv(buffer, frame)
    return buffer.getvalue()


PROGRESS_WORKBOOK = "weekly_progress.xlsx"
REPORT = "report.md"
PROGRESS_COLUMNS = ("district_code", "district_name", "body", "stage_order", "stage_label_zh",
                    "planned_date", "actual_date", "status", "days_late", "days_done_late")


def suppress(frame: pl.DataFrame, below: int) -> pl.DataFrame:
    """Small-group suppression for exports that leave the subdistrict: a cell describing fewer
    than `below` people is shown as "<below" — person counts of 1…below−1, the shares of those
    counts (women_share with women), and every figure of a row whose group (members) is smaller
    than `below`. The columns touched become text."""
    if below <= 1:
        return frame
    mark = f"<{below}"
    size = next((c for c in marts.GROUP_SIZE_COLUMNS if c in frame.columns), None)
    small_group = pl.col(size).is_between(1, below - 1) if size else pl.lit(False)
    def small(count: str) -> pl.Expr:
        return pl.col(count).is_between(1, below - 1)

    changed = []
    for column, dtype in frame.schema.items():
        hide = None
        base = column.removesuffix("_share")  # women_share is women ÷ …: hidden with women
        if column in marts.PERSON_COUNTS and dtype.is_integer():
            hide = small(column) | small_group
        elif dtype.is_float() and base != column and base in marts.PERSON_COUNTS \
                and base in frame.columns:
            hide = small(base) | small_group
        elif dtype.is_float() and size:
            hide = small_group
        if hide is not None:
            changed.append(pl.when(hide.fill_null(False) & pl.col(column).is_not_null())
                           .then(pl.lit(mark)).otherwise(pl.col(column).cast(pl.String))
                           .alias(column))
    return frame.with_columns(changed)


def write_progress_workbook(target: str | io.BytesIO, con: duckdb.DuckDBPyConnection) -> int:
    """weekly_progress.xlsx: 汇总 (every week × stage), then one sheet per week's snapshot."""
    try:
        weekly = con.sql("select * from progress_weekly order by week_end, district_code, body, "
                         "stage_order").pl()
        summary = con.sql("select * from progress_weekly_summary "
                          "order by week_end, body, stage_order").pl()
    except duckdb.CatalogException:  # a database built before the progress marts existed
        return 0
    book = xlsxwriter.Workbook(
        target, {"default_format_properties": {"font_name": "宋体", "font_size": 11}},
    )
    with book:
        write_sheet(book, "汇总", summary.drop("summary_id"))
        for (week_end,), rows in weekly.group_by("week_end", maintain_order=True):
            write_sheet(book, f"{week_end:%Y-%m-%d}周", rows.select(
                *(c for c in ("term", *PROGRESS_COLUMNS) if c in rows.columns)))
    return weekly["week_end"].n_unique()


def export(db: Path, out_dir: Path, suppress_below: int = 0) -> list[Path]:
    """Write every export of the published database `db` into `out_dir`; returns the files.

    `suppress_below` > 1 turns on small-group suppression in the mart tables (see suppress()).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    try:
        tables = {stem: suppress(frame, suppress_below) if TABLES[stem][0] == "main" else frame
                  for stem, frame in read_exports(db).items()}
        written: list[str] = []
        for stem, frame in tables.items():
            write_csv(staging / f"{stem}.csv", frame)
            written.append(f"{stem}.csv")
            if TABLES[stem][0] == "main":
                frame.write_parquet(staging / f"{stem}.parquet")
                written.append(f"{stem}.parquet")
        write_workbook(str(staging / WORKBOOK), tables)
        written.append(WORKBOOK)
        with closing(warehouse.connect_read_only(db)) as con:
            if write_progress_workbook(str(staging / PROGRESS_WORKBOOK), con):
                written.append(PROGRESS_WORKBOOK)
        (staging / REPORT).write_text(report.report_markdown(db), encoding="utf-8")
        written.append(REPORT)
        for name in written:
            os.replace(staging / name, out_dir / name)
        return [out_dir / name for name in written]
    finally:
        shutil.rmtree(staging, ignore_errors=True)

"""Exported tables: each mart as CSV (UTF-8 with BOM) and Parquet, the quarantine and findings,
`summary.xlsx` with a sheet per mart under Chinese headers, `weekly_progress.xlsx` and
`report.md`. Written beside the exports folder first and moved in file by file, so a failed
export leaves the previous files as they were.

The CSV and Parquet files always hold every row. The workbooks hold what people open in Excel:
every rollup (街道, 区, the weekly 汇总) whole, and any other sheet up to `xlsx_max_rows` data
rows (default XLSX_MAX_ROWS); a larger sheet is replaced by a two-line note, Chinese and
English, with its row count and the file that holds it in full. No sheet is ever given more
than Excel's 1,048,576 rows (header included): a rollup that large gets the note too.

A workbook is laid out by xlsxwriter (styles, header row, column widths and formats, frozen
header, autofilter) and its data rows are spliced in as sheet XML built column by column in
polars: xlsxwriter's per-cell Python (≈ 5–7 µs a cell) was ≈ 99 % of the export's time. That
XML is compressed by ISA-L's deflate (`isal`), ≈ 3.6× faster than zlib's at about the same size."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import queue
import re
import shutil
import tempfile
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb
import polars as pl
import xlsxwriter
from isal import isal_zlib
from xlsxwriter.utility import xl_col_to_name

from pipelines import defaults, marts, report, warehouse

PERCENT_COLUMNS = ("share_prev", "share_new", "_share", "turnout", "turnout_prev", "_ratio")
ONE_DECIMAL = ("mean_age", "median_age", "age_shift", "_pp")
TWO_DECIMALS = ("mean_edu_level", "edu_level_shift")
PIXELS_PER_CHAR = 8  # one half-width character at 宋体 11
# Number formats of the columns without one of their own (what polars' write_excel used to give).
FLOAT_FORMAT = "#,##0.00;[Red]-#,##0.00"
TEMPORAL_FORMATS = {pl.Date: "yyyy-mm-dd;@", pl.Datetime: "yyyy-mm-dd hh:mm:ss",
                    pl.Time: "hh:mm:ss;@"}
HEADER_FORMAT = {"bold": True, "bg_color": "#DDEBF7", "font_name": "宋体"}
BOOK_OPTIONS = {"default_format_properties": {"font_name": "宋体", "font_size": 11}}

XLSX_MAX_ROWS = defaults.XLSX_MAX_ROWS  # default cap on the data rows of a board-level sheet
EXCEL_MAX_DATA_ROWS = 1_048_575  # Excel's 1,048,576 rows a sheet, less the header row


def read_table(con: duckdb.DuckDBPyConnection, name: str, schema: str = "main") -> pl.DataFrame:
    order = " order by source_file, source_sheet, source_row" if schema == "raw" else " order by 1"
    return con.sql(f'select * from {schema}."{name}"{order}').pl()


def _display_width(text: str) -> int:
    if text.isascii():  # no ASCII character is wide: most cells (numbers, codes) stop here
        return len(text)
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


# ------------------------------------------------------------------ workbooks
@dataclass(frozen=True)
class Table:
    """A sheet with a header row (Chinese labels) and the rows of `frame`."""

    name: str
    frame: pl.DataFrame
    labels: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Note:
    """A sheet that only says something: one line per row in column A."""

    name: str
    lines: tuple[str, ...]


def overflow_note(name: str, rows: int, limit: int, where_zh: str, where_en: str) -> Note:
    """The sheet that stands in for a table too large for the workbook."""
    return Note(name, (
        f"本表共 {rows:,} 行，超过工作簿每表 {limit:,} 行的上限，未放入本工作簿；完整数据见 {where_zh}。",
        f"This table has {rows:,} rows, more than the workbook's limit of {limit:,} rows a sheet; "
        f"the full table is in {where_en}.",
    ))


def _cell_format(column: str, dtype: pl.DataType) -> dict[str, object]:
    fmt = _number_format(column)
    if fmt is None and dtype.is_integer():
        fmt = "0"
    elif fmt is None and dtype.is_float():
        fmt = FLOAT_FORMAT
    elif fmt is None:
        fmt = TEMPORAL_FORMATS.get(dtype.base_type())
    return {"num_format": fmt, "valign": "vcenter"} if fmt else {"valign": "vcenter"}


def _layout(table: Table) -> tuple[pl.DataFrame, list[str], list[int], list[dict[str, object]]]:
    """The frame as shown (Chinese words, 是/否), its headers, column widths in pixels that fit
    Chinese text, and each column's cell format."""
    shown = for_people(table.frame)
    labels = table.labels
    headers = [labels.get(c, c) if labels else marts.label(c) for c in shown.columns]
    widths = []
    for col, head in zip(shown.columns, headers, strict=True):
        sample = shown[col].head(500).drop_nulls().cast(pl.String).unique()  # widths: the max
        longest = max([_display_width(head)] + [_display_width(v) for v in sample])
        widths.append(min(max(longest + 2, 6), 60) * PIXELS_PER_CHAR)
    formats = [_cell_format(c, t) for c, t in shown.schema.items()]
    return shown, headers, widths, formats


CELL_MAX_CHARS = 32_767  # Excel's limit on the text of a cell
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
# Control characters are not allowed in XML: Excel spells them _xHHHH_ (and a literal _xHHHH_ as
# _x005F_xHHHH_), as xlsxwriter does.
_CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
_NEEDS_OOXML_ESCAPE = f"[{re.escape(_CONTROL)}]|_x[0-9A-Fa-f]{{4}}_"
_NEEDS_XML_ESCAPE = "[&<>]"
_EDGE_SPACE = r"^\s|\s$"  # text that starts or ends with white space keeps it: xml:space


def _text(frame: pl.DataFrame, column: str) -> pl.Expr:
    """The text of a string column as XML character data, cut at Excel's limit of a cell.

    Each rewrite is applied only when some value of the column needs it (one scan to look,
    instead of a pass per rewrite over every value: most columns need none)."""
    values = frame[column]
    text = pl.col(column)
    if (values.str.len_chars().max() or 0) > CELL_MAX_CHARS:
        text = text.str.slice(0, CELL_MAX_CHARS)
    if values.str.contains(_NEEDS_OOXML_ESCAPE).any():
        text = text.str.replace_all(r"_x([0-9A-Fa-f]{4})_", "_x005F_x${1}_")
        for char in _CONTROL:
            text = text.str.replace_all(char, f"_x{ord(char):04X}_", literal=True)
    if values.str.contains(_NEEDS_XML_ESCAPE).any():
        for char, entity in _ESCAPES:
            text = text.str.replace_all(char, entity, literal=True)
    return text


def _excel_serial(days: pl.Expr) -> pl.Expr:
    """Days since 1970-01-01 → Excel's 1900 date system (which counts a 29 February 1900)."""
    serial = days + 25569
    return pl.when(serial < 61).then(serial - 1).otherwise(serial)


def _cell(frame: pl.DataFrame, index: int, style: int | None, row: pl.Expr) -> pl.Expr:
    """One column's cells as XML, empty where the value is null (no cell written)."""
    name, dtype = frame.columns[index], frame.dtypes[index]
    col = pl.col(name)
    start = f'<c r="{xl_col_to_name(index)}'
    attrs = f'" s="{style}"' if style is not None else '"'
    if dtype == pl.String:
        value = pl.when(col != "").then(_text(frame, name))
        space = pl.lit("")
        if frame[name].str.contains(_EDGE_SPACE).any():
            space = pl.when(col.str.contains(_EDGE_SPACE)).then(pl.lit(' xml:space="preserve"')) \
                .otherwise(space)
        return pl.concat_str(pl.lit(start), row, pl.lit(attrs + ' t="inlineStr"><is><t'), space,
                             pl.lit(">"), value, pl.lit("</t></is></c>"))
    if dtype == pl.Boolean:
        attrs += ' t="b"'
        number = col.cast(pl.Int8).cast(pl.String)
    elif dtype == pl.Date:
        number = _excel_serial(col.cast(pl.Int32)).cast(pl.String)
    elif isinstance(dtype, pl.Datetime):
        number = _excel_serial(col.dt.epoch("us").cast(pl.Float64) / 86_400e6).cast(pl.String)
    elif dtype == pl.Time:
        number = (col.cast(pl.Int64).cast(pl.Float64) / 86_400e9).cast(pl.String)
    elif dtype.is_float() or dtype.is_decimal():
        number = col.cast(pl.Float64)
        number = pl.when(number.is_finite()).then(number.cast(pl.String))
    elif dtype.is_integer():
        number = col.cast(pl.String)
    else:  # anything else is shown as its text
        return _cell(frame.with_columns(col.cast(pl.String)), index, style, row)
    return pl.concat_str(pl.lit(start), row, pl.lit(attrs + "><v>"), number, pl.lit("</v></c>"))


ROWS_PER_CHUNK = 20_000


def _rows_xml(frame: pl.DataFrame, styles: Sequence[int | None]) -> Iterator[bytes]:
    """The <row> elements of `frame` from sheet row 2 on, in chunks of ROWS_PER_CHUNK rows."""
    row_name = "\x00row"
    row = pl.col(row_name)
    cells = [_cell(frame, i, styles[i], row).fill_null("") for i in range(frame.width)]
    rows = pl.concat_str(pl.lit('<row r="'), row, pl.lit('">'), *cells, pl.lit("</row>"))
    for offset in range(0, frame.height, ROWS_PER_CHUNK):
        chunk = frame.slice(offset, ROWS_PER_CHUNK).with_columns(
            pl.int_range(pl.len(), dtype=pl.Int64).add(offset + 2).cast(pl.String).alias(row_name))
        yield chunk.select(rows.str.join("")).to_series().cast(pl.Binary).item()


def _ahead(chunks: Iterator[bytes], depth: int = 2) -> Iterator[bytes]:
    """`chunks`, produced on a second thread up to `depth` ahead: polars builds the next rows'
    XML while the caller compresses the last ones (both release the GIL; at city scale the
    export takes ≈ 0.15 s less — polars already spreads the XML over both cores). The first error of either side ends both and is raised here."""
    handoff: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: bytes | BaseException | None) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not put(chunk):
                    return
            put(None)
        except BaseException as exc:  # handed to the caller, raised there
            put(exc)

    thread = threading.Thread(target=produce, name="boardshift-xlsx-rows", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


_SHEET_XML = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
_COL = re.compile(r"<col ([^>]*)/>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
# Zip members over 2 GiB need the ZIP64 extension; like xlsxwriter (`use_zip64` is off unless
# asked for), it is used only for sheet XML that may come near that.
ZIP64_BYTES = 1 << 30
SHEET_DEFLATE_LEVEL = 1  # ISA-L's levels are 0–3; 1 is about zlib's 1 in size


def _xml_bytes_estimate(frame: pl.DataFrame) -> int:
    """Rough size of a sheet's XML: the text, escapes and 64 bytes of markup a cell."""
    text = sum(frame[c].str.len_bytes().sum() or 0 for c, t in frame.schema.items() if t == pl.String)
    return 2 * text + 64 * frame.height * frame.width


def _column_styles(sheet_xml: str, width: int) -> list[int | None]:
    """Each column's cell format index, as xlsxwriter wrote it on the <col> elements."""
    styles: list[int | None] = [None] * width
    for match in _COL.finditer(sheet_xml):
        attrs = dict(_ATTRIBUTE.findall(match.group(1)))
        for col in range(int(attrs["min"]) - 1, min(int(attrs["max"]), width)):
            styles[col] = int(attrs["style"]) if "style" in attrs else None
    return styles


def _deflated_by_isal(member: IO[bytes]) -> IO[bytes]:
    """A zip member being written, its data compressed by ISA-L's deflate instead of zlib's.

    Both write the same raw deflate stream (wbits −15) that zipfile expects, so the member reads
    the same anywhere; zipfile still computes its CRC and sizes. At level 1 ISA-L is ≈ 3.6×
    faster than zlib's level 1 at about the same size: the city's weekly workbook, 325 MB of
    sheet XML, compressed in 0.22 s instead of 0.80; the file 37.9 MB instead of 35.0 (level 3,
    35.4 MB, takes ≈ 0.5 s more). zipfile gives no way to choose the
    compressor, so its writer's own is swapped; if that writer ever looks different, zlib's is
    kept (the same file, compressed more slowly)."""
    if isinstance(getattr(member, "_compressor", None), type(zlib.compressobj())):
        member._compressor = isal_zlib.compressobj(  # type: ignore[attr-defined]
            SHEET_DEFLATE_LEVEL, isal_zlib.DEFLATED, -15)
    return member


def write_xlsx(target: str | Path | io.BytesIO, sheets: Sequence[Table | Note]) -> None:
    """A workbook of `sheets`: each Table with a bold header row of Chinese labels (frozen, with
    an autofilter), number formats by column kind and widths that fit Chinese text."""
    skeleton = io.BytesIO()
    book = xlsxwriter.Workbook(skeleton, {**BOOK_OPTIONS, "in_memory": True})
    formats: dict[str, xlsxwriter.format.Format] = {}

    def add_format(props: dict[str, object]) -> xlsxwriter.format.Format:
        key = json.dumps(props, sort_keys=True)
        if key not in formats:
            formats[key] = book.add_format(props)
        return formats[key]

    shown: dict[int, pl.DataFrame] = {}
    with book:
        header = add_format(HEADER_FORMAT)
        for number, sheet in enumerate(sheets, start=1):
            ws = book.add_worksheet(sheet.name)
            if isinstance(sheet, Note):
                for r, line in enumerate(sheet.lines):
                    ws.write_string(r, 0, line)
                ws.set_column_pixels(0, 0, 120 * PIXELS_PER_CHAR)
                continue
            frame, headers, widths, cell_formats = _layout(sheet)
            if frame.height > EXCEL_MAX_DATA_ROWS:
                raise ValueError(f"{sheet.name}: {frame.height:,} rows do not fit a sheet")
            for col, head in enumerate(headers):
                ws.write_string(0, col, head, header)
            for col, (width, props) in enumerate(zip(widths, cell_formats, strict=True)):
                ws.set_column_pixels(col, col, width, add_format(props))
            ws.freeze_panes(1, 0)
            if frame.width:
                ws.autofilter(0, 0, frame.height, frame.width - 1)
            if frame.height and frame.width:
                shown[number] = frame
    with zipfile.ZipFile(skeleton) as src, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            data = src.read(info)
            match = _SHEET_XML.fullmatch(info.filename)
            frame = shown.get(int(match.group(1))) if match else None
            if frame is None:
                dst.writestr(info.filename, data)
                continue
            head, tail = data.decode("utf-8").split("</sheetData>", 1)
            last = f"{xl_col_to_name(frame.width - 1)}{frame.height + 1}"
            head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', head,
                          count=1)
            styles = _column_styles(head, frame.width)
            big = _xml_bytes_estimate(frame) > ZIP64_BYTES
            with _deflated_by_isal(dst.open(info.filename, "w", force_zip64=big)) as fh:
                fh.write(head.encode("utf-8"))
                for chunk in _ahead(_rows_xml(frame, styles)):
                    fh.write(chunk)
                fh.write(("</sheetData>" + tail).encode("utf-8"))


# Every table that is exported: file stem → (schema, table). The marts first, in MARTS order.
TABLES: dict[str, tuple[str, str]] = {
    **{mart.name: ("main", mart.name) for mart in marts.MARTS},
    "quarantine": ("raw", "quarantine"),
    "findings": ("raw", "findings"),
}
WORKBOOK = "summary.xlsx"
# The sheets of summary.xlsx: file stem → sheet name, header labels (None: the marts' vocabulary).
SUMMARY_SHEETS: dict[str, tuple[str, Mapping[str, str] | None]] = {
    **{mart.name: (mart.sheet_zh, None) for mart in marts.MARTS},
    "quarantine": ("隔离行", marts.QUARANTINE_LABELS),
    "findings": ("数据问题", marts.FINDING_LABELS),
}
# Summaries over subdistricts, city districts or weeks: always whole in summary.xlsx (only
# Excel's own limit applies); every other sheet is one row per board, district, check or row.
ROLLUPS = frozenset({*(m.name for m in marts.MARTS if m.name.endswith("_rollup")),
                     "progress_weekly_summary"})


def sheet_limit(stem: str, max_rows: int = XLSX_MAX_ROWS) -> int:
    """How many data rows the sheet of `stem` may have in summary.xlsx."""
    return EXCEL_MAX_DATA_ROWS if stem in ROLLUPS else max(0, min(max_rows, EXCEL_MAX_DATA_ROWS))


def exported_files(stem: str) -> list[str]:
    """The files that hold the whole of `stem`."""
    return [f"{stem}.csv", f"{stem}.parquet"] if TABLES[stem][0] == "main" else [f"{stem}.csv"]


def read_exports(db: Path) -> dict[str, pl.DataFrame]:
    """Every exported table of the published database `db`, in TABLES order."""
    with closing(warehouse.connect_read_only(db)) as con:
        return {stem: read_table(con, table, schema) for stem, (schema, table) in TABLES.items()}


def write_workbook(target: str | Path | io.BytesIO, tables: Mapping[str, pl.DataFrame | int],
                   max_rows: int = XLSX_MAX_ROWS) -> None:
    """summary.xlsx: a sheet per mart, then 隔离行 and 数据问题, into a path or a buffer.

    `tables` maps each stem of TABLES to its rows, or to its row count when it was not read
    because it is over sheet_limit(stem, max_rows). A table over that limit gets a note sheet
    naming its CSV/Parquet files instead of its rows."""
    sheets: list[Table | Note] = []
    for stem, (name, labels) in SUMMARY_SHEETS.items():
        table, limit = tables[stem], sheet_limit(stem, max_rows)
        rows = table if isinstance(table, int) else table.height
        if rows > limit:
            files = exported_files(stem)
            sheets.append(overflow_note(name, rows, limit, "、".join(files), " and ".join(files)))
        elif isinstance(table, int):
            raise ValueError(f"{stem}: {rows:,} rows fit the workbook, but were not read")
        else:
            sheets.append(Table(name, table, labels))
    write_xlsx(target, sheets)


def write_csv(target: Path | io.BytesIO, frame: pl.DataFrame) -> None:
    """CSV in UTF-8 with a BOM, so Excel shows the Chinese correctly."""
    frame.write_csv(target, include_bom=True)


def _count(con: duckdb.DuckDBPyConnection, table: str, schema: str) -> int:
    return con.execute(f'select count(*) from {schema}."{table}"').fetchall()[0][0]


def workbook_bytes(db: Path, max_rows: int = XLSX_MAX_ROWS) -> bytes:
    """summary.xlsx of the published database, in memory (for downloads); a table over the cap
    is not read at all."""
    with closing(warehouse.connect_read_only(db)) as con:
        tables: dict[str, pl.DataFrame | int] = {}
        for stem, (schema, table) in TABLES.items():
            rows = _count(con, table, schema)
            fits = rows <= sheet_limit(stem, max_rows)
            tables[stem] = read_table(con, table, schema) if fits else rows
    buffer = io.BytesIO()
    write_workbook(buffer, tables, max_rows)
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


def progress_weeks(con: duckdb.DuckDBPyConnection) -> list[tuple[dt.date, int]] | None:
    """Each report week and its rows in `progress_weekly` (its boards summed over stages: the
    view holds every milestone in every week, and the summary counts them); None in a database
    built before the progress marts existed."""
    try:
        return con.execute("select week_end, sum(boards) from progress_weekly_summary "
                           "group by week_end order by week_end").fetchall()
    except duckdb.CatalogException:
        return None


def write_progress_workbook(target: str | Path | io.BytesIO, con: duckdb.DuckDBPyConnection,
                            max_rows: int = XLSX_MAX_ROWS) -> int:
    """weekly_progress.xlsx: 汇总 (every week × stage), then one sheet per week's snapshot. A week
    of more than `max_rows` rows (a row per district, body and stage) gets a note instead, naming
    the database table that holds it; only the weeks that fit are read."""
    weeks = progress_weeks(con)
    if weeks is None:
        return 0
    try:
        summary = con.sql("select * from progress_weekly_summary "
                          "order by week_end, body, stage_order").pl()
        present = set(con.sql("select * from progress_weekly limit 0").columns)
    except duckdb.CatalogException:  # a database built before the progress marts existed
        return 0
    columns = ", ".join(f'"{c}"' for c in ("term", *PROGRESS_COLUMNS) if c in present)
    week_limit = sheet_limit("progress_weekly", max_rows)
    sheets: list[Table | Note] = []
    summary = summary.drop("summary_id")
    if summary.height > sheet_limit("progress_weekly_summary", max_rows):
        sheets.append(overflow_note("汇总", summary.height, EXCEL_MAX_DATA_ROWS,
                                    "progress_weekly_summary.csv", "progress_weekly_summary.csv"))
    else:
        sheets.append(Table("汇总", summary))
    for week_end, rows in weeks:
        name = f"{week_end:%Y-%m-%d}周"
        if rows > week_limit:
            sheets.append(overflow_note(
                name, rows, week_limit,
                f"数据库表 progress_weekly（week_end = {week_end:%Y-%m-%d}，可用 boardshift sql 查询）",
                f"the database table progress_weekly (week_end = {week_end:%Y-%m-%d}; "
                "boardshift sql can query it)"))
            continue
        frame = con.sql(f"select {columns} from progress_weekly where week_end = ? "
                        "order by district_code, body, stage_order", params=[week_end]).pl()
        sheets.append(Table(name, frame))
    write_xlsx(target, sheets)
    return len(weeks)


def _progress_workbook_on_a_thread(con: duckdb.DuckDBPyConnection, target: Path,
                                   max_rows: int) -> int:
    """write_progress_workbook from a thread of its own, on a cursor of `con` (a DuckDB
    connection is not shared between threads), closed when done."""
    with closing(con.cursor()) as cursor:
        return write_progress_workbook(target, cursor, max_rows)


def export(db: Path, out_dir: Path, suppress_below: int = 0,
           xlsx_max_rows: int = XLSX_MAX_ROWS) -> list[Path]:
    """Write every export of the published database `db` into `out_dir`; returns the files.

    `suppress_below` > 1 turns on small-group suppression in the mart tables (see suppress()).
    `xlsx_max_rows` caps the data rows of a board-level sheet in the workbooks (see
    sheet_limit()); the CSV and Parquet files always hold every row. The tables that go into
    summary.xlsx are read first and kept in memory; the workbook is then written on a second
    thread while the CSV and Parquet files are (both mostly outside the GIL: polars and ISA-L);
    a table too large for its sheet is read only for its files. weekly_progress.xlsx, when a
    week fits a sheet, is written on a third thread from the start; when every week is a note,
    at the end.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    try:
        written: list[str] = []
        with closing(warehouse.connect_read_only(db)) as con, \
                ThreadPoolExecutor(2, thread_name_prefix="boardshift-workbook") as pool:

            def read(stem: str) -> pl.DataFrame:
                schema, table = TABLES[stem]
                frame = read_table(con, table, schema)
                return suppress(frame, suppress_below) if schema == "main" else frame

            # weekly_progress.xlsx, when a week fits a sheet (a city's 14 weeks of every
            # milestone: the export's longest part), is begun first, beside the rest; when every
            # week is a note (a nation's) it is a few small queries, written at the end
            weekly = None
            week_limit = sheet_limit("progress_weekly", xlsx_max_rows)
            if any(rows <= week_limit for _, rows in progress_weeks(con) or []):
                weekly = pool.submit(_progress_workbook_on_a_thread, con,
                                     staging / PROGRESS_WORKBOOK, xlsx_max_rows)
            sheets: dict[str, pl.DataFrame | int] = {}
            for stem, (schema, table) in TABLES.items():
                count = con.execute(f'select count(*) from {schema}."{table}"').fetchall()[0][0]
                sheets[stem] = read(stem) if count <= sheet_limit(stem, xlsx_max_rows) else count
            workbook = pool.submit(write_workbook, staging / WORKBOOK, sheets, xlsx_max_rows)
            for stem in TABLES:
                kept = sheets[stem]
                frame = kept if isinstance(kept, pl.DataFrame) else read(stem)
                write_csv(staging / f"{stem}.csv", frame)
                if TABLES[stem][0] == "main":
                    frame.write_parquet(staging / f"{stem}.parquet")
                written += exported_files(stem)
                del frame, kept
            (staging / REPORT).write_text(report.report_markdown(db), encoding="utf-8")
            progress = weekly.result() if weekly else write_progress_workbook(
                staging / PROGRESS_WORKBOOK, con, xlsx_max_rows)  # its error, if any, raised here
            workbook.result()
            del sheets
        written += [WORKBOOK, *([PROGRESS_WORKBOOK] if progress else []), REPORT]
        for name in written:
            os.replace(staging / name, out_dir / name)
        return [out_dir / name for name in written]
    finally:
        shutil.rmtree(staging, ignore_errors=True)

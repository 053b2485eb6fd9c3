"""Finding and reading raw files: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), Excel and Parquet.

Every cell is read as text; casting happens in validation. Each reader returns a RawFile whose
frame has the table's canonical column names plus `source_file`, `source_sheet`, `source_row`
(the row number a person sees in that file), `extra_cells` (a CSV row's cells beyond the
header's last column, which shift its values: see read_csv_parts), `cell_separator` (that
file's delimiter, on such a row only, for the reason to name), `id_from_number` (an ID cell
that Excel stored as a number, which has already lost digits) and `birth_date_from_number` (a
birth date held as a number: 1975.1 may have been typed 1975.10; see NUMBER_CELLS).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import polars as pl

from pipelines import contract
from pipelines.errors import InputFileError

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet"}
SUPPORTED = CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES
HEADER_SEARCH_ROWS = 20
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted .xlsx or a legacy .xls
# Contract columns whose value a workbook (a number cell) or a Parquet file (a numeric column)
# may hold as a number, not as the text typed, → the column that flags such a row: an ID number
# keeps only 15 digits, and a year-month 1975.10 is the number 1975.1 (January or October?).
# A CSV holds the text as written.
NUMBER_CELLS = {"id_number": "id_from_number", "birth_date": "birth_date_from_number"}


@dataclass
class RawFile:
    table: str
    file: str
    sheet: str | None
    file_format: str
    encoding: str | None
    frame: pl.DataFrame
    ignored_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    """One readable unit: a CSV/Parquet file, or one sheet of a workbook."""

    path: Path
    table: str
    sheet: str | None = None


# ---------------------------------------------------------------- discovery
def discover(raw_dir: Path) -> tuple[list[Source], list[str]]:
    """The sources in a raw folder, and the files skipped (with why), in a stable order."""
    if not raw_dir.is_dir():
        raise InputFileError(str(raw_dir), "文件夹不存在 (raw folder not found)")
    sources: list[Source] = []
    skipped: list[str] = []
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(raw_dir).as_posix()
        if path.name.startswith((".", "~$")):  # hidden files, Excel's lock files
            continue
        if path.suffix.lower() not in SUPPORTED:
            if path.suffix.lower() != ".md":
                skipped.append(f"{rel}：不是 CSV/Excel/Parquet 文件，已忽略")
            continue
        table = contract.table_for_file(path.name)
        if path.suffix.lower() in EXCEL_SUFFIXES:
            sheets = _excel_sheets(path, rel)
            named = [(s, contract.table_for_sheet(s)) for s in sheets]
            named = [(s, t) for s, t in named if t]
            if named:
                sources.extend(Source(path, t, s) for s, t in named)
            elif table:
                sources.append(Source(path, table, sheets[0]))
            else:
                skipped.append(f"{rel}：文件名和工作表名都不以表名开头，已忽略")
        elif table:
            sources.append(Source(path, table))
        else:
            skipped.append(f"{rel}：文件名不以表名开头（如 班子成员、候选人、选举、居民区），已忽略")
    return sources, skipped


def _excel_sheets(path: Path, rel: str) -> list[str]:
    import fastexcel

    head = path.read_bytes()[:8]
    if head.startswith(OLE_SIGNATURE):
        raise InputFileError(rel, "工作簿设置了打开密码（已加密），或是旧版 .xls 文件：请取消密码，"
                                  "或另存为 .xlsx 后再放入")
    if not head.startswith(b"PK"):
        raise InputFileError(rel, "不是 Excel (.xlsx) 文件：内容不是 xlsx 格式（文件可能损坏或扩展名不对）")
    try:
        sheets = fastexcel.read_excel(path).sheet_names
    except Exception as exc:  # fastexcel raises its own exception types for every failure
        raise InputFileError(rel, f"不是可读的 Excel 文件，可能已损坏或不完整（{_short(exc)}）") from exc
    if not sheets:
        raise InputFileError(rel, "工作簿中没有工作表")
    return sheets


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# ---------------------------------------------------------------- header matching
def find_header(rows: list[list[str | None]], table: contract.Table, where: str,
                sheet: str | None = None) -> int:
    """Index of the header row among the first rows: the first row that names the most columns."""
    index = contract.header_index(table)
    best, best_hits = -1, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = len({index[h] for c in row if c and (h := contract.normalise_header(str(c))) in index})
        if hits > best_hits:
            best, best_hits = i, hits
    if best_hits < 2:
        expected = "、".join(f"{c.label_zh}({c.name})" for c in table.columns if c.required)
        raise InputFileError(
            where, f"前 {HEADER_SEARCH_ROWS} 行中找不到表头（应包含 {expected}）", sheet
        )
    return best


def map_header(cells: list[str | None], table: contract.Table, where: str,
               sheet: str | None = None) -> tuple[dict[int, str], list[str]]:
    """Column position → canonical name for the known headers, and the ignored header texts."""
    index = contract.header_index(table)
    mapping: dict[int, str] = {}
    seen: dict[str, str] = {}
    ignored: list[str] = []
    for pos, cell in enumerate(cells):
        text = "" if cell is None else str(cell)
        name = index.get(contract.normalise_header(text))
        if name is None:
            if text.strip():
                ignored.append(text.strip())
            continue
        if name in seen:
            raise InputFileError(
                where, f"列“{seen[name]}”和“{text.strip()}”都对应 {name}，无法确定用哪一列", sheet
            )
        seen[name] = text.strip()
        mapping[pos] = name
    missing = [c for c in table.required_columns if c not in seen]
    if missing:
        labels = "、".join(f"{table.column(c).label_zh}({c})" for c in missing)
        raise InputFileError(where, f"缺少必需的列：{labels}", sheet)
    return mapping, ignored


def _without_blank_rows(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """`frame` without the rows whose `columns` are all null or whitespace.

    A row with a non-blank first column is kept at once (nearly every row): only the others
    have every column looked at (a 1M-row part: 0.099 → 0.017 s, and no copy by a filter
    when no row is blank)."""
    first = frame.get_column(columns[0]).str.contains(r"\S").fill_null(False)
    if first.all():
        return frame
    if len(columns) == 1:
        return frame.filter(first)
    rest_blank = pl.all_horizontal(pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "")
                                   for c in columns[1:])
    return frame.filter(pl.lit(first) | ~rest_blank)


# how the cells beyond a header are joined for a message, where not by the file's delimiter
SHOWN_SEPARATORS = {"\t": "”“"}


def _canonical_frame(data: pl.DataFrame, mapping: dict[int, str], table: contract.Table,
                     rel: str, sheet: str | None, rows: pl.Expr, extra_from: int | None = None,
                     separator: str = ",") -> pl.DataFrame:
    """Keep the mapped columns under canonical names, drop blank rows, add provenance columns.

    `extra_from`: the columns of `data` from this position on are cells beyond the header
    (a CSV line with more cells than its header): `extra_cells` holds the non-blank ones
    joined by `separator` (the file's delimiter; see SHOWN_SEPARATORS), else null, and
    `cell_separator` then holds the delimiter itself."""
    old = data.columns
    cols = [pl.col(old[pos]).cast(pl.String).alias(name) for pos, name in mapping.items()
            if pos < len(old)]
    # only the columns beyond the header that hold something (nearly always none: the null
    # counts are known without a scan)
    beyond = [c for c in old[extra_from:] if data[c].null_count() < data.height] \
        if extra_from is not None else []
    # a tab would not show in a message: there each cell is quoted apart (“a”“b”)
    shown = SHOWN_SEPARATORS.get(separator, separator)
    cells = [pl.col(c).str.strip_chars() for c in beyond]
    extra = (pl.concat_str([pl.when(cell != "").then(cell) for cell in cells], separator=shown,
                           ignore_nulls=True)
             if beyond else pl.lit(None, pl.String))
    frame = data.select(*cols, rows.alias("source_row"), extra.alias("extra_cells"))
    for name in table.column_names:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(name))
    frame = _without_blank_rows(frame, table.column_names)
    extra_cells = pl.col("extra_cells")
    return frame.select(
        *table.column_names,
        pl.lit(rel).alias("source_file"),
        pl.lit(sheet, pl.String).alias("source_sheet"),
        pl.col("source_row").cast(pl.Int32),
        pl.when(extra_cells != "").then(extra_cells).alias("extra_cells"),
        pl.when(extra_cells != "").then(pl.lit(separator)).alias("cell_separator"),
    )


# ---------------------------------------------------------------- CSV
CSV_CHUNK_BYTES = 1 << 24  # a CSV is checked (and, if need be, re-encoded) 16 MiB at a time
CSV_HEAD_BYTES = 1 << 20  # the header is looked for in the lines of the first 1 MiB
SPARE_CELLS = 8  # cells read beyond a CSV header's last column, to tell a row that has more
_BARE_CR = re.compile(rb"\r(?!\n)")
# A file part UTF-8 and part GBK (two files joined byte for byte, rows pasted in from another
# file) decodes whole in neither: strict UTF-8 fails at the first GBK byte, and GB18030 reads
# the UTF-8 Chinese as other, wrong characters without an error. A stretch of bytes that is
# valid UTF-8 and holds this many Chinese characters is UTF-8: by chance, GBK text gives one
# Chinese character as valid UTF-8 at most ≈ 1 time in 250, four in a row ≈ 1 in 4 × 10⁹.
MIXED_MIN_HANZI = 4
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# two Chinese characters in a row as UTF-8: the lines worth decoding (written out: as
# `(?:…){2}` Python's re takes 5× as long, 1.2 s on a 75 MB GBK file)
_UTF8_HANZI_PAIR = re.compile(rb"[\xe3-\xe9][\x80-\xbf][\x80-\xbf][\xe3-\xe9][\x80-\xbf][\x80-\xbf]")
_MIXED = ("按任何一种编码读，都有一部分会成为乱码：请把文件整体另存为同一种编码"
          "（如 Excel 的“CSV UTF-8”）后再放入")


@dataclass(frozen=True)
class _CsvText:
    """What a CSV's bytes hold, found by reading it once a chunk at a time, never whole."""

    encoding: str  # utf-8, utf-8-sig or gb18030
    bare_cr: bool  # a line ends in a bare CR (an old Mac "CSV"): not a line end to polars


def _scan_text(path: Path, codec: str, skip: int) -> tuple[int | None, bool, bool, bool]:
    """Decode the file from byte `skip` strictly as `codec`, a chunk at a time, keeping nothing:
    (the byte position of the first undecodable byte or None, a bare CR seen, only whitespace
    seen, a NUL seen)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    pos, blank, bare_cr, nul, carry_cr = skip, True, False, False, False
    with path.open("rb") as f:
        f.seek(skip)
        while True:
            chunk = f.read(CSV_CHUNK_BYTES)
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError:
                try:  # where in this chunk (with the bytes held from the last): decode it whole
                    (pending + chunk).decode(codec)
                    at = pos + len(chunk)
                except UnicodeDecodeError as exc:
                    at = pos - len(pending) + exc.start
                return at, bare_cr, blank, nul
            if not chunk:
                return None, bare_cr, blank, nul
            blank = blank and not text.strip()
            nul = nul or b"\x00" in chunk
            # a CR as the chunk's last byte is judged by the next chunk's first (`carry_cr`)
            found = _BARE_CR.search(chunk)
            bare_cr = (bare_cr or (carry_cr and not chunk.startswith(b"\n"))
                       or (found is not None and found.start() < len(chunk) - 1))
            carry_cr = chunk.endswith(b"\r")
            pos += len(chunk)


def _csv_text(path: Path, rel: str) -> _CsvText:
    """Strict UTF-8 (BOM allowed), else strict GB18030 (a superset of GBK); never lossy. The
    whole file is checked before a row is read, so no part of it loads and then fails."""
    with path.open("rb") as f:
        start = f.read(3)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(rel, "文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为 CSV UTF-8 或 GBK")
    bom = start == b"\xef\xbb\xbf"
    bad, bare_cr, blank, nul = _scan_text(path, "utf-8", 3 if bom else 0)
    encoding = "utf-8-sig" if bom else "utf-8"
    if bad is not None and bom:
        raise InputFileError(rel, f"有 UTF-8 BOM 但内容不是 UTF-8（字节位置 {bad - 3}）")
    if bad is not None:
        hanzi, line = _utf8_before(path, bad)
        if hanzi >= MIXED_MIN_HANZI:
            raise InputFileError(rel, f"编码不一致：文件前面是 UTF-8 编码，第 {line} 行（字节位置 "
                                      f"{bad}）起不是（多半是 GBK 编码的行接在了后面）；" + _MIXED)
        bad, bare_cr, blank, nul = _scan_text(path, "gb18030", 0)
        lines = _utf8_lines(path)  # whether or not the rest decodes as GB18030
        if lines:
            more = f"等 {len(lines)} 行" if len(lines) > 1 else ""
            raise InputFileError(rel, f"编码不一致：文件是 GBK/GB18030 编码，但第 {lines[0]} 行{more}"
                                      "是 UTF-8 编码（多半是从另一个文件粘贴来的）；" + _MIXED)
        if bad is not None:
            raise InputFileError(
                rel, f"编码无法识别：既不是 UTF-8 也不是 GBK/GB18030（字节位置 {bad}）")
        encoding = "gb18030"
    if blank:
        raise InputFileError(rel, "文件为空")
    if nul:
        raise InputFileError(rel, "不是文本文件（含有二进制内容）")
    return _CsvText(encoding, bare_cr)


def _utf8_before(path: Path, end: int) -> tuple[int, int]:
    """(Chinese characters, up to MIXED_MIN_HANZI, in the file's first `end` bytes — valid
    UTF-8, the bytes before its first undecodable one —, the line number of byte `end`)."""
    decoder = codecs.getincrementaldecoder("utf-8")("ignore")  # valid: nothing to ignore
    hanzi, line, pos, after_cr = 0, 1, 0, False
    with path.open("rb") as f:
        while pos < end:
            chunk = f.read(min(CSV_CHUNK_BYTES, end - pos))
            if not chunk:
                break
            pos += len(chunk)
            # LF, CRLF and a bare CR each end a line (a CRLF may be cut between chunks)
            line += (chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
                     - (after_cr and chunk.startswith(b"\n")))
            after_cr = chunk.endswith(b"\r")
            if hanzi < MIXED_MIN_HANZI:
                hanzi += len(_HANZI.findall(decoder.decode(chunk, final=pos >= end)))
    return min(hanzi, MIXED_MIN_HANZI), line


def _utf8_lines(path: Path) -> list[int]:
    """The line numbers of a GB18030 file's lines that are UTF-8: valid UTF-8 with at least
    MIXED_MIN_HANZI Chinese characters (only lines with two in a row as UTF-8 are decoded).
    LF, CRLF and a bare CR each end a line (no byte of a GB18030 or UTF-8 character is a CR or
    an LF)."""
    found: list[int] = []
    line, held = 1, b""  # the number of the first line of `held + chunk`; a line cut in two
    with path.open("rb") as f:
        while True:
            chunk = f.read(CSV_CHUNK_BYTES)
            block = held + chunk
            cr = b"\r" if chunk and block.endswith(b"\r") else b""  # a CRLF cut in two
            block = block[:len(block) - len(cr)].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            cut = len(block) if not chunk else block.rfind(b"\n") + 1
            block, held = block[:cut], block[cut:] + cr
            counted, last = 0, -1  # LFs counted up to `counted`; the start of the last line seen
            for match in _UTF8_HANZI_PAIR.finditer(block):
                start = block.rfind(b"\n", 0, match.start()) + 1
                if start == last:
                    continue
                last, end = start, block.find(b"\n", match.end())
                line += block.count(b"\n", counted, start)
                counted = start
                text = block[start:len(block) if end < 0 else end]
                with contextlib.suppress(UnicodeDecodeError):
                    if len(_HANZI.findall(text.decode("utf-8"))) >= MIXED_MIN_HANZI:
                        found.append(line)
            line += block.count(b"\n", counted)
            if not chunk:
                return found


def _as_utf8(path: Path, text: _CsvText, full_width: bool, out: Path) -> None:
    """Write the file to `out` as UTF-8 a chunk at a time, for polars: a full-width comma (the
    delimiter when `full_width`) becomes \\x1f, as the parser needs a one-byte separator; a bare
    CR a line end."""
    decoder = codecs.getincrementaldecoder(text.encoding)("strict")
    held = ""
    with path.open("rb") as f, out.open("wb") as w:
        while True:
            chunk = f.read(CSV_CHUNK_BYTES)
            part = held + decoder.decode(chunk, final=not chunk)
            held = part[-1:] if chunk and part.endswith("\r") else ""  # a CRLF cut in two
            part = part[:len(part) - len(held)]
            if full_width:
                part = part.replace("，", "\x1f")
            if text.bare_cr:
                part = _lf_line_ends(part)
            w.write(part.encode("utf-8"))
            if not chunk:
                return


def _lf_line_ends(text: str) -> str:
    """CRLF and a bare CR as LF, the one line end polars knows."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _head_lines(path: Path, text: _CsvText) -> list[str]:
    """The first lines of the file, split where polars splits them (LF; a bare CR too when
    the file is re-encoded with CR as a line end)."""
    with path.open("rb") as f:
        head = codecs.getincrementaldecoder(text.encoding)("strict").decode(f.read(CSV_HEAD_BYTES))
    if text.bare_cr:
        head = _lf_line_ends(head)
    return [line.removesuffix("\r") for line in head.split("\n")[:HEADER_SEARCH_ROWS]]


def read_csv(source: Source, raw_dir: Path) -> RawFile:
    (whole,) = read_csv_parts(source, raw_dir, rows=None)
    return whole


def read_csv_parts(source: Source, raw_dir: Path, rows: int | None) -> Iterator[RawFile]:
    """A CSV file in parts of at most `rows` rows (None: whole), parsed by polars a part at a
    time: memory holds one part, not the file. The file is first read once through to check its
    encoding; a GB18030 (GBK) file, or one with a full-width comma delimiter or bare-CR line
    ends, is then written as UTF-8 to a temporary file, which polars reads instead."""
    rel = source.path.relative_to(raw_dir).as_posix()
    table = contract.TABLES[source.table]
    text = _csv_text(source.path, rel)
    lines = _head_lines(source.path, text)
    delimiter = _sniff_delimiter(lines, source.path.suffix.lower())
    full_width = delimiter == "，"
    if full_width:
        lines, delimiter = [line.replace("，", "\x1f") for line in lines], "\x1f"
    rewrite = full_width or text.encoding == "gb18030" or text.bare_cr
    head = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    try:
        h = find_header(head, table, rel)
    except InputFileError as exc:
        if text.encoding == "gb18030":  # a Big5 or Shift-JIS file also decodes, as nonsense
            raise InputFileError(rel, exc.problem + "；文件按 GBK/GB18030 解码，若表头是乱码，"
                                 "请把文件另存为 UTF-8 或 GBK 编码") from exc
        raise
    mapping, ignored = map_header(head[h], table, rel)
    with tempfile.TemporaryDirectory(prefix="boardshift-csv-") if rewrite else \
            contextlib.nullcontext() as tmp:
        path = source.path
        if tmp is not None:
            path = Path(tmp) / "utf8.csv"
            _as_utf8(source.path, text, full_width, path)
        # The column count is the header's plus SPARE_CELLS, not the first data line's (a short
        # or blank first row cannot cut the rows after it). A line with more cells than the
        # header (a comma typed in a cell without quotes: 张,三 or 书记,主任) has its values
        # shifted: the cells beyond the header are kept as `extra_cells`, and validation
        # quarantines the row. A blank line is a row of nulls to polars (dropped later, but
        # counted in the numbering).
        width = len(head[h])
        scan = pl.scan_csv(path, has_header=False, skip_lines=h + 1, separator=delimiter,
                           schema={f"c{i}": pl.String for i in range(width + SPARE_CELLS)},
                           missing_columns="insert", truncate_ragged_lines=True)
        offset = 0
        separator = "，" if full_width else delimiter  # as the file has it
        for data in _csv_batches(scan, rows, rel):
            numbers = pl.int_range(pl.len()) + (h + 2 + offset)
            frame = _canonical_frame(data, mapping, table, rel, None, numbers, width, separator)
            frame = frame.with_columns(pl.lit(False).alias(flag) for flag in NUMBER_CELLS.values())
            offset += data.height
            yield RawFile(source.table, rel, None, "csv", text.encoding, frame, ignored)


def _csv_batches(scan: pl.LazyFrame, rows: int | None, rel: str) -> Iterator[pl.DataFrame]:
    """The parsed rows, whole or `rows` at a time; at least one frame (an empty file: empty)."""
    try:
        if rows is None:
            yield scan.collect()
            return
        empty = True
        for batch in scan.collect_batches(chunk_size=rows):
            empty = False
            yield batch
        if empty:
            yield scan.head(0).collect()
    except pl.exceptions.PolarsError as exc:  # polars raises ComputeError and friends
        raise InputFileError(rel, f"CSV 格式错误（{_short(exc)}）") from exc


def _sniff_delimiter(lines: list[str], suffix: str) -> str:
    """A tab for .tsv; else the one of `,` tab `;` `，` that one of the first lines holds most
    of — the header's line, not a title above it (which holds none, or a comma or two)."""
    if suffix == ".tsv":
        return "\t"
    best, most = ",", 0
    for line in lines:
        for delimiter in (",", "\t", ";", "，"):
            if (n := line.count(delimiter)) > most:
                best, most = delimiter, n
    return best


# ---------------------------------------------------------------- Excel
def read_excel(source: Source, raw_dir: Path) -> RawFile:
    import fastexcel

    rel = source.path.relative_to(raw_dir).as_posix()
    table = contract.TABLES[source.table]
    sheet = source.sheet
    try:
        loaded = fastexcel.read_excel(source.path).load_sheet(
            sheet, header_row=None, dtypes="string"
        )
        data = loaded.to_polars()
    except Exception as exc:  # any fastexcel failure: the sheet cannot be read
        raise InputFileError(rel, f"工作表无法读取（{_short(exc)}）", sheet) from exc
    if data.height == 0:
        raise InputFileError(rel, "工作表为空", sheet)
    # a real Excel date cell reads as `1975-03-12 00:00:00`: keep the date a person typed
    data = data.with_columns(pl.all().str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "${1}"))
    absolute_cols = [c.absolute_index for c in loaded.selected_columns]
    head = [list(r) for r in data.head(HEADER_SEARCH_ROWS).iter_rows()]
    h = find_header(head, table, rel, sheet)
    mapping, ignored = map_header(head[h], table, rel, sheet)
    number_columns = {absolute_cols[p]: n for p, n in mapping.items() if n in NUMBER_CELLS}
    layout = _sheet_layout(source.path, sheet, number_columns, h)
    if not _layout_agrees(layout, data.height, head[h], absolute_cols):
        raise InputFileError(rel, (
            f"无法确定各行在工作表中的行号：fastexcel 读到 {data.height} 行、表头在其第 {h + 1} 行，"
            f"python-calamine 读到 {layout.height} 行（自工作表第 {layout.first_row} 行起）、"
            "该行与表头不符，两个读取库对工作表的起始行看法不一（多半是版本不配套）；"
            "请把该工作表另存为 CSV 文件后再放入 raw/"), sheet)
    rows = pl.int_range(pl.len()) + (layout.first_row + h + 1)
    body = data.slice(h + 1)
    frame = _canonical_frame(body, mapping, table, rel, sheet, rows)
    frame = frame.with_columns(pl.col("source_row").is_in(layout.numbers.get(name, []))
                               .alias(flag) for name, flag in NUMBER_CELLS.items())
    return RawFile(source.table, rel, sheet, "xlsx", None, frame, ignored)


class SheetLayout(NamedTuple):
    """A sheet's used range as python-calamine sees it (`_sheet_layout`)."""

    first_row: int  # the sheet row number (1-based) where it starts: fastexcel's frame starts there
    first_col: int  # its first column, 0-based from column A
    height: int  # its rows
    header: list[object]  # its row `header_index`, as typed cells
    numbers: dict[str, list[int]]  # a column's contract name → the row numbers of number cells


def _sheet_layout(path: Path, sheet: str, columns: dict[int, str], header_index: int
                  ) -> SheetLayout:
    """The used range's start, height and header row (`header_index`, counted within the range),
    and for each of `columns` (0-based, counted from column A → its contract name) the row
    numbers whose cell holds a number, not text (see NUMBER_CELLS). All from calamine's typed
    cells (python-calamine; fastexcel, which gives the text, reads with calamine too), ≈ 8×
    faster than openpyxl's read-only cells."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    try:
        ws = book.get_sheet_by_name(sheet)
        if ws.start is None:
            return SheetLayout(1, 0, 0, [], {})
        start_row, start_col = ws.start
        first_row = start_row + 1
        wanted = {col - start_col: name for col, name in columns.items() if col >= start_col}
        # to_python() starts at the used range's first row and column (skip_empty_area)
        cells = ws.to_python() if wanted else ws.to_python(nrows=header_index + 1)
        header = list(cells[header_index]) if header_index < len(cells) else []
        found: dict[str, list[int]] = {name: [] for name in wanted.values()}
        for i, row in enumerate(cells if wanted else ()):
            for col, name in wanted.items():
                if col < len(row) and type(row[col]) in (int, float):
                    found[name].append(first_row + i)
        return SheetLayout(first_row, start_col, ws.height, header, found)
    finally:
        book.close()


def _layout_agrees(layout: SheetLayout, height: int, header: list[str | None],
                   columns: list[int]) -> bool:
    """Whether fastexcel's frame (`height` rows; its header row `header`, of sheet columns
    `columns`) starts where python-calamine's used range does — the row numbers rest on it. The
    two libraries are separate installs of calamine: a change in how either trims empty rows
    would shift every row number. A text cell of the header must read the same in both."""
    if layout.height != height:
        return False
    for text, col in zip(header, columns, strict=True):
        i = col - layout.first_col
        cell = layout.header[i] if 0 <= i < len(layout.header) else ""
        if isinstance(cell, str) and cell != (text or ""):
            return False
    return True


# ---------------------------------------------------------------- Parquet
def read_parquet(source: Source, raw_dir: Path) -> RawFile:
    (whole,) = read_parquet_parts(source, raw_dir, rows=None)
    return whole


def read_parquet_parts(source: Source, raw_dir: Path, rows: int | None) -> Iterator[RawFile]:
    """A Parquet file in parts of at most `rows` rows (None: whole), read one part at a time:
    only the row groups of a part are in memory. Row numbers count from the file's first row."""
    rel = source.path.relative_to(raw_dir).as_posix()
    table = contract.TABLES[source.table]
    scan = pl.scan_parquet(source.path)
    try:
        schema = scan.collect_schema()
        total = scan.select(pl.len()).collect().item()
    except Exception as exc:  # polars/arrow errors for a damaged or non-parquet file
        raise InputFileError(rel, f"不是可读的 Parquet 文件（{_short(exc)}）") from exc
    columns = list(schema)
    mapping, ignored = map_header(columns, table, rel)
    numeric = {n for p, n in mapping.items() if n in NUMBER_CELLS and schema[columns[p]].is_numeric()}
    step = rows or max(total, 1)
    for offset in range(0, max(total, 1), step):
        try:
            data = scan.slice(offset, step).collect()
        except Exception as exc:
            raise InputFileError(rel, f"不是可读的 Parquet 文件（{_short(exc)}）") from exc
        as_text = data.select(_as_text(pl.col(c), data.schema[c]) for c in data.columns)
        frame = _canonical_frame(as_text, mapping, table, rel, None,
                                 pl.int_range(pl.len()) + 1 + offset)
        frame = frame.with_columns((pl.col(name).is_not_null() if name in numeric
                                    else pl.lit(False)).alias(flag)
                                   for name, flag in NUMBER_CELLS.items())
        yield RawFile(source.table, rel, None, "parquet", None, frame, ignored)


def _as_text(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Date:
        return expr.dt.strftime("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return expr.dt.strftime("%Y-%m-%d %H:%M:%S")
    return expr.cast(pl.String)


# ---------------------------------------------------------------- dispatch
def read(source: Source, raw_dir: Path) -> RawFile:
    suffix = source.path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv(source, raw_dir)
    if suffix in EXCEL_SUFFIXES:
        return read_excel(source, raw_dir)
    return read_parquet(source, raw_dir)


def read_parts(source: Source, raw_dir: Path, rows: int) -> Iterator[RawFile]:
    """The file in parts of at most `rows` data rows, for streaming. A Parquet or CSV file is
    parsed a part at a time; a workbook is read whole (calamine reads a sheet whole) and then
    cut. An empty file gives one empty part."""
    if source.path.suffix.lower() in PARQUET_SUFFIXES:
        yield from read_parquet_parts(source, raw_dir, rows)
        return
    if source.path.suffix.lower() in CSV_SUFFIXES:
        yield from read_csv_parts(source, raw_dir, rows)
        return
    raw = read(source, raw_dir)
    parts = raw.frame.iter_slices(rows) if raw.frame.height else [raw.frame]
    for part in parts:
        yield RawFile(raw.table, raw.file, raw.sheet, raw.file_format, raw.encoding, part,
                      raw.ignored_columns)


def read_all(raw_dir: Path) -> Iterator[RawFile]:
    sources, _ = discover(raw_dir)
    for source in sources:
        yield read(source, raw_dir)


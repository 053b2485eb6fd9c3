"""Exports of the full 换届 report: every mart as CSV/Parquet and a workbook sheet, the weekly
progress workbook, report.md, and small-group suppression — through the real CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from pipelines import exports, marts
from tests.test_pipeline import write_fixture

ROOT = Path(__file__).resolve().parent.parent


def boardshift(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def demo_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports")
    proc = boardshift("run", "--db", root / "demo.duckdb", "--exports", root / "ex",
                      "--as-of", "2026-11-25", "-q")
    assert proc.returncode == 0, proc.stderr
    return root / "ex"


def test_every_mart_is_exported_with_chinese_headers(demo_exports: Path) -> None:
    book = openpyxl.load_workbook(demo_exports / "summary.xlsx", read_only=True)
    assert [m.sheet_zh for m in marts.MARTS] + ["隔离行", "数据问题"] == book.sheetnames
    for mart in marts.MARTS:
        frame = pl.read_parquet(demo_exports / f"{mart.name}.parquet")
        # the demo breaks no structure rule, so that table is empty but still has its columns
        assert frame.height > 0 or mart.name == "structure_checks", mart.name
        assert frame.width > 0
        assert (demo_exports / f"{mart.name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        headers = [c.value for c in next(book[mart.sheet_zh].iter_rows(max_row=1))]
        untranslated = [h for h in headers if h.isascii()]
        assert not untranslated, (mart.name, untranslated)
    book.close()
    # no names leave in the summary exports
    for mart in marts.MARTS:
        assert "name" not in pl.read_parquet(demo_exports / f"{mart.name}.parquet").columns


def test_weekly_progress_workbook(demo_exports: Path) -> None:
    # From raw/进度_2026.xlsx, counted independently: residents' 提名初步候选人 is planned for
    # 2026-11-20 and 3 of 19 districts have no completion date on 2026-11-25 → 3 overdue (逾期).
    book = openpyxl.load_workbook(ROOT / "raw" / "进度_2026.xlsx", read_only=True)
    raw_rows = list(book["进度"].iter_rows(min_row=3, values_only=True))
    book.close()
    overdue = [r for r in raw_rows if r[3] == "提名初步候选人" and r[5] is None]
    assert len(overdue) == 3
    book = openpyxl.load_workbook(demo_exports / "weekly_progress.xlsx", read_only=True)
    assert book.sheetnames[0] == "汇总"
    assert book.sheetnames[-1] == "2026-11-29周"  # the week of the as-of date (ends Sunday)
    rows = list(book["2026-11-29周"].iter_rows(values_only=True))
    head = rows[0]
    stage, status = head.index("阶段"), head.index("结果")
    late = [r for r in rows[1:] if r[stage] == "提名初步候选人" and r[status] == "逾期"]
    assert len(late) == len(overdue)
    book.close()


def test_report_md(demo_exports: Path) -> None:
    text = (demo_exports / "report.md").read_text(encoding="utf-8")
    # figures from the independent recomputation of the demo files (raw/README.md): party 2021
    # 123 members, 44.26 years (−2.93), 大专及以上 75.6% (+9.2); 一肩挑 14 of 19 districts in 2021
    # against 5 of 19 in 2018 (73.7%, +47.4 个百分点); 51 people on both boards
    assert "长风新村街道2021年换届" in text
    assert "新一届居民区党组织成员123人，成员平均年龄44.3岁，较上届下降2.9岁" in text
    assert "大专及以上学历占75.6%，提高9.2个百分点；19个居民区中15个实现“一降一升”" in text
    assert "书记、主任“一肩挑”比例达73.7%，比上届提高47.4个百分点" in text
    assert "交叉任职51人" in text
    assert "%个百分点" not in text and "提升" not in text


def test_small_groups_are_suppressed(tmp_path: Path) -> None:
    write_fixture(tmp_path / "raw")
    proc = boardshift("run", "--raw", tmp_path / "raw", "--db", tmp_path / "w.duckdb",
                      "--exports", tmp_path / "ex", "--suppress-below", "3", "-q")
    assert proc.returncode == 0, proc.stderr
    rows = {r["board_id"]: r for r in pl.read_csv(tmp_path / "ex" / "board_composition.csv",
                                                   infer_schema=False).iter_rows(named=True)}
    # 0001 party 2021 (hand fixture): 4 members, 2 women, 3 party members
    party = rows["0001|party|2021"]
    assert (party["members"], party["women"], party["women_share"]) == ("4", "<3", "<3")
    assert party["party_members"] == "3" and party["mean_age"] != "<3"
    # 0001 residents 2021: one member — every figure of the row describes fewer than 3 people
    residents = rows["0001|residents|2021"]
    assert residents["members"] == "<3" and residents["mean_age"] == "<3"
    assert residents["board_id"] == "0001|residents|2021"
    # without the option nothing is hidden
    plain = pl.read_csv(tmp_path / "ex" / "quarantine.csv")
    assert plain.height == 8


def test_suppress_unit() -> None:
    frame = pl.DataFrame({"members": [2, 10, 10], "women": [1, 0, 5], "women_share": [0.5, 0.0, 0.5],
                          "mean_age": [40.0, 41.0, 42.0], "term": [2021, 2021, 2021]})
    out = exports.suppress(frame, 3)
    assert out["members"].to_list() == ["<3", "10", "10"]
    assert out["women"].to_list() == ["<3", "0", "5"]
    assert out["women_share"].to_list() == ["<3", "0.0", "0.5"]
    assert out["mean_age"].to_list() == ["<3", "41.0", "42.0"]
    assert out["term"].to_list() == [2021, 2021, 2021]
    assert exports.suppress(frame, 0).equals(frame)


# ------------------------------------------------------------------ summary.xlsx: rows and cap
def _db_rows(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {stem: con.execute(f'select count(*) from {schema}."{table}"').fetchall()[0][0]
                for stem, (schema, table) in exports.TABLES.items()}
    finally:
        con.close()


def _same(cell: object, value: object) -> bool:
    if isinstance(value, float):
        return isinstance(cell, int | float) and math.isclose(cell, value, rel_tol=1e-12)
    if isinstance(value, dt.date):
        return isinstance(cell, dt.datetime) and cell.date() == value
    return cell == value


def test_workbook_cells_are_the_exported_rows(demo_exports: Path) -> None:
    # every cell of every mart sheet against the Parquet file, shown as the workbook shows it
    book = openpyxl.load_workbook(demo_exports / "summary.xlsx", read_only=True)
    checked = 0
    for mart in marts.MARTS:
        frame = exports.for_people(pl.read_parquet(demo_exports / f"{mart.name}.parquet"))
        rows = list(book[mart.sheet_zh].iter_rows(min_row=2))
        assert len(rows) == frame.height, mart.name
        for cells, values in zip(rows, frame.iter_rows(), strict=True):
            shown = [c.value for c in cells] + [None] * (frame.width - len(cells))
            assert all(_same(c, v) for c, v in zip(shown, values, strict=True)), \
                (mart.name, shown, values)
            checked += frame.width
        if frame.height:  # number formats by column kind
            cells = dict(zip(frame.columns, rows[0], strict=False))
            for column, fmt in (("women_share", "0.0%"), ("mean_age", "0.0"), ("members", "0"),
                                ("election_date", "yyyy-mm-dd;@")):
                if column in cells and cells[column].value is not None:
                    assert cells[column].number_format == fmt, (mart.name, column)
    assert checked > 5000
    head = next(book["班子结构"].iter_rows(max_row=1))[0]
    assert head.font.b and head.font.name == "宋体"
    book.close()


def test_board_level_sheets_over_the_cap_become_a_note(demo_exports: Path, tmp_path: Path) -> None:
    db = demo_exports.parent / "demo.duckdb"
    counts = _db_rows(db)
    cap = 2
    # the demo has rollups and board-level tables over the cap, and a table under it
    assert any(counts[s] > cap for s in exports.ROLLUPS)
    assert any(counts[s] > cap for s in exports.TABLES if s not in exports.ROLLUPS)
    assert any(counts[s] <= cap for s in exports.TABLES if s not in exports.ROLLUPS)
    out = tmp_path / "capped"
    exports.export(db, out, xlsx_max_rows=cap)
    book = openpyxl.load_workbook(out / "summary.xlsx", read_only=True)
    assert book.sheetnames == [m.sheet_zh for m in marts.MARTS] + ["隔离行", "数据问题"]
    for stem, (sheet, _) in exports.SUMMARY_SHEETS.items():
        rows = list(book[sheet].iter_rows(values_only=True))
        if stem in exports.ROLLUPS or counts[stem] <= cap:  # whole: header + every row
            assert len(rows) == counts[stem] + 1, stem
            assert not any("完整数据见" in str(v) for v in rows[0]), stem
        else:
            zh, en = rows[0][0], rows[1][0]
            assert len(rows) == 2, stem
            assert f"本表共 {counts[stem]:,} 行" in zh and f"{cap:,} 行的上限" in zh, zh
            assert f"This table has {counts[stem]:,} rows" in en, en
            is_mart = exports.TABLES[stem][0] == "main"
            for name in [f"{stem}.csv"] + ([f"{stem}.parquet"] if is_mart else []):
                assert name in zh and name in en, (stem, name)
    # the dashboard's download (which reads only the tables that fit) is the same workbook
    download = openpyxl.load_workbook(io.BytesIO(exports.workbook_bytes(db, max_rows=cap)),
                                      read_only=True)
    assert download.sheetnames == book.sheetnames
    for sheet in book.sheetnames:
        assert list(download[sheet].values) == list(book[sheet].values), sheet
    download.close()
    book.close()
    # the CSV and Parquet files hold every row, cap or not
    for stem, (schema, _) in exports.TABLES.items():
        assert pl.read_csv(out / f"{stem}.csv", infer_schema=False).height == counts[stem], stem
        if schema == "main":
            assert pl.read_parquet(out / f"{stem}.parquet").height == counts[stem], stem
    # weekly_progress.xlsx: the 汇总 whole, each week (19 districts × stages) a note
    book = openpyxl.load_workbook(out / "weekly_progress.xlsx", read_only=True)
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert len(summary) == counts["progress_weekly_summary"] + 1 > cap + 1
    last = list(book[book.sheetnames[-1]].iter_rows(values_only=True))
    assert len(last) == 2 and "progress_weekly" in last[0][0] and "progress_weekly" in last[1][0]
    book.close()


@pytest.mark.parametrize("writer", ["write_workbook", "write_progress_workbook"])
def test_a_failed_workbook_fails_the_export_and_leaves_the_folder_as_it_was(
        writer: str, demo_exports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # summary.xlsx is written on a thread of its own while the CSV/Parquet files are, and so is
    # weekly_progress.xlsx when a week fits a sheet (the demo's do): an error of either still
    # ends the export, and no file of the half-done export replaces a published one
    db = demo_exports.parent / "demo.duckdb"
    out = tmp_path / "ex"
    first = exports.export(db, out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    assert {f.name for f in first} == set(before)
    assert {"summary.xlsx", "weekly_progress.xlsx"} <= set(before)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full (test)")

    monkeypatch.setattr(exports, writer, broken)
    with pytest.raises(OSError, match="disk full"):
        exports.export(db, out)
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before  # no staging left either


def test_cap_is_an_option_of_the_cli(demo_exports: Path, tmp_path: Path) -> None:
    db = demo_exports.parent / "demo.duckdb"
    proc = boardshift("export", "--db", db, "--exports", tmp_path / "ex", "--xlsx-max-rows", "2",
                      "-q")
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(tmp_path / "ex" / "summary.xlsx", read_only=True)
    sheet = next(m.sheet_zh for m in marts.MARTS if m.name == "board_composition")
    (note,) = next(book[sheet].iter_rows(max_row=1, values_only=True))
    book.close()
    assert "行的上限" in note and "board_composition.csv" in note, note
    assert "--xlsx-max-rows" in boardshift("run", "--help").stdout


def test_no_sheet_gets_more_rows_than_excel_holds(tmp_path: Path) -> None:
    limit = exports.EXCEL_MAX_DATA_ROWS
    assert limit == 1_048_576 - 1  # Excel's rows a sheet, less the header
    assert exports.sheet_limit("board_composition", 5_000_000) == limit
    assert exports.sheet_limit("one_down_one_up_rollup", 10) == limit
    small = pl.DataFrame({"members": [1]})
    tables: dict[str, pl.DataFrame | int] = {stem: small for stem in exports.TABLES}
    tables["one_down_one_up_rollup"] = pl.DataFrame({"members": range(limit + 1)})  # a rollup
    tables["board_composition"] = pl.DataFrame({"members": range(limit)})  # just fits
    tables["board_structure"] = limit + 1  # counted, not read
    exports.write_workbook(tmp_path / "big.xlsx", tables, max_rows=5_000_000)
    book = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True)
    note = next(book["一降一升_街道汇总"].iter_rows(values_only=True))[0]
    assert f"本表共 {limit + 1:,} 行" in note and f"{limit:,} 行的上限" in note
    assert book["班子结构"].max_row == limit + 1  # header + every row
    assert next(book["结构_班子"].iter_rows(values_only=True))[0].startswith(f"本表共 {limit + 1:,} 行")
    book.close()
    with pytest.raises(ValueError, match="do not fit"):
        exports.write_xlsx(tmp_path / "x.xlsx", [exports.Table("t", pl.DataFrame({"a": range(limit + 1)}))])


def test_workbook_text_is_escaped_and_kept_as_text(tmp_path: Path) -> None:
    texts = ["a&b<c>d", " leading", "trailing ", "=1+1", "中文", "", None, "x" * 40_000]
    frame = pl.DataFrame({"message": texts, "members": range(len(texts))})
    exports.write_xlsx(tmp_path / "t.xlsx", [exports.Table("t", frame)])
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")  # not read-only: parses the whole XML
    rows = list(book["t"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == texts[:5] + [None, None, "x" * 32_767]
    assert [r[1] for r in rows] == list(range(len(texts)))
    assert book["t"]["A5"].data_type == "s"  # "=1+1" stays text, not a formula
    book.close()


def test_each_text_column_gets_the_rewrites_its_own_values_need(tmp_path: Path) -> None:
    # escapes, control characters, edge spaces and the cell limit are applied per column, only
    # where some value of that column needs them: each column here needs a different one
    import zipfile

    frame = pl.DataFrame({
        "plain": ["ab", "cd", None], "markup": ["a&b", "c<d>", "e"], "edges": ["x", " y", "z "],
        "control": ["a\x01b", "c", "\x1f"], "literal": ["_x0041_", "b", "c"],
        "long": ["x" * 40_000, "y", "z"]})
    exports.write_xlsx(tmp_path / "t.xlsx", [exports.Table("t", frame)])
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    columns = list(zip(*book["t"].iter_rows(min_row=2, values_only=True), strict=True))
    book.close()
    assert columns == [
        ("ab", "cd", None), ("a&b", "c<d>", "e"), ("x", " y", "z "),
        # Excel spells a control character _xHHHH_ and a literal _xHHHH_ as _x005F_xHHHH_ (Excel
        # shows the character and the literal text; openpyxl leaves the spelling as it is)
        ("a_x0001_b", "c", "_x001F_"), ("_x005F_x0041_", "b", "c"),
        ("x" * exports.CELL_MAX_CHARS, "y", "z")]
    with zipfile.ZipFile(tmp_path / "t.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert xml.count('xml:space="preserve"') == 2  # " y" and "z ", not "x" nor other columns
    assert "a&amp;b" in xml and "c&lt;d&gt;" in xml


def test_sheet_rows_are_built_ahead_in_order_and_a_failure_reaches_the_caller(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the rows' XML is built on a second thread, a chunk ahead of the compression
    import threading

    monkeypatch.setattr(exports, "ROWS_PER_CHUNK", 7)
    frame = pl.DataFrame({"n": range(100), "s": [f"第{i}行" for i in range(100)]})
    exports.write_xlsx(tmp_path / "t.xlsx", [exports.Table("t", frame)])
    book = openpyxl.load_workbook(tmp_path / "t.xlsx", read_only=True)
    assert list(book["t"].iter_rows(min_row=2, values_only=True)) == list(frame.iter_rows())
    book.close()

    def failing(frame: pl.DataFrame, styles: object) -> object:
        yield b'<row r="2"></row>'
        raise RuntimeError("rows failed")

    monkeypatch.setattr(exports, "_rows_xml", failing)
    with pytest.raises(RuntimeError, match="rows failed"):
        exports.write_xlsx(tmp_path / "u.xlsx", [exports.Table("t", frame)])
    assert not [t for t in threading.enumerate() if t.name == "boardshift-xlsx-rows"]


def test_sheet_xml_is_compressed_by_isal_and_reads_back_anywhere(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # each data sheet's XML goes through ISA-L's deflate (not zlib's), and the file reads back
    # cell for cell in openpyxl and in calamine (polars' Excel reader)
    import zipfile

    made: list[tuple[object, ...]] = []
    compressobj = exports.isal_zlib.compressobj

    def counted(*args: object) -> object:
        made.append(args)
        return compressobj(*args)

    monkeypatch.setattr(exports.isal_zlib, "compressobj", counted)
    frame = pl.DataFrame({"n": range(50_000), "s": [f"第{i % 37}行" for i in range(50_000)],
                          "d": [dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)
                                for i in range(50_000)]})
    target = tmp_path / "t.xlsx"
    exports.write_xlsx(target, [exports.Table("甲", frame), exports.Table("乙", frame.head(3))])
    assert made == [(1, exports.isal_zlib.DEFLATED, -15)] * 2  # one per data sheet
    with zipfile.ZipFile(target) as z:
        assert z.testzip() is None  # every member's CRC
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_DEFLATED}
    book = openpyxl.load_workbook(target, read_only=True)
    rows = list(book["甲"].iter_rows(min_row=2, values_only=True))
    book.close()
    assert [(n, s, d.date()) for n, s, d in rows] == list(frame.iter_rows())
    for sheet, expected in (("甲", frame), ("乙", frame.head(3))):
        got = pl.read_excel(target, sheet_name=sheet).rename(dict(zip(
            [marts.label(c) for c in frame.columns], frame.columns, strict=True)))
        assert got.with_columns(pl.col("d").cast(pl.Date)).equals(expected), sheet


# ------------------------------------------------------------------ a real spreadsheet application
SOFFICE = shutil.which("soffice")
# LibreOffice's CSV export of every sheet (the last field, -1): comma, double quote, UTF-8, raw
# values rather than as shown (so 0.6 in a percent cell is "60%", a date "2026-11-25")
LO_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _libreoffice_sheets(book: Path, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Each sheet of `book` as LibreOffice Calc reads it (headless, each sheet to a CSV file)."""
    if SOFFICE is None:
        message = "soffice is missing: `make test` installs it (apt-get install libreoffice-calc-nogui)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    out = tmp_path / f"lo-{book.stem}"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", LO_CSV, "--outdir", str(out), str(book)],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sheets = {}
    for path in out.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            sheets[path.stem.removeprefix(f"{book.stem}-")] = list(csv.reader(fh))
    return sheets


def _as_libreoffice_shows(value: object) -> object:
    """openpyxl's value of a cell in the form LibreOffice's CSV gives it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value


def _same_in_libreoffice(shown: str, value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return shown == _as_libreoffice_shows(value)
    number, scale = (shown[:-1], 0.01) if shown.endswith("%") else (shown, 1.0)
    try:
        return math.isclose(float(number) * scale, value, rel_tol=1e-12, abs_tol=1e-12)
    except ValueError:
        return False


def test_workbooks_read_the_same_in_libreoffice(demo_exports: Path, tmp_path: Path) -> None:
    # every cell of both workbooks as LibreOffice Calc reads them, against openpyxl's reading
    # (which test_workbook_cells_are_the_exported_rows checks against the Parquet files)
    checked = 0
    for name in ("summary.xlsx", "weekly_progress.xlsx"):
        sheets = _libreoffice_sheets(demo_exports / name, tmp_path)
        book = openpyxl.load_workbook(demo_exports / name, read_only=True)
        assert sorted(sheets) == sorted(book.sheetnames), name
        for sheet in book.sheetnames:
            rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
            assert len(sheets[sheet]) == len(rows), (name, sheet)
            for number, (row, shown) in enumerate(zip(rows, sheets[sheet], strict=True), 1):
                shown += [""] * (len(row) - len(shown))  # LibreOffice ends a row at its last value
                assert all(_same_in_libreoffice(s, v) for s, v in zip(shown, row, strict=True)), \
                    (name, sheet, number, shown, row)
                checked += len(row)
        book.close()
    assert checked > 30_000


def test_awkward_cells_read_right_in_libreoffice(tmp_path: Path) -> None:
    # text that needs escaping or keeping as text, empty and null cells between values, dates,
    # percentages and whole numbers, as LibreOffice Calc reads them
    frame = pl.DataFrame({
        "message": ["a&b<c>d", " leading", "trailing ", "=1+1", "中文", "", None, "x" * 40_000],
        "members": [1, None, 3, 4, 5, 6, 7, 8],
        "women_share": [0.5, 0.125, None, 1.0, 0.0, 1 / 3, 0.25, 0.75],
        "election_date": [dt.date(2021, 3, 14), None, dt.date(1900, 3, 1), dt.date(2026, 11, 25),
                          dt.date(2000, 2, 29), None, dt.date(2026, 1, 1), dt.date(1999, 12, 31)],
        "elected": [True, False, None, True, False, True, None, False]})
    exports.write_xlsx(tmp_path / "t.xlsx", [exports.Table("表", frame)])
    sheets = _libreoffice_sheets(tmp_path / "t.xlsx", tmp_path)
    rows = [r + [""] * (5 - len(r)) for r in sheets["表"][1:]]
    assert [r[0] for r in rows] == ["a&b<c>d", " leading", "trailing ", "=1+1", "中文", "", "",
                                    "x" * exports.CELL_MAX_CHARS]
    assert [r[1] for r in rows] == ["1", "", "3", "4", "5", "6", "7", "8"]
    assert [r[2] for r in rows] == ["50%", "12.5%", "", "100%", "0%", "33.3333333333333%", "25%",
                                    "75%"]
    assert [r[3] for r in rows] == [str(d) if d else "" for d in frame["election_date"]]
    assert [r[4] for r in rows] == ["是", "否", "", "是", "否", "是", "", "否"]

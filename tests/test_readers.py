"""Reading raw files (pipelines/readers.py) from real files written in tmp_path."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
import pytest

from pipelines import contract, ingest, readers
from pipelines.errors import InputFileError
from tests import rawfiles
from tests.rawfiles import PERSON_HEADER_ZH, TODAY, Sheet, person

MEMBER_COLUMNS = [*contract.TABLES["board_members"].column_names,
                  "source_file", "source_sheet", "source_row", "extra_cells", "cell_separator",
                  "id_from_number", "birth_date_from_number"]


def read_one(raw: Path) -> readers.RawFile:
    sources, _ = readers.discover(raw)
    assert len(sources) == 1, sources
    return readers.read(sources[0], raw)


def members_csv(tmp_path: Path, rows: list, header: list[str] = PERSON_HEADER_ZH,
                name: str = "班子成员.csv", **kw) -> Path:
    raw = tmp_path / "raw"
    rawfiles.write_csv(raw / name, header, rows, **kw)
    return raw


# ---------------------------------------------------------------- encodings
ROSTER = [
    person(name="张三", district_code="0101"),
    person(name="李四", gender="女", birth_date="1980年5月", district_code="0102"),
]
ROSTER_EXT = [*ROSTER, person(name="刘䶮", birth_date="1970-01-01")]


@pytest.mark.parametrize(
    ("rows", "encodings"),
    [
        (ROSTER, [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"),
                  ("gb18030", "gb18030")]),
        # 䶮 (U+4DAE) is not in GBK; GB18030 has it
        (ROSTER_EXT, [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")]),
    ],
    ids=["gbk-names", "outside-gbk"],
)
def test_encodings_give_identical_frames(tmp_path: Path, rows, encodings) -> None:
    with pytest.raises(UnicodeEncodeError):
        "刘䶮".encode("gbk")  # the premise of the second case
    frames = []
    for written, detected in encodings:
        raw = members_csv(tmp_path / written, rows, encoding=written)
        got = read_one(raw)
        assert got.encoding == detected
        assert got.file_format == "csv"
        frames.append(got.frame)
    assert frames[0]["name"].to_list() == [r[4] for r in rows]
    assert frames[0].columns == MEMBER_COLUMNS
    for frame in frames[1:]:
        assert frame.equals(frames[0])


def test_gb18030_four_byte_character(tmp_path: Path) -> None:
    raw = members_csv(tmp_path, [person(name="吉𠮷")], encoding="gb18030")
    got = read_one(raw)
    assert got.frame["name"].to_list() == ["吉𠮷"]
    assert got.encoding == "gb18030"


def test_utf16_csv_raises_naming_file(tmp_path: Path) -> None:
    raw = members_csv(tmp_path, ROSTER, encoding="utf-16")
    sources, _ = readers.discover(raw)
    with pytest.raises(InputFileError) as info:
        readers.read(sources[0], raw)
    assert info.value.file == "班子成员.csv"
    assert "班子成员.csv" in str(info.value)


def test_binary_bytes_raise_naming_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "班子成员_坏.csv").write_bytes(random.Random(7).randbytes(2048))
    sources, _ = readers.discover(raw)
    with pytest.raises(InputFileError) as info:
        readers.read(sources[0], raw)
    assert "班子成员_坏.csv" in str(info.value)


def test_utf8_bom_with_gbk_body_raises(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "班子成员.csv").write_bytes(
        b"\xef\xbb\xbf" + rawfiles.csv_text(PERSON_HEADER_ZH, ROSTER).encode("gbk"))
    with pytest.raises(InputFileError, match="班子成员.csv"):
        read_one(raw)


# ---------------------------------------------------------------- lines and row numbers
def test_crlf_line_endings(tmp_path: Path) -> None:
    raw = members_csv(tmp_path, ROSTER, newline="\r\n", encoding="gbk")
    frame = read_one(raw).frame
    assert frame["name"].to_list() == ["张三", "李四"]
    assert frame["role"].to_list() == ["委员", "委员"]  # last column: no stray \r
    assert frame["source_row"].to_list() == [2, 3]


def test_blank_lines_in_the_middle_keep_row_numbers(tmp_path: Path) -> None:
    rows = [person(name="甲"), person(name="乙"), "", person(name="丙"), [""] * 11,
            person(name="丁")]
    raw = members_csv(tmp_path, rows)
    # header = row 1; 甲 2, 乙 3, blank 4, 丙 5, a line of empty cells 6, 丁 7
    frame = read_one(raw).frame
    assert frame["name"].to_list() == ["甲", "乙", "丙", "丁"]
    assert frame["source_row"].to_list() == [2, 3, 5, 7]


def test_blank_line_and_title_above_header(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    text = "2021年班子成员名单\n\n" + rawfiles.csv_text(PERSON_HEADER_ZH, [person(name="甲")])
    (raw / "班子成员.csv").write_text(text, encoding="utf-8")
    # title 1, blank 2, header 3, 甲 4
    assert read_one(raw).frame["source_row"].to_list() == [4]


def test_blank_line_right_after_header(tmp_path: Path) -> None:
    raw = members_csv(tmp_path, ["", person(name="甲", term="2021"), person(name="乙")])
    frame = read_one(raw).frame
    assert frame["source_row"].to_list() == [3, 4]
    assert frame["name"].to_list() == ["甲", "乙"]
    assert frame["term"].to_list() == ["2021", "2021"]


def test_short_first_row_does_not_truncate_later_rows(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    text = ("居民区代码,组织类型,换届年份,姓名,性别\n"
            "0101,党委,2021\n"
            "0101,党委,2021,乙,女\n")
    (raw / "班子成员.csv").write_text(text, encoding="utf-8")
    frame = read_one(raw).frame
    assert frame["name"].to_list() == [None, "乙"]
    assert frame["gender"].to_list() == [None, "女"]


def test_full_width_comma_delimiter(tmp_path: Path) -> None:
    raw = members_csv(tmp_path, [person(name="甲")], delimiter="，")
    assert read_one(raw).frame["name"].to_list() == ["甲"]


@pytest.mark.parametrize(("name", "delimiter"), [("班子成员.tsv", "\t"), ("班子成员.csv", "\t"),
                                                ("班子成员.csv", ";")])
def test_other_delimiters(tmp_path: Path, name: str, delimiter: str) -> None:
    raw = members_csv(tmp_path, [person(name="甲"), person(name="乙")], name=name,
                      delimiter=delimiter)
    frame = read_one(raw).frame
    assert frame["name"].to_list() == ["甲", "乙"]
    assert frame["role"].to_list() == ["委员", "委员"]


def test_bare_cr_line_ends(tmp_path: Path) -> None:
    """An old Mac "CSV" ends its lines with a bare CR, which polars does not split on: the
    file is re-encoded with LF line ends first."""
    raw = members_csv(tmp_path, [person(name="甲"), "", person(name="乙")], newline="\r",
                      encoding="gbk")
    frame = read_one(raw).frame
    assert frame["name"].to_list() == ["甲", "乙"]
    assert frame["role"].to_list() == ["委员", "委员"]
    assert frame["source_row"].to_list() == [2, 4]


def test_quoted_cell_over_lines_is_one_row(tmp_path: Path) -> None:
    """A quoted cell may hold line breaks, even a blank line: one cell of one row, as Excel
    shows it; the next row's number counts rows, not lines."""
    raw = members_csv(tmp_path, [person(name="甲\n\n乙"), person(name="丙")])
    frame = read_one(raw).frame
    assert frame["name"].to_list() == ["甲\n\n乙", "丙"]
    assert frame["source_row"].to_list() == [2, 3]


CSV_PART_ROWS = [person(name="甲"), "", person(name="乙"), person(name="丙"), [""] * 11,
                 person(name="丁"), person(name="戊")]


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("utf-8", "，"), ("gb18030", "\t")])
def test_csv_read_in_parts_is_the_whole_file(tmp_path: Path, encoding: str,
                                             delimiter: str) -> None:
    """Streaming parses a CSV a part at a time (a GBK file, or a full-width comma, through a
    UTF-8 copy): the parts are the file, rows numbered as a person sees them, blank rows left
    out as in a whole read."""
    raw = tmp_path / "raw"
    raw.mkdir()
    text = "2021年班子成员名单\n" + rawfiles.csv_text(PERSON_HEADER_ZH, CSV_PART_ROWS,
                                                   delimiter=delimiter)
    (raw / "班子成员.csv").write_bytes(text.encode(encoding))
    (source,) = readers.discover(raw)[0]
    whole = readers.read(source, raw)
    parts = list(readers.read_parts(source, raw, rows=3))
    # title 1, header 2, 甲 3, blank 4, 乙 5, 丙 6, empty cells 7, 丁 8, 戊 9
    assert [p.frame.height for p in parts] == [2, 2, 1]  # rows 3–5, 6–8, 9
    assert pl.concat([p.frame for p in parts]).equals(whole.frame)
    assert whole.frame["source_row"].to_list() == [3, 5, 6, 8, 9]
    assert whole.frame["name"].to_list() == ["甲", "乙", "丙", "丁", "戊"]
    assert whole.frame["role"].to_list() == ["委员"] * 5
    assert {p.encoding for p in parts} == {whole.encoding}


def test_csv_checked_a_chunk_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The encoding check and the UTF-8 copy go a chunk at a time; with 5-byte chunks every
    two- and four-byte character, CRLF and bare CR is cut somewhere, and must come out whole;
    an undecodable byte is reported at its place in the file."""
    monkeypatch.setattr(readers, "CSV_CHUNK_BYTES", 5)
    rows = [person(name="吉𠮷"), person(name="刘䶮"), person(name="张三")]
    raw = tmp_path / "ok"
    raw.mkdir()
    text = rawfiles.csv_text(PERSON_HEADER_ZH, rows, newline="\r\n")
    text = text.replace("\r\n", "\r", 2)  # the header's and 吉𠮷's lines end in a bare CR
    (raw / "班子成员.csv").write_bytes(text.encode("gb18030"))
    got = read_one(raw)
    assert got.encoding == "gb18030"
    assert got.frame["name"].to_list() == ["吉𠮷", "刘䶮", "张三"]
    assert got.frame["role"].to_list() == ["委员"] * 3
    assert got.frame["source_row"].to_list() == [2, 3, 4]

    bad = tmp_path / "bad"
    bad.mkdir()
    good = rawfiles.csv_text(PERSON_HEADER_ZH, rows).encode("gb18030")
    (bad / "班子成员.csv").write_bytes(good + b"\x81\x20" + good)  # 0x81 then a space: neither
    with pytest.raises(InputFileError, match=f"字节位置 {len(good)}）"):
        read_one(bad)


@pytest.mark.parametrize(("data", "bare_cr"), [
    (b"ab\r\ncd\r\n", False),  # each 4-byte chunk ends with a whole CRLF
    (b"abc\r\ncd\r\n", False),  # a CRLF cut between two chunks
    (b"ab\rcd\r\n", True),
    (b"abc\rdcd", True),  # a bare CR as a chunk's last byte
])
def test_bare_cr_found_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     data: bytes, bare_cr: bool) -> None:
    """Only a file with a bare CR is re-encoded: a Windows file's CRLF cut by a chunk, or
    ending one, is not mistaken for one."""
    monkeypatch.setattr(readers, "CSV_CHUNK_BYTES", 4)
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert readers._csv_text(path, "x.csv").bare_cr is bare_cr


def _roster_lines(n: int) -> list[str]:
    """A header and `n` roster lines, each line with its own newline."""
    people = [person(name=f"张{'一二三四五六七八九'[i % 9]}{i}", district_code=f"{i:04d}")
              for i in range(n)]
    return rawfiles.csv_text(PERSON_HEADER_ZH, people).splitlines(keepends=True)


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), ("\t", "gbk"), ("，", "utf-8")])
def test_cells_beyond_the_header(tmp_path: Path, delimiter: str, encoding: str) -> None:
    """A line with more cells than its header keeps the non-blank cells beyond the header as
    `extra_cells` (validation quarantines the row): a delimiter typed in a cell, or a line
    longer than SPARE_CELLS beyond it. A quoted delimiter, trailing empty or blank cells and a
    short line have none."""
    d = delimiter
    width = len(PERSON_HEADER_ZH)
    plain = d.join(person(name="甲"))
    lines = [
        d.join(PERSON_HEADER_ZH),
        plain,  # 2
        d.join(person(name=f"张{d}三")),  # 3: the role is pushed beyond the header
        d.join(person(role=f"书记{d}主任")),  # 4
        plain + d * 3 + " " + d,  # 5: empty and blank cells beyond: nothing
        d.join(person(name=f'"乙{d}丙"')) if d != "，" else plain,  # 6: quoted: one cell
        plain + d + d.join(f"x{i}" for i in range(12)),  # 7: more than SPARE_CELLS beyond
        d.join(person()[:3]),  # 8: a short line
        plain + d + "x" + d + " " + d + d + "y" + d,  # 9: blank cells between: left out
    ]
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "班子成员.csv").write_bytes(("\n".join(lines) + "\n").encode(encoding))
    frame = read_one(raw).frame
    assert frame["source_row"].to_list() == [2, 3, 4, 5, 6, 7, 8, 9]
    # how the cells are joined for a message: a tab would not show, so there each is quoted
    # apart (the reason puts “” around the whole)
    shown = "”“" if d == "\t" else d
    assert frame["extra_cells"].to_list() == [
        None, person()[width - 1], "主任", None, None,
        shown.join(f"x{i}" for i in range(readers.SPARE_CELLS)), None, f"x{shown}y"]
    assert frame["name"].to_list()[:2] == ["甲", "张"]
    assert frame["role"].to_list()[2] == "书记"
    if d != "，":
        assert frame["name"].to_list()[4] == f"乙{d}丙"
    assert readers.SPARE_CELLS < 12  # line 7 has more beyond the header than are kept


# English words and two-character names only: every UTF-8 field is an even number of bytes
# ≥ 0x80, so the UTF-8 part also decodes as GB18030 — as other characters
PLAIN_EN = [["district_code", "body", "term", "name", "role"],
            *[["0101", "party", "2021", name, "member"] for name in ("张三", "李四", "王五", "赵六")]]


EOLS = pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "bare-cr"])


@EOLS
@pytest.mark.parametrize("chunk", [5, 1 << 24])
@pytest.mark.parametrize("plain", [False, True], ids=["chinese-header", "two-character-names"])
def test_utf8_then_gbk_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  chunk: int, plain: bool, eol: str) -> None:
    """A UTF-8 roster with a GBK one's rows joined on is refused, naming the line and byte where
    the GBK starts. Before, the file was read as GB18030 when that decoded: the UTF-8 part's
    names came out as other characters, without an error (`plain`). A bare CR (an old Mac
    file) ends a line as an LF does."""
    monkeypatch.setattr(readers, "CSV_CHUNK_BYTES", chunk)
    lines = [line.rstrip("\n") + eol for line in
             (rawfiles.csv_text(None, PLAIN_EN) if plain else "".join(_roster_lines(6))
              ).splitlines(keepends=True)]
    utf8 = "".join(lines[:4]).encode("utf-8")  # header and three rows: lines 1–4
    gbk = "".join(lines[4:]).encode("gbk")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "班子成员.csv").write_bytes(utf8 + gbk)
    first_gbk = len(utf8) + next(i for i, b in enumerate(gbk) if b >= 0x80)
    with pytest.raises(InputFileError, match=f"编码不一致：文件前面是 UTF-8 编码，第 5 行（字节位置 "
                                             f"{first_gbk}）起不是"):
        read_one(raw)
    if plain:  # the premise: as GB18030 the whole file decodes, with none of the UTF-8 names
        as_gbk = (utf8 + gbk).decode("gb18030")
        assert "赵六" in as_gbk and not {"张三", "李四", "王五"} & set(as_gbk.split(","))


@EOLS
@pytest.mark.parametrize("chunk", [7, 1 << 24])
def test_gbk_with_utf8_rows_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       chunk: int, eol: str) -> None:
    """A GBK roster with rows pasted in from a UTF-8 file is refused, naming the first such line
    and how many there are — whether the UTF-8 rows happen to decode as GB18030 (then, before,
    they loaded as other characters) or not (before: “neither UTF-8 nor GBK”). A bare CR (an
    old Mac file) ends a line as an LF does: before, such a file was one line to this check,
    not UTF-8, so it too was “neither UTF-8 nor GBK” (these rows) or loaded as other
    characters."""
    monkeypatch.setattr(readers, "CSV_CHUNK_BYTES", chunk)
    lines = [(line.rstrip("\n") + eol).encode("gbk") for line in _roster_lines(8)]
    for i in (3, 6, 7):  # lines 4, 7 and 8
        lines[i] = lines[i].decode("gbk").encode("utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "班子成员.csv").write_bytes(b"".join(lines))
    with pytest.raises(InputFileError, match="文件是 GBK/GB18030 编码，但第 4 行等 3 行是 UTF-8 编码"):
        read_one(raw)
    assert readers._utf8_lines(raw / "班子成员.csv") == [4, 7, 8]


def test_gbk_text_is_not_taken_for_utf8(tmp_path: Path) -> None:
    """No false alarm: 200,000 lines of random Chinese (drawn from every GB2312 character, 1–16
    a line in 1–4 comma-separated words, after a number) written as GBK have no line that passes for UTF-8, and no stretch
    before the first non-UTF-8 byte that holds MIXED_MIN_HANZI characters."""
    hanzi = [bytes([hi, lo]).decode("gb2312") for hi in range(0xB0, 0xF8)
             for lo in range(0xA1, 0xFF) if (hi, lo) not in {(0xD7, x) for x in range(0xFA, 0xFF)}]
    rng = random.Random(2021)
    lines = []
    for i in range(200_000):
        words = ["".join(rng.choices(hanzi, k=rng.randint(1, 4))) for _ in range(rng.randint(1, 4))]
        lines.append(f"{i:06d}," + ",".join(words) + "\n")
    path = tmp_path / "gbk.csv"
    path.write_bytes("".join(lines).encode("gbk"))
    assert readers._utf8_lines(path) == []
    assert readers._csv_text(path, "gbk.csv").encoding == "gb18030"
    most = 0
    for line, after in zip(lines, lines[1:], strict=False):  # each line as a file's start
        data = (line + after).encode("gbk")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            most = max(most, len(readers._HANZI.findall(data[:exc.start].decode("utf-8"))))
    assert most < readers.MIXED_MIN_HANZI


# ---------------------------------------------------------------- headers
def test_full_width_headers_map(tmp_path: Path) -> None:
    header = ["居民区代码", "组织类型", "换届年份", "身份证号码（18位）", "\u3000姓名\u3000",
              "性 别", "出生年月（年.月）", "最高学历", "全日制教育", "政治面貌", "职务【现任】"]
    raw = members_csv(tmp_path, [person(name="甲", id_number="11010519491231002X")], header=header)
    got = read_one(raw)
    row = got.frame.row(0, named=True)
    assert row["name"] == "甲"
    assert row["id_number"] == "11010519491231002X"
    assert row["birth_date"] == "1975.03"
    assert row["gender"] == "男"
    assert row["education"] == "本科"
    assert row["education_fulltime"] == "大专"
    assert row["role"] == "委员"
    assert got.ignored_columns == []


def test_unknown_columns_are_reported_and_kept_out(tmp_path: Path) -> None:
    header = ["序号", *PERSON_HEADER_ZH, "备注", "联系电话"]
    rows = [["1", *person(name="甲"), "新任", "13800000000"]]
    got = read_one(members_csv(tmp_path, rows, header=header))
    assert got.ignored_columns == ["序号", "备注", "联系电话"]
    assert got.frame.columns == MEMBER_COLUMNS
    assert got.frame["name"].to_list() == ["甲"]
    assert got.frame["district_code"].to_list() == ["0101"]


def test_ignored_columns_in_the_run_report(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw")
    rawfiles.write_csv(raw / "班子成员.csv", [*PERSON_HEADER_ZH, "备注"], [[*person(), "x"]])
    _, result = ingest.read_and_validate(raw, today=TODAY)
    report = result.report.filter(pl.col("source_file") == "班子成员.csv")
    assert report["ignored_columns"].to_list() == ["备注"]


def test_missing_required_column(tmp_path: Path) -> None:
    header = [h for h in PERSON_HEADER_ZH if h != "姓名"]
    rows = [[v for h, v in zip(PERSON_HEADER_ZH, person(), strict=True) if h != "姓名"]]
    raw = members_csv(tmp_path, rows, header=header, name="班子成员_2021.csv")
    with pytest.raises(InputFileError) as info:
        read_one(raw)
    message = str(info.value)
    assert "班子成员_2021.csv" in message
    assert "姓名" in message
    assert info.value.file == "班子成员_2021.csv"


def test_missing_required_column_of_districts(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    rawfiles.write_csv(raw / "居民区.csv", ["居民区代码", "居民区名称"], [["0101", "长风一村"]])
    with pytest.raises(InputFileError) as info:
        read_one(raw)
    assert "居民区.csv" in str(info.value)
    assert "街道" in str(info.value)


def test_two_headers_for_one_column_raise(tmp_path: Path) -> None:
    header = [*PERSON_HEADER_ZH, "名字"]
    raw = members_csv(tmp_path, [[*person(name="甲"), "乙"]], header=header)
    with pytest.raises(InputFileError) as info:
        read_one(raw)
    message = str(info.value)
    assert "班子成员.csv" in message
    assert "姓名" in message and "名字" in message


def test_no_header_row_raises(tmp_path: Path) -> None:
    raw = members_csv(tmp_path, [["a", "b", "c"]], header=["x", "y", "z"])
    with pytest.raises(InputFileError, match="班子成员.csv"):
        read_one(raw)


# ---------------------------------------------------------------- empty files
def test_empty_csv_raises(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "班子成员.csv").write_bytes(b"")
    with pytest.raises(InputFileError) as info:
        read_one(raw)
    assert "班子成员.csv" in str(info.value)


def test_header_only_csv_gives_zero_rows(tmp_path: Path) -> None:
    raw = members_csv(tmp_path, [])
    got = read_one(raw)
    assert got.frame.height == 0
    assert got.frame.columns == MEMBER_COLUMNS


def test_header_only_csv_in_a_run(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[])
    frames, result = ingest.read_and_validate(raw, today=TODAY)
    report = result.report.filter(pl.col("source_file") == "班子成员.csv").row(0, named=True)
    assert (report["rows_read"], report["rows_loaded"], report["rows_quarantined"]) == (0, 0, 0)
    assert frames["board_members"].height == 0


# ---------------------------------------------------------------- xlsx
def xlsx_members(raw: Path, rows: list, *, title: str | None = None, first_row: int = 0,
                 first_col: int = 0, name: str = "班子成员.xlsx", sheet: str = "班子成员") -> Path:
    rawfiles.write_xlsx(raw / name, [Sheet(sheet, PERSON_HEADER_ZH, rows, title=title,
                                           first_row=first_row, first_col=first_col)])
    return raw


def xrow(**values: object) -> list[object]:
    """A person row for a sheet: any value may be a number or a date (written as that cell type)."""
    row: list[object] = list(person())
    for key, value in values.items():
        row[rawfiles.PERSON_FIELDS.index(key)] = value
    return row


def test_xlsx_title_and_leading_blank_row_give_sheet_row_numbers(tmp_path: Path) -> None:
    rows = [xrow(name="甲"), xrow(name="乙"), [None] * 11, xrow(name="丙")]
    raw = xlsx_members(tmp_path / "raw", rows, title="2021年班子成员名单", first_row=1)
    # row 1 blank, row 2 merged title, row 3 header, 甲 4, 乙 5, blank 6, 丙 7
    got = read_one(raw)
    assert got.file_format == "xlsx"
    assert got.sheet == "班子成员"
    assert got.frame["name"].to_list() == ["甲", "乙", "丙"]
    assert got.frame["source_row"].to_list() == [4, 5, 7]
    assert got.frame["source_sheet"].to_list() == ["班子成员"] * 3


@pytest.mark.parametrize("skew", ["header", "height"])
def test_xlsx_row_numbers_need_both_readers_to_agree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skew: str) -> None:
    """fastexcel gives the cells' text, python-calamine where the used range starts; the row
    numbers add the two. Were one of them (separate installs) to trim the empty rows above a
    table differently, every row number would be off by as many rows: the sheet is refused,
    naming why, rather than read with wrong row numbers."""
    rows = [xrow(name="甲"), xrow(name="乙")]
    raw = xlsx_members(tmp_path / "raw", rows, title="2021年班子成员名单", first_row=1)
    real = readers._sheet_layout
    layout = real(raw / "班子成员.xlsx", "班子成员", {}, 1)  # row 2 title, 3 header
    assert (layout.first_row, layout.height, layout.header[:2]) == (2, 4, ["居民区代码", "组织类型"])
    assert read_one(raw).frame["source_row"].to_list() == [4, 5]

    def skewed(path: Path, sheet: str, columns: dict[int, str], header_index: int
               ) -> readers.SheetLayout:
        # as if calamine's used range began one row lower (at the header): its row
        # `header_index` is then 甲's; or as if it counted one more row
        if skew == "header":
            return real(path, sheet, columns, header_index + 1)
        return real(path, sheet, columns, header_index)._replace(height=layout.height + 1)

    monkeypatch.setattr(readers, "_sheet_layout", skewed)
    with pytest.raises(InputFileError) as raised:
        read_one(raw)
    assert str(raised.value).startswith(
        "无法读取文件 班子成员.xlsx，工作表“班子成员”：无法确定各行在工作表中的行号：fastexcel 读到 4 行、"
        "表头在其第 2 行，python-calamine 读到 ")
    assert "请把该工作表另存为 CSV 文件后再放入 raw/" in str(raised.value)


def test_xlsx_id_as_number_cell(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw")
    rows = [
        xrow(name="甲", id_number="11010519491231002X"),  # text cell: fine
        xrow(name="乙", id_number=440524188001010014),  # number cell: digits lost
        [None] * 11,
        xrow(name="丙", id_number="370101190102039973"),
    ]
    xlsx_members(raw, rows, title="名单", first_row=1)
    # blank 1, title 2, header 3, 甲 4, 乙 5, blank 6, 丙 7
    got = read_one_table(raw, "board_members")
    assert got.frame["source_row"].to_list() == [4, 5, 7]
    assert got.frame["id_from_number"].to_list() == [False, True, False]

    frames, result = ingest.read_and_validate(raw, today=TODAY)
    loaded = frames["board_members"].sort("source_row")
    assert loaded["id_number"].to_list() == ["11010519491231002X", None, "370101190102039973"]
    found = result.findings.filter(pl.col("source_file") == "班子成员.xlsx",
                                   pl.col("column_name") == "id_number")
    assert found.select("source_row", "finding_code").rows() == [(5, "id_from_number")]
    assert found["source_sheet"].to_list() == ["班子成员"]
    # masked: first 6 and last 4 characters of what the cell now holds
    assert found["value"][0].startswith("440524********")


def test_xlsx_birth_year_month_as_number_cell(tmp_path: Path) -> None:
    """出生年月 typed 1975.10 in a number cell is the number 1975.1, as is 1975.1: January or
    October cannot be told, so neither is taken and the finding says why. Before, it loaded
    as January 1975 without a word. A text cell is read as typed; another month held as a
    number (1975.3, 1975.12) cannot be anything else. An ID, when valid, decides anyway."""
    raw = rawfiles.raw_folder(tmp_path / "raw")
    rows = [
        xrow(name="甲", birth_date=1975.10),  # the number 1975.1
        xrow(name="乙", birth_date=1975.3),
        xrow(name="丙", birth_date="1975.1"),  # a text cell: January, as typed
        xrow(name="丁", birth_date=1975.12),
        xrow(name="戊", birth_date=1949.1, id_number="11010519491231002X"),
    ]
    xlsx_members(raw, rows)
    got = read_one_table(raw, "board_members")
    assert got.frame["birth_date"].to_list()[:4] == ["1975.1", "1975.3", "1975.1", "1975.12"]
    assert got.frame["birth_date_from_number"].to_list() == [True, True, False, True, True]
    assert got.frame["id_from_number"].to_list() == [False] * 5

    frames, result = ingest.read_and_validate(raw, today=TODAY)
    loaded = frames["board_members"].sort("source_row")
    assert loaded["birth_date"].to_list() == [
        None, dt.date(1975, 3, 1), dt.date(1975, 1, 1), dt.date(1975, 12, 1), dt.date(1949, 12, 31)]
    found = result.findings.filter(pl.col("source_file") == "班子成员.xlsx",
                                   pl.col("column_name") == "birth_date")
    assert found.select("source_row", "finding_code").rows() == [(2, "birth_date_unreadable")]
    assert found["message"][0] == (
        "出生年月“1975.1”以数值存储：1975.10 存成数值也是 1975.1，无法确定是 1 月还是 10 月，该项留空；"
        "请把该列设为文本，写成 1975.01 或 1975.10 这样的两位月份")


def test_xlsx_id_as_number_cell_when_table_starts_in_column_b(tmp_path: Path) -> None:
    rows = [xrow(name="甲", id_number=440524188001010014), xrow(name="乙", id_number="11010519491231002X")]
    raw = xlsx_members(tmp_path / "raw", rows, first_col=1)
    frame = read_one(raw).frame
    assert frame["source_row"].to_list() == [2, 3]
    assert frame["id_from_number"].to_list() == [True, False]


def test_xlsx_first_row_with_empty_string_cell(tmp_path: Path) -> None:
    import xlsxwriter

    raw = tmp_path / "raw"
    raw.mkdir()
    book = xlsxwriter.Workbook(str(raw / "班子成员.xlsx"))
    ws = book.add_worksheet("班子成员")
    ws.write_string(0, 0, "")  # xlsxwriter stores "" as a (shared) string cell in A1
    ws.write_row(1, 0, PERSON_HEADER_ZH)
    ws.write_row(2, 0, person(name="甲", id_number="11010519491231002X"))
    ws.write_row(3, 0, person(name="乙"))
    ws.write_number(3, 3, 440524188001010014)
    book.close()
    frame = read_one(raw).frame
    # row 1 (empty string), header 2, 甲 3, 乙 4
    assert frame["source_row"].to_list() == [3, 4]
    assert frame["id_from_number"].to_list() == [False, True]


def test_xlsx_real_date_cells(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    rawfiles.write_csv(raw / "居民区.csv", rawfiles.DISTRICT_HEADER, rawfiles.DISTRICTS)
    rawfiles.write_xlsx(raw / "elections.xlsx", [Sheet("选举", rawfiles.ELECTION_HEADER, [
        ["0101", "party", 2021, dt.date(2021, 3, 18), 5, 215, 205],
    ])])
    xlsx_members(raw, [
        xrow(name="甲", birth_date=dt.date(1975, 3, 12)),
        xrow(name="乙", birth_date=dt.datetime(1980, 12, 31)),
        xrow(name="丙", birth_date=27465),  # a date typed into a number cell: Excel serial
    ])
    frames, result = ingest.read_and_validate(raw, today=TODAY)
    assert frames["elections"]["election_date"].to_list() == [dt.date(2021, 3, 18)]
    assert frames["elections"]["term"].to_list() == [2021]
    assert frames["elections"]["seats"].to_list() == [5]
    members = frames["board_members"].sort("source_row")
    assert members["birth_date"].to_list() == [dt.date(1975, 3, 12), dt.date(1980, 12, 31),
                                               dt.date(1975, 3, 12)]
    assert members["birth_date_source"].to_list() == ["column"] * 3
    assert members["term"].to_list() == [2021] * 3
    assert result.findings.filter(pl.col("column_name") == "birth_date").height == 0


def test_xlsx_district_code_text_keeps_leading_zero(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    rawfiles.write_xlsx(raw / "居民区.xlsx", [Sheet("居民区", rawfiles.DISTRICT_HEADER, [
        ["0101", "长风一村", "长风新村街道", "普陀区"],
        ["0102", "长风二村", "长风新村街道", "普陀区"],
    ], title="长风新村街道居民区名单")])
    rawfiles.write_csv(raw / "elections.csv", rawfiles.ELECTION_HEADER, rawfiles.ELECTIONS)
    got = read_one_table(raw, "districts")
    assert got.frame["district_code"].to_list() == ["0101", "0102"]
    assert got.frame["source_row"].to_list() == [3, 4]
    frames, result = ingest.read_and_validate(raw, today=TODAY)
    assert frames["districts"]["district_code"].to_list() == ["0101", "0102"]
    # the elections CSV's 0101 matches the sheet's text 0101
    assert frames["elections"].height == 3
    assert result.quarantine.height == 0


def read_one_table(raw: Path, table: str) -> readers.RawFile:
    sources, _ = readers.discover(raw)
    (source,) = [s for s in sources if s.table == table]
    return readers.read(source, raw)


# ---------------------------------------------------------------- parquet
def test_parquet_with_canonical_columns(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw")
    rawfiles.write_parquet(raw / "candidates_2021.parquet", {
        "district_code": ["0101", "0101"],
        "body": ["party", "party"],
        "term": pl.Series([2021, 2021], dtype=pl.Int64),
        "id_number": ["11010519491231002X", None],
        "name": ["甲", "乙"],
        "gender": ["F", "M"],
        "birth_date": pl.Series([dt.date(1949, 12, 31), dt.date(1975, 3, 12)]),
        "elected": ["是", "否"],
        "votes": pl.Series([200, 150], dtype=pl.Int32),
        "remark": ["x", "y"],
    })
    got = read_one_table(raw, "candidates")
    assert got.file_format == "parquet"
    assert got.encoding is None
    assert got.ignored_columns == ["remark"]
    assert got.frame["source_row"].to_list() == [1, 2]
    assert got.frame["term"].to_list() == ["2021", "2021"]
    assert got.frame["birth_date"].to_list() == ["1949-12-31", "1975-03-12"]
    assert got.frame["id_from_number"].to_list() == [False, False]
    assert got.frame["source_sheet"].to_list() == [None, None]

    frames, _ = ingest.read_and_validate(raw, today=TODAY)
    cands = frames["candidates"].sort("source_row")
    assert cands["birth_date"].to_list() == [dt.date(1949, 12, 31), dt.date(1975, 3, 12)]
    assert cands["votes"].to_list() == [200, 150]
    assert cands["elected"].to_list() == [True, False]
    assert cands["term"].to_list() == [2021, 2021]


def test_parquet_numeric_id_column(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    rawfiles.write_parquet(raw / "board_members.parquet", {
        "district_code": ["0101"], "body": ["party"], "term": ["2021"], "name": ["甲"],
        "id_number": pl.Series([440524188001010014], dtype=pl.Int64),
    })
    assert read_one(raw).frame["id_from_number"].to_list() == [True]


def test_parquet_numeric_birth_date_column(tmp_path: Path) -> None:
    """A Parquet birth_date column of numbers holds 1975.10 as 1975.1: not taken, as in a
    workbook's number cell; a string column is text as written."""
    raw = rawfiles.raw_folder(tmp_path / "raw")
    rawfiles.write_parquet(raw / "board_members.parquet", {
        "district_code": ["0101"] * 3, "body": ["party"] * 3, "term": ["2021"] * 3,
        "name": ["甲", "乙", "丙"], "birth_date": pl.Series([1962.10, 1975.3, None]),
    })
    got = read_one_table(raw, "board_members")
    assert got.frame["birth_date_from_number"].to_list() == [True, True, False]
    frames, result = ingest.read_and_validate(raw, today=TODAY)
    assert frames["board_members"].sort("source_row")["birth_date"].to_list() == [
        None, dt.date(1975, 3, 1), None]
    found = result.findings.filter(pl.col("finding_code") == "birth_date_unreadable")
    assert found["source_row"].to_list() == [1]
    assert found["message"][0] == (
        "出生年月“1962.1”以数值存储：1962.10 存成数值也是 1962.1，无法确定是 1 月还是 10 月，该项留空；"
        "请把该列设为文本，写成 1962.01 或 1962.10 这样的两位月份")


def test_parquet_read_in_parts_is_the_whole_file(tmp_path: Path) -> None:
    """Streaming reads a Parquet file a part at a time: the parts are the file, rows numbered
    from its first row, blank rows left out as in a whole read."""
    raw = tmp_path / "raw"
    names = ["甲", "", "丙", "丁", "戊", "己", "庚"]  # row 2 is blank in every contract column
    rawfiles.write_parquet(raw / "board_members.parquet", {
        "district_code": ["0101", None, "0101", "0101", "0102", "0102", "0102"],
        "body": ["party", None, "party", "party", "residents", "residents", "residents"],
        "term": pl.Series([2021, None, 2021, 2021, 2021, 2021, 2021], dtype=pl.Int64),
        "name": names,
        "id_number": pl.Series([440524188001010014, None, 1, 2, 3, 4, 5], dtype=pl.Int64),
        "note": ["x"] * 7,
    })
    (source,) = readers.discover(raw)[0]
    whole = readers.read(source, raw)
    parts = list(readers.read_parts(source, raw, rows=3))
    assert [p.frame.height for p in parts] == [2, 3, 1]  # rows 1–3 (one blank), 4–6, 7
    assert pl.concat([p.frame for p in parts]).equals(whole.frame)
    assert whole.frame["source_row"].to_list() == [1, 3, 4, 5, 6, 7]
    assert all(p.ignored_columns == ["note"] for p in parts)
    assert whole.frame["id_from_number"].all()


# ---------------------------------------------------------------- discovery
def test_discovery_by_english_and_chinese_prefixes(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    one = [person()]
    rawfiles.write_csv(raw / "board_members_2021.csv", PERSON_HEADER_ZH, one)
    rawfiles.write_csv(raw / "班子成员_2018.csv", PERSON_HEADER_ZH, one)
    rawfiles.write_csv(raw / "Members-extra.csv", PERSON_HEADER_ZH, one)
    rawfiles.write_csv(raw / "候选人_2021.csv", PERSON_HEADER_ZH, one)
    rawfiles.write_csv(raw / "Candidates.csv", PERSON_HEADER_ZH, one)
    rawfiles.write_csv(raw / "居民区.csv", rawfiles.DISTRICT_HEADER, rawfiles.DISTRICTS)
    rawfiles.write_csv(raw / "选举结果.csv", rawfiles.ELECTION_HEADER, rawfiles.ELECTIONS)
    rawfiles.write_csv(raw / "sub" / "elections_2018.csv", rawfiles.ELECTION_HEADER, [])
    rawfiles.write_xlsx(raw / "2021年换届.xlsx", [
        Sheet("班子成员", PERSON_HEADER_ZH, [person()]),
        Sheet("候选人", PERSON_HEADER_ZH, [person()]),
        Sheet("说明", ["说明"], [["本表为示例"]]),
    ])
    rawfiles.write_csv(raw / "notes.csv", ["a"], [["b"]])
    (raw / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (raw / "README.md").write_text("说明", encoding="utf-8")
    (raw / ".hidden.csv").write_text("x", encoding="utf-8")
    (raw / "~$班子成员_2018.xlsx").write_bytes(b"lock")

    sources, skipped = readers.discover(raw)
    got = {(s.path.relative_to(raw).as_posix(), s.sheet): s.table for s in sources}
    assert got == {
        ("2021年换届.xlsx", "班子成员"): "board_members",
        ("2021年换届.xlsx", "候选人"): "candidates",
        ("Candidates.csv", None): "candidates",
        ("Members-extra.csv", None): "board_members",
        ("board_members_2021.csv", None): "board_members",
        ("sub/elections_2018.csv", None): "elections",
        ("候选人_2021.csv", None): "candidates",
        ("居民区.csv", None): "districts",
        ("班子成员_2018.csv", None): "board_members",
        ("选举结果.csv", None): "elections",
    }
    assert any(m.startswith("notes.csv") and "已忽略" in m for m in skipped)
    assert any(m.startswith("photo.jpg") and "已忽略" in m for m in skipped)
    # README.md and dotfiles are skipped without a message
    assert not any(m.startswith(("README.md", ".hidden.csv")) for m in skipped)


def test_workbook_with_two_named_sheets(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw")
    rawfiles.write_xlsx(raw / "2021年换届.xlsx", [
        Sheet("班子成员", PERSON_HEADER_ZH, [person(name="甲"), person(name="乙")]),
        Sheet("候选人", rawfiles.CANDIDATE_HEADER_ZH,
              [rawfiles.candidate(name="甲"), rawfiles.candidate(name="乙"),
               rawfiles.candidate(name="丙", elected="否", votes="12")]),
    ])
    sources, _ = readers.discover(raw)
    book = [s for s in sources if s.path.name == "2021年换届.xlsx"]
    assert [(s.sheet, s.table) for s in book] == [("班子成员", "board_members"), ("候选人", "candidates")]
    frames, result = ingest.read_and_validate(raw, today=TODAY)
    assert frames["board_members"]["name"].to_list() == ["甲", "乙"]
    assert frames["candidates"]["name"].to_list() == ["甲", "乙", "丙"]
    assert frames["candidates"]["source_sheet"].to_list() == ["候选人"] * 3
    report = result.report.filter(pl.col("source_file") == "2021年换届.xlsx")
    assert sorted(report.select("source_sheet", "rows_read").rows()) == [("候选人", 3), ("班子成员", 2)]


def test_workbook_named_like_a_table_uses_first_sheet(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    rawfiles.write_xlsx(raw / "班子成员_2021.xlsx", [
        Sheet("Sheet1", PERSON_HEADER_ZH, [person(name="甲")]),
        Sheet("Sheet2", ["x"], [["y"]]),
    ])
    sources, _ = readers.discover(raw)
    assert [(s.sheet, s.table) for s in sources] == [("Sheet1", "board_members")]


def test_missing_raw_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="nowhere"):
        readers.discover(tmp_path / "nowhere")


def test_unrelated_workbook_is_skipped(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    rawfiles.write_xlsx(raw / "统计表.xlsx", [Sheet("Sheet1", ["a"], [["b"]])])
    sources, skipped = readers.discover(raw)
    assert sources == []
    assert len(skipped) == 1 and skipped[0].startswith("统计表.xlsx")



def test_blank_rows_are_those_with_every_column_null_or_whitespace() -> None:
    """The quick path (a non-blank first column keeps the row unseen) drops exactly the rows
    whose every column is null or whitespace (full-width and no-break spaces included), in
    order, whatever the first column holds."""
    values = [None, "", " ", "\u3000", "\t\n", "\u00a0", "x", " 乙 ", "张三"]
    rng = random.Random(7)
    for _ in range(400):
        width, height = rng.randint(1, 4), rng.randint(0, 25)
        frame = pl.DataFrame({f"c{i}": [rng.choice(values) for _ in range(height)]
                              for i in range(width)}, schema={f"c{i}": pl.String
                                                              for i in range(width)})
        kept = [row for row in frame.iter_rows()
                if any(v is not None and v.strip() for v in row)]
        assert readers._without_blank_rows(frame, frame.columns).rows() == kept, frame

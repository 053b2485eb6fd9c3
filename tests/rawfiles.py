"""Small helpers that write raw folders (CSV / xlsx / parquet) the way people hand them in.

Shared by the test modules: every helper takes plain Python values and returns the path written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

TODAY = dt.date(2026, 11, 25)

# ---------------------------------------------------------------- default content
DISTRICT_HEADER = ["居民区代码", "居民区名称", "街道", "区"]
DISTRICTS = [
    ["0101", "长风一村", "长风新村街道", "普陀区"],
    ["0102", "长风二村", "长风新村街道", "普陀区"],
]
ELECTION_HEADER = ["district_code", "body", "term", "election_date", "seats",
                   "registered_voters", "ballots_cast"]
ELECTIONS = [
    ["0101", "party", "2021", "2021-03-18", "5", "215", "205"],
    ["0101", "residents", "2021", "2021-05-17", "7", "3882", "3556"],
    ["0102", "party", "2021", "2021-03-20", "5", "180", "170"],
]
PERSON_FIELDS = ("district_code", "body", "term", "id_number", "name", "gender", "birth_date",
                 "education", "education_fulltime", "political_status", "role")
PERSON_HEADER_ZH = ["居民区代码", "组织类型", "换届年份", "身份证号", "姓名", "性别", "出生年月",
                    "学历", "全日制学历", "政治面貌", "职务"]
CANDIDATE_FIELDS = (*PERSON_FIELDS, "votes", "elected")
CANDIDATE_HEADER_ZH = [*PERSON_HEADER_ZH, "得票数", "是否当选"]

_PERSON_DEFAULTS = {
    "district_code": "0101", "body": "党委", "term": "2021", "id_number": "", "name": "张三",
    "gender": "男", "birth_date": "1975.03", "education": "本科", "education_fulltime": "大专",
    "political_status": "中共党员", "role": "委员", "votes": "100", "elected": "是",
}


def person(fields: Sequence[str] = PERSON_FIELDS, **values: str) -> list[str]:
    """One roster row in `fields` order: defaults for a plain party-board member, overridden by values."""
    unknown = set(values) - set(_PERSON_DEFAULTS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    merged = {**_PERSON_DEFAULTS, **values}
    return [merged[f] for f in fields]


def candidate(**values: str) -> list[str]:
    return person(CANDIDATE_FIELDS, **values)


# ---------------------------------------------------------------- CSV
def csv_text(header: Sequence[str] | None, rows: Sequence[Sequence[object]],
             newline: str = "\n", delimiter: str = ",") -> str:
    """CSV text; a row given as the string "" becomes a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline, delimiter=delimiter)
    if header is not None:
        writer.writerow(header)
    for row in rows:
        if row == "":
            out.write(newline)
        else:
            writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def write_csv(path: Path, header: Sequence[str] | None, rows: Sequence[Sequence[object]],
              encoding: str = "utf-8", newline: str = "\n", delimiter: str = ",") -> Path:
    """Write a CSV in the given encoding (`utf-8-sig` writes a BOM; `gbk`, `gb18030`, `utf-16`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(header, rows, newline, delimiter).encode(encoding))
    return path


# ---------------------------------------------------------------- xlsx
@dataclass
class Sheet:
    """One worksheet. Cells are written by type: str → text cell, int/float → number cell,
    date/datetime → real Excel date cell, bool → boolean, None → nothing written.

    `first_row` (0-based) leaves that many empty rows above; `title` adds a merged title row
    (spanning the header's width) right above the header.
    """

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]] = field(default_factory=list)
    title: str | None = None
    first_row: int = 0
    first_col: int = 0


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> Path:
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    title_format = book.add_format({"bold": True, "align": "center"})
    for spec in sheets:
        ws = book.add_worksheet(spec.name)
        r, c0 = spec.first_row, spec.first_col
        if spec.title is not None:
            ws.merge_range(r, c0, r, c0 + len(spec.header) - 1, spec.title, title_format)
            r += 1
        ws.write_row(r, c0, list(spec.header))
        for row in spec.rows:
            r += 1
            for j, value in enumerate(row):
                _write_cell(ws, r, c0 + j, value, date_format)
    book.close()
    return path


def _write_cell(ws, row: int, col: int, value: object, date_format) -> None:  # type: ignore[no-untyped-def]
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, date_format)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), date_format)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, str(value))


# ---------------------------------------------------------------- parquet
def write_parquet(path: Path, columns: dict[str, pl.Series | list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame(columns).write_parquet(path)
    return path


# ---------------------------------------------------------------- whole raw folders
def raw_folder(root: Path, *, members: Sequence[Sequence[object]] | None = None,
               candidates: Sequence[Sequence[object]] | None = None,
               districts: Sequence[Sequence[object]] = DISTRICTS,
               elections: Sequence[Sequence[object]] = ELECTIONS) -> Path:
    """A raw folder with 居民区.csv, elections.csv and, when given, 班子成员.csv / 候选人.csv.

    Row numbers as a person sees them: header = row 1, the first data row = row 2.
    """
    root.mkdir(parents=True, exist_ok=True)
    write_csv(root / "居民区.csv", DISTRICT_HEADER, districts)
    write_csv(root / "elections.csv", ELECTION_HEADER, elections)
    if members is not None:
        write_csv(root / "班子成员.csv", PERSON_HEADER_ZH, members)
    if candidates is not None:
        write_csv(root / "候选人.csv", CANDIDATE_HEADER_ZH, candidates)
    return root

"""Validation through ingest.read_and_validate: every row loaded or quarantined, with reasons."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest

from pipelines import contract, ingest, validate
from pipelines.errors import BoardshiftError
from tests import rawfiles
from tests.rawfiles import DISTRICTS, ELECTIONS, TODAY, candidate, person

D = dt.date


def run(raw: Path) -> tuple[dict[str, pl.DataFrame], ingest.IngestResult]:
    frames, result = ingest.read_and_validate(raw, today=TODAY)
    assert_accounting(result)
    return frames, result


def assert_accounting(result: ingest.IngestResult) -> None:
    for r in result.report.iter_rows(named=True):
        assert r["rows_loaded"] + r["rows_quarantined"] == r["rows_read"], r


def quarantined(result: ingest.IngestResult, file: str) -> pl.DataFrame:
    return result.quarantine.filter(pl.col("source_file") == file).sort("source_row")


def findings_of(result: ingest.IngestResult, file: str, row: int) -> dict[str, dict]:
    found = result.findings.filter(pl.col("source_file") == file, pl.col("source_row") == row)
    return {r["finding_code"]: r for r in found.iter_rows(named=True)}


def loaded_row(frames: dict[str, pl.DataFrame], table: str, row: int) -> dict:
    (hit,) = frames[table].filter(pl.col("source_row") == row).iter_rows(named=True)
    return hit


# ---------------------------------------------------------------- one row of each quarantine kind
MEMBERS = "班子成员.csv"
CANDIDATES = "候选人.csv"
DUP_ELECTION = ["0101", "party", "2021", "2021-03-19", "5", "215", "205"]

QUARANTINE_CASES = [
    # (reason_code, folder contents, file, row, fragments the Chinese reason must contain)
    ("missing_district_code", {"members": [person(name="甲"), person(name="乙", district_code="")]},
     MEMBERS, 3, ["缺少居民区代码"]),
    ("missing_body", {"members": [person(name="甲"), person(name="乙", body="村委会")]},
     MEMBERS, 3, ["组织类型“村委会”无法识别"]),
    ("missing_body", {"members": [person(name="甲"), person(name="乙", body="")]},
     MEMBERS, 3, ["缺少组织类型"]),
    ("missing_term", {"members": [person(name="甲"), person(name="乙", term="二〇二一")]},
     MEMBERS, 3, ["换届年份“二〇二一”无法识别"]),
    ("missing_term", {"members": [person(name="甲"), person(name="乙", term="")]},
     MEMBERS, 3, ["缺少换届年份"]),
    ("unknown_district", {"members": [person(name="甲"), person(name="乙", district_code="0999")]},
     MEMBERS, 3, ["居民区代码“0999”不在居民区名单"]),
    # 0102 has a party election in 2021 but no residents' one
    ("no_election", {"members": [person(name="甲"),
                                 person(name="乙", district_code="0102", body="居委会")]},
     MEMBERS, 3, ["选举表中没有", "0102/居委会/2021"]),
    ("no_election", {"candidates": [candidate(name="甲"), candidate(name="乙", term="2018")]},
     CANDIDATES, 3, ["0101/党委/2018"]),
    ("no_person", {"members": [person(name="甲"), person(name="", id_number="")]},
     MEMBERS, 3, ["姓名和身份证号都为空"]),
    ("duplicate_person", {"members": [person(name="甲"), person(name="乙"), person(name="甲")]},
     MEMBERS, 4, ["同一人“甲”", "0101/党委/2021", "已保留第一行"]),
    # the same valid ID is the same person whatever the name and however the ID is typed
    ("duplicate_person", {"members": [person(name="王芳", id_number="11010519491231002X"),
                                      person(name="王 芳芳", id_number="110105 19491231 002x")]},
     MEMBERS, 3, ["同一人“王芳芳”", "0101/党委/2021"]),
    ("duplicate_person", {"candidates": [candidate(name="甲"), candidate(name="甲", votes="3")]},
     CANDIDATES, 3, ["同一人“甲”", "候选人", "0101/党委/2021"]),
    ("duplicate_election", {"elections": [*ELECTIONS, DUP_ELECTION]},
     "elections.csv", 5, ["同一班子", "0101/party/2021", "有多行选举记录"]),
    ("unknown_district", {"elections": [*ELECTIONS, ["0999", "party", "2021", "2021-03-01"]]},
     "elections.csv", 5, ["居民区代码“0999”不在居民区名单"]),
    ("missing_body", {"elections": [*ELECTIONS, ["0102", "村委", "2021", "2021-03-01"]]},
     "elections.csv", 5, ["组织类型“村委”无法识别"]),
    ("duplicate_district",
     {"districts": [*DISTRICTS, ["0101", "长风一村（重复）", "长风新村街道", "普陀区"]]},
     "居民区.csv", 4, ["居民区代码“0101”重复", "已保留第一行"]),
    ("missing_district_code", {"districts": [*DISTRICTS, ["", "无代码", "长风新村街道", ""]]},
     "居民区.csv", 4, ["缺少居民区代码"]),
    # a line with more cells than its header (an unquoted comma in a cell), in every table
    ("extra_cells", {"members": [person(name="甲"), [*person(name="乙", role="书记"), "主任"]]},
     MEMBERS, 3, ["这一行比表头多出单元格“主任”", "中文逗号“，”", "加上引号"]),
    ("extra_cells", {"candidates": [candidate(name="甲"), [*candidate(name="乙"), "", "x", "y"]]},
     CANDIDATES, 3, ["多出单元格“x,y”"]),
    ("extra_cells", {"elections": [*ELECTIONS,
                                   ["0102", "residents", "2021", "2021-05-18", "7", "3", "3", "备注"]]},
     "elections.csv", 5, ["多出单元格“备注”"]),
    ("extra_cells", {"districts": [*DISTRICTS, ["0103", "长风", "三村", "长风新村街道", "普陀区"]]},
     "居民区.csv", 4, ["多出单元格“普陀区”"]),
]


@pytest.mark.parametrize(("code", "contents", "file", "row", "fragments"), QUARANTINE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(QUARANTINE_CASES)])
def test_each_quarantine_kind(tmp_path: Path, code: str, contents: dict, file: str, row: int,
                              fragments: list[str]) -> None:
    frames, result = run(rawfiles.raw_folder(tmp_path / "raw", **contents))
    q = quarantined(result, file)
    assert q.select("source_row", "reason_code").rows() == [(row, code)]
    reason = q["reason"][0]
    assert re.search(r"[\u4e00-\u9fff]", reason)
    for fragment in fragments:
        assert fragment in reason, reason
    # nothing else anywhere is quarantined, and the quarantined row is not loaded
    assert result.quarantine.height == 1
    table = q["table_name"][0]
    assert row not in frames[table].filter(pl.col("source_file") == file)["source_row"].to_list()
    report = result.report.filter(pl.col("source_file") == file).row(0, named=True)
    assert report["rows_quarantined"] == 1
    assert report["rows_loaded"] == report["rows_read"] - 1


def test_first_reason_is_the_code_and_every_reason_is_given(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw",
                              members=[person(name="甲", district_code="0999", body="村委会")])
    _, result = run(raw)
    (q,) = result.quarantine.iter_rows(named=True)
    assert q["reason_code"] == "missing_body"
    assert q["reason"] == "组织类型“村委会”无法识别；居民区代码“0999”不在居民区名单（districts）中"


def test_shifted_row_says_so_first(tmp_path: Path) -> None:
    """A row with cells beyond its header has its values shifted: that is its first reason,
    before what the shifted values fail (here a cell 村委会 typed after the district code: it
    reads as the body, and every later value moves one column on)."""
    row = person(name="乙", district_code="0999")
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[person(name="甲"), [*row[:1], "村委会", *row[1:]]])
    _, result = run(raw)
    (q,) = result.quarantine.iter_rows(named=True)
    assert q["reason_code"] == "extra_cells"
    assert q["reason"].startswith(f"这一行比表头多出单元格“{row[-1]}”")
    assert "组织类型“村委会”无法识别" in q["reason"]


@pytest.mark.parametrize(("delimiter", "named", "fix"), [
    (",", "有英文逗号却没有加引号", "把逗号改为中文逗号“，”"),
    (";", "有分号却没有加引号", "把分号改为顿号“、”"),
    ("\t", "有制表符（Tab）却没有加引号", "删去该单元格里的制表符"),
    ("，", "有中文逗号“，”", "把单元格里的中文逗号改为顿号“、”（本文件以中文逗号分隔各列，加引号也没用）")],
    ids=["comma", "semicolon", "tab", "full-width-comma"])
def test_shifted_row_names_the_files_delimiter(tmp_path: Path, delimiter: str, named: str,
                                               fix: str) -> None:
    """The reason of a row with a delimiter typed in a cell names the delimiter the file uses
    and its own fix: quotes do not help in a full-width-comma file, whose every "，" is taken
    as a delimiter; no other delimiter's name or fix is given."""
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[person(name="甲")])
    rows = [rawfiles.PERSON_HEADER_ZH, person(name="甲"), person(role=f"书记{delimiter}主任")]
    (raw / MEMBERS).write_text("".join(delimiter.join(r) + "\n" for r in rows), encoding="utf-8")
    _, result = run(raw)
    (q,) = quarantined(result, MEMBERS).iter_rows(named=True)
    assert (q["source_row"], q["reason_code"]) == (3, "extra_cells")
    assert q["reason"].startswith("这一行比表头多出单元格“主任”：多半是某个单元格里" + named + "（如")
    assert fix in q["reason"]
    others = [h for d, h in validate.SEPARATOR_HINTS.items() if d != delimiter]
    assert not any(h[2] in q["reason"] for h in others)


def test_kept_first_duplicate_is_loaded(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", role="书记"), person(name="甲", role="委员"),
        # same name, other board: not a duplicate
        person(name="甲", body="居委会", role="主任"),
        # same name, different birth date on the same board: another person
        person(name="甲", birth_date="1980-01-01"),
    ])
    frames, result = run(raw)
    members = frames["board_members"].sort("source_row")
    assert members.select("source_row", "role_code").rows() == [
        (2, "secretary"), (4, "director"), (5, "member")]
    assert quarantined(result, MEMBERS).select("source_row", "reason_code").rows() == [
        (3, "duplicate_person")]


DUPLICATES = [person(name="甲", role="书记"), person(name="乙"), person(name="", id_number=""),
              person(name="甲", role="委员"), person(name="丙"), person(name="", id_number=""),
              person(name="乙", body="居委会"), person(name="乙")]


def _placement(result: ingest.IngestResult) -> list[tuple[str, int, str, str]]:
    return sorted(result.quarantine.select("source_file", "source_row", "reason_code", "reason")
                  .rows())


def test_duplicates_found_across_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A person table streams in batches; a person repeated in a later batch is still a duplicate."""
    raw = rawfiles.raw_folder(tmp_path / "raw", members=DUPLICATES)
    whole_frames, whole = run(raw)
    assert [(r, c) for _, r, c, _ in _placement(whole)] == [
        (4, "no_person"), (5, "duplicate_person"), (7, "no_person"), (9, "duplicate_person")]
    monkeypatch.setattr(ingest, "BATCH_ROWS", 1)
    frames, batched = run(raw)
    assert _placement(batched) == _placement(whole)
    assert_frame_equal_rows(frames["board_members"], whole_frames["board_members"])


# every person-row fault at once: each kind, two at a time, repeats within and across batches
PLACEMENT_FAULTS = [*DUPLICATES, person(name="丁", district_code=""), person(name="戊", body=""),
                    person(name="己", term="二〇二一"), person(name="庚", district_code="0999"),
                    person(name="辛", district_code="0102", body="居委会"),
                    person(name="辛", district_code="0102", body="居委会"),
                    person(name="", id_number="", district_code="0999"),
                    person(name="甲", district_code="0999"), person(name="甲", district_code="0999"),
                    person(name="壬", body="村委会", term=""), person(name="丙")]


@pytest.mark.parametrize("batch_rows", [1, 4, 1_000_000])
def test_only_suspect_rows_need_the_placement_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_rows: int) -> None:
    """Placement runs dataframely on `person_suspects` alone; on every row it places the same."""
    raw = rawfiles.raw_folder(tmp_path / "raw", members=PLACEMENT_FAULTS)
    monkeypatch.setattr(ingest, "BATCH_ROWS", batch_rows)
    frames, result = run(raw)
    assert result.quarantine.height == 15
    monkeypatch.setattr(validate, "person_suspects",
                        lambda frame, person: pl.repeat(True, frame.height, eager=True))
    every_frames, every = run(raw)
    assert result.quarantine.equals(every.quarantine)
    assert frames["board_members"].equals(every_frames["board_members"])


def test_only_suspect_elections_need_the_placement_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [*ELECTIONS, DUP_ELECTION, DUP_ELECTION, ["0999", "party", "2021", "2021-03-01"],
            ["0102", "村委", "2021", "2021-03-01"], ["", "party", "2021", "2021-03-01"],
            ["0102", "party", "", "2021-03-01"], ["0999", "村委", "2018", ""]]
    raw = rawfiles.raw_folder(tmp_path / "raw", elections=rows)
    frames, result = run(raw)
    assert result.quarantine.height == 7
    monkeypatch.setattr(validate, "keyed_suspects",
                        lambda frame, schema, keys: pl.repeat(True, frame.height, eager=True))
    every_frames, every = run(raw)
    assert result.quarantine.equals(every.quarantine)
    assert frames["elections"].equals(every_frames["elections"])


MILESTONE_HEADER = ["居民区代码", "组织类型", "换届年份", "阶段", "计划日期", "完成日期"]


def test_only_suspect_milestones_need_the_placement_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The milestones are checked on `keyed_suspects` alone (a board's stage repeated, a key
    missing, a district not listed, cells beyond the header); every row gives the same result.
    A milestone of a board with no election yet (the coming round's) loads: its table has no
    election rule."""
    stage = ["0101", "党组织", "2026", "准备", "2026-11-01", ""]
    rows = [stage, stage, ["0101", "党组织", "2026", "准备", "2026-11-02", "2026-11-03"],  # ×3
            ["0101", "党组织", "2026", "推荐", "2026-11-15", ""],
            ["0102", "居委会", "2026", "选民登记", "2026-11-24", ""],
            ["0102", "居委会", "2026", "选民登记", "2026-11-25", ""],  # the same stage twice
            ["0999", "党组织", "2026", "准备", "2026-11-01", ""],  # district not listed
            ["", "党组织", "2026", "准备", "2026-11-01", ""],  # no district
            ["0102", "党组织", "", "准备", "2026-11-01", ""],  # no term
            ["0102", "村委", "2026", "准备", "2026-11-01", ""],  # body not known
            ["0102", "党组织", "2026", "", "2026-11-01", ""],  # no stage
            ["0102", "党组织", "2026", "推荐", "2026-11-15", "", "多出的一格"],  # beyond the header
            ["0102", "党组织", "2026", "选举", "2026-11-27", ""]]
    raw = rawfiles.raw_folder(tmp_path / "raw")
    rawfiles.write_csv(raw / "进度.csv", MILESTONE_HEADER, rows)
    frames, result = run(raw)
    assert sorted(result.quarantine["source_row"].to_list()) == [3, 4, 7, 8, 9, 10, 11, 12, 13]
    assert sorted(frames["milestones"]["source_row"].to_list()) == [2, 5, 6, 14]
    monkeypatch.setattr(validate, "keyed_suspects",
                        lambda frame, schema, keys: pl.repeat(True, frame.height, eager=True))
    every_frames, every = run(raw)
    assert result.quarantine.equals(every.quarantine)
    assert frames["milestones"].equals(every_frames["milestones"])


def test_duplicates_found_across_files(tmp_path: Path) -> None:
    """The same board split over two files: the second file's repeat is the duplicate."""
    raw = rawfiles.raw_folder(tmp_path / "raw", members=DUPLICATES[:3])
    rawfiles.write_csv(raw / "班子成员_补充.csv", rawfiles.PERSON_HEADER_ZH, DUPLICATES[3:])
    frames, result = run(raw)
    assert [(f, r, c) for f, r, c, _ in _placement(result)] == [
        (MEMBERS, 4, "no_person"), ("班子成员_补充.csv", 2, "duplicate_person"),
        ("班子成员_补充.csv", 4, "no_person"), ("班子成员_补充.csv", 6, "duplicate_person")]
    assert frames["board_members"].height == 4  # 甲 书记, 乙, 丙, 乙 of the residents' committee


def test_streamed_batches_load_in_order_while_the_next_is_validated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ingest loads batch after batch on its loading thread: the database gets exactly the rows
    of read_and_validate, in file order, the IDs as their keyed hashes."""
    import duckdb

    from pipelines import privacy

    raw = rawfiles.raw_folder(tmp_path / "raw", members=DUPLICATES)
    frames, _ = run(raw)
    monkeypatch.setattr(ingest, "BATCH_ROWS", 1)
    key = b"k" * 32
    ingest.ingest(raw, tmp_path / "b.duckdb", today=TODAY, key=key)
    con = duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True)
    try:
        loaded = con.sql("select * exclude (rowid) from (select rowid, * from raw.board_members)"
                         " order by rowid").pl()
    finally:
        con.close()
    expected = privacy.pseudonymise(frames["board_members"], key)
    assert loaded["source_row"].to_list() == [2, 3, 6, 8] == expected["source_row"].to_list()
    assert loaded.select(expected.columns).cast(expected.schema).equals(expected)


def test_a_failed_load_stops_the_ingest_and_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from pipelines import load

    raw = rawfiles.raw_folder(tmp_path / "raw", members=DUPLICATES)
    monkeypatch.setattr(ingest, "BATCH_ROWS", 1)
    calls: list[str] = []
    insert = load.insert

    def failing(con: object, name: str, frame: pl.DataFrame) -> None:
        calls.append(name)
        if name == "board_members" and calls.count(name) == 2:
            raise OSError("disk full")
        insert(con, name, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "insert", failing)
    with pytest.raises(OSError, match="disk full"):
        ingest.ingest(raw, tmp_path / "b.duckdb", today=TODAY, key=b"k" * 32)
    assert calls.count("board_members") == 2  # nothing loaded after the failure
    assert not [t for t in threading.enumerate() if t.name == "boardshift-load"]


def assert_frame_equal_rows(left: pl.DataFrame, right: pl.DataFrame) -> None:
    assert left.sort("source_file", "source_row").equals(right.sort("source_file", "source_row"))


def test_counts_too_large_are_unreadable_not_a_crash(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(
        tmp_path / "raw", elections=[*ELECTIONS[:1], [*ELECTIONS[1][:4], "3000000000"]],
        candidates=[candidate(name="甲", votes="99999999999")])
    frames, result = run(raw)
    assert result.quarantine.height == 0
    seats = findings_of(result, "elections.csv", 3)
    assert seats["seats_unreadable"]["value"] == "3000000000"
    assert loaded_row(frames, "elections", 3)["seats"] is None
    votes = findings_of(result, CANDIDATES, 2)
    assert votes["votes_unreadable"]["value"] == "99999999999"
    assert loaded_row(frames, "candidates", 2)["votes"] is None


def test_findings_only_for_loaded_rows(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", district_code="0999", education="大学在读")])
    _, result = run(raw)
    assert result.quarantine.height == 1
    assert result.findings.height == 0


# ---------------------------------------------------------------- loaded with a finding
def test_unknown_education_is_loaded_empty_with_finding(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", education="大学在读", education_fulltime="本科"),
        person(name="乙", education="本科", education_fulltime="留学"),
    ])
    frames, result = run(raw)
    first, second = loaded_row(frames, "board_members", 2), loaded_row(frames, "board_members", 3)
    assert (first["education_level"], first["education_fulltime_level"]) == (None, 4)
    assert (second["education_level"], second["education_fulltime_level"]) == (4, None)
    f = findings_of(result, MEMBERS, 2)
    assert set(f) == {"education_unreadable"}
    assert f["education_unreadable"]["value"] == "大学在读"
    assert f["education_unreadable"]["column_name"] == "education"
    assert "大学在读" in f["education_unreadable"]["message"]
    f = findings_of(result, MEMBERS, 3)
    assert set(f) == {"education_fulltime_unreadable"}
    assert "留学" in f["education_fulltime_unreadable"]["message"]


@pytest.mark.parametrize("typed", ["1975-02-30", "1975.13", "二〇二一年三月", "abc"])
def test_impossible_birth_date_is_loaded_empty_with_finding(tmp_path: Path, typed: str) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[person(name="甲", birth_date=typed)])
    frames, result = run(raw)
    row = loaded_row(frames, "board_members", 2)
    assert (row["birth_date"], row["birth_date_source"]) == (None, None)
    f = findings_of(result, MEMBERS, 2)
    assert set(f) == {"birth_date_unreadable"}
    assert f["birth_date_unreadable"]["value"] == typed
    assert typed in f["birth_date_unreadable"]["message"]


def test_five_digit_dates_that_are_also_a_year_and_month(tmp_path: Path) -> None:
    """A birth date typed 19753 (March 1975 without its zero) used to load as Excel's day 19753,
    1954-01-29, without a word. It is left empty, and the finding gives both readings; so for
    an election date 20213. A five-digit Excel day that is no year and month still loads."""
    elections = [[*ELECTIONS[0][:3], "20213", *ELECTIONS[0][4:]], *ELECTIONS[1:]]
    raw = rawfiles.raw_folder(tmp_path / "raw", elections=elections, members=[
        person(name="甲", birth_date="19753"), person(name="乙", birth_date="27465")])
    frames, result = run(raw)
    assert loaded_row(frames, "board_members", 2)["birth_date"] is None
    assert loaded_row(frames, "board_members", 3)["birth_date"] == D(1975, 3, 12)
    f = findings_of(result, MEMBERS, 2)
    assert set(f) == {"birth_date_unreadable"}
    assert f["birth_date_unreadable"]["message"] == (
        "出生年月“19753”既可读作 1975 年 3 月，也可读作 Excel 日期序号（1954-01-29），无法确定，"
        "该项留空；请写成 1975.03 或完整日期")
    assert findings_of(result, MEMBERS, 3) == {}
    election = findings_of(result, "elections.csv", 2)["election_date_unreadable"]
    assert election["message"].startswith("选举日期“20213”既可读作 2021 年 3 月，也可读作 Excel 日期序号")
    assert frames["elections"].filter(pl.col("source_row") == 2)["election_date"].to_list() == [None]


def test_birth_date_after_today(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", birth_date="2026-11-26"),  # the day after TODAY
        person(name="乙", birth_date="2026-11-25"),  # TODAY itself is not in the future …
    ])
    frames, result = run(raw)
    assert loaded_row(frames, "board_members", 2)["birth_date"] is None
    assert set(findings_of(result, MEMBERS, 2)) == {"birth_date_future"}
    # … but 乙 would be −5 years old at the 2021 election: out of the 18–100 range, left empty
    assert loaded_row(frames, "board_members", 3)["birth_date"] is None
    assert set(findings_of(result, MEMBERS, 3)) == {"age_out_of_range"}


def test_age_range_counts_full_years_on_the_election_day(tmp_path: Path) -> None:
    # 0101's party board was elected on 2021-03-18; 周岁 go up on the birthday itself
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", birth_date="2003-12-31"),  # 17: the birthday comes later in the year
        person(name="乙", birth_date="2003-03-18"),  # 18 that very day
        person(name="丙", birth_date="1920-04-01"),  # 100: the 101st birthday is still ahead
        person(name="丁", birth_date="1920-03-17"),  # 101
    ])
    frames, result = run(raw)
    assert set(findings_of(result, MEMBERS, 2)) == {"age_out_of_range"}
    assert loaded_row(frames, "board_members", 2)["birth_date"] is None
    assert findings_of(result, MEMBERS, 3) == {}
    assert loaded_row(frames, "board_members", 3)["birth_date"] == D(2003, 3, 18)
    assert findings_of(result, MEMBERS, 4) == {}
    assert loaded_row(frames, "board_members", 4)["birth_date"] == D(1920, 4, 1)
    assert set(findings_of(result, MEMBERS, 5)) == {"age_out_of_range"}


def test_failed_id_check_is_loaded_empty_with_finding(tmp_path: Path) -> None:
    # 11010519491231002X is valid, so ...0021 has a wrong check character
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", id_number="110105194912310021", birth_date="1949.12", gender="女")])
    frames, result = run(raw)
    row = loaded_row(frames, "board_members", 2)
    assert row["id_number"] is None
    assert (row["birth_date"], row["birth_date_source"], row["gender"]) == (D(1949, 12, 1), "column", "F")
    f = findings_of(result, MEMBERS, 2)
    assert set(f) == {"id_invalid"}
    assert f["id_invalid"]["value"] == "110105********0021"
    assert "110105194912310021" not in f["id_invalid"]["message"]


def test_id_typed_through_a_number_in_csv(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", id_number="1.10105E+17"), person(name="乙", id_number="110105194912310020.0")])
    frames, result = run(raw)
    assert frames["board_members"]["id_number"].to_list() == [None, None]
    assert set(findings_of(result, MEMBERS, 2)) == {"id_from_number"}
    assert set(findings_of(result, MEMBERS, 3)) == {"id_from_number"}


def test_legacy_15_digit_id_is_upgraded(tmp_path: Path) -> None:
    # 110105 + 19 + 491231002 → check X (worked out in test_idcard)
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", id_number="110105491231002", birth_date="1949.12", gender="女")])
    frames, result = run(raw)
    row = loaded_row(frames, "board_members", 2)
    assert row["id_number"] == "11010519491231002X"
    assert (row["birth_date"], row["birth_date_source"]) == (D(1949, 12, 31), "id")
    assert set(findings_of(result, MEMBERS, 2)) == {"id_legacy_15"}


def test_valid_id_overrides_birth_date_and_gender(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        # ID: born 1949-12-31, 17th digit 2 → F; the columns say 男 and 1950-01
        person(name="甲", id_number="11010519491231002X", gender="男", birth_date="1950-01"),
        # ID: born 1980-01-01, 17th digit 3 → M; the year-month agrees
        person(name="乙", id_number="310107198001011238", gender="男", birth_date="1980.01"),
        # 31010719800101125: the sum 158 of test_idcard with the last product 3×2 → 5×2,
        # 162 mod 11 = 8 → "4". ID born 1980-01-01, M; a full date one day off disagrees
        person(name="丙", id_number="310107198001011254", gender="", birth_date="1980-01-02"),
        # ID: born 1901-02-03, M; 1901年2月 agrees at month precision
        person(name="丁", id_number="370101190102039973", gender="男性", birth_date="1901年2月"),
    ])
    frames, result = run(raw)
    rows = frames["board_members"].sort("source_row")
    assert rows.select("birth_date", "birth_date_source", "gender").rows() == [
        (D(1949, 12, 31), "id", "F"),
        (D(1980, 1, 1), "id", "M"),
        (D(1980, 1, 1), "id", "M"),
        # 丁 would be 120 at the 2021 election: the birth date is left empty (see below)
        (None, None, "M"),
    ]
    f = findings_of(result, MEMBERS, 2)
    assert set(f) == {"gender_mismatch", "birth_date_mismatch"}
    assert f["birth_date_mismatch"]["value"] == "1950-01"
    assert "身份证" in f["birth_date_mismatch"]["message"]
    assert f["gender_mismatch"]["value"] == "男"
    assert findings_of(result, MEMBERS, 3) == {}
    assert set(findings_of(result, MEMBERS, 4)) == {"birth_date_mismatch"}
    # 1901年2月 agrees with the ID at month precision (no mismatch), but the age is implausible
    assert set(findings_of(result, MEMBERS, 5)) == {"age_out_of_range"}


def test_valid_id_without_name_is_loaded(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="", id_number="11010519491231002X", gender="女", birth_date="1949.12")])
    frames, result = run(raw)
    row = loaded_row(frames, "board_members", 2)
    assert (row["name"], row["id_number"]) == (None, "11010519491231002X")
    assert set(findings_of(result, MEMBERS, 2)) == {"name_missing"}


def test_run_needs_districts_and_elections(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    rawfiles.write_csv(raw / "班子成员.csv", rawfiles.PERSON_HEADER_ZH, [person()])
    with pytest.raises(BoardshiftError) as info:
        ingest.read_and_validate(raw, today=TODAY)
    assert "居民区(districts)" in str(info.value) and "选举(elections)" in str(info.value)


def test_unreadable_gender_role_and_candidate_fields(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(
        tmp_path / "raw",
        members=[person(name="甲", gender="未知", role="会计")],
        candidates=[candidate(name="甲", votes="十二", elected="也许"),
                    candidate(name="乙", votes="1,234票", elected="未当选")],
    )
    frames, result = run(raw)
    member = loaded_row(frames, "board_members", 2)
    assert (member["gender"], member["role"], member["role_code"]) == (None, "会计", None)
    assert set(findings_of(result, MEMBERS, 2)) == {"gender_unreadable", "role_unreadable"}
    cands = frames["candidates"].sort("source_row")
    assert cands.select("votes", "elected").rows() == [(None, None), (1234, False)]
    assert set(findings_of(result, CANDIDATES, 2)) == {"votes_unreadable", "elected_unreadable"}
    assert findings_of(result, CANDIDATES, 3) == {}


def test_election_and_district_findings(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(
        tmp_path / "raw",
        districts=[*DISTRICTS, ["0103", "", "", ""]],
        elections=[
            ["0101", "party", "2021年", "2021.13", "五", "215人", "205"],
            ["0101", "residents", "第2021届", "2027-05-17", "7", "3,882", "3556"],
        ],
    )
    frames, result = run(raw)
    elections = frames["elections"].sort("source_row")
    assert elections.select("term", "election_date", "seats", "registered_voters").rows() == [
        (2021, None, None, 215), (2021, D(2027, 5, 17), 7, 3882)]
    assert set(findings_of(result, "elections.csv", 2)) == {"election_date_unreadable",
                                                            "seats_unreadable"}
    assert set(findings_of(result, "elections.csv", 3)) == {"election_date_future"}
    assert set(findings_of(result, "居民区.csv", 4)) == {"district_name_missing",
                                                       "subdistrict_missing"}
    assert loaded_row(frames, "districts", 4)["district_code"] == "0103"


# ---------------------------------------------------------------- accounting and masking
def test_every_file_accounts_for_every_row(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(
        tmp_path / "raw",
        districts=[*DISTRICTS, ["0101", "重复", "长风新村街道", "普陀区"]],
        elections=[*ELECTIONS, DUP_ELECTION, ["0999", "party", "2021", "2021-03-01"]],
        members=[person(name="甲"), person(name="乙", term=""), person(name="甲"),
                 person(name="丙", education="大学在读"), "", person(name="丁", district_code="0999")],
        candidates=[candidate(name="甲"), candidate(name="乙", body="居委会", district_code="0102")],
    )
    frames, result = run(raw)
    got = {r["source_file"]: (r["rows_read"], r["rows_loaded"], r["rows_quarantined"])
           for r in result.report.iter_rows(named=True)}
    assert got == {
        "居民区.csv": (3, 2, 1),
        "elections.csv": (5, 3, 2),
        "班子成员.csv": (5, 2, 3),  # the blank line is not a row
        "候选人.csv": (2, 1, 1),
    }
    assert quarantined(result, MEMBERS).select("source_row", "reason_code").rows() == [
        (3, "missing_term"), (4, "duplicate_person"), (7, "unknown_district")]
    assert frames["board_members"]["source_row"].to_list() == [2, 5]
    assert result.rows_read == 15
    # the loaded frames have the contract's loaded columns; in memory the ID is still in clear
    # (ingest swaps it for its keyed hash, id_key, before anything is written)
    for table in contract.TABLE_ORDER:
        in_memory = ["id_number" if c == "id_key" else c for c, _, _ in contract.LOADED[table]]
        assert frames[table].columns == [*in_memory, "source_file", "source_sheet", "source_row"]


def test_quarantined_ids_are_masked(tmp_path: Path) -> None:
    raw = rawfiles.raw_folder(tmp_path / "raw", members=[
        person(name="甲", district_code="0999", id_number="440524188001010014"),
        person(name="乙", district_code="0999", id_number="11010519491231002x"),
        person(name="丙", district_code="0999", id_number="110105194912310021"),
    ])
    _, result = run(raw)
    q = quarantined(result, MEMBERS)
    assert q["reason_code"].to_list() == ["unknown_district"] * 3
    originals = [json.loads(v) for v in q["original_values"]]
    assert [o["id_number"] for o in originals] == [
        "440524********0014", "110105********002X", "110105********0021"]
    assert [o["name"] for o in originals] == ["甲", "乙", "丙"]
    assert originals[0]["district_code"] == "0999"
    assert originals[0]["body"] == "党委"
    for text in q["original_values"]:
        assert not re.search(r"\d{17}[\dXx]", text)
        assert "19491231" not in text and "18800101" not in text


def test_district_codes_padded_to_the_narrowest_listed_width() -> None:
    """A code Excel stripped of its leading zeros (101 for 0101; 101.0 from a number cell) is
    read as the narrowest zero-padded form that is listed; a listed code, a code no padding
    lists, a code that is not all digits and a missing one stay as they are."""
    known = pl.Series(["0101", "000101", "00007", "7", "A01", "0202", "12345"])
    typed = pl.DataFrame({"district_code": [
        "101", "101.0", "7", "07", "999", "A1", "A01", None, "202", "0101", "2345", "12345"]})
    got = validate.align_district_codes(typed, known)
    assert got["district_code"].to_list() == [
        "0101", "0101", "7", "00007", "999", "A1", "A01", None, "0202", "0101", "2345", "12345"]
    assert got["_code_padded"].to_list() == [
        True, True, False, True, False, False, False, False, True, False, False, False]
    # listed as aligned; unknown where the code is missing (its reason is the missing code)
    assert got["known_district"].to_list() == [
        True, True, True, True, False, False, True, None, True, True, False, True]
    for listed in (["9"], []):  # none of them listed; no district listed at all
        unlisted = validate.align_district_codes(typed, pl.Series(listed, dtype=pl.String))
        assert unlisted["district_code"].equals(typed["district_code"])
        assert not unlisted["_code_padded"].any()
        assert unlisted["known_district"].to_list() == [False] * 7 + [None] + [False] * 4


def test_a_districts_file_with_no_rows_quarantines_the_rest(tmp_path: Path) -> None:
    """A districts file with its header only (the list not yet typed in): every election and
    member row is quarantined as unknown_district, and nothing stops the run."""
    raw = rawfiles.raw_folder(tmp_path / "raw", districts=[], members=[person(name="甲")])
    frames, result = run(raw)
    assert frames["districts"].height == 0
    assert frames["elections"].height == frames["board_members"].height == 0
    assert result.quarantine["reason_code"].to_list() == ["unknown_district"] * 4

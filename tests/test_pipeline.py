"""End to end: the real `boardshift` CLI on real files in a temp folder, checked against numbers
worked out by hand below (not by re-running the models' SQL)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
import xlsxwriter

BOARDSHIFT = [sys.executable, "-m", "pipelines.cli"]


def boardshift(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BOARDSHIFT, *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def make_id(birth: str, seq: str) -> str:
    """An 18-character ID for 普陀区 with its check character, computed here independently."""
    first17 = "310107" + birth + seq
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


# ------------------------------------------------------------------ the hand-checked fixture
# District 0001 (A), party:
#   2018 (election 2018-03-10): P1 born 1960-03-11 → 57 (birthday the day after), 高中 (2)
#                               P2 born 1970-03-10 → 48 (birthday that very day), 大专 (3)
#                               P3 born 1965-01-01 → 53, 初中 (1)
#        mean age 158/3 = 52.667, college 1/3, mean level 6/3 = 2.0
#   2021 (election 2021-03-20): P2 again (same ID)  → 51, 大专 (3)
#                               P4 born 1985-06-01 → 35, 本科 (4)
#                               P5 no ID, 出生年月 1990.05 → 1990-05-01 → 30, 硕士研究生 (5)
#                               P6 born 1975-03-21 → 45 (46 the next day), 学历 "大学在读" (unknown)
#        mean age 161/4 = 40.25, college 3/3 = 1.0, mean level 12/3 = 4.0
#   → age_shift = 40.25 − 52.667 = −12.417, +66.667 个百分点 → one_down_one_up
# District 0002 (B), party:
#   2018: Q1 born 1980-01-01 (ID) → 38, 本科 (4); Q2 born 1982-01-01 → 36, 大专 (3)
#         mean 37, college 2/2, level 3.5
#   2021: Q1 without ID, 出生年月 1980-01-01 → 41, 本科 (4) (continuing by name + birth date)
#         Q3 born 1960-07-01 → 60, 高中 (2)
#         mean 50.5, college 1/2, level 3.0 → +13.5 years, −50 points → neither
# Pooled party 2021 in 测试街道: prev ages 57+48+53+38+36 = 232/5 = 46.4;
#   new 51+35+30+45+41+60 = 262/6 = 43.667 → −2.733; college 3/5 → 4/5 (+20 points);
#   levels 13/5 = 2.6 → 18/5 = 3.6. (The mean of the district means would be 45.375.)
P1, P2, P3 = make_id("19600311", "011"), make_id("19700310", "022"), make_id("19650101", "031")
P4, P6 = make_id("19850601", "042"), make_id("19750321", "051")
Q1, Q2, Q3 = make_id("19800101", "061"), make_id("19820101", "072"), make_id("19600701", "081")

MEMBER_HEAD_ZH = ["居民区代码", "组织类型", "换届年份", "身份证号", "姓名", "性别", "出生年月", "学历",
                  "政治面貌", "职务"]


def write_fixture(raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    # districts as Parquet with English headers; one duplicate code → quarantined
    pl.DataFrame({
        "district_code": ["0001", "0002", "0002"],
        "district_name": ["甲居民区", "乙居民区", "乙居民区（重复）"],
        "subdistrict": ["测试街道"] * 3,
        "city_district": ["普陀区"] * 3,
    }).write_parquet(raw / "districts.parquet")
    # elections as UTF-8 CSV with a BOM and Chinese headers; one duplicate election → quarantined
    rows = [["居民区代码", "组织类型", "换届年份", "选举日期", "应选人数"],
            ["0001", "党组织", "2018", "2018-03-10", "3"],
            ["0001", "党委", "2021年", "2021/3/20", "4"],
            ["0002", "党总支", "2018", "20180310", "2"],
            ["0002", "党支部", "2021", "2021年3月20日", "2"],
            ["0001", "居委会", "2021", "2021-05-15", "1"],
            ["0001", "党组织", "2021", "2021-03-21", "4"]]
    with (raw / "选举.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    # 2018 members: GBK CSV with CRLF and Chinese headers
    members_2018 = [
        ["0001", "党组织", "2018", P1, "张一", "男", "", "高中", "中共党员", "书记"],
        ["0001", "党组织", "2018", P2, "李二", "女", "1970.03", "大专", "中共党员", "委员"],
        ["0001", "党组织", "2018", P3, "王三", "男", "", "初中", "中共党员", "委员"],
        ["0002", "党组织", "2018", Q1, "赵四", "男", "", "大学本科", "中共党员", "书记"],
        ["0002", "党组织", "2018", Q2, "钱五", "女", "", "大专", "中共预备党员", "委员"],
        ["0002", "党组织", "", Q2, "钱五", "女", "", "大专", "中共党员", "委员"],  # no term
        ["0009", "党组织", "2018", P1, "张一", "男", "", "高中", "中共党员", "委员"],  # unknown district
    ]
    with (raw / "班子成员_2018.csv").open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([MEMBER_HEAD_ZH, *members_2018])
    # 2021 members: xlsx with a title row above the header; birth dates as real date cells
    book = xlsxwriter.Workbook(raw / "班子成员_2021.xlsx")
    sheet = book.add_worksheet("Sheet1")
    sheet.merge_range(0, 0, 0, 9, "2021年换届班子成员名单")
    sheet.write_row(1, 0, MEMBER_HEAD_ZH)
    members_2021 = [
        ["0001", "党委", "2021", P2, "李二", "女", "", "大专", "中共党员", "书记"],
        ["0001", "党委", "2021", P4, "孙六", "女", "", "本科", "中共党员", "委员"],
        ["0001", "党委", "2021", "", "周七", "男", "1990.05", "硕士研究生", "中共党员", "委员"],
        ["0001", "党委", "2021", P6, "吴八", "男", "", "大学在读", "群众", "委员"],
        ["0002", "党委", "2021", "", "赵四", "男", "1980-01-01", "本科", "中共党员", "书记"],
        ["0002", "党委", "2021", Q3, "郑九", "女", "", "高中", "中共党员", "委员"],
        ["0002", "党委", "2021", Q3, "郑九", "女", "", "高中", "中共党员", "委员"],  # duplicate
        ["0002", "党委", "2020", Q3, "郑九", "女", "", "高中", "中共党员", "委员"],  # no election
        ["0002", "党委", "2021", "", "", "女", "", "高中", "", "委员"],  # nobody
        ["0002", "党小组", "2021", Q3, "郑九", "女", "", "高中", "中共党员", "委员"],  # body
        ["0001", "居委会", "2021", P4, "孙六", "女", "", "本科", "中共党员", "主任"],
    ]
    for r, row in enumerate(members_2021, start=2):
        sheet.write_row(r, 0, row)
    book.close()
    # candidates: plain UTF-8 CSV with English headers
    with (raw / "candidates.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["district_code", "body", "term", "id_number", "name", "votes", "elected"])
        w.writerow(["0001", "party", "2021", P2, "李二", "50", "是"])
        w.writerow(["0001", "party", "2021", "", "落选者", "10", "否"])


def table(db: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hand")
    paths = {"raw": root / "raw", "db": root / "data" / "w.duckdb", "exports": root / "exports"}
    write_fixture(paths["raw"])
    proc = boardshift("run", "--raw", paths["raw"], "--db", paths["db"], "--exports", paths["exports"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    paths["stdout"] = Path(root / "stdout.txt")
    paths["stdout"].write_text(proc.stdout, encoding="utf-8")
    return paths


def test_one_down_one_up_per_district(built: dict[str, Path]) -> None:
    rows = {r["district_code"]: r for r in table(
        built["db"], "select * from one_down_one_up where body = 'party' and term = 2021")}
    assert set(rows) == {"0001", "0002"}
    a, b = rows["0001"], rows["0002"]
    assert a["prev_term"] == 2018 and a["members_prev"] == 3 and a["members_new"] == 4
    assert a["mean_age_prev"] == pytest.approx(158 / 3)
    assert a["mean_age_new"] == pytest.approx(40.25)
    assert a["age_shift"] == pytest.approx(40.25 - 158 / 3)
    assert a["college_share_prev"] == pytest.approx(1 / 3)
    assert a["college_share_new"] == pytest.approx(1.0)
    assert a["college_share_shift_pp"] == pytest.approx(200 / 3)
    assert a["mean_edu_level_prev"] == pytest.approx(2.0)
    assert a["mean_edu_level_new"] == pytest.approx(4.0)
    assert (a["age_down"], a["edu_up"], a["status"]) == (True, True, "one_down_one_up")
    assert a["district_name"] == "甲居民区" and a["subdistrict"] == "测试街道"
    assert b["mean_age_prev"] == pytest.approx(37.0) and b["mean_age_new"] == pytest.approx(50.5)
    assert b["college_share_shift_pp"] == pytest.approx(-50.0)
    assert (b["age_down"], b["edu_up"], b["status"]) == (False, False, "neither")
    # the residents' committee of 0001 has no earlier term: no row
    assert not table(built["db"], "select * from one_down_one_up where body = 'residents'")


def test_rollup_is_pooled_over_members(built: dict[str, Path]) -> None:
    (row,) = table(built["db"], "select * from one_down_one_up_rollup where body = 'party'")
    assert (row["subdistrict"], row["term"], row["districts"]) == ("测试街道", 2021, 2)
    assert (row["members_prev"], row["members_new"]) == (5, 6)
    assert row["mean_age_prev"] == pytest.approx(46.4)
    assert row["mean_age_new"] == pytest.approx(262 / 6)
    assert row["age_shift"] == pytest.approx(262 / 6 - 46.4)
    assert row["college_share_prev"] == pytest.approx(0.6)
    assert row["college_share_new"] == pytest.approx(0.8)
    assert row["college_share_shift_pp"] == pytest.approx(20.0)
    assert row["mean_edu_level_prev"] == pytest.approx(2.6)
    assert row["mean_edu_level_new"] == pytest.approx(3.6)
    assert row["status"] == "one_down_one_up"
    assert (row["districts_one_down_one_up"], row["districts_neither"]) == (1, 1)
    assert (row["districts_age_down_only"], row["districts_edu_up_only"]) == (0, 0)


def test_board_composition(built: dict[str, Path]) -> None:
    rows = {r["board_id"]: r for r in table(built["db"], "select * from board_composition")}
    assert set(rows) == {"0001|party|2018", "0001|party|2021", "0002|party|2018",
                         "0002|party|2021", "0001|residents|2021"}
    a = rows["0001|party|2021"]
    assert (a["members"], a["members_with_age"]) == (4, 4)
    assert a["median_age"] == pytest.approx(40.0)  # 30, 35, 45, 51
    assert (a["age_35_and_under"], a["age_36_45"], a["age_46_55"], a["age_56_and_over"]) == (2, 1, 1, 0)
    assert a["women"] == 2 and a["women_share"] == pytest.approx(0.5)  # from the IDs' 17th digit
    assert a["party_members"] == 3 and a["party_member_share"] == pytest.approx(0.75)
    assert [a[f"edu_level_{k}"] for k in range(1, 7)] == [0, 0, 1, 1, 1, 0]
    assert a["edu_unknown"] == 1
    assert a["bachelor_share"] == pytest.approx(2 / 3)
    assert (a["prev_term"], a["continuing_members"], a["new_members"]) == (2018, 1, 3)
    assert a["new_member_share"] == pytest.approx(0.75)
    b = rows["0002|party|2021"]
    assert (b["continuing_members"], b["new_members"]) == (1, 1)  # 赵四 by name + birth date
    first = rows["0001|party|2018"]
    assert first["prev_term"] is None and first["continuing_members"] is None


def test_every_quarantine_kind_and_finding(built: dict[str, Path]) -> None:
    got = {(r["source_file"], r["source_row"]): r["reason_code"]
           for r in table(built["db"], "select * from raw.quarantine")}
    assert got == {
        ("districts.parquet", 3): "duplicate_district",
        ("选举.csv", 7): "duplicate_election",
        ("班子成员_2018.csv", 7): "missing_term",
        ("班子成员_2018.csv", 8): "unknown_district",
        ("班子成员_2021.xlsx", 9): "duplicate_person",
        ("班子成员_2021.xlsx", 10): "no_election",
        ("班子成员_2021.xlsx", 11): "no_person",
        ("班子成员_2021.xlsx", 12): "missing_body",
    }
    reasons = {r["source_row"]: r["reason"] for r in table(
        built["db"], "select * from raw.quarantine where source_file = '班子成员_2021.xlsx'")}
    assert "党小组" in reasons[12] and "2020" in reasons[10]
    findings = {(r["source_file"], r["source_row"], r["finding_code"])
                for r in table(built["db"], "select * from raw.findings")}
    assert ("班子成员_2021.xlsx", 6, "education_unreadable") in findings
    # 李二 typed 1970.03 and the ID says 1970-03-10: same year-month, no mismatch finding
    assert not any(code == "birth_date_mismatch" for _, _, code in findings)
    report = table(built["db"], "select * from raw.load_report order by source_file")
    assert all(r["rows_loaded"] + r["rows_quarantined"] == r["rows_read"] for r in report)
    enc = {r["source_file"]: r["encoding"] for r in report}
    assert enc["班子成员_2018.csv"] == "gb18030" and enc["选举.csv"] == "utf-8-sig"
    assert enc["candidates.csv"] == "utf-8"


def test_exports(built: dict[str, Path]) -> None:
    out = built["exports"]
    for name in ("one_down_one_up", "one_down_one_up_rollup", "board_composition"):
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert pl.read_parquet(out / f"{name}.parquet").height > 0
    rollup = pl.read_csv(out / "one_down_one_up_rollup.csv")
    assert rollup["members_new"].to_list() == [6]
    assert pl.read_csv(out / "quarantine.csv").height == 8
    book = openpyxl.load_workbook(out / "summary.xlsx", read_only=True)
    assert {"一降一升_居民区", "一降一升_街道汇总", "班子结构", "隔离行"} <= set(book.sheetnames)
    head = [c.value for c in next(book["一降一升_居民区"].iter_rows(max_row=1))]
    assert head[:3] == ["班子编号", "居民区代码", "居民区名称"]
    statuses = [r[-1] for r in book["一降一升_居民区"].iter_rows(min_row=2, values_only=True)]
    assert sorted(statuses) == ["一降一升", "均未实现"]
    book.close()
    stdout = built["stdout"].read_text(encoding="utf-8")
    assert "测试街道 2021 年居民区党组织换届：2 个居民区中 1 个实现“一降一升”" in stdout
    assert "下降2.7岁" in stdout and "提高20.0个百分点" in stdout


def test_headline_stops_at_its_cap_and_says_where_the_rest_is(
        built: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Beyond HEADLINE_LINES sentences (a city has hundreds, the nation 64,000) the terminal gets
    no more of them but how many there are and where they all are: report.md and the rollup."""
    from pipelines import cli, report, run

    (row,) = run.headline(built["db"]).iter_rows(named=True)
    report_md = built["exports"] / "report.md"
    cli._report_headline(built["db"], report_md)
    assert capsys.readouterr().out.splitlines() == [report.headline(row)]
    monkeypatch.setattr(cli, "HEADLINE_LINES", 0)
    cli._report_headline(built["db"], report_md)
    assert capsys.readouterr().out.splitlines() == [
        f"……其余 1 句未列出（共 1 个街道、1 句）：全部见{report_md}（每个街道一段）和"
        " one_down_one_up_rollup 表（boardshift sql）。"]
    assert "## 测试街道 2021 年" in report_md.read_text(encoding="utf-8")
    cli._report_headline(built["db"])  # `boardshift build`: no exports
    assert capsys.readouterr().out.splitlines() == [
        "……其余 1 句未列出（共 1 个街道、1 句）：全部见 one_down_one_up_rollup 表（boardshift sql）。"]


def _digest(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] + "." + r[1] for r in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_name <> 'run_info' order by 1, 2").fetchall()]
        return {n: sorted(map(repr, con.execute(f"select * from {n}").fetchall())) for n in names}
    finally:
        con.close()


def test_rerun_gives_the_same_database(built: dict[str, Path], tmp_path: Path) -> None:
    before = _digest(built["db"])
    proc = boardshift("run", "--raw", built["raw"], "--db", built["db"], "--exports", tmp_path, "-q")
    assert proc.returncode == 0, proc.stderr
    assert _digest(built["db"]) == before
    assert table(built["db"], "select count(*) as n from raw.board_members")[0]["n"] == 12


def test_unreadable_file_stops_and_leaves_everything_as_it_was(
        built: dict[str, Path], tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_fixture(raw)
    exports = tmp_path / "exports"
    db = tmp_path / "w.duckdb"
    assert boardshift("run", "--raw", raw, "--db", db, "--exports", exports, "-q").returncode == 0

    def hashes() -> dict[str, str]:
        files = [db, *sorted(exports.iterdir())]
        return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}

    before = hashes()
    (raw / "选举.csv").write_text("居民区代码,换届年份,选举日期\n0001,2021,2021-03-20\n",
                                  encoding="utf-8")
    proc = boardshift("run", "--raw", raw, "--db", db, "--exports", exports)
    assert proc.returncode == 1
    message = " ".join(proc.stderr.split())
    assert "选举.csv" in message and "组织类型" in message and "Traceback" not in proc.stderr
    assert hashes() == before
    assert not (tmp_path / "w.duckdb.next").exists()


def test_steps_run_alone(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_fixture(raw)
    db = tmp_path / "w.duckdb"
    assert boardshift("ingest", "--raw", raw, "--db", db, "-q").returncode == 0
    assert table(db, "select count(*) as n from raw.board_members")[0]["n"] == 12
    assert boardshift("build", "--db", db, "-q").returncode == 0
    assert len(table(db, "select * from one_down_one_up")) == 2
    proc = boardshift("export", "--db", db, "--exports", tmp_path / "out", "-q")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "summary.xlsx").exists()


def test_build_replaces_every_model_whatever_holds_its_name(built: dict[str, Path],
                                                            tmp_path: Path) -> None:
    # The project's DuckDB materializations (macros/duckdb_materializations.sql) replace a
    # model in one statement. Rebuilding a built database replaces its tables and views; a
    # relation of the other kind under a model's name (a database built when that model was
    # materialised differently) is dropped and built as the model says.
    db = tmp_path / "w.duckdb"
    shutil.copy(built["db"], db)
    expected = table(db, "select * from one_down_one_up order by board_id")
    con = duckdb.connect(str(db))
    try:
        con.execute("drop table intermediate.int_boards_summarised")
        con.execute("create view intermediate.int_boards_summarised as select 1 as stale")
        con.execute("drop view staging.stg_districts")
        con.execute("create table staging.stg_districts as select 1 as stale")
        con.execute("delete from one_down_one_up")
    finally:
        con.close()
    proc = boardshift("build", "--db", db, "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    kinds = {r["table_name"]: r["table_type"] for r in table(
        db, "select table_name, table_type from information_schema.tables where table_name in "
            "('int_boards_summarised', 'stg_districts', 'one_down_one_up')")}
    assert kinds == {"int_boards_summarised": "BASE TABLE", "stg_districts": "VIEW",
                     "one_down_one_up": "BASE TABLE"}
    assert table(db, "select * from one_down_one_up order by board_id") == expected
    assert "stale" not in {r["column_name"] for r in table(
        db, "select column_name from information_schema.columns")}


def test_sql_prints_and_writes_csv(built: dict[str, Path], tmp_path: Path) -> None:
    proc = boardshift("sql", "--db", built["db"],
                      "select district_code, status from one_down_one_up order by 1")
    assert proc.returncode == 0, proc.stderr
    assert "one_down_one_up" in proc.stdout and "neither" in proc.stdout
    out = tmp_path / "q.csv"
    proc = boardshift("sql", "--db", built["db"], "--csv", out,
                      "select board_id, members from board_composition order by 1")
    assert proc.returncode == 0
    assert pl.read_csv(out)["members"].to_list() == [3, 4, 1, 2, 2]
    # what it refuses is in test_privacy.py


DEMO_RAW = Path(__file__).resolve().parent.parent / "raw"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    proc = boardshift("run", "--raw", DEMO_RAW, "--db", root / "demo.duckdb",
                      "--exports", root / "exports")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root / "demo.duckdb"


def test_demo_mostly_but_not_all_one_down_one_up(demo: Path) -> None:
    # Figures from an independent recomputation of the demo files (raw/README.md): party 15 of
    # 19, residents 14 of 19; party pooled mean age 47.19 → 44.26, college 66.4% → 75.6%.
    rows = {r["body"]: r for r in table(demo, "select * from one_down_one_up_rollup")}
    assert rows["party"]["districts"] == 19 and rows["party"]["districts_one_down_one_up"] == 15
    assert rows["residents"]["districts_one_down_one_up"] == 14
    assert rows["party"]["mean_age_prev"] == pytest.approx(47.19, abs=0.01)
    assert rows["party"]["mean_age_new"] == pytest.approx(44.26, abs=0.01)
    assert rows["party"]["college_share_prev"] == pytest.approx(0.664, abs=0.001)
    assert rows["party"]["college_share_new"] == pytest.approx(0.756, abs=0.001)
    names = {r["district_name"] for r in table(demo, "select district_name from one_down_one_up")}
    assert len(names) == 19 and "长风一村居民区" in names
    quarantined = table(demo, "select source_file, source_row, reason_code from raw.quarantine")
    assert len(quarantined) == 4
    original = table(demo, "select original_values from raw.quarantine")
    assert all("********" in json.loads(r["original_values"])["id_number"] for r in original
               if json.loads(r["original_values"]).get("id_number"))


def test_marts_are_documented_column_for_column(built: dict[str, Path]) -> None:
    import yaml

    root = Path(__file__).resolve().parent.parent / "dbt_project" / "models"
    documented: dict[str, list[str]] = {}
    for path in root.rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            documented[model["name"]] = [c["name"] for c in model.get("columns", [])]
    con = duckdb.connect(str(built["db"]), read_only=True)
    try:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('main', 'staging', 'intermediate')").fetchall()
        for schema, name in relations:
            actual = [r[0] for r in con.execute(
                "select column_name from information_schema.columns where table_schema = ? "
                "and table_name = ? order by ordinal_position", [schema, name]).fetchall()]
            assert documented.get(name) == actual, f"{schema}.{name} docs differ from its columns"
    finally:
        con.close()


DBT_PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"


def _defined_unit_tests() -> list[str]:
    import yaml

    names = []
    for path in (DBT_PROJECT / "models").rglob("*.yml"):
        names += [t["name"] for t in
                  (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", [])]
    return names


def test_a_run_builds_every_model_and_data_test_but_no_unit_test(built: dict[str, Path]) -> None:
    target = built["db"].parent / ".dbt" / "target"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    ran = {r["unique_id"]: r["status"] for r in json.loads(
        (target / "run_results.json").read_text(encoding="utf-8"))["results"]}
    by_type: dict[str, set[str]] = {}
    for uid, node in manifest["nodes"].items():
        by_type.setdefault(node["resource_type"], set()).add(uid)
    assert len(by_type["test"]) > 90 and len(by_type["model"]) > 30
    # every data test (staging, intermediate, marts) and every model ran and passed
    for kind in ("model", "test", "seed"):
        assert by_type[kind] <= set(ran), f"{kind}s left out: {sorted(by_type[kind] - set(ran))}"
    assert set(ran.values()) <= {"success", "pass"}
    # the unit tests are defined, but a run leaves them to the test suite (next test)
    assert len(manifest["unit_tests"]) == len(_defined_unit_tests()) > 0
    assert not [uid for uid in ran if uid.startswith("unit_test.")]
    # intermediate models are tables (computed once), staging stays views
    kinds = {(r["table_schema"], r["table_type"]) for r in table(
        built["db"], "select distinct table_schema, table_type from information_schema.tables "
                     "where table_schema in ('staging', 'intermediate')")}
    assert kinds == {("staging", "VIEW"), ("intermediate", "BASE TABLE")}


def test_dbt_unit_tests_pass(built: dict[str, Path], tmp_path: Path) -> None:
    # The unit tests check the models' SQL on fixed fixtures, whatever the data, so production
    # runs leave them out and they run here. dbt reads the column types of their inputs from the
    # database: a copy of a built one.
    from pipelines import dbt_runner

    db = tmp_path / "unit.duckdb"
    db.write_bytes(built["db"].read_bytes())
    result = dbt_runner.unit_tests(db, tmp_path / ".dbt")  # raises on a failing unit test
    defined = _defined_unit_tests()
    assert len(defined) >= 19
    assert (result.nodes, result.passed, result.failed) == (len(defined), len(defined), 0)
    ran = json.loads((tmp_path / ".dbt" / "target" / "run_results.json").read_text("utf-8"))
    assert sorted(r["unique_id"].split(".")[-1] for r in ran["results"]) == sorted(defined)


def test_dbt_parses_before_the_database_is_there_and_builds_without_parsing_again(
        built: dict[str, Path], tmp_path: Path) -> None:
    # `boardshift run` starts dbt (import + parse) while the raw files load; the build then
    # uses that parse. Here the database only appears after the start, as it does in a run.
    from pipelines import dbt_runner

    db, work = tmp_path / "later.duckdb", tmp_path / ".dbt"
    with dbt_runner.start_build(db, work, as_of=dt.date(2026, 11, 25)) as started:
        shutil.copyfile(built["db"], db)
        result = started.run()
    assert started.proc.returncode == 0
    assert result.failed == 0 and result.passed == result.nodes > 100
    log = (work / "logs" / "dbt.log").read_text("utf-8")
    # two dbt commands in one process: the parse (which writes perf_info.json), then the build,
    # on the parse's manifest (no parse of its own)
    assert log.count("Running with dbt=") == 2
    assert log.count("Performance info:") == 1
    assert log.index("Performance info:") < log.index("Concurrency:")
    assert "Concurrency: 4 threads" in log  # few loaded rows: several nodes at once (threads_for)
    # the worker skips the interpreter's teardown (dbt_worker.exit_now) but first closes the
    # database — checkpointed, no write-ahead log left — and flushes the log to its last line
    assert not db.with_name(db.name + ".wal").exists()
    assert log.rstrip().splitlines()[-1].endswith(f"Done. PASS={result.passed} WARN=0 ERROR=0 "
                                                  f"SKIP=0 NO-OP=0 TOTAL={result.nodes}")
    assert started.output[-1].endswith(f"TOTAL={result.nodes}")  # nothing after dbt's last line
    # the parse wrote manifest.json; the build wrote no second one, and the worker wrote
    # run_results.json (dbt_worker.write_run_results) with every node of the build
    target = work / "target"
    manifest = json.loads((target / "manifest.json").read_text("utf-8"))
    ran = json.loads((target / "run_results.json").read_text("utf-8"))
    assert not manifest["nodes"]["model.boardshift.one_down_one_up"].get("compiled_code")
    assert len(ran["results"]) == result.nodes
    assert {r["unique_id"] for r in ran["results"]} <= {*manifest["nodes"]}
    assert {r["status"] for r in ran["results"]} == {"success", "pass"}
    assert not [line for line in started.output if "leaked" in line or "Traceback" in line]


def test_dbt_threads_follow_the_loaded_rows(built: dict[str, Path], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines import dbt_runner
    from pipelines.errors import BoardshiftError

    monkeypatch.delenv(dbt_runner.THREADS_ENV, raising=False)
    db = built["db"]
    people = table(db, "select (select count(*) from raw.board_members)"
                       " + (select count(*) from raw.candidates) as n")[0]["n"]
    assert people > 12  # the fixture's 12 loaded members, and candidates
    assert dbt_runner.threads_for(db) == dbt_runner.PARALLEL_THREADS == 4
    monkeypatch.setattr(dbt_runner, "PARALLEL_MAX_PERSON_ROWS", people)
    assert dbt_runner.threads_for(db) == 4
    monkeypatch.setattr(dbt_runner, "PARALLEL_MAX_PERSON_ROWS", people - 1)
    assert dbt_runner.threads_for(db) == 1  # more rows: one node at a time
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert dbt_runner.threads_for(empty) == 1  # nothing loaded: dbt says what is missing
    assert dbt_runner.threads_for(tmp_path / "missing.duckdb") == 1
    monkeypatch.setenv(dbt_runner.THREADS_ENV, "2")
    assert dbt_runner.threads_for(db) == 2
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(dbt_runner.THREADS_ENV, bad)
        with pytest.raises(BoardshiftError, match=dbt_runner.THREADS_ENV):
            dbt_runner.threads_for(db)


def test_one_dbt_thread_or_four_build_the_same_tables(demo: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # nodes run side by side share one DuckDB database: the tables must not depend on it
    from pipelines import dbt_runner

    digests, logs = {}, {}
    for threads in ("1", "4"):
        monkeypatch.setenv(dbt_runner.THREADS_ENV, threads)
        db, work = tmp_path / f"t{threads}.duckdb", tmp_path / f"dbt{threads}"
        shutil.copyfile(demo, db)
        result = dbt_runner.build(db, work, as_of=dt.date(2026, 11, 25))
        assert result.failed == 0 and result.passed == result.nodes
        digests[threads] = _digest(db)
        logs[threads] = (work / "logs" / "dbt.log").read_text("utf-8")
    assert "Concurrency: 1 threads" in logs["1"] and "Concurrency: 4 threads" in logs["4"]
    assert digests["1"] == digests["4"] and len(digests["4"]) > 30


def test_a_cancelled_dbt_build_never_opens_the_database(tmp_path: Path) -> None:
    # the load failed: leaving the block without run() ends dbt before it touches the file
    from pipelines import dbt_runner, dbt_worker

    db, work = tmp_path / "never.duckdb", tmp_path / ".dbt"
    with dbt_runner.start_build(db, work, as_of=dt.date(2026, 11, 25)) as started:
        pass
    assert started.proc.returncode == dbt_worker.CANCELLED
    assert not db.exists() and not db.with_name(db.name + ".wal").exists()
    # it had parsed (dbt's partial-parse state is written), and stopped there
    assert (work / "target" / "partial_parse.msgpack").exists()
    assert (work / "target" / "manifest.json").exists()  # the parse writes it
    assert not (work / "target" / "run_results.json").exists()  # nothing ran
    log = (work / "logs" / "dbt.log").read_text("utf-8")
    assert "Performance info:" in log and "Concurrency:" not in log  # no build started


def test_the_parse_ahead_keeps_the_flags_that_shape_the_manifest() -> None:
    from pipelines import dbt_worker

    command = ["build", "--select", "marts", "--exclude-resource-type", "unit_test",
               "--vars", '{"as_of_date": "2026-11-25"}', "--project-dir", "p",
               "--profiles-dir", "p", "--target-path", "t", "--log-path", "l", "--no-use-colors"]
    assert dbt_worker.parse_args(command) == [
        "parse", "--vars", '{"as_of_date": "2026-11-25"}', "--project-dir", "p",
        "--profiles-dir", "p", "--target-path", "t", "--log-path", "l", "--no-use-colors"]


def test_demo_data_command_writes_a_scale(tmp_path: Path) -> None:
    proc = boardshift("demo-data", "--scale", "subdistrict", "--out", tmp_path / "raw")
    assert proc.returncode == 0, proc.stderr
    districts = pl.read_parquet(tmp_path / "raw" / "districts.parquet")
    assert districts.height == 19 and districts.schema["district_code"] == pl.String
    proc = boardshift("demo-data", "--scale", "galaxy", "--out", tmp_path / "x")
    assert proc.returncode == 1 and "--scale" in proc.stderr


def test_build_duckdb_stays_within_the_memory_limit(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest's connection and the dbt process both get BOARDSHIFT_DUCKDB_MEMORY (else 5GB)."""
    import json as _json
    import subprocess as _subprocess

    from pipelines import dbt_runner, warehouse

    db = tmp_path / "build.duckdb"
    monkeypatch.delenv("BOARDSHIFT_DUCKDB_MEMORY", raising=False)
    assert warehouse.memory_limit() == "5GB"
    monkeypatch.setenv("BOARDSHIFT_DUCKDB_MEMORY", "1GB")
    con = warehouse.connect_build(db)
    try:
        (ingest_limit,) = con.execute("select current_setting('memory_limit')").fetchall()[0]
    finally:
        con.close()
    args, env = dbt_runner.invocation(
        ["show", "--inline", "select current_setting('memory_limit') as m,"
         " current_setting('block_allocator_memory') as b", "--output", "json",
         "--log-format", "text"], db, tmp_path / "dbt")
    proc = _subprocess.run(args, env=env, capture_output=True, text=True, timeout=300,
                           cwd=str(dbt_runner.PROJECT_DIR))
    assert proc.returncode == 0, proc.stdout[-2000:]
    shown = _json.loads(proc.stdout[proc.stdout.index("{"):proc.stdout.rindex("}") + 1])
    assert ingest_limit == shown["show"][0]["m"] == "953.6 MiB"  # DuckDB's spelling of 1GB
    # the dbt process keeps that memory as a pool of blocks (warehouse.block_memory)
    assert shown["show"][0]["b"] == "953.6 MiB"

    # dbt run by hand (no BOARDSHIFT_DUCKDB_MEMORY): profiles.yml falls back to the same
    # default, and to no pool of blocks (DuckDB's default)
    by_hand = {k: v for k, v in env.items()
               if k not in ("BOARDSHIFT_DUCKDB_MEMORY", warehouse.BLOCK_MEMORY_ENV)}
    proc = _subprocess.run(args, env=by_hand, capture_output=True, text=True, timeout=300,
                           cwd=str(dbt_runner.PROJECT_DIR))
    assert proc.returncode == 0, proc.stdout[-2000:]
    shown = _json.loads(proc.stdout[proc.stdout.index("{"):proc.stdout.rindex("}") + 1])
    assert shown["show"][0]["m"] == "4.6 GiB"  # DuckDB's spelling of 5GB (5 × 10⁹ bytes)
    assert shown["show"][0]["b"] == "0 bytes"


def test_the_block_pool_is_the_memory_limit_unless_duckdb_refuses_it() -> None:
    """block_allocator_memory cannot exceed DuckDB's address space for blocks (80 % of the
    machine's memory): a larger limit, or one DuckDB cannot read, gets no pool rather than a
    dbt process that fails on its first query."""
    from pipelines import warehouse

    assert warehouse.block_memory("1GB") == "1GB"
    assert warehouse.block_memory("1000TB") == "0B"
    assert warehouse.block_memory("lots") == "0B"


def _jemalloc_options(code: str, env: dict[str, str]) -> dict[str, str]:
    """The options polars' jemalloc ran with in a fresh interpreter running `code` (which must
    import polars and allocate): asked of jemalloc itself, whose `stats_print` at exit lists
    them (`opt.<name>: <value>`)."""
    import re

    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, cwd=str(DEMO_RAW.parent))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return dict(re.findall(r"^\s*opt\.(\w+): (\S+)", proc.stderr, re.MULTILINE))


def test_the_dbt_process_duckdb_keeps_freed_memory(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The dbt process starts with DuckDB's jemalloc set to keep freed pages (until DuckDB
    purges them itself at its limit); a value the user set is kept. Checked in the allocator
    of a process started with the environment dbt gets."""
    from pipelines import dbt_runner, warehouse

    monkeypatch.delenv(warehouse.JEMALLOC_ENV, raising=False)
    allocate = "import duckdb; duckdb.connect().execute('select sum(range) from range(100000)')"
    _, env = dbt_runner.invocation(["build"], tmp_path / "x.duckdb", tmp_path / "dbt")
    ours = _jemalloc_options(allocate, {**env, warehouse.JEMALLOC_ENV:
                                        env[warehouse.JEMALLOC_ENV] + ",stats_print:true"})
    assert (ours["dirty_decay_ms"], ours["muzzy_decay_ms"]) == ("-1", "-1")
    monkeypatch.setenv(warehouse.JEMALLOC_ENV, "dirty_decay_ms:700,stats_print:true")
    _, env = dbt_runner.invocation(["build"], tmp_path / "x.duckdb", tmp_path / "dbt")
    assert _jemalloc_options(allocate, env)["dirty_decay_ms"] == "700"


def test_polars_keeps_freed_memory_two_seconds_when_the_pipeline_is_imported() -> None:
    """Importing the package (as `boardshift` does before polars) sets polars' allocator to keep
    freed pages 2 s, not polars' own 0.5 s; a value the user set is kept; imported after
    polars, it changes nothing. Checked in the allocator itself, not in os.environ alone."""
    import os as _os

    from pipelines import MALLOC_CONF_ENV

    env = {k: v for k, v in _os.environ.items() if k != MALLOC_CONF_ENV}
    stats = f"os.environ[{MALLOC_CONF_ENV!r}] += ',stats_print:true'"
    allocate = "import polars as pl; pl.DataFrame({'a': range(1000)}).sum()"
    ours = _jemalloc_options(f"import os, pipelines; {stats}; {allocate}", env)
    assert (ours["dirty_decay_ms"], ours["muzzy_decay_ms"]) == ("2000", "0")
    users = _jemalloc_options(f"import os, pipelines; {allocate}",
                              {**env, MALLOC_CONF_ENV: "dirty_decay_ms:700,stats_print:true"})
    assert users["dirty_decay_ms"] == "700"
    polars_first = _jemalloc_options(
        f"import os; os.environ[{MALLOC_CONF_ENV!r}] = 'stats_print:true'; import polars; "
        f"import pipelines; {allocate}", env)
    assert (polars_first["dirty_decay_ms"], polars_first["muzzy_decay_ms"]) == ("500", "1000")

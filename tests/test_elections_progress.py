"""Election measures and the weekly progress report, end to end: a small raw folder (the corpus
base folder plus our own elections, candidates and 进度.csv) through the real `boardshift run`,
then `dbt build` run directly with a fixed as-of date, checked against numbers worked out by hand
in the comments below (not by re-running the models' SQL)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

from pipelines import contract
from tests.corpus import (
    BASE_DISTRICTS,
    CANDIDATE_HEAD,
    CANDIDATES,
    ELECTION_HEAD,
    ELECTIONS,
    base_members,
    make_id,
    write,
    write_base,
)

ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT = ROOT / "dbt_project"
AS_OF = "2026-11-25"  # a Wednesday; its ISO week runs Mon 11-23 – Sun 11-29

# ------------------------------------------------------------------ the raw folder
# Districts 0001 甲居民区 and 0002 乙居民区 in 测试街道 (corpus BASE_DISTRICTS). Board members:
# the corpus base members (party boards 2018 and 2021, three members each, all with IDs:
# 张180–张182, 张210–张212 on 0001; 李180–李182, 李210–李212 on 0002) plus
#   班子成员.csv row 14: 周新人 on 0002 party 2021, never a candidate      → board_only
#   rows 15–16: 居甲, 居乙 on 0002 residents 2021 (that election has no candidates)
EXTRA_MEMBERS = [
    ["0002", "党组织", "2021", make_id("19880808", "777"), "周新人", "", "", "本科", "中共党员", "委员"],
    ["0002", "居委会", "2021", "", "居甲", "女", "1985-04-01", "大专", "群众", "主任"],
    ["0002", "居委会", "2021", "", "居乙", "男", "1990-06-01", "本科", "群众", "委员"],
]

# elections: seats, registered voters (应到), ballots cast (实到)
ELECTION_ROWS = [
    ["0001", "party", "2018", "2018-03-10", "3", "40", "38"],
    ["0001", "party", "2021", "2021-03-20", "4", "42", "40"],
    ["0002", "party", "2018", "2018-03-10", "3", "35", "35"],
    ["0002", "party", "2021", "2021-03-20", "4", "36", "33"],
    ["0001", "residents", "2021", "2021-05-15", "5", "3000", "2400"],
    ["0002", "residents", "2021", "2021-05-15", "5", "2000", ""],  # ballots unknown
]


def _ids() -> dict[str, str]:
    return {row[4]: row[3] for row in base_members()}


def candidate_rows() -> list[list[str]]:
    ids = _ids()

    def with_id(code: str, term: str, name: str, votes: int, elected: str) -> list[str]:
        return [code, "党组织", term, ids[name], name, "", "", "本科", "中共党员", "", str(votes),
                elected]

    def without_id(code: str, body: str, term: str, name: str, born: str, votes: int,
                   elected: str) -> list[str]:
        return [code, body, term, "", name, "男", born, "高中", "中共党员", "", str(votes), elected]

    return [
        # 0001 party 2018 (候选人.csv rows 2–5): all three members 全票 (38 of 38), one loser
        with_id("0001", "2018", "张180", 38, "是"),
        with_id("0001", "2018", "张181", 38, "是"),
        with_id("0001", "2018", "张182", 38, "是"),
        without_id("0001", "党组织", "2018", "落选甲18", "1970.01", 5, "否"),
        # 0002 party 2018 (rows 6–10): 35, 30, 28 of 35 elected, two losers
        with_id("0002", "2018", "李180", 35, "是"),
        with_id("0002", "2018", "李181", 30, "是"),
        with_id("0002", "2018", "李182", 28, "是"),
        without_id("0002", "党组织", "2018", "落选乙18a", "1970.02", 4, "否"),
        without_id("0002", "党组织", "2018", "落选乙18b", "1970.03", 3, "否"),
        # 0001 party 2021 (rows 11–15), the three ways of matching a member:
        with_id("0001", "2021", "张210", 40, "是"),  # same ID → id_key
        without_id("0001", "党组织", "2021", "张211", "1978-02-10", 36, "是"),  # → name + birth
        without_id("0001", "党组织", "2021", "张212", "", 30, "是"),  # no birth date → name
        without_id("0001", "党组织", "2021", "王外人", "1980.05", 25, "是"),  # row 14: elected_only
        without_id("0001", "党组织", "2021", "落选甲21", "1970.01", 10, "否"),
        # 0002 party 2021 (rows 16–19): 4 candidates for 4 seats (等额)
        with_id("0002", "2021", "李210", 33, "是"),
        with_id("0002", "2021", "李211", 33, "是"),
        with_id("0002", "2021", "李212", 20, "是"),
        without_id("0002", "党组织", "2021", "落选乙21", "1972.02", 10, "否"),
        # 0001 residents 2021 (rows 20–24): 5 candidates for 5 seats, all elected; no members
        *[without_id("0001", "居委会", "2021", f"居{n}", "1980-01-01", votes, "是")
          for n, votes in zip("一二三四五", (2000, 1900, 1800, 1700, 1600), strict=True)],
    ]


# 进度.csv: term 2026 (the coming round), Chinese headers and stage names.
MILESTONE_HEAD = ["居民区代码", "组织类型", "换届年份", "阶段", "计划日期", "完成日期"]
MILESTONE_ROWS = [
    ["0001", "党组织", "2026", "准备", "2026-11-01", "2026-10-30"],  # A
    ["0001", "党组织", "2026", "推荐", "2026-11-15", "2026-11-18"],  # B
    ["0001", "党组织", "2026", "选举", "2026-11-27", ""],  # C
    ["0002", "党组织", "2026", "准备", "2026-11-01", "2026-11-01"],  # D
    ["0002", "党组织", "2026", "推荐", "2026-11-15", ""],  # E
    ["0002", "党组织", "2026", "选举", "2026-11-29", ""],  # F
    ["0001", "居委会", "2026", "推选居民选举委员会", "2026-11-20", "2026-11-19"],  # G
    ["0001", "居委会", "2026", "选民登记", "2026-11-24", ""],  # H
    ["0001", "居委会", "2026", "投票选举", "2026-12-20", ""],  # I
]


def write_raw(raw: Path) -> None:
    write_base(raw, members=[*base_members(), *EXTRA_MEMBERS], skip=(ELECTIONS, CANDIDATES))
    write(raw / ELECTIONS, [ELECTION_HEAD, *ELECTION_ROWS])
    write(raw / CANDIDATES, [CANDIDATE_HEAD, *candidate_rows()])
    write(raw / "进度.csv", [MILESTONE_HEAD, *MILESTONE_ROWS])


def dbt(command: str, db: Path, work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dbt directly on the built database (the CLI does not pass vars yet)."""
    return subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", command, "--project-dir", str(DBT_PROJECT),
         "--profiles-dir", str(DBT_PROJECT), "--target-path", str(work / "target"),
         "--log-path", str(work / "logs"), "--no-use-colors", *args],
        capture_output=True, text=True, timeout=600, cwd=str(DBT_PROJECT),
        env={**os.environ, "BOARDSHIFT_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )


def table(db: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("elections_progress")
    raw, db = root / "raw", root / "data" / "e.duckdb"
    write_raw(raw)
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw),
                           "--db", str(db), "--exports", str(root / "exports"), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the progress models again, as of a fixed date (the run above judged them on today)
    proc = dbt("build", db, root / "dbt", "--select", "int_progress_weeks+",
               "--vars", f'{{as_of_date: "{AS_OF}"}}')
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return db


# ------------------------------------------------------------------ elections
# Per election, by hand (shares = votes ÷ ballots cast; 20% rule: candidates ≥ ceil(1.2 × seats)):
# 0001 party 2018: 3 seats, 4 candidates → 差额 1/3; rule needs ceil(3.6) = 4 → met.
#   turnout 38/40 = 0.95; elected 38, 38, 38 → min 1.0, mean 1.0, 全票 3; roster = elected.
# 0001 party 2021: 4 seats, 5 candidates → 0.25; rule needs ceil(4.8) = 5 → met.
#   turnout 40/42; elected 40, 36, 30, 25 → min 25/40 = 0.625, mean 131/4/40 = 0.81875, 全票 1
#   (张210: 40 = 40). Members 张210, 张211, 张212 all matched; 王外人 elected, not on the board.
# 0002 party 2018: 3 seats, 5 candidates → 2/3, met (4 needed). turnout 35/35 = 1.0;
#   elected 35, 30, 28 → min 28/35 = 0.8, mean 93/3/35 = 31/35, 全票 1.
# 0002 party 2021: 4 seats, 4 candidates → 0.0; 5 needed → NOT met. turnout 33/36;
#   elected 33, 33, 20 → min 20/33, mean 86/3/33 = 86/99, 全票 2; 周新人 on the board, never
#   a candidate.
# 0001 residents 2021: 5 seats, 5 candidates → 0.0; the party rule would need 6 → not met.
#   turnout 2400/3000 = 0.8; elected 2000…1600 → min 1600/2400 = 2/3, mean 9000/5/2400 = 0.75,
#   全票 0; no members loaded → roster not compared (NULL).
# 0002 residents 2021: no candidates → candidate figures NULL; ballots unknown → turnout NULL.
EXPECTED_ELECTIONS = {
    # election_id: (seats, candidates, elected, members, margin_ratio, rule_min, meets, turnout,
    #               min_vote_share, mean_vote_share, unanimous, members_not_candidates,
    #               elected_not_members)
    "0001|party|2018": (3, 4, 3, 3, 1 / 3, 4, True, 0.95, 1.0, 1.0, 3, 0, 0),
    "0001|party|2021": (4, 5, 4, 3, 0.25, 5, True, 40 / 42, 0.625, 0.81875, 1, 0, 1),
    "0002|party|2018": (3, 5, 3, 3, 2 / 3, 4, True, 1.0, 0.8, 31 / 35, 1, 0, 0),
    "0002|party|2021": (4, 4, 3, 4, 0.0, 5, False, 33 / 36, 20 / 33, 86 / 99, 2, 1, 0),
    "0001|residents|2021": (5, 5, 5, 0, 0.0, 6, False, 0.8, 2 / 3, 0.75, 0, None, None),
    "0002|residents|2021": (5, None, None, 2, None, 6, None, None, None, None, None, None, None),
}
ELECTION_COLUMNS = ("seats", "candidates", "elected", "members", "margin_ratio",
                    "party_rule_min_candidates", "meets_party_20pct_rule", "turnout",
                    "min_vote_share", "mean_vote_share", "unanimous_elected",
                    "members_not_candidates", "elected_not_members")


def _approx(values: tuple) -> tuple:
    return tuple(v if v is None or isinstance(v, bool) else pytest.approx(v) for v in values)


def test_election_results(built: Path) -> None:
    rows = {r["election_id"]: r for r in table(built, "select * from election_results")}
    assert set(rows) == set(EXPECTED_ELECTIONS)
    for election_id, expected in EXPECTED_ELECTIONS.items():
        got = tuple(rows[election_id][c] for c in ELECTION_COLUMNS)
        assert got == _approx(expected), election_id
    a = rows["0001|party|2021"]
    assert (a["district_name"], a["subdistrict"]) == ("甲居民区", "测试街道")
    assert (a["registered_voters"], a["ballots_cast"], a["elected_with_votes"]) == (42, 40, 4)


def test_candidates_matched_by_id_key_then_name_and_birth_date_then_name(built: Path) -> None:
    rows = table(built, "select name, matched_by, is_candidate, is_member "
                        "from intermediate.int_elections_candidates_matched_to_members "
                        "where district_code = '0001' and body = 'party' and term = 2021")
    got = {r["name"]: (r["matched_by"], r["is_candidate"], r["is_member"]) for r in rows}
    assert got == {
        "张210": ("id_key", True, True),  # same ID on both lists
        "张211": ("name_birth_date", True, True),  # candidate without ID, 1978-02-10 typed
        "张212": ("name", True, True),  # candidate without ID and birth date
        "王外人": (None, True, False),
        "落选甲21": (None, True, False),
    }


def test_election_roster_differences(built: Path) -> None:
    rows = table(built, "select * from election_roster_differences order by side")
    got = [(r["board_id"], r["name"], r["side"], r["votes"], r["source_file"], r["source_row"])
           for r in rows]
    assert got == [
        ("0002|party|2021", "周新人", "board_only", None, "班子成员.csv", 14),
        ("0001|party|2021", "王外人", "elected_only", 25, "候选人.csv", 14),
    ]
    # the loader flagged the same member (member_not_candidate) on its own
    flagged = table(built, "select value, source_row from raw.findings "
                           "where finding_code = 'member_not_candidate'")
    assert [(r["value"], r["source_row"]) for r in flagged] == [("周新人", 14)]


# Pooled per 测试街道 × body × term (ratios of sums):
# party 2018: seats 3 + 3 = 6, candidates 4 + 5 = 9 → 1.5 per seat, margin 0.5; both met;
#   turnout (38 + 35)/(40 + 35) = 73/75 = 0.9733 (the mean of 0.95 and 1.0 would be 0.975); 全票 3 + 1 = 4; roster differences 0.
# party 2021: seats 4 + 4 = 8, candidates 5 + 4 = 9 → 1.125, margin 0.125; met 1 of 2; turnout
#   (40 + 33)/(42 + 36) = 73/78 = 0.9359 (the mean of 40/42 and 33/36 would be 0.9345);
#   全票 1 + 2 = 3; board_only 1, elected_only 1.
# residents 2021: margin only from 0001 (0002 has no candidates): 5/5 → 1.0, margin 0.0, met 0;
#   turnout only from 0001: 2400/3000 = 0.8; 全票 0; no election compared (NULL sums).
def test_election_results_rollup(built: Path) -> None:
    rows = {r["rollup_id"]: r for r in table(built, "select * from election_results_rollup")}
    assert set(rows) == {"测试街道|party|2018", "测试街道|party|2021", "测试街道|residents|2021"}
    columns = ("elections", "elections_with_margin", "seats", "candidates", "candidates_per_seat",
               "margin_ratio", "elections_meeting_party_20pct_rule", "elections_with_turnout",
               "registered_voters", "ballots_cast", "turnout", "unanimous_elected",
               "elections_with_roster_compared", "members_not_candidates", "elected_not_members")
    expected = {
        "测试街道|party|2018": (2, 2, 6, 9, 1.5, 0.5, 2, 2, 75, 73, 73 / 75, 4, 2, 0, 0),
        "测试街道|party|2021": (2, 2, 8, 9, 1.125, 0.125, 1, 2, 78, 73, 73 / 78, 3, 2, 1, 1),
        "测试街道|residents|2021": (2, 1, 5, 5, 1.0, 0.0, 0, 1, 3000, 2400, 0.8, 0, 0, None, None),
    }
    for rollup_id, values in expected.items():
        assert tuple(rows[rollup_id][c] for c in columns) == _approx(values), rollup_id


# ------------------------------------------------------------------ weekly progress
# Term 2026's earliest date is A's actual 2026-10-30 (Fri) → first week Mon 10-26 – Sun 11-01.
# As of Wed 11-25 the last week is Mon 11-23 – Sun 11-29, judged on 11-25. Five weeks:
#   W1 11-01, W2 11-08, W3 11-15, W4 11-22 (each judged on its Sunday), W5 11-29 (on 11-25).
# done = actual ≤ status date; late = not done, planned < status date; due = not done, planned
# from the status date to Sunday; upcoming = planned after Sunday.
#   A 0001 准备   plan 11-01, done 10-30: done from W1 (0 days late)
#   B 0001 推荐   plan 11-15, done 11-18: upcoming W1–W2, due W3 (planned that Sunday), done W4–W5
#                                          (3 days after plan)
#   C 0001 选举   plan 11-27 (Fri):       upcoming W1–W4, due W5
#   D 0002 准备   plan 11-01, done 11-01: done W1 (done on the Sunday itself), 0 days late
#   E 0002 推荐   plan 11-15, not done:   upcoming W1–W2, due W3, late W4 (22 − 15 = 7 days),
#                                          late W5 (25 − 15 = 10 days)
#   F 0002 选举   plan 11-29 (Sun):       upcoming W1–W4, due W5
#   G 0001 选委会 plan 11-20, done 11-19: upcoming W1–W3, done W4–W5 (0)
#   H 0001 选民登记 plan 11-24 (Tue):      upcoming W1–W4, late W5 (25 − 24 = 1 day)
#   I 0001 投票选举 plan 12-20:            upcoming W1–W5
WEEKS = ["2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22", "2026-11-29"]
EXPECTED_STATUS = {
    # (district, body, stage): statuses W1..W5
    ("0001", "party", "preparation"): ["done"] * 5,
    ("0001", "party", "recommendation"): ["upcoming", "upcoming", "due", "done", "done"],
    ("0001", "party", "election"): ["upcoming"] * 4 + ["due"],
    ("0002", "party", "preparation"): ["done"] * 5,
    ("0002", "party", "recommendation"): ["upcoming", "upcoming", "due", "late", "late"],
    ("0002", "party", "election"): ["upcoming"] * 4 + ["due"],
    ("0001", "residents", "election_committee"): ["upcoming"] * 3 + ["done", "done"],
    ("0001", "residents", "voter_registration"): ["upcoming"] * 4 + ["late"],
    ("0001", "residents", "voting"): ["upcoming"] * 5,
}


def test_progress_weekly(built: Path) -> None:
    rows = table(built, "select * from progress_weekly")
    assert len(rows) == 5 * 9
    got: dict[tuple, list[str]] = {}
    for r in sorted(rows, key=lambda r: r["week_end"]):
        got.setdefault((r["district_code"], r["body"], r["stage"]), []).append(r["status"])
    assert got == EXPECTED_STATUS
    assert sorted({str(r["week_end"]) for r in rows}) == WEEKS
    by_id = {r["progress_id"]: r for r in rows}
    e4, e5 = by_id["0002|party|2026|recommendation|2026-11-22"], \
        by_id["0002|party|2026|recommendation|2026-11-29"]
    assert (e4["days_late"], e5["days_late"]) == (7, 10)
    assert str(e5["status_date"]) == AS_OF and str(e4["status_date"]) == "2026-11-22"
    b4 = by_id["0001|party|2026|recommendation|2026-11-22"]
    assert (b4["days_done_late"], b4["days_late"]) == (3, None)
    # B was done on 11-18: the week to 11-15 is judged before that and does not show the date
    b3 = by_id["0001|party|2026|recommendation|2026-11-15"]
    assert (b3["status"], b3["actual_date"]) == ("due", None)
    assert str(b4["actual_date"]) == "2026-11-18"
    assert all(r["actual_date"] is None for r in rows if r["status"] != "done")
    assert all(r["actual_date"] <= r["status_date"] for r in rows if r["status"] == "done")
    d1 = by_id["0002|party|2026|preparation|2026-11-01"]
    assert (d1["status"], d1["days_done_late"]) == ("done", 0)
    assert by_id["0001|residents|2026|voter_registration|2026-11-29"]["days_late"] == 1
    assert by_id["0001|residents|2026|election_committee|2026-11-29"]["stage_label_zh"] == \
        "推选居民选举委员会"
    assert str(by_id["0001|party|2026|preparation|2026-11-01"]["week_start"]) == "2026-10-26"


# Summary (boards per stage: 2 for each party stage, 1 for each residents stage):
#   party 推荐: W3 due 2; W4 done 1 (B, finished 11-18 within W4), late 1 (E, 7 days); W5 done 1,
#     done_in_week 0, late 1 (10 days); done_after_plan 1 (B) in W4 and W5.
#   party 准备: W1 done 2, both finished within W1 (10-30 and 11-01); W2 done 2, done_in_week 0.
#   residents 选民登记: W5 late 1 (1 day); residents 投票选举: upcoming 1 every week.
def test_progress_weekly_summary(built: Path) -> None:
    rows = table(built, "select * from progress_weekly_summary")
    assert len(rows) == 5 * 6
    by_id = {r["summary_id"]: r for r in rows}
    columns = ("boards", "done", "done_in_week", "late", "due", "upcoming", "unplanned",
               "max_days_late", "done_after_plan", "done_share")
    expected = {
        "2026-11-15|party|2026|recommendation": (2, 0, 0, 0, 2, 0, 0, None, 0, 0.0),
        "2026-11-22|party|2026|recommendation": (2, 1, 1, 1, 0, 0, 0, 7, 1, 0.5),
        "2026-11-29|party|2026|recommendation": (2, 1, 0, 1, 0, 0, 0, 10, 1, 0.5),
        "2026-11-01|party|2026|preparation": (2, 2, 2, 0, 0, 0, 0, None, 0, 1.0),
        "2026-11-08|party|2026|preparation": (2, 2, 0, 0, 0, 0, 0, None, 0, 1.0),
        "2026-11-29|party|2026|election": (2, 0, 0, 0, 2, 0, 0, None, 0, 0.0),
        "2026-11-29|residents|2026|voter_registration": (1, 0, 0, 1, 0, 0, 0, 1, 0, 0.0),
        "2026-11-22|residents|2026|election_committee": (1, 1, 1, 0, 0, 0, 0, None, 0, 1.0),
        "2026-11-29|residents|2026|voting": (1, 0, 0, 0, 0, 1, 0, None, 0, 0.0),
    }
    for summary_id, values in expected.items():
        assert tuple(by_id[summary_id][c] for c in columns) == _approx(values), summary_id
    assert by_id["2026-11-29|residents|2026|voting"]["stage_label_zh"] == "投票选举"


# Wall chart = the as-of week (ending 11-29), judged on 11-25: A done, B done 3 days after plan,
# C due, D done, E late 10 days, F due, G done, H late 1 day, I upcoming.
def test_progress_wall_chart(built: Path) -> None:
    rows = {r["wall_chart_id"]: r for r in table(built, "select * from progress_wall_chart")}
    got = {k: (r["status"], r["days_late"], r["days_done_late"]) for k, r in rows.items()}
    assert got == {
        "0001|party|2026|preparation": ("done", None, 0),
        "0001|party|2026|recommendation": ("done", None, 3),
        "0001|party|2026|election": ("due", None, None),
        "0002|party|2026|preparation": ("done", None, 0),
        "0002|party|2026|recommendation": ("late", 10, None),
        "0002|party|2026|election": ("due", None, None),
        "0001|residents|2026|election_committee": ("done", None, 0),
        "0001|residents|2026|voter_registration": ("late", 1, None),
        "0001|residents|2026|voting": ("upcoming", None, None),
    }
    assert {(str(r["as_of_date"]), str(r["week_end"])) for r in rows.values()} == \
        {(AS_OF, "2026-11-29")}
    assert rows["0002|party|2026|recommendation"]["district_name"] == "乙居民区"


# Another as-of date, Sunday 11-15 (the planned day of 推荐): three weeks (11-01, 11-08, 11-15);
# the wall chart is judged on 11-15 itself: B and E are due (not late) on their planned day,
# A and D done, G (plan 11-20) and H, I upcoming; C and F upcoming.
def test_as_of_date_is_a_var(built: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(built.read_bytes())
    proc = dbt("run", db, tmp_path, "--select", "int_progress_weeks+",
               "--vars", "{as_of_date: 2026-11-15}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    weeks = table(db, "select distinct week_end from progress_weekly order by 1")
    assert [str(r["week_end"]) for r in weeks] == WEEKS[:3]
    got = {r["wall_chart_id"]: r["status"] for r in table(db, "select * from progress_wall_chart")}
    assert got["0001|party|2026|recommendation"] == "due"
    assert got["0002|party|2026|recommendation"] == "due"
    assert got["0002|party|2026|preparation"] == "done"
    assert got["0001|residents|2026|election_committee"] == "upcoming"
    bad = dbt("run", db, tmp_path, "--select", "int_progress_weeks",
              "--vars", "{as_of_date: 'next week'}")
    assert bad.returncode != 0 and "as_of_date must be a date" in bad.stdout


# The CLI's --as-of reaches dbt as the environment variable BOARDSHIFT_AS_OF_DATE, not as --vars
# (a new --vars value makes dbt re-parse the whole project, ≈ 2.5 s more): with the dbt work dir kept
# beside the database, a second build on another date re-parses only int_progress_weeks, and the
# marts are judged on the new date.
def test_cli_as_of_date_reaches_dbt_without_a_full_reparse(built: Path, tmp_path: Path) -> None:
    db = tmp_path / "data" / "copy.duckdb"
    db.parent.mkdir()
    db.write_bytes(built.read_bytes())
    for as_of, weeks in (("2026-11-15", WEEKS[:3]), (AS_OF, WEEKS)):
        proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "build", "--db", str(db),
                               "--as-of", as_of, "-q"], capture_output=True, text=True, timeout=600,
                              env={**os.environ, "DBT_LOG_LEVEL_FILE": "debug"})
        assert proc.returncode == 0, proc.stdout + proc.stderr
        got = table(db, "select distinct week_end from progress_weekly order by 1")
        assert [str(r["week_end"]) for r in got] == weeks
        got = table(db, "select distinct as_of_date from progress_wall_chart")
        assert [str(r["as_of_date"]) for r in got] == [as_of]
    log = (db.parent / ".dbt" / "logs" / "dbt.log").read_text(encoding="utf-8")
    # each build is one dbt process running two commands: parse, then build on that parse
    first, first_build, second, second_build = log.split("Running with dbt=")[-4:]
    assert "Unable to do partial parsing" in first  # a new work dir: full parse
    assert "Unable to do partial parsing" not in second
    assert "Partial parsing: updated file: boardshift://models/intermediate/int_progress_weeks.sql" \
        in second
    assert "Command `cli parse`" in first and "Command `cli build`" in first_build
    assert "artial pars" not in first_build + second_build


# A finished round: every stage done by 2026-12-02 (Wednesday, the week ending 12-06). Reported
# as of 2027-03-03 it stops at that week and then has the as-of week (ending 2027-03-07), not
# the 12 weeks between, which would read the same; the wall chart still holds every stage, done,
# as of the as-of date, and the weekly workbook has a sheet per week reported.
FINISHED_ROWS = [
    ["0001", "党组织", "2026", "准备", "2026-11-01", "2026-10-30"],
    ["0001", "党组织", "2026", "推荐", "2026-11-15", "2026-11-18"],
    ["0001", "党组织", "2026", "选举", "2026-11-27", "2026-11-27"],
    ["0002", "党组织", "2026", "准备", "2026-11-01", "2026-11-01"],
    ["0002", "党组织", "2026", "推荐", "2026-11-15", "2026-11-16"],
    ["0002", "党组织", "2026", "选举", "2026-11-29", "2026-12-02"],
]


def test_a_finished_round_stops_at_its_last_week_and_the_as_of_week(tmp_path: Path) -> None:
    raw, db, exports = tmp_path / "raw", tmp_path / "f.duckdb", tmp_path / "exports"
    write_raw(raw)
    write(raw / "进度.csv", [MILESTONE_HEAD, *FINISHED_ROWS])  # in place of the round in progress
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw),
                           "--db", str(db), "--exports", str(exports), "--as-of", "2027-03-03",
                           "-q"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    weeks = [*WEEKS, "2026-12-06", "2027-03-07"]
    got = table(db, "select distinct week_end from progress_weekly order by 1")
    assert [str(r["week_end"]) for r in got] == weeks
    got = table(db, "select week_end, sum(boards) as boards, sum(done) as done "
                    "from progress_weekly_summary group by 1 order by 1")
    assert [str(r["week_end"]) for r in got] == weeks
    assert [(r["boards"], r["done"]) for r in got[-2:]] == [(6, 6), (6, 6)]
    wall = table(db, "select * from progress_wall_chart")
    assert len(wall) == len(FINISHED_ROWS)
    assert {(r["status"], str(r["as_of_date"]), str(r["week_end"])) for r in wall} == \
        {("done", "2027-03-03", "2027-03-07")}
    book = openpyxl.load_workbook(exports / "weekly_progress.xlsx", read_only=True)
    assert book.sheetnames == ["汇总", *(f"{w}周" for w in weeks)]
    book.close()


# ------------------------------------------------------------------ the stage seed
def test_stage_labels_seed_equals_contract_stages() -> None:
    with (DBT_PROJECT / "seeds" / "stage_labels.csv").open(encoding="utf-8", newline="") as fh:
        seed = list(csv.reader(fh))
    expected = [["body", "stage", "stage_order", "stage_label_zh", "stage_label_en"]]
    for body, stages in contract.STAGES.items():
        expected += [[body, code, str(order), zh, en]
                     for order, (code, zh, en, _) in enumerate(stages, start=1)]
    assert seed == expected, "regenerate dbt_project/seeds/stage_labels.csv from contract.STAGES"


def test_base_districts_are_the_ones_checked() -> None:
    # the hand-worked figures above assume the corpus base folder's two districts in 测试街道
    assert [r[:3] for r in BASE_DISTRICTS[1:]] == [["0001", "甲居民区", "测试街道"],
                                                    ["0002", "乙居民区", "测试街道"]]

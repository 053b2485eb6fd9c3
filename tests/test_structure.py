"""Structure marts end to end: the real `boardshift run` on a small raw folder written here,
every measure of board_structure(_rollup), district_structure(_rollup),
city_district_structure_rollup and structure_checks checked against figures worked out by hand
in the comments below (not by re-running the models' SQL)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.corpus import make_id, write

# ------------------------------------------------------------------ the hand-checked fixture
# 普陀区: 甲街道 = 0001 安居民区 (A) and 0002 白居民区 (B); 乙街道 = 0003 陈居民区 (C).
# Everyone is born on 1 January, so the age (周岁) is election year − birth year.
# Elections: party 2018-03-10 / 2021-03-20, residents 2018-05-12 / 2021-05-15.
# Education levels: 初中 1, 高中 2, 大专 3, 本科 4, 硕士 5. P = 中共党员, N = 群众.
#
# A party 2018 (3 seats): 安一 书记 58 L2 M P | 安二 48 L3 F P | 安三 43 L4 M P
# A residents 2018 (5):   安一 主任 58 (same ID: 一肩挑) | 居一 46 L2 F N | 居二 38 L3 F P |
#                         居三 33 L4 M N | 居四 28 L2 F N
# A party 2021 (4 seats): 安三 书记 46 L4 M P | 安二 51 L3 F P | 安五 33 L5 F P | 安六 29 L4 M P
# A residents 2021 (5):   安三 主任 46 (ID: 一肩挑) | 安五 33 — NO ID, name + birth date only: the
#                         same person as 安五 on the party board | 居二 副主任 41 | 居五 26 L4 F N |
#                         居六 43 L2 M P
# B party 2018 (3 seats): 白一 书记 53 L3 M P | 白二 43 L2 M P | 白三 36 L4 F P
# B residents 2018 (5):   白一 主任 53 (一肩挑) | 白四 48 L4 M P | 白五 34 L3 F N | 白六 32 L2 F N |
#                         白七 28 L4 M N
# B party 2021 (5 seats, only 5 candidates < ceil(1.2 × 5) = 6):
#                         白一 书记 56 L3 M P | 白三 39 L4 F P | 白八 31 L5 M P | 白九 28 L4 F P |
#                         白十 36 L3 M P
# B residents 2021 (5 seats, 4 people, no woman): 白四 主任 51 L4 M P | 白一 委员 56 (the secretary
#                         is only a member here: NOT 一肩挑, but cross-serving) | 白十一 30 L3 M N |
#                         白三 38 L1 M N — no ID, born 1983-01-01: same name as 白三 (1982) on the
#                         party board, other birth date → another person
# C party 2021 (2 seats, 3 members, 3 elected candidates; no residents' election):
#                         陈一 书记 41 L4 M P | 陈二 36 L3 F P | 陈三 31 L3 M P
ELECTION_DAY = {("party", "2018"): "2018-03-10", ("residents", "2018"): "2018-05-12",
                ("party", "2021"): "2021-03-20", ("residents", "2021"): "2021-05-15"}
# name: (birth year, ID sequence (odd = man, even = woman), education, political status)
PEOPLE = {
    "安一": (1960, "011", "高中", "中共党员"), "安二": (1970, "022", "大专", "中共党员"),
    "安三": (1975, "031", "本科", "中共党员"), "安五": (1988, "042", "硕士", "中共党员"),
    "安六": (1992, "051", "本科", "中共党员"), "居一": (1972, "062", "高中", "群众"),
    "居二": (1980, "072", "大专", "中共党员"), "居三": (1985, "081", "本科", "群众"),
    "居四": (1990, "092", "高中", "群众"), "居五": (1995, "102", "本科", "群众"),
    "居六": (1978, "111", "高中", "中共党员"),
    "白一": (1965, "121", "大专", "中共党员"), "白二": (1975, "131", "高中", "中共党员"),
    "白三": (1982, "142", "本科", "中共党员"), "白四": (1970, "151", "本科", "中共党员"),
    "白五": (1984, "162", "大专", "群众"), "白六": (1986, "172", "高中", "群众"),
    "白七": (1990, "181", "本科", "群众"), "白八": (1990, "191", "硕士", "中共党员"),
    "白九": (1993, "202", "本科", "中共党员"), "白十": (1985, "211", "大专", "中共党员"),
    "白十一": (1991, "221", "大专", "群众"),
    "陈一": (1980, "231", "本科", "中共党员"), "陈二": (1985, "242", "大专", "中共党员"),
    "陈三": (1990, "251", "大专", "中共党员"),
}
BOARDS = {  # (district, body, term): [(name, role)]
    ("0001", "party", "2018"): [("安一", "书记"), ("安二", "委员"), ("安三", "委员")],
    ("0001", "residents", "2018"): [("安一", "主任"), ("居一", "委员"), ("居二", "委员"),
                                    ("居三", "委员"), ("居四", "委员")],
    ("0001", "party", "2021"): [("安三", "书记"), ("安二", "委员"), ("安五", "委员"), ("安六", "委员")],
    ("0001", "residents", "2021"): [("安三", "主任"), ("居二", "副主任"), ("居五", "委员"),
                                    ("居六", "委员")],  # + 安五 without ID, below
    ("0002", "party", "2018"): [("白一", "书记"), ("白二", "委员"), ("白三", "委员")],
    ("0002", "residents", "2018"): [("白一", "主任"), ("白四", "委员"), ("白五", "委员"),
                                    ("白六", "委员"), ("白七", "委员")],
    ("0002", "party", "2021"): [("白一", "书记"), ("白三", "委员"), ("白八", "委员"), ("白九", "委员"),
                                ("白十", "委员")],
    ("0002", "residents", "2021"): [("白四", "主任"), ("白一", "委员"), ("白十一", "委员")],  # + 白三
    ("0003", "party", "2021"): [("陈一", "书记"), ("陈二", "委员"), ("陈三", "委员")],
}
SEATS = {("0001", "party", "2018"): 3, ("0001", "residents", "2018"): 5,
         ("0001", "party", "2021"): 4, ("0001", "residents", "2021"): 5,
         ("0002", "party", "2018"): 3, ("0002", "residents", "2018"): 5,
         ("0002", "party", "2021"): 5, ("0002", "residents", "2021"): 5,
         ("0003", "party", "2021"): 2}
MEMBER_HEAD = ["居民区代码", "组织类型", "换届年份", "身份证号", "姓名", "性别", "出生年月", "学历",
               "政治面貌", "职务"]


def member_row(district: str, body: str, term: str, name: str, role: str) -> list[str]:
    born, seq, education, status = PEOPLE[name]
    return [district, body, term, make_id(f"{born}0101", seq), name, "", "", education, status, role]


def write_raw(raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    write(raw / "districts.csv", [
        ["district_code", "district_name", "subdistrict", "city_district"],
        ["0001", "安居民区", "甲街道", "普陀区"],
        ["0002", "白居民区", "甲街道", "普陀区"],
        ["0003", "陈居民区", "乙街道", "普陀区"],
    ])
    write(raw / "elections.csv", [
        ["district_code", "body", "term", "election_date", "seats"],
        *[[d, b, t, ELECTION_DAY[(b, t)], str(n)] for (d, b, t), n in SEATS.items()],
    ])
    members = [member_row(d, b, t, name, role)
               for (d, b, t), people in BOARDS.items() for name, role in people]
    # no ID number: matched by name + birth date (安五), or another person (the second 白三)
    members += [["0001", "residents", "2021", "", "安五", "女", "1988-01-01", "硕士", "中共党员", "委员"],
                ["0002", "residents", "2021", "", "白三", "男", "1983-01-01", "初中", "群众", "委员"]]
    write(raw / "班子成员.csv", [MEMBER_HEAD, *members])
    candidates = [[*member_row(d, "party", "2021", name, role), "100", "是"]
                  for d in ("0001", "0002", "0003") for name, role in BOARDS[(d, "party", "2021")]]
    candidates.append(["0001", "party", "2021", "", "落选甲", "男", "1970-01-01", "高中", "中共党员", "",
                       "10", "否"])
    write(raw / "候选人.csv", [[*MEMBER_HEAD, "得票数", "是否当选"], *candidates])


def query(db: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def check(row: dict, expected: dict) -> None:
    """Every expected column: numbers approximately (floats), the rest exactly (None = NULL)."""
    for column, value in expected.items():
        if isinstance(value, float):
            assert row[column] == pytest.approx(value), column
        else:
            assert row[column] == value, column


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("structure")
    raw, database, exports = root / "raw", root / "w.duckdb", root / "exports"
    write_raw(raw)
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw),
                           "--db", str(database), "--exports", str(exports)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return database


# ------------------------------------------------------------------ district level
# A 2018: party 3 + residents 5 seats, 安一 on both → 1 cross, 7 distinct, 1/7; 安一 书记 = 主任.
# A 2021: party 4 + residents 5, 安三 (ID) and 安五 (name + birth date) on both → 2 cross, 7 distinct,
#         2/7 (shift (2/7 − 1/7) × 100 = 14.29 pp); 安三 书记 = 主任 → 一肩挑.
# B 2018: 3 + 5, 白一 on both → 1/7; 白一 书记 = 主任 → 一肩挑.
# B 2021: 5 + 4, only 白一 on both (the second 白三 is someone else) → 1 cross, 8 distinct, 1/8
#         (shift (1/8 − 1/7) × 100 = −1.79 pp); 白一 is only 委员 on the committee → not 一肩挑.
# C 2021: no residents' committee → cross, distinct, share and 一肩挑 unknown (NULL).
DISTRICTS = {
    "0001|2018": dict(district_code="0001", district_name="安居民区", subdistrict="甲街道",
                      city_district="普陀区", term=2018, prev_term=None, has_both_boards=True,
                      party_board_members=3, residents_committee_members=5, distinct_people=7,
                      cross_people=1, cross_share=1 / 7, cross_share_prev=None,
                      cross_share_shift_pp=None, is_yijiantiao=True, is_yijiantiao_prev=None,
                      secretaries=1, secretary_age=58.0, secretary_age_prev=None,
                      secretary_edu_level=2.0, secretary_edu_level_prev=None, directors=1,
                      director_age=58.0, director_age_prev=None, director_edu_level=2.0,
                      director_edu_level_prev=None),
    "0001|2021": dict(prev_term=2018, has_both_boards=True, party_board_members=4,
                      residents_committee_members=5, distinct_people=7, cross_people=2,
                      cross_share=2 / 7, cross_share_prev=1 / 7, cross_share_shift_pp=100 / 7,
                      is_yijiantiao=True, is_yijiantiao_prev=True, secretaries=1,
                      secretary_age=46.0, secretary_age_prev=58.0, secretary_edu_level=4.0,
                      secretary_edu_level_prev=2.0, directors=1, director_age=46.0,
                      director_age_prev=58.0, director_edu_level=4.0, director_edu_level_prev=2.0),
    "0002|2018": dict(prev_term=None, has_both_boards=True, party_board_members=3,
                      residents_committee_members=5, distinct_people=7, cross_people=1,
                      cross_share=1 / 7, is_yijiantiao=True, secretary_age=53.0,
                      secretary_edu_level=3.0, director_age=53.0, director_edu_level=3.0),
    "0002|2021": dict(district_name="白居民区", subdistrict="甲街道", prev_term=2018,
                      has_both_boards=True, party_board_members=5, residents_committee_members=4,
                      distinct_people=8, cross_people=1, cross_share=1 / 8, cross_share_prev=1 / 7,
                      cross_share_shift_pp=(1 / 8 - 1 / 7) * 100, is_yijiantiao=False,
                      is_yijiantiao_prev=True, secretaries=1, secretary_age=56.0,
                      secretary_age_prev=53.0, secretary_edu_level=3.0,
                      secretary_edu_level_prev=3.0, directors=1, director_age=51.0,
                      director_age_prev=53.0, director_edu_level=4.0, director_edu_level_prev=3.0),
    "0003|2021": dict(subdistrict="乙街道", city_district="普陀区", prev_term=None,
                      has_both_boards=False, party_board_members=3, residents_committee_members=0,
                      distinct_people=None, cross_people=None, cross_share=None,
                      is_yijiantiao=None, secretaries=1, secretary_age=41.0,
                      secretary_edu_level=4.0, directors=0, director_age=None,
                      director_edu_level=None),
}


def test_district_structure(db: Path) -> None:
    rows = {r["district_term_id"]: r for r in query(db, "select * from district_structure")}
    assert set(rows) == set(DISTRICTS)
    for key, expected in DISTRICTS.items():
        check(rows[key], expected)


# ------------------------------------------------------------------ pooled district structure
# 甲街道 2018: 2 districts, both 一肩挑 → 2/2 = 1.0; cross 1 + 1 = 2 of 7 + 7 = 14 → 1/7.
#   Secretaries 安一 58 L2, 白一 53 L3: mean 55.5, level 2.5, college (L ≥ 3) 1/2. Directors the same.
# 甲街道 2021: 一肩挑 in A only → 1/2 = 0.5 (−50 pp). Cross (2 + 1)/(7 + 8) = 3/15 = 0.2, while the
#   mean of the district shares is (2/7 + 1/8)/2 = 0.2054; shift (0.2 − 1/7) × 100 = 5.71 pp.
#   Secretaries 安三 46 L4, 白一 56 L3: mean 51 (−4.5), level 3.5 (+1.0), college 2/2 (+50 pp).
#   Directors 安三 46 L4, 白四 51 L4: mean 48.5 (−7.0), level 4.0 (+1.5), college 2/2 (+50 pp).
# 乙街道 2021: C alone, without a committee: no district with both boards → shares NULL, counts 0;
#   secretary 陈一 41 L4; no director.
# 普陀区 2018 = 甲街道 2018. 普陀区 2021: 3 districts, 2 with both boards, 1 一肩挑 → 0.5; cross 3/15;
#   secretaries 46, 56, 41 → 143/3 = 47.67 (−7.83), levels 4, 3, 4 → 11/3 (+1.17), college 3/3.
SUB_2018 = dict(term=2018, prev_term=None, districts=2, districts_with_both_boards=2,
                yijiantiao_districts=2, yijiantiao_share=1.0, yijiantiao_share_prev=None,
                yijiantiao_share_shift_pp=None, cross_people=2, distinct_people=14,
                cross_share=1 / 7, cross_share_prev=None, cross_share_shift_pp=None,
                secretaries=2, secretary_mean_age=55.5, secretary_mean_age_prev=None,
                secretary_age_shift=None, secretary_mean_edu_level=2.5,
                secretary_mean_edu_level_prev=None, secretary_edu_level_shift=None,
                secretary_college_share=0.5, secretary_college_share_prev=None,
                secretary_college_share_shift_pp=None, directors=2, director_mean_age=55.5,
                director_mean_age_prev=None, director_age_shift=None,
                director_mean_edu_level=2.5, director_mean_edu_level_prev=None,
                director_edu_level_shift=None, director_college_share=0.5,
                director_college_share_prev=None, director_college_share_shift_pp=None)
DIRECTORS_2021 = dict(directors=2, director_mean_age=48.5, director_mean_age_prev=55.5,
                      director_age_shift=-7.0, director_mean_edu_level=4.0,
                      director_mean_edu_level_prev=2.5, director_edu_level_shift=1.5,
                      director_college_share=1.0, director_college_share_prev=0.5,
                      director_college_share_shift_pp=50.0)
SHARES_2021 = dict(term=2021, prev_term=2018, districts_with_both_boards=2,
                   yijiantiao_districts=1, yijiantiao_share=0.5, yijiantiao_share_prev=1.0,
                   yijiantiao_share_shift_pp=-50.0, cross_people=3, distinct_people=15,
                   cross_share=0.2, cross_share_prev=1 / 7,
                   cross_share_shift_pp=(0.2 - 1 / 7) * 100)


def test_district_structure_rollup(db: Path) -> None:
    rows = {r["rollup_id"]: r for r in query(db, "select * from district_structure_rollup")}
    assert set(rows) == {"甲街道|2018", "甲街道|2021", "乙街道|2021"}
    check(rows["甲街道|2018"], {"subdistrict": "甲街道", **SUB_2018})
    check(rows["甲街道|2021"], {
        "subdistrict": "甲街道", "districts": 2, **SHARES_2021, "secretaries": 2,
        "secretary_mean_age": 51.0, "secretary_mean_age_prev": 55.5, "secretary_age_shift": -4.5,
        "secretary_mean_edu_level": 3.5, "secretary_mean_edu_level_prev": 2.5,
        "secretary_edu_level_shift": 1.0, "secretary_college_share": 1.0,
        "secretary_college_share_prev": 0.5, "secretary_college_share_shift_pp": 50.0,
        **DIRECTORS_2021,
    })
    assert rows["甲街道|2021"]["cross_share"] != pytest.approx((2 / 7 + 1 / 8) / 2)
    check(rows["乙街道|2021"], {
        "subdistrict": "乙街道", "term": 2021, "prev_term": None, "districts": 1,
        "districts_with_both_boards": 0, "yijiantiao_districts": 0, "yijiantiao_share": None,
        "yijiantiao_share_prev": None, "yijiantiao_share_shift_pp": None, "cross_people": 0,
        "distinct_people": 0, "cross_share": None, "cross_share_shift_pp": None,
        "secretaries": 1, "secretary_mean_age": 41.0, "secretary_age_shift": None,
        "secretary_mean_edu_level": 4.0, "secretary_college_share": 1.0,
        "secretary_college_share_shift_pp": None, "directors": 0, "director_mean_age": None,
        "director_mean_edu_level": None, "director_college_share": None,
    })


def test_city_district_structure_rollup(db: Path) -> None:
    rows = {r["rollup_id"]: r for r in query(db, "select * from city_district_structure_rollup")}
    assert set(rows) == {"普陀区|2018", "普陀区|2021"}
    check(rows["普陀区|2018"], {"city_district": "普陀区", **SUB_2018})
    check(rows["普陀区|2021"], {
        "city_district": "普陀区", "districts": 3, **SHARES_2021, "secretaries": 3,
        "secretary_mean_age": 143 / 3, "secretary_mean_age_prev": 55.5,
        "secretary_age_shift": 143 / 3 - 55.5, "secretary_mean_edu_level": 11 / 3,
        "secretary_mean_edu_level_prev": 2.5, "secretary_edu_level_shift": 11 / 3 - 2.5,
        "secretary_college_share": 1.0, "secretary_college_share_prev": 0.5,
        "secretary_college_share_shift_pp": 50.0, **DIRECTORS_2021,
    })


# ------------------------------------------------------------------ per board
# Shares over the members with a known value; bands 35岁及以下 / 36–45 / 46–55 / 56岁及以上;
# 本科及以上 = L ≥ 4, 高中(中专)及以上 = L ≥ 2; Party members' share on residents' committees only.
# A party 2018: ages 58, 48, 43 → bands 0, 1/3, 1/3, 1/3; women 1/3; 本科+ 1/3; 高中+ 3/3.
# A party 2021: ages 46, 51, 33, 29 → 2/4, 0, 2/4, 0; women 2/4; 本科+ 3/4; 高中+ 4/4.
# A residents 2018: ages 58, 46, 38, 33, 28 → 2/5, 1/5, 1/5, 1/5; women 3/5; Party 2/5; 本科+ 1/5.
# A residents 2021: ages 46, 33, 41, 26, 43 → 2/5, 2/5, 1/5, 0; women 3/5; Party 4/5; 本科+ 3/5.
# B party 2018: ages 53, 43, 36 → 0, 2/3, 1/3, 0; women 1/3; 本科+ 1/3; 高中+ 3/3.
# B party 2021: ages 56, 39, 31, 28, 36 → 2/5, 2/5, 0, 1/5; women 2/5; 本科+ 3/5; 高中+ 5/5.
# B residents 2018: ages 53, 48, 34, 32, 28 → 3/5, 0, 2/5, 0; women 2/5; Party 2/5; 本科+ 2/5.
# B residents 2021: ages 51, 56, 30, 38 → 1/4 each; women 0/4; Party 2/4; 本科+ 1/4; 高中+ 3/4
#   (the second 白三 is 初中).
# C party 2021: ages 41, 36, 31 → 1/3, 2/3, 0, 0; women 1/3; 本科+ 1/3; 高中+ 3/3.
SHARE_NAMES = ("women_share", "party_member_share", "age_35_and_under_share", "age_36_45_share",
               "age_46_55_share", "age_56_and_over_share", "bachelor_share", "high_school_share")
BOARD_SHARES = {  # board: (members, the shares in SHARE_NAMES order)
    "0001|party|2018": (3, (1 / 3, None, 0.0, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1.0)),
    "0001|party|2021": (4, (2 / 4, None, 2 / 4, 0.0, 2 / 4, 0.0, 3 / 4, 1.0)),
    "0001|residents|2018": (5, (3 / 5, 2 / 5, 2 / 5, 1 / 5, 1 / 5, 1 / 5, 1 / 5, 1.0)),
    "0001|residents|2021": (5, (3 / 5, 4 / 5, 2 / 5, 2 / 5, 1 / 5, 0.0, 3 / 5, 1.0)),
    "0002|party|2018": (3, (1 / 3, None, 0.0, 2 / 3, 1 / 3, 0.0, 1 / 3, 1.0)),
    "0002|party|2021": (5, (2 / 5, None, 2 / 5, 2 / 5, 0.0, 1 / 5, 3 / 5, 1.0)),
    "0002|residents|2018": (5, (2 / 5, 2 / 5, 3 / 5, 0.0, 2 / 5, 0.0, 2 / 5, 1.0)),
    "0002|residents|2021": (4, (0.0, 2 / 4, 1 / 4, 1 / 4, 1 / 4, 1 / 4, 1 / 4, 3 / 4)),
    "0003|party|2021": (3, (1 / 3, None, 1 / 3, 2 / 3, 0.0, 0.0, 1 / 3, 1.0)),
}
# The shifts of the 2021 boards, (new − previous) × 100, written out for two boards:
# A residents: women 3/5 − 3/5 = 0, Party 4/5 − 2/5 = +40, bands 0, +20, 0, −20, 本科+ +40, 高中+ 0.
# B residents: women −40, Party +10, bands −35, +25, −15, +25, 本科+ −15, 高中+ −25.
SHIFTS = {
    "0001|residents|2021": (0.0, 40.0, 0.0, 20.0, 0.0, -20.0, 40.0, 0.0),
    "0002|residents|2021": (-40.0, 10.0, -35.0, 25.0, -15.0, 25.0, -15.0, -25.0),
}


def test_board_structure(db: Path) -> None:
    rows = {r["board_id"]: r for r in query(db, "select * from board_structure")}
    assert set(rows) == set(BOARD_SHARES)
    for board, (members, shares) in BOARD_SHARES.items():
        row = rows[board]
        district, body, term = board.split("|")
        previous = f"{district}|{body}|2018" if term == "2021" else None
        prev_members, prev_shares = BOARD_SHARES.get(previous, (None, (None,) * len(SHARE_NAMES)))
        check(row, {"district_code": district, "body": body, "term": int(term),
                    "prev_term": 2018 if previous in BOARD_SHARES else None,
                    "members": members, "members_prev": prev_members})
        assert row["city_district"] == "普陀区"
        for name, new, old in zip(SHARE_NAMES, shares, prev_shares, strict=True):
            check(row, {name: new, f"{name}_prev": old})
            if new is None or old is None:
                assert row[f"{name}_shift_pp"] is None, (board, name)
            else:
                assert row[f"{name}_shift_pp"] == pytest.approx((new - old) * 100), (board, name)
    for board, shifts in SHIFTS.items():
        check(rows[board], {f"{n}_shift_pp": s for n, s in zip(SHARE_NAMES, shifts, strict=True)})


# ------------------------------------------------------------------ pooled per subdistrict × body
# 甲街道 party 2018 (A + B, 6 members): women 2/6; ages 58, 48, 43, 53, 43, 36 → 0, 3/6, 2/6, 1/6;
#   本科+ 2/6 (安三, 白三); 高中+ 6/6; no previous term → no 连任/新进.
# 甲街道 party 2021 (9): women 4/9 (+11.11 pp); ages 46, 51, 33, 29, 56, 39, 31, 28, 36 →
#   4/9 (+44.44), 2/9 (−27.78), 2/9 (−11.11), 1/9 (−5.56); 本科+ 6/9 (+33.33); 高中+ 9/9 (0).
#   连任: A 安三 安二 (2), B 白一 白三 (2) → 4; 新进 2 + 3 = 5; new share 5/9.
# 甲街道 residents 2018 (10): women 5/10, Party 4/10 (安一 居二 白一 白四), ages → 5/10, 1/10, 3/10,
#   1/10; 本科+ 3/10; 高中+ 10/10.
# 甲街道 residents 2021 (9): women 3/9 (−16.67 pp), Party 6/9 (+26.67), ages 46, 33, 41, 26, 43, 51,
#   56, 30, 38 → 3/9 (−16.67), 3/9 (+23.33), 2/9 (−7.78), 1/9 (+1.11); 本科+ 4/9 (+14.44);
#   高中+ 8/9 (−11.11). 连任: A 居二 (1), B 白四 白一 (2) → 3; 新进 4 + 2 = 6; new share 6/9.
# 乙街道 party 2021 = C alone (1/3, -, 1/3, 2/3, 0, 0, 1/3, 1), no previous term.
ROLLUPS = {
    "甲街道|party|2018": (2, 6, None, (2 / 6, None, 0.0, 3 / 6, 2 / 6, 1 / 6, 2 / 6, 1.0),
                       None, (None, None, None)),
    "甲街道|party|2021": (2, 9, 6, (4 / 9, None, 4 / 9, 2 / 9, 2 / 9, 1 / 9, 6 / 9, 1.0),
                       (11.111111, None, 44.444444, -27.777778, -11.111111, -5.555556,
                        33.333333, 0.0), (4, 5, 5 / 9)),
    "甲街道|residents|2018": (2, 10, None,
                           (5 / 10, 4 / 10, 5 / 10, 1 / 10, 3 / 10, 1 / 10, 3 / 10, 1.0),
                           None, (None, None, None)),
    "甲街道|residents|2021": (2, 9, 10, (3 / 9, 6 / 9, 3 / 9, 3 / 9, 2 / 9, 1 / 9, 4 / 9, 8 / 9),
                           (-16.666667, 26.666667, -16.666667, 23.333333, -7.777778, 1.111111,
                            14.444444, -11.111111), (3, 6, 6 / 9)),
    "乙街道|party|2021": (1, 3, None, (1 / 3, None, 1 / 3, 2 / 3, 0.0, 0.0, 1 / 3, 1.0),
                       None, (None, None, None)),
}


def test_board_structure_rollup(db: Path) -> None:
    rows = {r["rollup_id"]: r for r in query(db, "select * from board_structure_rollup")}
    assert set(rows) == set(ROLLUPS)
    for key, (districts, members, members_prev, shares, shifts, renewal) in ROLLUPS.items():
        row = rows[key]
        subdistrict, body, term = key.split("|")
        previous = ROLLUPS.get(f"{subdistrict}|{body}|2018") if term == "2021" else None
        check(row, {"subdistrict": subdistrict, "body": body, "term": int(term),
                    "prev_term": 2018 if previous else None, "districts": districts,
                    "members": members, "members_prev": members_prev})
        prev_shares = previous[3] if previous else (None,) * len(SHARE_NAMES)
        for i, name in enumerate(SHARE_NAMES):
            check(row, {name: shares[i], f"{name}_prev": prev_shares[i]})
            if shifts is None or shifts[i] is None:
                assert row[f"{name}_shift_pp"] is None, (key, name)
            else:
                assert row[f"{name}_shift_pp"] == pytest.approx(shifts[i], abs=1e-5), (key, name)
        continuing, new, new_share = renewal
        check(row, {"continuing_members": continuing, "new_members": new,
                    "new_member_share": new_share})


# ------------------------------------------------------------------ structure checks
# B residents 2021: 4 members (< 5) and, all genders known, no woman → two rows.
# B party 2021: 5 candidates for 5 seats < ceil(1.2 × 5) = 6 → too few candidates.
# C party 2021: 3 members and 3 elected candidates for 2 seats → both over seats
#   (3 candidates ≥ ceil(1.2 × 2) = 3 is enough). A party 2021: 5 candidates ≥ ceil(4.8) = 5, fine.
# Boards without candidate rows (2018, residents) are not checked for candidates.
def test_structure_checks(db: Path) -> None:
    rows = query(db, "select * from structure_checks")
    got = {(r["board_id"], r["rule_code"]): (r["observed_value"], r["limit_min"], r["limit_max"])
           for r in rows}
    assert got == {
        ("0002|residents|2021", "residents_size_out_of_range"): (4, 5, 9),
        ("0002|residents|2021", "residents_no_woman"): (0, 1, None),
        ("0002|party|2021", "party_too_few_candidates"): (5, 6, None),
        ("0003|party|2021", "members_over_seats"): (3, None, 2),
        ("0003|party|2021", "elected_over_seats"): (3, None, 2),
    }
    texts = {r["rule_code"]: r["rule_text"] for r in rows}
    assert texts["residents_size_out_of_range"] == "居民委员会由主任、副主任和委员共五至九人组成"
    assert "20%" in texts["party_too_few_candidates"]
    assert all(r["check_id"] == f"{r['board_id']}|{r['rule_code']}" for r in rows)
    assert {r["district_name"] for r in rows} == {"白居民区", "陈居民区"}
    assert all(r["rule_source"] for r in rows)

"""Synthetic raw folders at any scale, for benchmarks: a subdistrict up to a whole country.

    python -m pipelines.scale_data --scale city --out /tmp/city [--format parquet|csv] [--seed 2021]

Writes the five contract tables the way a records office would hand them in (every column text,
Chinese value words, one file per round for the people tables):

    districts.parquet  elections.parquet  board_members_<term>.parquet  candidates_<term>.parquet
    milestones_2026.parquet

plus ``README.md`` (ignored by the reader) listing the sizes and the planted faults. Rounds are
2015, 2018 and 2021, both bodies. Boards keep their youngest, best educated members and take in younger, better
educated newcomers, so most districts reach 一降一升 each round, not all. Some newcomers to a
residents' committee are members of the district's party board (交叉任职), its director the
party secretary (一肩挑) in about half the districts, as on real rosters. About 0.5 % of the
person rows are faulty, in five equal parts: extra rows with an unknown district code, extra rows
without a term, exact duplicate rows (all three quarantined), and real rows with a wrong ID check
character or an unknown education word (loaded with a finding). The milestones (进度) are the
coming round's, 2026, in progress as of PROGRESS_AS_OF (mid-round: some stages done, some late,
the last ones ahead), with faults of their own (see _milestones_frame).

Everything is drawn from ``numpy.random.Generator``s seeded by ``seed`` (the milestones from one of
their own, so the other files are as they were before them) and built column-wise with numpy and
polars (no per-row Python), so the nation scale (≈ 610,000 districts, ≈ 36 million person rows)
is written in well under a minute. Same seed, same scale, same format → byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipelines import contract

TERMS = (2015, 2018, 2021)
BODIES = ("party", "residents")
FAULT_RATE = 0.001  # per fault kind per file: five kinds → ≈ 0.5 % of the person rows
FAULT_KINDS = ("unknown_district", "missing_term", "duplicate_person", "id_invalid",
               "education_unreadable")
# The coming round, tracked week by week (选情周报): a 进度 (milestones) row per board and stage,
# for the next round after TERMS (five years on, as residents' committees' terms are since 2018),
# reported on PROGRESS_AS_OF, mid-round (the benchmark builds with it as the as-of date).
COMING_TERM = 2026
PROGRESS_START = "2026-09-01"  # each subdistrict starts 0–39 days after this day
PROGRESS_AS_OF = "2026-11-15"
STAGE_DAYS = {"party": (0, 30, 60), "residents": (15, 30, 45, 60, 75)}  # after the start
LAGGARD_P = 0.05  # boards that run 15–45 days behind
MILESTONE_FAULTS = ("unknown_district", "duplicate_stage", "unknown_stage")
UNKNOWN_STAGE = "其他工作"


@dataclass(frozen=True)
class Scale:
    districts: int  # 居民区
    subdistricts: int  # 街道/镇
    counties: int  # 区/县


SCALES: dict[str, Scale] = {
    "subdistrict": Scale(19, 1, 1),
    "district": Scale(300, 16, 1),
    "city": Scale(6_100, 215, 16),
    "province": Scale(61_000, 2_150, 160),  # between city and nation, for growth curves
    "nation": Scale(610_000, 32_000, 2_850),
}
# ≈ 6,100 party organisations and ≈ 6,000 residents' committees in a city of 6,100 districts
RESIDENTS_SHARE = 6_000 / 6_100

# Seats per board (mean ≈ 4.1: ≈ 49,000 members per round in a city of 12,100 boards)
SEATS = np.array([3, 4, 5, 6, 7])
SEATS_P = np.array([0.38, 0.32, 0.18, 0.08, 0.04])
CONTINUE_P = 0.45  # share of the previous board re-elected (the youngest, best educated)
# Newcomers per round: mean age falls, education rises (一降一升 in most districts)
NEW_AGE_MEAN = (47.0, 41.0, 38.0)
NEW_AGE_SD = 6.0
EDU_SHIFT = (0.0, 0.2, 0.4)
CANDIDATE_AGE_EXTRA = 2.0  # candidates who are not elected are a little older
# Seats on both boards (交叉任职), taken by newcomers to a residents' committee: its director is
# the party secretary (一肩挑) with these chances by round, and each 委员 seat is one of the
# party board's 委员 with CROSS_P. With the seats kept from the previous round, about a third
# of the member rows are a person on both boards and one district in two has 一肩挑 (the demo
# data in raw/: 28 % of the rows, 19 of 38 districts).
YIJIANTIAO_P = (0.6, 0.75, 0.9)
CROSS_P = 0.35

# ---------------------------------------------------------------- words as people type them
EDUCATION_TYPED: dict[int, tuple[str, ...]] = {
    1: ("初中", "初中", "初中及以下"),
    2: ("高中", "高中", "中专", "职高", "技校"),
    3: ("大专", "大专", "大学专科", "专科"),
    4: ("大学本科", "本科", "本科", "大学"),
    5: ("硕士研究生", "硕士", "研究生"),
    6: ("博士研究生", "博士"),
}
UNKNOWN_EDUCATION = ("大学在读", "函授", "党校大学", "在职研究生在读", "不详")
BODY_WORDS_BY_TERM = {2015: ("党组织", "居委会"), 2018: ("党委", "居民委员会"),
                      2021: ("居民区党组织", "居民委员会")}
POLITICAL = ("中共党员", "中共预备党员", "群众", "共青团员", "中国民主同盟盟员")
PARTY_POLITICAL_P = np.array([0.95, 0.05, 0.0, 0.0, 0.0])
RESIDENTS_POLITICAL_P = np.array([0.55, 0.02, 0.35, 0.05, 0.03])
ROLES = (("书记", "副书记", "委员"), ("主任", "副主任", "委员"))
GENDER_WORDS = ("女", "男")
ELECTED_WORDS = ("否", "是")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任沈姚卢姜崔钟谭陆范汪金石戴贾夏邱方侯邹熊孟秦江薛顾毛钱严倪施浦翁俞"
)
GIVEN = (
    "芳娟敏静丽艳霞燕玲红萍琳洁雯婷倩颖慧佳莉秀英桂凤兰梅琴珍雪蓉春晓月琼瑛菁",  # women
    "伟强军磊勇杰涛明斌华建国志刚海俊峰浩文健平辉毅鑫宇晨昊新荣德林忠亮东正祥云龙",  # men
)
PLACE_A = "长曹宜真石甘桃金沙延凌临虹江宝田龙华安康平泰兴和新丰永福嘉泉阳春松林翠枫梅兰菊莲"
PLACE_B = "风杨川如泉蔼浦源桥水园湾港山河湖塘溪浜坊庄苑岭岗洲城营桂月星晨光明德顺祥瑞宁盛东"
PLACE_C = ("", "新", "东", "西", "南", "北", "中", "上", "下", "前", "后", "外", "里", "大", "小",
           "老", "一", "二", "三", "四")
DISTRICT_SUFFIX = ("一村", "二村", "三村", "新村", "小区", "花园", "苑", "居民区", "家园", "公寓",
                   "第一", "第二", "路", "弄")
SHANGHAI = (("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"),
            ("310107", "普陀区"), ("310109", "虹口区"), ("310110", "杨浦区"), ("310112", "闵行区"),
            ("310113", "宝山区"), ("310114", "嘉定区"), ("310115", "浦东新区"), ("310116", "金山区"),
            ("310117", "松江区"), ("310118", "青浦区"), ("310120", "奉贤区"), ("310151", "崇明区"))
PROVINCE_CODES = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45,
                  46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65)
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK_CHARS = "10X98765432"
EPOCH = np.datetime64("1970-01-01", "D")

MEMBER_COLUMNS = ("district_code", "body", "term", "id_number", "name", "gender", "birth_date",
                  "education", "education_fulltime", "political_status", "role")
CANDIDATE_COLUMNS = ("district_code", "body", "term", "id_number", "name", "gender", "birth_date",
                     "education", "political_status", "votes", "elected")


# ---------------------------------------------------------------- small vectorised helpers
def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of day numbers (days since 1970-01-01), in integer arithmetic."""
    z = days.astype(np.int64) + 719468  # H. Hinnant's civil_from_days
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (m <= 2), m, d


def _day(text: str) -> int:
    return int((np.datetime64(text, "D") - EPOCH).astype(np.int64))


def _group_rank(keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, … within runs of equal keys (keys sorted)."""
    n = keys.size
    if n == 0:
        return np.zeros(0, np.int64)
    start = np.r_[True, keys[1:] != keys[:-1]]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    return np.arange(n) - first


def _texts(words: tuple[str, ...] | list[str | None], index: np.ndarray) -> pl.Series:
    return pl.Series(list(words), dtype=pl.String).gather(index)


def _zfill(values: np.ndarray, width: int) -> pl.Series:
    return pl.Series(values + 10 ** width).cast(pl.String).str.slice(1)


def id_check_index(county_sum: np.ndarray, y: np.ndarray, m: np.ndarray, d: np.ndarray,
                   seq: np.ndarray) -> np.ndarray:
    """GB 11643 check-character index ("10X98765432"[i]) from weighted address sum and parts."""
    w = ID_WEIGHTS
    total = (county_sum
             + w[6] * (y // 1000) + w[7] * (y // 100 % 10) + w[8] * (y // 10 % 10) + w[9] * (y % 10)
             + w[10] * (m // 10) + w[11] * (m % 10) + w[12] * (d // 10) + w[13] * (d % 10)
             + w[14] * (seq // 100) + w[15] * (seq // 10 % 10) + w[16] * (seq % 10))
    return total % 11


# ---------------------------------------------------------------- geography
@dataclass
class Geography:
    county_code: list[str]
    county_name: list[str]
    county_sum: np.ndarray  # weighted sum of the 6 address digits, per county
    district_code: pl.Series
    district_county: np.ndarray
    frame: pl.DataFrame  # the districts table
    district_sub: np.ndarray  # subdistrict index of each district


def _counties(scale: Scale) -> tuple[list[str], list[str]]:
    if scale.counties == 1:
        return ["310107"], ["普陀区"]
    if scale.counties <= len(SHANGHAI):
        picked = SHANGHAI[: scale.counties]
        return [c for c, _ in picked], [n for _, n in picked]
    codes, names = [], []
    for i in range(scale.counties):
        province = PROVINCE_CODES[i % len(PROVINCE_CODES)]
        k = i // len(PROVINCE_CODES)
        codes.append(f"{province:02d}{k // 20 + 1:02d}{k % 20 + 1:02d}")
        names.append(f"{PLACE_A[i % len(PLACE_A)]}{PLACE_B[(i // len(PLACE_A)) % len(PLACE_B)]}"
                     f"{PLACE_C[(i // (len(PLACE_A) * len(PLACE_B))) % len(PLACE_C)]}"
                     f"{'区' if i % 3 else '县'}")
    return codes, names


def _geography(rng: np.random.Generator, scale: Scale) -> Geography:
    county_code, county_name = _counties(scale)
    county_sum = np.array([sum(int(c) * int(w) for c, w in zip(code, ID_WEIGHTS[:6], strict=True))
                           for code in county_code])
    # subdistricts → counties, districts → subdistricts (sorted, so codes come out in order)
    sub_county = np.sort(rng.integers(0, scale.counties, scale.subdistricts))
    sub_county[: scale.counties] = np.arange(min(scale.counties, scale.subdistricts))
    sub_county.sort()
    dist_sub = np.sort(rng.integers(0, scale.subdistricts, scale.districts))
    dist_sub[: scale.subdistricts] = np.arange(min(scale.subdistricts, scale.districts))
    dist_sub.sort()
    sub_seq = _group_rank(sub_county) + 1
    dist_seq = _group_rank(dist_sub) + 1
    dist_county = sub_county[dist_sub]
    # unique subdistrict names: a permutation of PLACE_A × PLACE_B × PLACE_C
    n_a, n_b, n_c = len(PLACE_A), len(PLACE_B), len(PLACE_C)
    combos = rng.permutation(n_a * n_b * n_c)[: scale.subdistricts]
    sub_names = pl.DataFrame({
        "a": _texts(list(PLACE_A), combos % n_a), "b": _texts(list(PLACE_B), combos // n_a % n_b),
        "c": _texts(PLACE_C, combos // (n_a * n_b)),
        "s": _texts(("街道", "街道", "镇"), np.arange(scale.subdistricts) % 3),
    }).select(pl.concat_str("a", "b", "c", "s")).to_series()
    code = pl.DataFrame({
        "county": _texts(county_code, dist_county), "sub": _zfill(sub_seq[dist_sub], 3),
        "seq": _zfill(dist_seq, 3),
    }).select(pl.concat_str("county", "sub", "seq")).to_series()
    d = scale.districts
    name = pl.DataFrame({
        "a": _texts(list(PLACE_A), rng.integers(0, n_a, d)),
        "b": _texts(list(PLACE_B), rng.integers(0, n_b, d)),
        "s": _texts(DISTRICT_SUFFIX, rng.integers(0, len(DISTRICT_SUFFIX), d)),
    }).select(pl.concat_str("a", "b", "s")).to_series()
    frame = pl.DataFrame({
        "district_code": code, "district_name": name, "subdistrict": sub_names.gather(dist_sub),
        "city_district": _texts(county_name, dist_county),
    })
    return Geography(county_code, county_name, county_sum, code, dist_county, frame, dist_sub)


# ---------------------------------------------------------------- people
@dataclass
class People:
    """Person attributes, one entry per person (or per row, after `take`)."""

    birth: np.ndarray  # day number (days since 1970-01-01)
    ymd: np.ndarray  # the same as yyyymmdd
    male: np.ndarray
    surname: np.ndarray  # index into SURNAMES
    given1: np.ndarray  # index into _GIVEN_ALL
    given2: np.ndarray  # index into _GIVEN_ALL ("" for a one-character given name)
    political: np.ndarray
    county: np.ndarray
    seq: np.ndarray  # the ID's three-digit order code: odd for men, even for women
    check: np.ndarray  # index into CHECK_CHARS

    def __len__(self) -> int:
        return int(self.birth.size)

    def take(self, index: np.ndarray) -> People:
        return People(*(getattr(self, f)[index] for f in self.__dataclass_fields__))

    @staticmethod
    def concat(*parts: People) -> People:
        return People(*(np.concatenate([getattr(p, f) for p in parts])
                        for f in People.__dataclass_fields__))


_GIVEN_ALL = [*GIVEN[0], *GIVEN[1], ""]
_SURNAME_P = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.9
_SURNAME_P /= _SURNAME_P.sum()


def _draw_people(rng: np.random.Generator, day: np.ndarray, body: np.ndarray, county: np.ndarray,
                 county_sum: np.ndarray, number: np.ndarray, term_i: int, extra_age: float = 0.0
                 ) -> tuple[People, np.ndarray]:
    """New people for the given election days; returns them and their education levels."""
    n = day.size
    age = np.clip(rng.normal(NEW_AGE_MEAN[term_i] + extra_age, NEW_AGE_SD, n), 23, 66)
    birth = day - np.floor(age * 365.2425).astype(np.int32) - rng.integers(0, 365, n, np.int32)
    male = rng.random(n) < np.where(body == 0, 0.5, 0.35)
    edu = np.clip(np.rint(2.5 + EDU_SHIFT[term_i] + (45.0 - age) / 16.0 + rng.normal(0, 0.85, n)),
                  1, 6).astype(np.int8)
    n_women, n_men = len(GIVEN[0]), len(GIVEN[1])

    def given() -> np.ndarray:
        return np.where(male, n_women + rng.integers(0, n_men, n), rng.integers(0, n_women, n))

    given1 = given()
    given2 = np.where(rng.random(n) < 0.7, given(), len(_GIVEN_ALL) - 1)
    political = np.where(body == 0, rng.choice(len(POLITICAL), n, p=PARTY_POLITICAL_P),
                         rng.choice(len(POLITICAL), n, p=RESIDENTS_POLITICAL_P))
    surname = rng.choice(len(SURNAMES), n, p=_SURNAME_P)
    # the ID's order code: unique within a board's whole history, 000–499 on a party board and
    # 500–999 on a residents' committee, so that a party member seated on the committee
    # (_share_seats) never has the ID number of someone drawn for it
    seq = 500 * body + 2 * (number % 250) + male
    y, m, d = _ymd(birth)
    check = id_check_index(county_sum, y, m, d, seq)
    return People(birth.astype(np.int32), (y * 10000 + m * 100 + d).astype(np.int32), male,
                  surname.astype(np.int16), given1.astype(np.int16), given2.astype(np.int16),
                  political.astype(np.int8), county.astype(np.int32), seq.astype(np.int16),
                  check.astype(np.int8)), edu


def _numbers(board: np.ndarray, counter: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Per new person (sorted by board) its running number in its board's history."""
    numbers = base[board] + counter[board] + _group_rank(board)
    counter += np.bincount(board, minlength=counter.size)
    return numbers


# ---------------------------------------------------------------- the rounds
@dataclass
class Rows:
    """Person rows of one table and round (members or candidates), not yet text."""

    board: np.ndarray
    people: People
    edu: np.ndarray
    extra: dict[str, np.ndarray]


@dataclass
class Round:
    term: int
    day: np.ndarray  # per board
    seats: np.ndarray
    registered: np.ndarray
    ballots: np.ndarray
    members: Rows
    candidates: Rows


@dataclass
class Boards:
    district: np.ndarray
    body: np.ndarray  # 0 party, 1 residents
    county: np.ndarray

    def __len__(self) -> int:
        return int(self.district.size)


def _rounds(rng: np.random.Generator, boards: Boards, geo: Geography) -> Iterator[Round]:
    """The rounds in order; each board keeps its youngest, best educated members, adds newcomers."""
    n = len(boards)
    county_sum = geo.county_sum[boards.county]
    base = rng.integers(0, 500, n)
    counter = np.zeros(n, np.int64)
    prev: Rows | None = None
    for t, year in enumerate(TERMS):
        day = np.where(boards.body == 0, _day(f"{year}-03-01") + rng.integers(0, 31, n),
                       _day(f"{year}-05-10") + rng.integers(0, 50, n)).astype(np.int32)
        seats = rng.choice(SEATS, n, p=SEATS_P)
        registered = np.where(boards.body == 0, rng.integers(25, 320, n),
                              rng.integers(1500, 9000, n))
        ballots = np.floor(registered * rng.uniform(0.82, 0.99, n)).astype(np.int64)
        if prev is None:
            kept_board, kept_edu = np.zeros(0, np.int64), np.zeros(0, np.int8)
            kept = People(*(np.zeros(0, t) for t in (np.int32, np.int32, bool, np.int16, np.int16,
                                                     np.int16, np.int8, np.int32, np.int16, np.int8)))
            kept_n = np.zeros(n, np.int64)
        else:  # part of the previous board stands again and is re-elected
            # stay: the youngest and best educated (3 years of age ≈ one education level)
            score = prev.people.birth.astype(np.int64) + 1100 * prev.edu.astype(np.int64)
            order = np.argsort(prev.board * (1 << 32) - score, kind="stable")
            ranked = prev.board[order]
            kept_n = np.minimum(seats, rng.binomial(np.bincount(ranked, minlength=n), CONTINUE_P))
            stay = order[_group_rank(ranked) < kept_n[ranked]]
            kept_board, kept = prev.board[stay], prev.people.take(stay)
            kept_edu = np.minimum(prev.edu[stay] + (rng.random(stay.size) < 0.08), 6).astype(np.int8)
        new_board = np.repeat(np.arange(n), seats - kept_n)
        fresh, fresh_edu = _draw_people(rng, day[new_board], boards.body[new_board],
                                        boards.county[new_board], county_sum[new_board],
                                        _numbers(new_board, counter, base), t)
        board = np.concatenate([kept_board, new_board])
        people = People.concat(kept, fresh)
        edu = np.concatenate([kept_edu, fresh_edu])
        is_new = np.r_[np.zeros(kept_board.size, bool), np.ones(new_board.size, bool)]
        # roles: a random order within each board; first 书记/主任, second (5+ seats) the deputy
        order = np.argsort(board * (1 << 32) + rng.integers(0, 1 << 31, board.size), kind="stable")
        board, people, edu, is_new = board[order], people.take(order), edu[order], is_new[order]
        rank = _group_rank(board)
        role = np.where(rank == 0, 0, np.where((rank == 1) & (seats[board] >= 5), 1, 2))
        _share_seats(rng, boards, board, people, edu, role, is_new, t)
        edu_ft = np.where(rng.random(board.size) < 0.15, -1,
                          np.maximum(edu - (rng.random(board.size) < 0.35), 1))
        members = Rows(board, people, edu, {"role": role, "edu_ft": edu_ft})
        # candidates: every member (elected) and the ones who were not elected
        extra = np.where(boards.body == 0, (6 * seats + 4) // 5 - seats + (rng.random(n) < 0.3),
                         rng.integers(1, 4, n))
        lost_board = np.repeat(np.arange(n), extra)
        lost, lost_edu = _draw_people(rng, day[lost_board], boards.body[lost_board],
                                      boards.county[lost_board], county_sum[lost_board],
                                      _numbers(lost_board, counter, base), t, CANDIDATE_AGE_EXTRA)
        c_board = np.concatenate([board, lost_board])
        elected = np.r_[np.ones(board.size, bool), np.zeros(lost_board.size, bool)]
        share = np.where(elected, rng.uniform(0.55, 0.99, c_board.size),
                         rng.uniform(0.05, 0.5, c_board.size))
        votes = np.floor(ballots[c_board] * share).astype(np.int64)
        order = np.argsort(c_board * (1 << 32) - votes, kind="stable")
        candidates = Rows(c_board[order], People.concat(people, lost).take(order),
                          np.concatenate([edu, lost_edu])[order],
                          {"votes": votes[order], "elected": elected[order]})
        yield Round(year, day, seats, registered, ballots, members, candidates)
        prev = members


def _person_id(people: People) -> np.ndarray:
    """One int64 per person: the parts of the ID number (county, birth date, order code)."""
    return ((people.county.astype(np.int64) << 31) | ((people.birth.astype(np.int64) + (1 << 20))
                                                      << 10) | people.seq.astype(np.int64))


def _share_seats(rng: np.random.Generator, boards: Boards, board: np.ndarray, people: People,
                 edu: np.ndarray, role: np.ndarray, is_new: np.ndarray, term_i: int) -> None:
    """Give some newcomers' seats on a residents' committee to the party board of the same
    district (in place): the director seat to the secretary (一肩挑, YIJIANTIAO_P), 委员 seats to
    the party board's 委员 (CROSS_P each). A person already on the committee is not seated twice.
    A party board's index is its district's (write_scale)."""
    district = boards.district[board]
    residents = boards.body[board] == 1
    secretary = np.full(int(district.max()) + 1, -1)
    party_heads = np.flatnonzero(~residents & (role == 0))
    secretary[district[party_heads]] = party_heads
    seat = np.flatnonzero(residents & is_new & (role == 0))
    seat = seat[(secretary[district[seat]] >= 0) & (rng.random(seat.size) < YIJIANTIAO_P[term_i])]
    sources, seats = [secretary[district[seat]]], [seat]
    # 委员: the i-th party 委员 of a district (random order) for its i-th new committee 委员
    party = np.flatnonzero(~residents & (role == 2))
    committee = np.flatnonzero(residents & is_new & (role == 2))
    ranked = []
    for rows in (party, committee):
        rows = rows[np.lexsort((rng.random(rows.size), district[rows]))]
        ranked.append((rows, district[rows] * 64 + _group_rank(district[rows])))
    (party, party_key), (committee, committee_key) = ranked
    _, at_party, at_committee = np.intersect1d(party_key, committee_key, assume_unique=True,
                                               return_indices=True)
    taken = rng.random(at_party.size) < CROSS_P
    sources.append(party[at_party[taken]])
    seats.append(committee[at_committee[taken]])
    source, seat = np.concatenate(sources), np.concatenate(seats)
    # not a person already on that committee (kept from the previous round)
    person = _person_id(people)
    taken_seats = np.zeros(board.size, bool)
    taken_seats[seat] = True
    sitting = pl.DataFrame({"board": board[residents & ~taken_seats],
                            "person": person[residents & ~taken_seats]})
    copies = pl.DataFrame({"board": board[seat], "person": person[source],
                           "i": np.arange(seat.size)})
    keep = copies.join(sitting, on=["board", "person"], how="anti")["i"].sort().to_numpy()
    source, seat = source[keep], seat[keep]
    for field in People.__dataclass_fields__:
        values = getattr(people, field)
        values[seat] = values[source]
    edu[seat] = edu[source]


# ---------------------------------------------------------------- text frames with faults
EDU_WORDS = [w for lv in sorted(EDUCATION_TYPED) for w in EDUCATION_TYPED[lv]]
_EDU_OFFSET = np.cumsum([0] + [len(EDUCATION_TYPED[lv]) for lv in sorted(EDUCATION_TYPED)])
_EDU_ALL: list[str | None] = [*EDU_WORDS, *UNKNOWN_EDUCATION, None]
_ROLES_ALL = [w for words in ROLES for w in words]


def _edu_index(rng: np.random.Generator, level: np.ndarray) -> np.ndarray:
    """Index into _EDU_ALL of a typed word for each level 1–6 (-1 → empty)."""
    safe = np.maximum(level, 1).astype(np.int64) - 1
    lengths = np.diff(_EDU_OFFSET)[safe]
    idx = _EDU_OFFSET[safe] + np.floor(rng.random(level.size) * lengths).astype(np.int64)
    return np.where(level < 0, len(_EDU_ALL) - 1, idx)


def _words(words: tuple[str, ...] | list[str | None], index: str) -> pl.Expr:
    return pl.lit(pl.Series(list(words), dtype=pl.String)).gather(pl.col(index))


def _padded(col: str, width: int) -> pl.Expr:
    return (pl.col(col) + 10 ** width).cast(pl.String).str.slice(1)


def _pick_faults(rng: np.random.Generator, n: int,
                 kinds: tuple[str, ...] = FAULT_KINDS) -> dict[str, np.ndarray]:
    k = max(1, round(n * FAULT_RATE))
    picked = rng.choice(n, size=min(n, k * len(kinds)), replace=False)
    return {kind: np.sort(picked[i * k:(i + 1) * k]) for i, kind in enumerate(kinds)}


def _with_copies(n: int, copies: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Row sources and kinds of n rows with extra copies of some (kind i + 1 for copies[i]),
    each right after the row it copies."""
    src = np.concatenate([np.arange(n), *copies])
    kind = np.concatenate([np.zeros(n, np.int8), *(np.full(c.size, i + 1, np.int8)
                                                  for i, c in enumerate(copies))])
    order = np.argsort(src * 4 + kind, kind="stable")
    return src[order], kind[order]


def _text_frame(rng: np.random.Generator, geo: Geography, boards: Boards, term: int, rows: Rows,
                table: str) -> tuple[pl.DataFrame, dict[str, int]]:
    """The rows as a person would type them, with the planted faults; every column text."""
    n = rows.board.size
    faults = _pick_faults(rng, n)
    # extra rows (duplicate, no term, unknown district) go right after the row they copy
    src, kind = _with_copies(n, [faults["duplicate_person"], faults["missing_term"],
                                 faults["unknown_district"]])
    bad_id = np.zeros(n, bool)
    bad_id[faults["id_invalid"]] = True
    bad_edu = np.zeros(n, bool)
    bad_edu[faults["education_unreadable"]] = True
    bad_id, bad_edu = bad_id[src] & (kind == 0), bad_edu[src] & (kind == 0)

    people, board = rows.people.take(src), rows.board[src]
    check = np.where(bad_id, (people.check + rng.integers(1, 11, src.size)) % 11, people.check)
    edu = _edu_index(rng, rows.edu[src])
    edu = np.where(bad_edu, len(EDU_WORDS) + rng.integers(0, len(UNKNOWN_EDUCATION), src.size), edu)
    ints = {
        "district": boards.district[board], "body": boards.body[board], "kind": kind,
        "county": people.county, "ymd": people.ymd, "seq": people.seq, "check": check,
        "surname": people.surname, "g1": people.given1, "g2": people.given2,
        "male": people.male.astype(np.int8), "edu": edu, "pol": people.political,
    }
    code = pl.lit(geo.district_code).gather(pl.col("district"))
    ymd = pl.col("ymd").cast(pl.String)
    columns: dict[str, pl.Expr] = {
        "district_code": pl.when(pl.col("kind") == 3).then(code.str.slice(0, 9) + pl.lit("999"))
        .otherwise(code),
        "body": _words(BODY_WORDS_BY_TERM[term], "body"),
        "term": pl.when(pl.col("kind") == 2).then(pl.lit(None, pl.String))
        .otherwise(pl.lit(str(term))),
        "id_number": pl.concat_str(_words(geo.county_code, "county"), ymd, _padded("seq", 3),
                                   _words(list(CHECK_CHARS), "check")),
        "name": pl.concat_str(_words(list(SURNAMES), "surname"), _words(_GIVEN_ALL, "g1"),
                              _words(_GIVEN_ALL, "g2")),
        "gender": _words(GENDER_WORDS, "male"),
        # 出生年月 as `1975.03` on the member rosters, `1975-03-12` on the candidate lists
        "birth_date": (pl.concat_str(ymd.str.slice(0, 4), ymd.str.slice(4, 2), separator=".")
                       if table == "board_members" else
                       pl.concat_str(ymd.str.slice(0, 4), ymd.str.slice(4, 2), ymd.str.slice(6, 2),
                                     separator="-")),
        "education": _words(_EDU_ALL, "edu"),
        "political_status": _words(POLITICAL, "pol"),
    }
    if table == "board_members":
        ints["edu_ft"] = _edu_index(rng, rows.extra["edu_ft"][src])
        ints["role"] = boards.body[board] * 3 + rows.extra["role"][src]
        columns["education_fulltime"] = _words(_EDU_ALL, "edu_ft")
        columns["role"] = _words(_ROLES_ALL, "role")
        names = MEMBER_COLUMNS
    else:
        ints["votes"] = rows.extra["votes"][src]
        ints["elected"] = rows.extra["elected"][src].astype(np.int8)
        columns["votes"] = pl.col("votes").cast(pl.String)
        columns["elected"] = _words(ELECTED_WORDS, "elected")
        names = CANDIDATE_COLUMNS
    frame = pl.DataFrame(ints).select(columns[c].alias(c) for c in names)
    return frame, {k: int(v.size) for k, v in faults.items()}


def _file_order(boards: Boards, rows: Rows, rank: np.ndarray) -> Rows:
    """Rows sorted as a roster is: by district, body, then `rank`."""
    key = (boards.district[rows.board] * 2 + boards.body[rows.board]) * (1 << 32) + rank
    order = np.argsort(key, kind="stable")
    return Rows(rows.board[order], rows.people.take(order), rows.edu[order],
                {k: v[order] for k, v in rows.extra.items()})


def _elections_frame(geo: Geography, boards: Boards, rnd: Round) -> pl.DataFrame:
    y, m, d = _ymd(rnd.day)
    return pl.DataFrame({
        "district": boards.district, "body_i": boards.body, "y": y, "m": m, "d": d,
        "seats": rnd.seats, "registered": rnd.registered, "ballots": rnd.ballots,
    }).select(
        pl.lit(geo.district_code).gather(pl.col("district")).alias("district_code"),
        _words(BODIES, "body_i").alias("body"),
        pl.lit(str(rnd.term)).alias("term"),
        pl.concat_str(pl.col("y").cast(pl.String), _padded("m", 2), _padded("d", 2),
                      separator="-").alias("election_date"),
        pl.col("seats").cast(pl.String),
        pl.col("registered").cast(pl.String).alias("registered_voters"),
        pl.col("ballots").cast(pl.String).alias("ballots_cast"),
        pl.col("district").alias("_district"), pl.col("body_i").alias("_body"),
    )


# ---------------------------------------------------------------- the coming round's progress
def _milestones_frame(seed: int, geo: Geography, boards: Boards
                      ) -> tuple[pl.DataFrame, dict[str, int]]:
    """The coming round's 进度 table (选情周报): a row per board and stage of its body, planned
    by the subdistrict (each plans its districts together, from its own start day) and done as
    of PROGRESS_AS_OF where the board kept to time; about one board in twenty runs weeks late.
    Planted faults as in the people files: extra rows with an unknown district code or an exact
    copy (quarantined as unknown_district, duplicate_stage), and real rows whose stage word
    is not a stage of the body (quarantined as unknown_stage).

    Drawn from a generator of its own, so the other files stay as they were without it."""
    rng = np.random.default_rng([seed, COMING_TERM])
    n_sub = int(geo.district_sub.max()) + 1 if geo.district_sub.size else 0
    start = _day(PROGRESS_START) + rng.integers(0, 40, n_sub)
    delay = np.rint(rng.normal(0.0, 5.0, len(boards))).astype(np.int64)
    laggard = rng.random(len(boards)) < LAGGARD_P
    delay = np.where(laggard, delay + rng.integers(15, 45, len(boards)), delay)
    stages = [len(contract.STAGES[b]) for b in BODIES]
    per_board = np.where(boards.body == 0, stages[0], stages[1])
    board = np.repeat(np.arange(len(boards)), per_board)
    order = np.argsort(boards.district[board] * 2 + boards.body[board], kind="stable")
    board = board[order]
    step = _group_rank(board)  # 0, 1, … : the stage within the board's body
    body = boards.body[board]
    offsets = np.concatenate([np.asarray(STAGE_DAYS[b]) for b in BODIES])
    offset = offsets[np.where(body == 0, step, stages[0] + step)]
    planned = (start[geo.district_sub[boards.district[board]]] + offset
               + rng.integers(-3, 4, board.size))
    actual = planned + delay[board] + rng.integers(-2, 3, board.size)
    done = actual <= _day(PROGRESS_AS_OF)
    n = board.size
    faults = _pick_faults(rng, n, MILESTONE_FAULTS)
    src, kind = _with_copies(n, [faults["duplicate_stage"], faults["unknown_district"]])
    bad_stage = np.zeros(n, bool)
    bad_stage[faults["unknown_stage"]] = True
    stage_words = [zh for b in BODIES for _, zh, _, _ in contract.STAGES[b]]
    word = np.where(body == 0, step, stages[0] + step)[src]
    word = np.where(bad_stage[src] & (kind == 0), len(stage_words), word)
    py, pm, pd_ = _ymd(planned[src])
    ay, am, ad = _ymd(actual[src])
    code = pl.lit(geo.district_code).gather(pl.col("district"))
    frame = pl.DataFrame({
        "district": boards.district[board[src]], "body": body[src], "kind": kind, "word": word,
        "py": py, "pm": pm, "pd": pd_, "ay": ay, "am": am, "ad": ad, "done": done[src],
    }).select(
        pl.when(pl.col("kind") == 2).then(code.str.slice(0, 9) + pl.lit("999")).otherwise(code)
        .alias("district_code"),
        _words(BODY_WORDS_BY_TERM[TERMS[-1]], "body").alias("body"),
        pl.lit(str(COMING_TERM)).alias("term"),
        _words([*stage_words, UNKNOWN_STAGE], "word").alias("stage"),
        pl.concat_str(pl.col("py").cast(pl.String), _padded("pm", 2), _padded("pd", 2),
                      separator="-").alias("planned_date"),
        pl.when(pl.col("done")).then(pl.concat_str(
            pl.col("ay").cast(pl.String), _padded("am", 2), _padded("ad", 2), separator="-"))
        .alias("actual_date"),
    )
    return frame, {k: int(v.size) for k, v in faults.items()}


# ---------------------------------------------------------------- writing
def _write(frame: pl.DataFrame, path_stem: Path, fmt: str) -> str:
    if fmt == "csv":
        path = path_stem.with_suffix(".csv")
        frame.write_csv(path, include_bom=True)
    else:
        path = path_stem.with_suffix(".parquet")
        frame.write_parquet(path, compression="snappy", statistics=True)
    return path.name


def write_scale(out_dir: Path, scale: str, seed: int = 2021, fmt: str = "parquet") -> dict:
    """Write a raw folder at `scale` into `out_dir`; returns what was written (sizes, faults)."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; one of {', '.join(SCALES)}")
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}; parquet or csv")
    started = time.perf_counter()
    spec = SCALES[scale]
    rng = np.random.default_rng(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.iterdir():  # a re-run replaces the folder's data files
        if old.is_file() and old.suffix in (".parquet", ".csv"):
            old.unlink()
    geo = _geography(rng, spec)
    has_residents = rng.random(spec.districts) < RESIDENTS_SHARE
    district = np.concatenate([np.arange(spec.districts), np.flatnonzero(has_residents)])
    boards = Boards(district, np.r_[np.zeros(spec.districts, np.int64),
                                    np.ones(int(has_residents.sum()), np.int64)],
                    geo.district_county[district])

    files: dict[str, int] = {}
    faults: dict[str, dict[str, int]] = {}
    files[_write(geo.frame, out_dir / "districts", fmt)] = geo.frame.height
    elections: list[pl.DataFrame] = []
    rows = {"board_members": 0, "candidates": 0}
    # a file is written in a thread while the next one is built (polars releases the GIL);
    # at most one write is pending, so at most two frames are alive
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: Future[str] | None = None
        for rnd in _rounds(rng, boards, geo):
            elections.append(_elections_frame(geo, boards, rnd))
            members = _file_order(boards, rnd.members, rnd.members.extra["role"])
            candidates = _file_order(boards, rnd.candidates,
                                     np.arange(rnd.candidates.board.size))
            for table, table_rows in (("board_members", members), ("candidates", candidates)):
                frame, planted = _text_frame(rng, geo, boards, rnd.term, table_rows, table)
                if pending is not None:
                    pending.result()
                pending = writer.submit(_write, frame, out_dir / f"{table}_{rnd.term}", fmt)
                name = f"{table}_{rnd.term}.{fmt}"
                files[name], faults[name] = frame.height, planted
                rows[table] += frame.height
                del frame
        if pending is not None:
            pending.result()
    election_frame = pl.concat(elections).sort("_district", "_body", "term",
                                               maintain_order=True).drop("_district", "_body")
    files[_write(election_frame, out_dir / "elections", fmt)] = election_frame.height
    milestones, milestone_faults = _milestones_frame(seed, geo, boards)
    files[_write(milestones, out_dir / f"milestones_{COMING_TERM}", fmt)] = milestones.height
    summary = {
        "scale": scale, "seed": seed, "format": fmt, "terms": list(TERMS),
        "districts": spec.districts, "subdistricts": int(geo.frame["subdistrict"].n_unique()),
        "counties": spec.counties,
        "boards": {"party": spec.districts, "residents": int(has_residents.sum())},
        "elections": election_frame.height, "member_rows": rows["board_members"],
        "candidate_rows": rows["candidates"], "files": dict(sorted(files.items())),
        "faults": faults,
        "progress": {"term": COMING_TERM, "as_of": PROGRESS_AS_OF, "rows": milestones.height,
                     "faults": milestone_faults},
        "seconds": round(time.perf_counter() - started, 2),
    }
    _write_readme(out_dir, summary)
    return summary


def _write_readme(out_dir: Path, summary: dict) -> None:
    progress = summary["progress"]
    rows = "\n".join(f"| `{name}` | {n:,} |" for name, n in summary["files"].items())
    fault_rows = "\n".join(
        f"| `{name}` | " + " | ".join(str(f[k]) for k in FAULT_KINDS) + " |"
        for name, f in summary["faults"].items()
    )
    text = f"""# Synthetic raw folder — scale `{summary['scale']}` (seed {summary['seed']})

Generated by `python -m pipelines.scale_data --scale {summary['scale']} --seed {summary['seed']}
--format {summary['format']}`; every person, name and ID number is invented. Rounds
{', '.join(map(str, summary['terms']))}; {summary['districts']:,} districts in
{summary['subdistricts']:,} subdistricts; {summary['boards']['party']:,} party boards and
{summary['boards']['residents']:,} residents' committees. Some seats of a residents' committee
are members of the district's party board (交叉任职; about a third of the member rows), its
director the party secretary (一肩挑) in about half the districts.

| file | rows |
|---|---|
{rows}

## Planted faults (rows per file)

Extra rows (quarantined): `unknown_district` (district code ending in 999), `missing_term`
(term empty), `duplicate_person` (exact copy) — each right after the row it copies. Real rows
with a field fault (loaded with a finding): `id_invalid` (wrong check character; 出生年月 still
right), `education_unreadable` (学历 not a known word).

| file | {' | '.join(FAULT_KINDS)} |
|---|{'---|' * len(FAULT_KINDS)}
{fault_rows}

The coming round's 进度 table, `milestones_{progress['term']}` ({progress['rows']:,} rows: a row
per board and stage, and the extra rows below), in progress as of {progress['as_of']} (build with `--as-of
{progress['as_of']}`). Extra rows (quarantined): `unknown_district`, `duplicate_stage` (exact
copy); real rows whose stage word is no stage of the body (quarantined): `unknown_stage` —
{', '.join(f"{k} {v}" for k, v in progress['faults'].items())}.

```json
{json.dumps(summary, ensure_ascii=False, indent=1)}
```
"""
    (out_dir / "README.md").write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic raw folder at a given scale.")
    parser.add_argument("--scale", choices=list(SCALES), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args(argv)
    summary = write_scale(args.out, args.scale, args.seed, args.format)
    print(f"{summary['scale']}: {summary['districts']:,} districts, "
          f"{summary['member_rows']:,} member rows, {summary['candidate_rows']:,} candidate rows "
          f"→ {args.out} in {summary['seconds']} s")


if __name__ == "__main__":
    main()

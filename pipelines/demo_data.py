"""Deterministic demo data for boardshift: the 19 居民区 of 长风新村街道 (普陀区), rounds 2018 and 2021.

Writes the raw files the pipeline reads (districts, elections, board members, candidates) in the
mixed shapes real offices send them (xlsx with a merged title row, GBK CSV with CRLF, UTF-8 CSV with
a BOM, Parquet with all-string columns), plus ``README.md`` listing the planted faults and the rows
they sit on. Everything is drawn from ``random.Random(seed)``, so the same seed gives byte-identical
files.

The 2021 boards are designed to be younger and better educated (一降一升) in most districts but not
all; the design is checked on the data as the pipeline will read it (a row with an unknown education
word counts as unknown education; a row with a bad ID check character takes its birth date from the
出生年月 column, year-month → 1st of the month).

    python -m pipelines.demo_data --out raw --seed 2021
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from pipelines.contract import (
    BODY_LABELS_ZH,
    BODY_WORDS,
    COLLEGE_LEVEL,
    EDUCATION_WORDS,
    PARTY_MEMBER_WORDS,
    ROLE_CODES,
    STAGES,
    TABLES,
    normalise_word,
)

# ---------------------------------------------------------------- fixed facts
SUBDISTRICT = "长风新村街道"
CITY_DISTRICT = "普陀区"
ADDRESS_CODE = "310107"  # 普陀区 (GB/T 2260)
DISTRICT_SHORT_NAMES = (
    "长风一村",
    "长风二村第一",
    "长风二村第二",
    "长风三村",
    "长风四村第一",
    "长风四村第二",
    "师大一村",
    "曹家巷",
    "中山桥",
    "隆德",
    "白玉新村第一",
    "白玉新村第二",
    "普陀四村第二",
    "普陀二村",
    "金沙新村",
    "雅仕汇都",
    "紫御豪庭",
    "大渡河路95弄",
    "海鑫",
)
DISTRICT_CODES = tuple(f"01{i:02d}" for i in range(1, len(DISTRICT_SHORT_NAMES) + 1))
BAD_DISTRICT_CODE = "0120"
TERMS = (2018, 2021)
BODIES = ("party", "residents")
REPO_RAW = Path(__file__).resolve().parents[1] / "raw"
FIXED_TIMESTAMP = datetime(2021, 7, 1, 9, 0, 0)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

SECRETARY = ROLE_CODES["secretary"]
DEPUTY_SECRETARY = ROLE_CODES["deputy_secretary"]
DIRECTOR = ROLE_CODES["director"]
DEPUTY_DIRECTOR = ROLE_CODES["deputy_director"]
MEMBER = ROLE_CODES["member"]
ROLE_ORDER = {SECRETARY: 0, DEPUTY_SECRETARY: 1, DIRECTOR: 0, DEPUTY_DIRECTOR: 1, MEMBER: 2}

CPC = "中共党员"
CPC_PROBATIONARY = "中共预备党员"
LEAGUE = "共青团员"
MASSES = "群众"

# Education as people type it, per level of the contract's six-level scale.
EDUCATION_TYPED: dict[int, tuple[str, ...]] = {
    1: ("初中", "初中", "初中及以下"),
    2: ("高中", "高中", "中专", "职高", "技校"),
    3: ("大专", "大专", "大学专科", "专科"),
    4: ("大学本科", "本科", "本科", "大学"),
    5: ("硕士研究生", "硕士", "研究生"),
    6: ("博士研究生",),
}
UNKNOWN_EDUCATION = "大学在读"

# Body words per file (all must be known to the contract).
BODY_WORD_2018 = {"party": "党组织", "residents": "居委会"}
BODY_WORD_2021 = {"party": "党委", "residents": "居民委员会"}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任沈姚卢姜崔钟谭陆范汪金石戴贾夏邱方侯邹熊孟秦江薛顾毛钱严倪施浦翁俞"
)
GIVEN_MALE = "伟强军磊勇杰涛明斌华建国志刚海俊峰浩文健平辉毅鑫宇晨昊新荣德林忠亮伟东正祥云龙"
GIVEN_FEMALE = "芳娟敏静丽艳霞燕玲红萍琳洁雯婷倩颖慧佳莉秀英桂凤兰梅琴珍雪蓉春晓月琼瑛菁"

MEMBER_COLUMNS = (
    "district_code",
    "body",
    "term",
    "id_number",
    "name",
    "gender",
    "birth_date",
    "education",
    "political_status",
    "role",
)
CANDIDATE_COLUMNS = (
    "district_code",
    "body",
    "term",
    "id_number",
    "name",
    "gender",
    "birth_date",
    "education",
    "political_status",
    "votes",
    "elected",
)
ELECTION_COLUMNS = tuple(TABLES["elections"].column_names)
DISTRICT_COLUMNS = tuple(TABLES["districts"].column_names)


def _zh(table: str, columns: tuple[str, ...]) -> list[str]:
    return [TABLES[table].column(c).label_zh for c in columns]


def _check_vocabulary() -> None:
    """The typed words must mean what we think they mean in the contract."""
    for level, words in EDUCATION_TYPED.items():
        for word in words:
            assert EDUCATION_WORDS[normalise_word(word)] == level, word
    assert normalise_word(UNKNOWN_EDUCATION) not in EDUCATION_WORDS
    for words in (BODY_WORD_2018, BODY_WORD_2021, BODY_LABELS_ZH):
        for body, word in words.items():
            assert BODY_WORDS[normalise_word(word)] == body, word
    assert CPC in PARTY_MEMBER_WORDS and CPC_PROBATIONARY in PARTY_MEMBER_WORDS


# ---------------------------------------------------------------- ID numbers and ages
def id_check_char(first17: str) -> str:
    """GB 11643 / ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def age_on(birth: date, day: date) -> int:
    """周岁 on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# ---------------------------------------------------------------- the model
@dataclass(eq=False)
class Person:
    gender: str  # "M" / "F"
    birth: date
    edu: dict[int, int]  # term -> education level
    political: dict[int, str]  # term -> political status
    name: str = ""
    id_number: str = ""


@dataclass(eq=False)
class Seat:
    person: Person
    role: str = MEMBER
    unknown_edu: bool = False  # fault 5: education typed as an unknown word
    bad_check: bool = False  # fault 6: wrong ID check character (birth from 出生年月)


@dataclass
class Election:
    day: date
    seats: int
    registered: int = 0
    ballots: int = 0
    candidates: list[tuple[Person, int, bool]] = field(default_factory=list)


@dataclass
class District:
    code: str
    name: str
    targets: dict[str, str]
    dates: dict[tuple[str, int], date]
    boards: dict[tuple[str, int], list[Seat]] = field(default_factory=dict)
    elections: dict[tuple[str, int], Election] = field(default_factory=dict)
    attempts: int = 0


def _effective_birth(seat: Seat) -> date:
    b = seat.person.birth
    return date(b.year, b.month, 1) if seat.bad_check else b


def board_stats(seats: list[Seat], term: int, day: date) -> tuple[Fraction, Fraction, Fraction]:
    """Mean age (周岁 on ``day``), 大专及以上 share, mean education level — as the pipeline sees them."""
    ages = [age_on(_effective_birth(s), day) for s in seats]
    levels = [s.person.edu[term] for s in seats if not s.unknown_edu]
    college = sum(1 for lv in levels if lv >= COLLEGE_LEVEL)
    return (
        Fraction(sum(ages), len(ages)),
        Fraction(college, len(levels)),
        Fraction(sum(levels), len(levels)),
    )


def status_of(old: tuple[Fraction, ...], new: tuple[Fraction, ...]) -> str:
    age_down = new[0] < old[0]
    edu_up = new[1] > old[1] or (new[1] == old[1] and new[2] > old[2])
    if age_down and edu_up:
        return "both"
    if age_down:
        return "age_down_only"
    return "edu_up_only" if edu_up else "neither"


def district_status(d: District, body: str) -> str:
    s18 = board_stats(d.boards[(body, 2018)], 2018, d.dates[(body, 2018)])
    s21 = board_stats(d.boards[(body, 2021)], 2021, d.dates[(body, 2021)])
    return status_of(s18, s21)


# ---------------------------------------------------------------- drawing people
def _weighted(rng: random.Random, dist: dict[int, float]) -> int:
    return rng.choices(list(dist), weights=list(dist.values()))[0]


def _birth_for_age(rng: random.Random, age: int, day: date) -> date:
    return day - timedelta(days=int((age + 0.02 + 0.96 * rng.random()) * 365.2425))


def _new_person(
    rng: random.Random,
    *,
    term: int,
    day: date,
    age: tuple[float, float, int, int],
    edu: dict[int, float],
    female_p: float,
    party_p: float,
) -> Person:
    mu, sd, lo, hi = age
    years = min(hi, max(lo, round(rng.gauss(mu, sd))))
    gender = "F" if rng.random() < female_p else "M"
    level = _weighted(rng, edu)
    if rng.random() < party_p:
        political = (
            CPC_PROBATIONARY if (term == 2021 and years < 35 and rng.random() < 0.3) else CPC
        )
    elif years <= 28 and rng.random() < 0.6:
        political = LEAGUE
    else:
        political = MASSES
    return Person(gender, _birth_for_age(rng, years, day), {term: level}, {term: political})


def _carry(rng: random.Random, person: Person) -> None:
    """Bring a 2018 person into 2021: maybe an in-service degree, 预备党员 become 中共党员."""
    if 2021 in person.edu:
        return
    level = person.edu[2018]
    person.edu[2021] = level + 1 if level in (2, 3) and rng.random() < 0.06 else level
    pol = person.political[2018]
    person.political[2021] = CPC if pol == CPC_PROBATIONARY else pol


def _keep(
    rng: random.Random, pool: list[Person], k: int, day: date, age_down: bool, edu_up: bool
) -> list[Person]:
    """Pick who continues: younger/better educated people stay when the target asks for it."""
    age_w = 0.14 if age_down else -0.06
    edu_w = 0.45 if edu_up else -0.35

    def score(p: Person) -> float:
        return age_w * age_on(p.birth, day) - edu_w * p.edu[2018] + rng.gauss(0, 1.0)

    return sorted(pool, key=score)[: max(0, k)]


PARTY18_AGE = (47.5, 7.5, 28, 62)
PARTY18_EDU = {1: 0.02, 2: 0.26, 3: 0.37, 4: 0.32, 5: 0.03}
RES18_AGE = (47.5, 9.0, 24, 63)
RES18_EDU = {1: 0.06, 2: 0.38, 3: 0.31, 4: 0.23, 5: 0.02}
YOUNG_AGE = (40.5, 6.5, 26, 55)
OLD_AGE = (51.5, 5.0, 38, 62)
YOUTH_AGE = (27.0, 2.5, 23, 32)
HIGH_EDU = {2: 0.25, 3: 0.38, 4: 0.33, 5: 0.04}
LOW_EDU = {1: 0.06, 2: 0.44, 3: 0.32, 4: 0.18}


def _assign_roles(
    rng: random.Random, people: list[Person], head: Person, deputy_role: str, max_deputies: int
) -> list[Seat]:
    head_role = SECRETARY if deputy_role == DEPUTY_SECRETARY else DIRECTOR
    others = [p for p in people if p is not head]
    rng.shuffle(others)
    n_dep = rng.randint(0, max_deputies)
    seats = [Seat(head, head_role)]
    seats += [Seat(p, deputy_role) for p in others[:n_dep]]
    seats += [Seat(p, MEMBER) for p in others[n_dep:]]
    return seats


def _party_deputies(rng: random.Random) -> int:
    return 1 if rng.random() < 0.5 else 0


def _attempt(
    rng: random.Random, d: District, faults: set[str]
) -> dict[tuple[str, int], list[Seat]]:
    """One draw of the four boards of a district."""
    p_day18, r_day18 = d.dates[("party", 2018)], d.dates[("residents", 2018)]
    p_day21, r_day21 = d.dates[("party", 2021)], d.dates[("residents", 2021)]
    p_age_down = d.targets["party"] in ("both", "age_down_only")
    p_edu_up = d.targets["party"] in ("both", "edu_up_only")
    r_age_down = d.targets["residents"] in ("both", "age_down_only")
    r_edu_up = d.targets["residents"] in ("both", "edu_up_only")

    def party_new(term: int, day: date, young: bool | None, high: bool | None) -> Person:
        age = PARTY18_AGE if young is None else (YOUNG_AGE if young else OLD_AGE)
        edu = PARTY18_EDU if high is None else (HIGH_EDU if high else LOW_EDU)
        return _new_person(rng, term=term, day=day, age=age, edu=edu, female_p=0.5, party_p=1.0)

    def res_new(term: int, day: date, young: bool | None, high: bool | None) -> Person:
        age = RES18_AGE if young is None else (YOUNG_AGE if young else OLD_AGE)
        edu = RES18_EDU if high is None else (HIGH_EDU if high else LOW_EDU)
        return _new_person(rng, term=term, day=day, age=age, edu=edu, female_p=0.7, party_p=0.45)

    # ---- 2018 party board
    p18_n = rng.choice((5, 5, 7, 7, 7, 9))
    secretary18 = _new_person(
        rng,
        term=2018,
        day=p_day18,
        age=(49.0, 5.0, 38, 58),
        edu=PARTY18_EDU,
        female_p=0.5,
        party_p=1.0,
    )
    party18 = [secretary18] + [party_new(2018, p_day18, None, None) for _ in range(p18_n - 1)]
    party18_seats = _assign_roles(rng, party18, secretary18, DEPUTY_SECRETARY, _party_deputies(rng))

    # ---- 2018 residents board: maybe 一肩挑, 0–2 more cross-serving party members
    r18_n = rng.choice((5, 5, 6, 7, 7, 7, 8, 9))
    yjt18 = rng.random() < 0.4
    director18 = secretary18 if yjt18 else res_new(2018, r_day18, None, None)
    cross18 = rng.sample(party18[1:], k=min(rng.choice((0, 1, 1, 2)), r18_n - 2))
    res18 = [director18, *cross18]
    res18 += [res_new(2018, r_day18, None, None) for _ in range(r18_n - len(res18))]
    res18_seats = _assign_roles(rng, res18, director18, DEPUTY_DIRECTOR, 2)

    # ---- 2021 party board
    p21_n = min(9, max(5, p18_n + rng.choice((0, 0, 0, 2, -2))))
    stay_n = min(p21_n - 1, round(p18_n * rng.uniform(0.45, 0.72)))
    stay = _keep(rng, party18, stay_n, p_day21, p_age_down, p_edu_up)
    party21: list[Person] = list(stay)
    promotable = [
        p
        for p in res18
        if p not in party18
        and p.political[2018] in (CPC, CPC_PROBATIONARY)
        and (not p_age_down or age_on(p.birth, p_day21) < 45)
        and (not p_edu_up or p.edu[2018] >= COLLEGE_LEVEL)
    ]
    while len(party21) < p21_n:
        if promotable and rng.random() < 0.25:
            party21.append(promotable.pop(rng.randrange(len(promotable))))
        else:
            party21.append(party_new(2021, p_day21, p_age_down, p_edu_up))
    for p in party21:
        _carry(rng, p)
    if secretary18 in party21 and age_on(secretary18.birth, p_day21) <= 55 and rng.random() < 0.6:
        secretary21 = secretary18
    else:
        fit = [p for p in party21 if 33 <= age_on(p.birth, p_day21) <= 52]
        pool = fit or party21
        secretary21 = max(pool, key=lambda p: (p.edu[2021], rng.random()))
    party21_seats = _assign_roles(rng, party21, secretary21, DEPUTY_SECRETARY, _party_deputies(rng))

    # ---- 2021 residents board: mostly 一肩挑, more cross-serving
    r21_n = min(9, max(5, r18_n + rng.choice((0, 0, 1, -1, 2))))
    yjt21 = rng.random() < 0.85
    res21: list[Person] = []
    if yjt21:
        director21 = secretary21
        res21.append(director21)
    cross_pool = [p for p in party21 if p is not secretary21]
    res21 += rng.sample(cross_pool, k=min(rng.choice((1, 1, 2, 2, 3)), len(cross_pool), r21_n - 2))
    keep_n = round(r18_n * rng.uniform(0.4, 0.65))
    pool18 = [p for p in res18 if p not in res21 and p is not secretary21]
    for p in _keep(rng, pool18, keep_n, r_day21, r_age_down, r_edu_up):
        if len(res21) < r21_n:
            _carry(rng, p)
            res21.append(p)
    if r_age_down and len(res21) < r21_n and rng.random() < 0.35:
        # a young 社工 (35岁以下 "标配")
        res21.append(
            _new_person(
                rng, term=2021, day=r_day21, age=YOUTH_AGE, edu=HIGH_EDU, female_p=0.7, party_p=0.3
            )
        )
    while len(res21) < r21_n:
        res21.append(res_new(2021, r_day21, r_age_down, r_edu_up))
    if not yjt21:
        director21 = director18 if director18 in res21 and director18 is not secretary21 else None
        if director21 is None:
            director21 = rng.choice([p for p in res21 if p is not secretary21])
    res21_seats = _assign_roles(rng, res21, director21, DEPUTY_DIRECTOR, 2)

    boards = {
        ("party", 2018): party18_seats,
        ("residents", 2018): res18_seats,
        ("party", 2021): party21_seats,
        ("residents", 2021): res21_seats,
    }
    if "unknown_edu" in faults:  # on a 2021 residents newcomer (not cross-serving)
        fresh = [s for s in res21_seats if s.person not in res18 and s.person not in party21]
        if not fresh:
            return {}
        rng.choice(fresh).unknown_edu = True
    if "bad_check" in faults:  # on a 2018 party member who leaves and sits on no other board
        gone = [s for s in party18_seats if s.person not in party21 and s.person not in res18]
        if not gone:
            return {}
        rng.choice(gone).bad_check = True
    return boards


def _sane(boards: dict[tuple[str, int], list[Seat]], dates: dict[tuple[str, int], date]) -> bool:
    for key, seats in boards.items():
        for s in seats:
            if not 22 <= age_on(s.person.birth, dates[key]) <= 65:
                return False
    return True


def _build_district(
    rng: random.Random, index: int, targets: dict[str, str], faults: set[str]
) -> District:
    code, name = DISTRICT_CODES[index], DISTRICT_SHORT_NAMES[index] + "居民区"
    dates: dict[tuple[str, int], date] = {}
    for term in TERMS:
        dates[("party", term)] = date(term, 3, rng.randint(3, 30))
        dates[("residents", term)] = date(term, 5, 10) + timedelta(days=rng.randint(0, 40))
    d = District(code, name, targets, dates)
    for attempt in range(1, 20001):
        boards = _attempt(rng, d, faults)
        if not boards or not _sane(boards, dates):
            continue
        d.boards = boards
        if all(district_status(d, body) == targets[body] for body in BODIES):
            d.attempts = attempt
            return d
    raise RuntimeError(f"could not reach targets {targets} for {code}")


def _add_elections(rng: random.Random, d: District, people: list[Person]) -> None:
    for body in BODIES:
        for term in TERMS:
            seats = d.boards[(body, term)]
            n = len(seats)
            extra = (
                (math.ceil(1.2 * n) + rng.choice((0, 0, 1)) - n)
                if body == "party"
                else (rng.randint(1, 3))
            )
            day = d.dates[(body, term)]
            if body == "party":
                registered = rng.randint(45, 260)
                ballots = round(registered * rng.uniform(0.86, 0.98))
                won, lost = (0.72, 1.0), (0.18, 0.48)
            else:
                registered = rng.randint(1800, 6500)
                ballots = round(registered * rng.uniform(0.90, 0.97))
                won, lost = (0.62, 0.96), (0.12, 0.45)
            e = Election(day, n, registered, ballots)
            for s in seats:
                e.candidates.append(
                    (
                        s.person,
                        rng.randint(math.ceil(won[0] * ballots), math.floor(won[1] * ballots)),
                        True,
                    )
                )
            for _ in range(extra):
                p = _new_person(
                    rng,
                    term=term,
                    day=day,
                    age=(45.0, 9.0, 26, 62),
                    edu=LOW_EDU,
                    female_p=0.5 if body == "party" else 0.7,
                    party_p=1.0 if body == "party" else 0.4,
                )
                people.append(p)
                e.candidates.append(
                    (
                        p,
                        rng.randint(math.ceil(lost[0] * ballots), math.floor(lost[1] * ballots)),
                        False,
                    )
                )
            e.candidates.sort(key=lambda c: -c[1])
            d.elections[(body, term)] = e


def _name_and_id(rng: random.Random, people: list[Person]) -> None:
    used_names: set[str] = set()
    used_ids: set[str] = set()
    for p in people:
        given = GIVEN_FEMALE if p.gender == "F" else GIVEN_MALE
        while True:
            n_given = 1 if rng.random() < 0.3 else 2
            name = rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(n_given))
            if name not in used_names:
                break
        used_names.add(name)
        while True:
            last = rng.choice("13579" if p.gender == "M" else "02468")
            first17 = f"{ADDRESS_CODE}{p.birth:%Y%m%d}{rng.randint(0, 99):02d}{last}"
            id_number = first17 + id_check_char(first17)
            if id_number not in used_ids:
                break
        used_ids.add(id_number)
        p.name, p.id_number = name, id_number


# ---------------------------------------------------------------- building the whole data set
@dataclass
class Demo:
    districts: list[District]
    people: list[Person]


def build(seed: int = 2021) -> Demo:
    _check_vocabulary()
    rng = random.Random(seed)
    n = len(DISTRICT_CODES)
    party_targets = ["both"] * 15 + ["age_down_only"] * 2 + ["edu_up_only", "neither"]
    res_targets = ["both"] * 14 + ["age_down_only"] * 2 + ["edu_up_only"] * 2 + ["neither"]
    rng.shuffle(party_targets)
    rng.shuffle(res_targets)
    both_both = [i for i in range(n) if party_targets[i] == "both" and res_targets[i] == "both"]
    f_unknown, f_check = rng.sample(both_both, 2)
    districts: list[District] = []
    for i in range(n):
        faults = {"unknown_edu"} if i == f_unknown else {"bad_check"} if i == f_check else set()
        targets = {"party": party_targets[i], "residents": res_targets[i]}
        districts.append(_build_district(rng, i, targets, faults))
    people: list[Person] = []
    seen: set[int] = set()
    for d in districts:
        for key in sorted(d.boards):
            for s in d.boards[key]:
                if id(s.person) not in seen:
                    seen.add(id(s.person))
                    people.append(s.person)
    for d in districts:
        _add_elections(rng, d, people)
    _name_and_id(rng, people)
    return Demo(districts, people)


# ---------------------------------------------------------------- file writers
def _edu_word(rng: random.Random, level: int) -> str:
    return rng.choice(EDUCATION_TYPED[level])


def _gender_zh(p: Person) -> str:
    return "男" if p.gender == "M" else "女"


def _sorted_seats(seats: list[Seat]) -> list[Seat]:
    return sorted(seats, key=lambda s: ROLE_ORDER[s.role])


@dataclass
class Fault:
    number: int
    file: str
    row: int
    what: str
    expected: str


def _spaced_lower_x(id_number: str) -> str:
    return f"{id_number[:6]} {id_number[6:14]} {id_number[14:17]}{id_number[17].lower()}"


def _wrong_check(id_number: str) -> str:
    right = ID_CHECK_CHARS.index(id_number[17])
    return id_number[:17] + ID_CHECK_CHARS[(right + 3) % 11]


def _year_typo(d: date) -> date:
    """Swap the last two digits of the year (1986 → 1968) if that stays plausible, else move it 10."""
    y = str(d.year)
    swapped = int(y[:2] + y[3] + y[2])
    if swapped == d.year or not 1945 <= swapped <= 2000:
        swapped = d.year + 10 if d.year + 10 <= 2000 else d.year - 10
    return d.replace(year=swapped, day=min(d.day, 28))


def _write_districts(path: Path, demo: Demo) -> int:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    wb.set_properties({"created": FIXED_TIMESTAMP, "author": "长风新村街道"})
    ws = wb.add_worksheet("居民区")
    title = wb.add_format({"bold": True, "align": "center", "font_size": 14})
    head = wb.add_format({"bold": True, "border": 1})
    text = wb.add_format({"num_format": "@"})
    ws.merge_range(0, 0, 0, len(DISTRICT_COLUMNS) - 1, "长风新村街道居民区名单", title)
    for c, label in enumerate(_zh("districts", DISTRICT_COLUMNS)):
        ws.write_string(1, c, label, head)
    for r, d in enumerate(demo.districts, start=2):
        for c, value in enumerate((d.code, d.name, SUBDISTRICT, CITY_DISTRICT)):
            ws.write_string(r, c, value, text)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 3, 14)
    wb.close()
    return len(demo.districts)


def _write_elections(path: Path, demo: Demo) -> int:
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(ELECTION_COLUMNS)
        for d in demo.districts:
            for term in TERMS:
                for body in BODIES:
                    e = d.elections[(body, term)]
                    w.writerow(
                        [d.code, body, term, e.day.isoformat(), e.seats, e.registered, e.ballots]
                    )
                    rows += 1
    return rows


def _members_2018(path: Path, rng: random.Random, demo: Demo, faults: list[Fault]) -> int:
    name = path.name
    rows: list[list[str]] = []
    marks: dict[str, int] = {}
    x_rows: list[int] = []
    for d in demo.districts:
        for body in BODIES:
            for s in _sorted_seats(d.boards[(body, 2018)]):
                p = s.person
                id_number = _wrong_check(p.id_number) if s.bad_check else p.id_number
                if s.bad_check:
                    marks["bad_check"] = len(rows)
                elif p.id_number.endswith("X"):
                    x_rows.append(len(rows))
                rows.append(
                    [
                        d.code,
                        BODY_WORD_2018[body],
                        "2018",
                        id_number,
                        p.name,
                        _gender_zh(p),
                        f"{p.birth:%Y.%m}",
                        _edu_word(rng, p.edu[2018]),
                        p.political[2018],
                        s.role,
                    ]
                )
    if not x_rows:
        raise RuntimeError("no 2018 member with an X check character")
    x_row = rng.choice(x_rows)
    rows[x_row][3] = _spaced_lower_x(rows[x_row][3])
    marks["lower_x"] = x_row
    # fault 2: a copied row with the 换届年份 cleared, right under its original
    src = rng.choice([i for i in range(len(rows)) if i not in marks.values()])
    copy = list(rows[src])
    copy[2] = ""
    rows.insert(src + 1, copy)
    marks = {k: (v + 1 if v > src else v) for k, v in marks.items()}
    marks["empty_term"] = src + 1
    with path.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(_zh("board_members", MEMBER_COLUMNS))
        w.writerows(rows)
    path.read_bytes().decode("gbk")  # must also be valid GBK
    r = rows[marks["empty_term"]]
    faults.append(
        Fault(
            2,
            name,
            marks["empty_term"] + 2,
            f"换届年份 empty on a copy of the row above ({r[4]}, {r[0]} {r[1]})",
            "quarantined (term missing); the original row above stays",
        )
    )
    r = rows[marks["bad_check"]]
    faults.append(
        Fault(
            6,
            name,
            marks["bad_check"] + 2,
            f"身份证号 {r[3]} has a wrong check character; 出生年月 {r[6]} is right "
            f"({r[4]}, {r[0]} party)",
            "loaded with id_number empty + finding; birth date from 出生年月 (1st of the month)",
        )
    )
    r = rows[marks["lower_x"]]
    faults.append(
        Fault(
            8,
            name,
            marks["lower_x"] + 2,
            f'身份证号 typed as "{r[3]}" (spaces, lower-case x) ({r[4]}, {r[0]})',
            "normalised to the 18-character ID, loaded fine",
        )
    )
    return len(rows)


def _members_2021(path: Path, rng: random.Random, demo: Demo, faults: list[Fault]) -> int:
    name = path.name
    rows: list[list[Any]] = []
    marks: dict[str, int] = {}
    for d in demo.districts:
        for body in BODIES:
            for s in _sorted_seats(d.boards[(body, 2021)]):
                p = s.person
                edu = UNKNOWN_EDUCATION if s.unknown_edu else _edu_word(rng, p.edu[2021])
                if s.unknown_edu:
                    marks["unknown_edu"] = len(rows)
                rows.append(
                    [
                        d.code,
                        BODY_WORD_2021[body],
                        2021,
                        p.id_number,
                        p.name,
                        _gender_zh(p),
                        p.birth,
                        edu,
                        p.political[2021],
                        s.role,
                    ]
                )
    taken = set(marks.values())
    # fault 7: birth date cell with a year typo (ID wins)
    src7 = rng.choice([i for i in range(len(rows)) if i not in taken])
    rows[src7][6] = _year_typo(rows[src7][6])
    marks["birth_typo"] = src7
    taken.add(src7)
    # fault 3: a row pasted twice
    src3 = rng.choice([i for i in range(len(rows)) if i not in taken])
    rows.insert(src3 + 1, list(rows[src3]))
    marks = {k: (v + 1 if v > src3 else v) for k, v in marks.items()}
    marks["duplicate"] = src3 + 1

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    wb.set_properties({"created": FIXED_TIMESTAMP, "author": "长风新村街道"})
    ws = wb.add_worksheet("班子成员")
    head = wb.add_format({"bold": True})
    text = wb.add_format({"num_format": "@"})
    day_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for c, label in enumerate(_zh("board_members", MEMBER_COLUMNS)):
        ws.write_string(0, c, label, head)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day_fmt)
            elif isinstance(value, int):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, value, text)
    ws.set_column(0, 2, 10)
    ws.set_column(3, 3, 22)
    ws.set_column(4, 9, 12)
    wb.close()

    r = rows[marks["duplicate"]]
    faults.append(
        Fault(
            3,
            name,
            marks["duplicate"] + 2,
            f"exact duplicate of the row above ({r[4]}, {r[0]} {r[1]})",
            "second row quarantined as a duplicate",
        )
    )
    r = rows[marks["unknown_edu"]]
    faults.append(
        Fault(
            5,
            name,
            marks["unknown_edu"] + 2,
            f'学历 "{UNKNOWN_EDUCATION}" ({r[4]}, {r[0]} {r[1]})',
            "loaded with education empty + finding; left out of the education share",
        )
    )
    r = rows[marks["birth_typo"]]
    faults.append(
        Fault(
            7,
            name,
            marks["birth_typo"] + 2,
            f"出生年月 {r[6]:%Y-%m-%d} disagrees with the ID ({r[3][6:10]}-"
            f"{r[3][10:12]}) ({r[4]}, {r[0]} {r[1]})",
            "finding; the ID's birth date is used",
        )
    )
    return len(rows)


def _candidates_2018(path: Path, demo: Demo, seed: int) -> int:
    records: list[dict[str, str]] = []
    rng = random.Random(f"cand2018-{seed}")
    for d in demo.districts:
        for body in BODIES:
            for p, votes, elected in d.elections[(body, 2018)].candidates:
                records.append(
                    {
                        "district_code": d.code,
                        "body": body,
                        "term": "2018",
                        "id_number": p.id_number,
                        "name": p.name,
                        "gender": p.gender,
                        "birth_date": p.birth.isoformat(),
                        "education": _edu_word(rng, p.edu[2018]),
                        "political_status": p.political[2018],
                        "votes": str(votes),
                        "elected": "是" if elected else "否",
                    }
                )
    schema = {c: pl.String for c in CANDIDATE_COLUMNS}
    pl.DataFrame(records, schema=schema).write_parquet(path)
    return len(records)


def _birth_mixed(rng: random.Random, b: date) -> str:
    form = rng.choice(("slash", "slash", "digits", "yearmonth"))
    if form == "slash":
        return f"{b.year}/{b.month}/{b.day}"
    if form == "digits":
        return f"{b:%Y%m%d}"
    return f"{b.year}年{b.month}月"


def _candidates_2021(path: Path, rng: random.Random, demo: Demo, faults: list[Fault]) -> int:
    name = path.name
    rows: list[list[str]] = []
    for d in demo.districts:
        for body in BODIES:
            for p, votes, elected in d.elections[(body, 2021)].candidates:
                rows.append(
                    [
                        d.code,
                        BODY_LABELS_ZH[body],
                        "2021",
                        p.id_number,
                        p.name,
                        _gender_zh(p),
                        _birth_mixed(rng, p.birth),
                        _edu_word(rng, p.edu[2021]),
                        p.political[2021],
                        str(votes),
                        "是" if elected else "否",
                    ]
                )
    # fault 4: a copied row with 换届年份 2020, right under its original
    src = rng.randrange(len(rows))
    copy = list(rows[src])
    copy[2] = "2020"
    rows.insert(src + 1, copy)
    term_row = src + 1
    # fault 1: an extra (not elected) candidate under a district code that does not exist
    stranger = _new_person(
        rng,
        term=2021,
        day=date(2021, 5, 20),
        age=(45.0, 8.0, 28, 60),
        edu=LOW_EDU,
        female_p=0.7,
        party_p=0.4,
    )
    _name_and_id(rng, [stranger])
    used = {r[4] for r in rows} | {r[3] for r in rows}
    while stranger.name in used or stranger.id_number in used:
        _name_and_id(rng, [stranger])
    ballots = demo.districts[-1].elections[("residents", 2021)].ballots
    rows.append(
        [
            BAD_DISTRICT_CODE,
            BODY_LABELS_ZH["residents"],
            "2021",
            stranger.id_number,
            stranger.name,
            _gender_zh(stranger),
            _birth_mixed(rng, stranger.birth),
            _edu_word(rng, stranger.edu[2021]),
            stranger.political[2021],
            str(ballots // 5),
            "否",
        ]
    )
    bad_code_row = len(rows) - 1
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(_zh("candidates", CANDIDATE_COLUMNS))
        w.writerows(rows)
    r = rows[bad_code_row]
    faults.append(
        Fault(
            1,
            name,
            bad_code_row + 2,
            f"居民区代码 {BAD_DISTRICT_CODE} is not in 居民区.xlsx (extra not-elected "
            f"candidate {r[4]})",
            "quarantined (unknown district)",
        )
    )
    r = rows[term_row]
    faults.append(
        Fault(
            4,
            name,
            term_row + 2,
            f"换届年份 2020 on a copy of the row above ({r[4]}, {r[0]} {r[1]}); "
            "no 2020 election exists",
            "quarantined (no such election)",
        )
    )
    return len(rows)


def _pooled(demo: Demo, body: str, term: int) -> dict[str, float]:
    ages: list[int] = []
    levels: list[int] = []
    for d in demo.districts:
        for s in d.boards[(body, term)]:
            ages.append(age_on(_effective_birth(s), d.dates[(body, term)]))
            if not s.unknown_edu:
                levels.append(s.person.edu[term])
    return {
        "members": len(ages),
        "mean_age": round(sum(ages) / len(ages), 2),
        "college_share": round(sum(lv >= COLLEGE_LEVEL for lv in levels) / len(levels), 4),
    }


# ---------------------------------------------------------------- the 2026 round, in progress
PROGRESS_TERM = 2026
PROGRESS_AS_OF = date(2026, 11, 25)  # the day the progress file was last updated
PROGRESS_PLAN: dict[str, tuple[date, ...]] = {  # planned completion, in stage order
    "party": (date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30)),
    "residents": (date(2026, 10, 15), date(2026, 11, 10), date(2026, 11, 20), date(2026, 12, 5),
                  date(2026, 12, 20)),
}


def _milestones_2026(path: Path, demo: Demo, seed: int) -> int:
    """The weekly progress sheet of the current round: most stages done on time, some late,
    some overdue and not yet done (as of 2026-11-25)."""
    rng = random.Random(f"progress-{seed}")
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    wb.set_properties({"created": datetime(2026, 11, 25, 9, 0, 0), "author": SUBDISTRICT})
    ws = wb.add_worksheet("进度")
    title = wb.add_format({"bold": True, "align": "center", "font_size": 14})
    head = wb.add_format({"bold": True, "border": 1})
    text = wb.add_format({"num_format": "@"})
    day_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    columns = TABLES["milestones"].column_names
    ws.merge_range(0, 0, 0, len(columns) - 1, f"{SUBDISTRICT}2026年换届选情进度（挂图作战）", title)
    for c, label in enumerate(_zh("milestones", tuple(columns))):
        ws.write_string(1, c, label, head)
    r = 2
    for d in demo.districts:
        pace = rng.choice((-3, -2, -1, 0, 0, 1, 2, 5, 9))  # days ahead (<0) or behind plan
        for body in BODIES:
            for (_, zh, _, _), planned in zip(STAGES[body], PROGRESS_PLAN[body], strict=True):
                actual = planned + timedelta(days=pace + rng.choice((-1, 0, 0, 1)))
                ws.write_string(r, 0, d.code, text)
                ws.write_string(r, 1, BODY_LABELS_ZH[body], text)
                ws.write_number(r, 2, PROGRESS_TERM)
                ws.write_string(r, 3, zh, text)
                ws.write_datetime(r, 4, datetime.combine(planned, datetime.min.time()), day_format)
                if actual <= PROGRESS_AS_OF:
                    ws.write_datetime(r, 5, datetime.combine(actual, datetime.min.time()),
                                      day_format)
                r += 1
    ws.set_column(0, 2, 12)
    ws.set_column(3, 3, 20)
    ws.set_column(4, 5, 14)
    wb.close()
    return r - 2


def _readme(demo: Demo, counts: dict[str, int], faults: list[Fault], summary: dict) -> str:
    lines = [
        "# raw/ — demo data (synthetic)",
        "",
        "Generated by `python -m pipelines.demo_data --out raw --seed "
        f"{summary['seed']}`; do not edit by hand. All people, names and ID numbers are invented "
        "(address code 310107, valid GB 11643 check characters). The districts are the 19 居民区 "
        f"of {SUBDISTRICT}, {CITY_DISTRICT}; rounds 2018 and 2021, both bodies.",
        "",
        "## Files",
        "",
        "| File | Rows | Shape |",
        "|---|---|---|",
        f"| `居民区.xlsx` | {counts['居民区.xlsx']} | sheet 居民区; row 1 is a merged title "
        "(长风新村街道居民区名单), row 2 the Chinese header; codes are text cells (0101…0119). |",
        f"| `elections.csv` | {counts['elections.csv']} | UTF-8, no BOM, LF; English headers; "
        "body party/residents; ISO dates. Party elections in March, residents' in May–June. |",
        f"| `班子成员_2018.csv` | {counts['班子成员_2018.csv']} | GBK, CRLF; Chinese headers; "
        "组织类型 党组织/居委会; 出生年月 as `1975.03` (read it as text: as a number 1975.10 "
        "becomes 1975.1). |",
        f"| `班子成员_2021.xlsx` | {counts['班子成员_2021.xlsx']} | sheet 班子成员; Chinese "
        "headers; 出生年月 are real Excel dates; 身份证号 and 居民区代码 are text cells; 换届年份 is a "
        "number; 组织类型 党委/居民委员会. |",
        f"| `candidates_2018.parquet` | {counts['candidates_2018.parquet']} | English column "
        "names, every column String; body party/residents; gender M/F; birth_date `1975-03-12`; "
        "elected 是/否. |",
        f"| `候选人_2021.csv` | {counts['候选人_2021.csv']} | UTF-8 with BOM, LF; Chinese "
        "headers; 组织类型 居民区党组织/居民委员会; 出生年月 mixed (`1975/3/12`, `19750312`, "
        "`1975年3月`); 得票数, 是否当选 是/否. |",
        f"| `进度_2026.xlsx` | {counts['进度_2026.xlsx']} | the 2026 round in progress (选情周报 / "
        "挂图作战): sheet 进度, a merged title row, Chinese headers and stage names, planned and "
        "actual dates as real Excel dates; as of 2026-11-25 most stages are done on time, some "
        "late, some overdue (no completion date yet). No 2026 boards yet. |",
        "",
        "Rows are data rows (header and title rows not counted). Every board member appears as an "
        "elected candidate (是) of their election; the other candidates are not elected (否) and "
        "got fewer votes. Seats = members (5–9); party candidates ≥ ceil(1.2 × seats) "
        "(差额 ≥ 20%), residents' candidates = seats + 1…3; votes ≤ ballots_cast. Education words "
        "vary (大学本科/本科/大学, 大专/大学专科/专科, 高中/中专/职高/技校, 初中, 硕士研究生/硕士/研究生).",
        "",
        "## Planted faults",
        "",
        "Row numbers as a spreadsheet shows them: header = row 1, first data row = row 2 (no title "
        "row in these files). Quarantined rows are extra rows (copies or an extra person), so the "
        "boards are the same whether or not they are dropped; faults 5–7 sit on real members.",
        "",
        "| # | File | Row | What | Expected handling |",
        "|---|---|---|---|---|",
    ]
    for f in sorted(faults, key=lambda f: f.number):
        lines.append(f"| {f.number} | `{f.file}` | {f.row} | {f.what} | {f.expected} |")
    st = summary["status"]
    lines += [
        "",
        "## Designed outcome (2021 vs 2018, per district)",
        "",
        "Age = 周岁 on the board's own election day; education share = 大专及以上 ÷ members with "
        "known education; edu up = share rose, or equal share and higher mean level; computed on "
        "the data as the pipeline reads it (faults 5 and 6 included).",
        "",
        "| Body | 一降一升 (both) | age down only | edu up only | neither |",
        "|---|---|---|---|---|",
    ]
    for body in BODIES:
        c = st[body]
        lines.append(
            f"| {body} | {c.get('both', 0)} | {c.get('age_down_only', 0)} | "
            f"{c.get('edu_up_only', 0)} | {c.get('neither', 0)} |"
        )
    lines += [
        "",
        "Pooled over the subdistrict:",
        "",
        "| Body | Term | Members (rows) | Mean age | 大专及以上 |",
        "|---|---|---|---|---|",
    ]
    for body in BODIES:
        for term in TERMS:
            p = summary["pooled"][body][term]
            lines.append(
                f"| {body} | {term} | {p['members']} | {p['mean_age']:.2f} | "
                f"{100 * p['college_share']:.1f}% |"
            )
    lines += [
        "",
        "Not-reached districts: "
        + "; ".join(f"{code} {body} {s}" for code, body, s in summary["not_both"])
        + ".",
        "",
    ]
    return "\n".join(lines)


def write_demo(out_dir: Path, seed: int = 2021) -> dict:
    """Write the demo raw files into ``out_dir`` and return a summary (row counts, faults, outcome)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = build(seed)
    rng = random.Random(f"files-{seed}")
    faults: list[Fault] = []
    counts = {
        "居民区.xlsx": _write_districts(out_dir / "居民区.xlsx", demo),
        "elections.csv": _write_elections(out_dir / "elections.csv", demo),
        "班子成员_2018.csv": _members_2018(out_dir / "班子成员_2018.csv", rng, demo, faults),
        "班子成员_2021.xlsx": _members_2021(out_dir / "班子成员_2021.xlsx", rng, demo, faults),
        "candidates_2018.parquet": _candidates_2018(
            out_dir / "candidates_2018.parquet", demo, seed
        ),
        "候选人_2021.csv": _candidates_2021(out_dir / "候选人_2021.csv", rng, demo, faults),
        "进度_2026.xlsx": _milestones_2026(out_dir / "进度_2026.xlsx", demo, seed),
    }
    status = {body: Counter(district_status(d, body) for d in demo.districts) for body in BODIES}
    summary: dict[str, Any] = {
        "seed": seed,
        "rows": counts,
        "faults": [f.__dict__ for f in sorted(faults, key=lambda f: f.number)],
        "status": {body: dict(sorted(c.items())) for body, c in status.items()},
        "pooled": {b: {t: _pooled(demo, b, t) for t in TERMS} for b in BODIES},
        "not_both": [
            (d.code, b, district_status(d, b))
            for d in demo.districts
            for b in BODIES
            if district_status(d, b) != "both"
        ],
        "id_numbers_ending_x": sum(p.id_number.endswith("X") for p in demo.people),
        "people": len(demo.people),
    }
    (out_dir / "README.md").write_text(_readme(demo, counts, faults, summary), encoding="utf-8")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=REPO_RAW, help="output folder (default: the repo raw/)"
    )
    parser.add_argument("--seed", type=int, default=2021, help="random seed (2021)")
    args = parser.parse_args()
    summary = write_demo(args.out, args.seed)
    for key in ("rows", "status", "pooled", "id_numbers_ending_x", "people"):
        print(f"{key}: {summary[key]}")
    for f in summary["faults"]:
        print(f"fault {f['number']}: {f['file']} row {f['row']}: {f['what']}")


if __name__ == "__main__":
    main()

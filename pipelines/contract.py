"""The raw data contract: the one place that names tables, columns, aliases, types and value words.

Everything else (readers, validation, the loaded DuckDB schema, the dbt sources and the generated
doc page ``docs/data_contract.md``) reads from here. Change a name or an alias here and
``python -m pipelines.contract_doc`` regenerates the doc; a test fails while the two disagree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "code", "date", "int", "bool", "body", "gender", "education", "id", "term",
               "stage"]


@dataclass(frozen=True)
class Column:
    name: str
    label_zh: str
    kind: Kind
    required: bool
    description: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    name: str
    label_zh: str
    file_prefixes: tuple[str, ...]
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# ---------------------------------------------------------------- shared column definitions
DISTRICT_CODE = Column(
    "district_code", "居民区代码", "code", True,
    "Code of the residential district (居民区); the key of `districts`. Kept as text: leading zeros count.",
    ("居民区代码", "居民区编码", "居民区编号", "社区代码", "社区编码", "代码", "编码", "district", "district_id"),
)
BODY = Column(
    "body", "组织类型", "body", True,
    "Which board: `party` (居民区党组织) or `residents` (居民委员会).",
    ("组织类型", "组织", "班子类型", "机构类型", "类型", "board", "body_type"),
)
TERM = Column(
    "term", "换届年份", "term", True,
    "The round, as its election year (e.g. 2021). `2021年`, `2021届` and `第2021届` are read as 2021.",
    ("换届年份", "届次", "换届年度", "选举年份", "年份", "届别", "year", "election_year"),
)

PERSON_COLUMNS: tuple[Column, ...] = (
    DISTRICT_CODE,
    BODY,
    TERM,
    Column(
        "id_number", "身份证号", "id", False,
        "居民身份证号码 (GB 11643, 18 characters, last may be X). A valid one is authoritative for birth date and gender.",
        ("身份证号", "身份证号码", "公民身份号码", "居民身份证号码", "身份证", "证件号码", "id", "id_no", "id_card"),
    ),
    Column("name", "姓名", "text", True, "The person's name.", ("姓名", "名字", "full_name")),
    Column("gender", "性别", "gender", False, "男/女/M/F/male/female.", ("性别", "sex")),
    Column(
        "birth_date", "出生年月", "date", False,
        "Birth date or year-month; used only where there is no valid ID number.",
        ("出生年月", "出生日期", "出生年月日", "生日", "date_of_birth", "dob", "birthday"),
    ),
    Column(
        "education", "学历", "education", False,
        "Highest completed education, mapped to the six levels below.",
        ("学历", "最高学历", "文化程度", "学历层次", "文化", "highest_education", "education_level"),
    ),
    Column(
        "education_fulltime", "全日制学历", "education", False,
        "Full-time education (全日制教育), mapped to the same six levels.",
        ("全日制学历", "全日制教育", "全日制", "fulltime_education"),
    ),
    Column(
        "political_status", "政治面貌", "text", False,
        "E.g. 中共党员, 中共预备党员, 群众, 共青团员; 中共党员 and 中共预备党员 count as party members.",
        ("政治面貌", "党派", "political_affiliation"),
    ),
    Column(
        "role", "职务", "text", False,
        "书记/副书记/委员 on the party board; 主任/副主任/委员 on the residents' committee.",
        ("职务", "职位", "拟任职务", "担任职务", "position", "title"),
    ),
)

TABLES: dict[str, Table] = {
    "districts": Table(
        "districts", "居民区", ("districts", "居民区"),
        "One row per residential district (居民区).",
        (
            DISTRICT_CODE,
            Column("district_name", "居民区名称", "text", True, "Name of the residential district.",
                   ("居民区名称", "居民区", "社区名称", "名称", "name")),
            Column("subdistrict", "街道", "text", True, "Subdistrict (街道/镇) the district belongs to.",
                   ("街道", "街镇", "所属街道", "街道（镇）", "街道(镇)")),
            Column("city_district", "区", "text", False, "City district (区), e.g. 普陀区.",
                   ("区", "所属区", "区县", "城区")),
        ),
    ),
    "elections": Table(
        "elections", "选举", ("elections", "选举"),
        "One row per district × body × term: the election that produced that board.",
        (
            DISTRICT_CODE,
            BODY,
            TERM,
            Column("election_date", "选举日期", "date", True,
                   "Day of the election; ages are counted (周岁) on this day.",
                   ("选举日期", "选举时间", "投票日期", "换届日期", "date")),
            Column("seats", "应选人数", "int", False, "Seats to fill (应选人数/职数).",
                   ("应选人数", "职数", "应选名额", "seat_count")),
            Column("registered_voters", "登记选民数", "int", False,
                   "Registered voters (登记选民数), or members due to attend (应到人数) on the party side.",
                   ("登记选民数", "应到人数", "选民数", "登记选民", "voters")),
            Column("ballots_cast", "参加投票人数", "int", False,
                   "Voters who voted (参加投票人数), or members present (实到人数).",
                   ("参加投票人数", "实到人数", "投票人数", "参选人数", "ballots")),
        ),
    ),
    "board_members": Table(
        "board_members", "班子成员", ("board_members", "班子成员", "members", "成员"),
        "One row per member of a board for a term.",
        PERSON_COLUMNS,
    ),
    "candidates": Table(
        "candidates", "候选人", ("candidates", "候选人"),
        "One row per candidate per election.",
        PERSON_COLUMNS
        + (
            Column("votes", "得票数", "int", False, "Votes received.", ("得票数", "得票", "票数", "vote_count")),
            Column("elected", "是否当选", "bool", False, "是/否/Y/N/true/false/1/0.",
                   ("是否当选", "当选", "当选情况", "is_elected")),
        ),
    ),
}

TABLES["milestones"] = Table(
    "milestones", "进度", ("milestones", "进度", "选情"),
    "One row per district × body × term × stage of the election procedure: planned and actual "
    "dates (选情周报 / 挂图作战). Optional: a raw folder without it has no progress view.",
    (
        DISTRICT_CODE,
        BODY,
        TERM,
        Column("stage", "阶段", "stage", True,
               "Stage of the procedure, Chinese or English name (see the stage list below).",
               ("阶段", "环节", "步骤", "工作阶段", "进度阶段", "step", "milestone")),
        Column("planned_date", "计划日期", "date", True, "Planned completion date.",
               ("计划日期", "计划完成日期", "计划时间", "planned", "due_date")),
        Column("actual_date", "完成日期", "date", False,
               "Actual completion date; empty while the stage is not done.",
               ("完成日期", "实际完成日期", "实际日期", "完成时间", "actual", "done_date")),
    ),
)

# The stages of the procedure, in order, per body: code, Chinese name, English name, aliases.
STAGES: dict[str, tuple[tuple[str, str, str, tuple[str, ...]], ...]] = {
    "party": (
        ("preparation", "准备", "preparation", ("准备阶段", "换届准备", "调研摸底")),
        ("recommendation", "推荐", "recommendation", ("推荐提名", "民主推荐", "推荐候选人",
                                                    "确定候选人")),
        ("election", "选举", "election", ("选举大会", "党员大会", "召开党员大会选举", "换届选举")),
    ),
    "residents": (
        ("election_committee", "推选居民选举委员会", "election committee",
         ("推选选举委员会", "居民选举委员会", "选委会")),
        ("voter_registration", "选民登记", "voter registration", ("登记选民", "选民登记公告")),
        ("preliminary_candidates", "提名初步候选人", "preliminary candidates",
         ("初步候选人", "提名候选人")),
        ("formal_candidates", "确定正式候选人", "formal candidates", ("正式候选人",)),
        ("voting", "投票选举", "voting", ("投票", "选举日", "正式选举")),
    ),
}

# Load order matters: districts before elections before people (placement checks look back).
TABLE_ORDER = ("districts", "elections", "board_members", "candidates", "milestones")
REQUIRED_TABLES = ("districts", "elections")

# ---------------------------------------------------------------- value vocabularies
BODY_WORDS: dict[str, str] = {
    "party": "party", "党组织": "party", "党委": "party", "党总支": "party", "党支部": "party",
    "居民区党组织": "party", "居民区党总支": "party", "居民区党支部": "party", "社区党组织": "party",
    "党组织委员会": "party", "党": "party", "partycommittee": "party",
    "residents": "residents", "resident": "residents", "居委会": "residents", "居民委员会": "residents",
    "居委": "residents", "社区居委会": "residents", "residentscommittee": "residents",
}
BODY_LABELS_ZH = {"party": "居民区党组织", "residents": "居民委员会"}

GENDER_WORDS: dict[str, str] = {
    "男": "M", "男性": "M", "m": "M", "male": "M",
    "女": "F", "女性": "F", "f": "F", "female": "F",
}

BOOL_WORDS: dict[str, bool] = {
    "是": True, "否": False, "y": True, "n": False, "yes": True, "no": False,
    "true": True, "false": False, "1": True, "0": False, "当选": True, "未当选": False,
    "落选": False, "t": True,
}

# Six ordered education levels. Words are matched after normalise_word(); codes of GB/T 4658-2006
# (two digits) are accepted too.
EDUCATION_LEVELS: dict[int, str] = {
    1: "初中及以下", 2: "高中/中专", 3: "大专", 4: "本科", 5: "硕士", 6: "博士",
}
EDUCATION_LEVELS_EN: dict[int, str] = {
    1: "junior high or below", 2: "senior high / secondary vocational", 3: "college (associate)",
    4: "bachelor", 5: "master", 6: "doctorate",
}
EDUCATION_WORDS: dict[str, int] = {
    # 1 初中及以下
    "初中及以下": 1, "初中": 1, "初级中学": 1, "小学": 1, "文盲": 1, "半文盲": 1, "扫盲": 1,
    "未上学": 1, "不识字": 1, "初中以下": 1,
    "juniorhigh": 1, "juniorhighorbelow": 1, "middleschool": 1, "primary": 1, "primaryschool": 1,
    "none": 1, "illiterate": 1,
    # 2 高中/中专
    "高中/中专": 2, "高中(中专)": 2, "高中中专": 2, "高中": 2, "普通高中": 2, "普通高级中学": 2,
    "中专": 2, "中等专科": 2, "中等专业学校": 2, "职高": 2, "职业高中": 2, "技校": 2,
    "技工学校": 2, "中技": 2, "中职": 2, "中等职业教育": 2,
    "highschool": 2, "seniorhigh": 2, "secondary": 2, "secondaryvocational": 2,
    "vocationalsecondary": 2, "technicalschool": 2,
    # 3 大专
    "大专": 3, "大学专科": 3, "专科": 3, "高职": 3, "高专": 3, "高等专科": 3, "高等职业教育": 3,
    "college": 3, "associate": 3, "juniorcollege": 3, "associatedegree": 3,
    # 4 本科
    "本科": 4, "大学本科": 4, "大学": 4, "大本": 4, "学士": 4, "大学普通班": 4,
    "bachelor": 4, "bachelors": 4, "undergraduate": 4, "university": 4,
    # 5 硕士
    "硕士": 5, "硕士研究生": 5, "研究生": 5, "研究生班": 5, "mba": 5, "mpa": 5,
    "master": 5, "masters": 5, "postgraduate": 5, "graduate": 5,
    # 6 博士
    "博士": 6, "博士研究生": 6, "博士后": 6, "doctor": 6, "doctorate": 6, "phd": 6,
}
# A level is "college or above" (大专及以上) from this level on; "bachelor or above" from the next.
COLLEGE_LEVEL = 3
BACHELOR_LEVEL = 4

PARTY_MEMBER_WORDS = ("中共党员", "中共预备党员", "党员", "预备党员", "cpcmember", "partymember")

ROLE_CODES = {
    "secretary": "书记", "deputy_secretary": "副书记",
    "director": "主任", "deputy_director": "副主任", "member": "委员",
}

# Age bands used by board_composition (周岁 on the election day).
AGE_BANDS = (("age_35_and_under", "35岁及以下", None, 35), ("age_36_45", "36—45岁", 36, 45),
             ("age_46_55", "46—55岁", 46, 55), ("age_56_and_over", "56岁及以上", 56, None))


# ---------------------------------------------------------------- header and word normalisation
_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]|<.*?>|【.*?】|〔.*?〕")
SEPARATOR_PATTERN = r"[\s_\-./·:*'’]+"
_SEPARATORS = re.compile(SEPARATOR_PATTERN)


def normalise_word(value: str) -> str:
    """Fold a header or a value word: NFKC (full-width → half-width), lower case, no spaces/punctuation."""
    text = unicodedata.normalize("NFKC", value).strip().lower()
    text = text.replace("\u3000", "")
    return _SEPARATORS.sub("", text)


def normalise_header(value: str) -> str:
    """Fold a header: as normalise_word, and drop bracketed hints like `出生年月（年.月）`."""
    text = unicodedata.normalize("NFKC", value or "")
    stripped = _BRACKETED.sub("", text)
    return normalise_word(stripped if stripped.strip() else text)


def header_index(table: Table) -> dict[str, str]:
    """Map every folded header spelling of a table (name, Chinese label, aliases) to its column name."""
    index: dict[str, str] = {}
    for col in table.columns:
        for spelling in (col.name, col.label_zh, *col.aliases):
            index.setdefault(normalise_header(spelling), col.name)
    return index


def table_for_file(filename: str) -> str | None:
    """The table a file belongs to, from the start of its name (English or Chinese), or None."""
    stem = unicodedata.normalize("NFKC", filename).lower()
    # longest prefix first, so `board_members` wins over a shorter prefix of another table
    candidates = sorted(
        ((p, t.name) for t in TABLES.values() for p in t.file_prefixes), key=lambda x: -len(x[0])
    )
    for prefix, name in candidates:
        if stem.startswith(prefix.lower()):
            return name
    return None


def table_for_sheet(sheet: str) -> str | None:
    """The table a workbook sheet is named after (`班子成员`, `candidates_2021`, …), or None."""
    return table_for_file(sheet.strip())


# ---------------------------------------------------------------- the loaded tables (DuckDB schema `raw`)
# What the loading step writes and the dbt sources read. Types are DuckDB types.
SOURCE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("source_file", "VARCHAR", "File the row came from (name inside the raw folder)."),
    ("source_sheet", "VARCHAR", "Workbook sheet, empty for CSV and Parquet."),
    ("source_row", "INTEGER", "Row number as the user sees it in that file (header row = 1 for CSV)."),
)
_PERSON_LOADED: tuple[tuple[str, str, str], ...] = (
    ("district_code", "VARCHAR", "居民区代码."),
    ("body", "VARCHAR", "`party` or `residents`."),
    ("term", "INTEGER", "Election year of the round."),
    ("id_key", "VARCHAR", "Keyed hash of the valid ID number, 12 characters (see "
     "pipelines/privacy.py); NULL when "
     "the ID is missing or invalid. The ID number itself is never stored."),
    ("name", "VARCHAR", "Name, trimmed."),
    ("gender", "VARCHAR", "`M` or `F`; from the ID number when it is valid."),
    ("birth_date", "DATE", "From the valid ID number, else the birth_date column (year-month → 1st)."),
    ("birth_date_source", "VARCHAR", "`id` or `column`; NULL when unknown."),
    ("education_level", "INTEGER", "1 初中及以下 … 6 博士; NULL when unknown."),
    ("education_fulltime_level", "INTEGER", "Full-time education level, same scale."),
    ("political_status", "VARCHAR", "As typed, trimmed."),
    ("is_party_member", "BOOLEAN", "中共党员 or 中共预备党员; NULL when political_status is empty."),
    ("role", "VARCHAR", "Role as typed."),
    ("role_code", "VARCHAR", "secretary, deputy_secretary, director, deputy_director, member."),
)
LOADED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "districts": (
        ("district_code", "VARCHAR", "居民区代码 (key)."),
        ("district_name", "VARCHAR", "居民区名称."),
        ("subdistrict", "VARCHAR", "街道."),
        ("city_district", "VARCHAR", "区."),
    ),
    "elections": (
        ("district_code", "VARCHAR", "居民区代码."),
        ("body", "VARCHAR", "`party` or `residents`."),
        ("term", "INTEGER", "Election year of the round."),
        ("election_date", "DATE", "Election day."),
        ("seats", "INTEGER", "应选人数."),
        ("registered_voters", "INTEGER", "登记选民数 / 应到人数."),
        ("ballots_cast", "INTEGER", "参加投票人数 / 实到人数."),
    ),
    "board_members": _PERSON_LOADED,
    "candidates": _PERSON_LOADED
    + (("votes", "INTEGER", "得票数."), ("elected", "BOOLEAN", "是否当选.")),
    "milestones": (
        ("district_code", "VARCHAR", "居民区代码."),
        ("body", "VARCHAR", "`party` or `residents`."),
        ("term", "INTEGER", "Election year of the round."),
        ("stage", "VARCHAR", "Stage code (see STAGES), e.g. `voter_registration`."),
        ("stage_order", "INTEGER", "Position of the stage in its body's procedure, from 1."),
        ("planned_date", "DATE", "Planned completion date."),
        ("actual_date", "DATE", "Actual completion date; NULL while not done."),
    ),
}

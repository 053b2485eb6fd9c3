"""Parsing values as people type them (pipelines/values.py), against the contract's word lists."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipelines import values


def run(fn, texts: list[str | None]) -> list:
    frame = pl.DataFrame({"v": texts}, schema={"v": pl.String})
    return frame.select(fn(pl.col("v")).alias("out"))["out"].to_list()


def one(fn, text: str | None):
    return run(fn, [text])[0]


# ---------------------------------------------------------------- dates
D = dt.date


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("1975-03-12", D(1975, 3, 12), "day"),
        ("1975/3/12", D(1975, 3, 12), "day"),
        ("1975.3.12", D(1975, 3, 12), "day"),
        ("19750312", D(1975, 3, 12), "day"),
        ("1975年3月12日", D(1975, 3, 12), "day"),
        ("1975.03", D(1975, 3, 1), "month"),
        ("1975年3月", D(1975, 3, 1), "month"),
        ("1975-03", D(1975, 3, 1), "month"),
        ("197503", D(1975, 3, 1), "month"),
        ("1975.10", D(1975, 10, 1), "month"),
        # Excel serial: 25569 is 1970-01-01; 27465 - 25569 = 1896 days;
        # 1970..1974 = 365+365+366+365+365 = 1826 → 1975-01-01 + 70 days; Jan 31 + Feb 28 = 59 → Mar 12
        ("27465", D(1975, 3, 12), "day"),
        ("27465.0", D(1975, 3, 12), "day"),
        ("1975-03-12 00:00:00", D(1975, 3, 12), "day"),
        ("  1975-03-12 ", D(1975, 3, 12), "day"),
        ("１９７５－０３－１２", D(1975, 3, 12), "day"),  # full-width digits and dash
        ("2000-02-29", D(2000, 2, 29), "day"),  # leap day
    ],
)
def test_date_forms(text: str, expected: dt.date, precision: str) -> None:
    assert one(values.date_parts, text) == {"date": expected, "precision": precision}
    assert one(values.date, text) == expected


@pytest.mark.parametrize(
    "text",
    ["1975.13", "二〇二一年三月", "1975-02-30", "abc", "1975-00", "19751301", "1900-02-29",
     "1975年13月", "03/12/1975", "1975"],
)
def test_nonsense_dates_are_null(text: str) -> None:
    assert one(values.date_parts, text) == {"date": None, "precision": None}


@pytest.mark.parametrize(("text", "as_serial"), [
    ("19753", D(1954, 1, 29)), ("20213", D(1955, 5, 4)), ("19001", D(1952, 1, 8)),
    ("20999", D(1957, 6, 28)), ("19753.0", D(1954, 1, 29))])
def test_five_digits_that_are_also_a_year_and_month_are_not_read(text: str,
                                                                 as_serial: dt.date) -> None:
    """19753 is March 1975 typed without its zero, or Excel's day 19753: neither is taken. The
    note says both readings (the day counted here from Excel's 1900-01-01 = day 1, with its
    phantom 1900-02-29)."""
    assert D(1900, 1, 1) + dt.timedelta(days=int(float(text)) - 2) == as_serial
    assert one(values.date_parts, text) == {"date": None, "precision": None}
    year, month = text[:4], text[4]
    assert one(values.ambiguous_date_note, text) == (
        f"“{text}”既可读作 {year} 年 {month} 月，也可读作 Excel 日期序号（{as_serial}），无法确定，"
        f"该项留空；请写成 {year}.0{month} 或完整日期")


@pytest.mark.parametrize(("text", "expected"), [
    ("19000", D(1952, 1, 7)), ("19750", D(1954, 1, 26)), ("21001", D(1957, 6, 30)),
    ("18999", D(1952, 1, 6)), ("44256", D(2021, 3, 1))])
def test_other_five_digit_numbers_are_excel_days(text: str, expected: dt.date) -> None:
    """Month 0, or a number beyond 19001–20999: only Excel's day (44256 is 2021-03-01)."""
    assert D(1900, 1, 1) + dt.timedelta(days=int(text) - 2) == expected
    assert one(values.date, text) == expected
    assert one(values.ambiguous_date_note, text) is None


@pytest.mark.parametrize("text", [None, "", "   ", "\u3000"])
def test_empty_dates_are_null(text: str | None) -> None:
    assert one(values.date, text) is None


# ---------------------------------------------------------------- education
@pytest.mark.parametrize(
    ("text", "level"),
    [
        # 1 初中及以下
        ("初中及以下", 1), ("初中", 1), ("小学", 1), ("文盲", 1), ("初中毕业", 1), ("小学文化", 1),
        ("Junior High", 1), ("primary school", 1), ("71", 1), ("81", 1),
        # 2 高中/中专
        ("高中/中专", 2), ("高中（中专）", 2), ("高中", 2), ("中专", 2), ("职高", 2), ("技校", 2),
        ("High School", 2), ("secondary vocational", 2), ("41", 2), ("61", 2),
        # 3 大专
        ("大专", 3), ("大学专科", 3), ("专科", 3), ("大专毕业", 3), ("高职", 3),
        ("College", 3), ("associate degree", 3), ("31", 3),
        # 4 本科
        ("本科", 4), ("大学本科", 4), ("大学", 4), ("本科学历", 4), ("本科及同等学力", 4),
        ("Bachelor", 4), ("Bachelor's", 4), ("undergraduate", 4), ("21", 4), ("28", 4),
        # 5 硕士
        ("硕士", 5), ("硕士研究生", 5), ("研究生", 5), ("研究生毕业", 5),
        ("Master", 5), ("MBA", 5), ("postgraduate", 5), ("14", 5), ("17", 5),
        # 6 博士
        ("博士", 6), ("博士研究生", 6), ("博士后", 6), ("PhD", 6), ("Ph.D.", 6), ("doctorate", 6),
        ("11", 6), ("13", 6),
        ("　本 科　", 4),  # full-width and inner spaces fold away
    ],
)
def test_education_words(text: str, level: int) -> None:
    assert one(values.education, text) == level


@pytest.mark.parametrize(
    "text", ["大学在读", "留学", "学士学位以上", "kindergarten", "10", "50", "90", "5", "123", "其他"]
)
def test_unknown_education_is_null(text: str) -> None:
    assert one(values.education, text) is None


def test_empty_education_is_null() -> None:
    assert run(values.education, [None, "", " "]) == [None, None, None]


# ---------------------------------------------------------------- gender, body, booleans
@pytest.mark.parametrize(
    ("text", "expected"),
    [("男", "M"), ("男性", "M"), ("M", "M"), ("m", "M"), ("Male", "M"), (" 男 ", "M"),
     ("女", "F"), ("女性", "F"), ("F", "F"), ("female", "F"), ("ＦＥＭＡＬＥ", "F"),
     ("未知", None), ("x", None), ("", None), (None, None)],
)
def test_gender(text: str | None, expected: str | None) -> None:
    assert one(values.gender, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("party", "party"), ("Party", "party"), ("党组织", "party"), ("党委", "party"),
     ("党总支", "party"), ("党支部", "party"), ("居民区党组织", "party"), ("党", "party"),
     ("Party Committee", "party"),
     ("residents", "residents"), ("resident", "residents"), ("居委会", "residents"),
     ("居民委员会", "residents"), ("居委", "residents"), ("Residents' Committee", "residents"),
     ("村委会", None), ("两委", None), ("", None), (None, None)],
)
def test_body(text: str | None, expected: str | None) -> None:
    assert one(values.body, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("是", True), ("Y", True), ("yes", True), ("TRUE", True), ("1", True), ("当选", True),
     ("t", True),
     ("否", False), ("n", False), ("No", False), ("false", False), ("0", False), ("未当选", False),
     ("落选", False),
     ("也许", None), ("2", None), ("", None), (None, None)],
)
def test_boolean(text: str | None, expected: bool | None) -> None:
    assert one(values.boolean, text) is expected


# ---------------------------------------------------------------- term
@pytest.mark.parametrize(
    ("text", "expected"),
    [("2021", 2021), ("2021年", 2021), ("2021届", 2021), ("第2021届", 2021), ("2021.0", 2021),
     ("2021年度", 2021), (" 2018 ", 2018), ("２０２１", 2021),
     ("二〇二一", None), ("21", None), ("1948", None), ("2101", None), ("2021.5", None),
     ("第十届", None), ("", None), (None, None)],
)
def test_term(text: str | None, expected: int | None) -> None:
    assert one(values.term, text) == expected


# ---------------------------------------------------------------- integers
@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("12.0", 12), ("1,234", 1234), ("1，234", 1234), ("12人", 12), ("205票", 205),
     ("5名", 5), ("１２", 12), (" 7 ", 7), ("0", 0),
     ("12.5", None), ("abc", None), ("十二", None), ("12个", None), ("", None), (None, None)],
)
def test_integer(text: str | None, expected: int | None) -> None:
    assert one(values.integer, text) == expected


# ---------------------------------------------------------------- party membership and role
@pytest.mark.parametrize(
    ("text", "expected"),
    [("中共党员", True), ("中共预备党员", True), ("党员", True), ("群众", False), ("共青团员", False),
     ("", None), (None, None)],
)
def test_is_party_member(text: str | None, expected: bool | None) -> None:
    assert one(values.is_party_member, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("书记", "secretary"), ("党委书记", "secretary"), ("副书记", "deputy_secretary"),
     ("主任", "director"), ("副主任", "deputy_director"), ("委员", "member"),
     ("Deputy Director", "deputy_director"), ("会计", None), (None, None)],
)
def test_role_code(text: str | None, expected: str | None) -> None:
    assert one(values.role_code, text) == expected


# ---------------------------------------------------------------- NFKC fast path
def test_nfkc_skips_only_text_nfkc_leaves_alone() -> None:
    """values.nfkc skips ASCII and the CJK Unified Ideographs: every one of them is NFKC-stable."""
    skipped = [chr(c) for c in [*range(0x80), *range(0x4E00, 0xA000)]]
    assert run(lambda e: e.str.normalize("NFKC"), skipped) == skipped
    # and the rest still goes through NFKC
    assert run(values.nfkc, ["１９７５", "\u3000", "ﬁ", "①", "ｘ"]) == ["1975", " ", "fi", "1", "x"]

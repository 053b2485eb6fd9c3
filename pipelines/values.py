"""Parsing values as people type them, as polars expressions over text columns.

Each parser returns null where the text is present but cannot be read; validation turns that
into a finding (field left empty) or a quarantine reason (row cannot be placed).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines import contract

EXCEL_EPOCH = dt.date(1899, 12, 30)

# NFKC changes nothing in ASCII or in the CJK Unified Ideographs block (U+4E00–U+9FFF), and no two
# of those characters compose, so text made only of them (most cells) skips the normalisation.
_NFKC_INVARIANT = r"^[\x00-\x7F\u4e00-\u9fff]*$"


def nfkc(expr: pl.Expr) -> pl.Expr:
    """NFKC normal form; computed only for text that has a character NFKC may change."""
    # ASCII text (as many bytes as characters) is asked first: that test costs a tenth of the
    # regex, which polars then evaluates only for the other rows (codes, IDs: none)
    ascii_only = expr.str.len_bytes() == expr.str.len_chars()
    return pl.when(ascii_only).then(expr).when(expr.str.contains(_NFKC_INVARIANT)).then(expr) \
        .otherwise(expr.str.normalize("NFKC"))


def clean_text(expr: pl.Expr) -> pl.Expr:
    """NFKC-folded, trimmed (ASCII and full-width spaces), empty → null."""
    return nfkc(expr).str.strip_chars().replace("", None)


def folded(expr: pl.Expr) -> pl.Expr:
    """The same folding as contract.normalise_word, for matching value words."""
    return (
        nfkc(expr)
        .str.to_lowercase()
        .str.replace_all(contract.SEPARATOR_PATTERN, "")
        .replace("", None)
    )


def from_words(expr: pl.Expr, words: dict, dtype: pl.DataType) -> pl.Expr:
    """Map a text column through a vocabulary after folding; unknown words → null."""
    mapping = {contract.normalise_word(k): v for k, v in words.items()}
    return folded(expr).replace_strict(mapping, default=None, return_dtype=dtype)


def body(expr: pl.Expr) -> pl.Expr:
    return from_words(expr, contract.BODY_WORDS, pl.String)


def gender(expr: pl.Expr) -> pl.Expr:
    return from_words(expr, contract.GENDER_WORDS, pl.String)


def boolean(expr: pl.Expr) -> pl.Expr:
    return from_words(expr, {str(k): v for k, v in contract.BOOL_WORDS.items()}, pl.Boolean)


_EDU_SUFFIXES = r"(毕业|学历|文化|水平|程度|结业|及同等学力)+$"


def _gbt4658_level(code: pl.Expr) -> pl.Expr:
    """GB/T 4658-2006 two-digit codes: 11–13 博士, 14–19 硕士/研究生班, 2x 本科, 3x 大专, 4x/6x 高中中专, 7x/8x 初中及以下."""
    n = code.cast(pl.Int32, strict=False)
    return (
        pl.when(n.is_between(11, 13)).then(6)
        .when(n.is_between(14, 19)).then(5)
        .when(n.is_between(20, 29)).then(4)
        .when(n.is_between(30, 39)).then(3)
        .when(n.is_between(40, 49) | n.is_between(60, 69)).then(2)
        .when(n.is_between(70, 89)).then(1)
        .cast(pl.Int8)
    )


def education(expr: pl.Expr) -> pl.Expr:
    """Education words (Chinese or English) or GB/T 4658 codes → level 1–6; unknown → null."""
    text = folded(expr)
    stem = text.str.replace(_EDU_SUFFIXES, "")
    by_word = from_words(stem, contract.EDUCATION_WORDS, pl.Int8)
    by_code = pl.when(text.str.contains(r"^\d{2}$")).then(_gbt4658_level(text))
    return pl.coalesce(by_word, by_code)


def integer(expr: pl.Expr) -> pl.Expr:
    """Whole numbers typed as `12`, `12.0`, `1,234` or `12人`; anything else → null."""
    text = clean_text(expr).str.replace_all(r"[,，\s]", "").str.replace(r"(人|票|名)$", "")
    as_float = text.cast(pl.Float64, strict=False)
    return pl.when(as_float == as_float.floor()).then(as_float).cast(pl.Int64, strict=False)


def _year(year: pl.Expr) -> pl.Expr:
    return pl.when(year.is_between(1949, 2100)).then(year).cast(pl.Int32)


def term(expr: pl.Expr) -> pl.Expr:
    """The round's election year: `2021`, `2021年`, `2021届`, `第2021届`, `2021.0`."""
    # Fast path: four ASCII digits are what clean_text and integer would read unchanged.
    plain = _year(expr.cast(pl.Int32, strict=False))
    text = clean_text(expr).str.replace(r"^第", "").str.replace(r"(年度|年|届)$", "")
    return pl.when(expr.str.contains(r"^[0-9]{4}$")).then(plain).otherwise(_year(integer(text)))


def is_party_member(expr: pl.Expr) -> pl.Expr:
    """中共党员 / 中共预备党员 → true, any other status → false, empty → null."""
    text = folded(expr)
    words = [contract.normalise_word(w) for w in contract.PARTY_MEMBER_WORDS]
    return pl.when(text.is_null()).then(None).otherwise(text.is_in(words))


def role_code(expr: pl.Expr) -> pl.Expr:
    """书记 / 副书记 / 主任 / 副主任 / 委员 (and English) → a role code; anything else → null."""
    text = folded(expr)
    return (
        pl.when(text.str.contains("副书记|deputysecretary")).then(pl.lit("deputy_secretary"))
        .when(text.str.contains("书记|secretary")).then(pl.lit("secretary"))
        .when(text.str.contains("副主任|deputydirector")).then(pl.lit("deputy_director"))
        .when(text.str.contains("主任|director|chair")).then(pl.lit("director"))
        .when(text.str.contains("委员|成员|member")).then(pl.lit("member"))
    )


# ---------------------------------------------------------------- dates
_YMD = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:(?:[-/.]|月)\s*(\d{1,2})\s*日?|月)?$"
_DATETIME = r"^(\d{4})-(\d{2})-(\d{2})[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$"
_COMPACT = r"^(\d{4})(\d{2})(\d{2})?$"
_SERIAL = r"^(\d{5})(?:\.0+)?$"

# date_parts is built from the steps below. As one expression every step re-runs the steps it
# uses (eager polars does not share sub-expressions); with_date_parts runs each step once, as a
# column of its own. Both give the same struct.


def _date_text(expr: pl.Expr) -> pl.Expr:
    return clean_text(expr).str.replace(r"\.$", "")


def _date_matches(text: pl.Expr) -> dict[str, pl.Expr]:
    """Each typed form's regex groups (structs) and the Excel serial number (not one that also
    reads as a year and a month: see `_year_and_month_too`)."""
    serial = _serial_number(text)
    return {
        "stamp": text.str.extract_groups(_DATETIME),
        "ymd": text.str.extract_groups(_YMD),
        "compact": text.str.extract_groups(_COMPACT),
        "serial": pl.when(~_year_and_month_too(serial)).then(serial),
    }


def _serial_number(text: pl.Expr) -> pl.Expr:
    """The number of a cleaned text that is five digits (an Excel day number), else null."""
    return text.str.extract(_SERIAL).cast(pl.Int64, strict=False)


def _serial_date(serial: pl.Expr) -> pl.Expr:
    """Excel's day number as a date."""
    return (pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)).cast(pl.Date)


def _year_and_month_too(serial: pl.Expr) -> pl.Expr:
    """A five-digit number that is also a year and a one-digit month typed without its zero:
    19753 is March 1975 or Excel's day 19753 (1954-01-29). Neither is taken; the finding says
    why (`ambiguous_date_note`). Only Excel's days 19001–20999 (1952–1957) are such."""
    return serial.is_between(19001, 20999) & (serial % 10 != 0)


def ambiguous_date_note(expr: pl.Expr) -> pl.Expr:
    """For a date typed as an ambiguous five-digit number (`_year_and_month_too`), why it is left
    empty, in Chinese; else null."""
    text = _date_text(expr)
    serial = _serial_number(text)
    as_serial = _serial_date(serial).cast(pl.String)
    digits = serial.cast(pl.String)
    year, month = digits.str.slice(0, 4), digits.str.slice(4, 1)
    return pl.when(_year_and_month_too(serial)).then(pl.format(
        "“{}”既可读作 {} 年 {} 月，也可读作 Excel 日期序号（{}），无法确定，该项留空；"
        "请写成 {}.0{} 或完整日期", text, year, month, as_serial, year, month))


def _date_field(i: int, stamp: pl.Expr, ymd: pl.Expr, compact: pl.Expr) -> pl.Expr:
    """Year (0), month (1) or day (2) from the first form that matched."""
    return pl.coalesce(stamp.struct[i], ymd.struct[i], compact.struct[i]).cast(pl.Int32, strict=False)


def _parsed_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    """The calendar date of year, month and day (the 1st without one); null when impossible."""
    iso = pl.format(
        "{}-{}-{}",
        year.cast(pl.String),
        month.cast(pl.String).str.zfill(2),
        day.fill_null(1).cast(pl.String).str.zfill(2),
    )
    return pl.when(year.is_between(1900, 2100)).then(iso.str.to_date("%Y-%m-%d", strict=False))


def _any_date(parsed: pl.Expr, serial: pl.Expr) -> pl.Expr:
    return pl.coalesce(parsed, _serial_date(serial))


def _date_struct(date: pl.Expr, parsed: pl.Expr, day: pl.Expr) -> pl.Expr:
    precision = (
        pl.when(date.is_null()).then(None)
        .when(parsed.is_not_null() & day.is_null()).then(pl.lit("month"))
        .otherwise(pl.lit("day"))
    )
    return pl.struct(date.alias("date"), precision.alias("precision"))


def date_parts(expr: pl.Expr) -> pl.Expr:
    """A struct (date, precision) from the typed forms of the contract.

    Forms: 1975-03-12, 1975/3/12, 1975.3.12, 1975年3月12日, 19750312, 1975.03, 1975-03, 1975年3月,
    197503, Excel datetimes (`1975-03-12 00:00:00`) and Excel serial numbers (27465; not one that
    is also a year and a month, 19753: see `_year_and_month_too`). A year-month
    means the 1st of that month with precision `month`. Impossible dates (1975.13) give null.
    For a column of a frame, `with_date_parts` gives the same, faster.
    """
    m = _date_matches(_date_text(expr))
    year, month, day = (_date_field(i, m["stamp"], m["ymd"], m["compact"]) for i in range(3))
    parsed = _parsed_date(year, month, day)
    return _date_struct(_any_date(parsed, m["serial"]), parsed, day)


def with_date_parts(frame: pl.DataFrame, source: str, target: str) -> pl.DataFrame:
    """`frame` with `date_parts(pl.col(source))` as column `target`, each step computed once."""
    temp = {name: f"_{target}__{name}" for name in
            ("text", "stamp", "ymd", "compact", "serial", "year", "month", "day", "parsed", "date")}
    c = {name: pl.col(column) for name, column in temp.items()}
    frame = frame.with_columns(_date_text(pl.col(source)).alias(temp["text"]))
    frame = frame.with_columns(
        expr.alias(temp[name]) for name, expr in _date_matches(c["text"]).items())
    frame = frame.with_columns(
        _date_field(i, c["stamp"], c["ymd"], c["compact"]).alias(temp[name])
        for i, name in enumerate(("year", "month", "day")))
    frame = frame.with_columns(_parsed_date(c["year"], c["month"], c["day"]).alias(temp["parsed"]))
    frame = frame.with_columns(_any_date(c["parsed"], c["serial"]).alias(temp["date"]))
    frame = frame.with_columns(_date_struct(c["date"], c["parsed"], c["day"]).alias(target))
    return frame.drop(list(temp.values()))


def date(expr: pl.Expr) -> pl.Expr:
    return date_parts(expr).struct.field("date")


def stage(body_code: pl.Expr, expr: pl.Expr) -> pl.Expr:
    """A stage name (Chinese, English, or a common variant) → its code, if it belongs to the body."""
    text = folded(expr)
    result: pl.Expr = pl.lit(None, pl.String)
    for body_name, stages in contract.STAGES.items():
        words = {contract.normalise_word(w): code for code, zh, en, aliases in stages
                 for w in (code, zh, en, *aliases)}
        result = pl.when(body_code == body_name).then(
            text.replace_strict(words, default=None, return_dtype=pl.String)).otherwise(result)
    return result


def stage_order(expr: pl.Expr) -> pl.Expr:
    orders = {code: i for stages in contract.STAGES.values()
              for i, (code, _, _, _) in enumerate(stages, start=1)}
    return expr.replace_strict(orders, default=None, return_dtype=pl.Int32)

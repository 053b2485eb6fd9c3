"""Parsing values as people type them, as polars expressions over text columns.

Each parser returns null where the text is present but cannot be read; validation turns that
into a finding (field left empty) or a quarantine reason (row cannot be placed).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines import contract

EXCEL_EPOCH = dt.date(1899, 12, 30)


def clean_text(expr: pl.Expr) -> pl.Expr:
    """NFKC-folded, trimmed (ASCII and full-width spaces), empty → null."""
    return expr.str.normalize("NFKC").str.strip_chars().replace("", None)


def folded(expr: pl.Expr) -> pl.Expr:
    """The same folding as contract.normalise_word, for matching value words."""
    return (
        expr.str.normalize("NFKC")
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


def term(expr: pl.Expr) -> pl.Expr:
    """The round's election year: `2021`, `2021年`, `2021届`, `第2021届`, `2021.0`."""
    text = clean_text(expr).str.replace(r"^第", "").str.replace(r"(年度|年|届)$", "")
    year = integer(text)
    return pl.when(year.is_between(1949, 2100)).then(year).cast(pl.Int32)


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


def date_parts(expr: pl.Expr) -> pl.Expr:
    """A struct (date, precision) from the typed forms of the contract.

    Forms: 1975-03-12, 1975/3/12, 1975.3.12, 1975年3月12日, 19750312, 1975.03, 1975-03, 1975年3月,
    197503, Excel datetimes (`1975-03-12 00:00:00`) and Excel serial numbers (27465). A year-month
    means the 1st of that month with precision `month`. Impossible dates (1975.13) give null.
    """
    text = clean_text(expr).str.replace(r"\.$", "")
    ymd = text.str.extract_groups(_YMD)
    stamp = text.str.extract_groups(_DATETIME)
    compact = text.str.extract_groups(r"^(\d{4})(\d{2})(\d{2})?$")
    year = pl.coalesce(stamp.struct[0], ymd.struct[0], compact.struct[0]).cast(pl.Int32, strict=False)
    month = pl.coalesce(stamp.struct[1], ymd.struct[1], compact.struct[1]).cast(pl.Int32, strict=False)
    day_text = pl.coalesce(stamp.struct[2], ymd.struct[2], compact.struct[2])
    day = day_text.cast(pl.Int32, strict=False)
    iso = pl.format(
        "{}-{}-{}",
        year.cast(pl.String),
        month.cast(pl.String).str.zfill(2),
        day.fill_null(1).cast(pl.String).str.zfill(2),
    )
    parsed = pl.when(year.is_between(1900, 2100)).then(iso.str.to_date("%Y-%m-%d", strict=False))
    serial = text.str.extract(r"^(\d{5})(?:\.0+)?$").cast(pl.Int64, strict=False)
    from_serial = pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)
    date = pl.coalesce(parsed, from_serial.cast(pl.Date))
    precision = (
        pl.when(date.is_null()).then(None)
        .when(parsed.is_not_null() & day.is_null()).then(pl.lit("month"))
        .otherwise(pl.lit("day"))
    )
    return pl.struct(date.alias("date"), precision.alias("precision"))


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

"""居民身份证号码 (GB 11643-1999): normalising, the ISO 7064 MOD 11-2 check, birth date and gender.

Pure functions on polars expressions, so a million IDs are checked without a Python loop.
`valid_id` and `looks_numeric` take the text as typed; `valid_normalised`, `numeric_normalised`
and `is_legacy` take text that went through `normalise` already, so a caller that stages its
columns (validation) normalises once and reuses the result; `with_valid_id` is
`valid_normalised` staged on a frame.
"""

from __future__ import annotations

import polars as pl

from pipelines.values import nfkc

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def is_valid(id_number: str) -> bool:
    """True for an 18-character ID whose check character and birth date are right (scalar form)."""
    frame = pl.DataFrame({"id": [id_number]}).select(valid_id(pl.col("id")).is_not_null())
    return bool(frame.item())


def normalise(expr: pl.Expr) -> pl.Expr:
    """Full-width → half-width, spaces removed, a trailing x upper-cased."""
    return (
        nfkc(expr)
        .str.replace_all(r"\s+", "")
        .str.to_uppercase()
        .replace("", None)
    )


def _check_by_char(first17: pl.Expr) -> pl.Expr:
    """The weighted digit sum, one character at a time; a character that is not 0–9 counts 0."""
    return pl.sum_horizontal(
        [first17.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(WEIGHTS)]
    )


def _chunk_sums(first: int, width: int) -> pl.Series:
    """The weighted sum of the digits `first` … `first + width - 1` (0-based) of 17, for each
    value 0 … 10**width - 1 those digits can take: a table to look the sum up in."""
    value = pl.int_range(10 ** width, dtype=pl.Int32)
    digits = [value // 10 ** (width - 1 - k) % 10 for k in range(width)]
    return pl.select(pl.sum_horizontal(
        [digit * weight for digit, weight in zip(digits, WEIGHTS[first:first + width], strict=True)]
    )).to_series()


# the 17 digits as one digit and four groups of four (digit 0, 1–4, 5–8, 9–12, 13–16)
_CHUNKS = [(first, width, _chunk_sums(first, width))
           for first, width in [(0, 1), (1, 4), (5, 4), (9, 4), (13, 4)]]


def _check_by_number(number: pl.Expr) -> pl.Expr:
    """The weighted digit sum of 17 digits read as one integer: the digits by arithmetic, four at
    a time, each group's sum looked up in a table (17 single digits took four times as long).
    `number` should be a column: an expression would be computed again for each group."""
    return pl.sum_horizontal([
        pl.lit(sums).gather((number // 10 ** (17 - first - width)) % 10 ** width)
        for first, width, sums in _CHUNKS
    ])


def _check_expr(first17: pl.Expr, number: pl.Expr | None = None) -> pl.Expr:
    """The check character of `first17`. With `number`, `first17` cast to Int64 as a column of its
    own (see `with_valid_id`), the sum of 17 ASCII digits comes from that one integer."""
    total = _check_by_char(first17)
    if number is not None:
        # `\d` in well_formed and is_legacy also admits other scripts' digits (٣, ๓), which the
        # character-by-character sum counts as 0: those rows keep it
        total = (pl.when(first17.str.contains(r"^[0-9]{17}$")).then(_check_by_number(number))
                 .otherwise(total))
    return total.mod(11).replace_strict(
        dict(enumerate(CHECK_CHARS)), return_dtype=pl.String, default=None
    )


def is_legacy(norm: pl.Expr) -> pl.Expr:
    """A normalised ID with 15 digits (GB 11643-1989)."""
    return norm.str.contains(r"^\d{15}$")


def upgrade_legacy(expr: pl.Expr) -> pl.Expr:
    """A 15-digit ID (GB 11643-1989) upgraded to 18 characters: `19` inserted, check char added."""
    first17 = expr.str.slice(0, 6) + pl.lit("19") + expr.str.slice(6, 9)
    return pl.when(is_legacy(expr)).then(first17 + _check_expr(first17))


def birth_date(expr: pl.Expr) -> pl.Expr:
    """Birth date encoded in an 18-character ID (characters 7–14), null when not a real date."""
    return expr.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def gender(expr: pl.Expr) -> pl.Expr:
    """`M` for an odd 17th digit, `F` for an even one."""
    digit = expr.str.slice(16, 1).cast(pl.Int32, strict=False)
    return pl.when(digit.mod(2) == 1).then(pl.lit("M")).when(digit.is_not_null()).then(pl.lit("F"))


def well_formed(expr: pl.Expr) -> pl.Expr:
    return expr.str.contains(r"^\d{17}[\dX]$")


def valid_normalised(norm: pl.Expr, number: pl.Expr | None = None) -> pl.Expr:
    """`norm` (normalised) when it has 18 characters, a right check char and a real birth date;
    else null. `number`: see `_check_expr` and `with_valid_id`."""
    ok = (
        well_formed(norm)
        & (_check_expr(norm.str.slice(0, 17), number) == norm.str.slice(17, 1))
        & birth_date(norm).is_not_null()
    )
    return pl.when(ok).then(norm)


def with_valid_id(frame: pl.DataFrame, norm: str, target: str) -> pl.DataFrame:
    """`frame` with `valid_normalised(pl.col(norm))` as column `target`, the first 17 characters
    cast to an integer once (a column of their own) rather than once per digit."""
    number = f"_{target}__first17"
    first17 = pl.col(norm).str.slice(0, 17)
    return (frame.with_columns(first17.cast(pl.Int64, strict=False).alias(number))
            .with_columns(valid_normalised(pl.col(norm), pl.col(number)).alias(target))
            .drop(number))


# Most IDs, once cleaned, are 17 ASCII digits and a digit or X: `normalise` leaves them as they
# are, they are not numeric (`looks_numeric`) nor legacy, and their 17 digits read as a number.
PLAIN = r"^[0-9]{17}[0-9X]$"


def valid_plain(plain: pl.Expr, number: pl.Expr, born: pl.Expr) -> pl.Expr:
    """`valid_normalised(plain, number)` for an ID that matches `PLAIN` (well formed), without
    the regexes. `number`: the first 17 characters cast to Int64; `born`: `birth_date(plain)`;
    each a column of its own, computed once."""
    check = _check_by_number(number).mod(11).replace_strict(
        dict(enumerate(CHECK_CHARS)), return_dtype=pl.String, default=None)
    return pl.when((check == plain.str.slice(17, 1)) & born.is_not_null()).then(plain)


def valid_id(expr: pl.Expr) -> pl.Expr:
    """The normalised ID when it has 18 characters, a right check char and a real birth date; else null."""
    return valid_normalised(normalise(expr))


def numeric_normalised(norm: pl.Expr) -> pl.Expr:
    """`looks_numeric` of an already normalised ID."""
    return norm.str.contains(r"^\d+(\.\d+)?E[+-]?\d+$") | norm.str.contains(r"^\d+\.0+$")


def looks_numeric(expr: pl.Expr) -> pl.Expr:
    """An ID that went through a number: scientific notation (1.10105E+17) or a trailing `.0`."""
    return numeric_normalised(normalise(expr))

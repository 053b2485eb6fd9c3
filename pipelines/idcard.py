"""居民身份证号码 (GB 11643-1999): normalising, the ISO 7064 MOD 11-2 check, birth date and gender.

Pure functions on polars expressions, so a million IDs are checked without a Python loop.
"""

from __future__ import annotations

import polars as pl

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
        expr.str.normalize("NFKC")
        .str.replace_all(r"\s+", "")
        .str.to_uppercase()
        .replace("", None)
    )


def _check_expr(first17: pl.Expr) -> pl.Expr:
    total = pl.sum_horizontal(
        [first17.str.slice(i, 1).cast(pl.Int32, strict=False) * w for i, w in enumerate(WEIGHTS)]
    )
    return total.mod(11).replace_strict(
        dict(enumerate(CHECK_CHARS)), return_dtype=pl.String, default=None
    )


def upgrade_legacy(expr: pl.Expr) -> pl.Expr:
    """A 15-digit ID (GB 11643-1989) upgraded to 18 characters: `19` inserted, check char added."""
    first17 = expr.str.slice(0, 6) + pl.lit("19") + expr.str.slice(6, 9)
    return pl.when(expr.str.contains(r"^\d{15}$")).then(first17 + _check_expr(first17))


def birth_date(expr: pl.Expr) -> pl.Expr:
    """Birth date encoded in an 18-character ID (characters 7–14), null when not a real date."""
    return expr.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def gender(expr: pl.Expr) -> pl.Expr:
    """`M` for an odd 17th digit, `F` for an even one."""
    digit = expr.str.slice(16, 1).cast(pl.Int32, strict=False)
    return pl.when(digit.mod(2) == 1).then(pl.lit("M")).when(digit.is_not_null()).then(pl.lit("F"))


def well_formed(expr: pl.Expr) -> pl.Expr:
    return expr.str.contains(r"^\d{17}[\dX]$")


def valid_id(expr: pl.Expr) -> pl.Expr:
    """The normalised ID when it has 18 characters, a right check char and a real birth date; else null."""
    norm = normalise(expr)
    ok = (
        well_formed(norm)
        & (_check_expr(norm.str.slice(0, 17)) == norm.str.slice(17, 1))
        & birth_date(norm).is_not_null()
    )
    return pl.when(ok).then(norm)


def looks_numeric(expr: pl.Expr) -> pl.Expr:
    """An ID that went through a number: scientific notation (1.10105E+17) or a trailing `.0`."""
    norm = normalise(expr)
    return norm.str.contains(r"^\d+(\.\d+)?E[+-]?\d+$") | norm.str.contains(r"^\d+\.0+$")

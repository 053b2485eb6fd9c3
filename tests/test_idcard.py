"""居民身份证号码 (GB 11643-1999) checks in pipelines/idcard.py, against hand-worked numbers."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from pipelines import idcard

KNOWN_VALID = ["11010519491231002X", "440524188001010014", "370101190102039973"]


def own_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2, written independently of idcard.py.

    Counting positions from the right with the check character at position 1, the digit at
    position i has weight 2**(i-1) mod 11; the check value c makes (sum + c) ≡ 1 (mod 11), and
    c = 10 is written X.
    """
    assert len(first17) == 17 and first17.isdigit()
    total = sum(int(d) * pow(2, 17 - k, 11) for k, d in enumerate(first17))
    c = (12 - total % 11) % 11
    return "X" if c == 10 else str(c)


def run(fn, texts: list[str | None]) -> list:
    frame = pl.DataFrame({"v": texts}, schema={"v": pl.String})
    return frame.select(fn(pl.col("v")).alias("out"))["out"].to_list()


def valid(text: str | None) -> str | None:
    return run(idcard.valid_id, [text])[0]


# ---------------------------------------------------------------- the check character by hand
def test_check_char_worked_by_hand() -> None:
    # Made-up prefix 31010719800101123 (310107 普陀区, born 1980-01-01, sequence 123).
    # digits : 3  1  0  1  0  7  1  9  8  0  0  1  0  1  1  2  3
    # weights: 7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
    # products: 21+9+0+5+0+28+2+9+48+0+0+9+0+5+8+8+6 = 158
    # 158 mod 11 = 158 - 154 = 4; "10X98765432"[4] = "8"
    assert idcard.check_char("31010719800101123") == "8"
    # 11010519491231002: 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "X"
    assert idcard.check_char("11010519491231002") == "X"


def test_own_check_agrees_with_hand_work() -> None:
    # guards the independent implementation used below
    assert own_check_char("31010719800101123") == "8"
    assert own_check_char("11010519491231002") == "X"
    for number in KNOWN_VALID:
        assert own_check_char(number[:17]) == number[17]


# 310107198001011254: as 31010719800101123 above but last digit 5: 158 - 3×2 + 5×2 = 162,
# 162 mod 11 = 8 → "10X98765432"[8] = "4"
@pytest.mark.parametrize("number", [*KNOWN_VALID, "310107198001011238", "310107198001011254"])
def test_known_valid_ids(number: str) -> None:
    assert idcard.is_valid(number)
    assert valid(number) == number
    assert idcard.check_char(number[:17]) == number[17]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("110105 19491231 002X", "11010519491231002X"),
        (" 110105\u300019491231\t002x ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("４４０５２４１８８００１０１００１４", "440524188001010014"),
    ],
)
def test_normalisation(typed: str, expected: str) -> None:
    assert valid(typed) == expected
    assert idcard.is_valid(typed)


@pytest.mark.parametrize("number", KNOWN_VALID)
def test_wrong_check_char_fails(number: str) -> None:
    for wrong in "0123456789X":
        if wrong == number[17]:
            continue
        assert valid(number[:17] + wrong) is None
        assert not idcard.is_valid(number[:17] + wrong)


@pytest.mark.parametrize(
    "first17",
    [
        "11010519491331002",  # month 13
        "11010519490230002",  # 30 February
        "11010519490001002",  # month 00
        "11010519491200002",  # day 00
        "11010519000229002",  # 1900 was not a leap year
    ],
)
def test_impossible_birth_date_fails_despite_right_check_char(first17: str) -> None:
    number = first17 + own_check_char(first17)
    assert valid(number) is None
    assert not idcard.is_valid(number)


def test_real_leap_day_passes() -> None:
    first17 = "11010520000229002"
    assert valid(first17 + own_check_char(first17)) == first17 + own_check_char(first17)


@pytest.mark.parametrize(
    "typed",
    ["11010519491231002", "11010519491231002XX", "1101051949123100X2", "A1010519491231002X",
     "", None],
)
def test_malformed_ids_fail(typed: str | None) -> None:
    assert valid(typed) is None


# ---------------------------------------------------------------- 15-digit upgrade
@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        # 110105 + 19 + 491231002 = 11010519491231002, check X (sum 167 above)
        ("110105491231002", "11010519491231002X"),
        # 310107 + 19 + 800101123 = 31010719800101123, check 8 (sum 158 above)
        ("310107800101123", "310107198001011238"),
    ],
)
def test_upgrade_legacy(legacy: str, expected: str) -> None:
    assert run(idcard.upgrade_legacy, [legacy]) == [expected]
    assert idcard.is_valid(expected)


@pytest.mark.parametrize("typed", ["11010519491231002X", "11010549123100", "11010549123100A"])
def test_upgrade_only_touches_15_digits(typed: str) -> None:
    assert run(idcard.upgrade_legacy, [typed]) == [None]


# ---------------------------------------------------------------- birth date and gender
def test_birth_date_and_gender_from_id() -> None:
    ids = [*KNOWN_VALID, "310107198001011238"]
    assert run(idcard.birth_date, ids) == [
        dt.date(1949, 12, 31), dt.date(1880, 1, 1), dt.date(1901, 2, 3), dt.date(1980, 1, 1),
    ]
    # 17th character: 2 (even) → F; 1, 7, 3 (odd) → M
    assert run(idcard.gender, ids) == ["F", "M", "M", "M"]


@pytest.mark.parametrize(("digit", "expected"), [(str(d), "M" if d % 2 else "F") for d in range(10)])
def test_gender_parity(digit: str, expected: str) -> None:
    first17 = "1101051949123100" + digit
    assert run(idcard.gender, [first17 + own_check_char(first17)]) == [expected]


# ---------------------------------------------------------------- IDs that went through a number
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.10105E+17", True),
        ("1.10105e+17", True),
        ("1.10105194912310E+17", True),
        ("110105194912310020.0", True),
        ("110105194912310020.00", True),
        ("110105194912310020", False),
        ("11010519491231002X", False),
        ("110105491231002", False),
    ],
)
def test_looks_numeric(typed: str, expected: bool) -> None:
    assert run(idcard.looks_numeric, [typed]) == [expected]


# ---------------------------------------------------------------- the staged form (validation's)
def test_with_valid_id_agrees_with_hand_work() -> None:
    """with_valid_id reads the 17 digits as one integer; the check must still be ISO 7064's."""
    right = [*KNOWN_VALID, "310107198001011238", "310107198001011254"]
    wrong = [n[:17] + c for n in KNOWN_VALID for c in "0123456789X" if c != n[17]]
    impossible = [f + own_check_char(f) for f in ("11010519491331002", "11010519000229002")]
    texts = [*right, *wrong, *impossible, "11010519491231002", "1101051949123100X2", None]
    frame = pl.DataFrame({"v": texts}, schema={"v": pl.String})
    out = idcard.with_valid_id(frame, "v", "out")
    assert out.columns == ["v", "out"]
    assert out["out"].to_list() == [*right, *[None] * (len(texts) - len(right))]


def test_normalise_twice_changes_nothing_an_id_can_contain() -> None:
    """Validation checks the candidate ID without normalising it a second time (as valid_id
    would). Over every code point, normalising again changes only text with letters in it."""
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    frame = pl.DataFrame({"c": chars}).with_columns(idcard.normalise(pl.col("c")).alias("once"))
    changed = frame.with_columns(idcard.normalise(pl.col("once")).alias("twice")).filter(
        pl.col("once").ne_missing(pl.col("twice")))
    assert changed.height < 20  # eight Greek letters with two accents, as of polars 2.1
    for once, twice in changed.select("once", "twice").iter_rows():
        assert not re.search(r"[\dX\s]", once + twice), (once, twice)
        assert any(c.isalpha() for c in once) and any(c.isalpha() for c in twice)

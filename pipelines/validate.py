"""Validation: cast the text columns, record findings, and place every row — loaded or quarantined.

A row is quarantined only when it cannot be placed (cells beyond its header, which shift its
values, no district/body/term, a district not in `districts`, a board term with no election,
the same person twice on one board, no person at all). A row with one bad field is loaded with
that field empty and a finding that says why. The placement rules are dataframely schemas; their failures become the quarantine reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import dataframely as dy
import polars as pl

from pipelines import contract, idcard, values

FINDING_COLUMNS = ("table_name", "source_file", "source_sheet", "source_row", "column_name",
                   "value", "finding_code", "message")
QUARANTINE_COLUMNS = ("table_name", "source_file", "source_sheet", "source_row", "reason_code",
                      "reason", "original_values")
SOURCE = ("source_file", "source_sheet", "source_row")
PERSON_TABLES = ("board_members", "candidates")
BOARD_KEYS = ["district_code", "body", "term"]
PERSON_KEYS = (*BOARD_KEYS, "person_key")  # one person on one board
STAGE_KEYS = [*BOARD_KEYS, "stage"]  # one milestone of one board's election


@dataclass
class Validated:
    table: str
    loaded: pl.DataFrame
    quarantine: pl.DataFrame
    findings: pl.DataFrame


class SeenPersons:
    """The people already met on each board, across the batches of one person table.

    A person table is validated a batch (part of a file) at a time; a row repeating a person of
    the same board from an earlier batch is a duplicate exactly as if the batches were one frame.
    What is kept of earlier batches is two 64-bit hashes a row (its board; its board and person
    key, `person_hashes`): 16 bytes a row, and each batch is compared by scanning them for the
    boards it shares with earlier batches. Within a batch keys are compared exactly; across
    batches two different people of one board would need the same 64-bit hash to be taken for
    one (at a whole country's size, ≈ 10⁻¹¹).
    """

    def __init__(self) -> None:
        self._boards: list[pl.Series] = []  # distinct board hashes of each earlier batch
        self._people: list[pl.DataFrame] = []  # (board, person) hashes of each earlier batch

    def mark(self, hashes: pl.DataFrame) -> pl.Series:
        """`seen_before` for each row of a batch, from its `person_hashes` (rows in file order)."""
        boards = hashes["board"].unique()
        seen = pl.repeat(False, hashes.height, dtype=pl.Boolean, eager=True)
        if self._boards:
            shared = pl.concat(self._boards).filter(pl.concat(self._boards).is_in(boards.implode()))
            if shared.len():
                earlier = pl.concat(self._people).filter(pl.col("board").is_in(shared.implode()))
                seen = hashes["person"].is_in(earlier["person"].implode())
        self._boards.append(boards)
        # kept with their repeats: `is_in` does not care, and dropping them (`unique`) cost
        # more than the rest of `mark` while saving only the few repeated rows
        self._people.append(hashes)
        return seen.alias("seen_before")


def person_hashes(frame: pl.DataFrame) -> pl.DataFrame:
    """Each row's board (`board`) and board and person key (`person`) as 64-bit hashes."""
    return frame.select(pl.struct(BOARD_KEYS).hash().alias("board"),
                        pl.struct(PERSON_KEYS).hash().alias("person"))


# ---------------------------------------------------------------- placement rules (dataframely)
class RowCells(dy.Schema):
    """Every table: a row with cells beyond its header (`extra_cells`, from a CSV line with an
    unquoted comma in a cell) has its values shifted and cannot be placed."""

    extra_cells = dy.String(nullable=True)

    @dy.rule()
    def cells_within_header(cls) -> pl.Expr:
        return pl.col("extra_cells").is_null()


class DistrictRows(RowCells):
    row = dy.UInt32(nullable=False)
    district_code = dy.String(nullable=False)

    @dy.rule()
    def first_district_row(cls) -> pl.Expr:
        return pl.int_range(pl.len()).over("district_code") == 0


class ElectionRows(RowCells):
    row = dy.UInt32(nullable=False)
    district_code = dy.String(nullable=False)
    body = dy.String(nullable=False)
    term = dy.Int32(nullable=False)
    known_district = dy.Bool(nullable=True)

    @dy.rule()
    def district_listed(cls) -> pl.Expr:
        return pl.col("known_district")

    @dy.rule()
    def first_election_row(cls) -> pl.Expr:
        return pl.int_range(pl.len()).over(BOARD_KEYS) == 0


class PersonRows(RowCells):
    row = dy.UInt32(nullable=False)
    district_code = dy.String(nullable=False)
    body = dy.String(nullable=False)
    term = dy.Int32(nullable=False)
    known_district = dy.Bool(nullable=True)
    known_election = dy.Bool(nullable=True)
    person_key = dy.String(nullable=True)
    seen_before = dy.Bool(nullable=False)  # the same key in an earlier batch of the table

    @dy.rule()
    def district_listed(cls) -> pl.Expr:
        return pl.col("known_district")

    @dy.rule()
    def election_exists(cls) -> pl.Expr:
        return pl.col("known_election")

    @dy.rule()
    def person_identified(cls) -> pl.Expr:
        return pl.col("person_key").is_not_null()

    @dy.rule()
    def first_on_board(cls) -> pl.Expr:
        return ((pl.int_range(pl.len()).over(*PERSON_KEYS) == 0) & ~pl.col("seen_before"))


def person_suspects(frame: pl.DataFrame, person: pl.Series) -> pl.Series:
    """The rows of `frame` (PersonRows columns) that may fail a PersonRows rule: a superset of
    the failures, found without evaluating the rules.

    Running dataframely on these rows alone gives each of them the same rule results as running
    it on the whole batch: every rule but `first_on_board` looks at its own row only, and
    `first_on_board` at the rows of one person key, which are all here whenever there are two
    or more of them (rows with one key have one `person` hash, so it is repeated). The other
    rows — nearly all — pass every rule. `person`: `person_hashes(frame)["person"]`.
    """
    required = [name for name, column in PersonRows.columns().items() if not column.nullable]
    return frame.select(
        pl.any_horizontal(pl.col(c).is_null() for c in required)
        | ~pl.col("known_district").fill_null(False)
        | ~pl.col("known_election").fill_null(False)
        | pl.col("person_key").is_null()
        | pl.col("seen_before")
        | person.is_duplicated()
        | pl.col("extra_cells").is_not_null()
    ).to_series()


def keyed_suspects(frame: pl.DataFrame, schema: type[dy.Schema], keys: list[str]) -> pl.Series:
    """`person_suspects` for a table whose one rule across rows is a repeated key (ElectionRows:
    a board; MilestoneRows: a board's stage): the rows with a required column missing, a
    district not known, cells beyond the header, or a key hash repeated (all the rows of a
    repeated key, for its first-row rule; a hash collision only adds suspects).
    """
    required = [name for name, column in schema.columns().items() if not column.nullable]
    return frame.select(
        pl.any_horizontal(pl.col(c).is_null() for c in required)
        | ~pl.col("known_district").fill_null(False)
        | pl.struct(keys).hash().is_duplicated()
        | pl.col("extra_cells").is_not_null()
    ).to_series()


class MilestoneRows(RowCells):
    row = dy.UInt32(nullable=False)
    district_code = dy.String(nullable=False)
    body = dy.String(nullable=False)
    term = dy.Int32(nullable=False)
    stage = dy.String(nullable=False)
    known_district = dy.Bool(nullable=True)

    @dy.rule()
    def district_listed(cls) -> pl.Expr:
        return pl.col("known_district")

    @dy.rule()
    def first_stage_row(cls) -> pl.Expr:
        return pl.int_range(pl.len()).over(STAGE_KEYS) == 0


SCHEMAS: dict[str, type[dy.Schema]] = {
    "districts": DistrictRows, "elections": ElectionRows,
    "board_members": PersonRows, "candidates": PersonRows, "milestones": MilestoneRows,
}
# the key of each table's first-row rule (`keyed_suspects`)
SUSPECT_KEYS: dict[str, list[str]] = {"elections": BOARD_KEYS, "milestones": STAGE_KEYS}


def _quote(col: str) -> pl.Expr:
    return pl.format("“{}”", pl.col(col).fill_null(""))


# A CSV's delimiter (`cell_separator`) → what was typed in a cell, examples, the fix: for the
# reason of a row with cells beyond its header (a full-width-comma file has every "，" taken as
# a delimiter, quoted or not, so quotes do not help there).
SEPARATOR_HINTS: dict[str, tuple[str, str, str]] = {
    ",": ("有英文逗号却没有加引号", "“张,三”“书记,主任”", "给该单元格加上引号或把逗号改为中文逗号“，”"),
    ";": ("有分号却没有加引号", "“书记;主任”", "给该单元格加上引号或把分号改为顿号“、”"),
    "\t": ("有制表符（Tab）却没有加引号", "从别处粘贴来的带 Tab 的文字",
           "删去该单元格里的制表符或给该单元格加上引号"),
    "，": ("有中文逗号“，”", "“书记，主任”",
          "把单元格里的中文逗号改为顿号“、”（本文件以中文逗号分隔各列，加引号也没用）"),
}


# rule → (reason_code, Chinese message). Messages are expressions over the typed frame.
def _reasons(table: str) -> dict[str, tuple[str, pl.Expr]]:
    def missing(col: str, label: str) -> pl.Expr:
        raw = f"raw_{col}"
        return (pl.when(pl.col(raw).is_null()).then(pl.lit(f"缺少{label}"))
                .otherwise(pl.format(f"{label}{{}}无法识别", _quote(raw))))

    board = pl.format("{}/{}/{}", pl.col("district_code"), pl.col("raw_body"), pl.col("term"))
    return {
        # first: with its values shifted, the row's other reasons say little
        "cells_within_header": ("extra_cells", pl.format(
            "这一行比表头多出单元格“{}”：多半是某个单元格里{}（如{}），其后各列的值都错了位；"
            "也可能是表头少写了一列。整行未载入：请{}，或补全表头",
            pl.col("extra_cells"),
            *(pl.col("cell_separator").replace_strict(
                {sep: hint[i] for sep, hint in SEPARATOR_HINTS.items()},
                default=SEPARATOR_HINTS[","][i], return_dtype=pl.String) for i in range(3)))),
        "district_code|nullability": ("missing_district_code", missing("district_code", "居民区代码")),
        "body|nullability": ("missing_body", missing("body", "组织类型")),
        "term|nullability": ("missing_term", missing("term", "换届年份")),
        "district_listed": ("unknown_district",
                            pl.format("居民区代码{}不在居民区名单（districts）中", _quote("district_code"))),
        "election_exists": ("no_election",
                            pl.format("选举表中没有 {} 这次选举（班子无对应选举记录）", board)),
        "person_identified": ("no_person", pl.lit("姓名和身份证号都为空，无法确定是谁")),
        "first_on_board": ("duplicate_person",
                           pl.format("同一人{}在同一班子 {} 中重复出现，已保留第一行",
                                     _quote("name"), board) if table == "board_members" else
                           pl.format("同一人{}在同一次选举 {} 的候选人中重复出现，已保留第一行",
                                     _quote("name"), board)),
        "first_election_row": ("duplicate_election",
                               pl.format("同一班子 {} 有多行选举记录，已保留第一行", board)),
        "first_district_row": ("duplicate_district",
                               pl.format("居民区代码{}重复，已保留第一行", _quote("district_code"))),
        "stage|nullability": ("unknown_stage", pl.when(pl.col("raw_stage").is_null())
                              .then(pl.lit("缺少阶段")).otherwise(pl.format(
                                  "阶段{}不是{}换届的工作阶段", _quote("raw_stage"),
                                  pl.col("raw_body")))),
        "first_stage_row": ("duplicate_stage",
                            pl.format("同一班子 {} 的阶段{}有多行，已保留第一行", board,
                                      _quote("raw_stage"))),
    }


# ---------------------------------------------------------------- casting
def mask_id(expr: pl.Expr) -> pl.Expr:
    """An ID number shown as 310107********123X: enough to find the row, not enough to use it."""
    norm = idcard.normalise(expr)
    return pl.when(norm.str.len_chars() >= 10).then(
        norm.str.slice(0, 6) + pl.lit("********") + norm.str.slice(-4)
    ).otherwise(norm)


# Speed. Eager `with_columns` does not share sub-expressions: an expression used by two
# columns, or twice in one, is computed each time. So the casts are staged: what several columns
# need (the normalised ID, the candidate ID, the date regexes, …) is computed once as a
# temporary column (`_…`) that later stages read and that is dropped at the end. And a column
# parsed from a column of few distinct values (words, years, vote counts) is parsed once per
# value (`_by_value`). Same values as parsing every row; tests/test_properties.py checks that.
# Those columns are also cleaned (`values.clean_text`) once per value, in the step that parses
# them (`clean=True`), rather than row by row beforehand: `CLEANED_BY_VALUE` lists them.
_PERSON_BY_VALUE = ("body", "term", "birth_date", "gender", "education", "education_fulltime",
                    "political_status", "role")
CLEANED_BY_VALUE: dict[str, tuple[str, ...]] = {
    "districts": (),
    "elections": ("body", "term", "election_date", "seats", "registered_voters", "ballots_cast"),
    "milestones": ("body", "term", "planned_date", "actual_date"),
    "board_members": _PERSON_BY_VALUE,
    "candidates": (*_PERSON_BY_VALUE, "votes", "elected"),
}


def cast(table: str, frame: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """Typed columns next to the raw text ones (`raw_<name>`)."""
    spec = contract.TABLES[table]
    raw = frame.rename({c: f"raw_{c}" for c in spec.column_names}).with_columns(
        values.clean_text(pl.col(f"raw_{c}")).alias(f"raw_{c}") for c in spec.column_names
        if c not in CLEANED_BY_VALUE[table]
    )
    typed: list[pl.Expr] = [pl.col("raw_district_code").alias("district_code")]
    if table == "districts":
        typed += [pl.col(f"raw_{c}").alias(c) for c in ("district_name", "subdistrict", "city_district")]
        return raw.with_columns(typed)
    frame = raw.with_columns(typed)
    frame = _by_value(frame, "raw_body", values.body(pl.col("raw_body")).alias("body"), clean=True)
    frame = _by_value(frame, "raw_term", values.term(pl.col("raw_term")).alias("term"), clean=True)
    if table == "milestones":
        frame = frame.with_columns(values.stage(pl.col("body"), pl.col("raw_stage")).alias("stage"))
        frame = frame.with_columns(values.stage_order(pl.col("stage")).alias("stage_order"))
        return _with_date(_with_date(frame, "planned_date"), "actual_date")
    if table == "elections":
        frame = _with_date(frame, "election_date")
        for c in ("seats", "registered_voters", "ballots_cast"):
            # a count beyond Int32 is no count anyone typed on purpose: unreadable (a finding)
            count = values.integer(pl.col(f"raw_{c}")).cast(pl.Int32, strict=False)
            frame = _by_value(frame, f"raw_{c}", count.alias(c), clean=True)
        return frame
    return _cast_person(frame, table, today)


def _parse_by_value(frame: pl.DataFrame, source: str,
                    parse: Callable[[pl.DataFrame], pl.DataFrame], clean: bool = False
                    ) -> pl.DataFrame:
    """`parse(frame)`, for a `parse` that adds columns computed from column `source` alone: run on
    the distinct values of `source` and joined back on it (学历: ≈ 20 values in 200,000 rows).

    `clean`: `source` holds the text as typed, and is replaced by its `values.clean_text`,
    which is also what `parse` is given.
    """
    distinct = frame.select(pl.col(source).unique())
    if distinct.height == 1:  # one value (often: none, an empty column): no join needed
        return _parse_one_value(frame, source, parse, clean)
    if not clean:
        return frame.join(parse(distinct), on=source, how="left", nulls_equal=True,
                          maintain_order="left")
    typed = f"_{source}__as_typed"
    parsed = parse(distinct.select(pl.col(source).alias(typed),
                                   values.clean_text(pl.col(source)).alias(source)))
    joined = frame.rename({source: typed}).join(parsed, on=typed, how="left", nulls_equal=True,
                                                maintain_order="left")
    # `source` back in its place, the parsed columns after the others (as without `clean`)
    return joined.select(*frame.columns, *(c for c in parsed.columns if c not in (typed, source)))


def _parse_one_value(frame: pl.DataFrame, source: str,
                     parse: Callable[[pl.DataFrame], pl.DataFrame], clean: bool) -> pl.DataFrame:
    """`_parse_by_value` for a column `source` that holds one value: parsed once, repeated."""
    one = frame.select(pl.col(source).first())
    if clean:
        one = one.with_columns(values.clean_text(pl.col(source)))
    parsed = parse(one)
    added = [c for c in parsed.columns if c not in frame.columns]
    repeated = [parsed[c].new_from_index(0, frame.height) for c in [source, *added]]
    return frame.with_columns(repeated) if clean else frame.with_columns(repeated[1:])


def _by_value(frame: pl.DataFrame, source: str, typed: pl.Expr | list[pl.Expr],
              clean: bool = False) -> pl.DataFrame:
    """`frame` with the column(s) `typed`, expressions of column `source` alone, computed once
    per distinct value of `source` (`clean`: see `_parse_by_value`)."""
    return _parse_by_value(frame, source, lambda distinct: distinct.with_columns(typed), clean)


def _with_date(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The date column `column` read from `raw_<column>` (the text as typed: cleaned here)."""
    source, parts = f"raw_{column}", f"_{column}_parts"
    frame = _parse_by_value(frame, source,
                            lambda distinct: values.with_date_parts(distinct, source, parts),
                            clean=True)
    return frame.with_columns(pl.col(parts).struct.field("date").alias(column)).drop(parts)


def _with_id_number(frame: pl.DataFrame) -> pl.DataFrame:
    """`id_number` (the valid 18-character ID, a 15-digit one upgraded; else null), `_id_legacy`,
    `_id_from_number` and `_id_birth` (the birth date in `id_number`) from `raw_id_number`
    (cleaned) and `id_from_number`.

    An ID that matches `idcard.PLAIN` (nearly all) needs only its check character and birth
    date (`idcard.valid_plain`); the others go through every step (`_staged_id_number`), and
    their results are put in at their rows.
    """
    ids = frame.select("raw_id_number", "id_from_number")
    plain = ids.select(pl.col("raw_id_number").str.contains(idcard.PLAIN).fill_null(False)
                       ).to_series()
    raw, number, born = pl.col("raw_id_number"), pl.col("_id_first17"), pl.col("_id_born")
    typed = ids.with_columns(
        raw.str.slice(0, 17).cast(pl.Int64, strict=False).alias("_id_first17"),
        idcard.birth_date(raw).alias("_id_born"),
    ).with_columns(
        pl.when(~pl.col("id_from_number")).then(idcard.valid_plain(raw, number, born))
        .alias("id_number"),
    ).select(
        pl.col("id_from_number").alias("_id_from_number"),
        "id_number",
        pl.lit(False).alias("_id_legacy"),
        pl.when(pl.col("id_number").is_not_null()).then(born).alias("_id_birth"),
    )
    if not plain.all():
        others = _staged_id_number(ids.filter(~plain)).select(typed.columns)
        rows = (~plain).arg_true()
        typed = typed.with_columns(typed[c].clone().scatter(rows, others[c]) for c in typed.columns)
    return frame.with_columns(typed)


def _staged_id_number(frame: pl.DataFrame) -> pl.DataFrame:
    """`_with_id_number` for any ID as typed: normalised once, then the candidate ID (a 15-digit
    one upgraded), then its check."""
    frame = frame.with_columns(idcard.normalise(pl.col("raw_id_number")).alias("_id_norm"))
    norm = pl.col("_id_norm")
    frame = frame.with_columns(
        (pl.col("id_from_number") | idcard.numeric_normalised(norm)).alias("_id_from_number"),
        pl.coalesce(idcard.upgrade_legacy(norm), norm).alias("_id_candidate"),
    )
    # `valid_id(candidate)` would normalise the candidate again. It is normalised already
    # (an upgrade is digits), and `normalise` changes its own output only for 8 Greek letters
    # with two accents (checked over every code point), which no valid ID contains.
    frame = idcard.with_valid_id(frame, "_id_candidate", "_id_checked")
    valid = pl.when(~pl.col("_id_from_number")).then(pl.col("_id_checked"))
    frame = frame.with_columns(valid.alias("id_number"))
    return frame.with_columns(
        (idcard.is_legacy(norm) & pl.col("id_number").is_not_null()).alias("_id_legacy"),
        idcard.birth_date(pl.col("id_number")).alias("_id_birth"),
    ).drop("_id_norm", "_id_candidate", "_id_checked")


def _cast_person(frame: pl.DataFrame, table: str, today: dt.date) -> pl.DataFrame:
    frame = _with_id_number(frame)
    frame = _parse_by_value(frame, "raw_birth_date", lambda distinct: values.with_date_parts(
        distinct, "raw_birth_date", "_birth"), clean=True)
    # a year-month held as a number (readers.NUMBER_CELLS) that ends in .1: typed 1975.1 or
    # 1975.10, January or October; not taken (the finding birth_date_unreadable says why).
    # Looked for only in a part that has such numbers (a roster's are nearly always text).
    frame = frame.with_columns(pl.lit(False).alias("_birth_month_1_or_10"))
    if frame["birth_date_from_number"].any():
        frame = frame.with_columns(
            (pl.col("birth_date_from_number")
             & pl.col("raw_birth_date").str.contains(r"^\s*\d{4}\.1\s*$"))
            .alias("_birth_month_1_or_10"))
        frame = frame.with_columns(
            pl.when(~pl.col("_birth_month_1_or_10")).then(pl.col("_birth")).alias("_birth"))
    # a Chinese name loses the spaces typed inside it (王 芳芳 → 王芳芳), a name in Latin letters
    # keeps them; both rewrites run only in a part that has a space in a name (few do)
    name = pl.col("raw_name")
    if frame.select(name.str.contains(r"\s").any()).item():
        name = (pl.when(name.str.contains(r"[\u4e00-\u9fff]"))
                .then(name.str.replace_all(r"\s+", "")).otherwise(name))
    frame = frame.with_columns(name.alias("name"))
    for source, typed in [
        ("raw_gender", [values.gender(pl.col("raw_gender")).alias("_gender_col")]),
        ("raw_education",
         [values.education(pl.col("raw_education")).cast(pl.Int32).alias("education_level")]),
        ("raw_education_fulltime", [values.education(pl.col("raw_education_fulltime"))
         .cast(pl.Int32).alias("education_fulltime_level")]),
        ("raw_political_status",
         [pl.col("raw_political_status").alias("political_status"),
          values.is_party_member(pl.col("raw_political_status")).alias("is_party_member")]),
        ("raw_role", [pl.col("raw_role").alias("role"),
                      values.role_code(pl.col("raw_role")).alias("role_code")]),
    ]:
        frame = _by_value(frame, source, typed, clean=True)
    birth_col = pl.col("_birth").struct.field("date")
    frame = frame.with_columns(
        pl.when(birth_col <= pl.lit(today)).then(birth_col).alias("_birth_ok"),
    )
    birth_col_ok, id_birth = pl.col("_birth_ok"), pl.col("_id_birth")
    frame = frame.with_columns(
        pl.coalesce(id_birth, birth_col_ok).alias("birth_date"),
        pl.when(id_birth.is_not_null()).then(pl.lit("id"))
        .when(birth_col_ok.is_not_null()).then(pl.lit("column")).alias("birth_date_source"),
        pl.coalesce(idcard.gender(pl.col("id_number")), pl.col("_gender_col")).alias("gender"),
        pl.coalesce(
            pl.col("id_number"),
            # formatted only where there is no ID: few rows, while formatting every row is slow
            pl.when(pl.col("id_number").is_null() & birth_col_ok.is_not_null())
            .then(pl.format("{}|{}", pl.col("name"), birth_col_ok)),
            pl.col("name"),
        ).alias("person_key"),
    ).drop("_birth_ok")  # `_id_birth` is kept for the findings (`checks`)
    if table == "candidates":
        frame = _by_value(frame, "raw_votes", values.integer(pl.col("raw_votes"))
                          .cast(pl.Int32, strict=False).alias("votes"), clean=True)
        frame = _by_value(frame, "raw_elected", values.boolean(pl.col("raw_elected"))
                          .alias("elected"), clean=True)
    return frame


# ---------------------------------------------------------------- findings
@dataclass(frozen=True)
class Check:
    code: str
    column: str
    when: pl.Expr
    message: pl.Expr
    value: pl.Expr | None = None


def _unreadable(col: str, label: str, typed: str | None = None, is_date: bool = False) -> Check:
    raw = pl.col(f"raw_{col}")
    return Check(f"{col}_unreadable", col, raw.is_not_null() & pl.col(typed or col).is_null(),
                 _unreadable_message(col, label, is_date))


def _unreadable_message(col: str, label: str, is_date: bool) -> pl.Expr:
    """`label`“value”无法识别, or for a date typed as five digits that are also a year and a
    month (19753), why it cannot be read."""
    message = pl.format(f"{label}{{}}无法识别，该项留空", _quote(f"raw_{col}"))
    if not is_date:
        return message
    return pl.coalesce(
        pl.format(f"{label}{{}}", values.ambiguous_date_note(pl.col(f"raw_{col}"))), message)


def _missing(col: str, label: str) -> Check:
    return Check(f"{col}_missing", col, pl.col(f"raw_{col}").is_null(), pl.lit(f"{label}为空"))


def checks(table: str, today: dt.date) -> list[Check]:
    if table == "districts":
        return [_missing("district_name", "居民区名称"), _missing("subdistrict", "街道")]
    padded = Check("district_code_padded", "district_code", pl.col("_code_padded"),
                   pl.format("居民区代码{}不在名单中，按补足前导零后的“{}”处理（Excel 常会去掉前导零）",
                             _quote("raw_district_code"), pl.col("district_code")))
    if table == "milestones":
        return [padded, _missing("planned_date", "计划日期"),
                _unreadable("planned_date", "计划日期", is_date=True),
                _unreadable("actual_date", "完成日期", is_date=True),
                Check("actual_date_future", "actual_date", pl.col("actual_date") > pl.lit(today),
                      pl.lit("完成日期在今天之后，请核对"))]
    if table == "elections":
        date = pl.col("election_date")
        return [padded,
            _missing("election_date", "选举日期"),
            _unreadable("election_date", "选举日期", is_date=True),
            Check("election_date_future", "election_date", date > pl.lit(today),
                  pl.lit("选举日期在今天之后（尚未举行的选举也可录入，请核对）")),
            _unreadable("seats", "应选人数"),
            _unreadable("registered_voters", "登记选民数"),
            _unreadable("ballots_cast", "参加投票人数"),
        ]
    raw_id = pl.col("raw_id_number")
    year_typed = pl.col("raw_birth_date").str.strip_chars().str.slice(0, 4)
    birth = pl.col("_birth").struct.field("date")
    precision = pl.col("_birth").struct.field("precision")
    id_birth = pl.col("_id_birth")  # idcard.birth_date(id_number), from _with_id_number
    month_differs = (birth.dt.year() != id_birth.dt.year()) | (birth.dt.month() != id_birth.dt.month())
    differs = pl.when(precision == "month").then(month_differs).otherwise(birth != id_birth)
    found = [
        Check("id_from_number", "id_number", raw_id.is_not_null() & pl.col("_id_from_number"),
              pl.lit("身份证号以数字格式存储（Excel 数值会丢失末几位），无法使用；请把该列设为文本后重新录入"),
              mask_id(raw_id)),
        Check("id_invalid", "id_number",
              raw_id.is_not_null() & ~pl.col("_id_from_number") & pl.col("id_number").is_null(),
              pl.lit("身份证号校验不通过（位数、出生日期或校验位不对），该项留空，改用出生年月列"),
              mask_id(raw_id)),
        Check("id_legacy_15", "id_number", pl.col("_id_legacy"),
              pl.lit("15 位旧身份证号，已按 GB 11643 升为 18 位"), mask_id(raw_id)),
        Check("birth_date_unreadable", "birth_date",
              pl.col("raw_birth_date").is_not_null() & birth.is_null() & id_birth.is_null(),
              pl.when(pl.col("_birth_month_1_or_10")).then(pl.format(
                  "出生年月{}以数值存储：{}.10 存成数值也是 {}.1，无法确定是 1 月还是 10 月，"
                  "该项留空；请把该列设为文本，写成 {}.01 或 {}.10 这样的两位月份",
                  _quote("raw_birth_date"), *[year_typed] * 4))
              .otherwise(_unreadable_message("birth_date", "出生年月", is_date=True))),
        Check("birth_date_future", "birth_date", birth > pl.lit(today),
              pl.format("出生年月{}在今天之后，该项留空", _quote("raw_birth_date"))),
        Check("birth_date_mismatch", "birth_date", id_birth.is_not_null() & birth.is_not_null() & differs,
              pl.lit("出生年月与身份证号中的出生日期不一致，以身份证为准")),
        Check("gender_unreadable", "gender",
              pl.col("raw_gender").is_not_null() & pl.col("_gender_col").is_null(),
              pl.format("性别{}无法识别", _quote("raw_gender"))),
        Check("gender_mismatch", "gender",
              pl.col("_gender_col").is_not_null() & (pl.col("_gender_col") != pl.col("gender")),
              pl.format("性别{}与身份证号不一致，以身份证为准", _quote("raw_gender"))),
        _unreadable("education", "学历", "education_level"),
        _unreadable("education_fulltime", "全日制学历", "education_fulltime_level"),
        _unreadable("role", "职务", "role_code"),
        _missing("name", "姓名"),
        padded,
        Check("age_out_of_range", "birth_date", pl.col("_age_out_of_range"),
              pl.format("按出生日期算，选举日年龄为 {} 岁，不在 {}—{} 岁之间，出生日期留空，请核对",
                        pl.col("_age"), pl.lit(AGE_RANGE[0]), pl.lit(AGE_RANGE[1]))),
    ]
    if table == "candidates":
        found += [_unreadable("votes", "得票数"), _unreadable("elected", "是否当选")]
    return found


def findings(table: str, typed: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    parts = [
        typed.filter(check.when).select(
            pl.lit(table).alias("table_name"), *SOURCE,
            pl.lit(check.column).alias("column_name"),
            (check.value if check.value is not None else pl.col(f"raw_{check.column}"))
            .cast(pl.String).alias("value"),
            pl.lit(check.code).alias("finding_code"),
            check.message.alias("message"),
        )
        for check in checks(table, today)
    ]
    return pl.concat(parts) if parts else empty_findings()


def empty_findings() -> pl.DataFrame:
    return pl.DataFrame(schema={
        "table_name": pl.String, "source_file": pl.String, "source_sheet": pl.String,
        "source_row": pl.Int32, "column_name": pl.String, "value": pl.String,
        "finding_code": pl.String, "message": pl.String,
    })


def empty_quarantine() -> pl.DataFrame:
    return pl.DataFrame(schema={
        "table_name": pl.String, "source_file": pl.String, "source_sheet": pl.String,
        "source_row": pl.Int32, "reason_code": pl.String, "reason": pl.String,
        "original_values": pl.String,
    })


# ---------------------------------------------------------------- placement
def place(table: str, typed: pl.DataFrame, elections: pl.DataFrame | None,
          seen: SeenPersons | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split typed rows into (loaded, quarantine) with the table's dataframely schema.

    `typed` has `known_district` from `align_district_codes` (every table but districts);
    `elections` are loaded rows (placement kept one row per board); `seen` carries the people
    of earlier batches of a person table (see `SeenPersons`).
    """
    frame = typed.with_row_index("row")
    person: pl.Series | None = None
    if table in PERSON_TABLES:
        hashes = person_hashes(frame)
        person = hashes["person"]
        frame = frame.with_columns(
            (seen or SeenPersons()).mark(hashes) if frame.height else pl.lit(False).alias("seen_before"))
    schema = SCHEMAS[table]
    if elections is not None and "known_election" in schema.columns():
        if "_known_election" not in frame.columns:  # person tables: with_board has joined them
            frame = with_board(frame, elections)
        frame = frame.with_columns(
            # asked only of rows whose keys are all there and whose district is listed
            pl.when(pl.col("known_district") & pl.col("body").is_not_null()
                    & pl.col("term").is_not_null())
            .then(pl.col("_known_election").fill_null(False)).alias("known_election"))
    checked = frame.select(schema.column_names())
    # dataframely evaluates every rule on every row (≈ 1 s a million rows); only the suspects
    # can fail. Not when a column would be cast: a failed cast fails its row too.
    if checked.schema == {n: c.dtype for n, c in schema.columns().items()}:
        if person is not None:
            checked = checked.filter(person_suspects(checked, person))
        elif table in SUSPECT_KEYS:
            checked = checked.filter(keyed_suspects(checked, schema, SUSPECT_KEYS[table]))
    _, failure = schema.filter(checked, cast=True)
    details = failure.details()
    reasons = _reasons(table)
    rule_cols = [c for c in details.columns if c not in schema.column_names()
                 and not c.endswith("|dtype")]
    priority = list(reasons)
    rule_cols.sort(key=lambda r: priority.index(r) if r in priority else len(priority))
    bad_rows = details.select("row", *rule_cols)
    for rule in rule_cols:  # a rule with no message of its own still quarantines, and says which
        reasons.setdefault(rule, (rule.replace("|", "_"), pl.lit(f"未通过检查 {rule}")))
    failed = frame.join(bad_rows, on="row", how="inner")
    messages = [
        pl.when(pl.col(rule) == "invalid").then(reasons[rule][1]) for rule in rule_cols
    ]
    codes = [pl.when(pl.col(rule) == "invalid").then(pl.lit(reasons[rule][0])) for rule in rule_cols]
    spec = contract.TABLES[table]
    original = pl.struct(
        [(mask_id(pl.col(f"raw_{c}")) if c == "id_number" else pl.col(f"raw_{c}")).alias(c)
         for c in spec.column_names]
    ).struct.json_encode()
    quarantine = failed.select(
        pl.lit(table).alias("table_name"), *SOURCE,
        pl.concat_list(codes).list.drop_nulls().list.first().alias("reason_code"),
        pl.concat_list(messages).list.drop_nulls().list.join("；").alias("reason"),
        original.alias("original_values"),
    ) if rule_cols else empty_quarantine()
    # in memory the ID stays in clear; ingest swaps it for its keyed hash before loading
    columns = [("id_number" if name == "id_key" else name) for name, _, _ in contract.LOADED[table]]
    # the loaded columns first, then the rows: the frame has twice as many columns to copy
    placed = ~frame["row"].is_in(bad_rows["row"].implode())
    return (frame.select(*columns, *SOURCE).filter(placed),
            quarantine.select(QUARANTINE_COLUMNS))


AGE_RANGE = (18, 100)  # 周岁 on the election day that a board member can plausibly have


def align_district_codes(typed: pl.DataFrame, known_codes: pl.Series | None) -> pl.DataFrame:
    """`101` read where `0101` is listed (Excel dropped the leading zero): use the listed code.

    Only for an all-digit code that is not listed while its zero-padded form is; `_code_padded`
    marks those rows for a finding. With `known_codes`, also `known_district`: whether the row's
    code (as aligned) is listed; null where it is missing (that row's reason is the missing code).
    """
    if known_codes is None:
        return typed.with_columns(pl.lit(False).alias("_code_padded"))
    # not `unique()`: `is_in` does not care about repeats, and the codes of loaded districts
    # (what validate passes) are distinct already — hashing them again cost ≈ 0.1 s per batch
    known = known_codes.drop_nulls()
    # once per distinct code (a person table repeats each code on every member's row): the
    # codes not listed — usually a few — are all the rest needs, and the rows are looked up
    # in that small set rather than in a set of every listed code (610,000 at the nation)
    original = pl.col("district_code")
    not_listed = typed.select(original.unique()).join(
        known.to_frame("district_code"), on="district_code", how="anti")  # (cheaper than ~is_in)
    fixes = _padded_codes(not_listed, known)
    # the codes still not listed once padded
    unlisted = not_listed.join(fixes, on="district_code", how="anti")["district_code"]
    listed = pl.when(original.is_not_null()).then(~original.is_in(unlisted.implode()))
    if not fixes.height:
        return typed.with_columns(pl.lit(False).alias("_code_padded"), listed.alias("known_district"))
    typed = typed.with_columns(listed.alias("known_district")).join(
        fixes, on="district_code", how="left", maintain_order="left")
    fixed = pl.col("_code_fixed")
    return typed.with_columns(
        pl.coalesce(fixed, original).alias("district_code"),
        fixed.is_not_null().alias("_code_padded"),
    ).drop("_code_fixed")


def _padded_codes(not_listed: pl.DataFrame, known: pl.Series) -> pl.DataFrame:
    """(district_code, _code_fixed) for the codes of `not_listed` (distinct, none of them in
    `known`) that are all digits (`101.0` read as `101`) and listed once zero-padded: padded
    to each listed width, the narrowest that is listed first. The padded forms are looked up
    among the listed codes that match any of them (a few), not in a set of every listed code."""
    code = pl.col("_code")
    unlisted = not_listed.with_columns(
        pl.col("district_code").str.replace(r"^(\d+)\.0+$", "${1}").alias("_code")
    ).filter(code.is_not_null() & code.str.contains(r"^\d+$"))
    # a code listed once `.0` is dropped is not padded (it is not a leading-zero loss)
    stripped = unlisted["_code"]
    unlisted = unlisted.filter(~code.is_in(known.filter(known.is_in(stripped.implode())).implode()))
    widths = known.str.len_chars().unique().sort().to_list()
    if not unlisted.height or not widths:  # nothing to pad, or no district listed to pad to
        return pl.DataFrame(schema={"district_code": pl.String, "_code_fixed": pl.String})
    # a padded code is all digits: only an all-digit listed code can match it
    candidates = [code.str.zfill(width) for width in widths]
    tried = unlisted.select(pl.concat_list(candidates).alias("_c")).explode("_c").to_series()
    matched = known.filter(known.is_in(tried.implode())).implode()
    padded = pl.coalesce([pl.when(c.is_in(matched)).then(c) for c in candidates])
    return unlisted.select("district_code", padded.alias("_code_fixed")).drop_nulls()


def with_board(typed: pl.DataFrame, elections: pl.DataFrame) -> pl.DataFrame:
    """Each row's election: `_known_election` (true, else null) and `_election_date`.

    Loaded elections hold one row per board (placement), so the join adds no rows. Only the
    elections of the batch's districts take part: a whole country has 3.6 M elections, and
    hashing them all for each batch of rows cost more than the rest of the join.
    """
    codes = typed["district_code"].unique()
    boards = elections.filter(pl.col("district_code").is_in(codes.implode())).select(
        *BOARD_KEYS, pl.lit(True).alias("_known_election"),
        pl.col("election_date").alias("_election_date"))
    return typed.join(boards, on=BOARD_KEYS, how="left", nulls_equal=False,
                      maintain_order="left")


def check_ages(typed: pl.DataFrame) -> pl.DataFrame:
    """周岁 on the board's election day (`with_board`); outside 18–100 the birth date is a typo:
    left empty. Without elections (`_election_date` absent) nothing is checked."""
    if "_election_date" not in typed.columns:
        return typed.with_columns(pl.lit(None, pl.Int32).alias("_age"),
                                  pl.lit(False).alias("_age_out_of_range"))
    born, day = pl.col("birth_date"), pl.col("_election_date")

    def month_day(date: pl.Expr) -> pl.Expr:
        # dt.month()/dt.day() are Int8: `month * 100 + day` in Int8 wraps (12-31 → -49)
        return date.dt.month().cast(pl.Int32) * 100 + date.dt.day().cast(pl.Int32)

    age = (day.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32)
           - (month_day(day) < month_day(born)).cast(pl.Int32))
    # staged: an eager expression used three times would be computed three times
    typed = typed.with_columns(age.cast(pl.Int32).alias("_age"))
    out = pl.col("_age").is_not_null() & ~pl.col("_age").is_between(*AGE_RANGE)
    return typed.with_columns(out.alias("_age_out_of_range")) \
        .with_columns(
            pl.when(~pl.col("_age_out_of_range")).then(pl.col(c)).alias(c)
            for c in ("birth_date", "birth_date_source")
        )


def validate(table: str, frame: pl.DataFrame, districts: pl.DataFrame | None,
             elections: pl.DataFrame | None, today: dt.date | None = None,
             seen: SeenPersons | None = None) -> Validated:
    """One table (or one batch of a person table, with `seen` shared by its batches)."""
    today = today or dt.date.today()
    frame = frame.with_columns(  # a frame not from the readers (tests, tools)
        pl.lit(None, pl.String).alias(c) for c in ("extra_cells", "cell_separator")
        if c not in frame.columns)
    if "birth_date_from_number" not in frame.columns:
        frame = frame.with_columns(pl.lit(False).alias("birth_date_from_number"))
    typed = cast(table, frame, today)
    if table != "districts":
        typed = align_district_codes(
            typed, districts["district_code"] if districts is not None else None)
    if table in PERSON_TABLES:
        if elections is not None:
            typed = with_board(typed, elections)
        typed = check_ages(typed)
    loaded, quarantine = place(table, typed, elections, seen)
    found = findings(table, typed, today)
    # the loaded rows of the findings' row numbers first: the same matches, and the semi join
    # then hashes a few thousand rows rather than a batch (≈ 0.1 s per 1 M rows)
    rows = loaded.filter(pl.col("source_row").is_in(found["source_row"].implode()))
    found = found.join(rows.select(*SOURCE), on=list(SOURCE), how="semi", nulls_equal=True)
    return Validated(table, loaded, quarantine, found)

"""What if validation computed each shared sub-expression once? Evidence for the recommendations.

    .venv/bin/python -m benchmarks.whatif_validate RAW_DIR [--repeat 2]

`validate.cast` builds every typed column as one polars expression tree. Eager
`DataFrame.with_columns` does no common-subexpression elimination, so a sub-expression used N
times is evaluated N times, and the trees nest: `idcard.valid_id` slices its input 17 times for
the check character and its input (`coalesce(upgrade_legacy(norm), norm)`) holds another 17
slices, each re-running `normalise` (NFKC, regex, upper-case); `values.date_parts` re-runs its
three regex extractions for the year, the month, the day, the precision and the final date;
`values.term` re-runs `clean_text` and `integer` three times. This module casts the same frames
with the same rules but computes the shared parts once (staged `with_columns`), an integer
check-character sum, a fast path for a plain 4-digit term and NFKC only on text that has
something NFKC can change; it checks that the result is identical to `validate.cast` and times
both, then times `ingest.read_and_validate` with and without the change.

Nothing in pipelines/ is modified: the faster cast is patched in for the duration of a call.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import time
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from pipelines import contract, idcard, ingest, readers, validate, values

# Characters that NFKC leaves alone: ASCII and the CJK Unified Ideographs block. Anything else
# (full-width forms, the ideographic space, compatibility characters, …) goes through NFKC.
NFKC_INVARIANT = r"^[\x00-\x7F\u4e00-\u9fff]*$"


def clean_text(expr: pl.Expr) -> pl.Expr:
    """values.clean_text, but NFKC only where it can change something."""
    folded = pl.when(expr.str.contains(NFKC_INVARIANT)).then(expr).otherwise(
        expr.str.normalize("NFKC"))
    return folded.str.strip_chars().replace("", None)


def term(expr: pl.Expr) -> pl.Expr:
    """values.term, with a fast path for a plain year (`2021`)."""
    plain = expr.str.contains(r"^\d{4}$")
    year = expr.cast(pl.Int32, strict=False)
    return pl.when(plain).then(pl.when(year.is_between(1949, 2100)).then(year)).otherwise(
        values.term(expr))


def check_char(first17: pl.Expr) -> pl.Expr:
    """GB 11643 check character from 17 digits: one integer cast, digits by arithmetic."""
    n = first17.cast(pl.Int64, strict=False)
    total = pl.sum_horizontal([(n // (10 ** (16 - i)) % 10) * w
                               for i, w in enumerate(idcard.WEIGHTS)])
    return total.mod(11).replace_strict(dict(enumerate(idcard.CHECK_CHARS)),
                                        return_dtype=pl.String, default=None)


def with_date_parts(frame: pl.DataFrame, source: str, target: str) -> pl.DataFrame:
    """values.date_parts(pl.col(source)) as column `target`, each regex run once."""
    t = values.clean_text(pl.col(source)).str.replace(r"\.$", "")
    f = frame.with_columns(t.alias("_t"))
    f = f.with_columns(
        pl.col("_t").str.extract_groups(values._YMD).alias("_ymd"),
        pl.col("_t").str.extract_groups(values._DATETIME).alias("_stamp"),
        pl.col("_t").str.extract_groups(r"^(\d{4})(\d{2})(\d{2})?$").alias("_compact"),
        pl.col("_t").str.extract(r"^(\d{5})(?:\.0+)?$").cast(pl.Int64, strict=False)
        .alias("_serial"),
    )

    def part(i: int) -> pl.Expr:
        return pl.coalesce(pl.col("_stamp").struct[i], pl.col("_ymd").struct[i],
                           pl.col("_compact").struct[i]).cast(pl.Int32, strict=False)

    f = f.with_columns(part(0).alias("_y"), part(1).alias("_m"), part(2).alias("_d"))
    iso = pl.format("{}-{}-{}", pl.col("_y").cast(pl.String),
                    pl.col("_m").cast(pl.String).str.zfill(2),
                    pl.col("_d").fill_null(1).cast(pl.String).str.zfill(2))
    f = f.with_columns(pl.when(pl.col("_y").is_between(1900, 2100))
                       .then(iso.str.to_date("%Y-%m-%d", strict=False)).alias("_parsed"))
    serial = (pl.lit(values.EXCEL_EPOCH) + pl.duration(days=pl.col("_serial"))).cast(pl.Date)
    f = f.with_columns(pl.coalesce(pl.col("_parsed"), serial).alias("_date"))
    precision = (pl.when(pl.col("_date").is_null()).then(None)
                 .when(pl.col("_parsed").is_not_null() & pl.col("_d").is_null())
                 .then(pl.lit("month")).otherwise(pl.lit("day")))
    f = f.with_columns(pl.struct(pl.col("_date").alias("date"), precision.alias("precision"))
                       .alias(target))
    return f.drop("_t", "_ymd", "_stamp", "_compact", "_serial", "_y", "_m", "_d", "_parsed",
                  "_date")


def cast(table: str, frame: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """validate.cast with the shared parts computed once (same columns, same values)."""
    if table in ("districts", "milestones"):
        return _original_cast(table, frame, today)
    spec = contract.TABLES[table]
    raw = frame.rename({c: f"raw_{c}" for c in spec.column_names}).with_columns(
        clean_text(pl.col(f"raw_{c}")).alias(f"raw_{c}") for c in spec.column_names
    )
    raw = raw.with_columns(pl.col("raw_district_code").alias("district_code"),
                           values.body(pl.col("raw_body")).alias("body"),
                           term(pl.col("raw_term")).alias("term"))
    if table == "elections":
        raw = with_date_parts(raw, "raw_election_date", "_election_date_parts")
        return raw.with_columns(
            pl.col("_election_date_parts").struct.field("date").alias("election_date"),
            *(values.integer(pl.col(f"raw_{c}")).cast(pl.Int32).alias(c)
              for c in ("seats", "registered_voters", "ballots_cast")),
        ).drop("_election_date_parts")
    return _cast_person(raw, table, today)


def _cast_person(frame: pl.DataFrame, table: str, today: dt.date) -> pl.DataFrame:
    frame = frame.with_columns(idcard.normalise(pl.col("raw_id_number")).alias("_norm"))
    norm = pl.col("_norm")
    legacy = norm.str.contains(r"^\d{15}$")
    first17 = norm.str.slice(0, 6) + pl.lit("19") + norm.str.slice(6, 9)
    frame = frame.with_columns(
        (pl.col("id_from_number") | idcard.looks_numeric(pl.col("raw_id_number")))
        .alias("_id_from_number"),
        pl.when(legacy).then(first17).otherwise(norm).alias("_cand"),
        legacy.alias("_legacy"),
    )
    cand = pl.col("_cand")
    cand = pl.when(pl.col("_legacy")).then(cand + check_char(cand)).otherwise(cand)
    frame = frame.with_columns(cand.alias("_cand"))
    cand = pl.col("_cand")
    ok = (idcard.well_formed(cand) & (check_char(cand.str.slice(0, 17)) == cand.str.slice(17, 1))
          & idcard.birth_date(cand).is_not_null())
    frame = frame.with_columns(
        pl.when(~pl.col("_id_from_number") & ok).then(cand).alias("id_number"))
    frame = with_date_parts(frame, "raw_birth_date", "_birth")
    name = pl.col("raw_name")
    frame = frame.with_columns(
        (pl.col("_legacy") & pl.col("id_number").is_not_null()).alias("_id_legacy"),
        pl.when(name.str.contains(r"[\u4e00-\u9fff]")).then(name.str.replace_all(r"\s+", ""))
        .otherwise(name).alias("name"),
        values.gender(pl.col("raw_gender")).alias("_gender_col"),
        values.education(pl.col("raw_education")).cast(pl.Int32).alias("education_level"),
        values.education(pl.col("raw_education_fulltime")).cast(pl.Int32)
        .alias("education_fulltime_level"),
        pl.col("raw_political_status").alias("political_status"),
        values.is_party_member(pl.col("raw_political_status")).alias("is_party_member"),
        pl.col("raw_role").alias("role"),
        values.role_code(pl.col("raw_role")).alias("role_code"),
    ).drop("_norm", "_cand", "_legacy")
    birth_col = pl.col("_birth").struct.field("date")
    frame = frame.with_columns(pl.when(birth_col <= pl.lit(today)).then(birth_col)
                               .alias("_birth_ok"),
                               idcard.birth_date(pl.col("id_number")).alias("_id_birth"))
    birth_col_ok, id_birth = pl.col("_birth_ok"), pl.col("_id_birth")
    frame = frame.with_columns(
        pl.coalesce(id_birth, birth_col_ok).alias("birth_date"),
        pl.when(id_birth.is_not_null()).then(pl.lit("id"))
        .when(birth_col_ok.is_not_null()).then(pl.lit("column")).alias("birth_date_source"),
        pl.coalesce(idcard.gender(pl.col("id_number")), pl.col("_gender_col")).alias("gender"),
        pl.coalesce(
            pl.col("id_number"),
            pl.when(birth_col_ok.is_not_null())
            .then(pl.format("{}|{}", pl.col("name"), birth_col_ok)),
            pl.col("name"),
        ).alias("person_key"),
    ).drop("_birth_ok", "_id_birth")
    if table == "candidates":
        frame = frame.with_columns(
            values.integer(pl.col("raw_votes")).cast(pl.Int32).alias("votes"),
            values.boolean(pl.col("raw_elected")).alias("elected"),
        )
    return frame


_original_cast = validate.cast


@contextlib.contextmanager
def patched() -> Iterator[None]:
    validate.cast = cast
    try:
        yield
    finally:
        validate.cast = _original_cast


def _same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    cols = sorted(a.columns)
    return sorted(b.columns) == cols and a.select(cols).equals(b.select(cols))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    today = dt.date.today()
    sources, _ = readers.discover(args.raw)
    tables: dict[str, list[pl.DataFrame]] = {}
    for source in sources:
        tables.setdefault(source.table, []).append(readers.read(source, args.raw).frame)
    report: dict[str, dict] = {}
    for table, parts in tables.items():
        frame = pl.concat(parts)
        before, after = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            old = _original_cast(table, frame, today)
            before.append(time.perf_counter() - t)
            t = time.perf_counter()
            new = cast(table, frame, today)
            after.append(time.perf_counter() - t)
        report[table] = {"rows": frame.height, "identical": _same(old, new),
                         "cast_seconds": min(before), "staged_cast_seconds": min(after)}
        print(table, report[table], flush=True)
    t = time.perf_counter()
    frames_old, result_old = ingest.read_and_validate(args.raw)
    old_seconds = time.perf_counter() - t
    with patched():
        t = time.perf_counter()
        frames_new, result_new = ingest.read_and_validate(args.raw)
        new_seconds = time.perf_counter() - t
    identical = (all(_same(frames_old[k], frames_new[k]) for k in frames_old)
                 and _same(result_old.quarantine, result_new.quarantine)
                 and _same(result_old.findings, result_new.findings))
    report["read_and_validate"] = {"seconds": old_seconds, "staged_seconds": new_seconds,
                                   "identical": identical}
    print(json.dumps(report["read_and_validate"]))


if __name__ == "__main__":
    main()

"""Run benchmarks/floor.sql: the three marts straight from a raw folder, one DuckDB script.

    .venv/bin/python -m benchmarks.floor --raw /tmp/city --db /tmp/floor.duckdb --out /tmp/floor-out

Sections (`-- @section <name>` in the script) are executed and timed one by one.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import duckdb

from pipelines.warehouse import DEFAULT_MEMORY_LIMIT

FLOOR_SQL = Path(__file__).with_name("floor.sql")
MARTS = ("one_down_one_up", "one_down_one_up_rollup", "board_composition")
MEMORY_LIMIT = DEFAULT_MEMORY_LIMIT  # the pipeline's own DuckDB limit (6 GiB target in all)


def source(raw_dir: Path, table: str, fmt: str) -> str:
    pattern = str(raw_dir / f"{table}*.{fmt}").replace("'", "''")
    if fmt == "csv":
        return f"read_csv('{pattern}', all_varchar = true, header = true, union_by_name = true)"
    return f"read_parquet('{pattern}', union_by_name = true)"


def detect_format(raw_dir: Path) -> str:
    return "parquet" if any(raw_dir.glob("board_members*.parquet")) else "csv"


def sections(raw_dir: Path, out_dir: Path, fmt: str) -> list[tuple[str, str]]:
    """(name, SQL) of each section of floor.sql with sources and the output folder filled in."""
    text = FLOOR_SQL.read_text(encoding="utf-8")
    text = re.sub(r"\{\{\s*source\('(\w+)'\)\s*\}\}", lambda m: source(raw_dir, m.group(1), fmt), text)
    text = re.sub(r"\{\{\s*out\s*\}\}", str(out_dir).replace("'", "''"), text)
    parts = re.split(r"^-- @section (\w+)\s*$", text, flags=re.MULTILINE)
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts), 2)]


def run_floor(raw_dir: Path, db: Path, out_dir: Path, fmt: str | None = None,
              threads: int | None = None, memory_limit: str | None = MEMORY_LIMIT
              ) -> dict[str, float]:
    """Build the marts into a fresh DuckDB file `db`; seconds per section and in total.

    `memory_limit` caps DuckDB (it spills to disk beyond it); None leaves DuckDB's default
    (80 % of the machine's memory).
    """
    fmt = fmt or detect_format(raw_dir)
    for leftover in (db, db.with_name(db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    con = duckdb.connect(str(db))
    try:
        if threads:
            con.execute(f"set threads = {int(threads)}")
        if memory_limit:
            con.execute(f"set memory_limit = '{memory_limit}'")
        for name, sql in sections(raw_dir, out_dir, fmt):
            t = time.perf_counter()
            con.execute(sql)
            timings[name] = time.perf_counter() - t
    finally:
        con.close()
    timings["total"] = time.perf_counter() - started
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=["parquet", "csv"])
    parser.add_argument("--memory-limit", default=MEMORY_LIMIT,
                        help="DuckDB memory_limit ('' for DuckDB's default)")
    args = parser.parse_args(argv)
    timings = run_floor(args.raw, args.db, args.out, args.format,
                        memory_limit=args.memory_limit or None)
    print("  ".join(f"{k} {v:.2f}s" for k, v in timings.items()))


if __name__ == "__main__":
    main()


KEYS = {"one_down_one_up": "board_id", "one_down_one_up_rollup": "rollup_id",
        "board_composition": "board_id"}


def compare_marts(pipeline_db: Path, floor_db: Path) -> dict[str, dict]:
    """Row counts and per-column disagreements between the pipeline's marts and the floor's.

    Rows are matched on the mart's key; numbers agree within 1e-9. Returns, per mart:
    {"pipeline_rows", "floor_rows", "unmatched", "mismatches": {column: rows}}.
    """
    con = duckdb.connect()
    try:
        con.execute(f"attach '{pipeline_db}' as p (read_only)")
        con.execute(f"attach '{floor_db}' as f (read_only)")
        report: dict[str, dict] = {}
        for mart, key in KEYS.items():
            cols = [r[0] for r in con.execute(
                "select column_name from duckdb_columns() where database_name = 'p' "
                "and schema_name = 'main' and table_name = ? order by column_index", [mart]
            ).fetchall()]
            checks = []
            for c in cols:
                diff = (f'(a."{c}" is distinct from b."{c}" and not coalesce('
                        f'abs(try_cast(a."{c}" as double) - try_cast(b."{c}" as double)) < 1e-9,'
                        ' false))')
                checks.append(f'count(*) filter (where {diff}) as "{c}"')
            row = con.execute(
                f"select count(a.{key}), count(b.{key}), "
                f"count(*) filter (where a.{key} is null or b.{key} is null), "
                + ", ".join(checks)
                + f" from p.main.{mart} as a full outer join f.main.{mart} as b using ({key})"
            ).fetchone()
            assert row is not None
            mismatches = {c: int(n) for c, n in zip(cols, row[3:], strict=True) if n}
            report[mart] = {"pipeline_rows": int(row[0]), "floor_rows": int(row[1]),
                            "unmatched": int(row[2]), "mismatches": mismatches}
        return report
    finally:
        con.close()

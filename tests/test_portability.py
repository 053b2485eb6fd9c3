"""The dbt project is portable SQL (issue 6, "Beyond one machine"): every model, data test and
unit test builds on PostgreSQL as on DuckDB, and every table comes out the same.

PostgreSQL 16 runs from the `pgserver` wheel (a server in a Python package, on a Unix socket in
a temp folder; no network, no system package). For each raw folder the pipeline first builds a
DuckDB file as usual; its `raw` tables — what the loader wrote — are copied into a fresh
Postgres database with the same column types (on a real deployment that engine's own tooling
would load them); then `dbt build --target postgres` (dbt_project/profiles.yml) runs every
node, unit tests included, and each table of the marts, the intermediate models and the seeds
is compared with DuckDB's: the same columns in the same order and the same rows, as multisets
(floating-point values to 9 significant digits: the engines may add in a different order).
"""

from __future__ import annotations

import collections
import decimal
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pgserver  # dev dependencies (pyproject.toml), as dbt-postgres is
import psycopg2
import pytest
from psycopg2.extras import execute_values

from pipelines import defaults, scale_data

DBT_PROJECT = defaults.ROOT / "dbt_project"
AS_OF = "2026-11-25"
# DuckDB types of the loaded raw tables (pipelines/contract.py, LOADED) → PostgreSQL
PG_TYPES = {"VARCHAR": "text", "INTEGER": "integer", "BIGINT": "bigint", "DATE": "date",
            "BOOLEAN": "boolean", "DOUBLE": "double precision", "TIMESTAMP": "timestamp"}
COMPARED_SCHEMAS = ("main", "intermediate", "seeds")


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A PostgreSQL server for this module: (connection URI, its socket folder)."""
    folder = tmp_path_factory.mktemp("pg")
    server = pgserver.get_server(str(folder), cleanup_mode="stop")
    try:
        yield server.get_uri(), str(folder)
    finally:
        server.cleanup()


def duckdb_build(raw: Path, work: Path) -> Path:
    """The pipeline's own `boardshift run` on `raw`, as of AS_OF: the DuckDB side."""
    db = work / "duckdb" / "boardshift.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw), "--db", str(db),
         "--exports", str(work / "exports"), "--as-of", AS_OF, "-q"],
        capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return db


def copy_raw_tables(db: Path, pg: psycopg2.extensions.connection) -> dict[str, int]:
    """Schema `raw` of the DuckDB file `db` into `pg`: the same tables, columns and rows."""
    copied = {}
    duck = duckdb.connect(str(db), read_only=True)
    try:
        with pg.cursor() as cur:
            cur.execute("create schema raw")
            for (table,) in duck.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = 'raw' order by 1").fetchall():
                columns = duck.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = 'raw' and table_name = ? order by ordinal_position",
                    [table]).fetchall()
                cur.execute(f'create table raw."{table}" ('
                            + ", ".join(f'"{name}" {PG_TYPES[kind]}' for name, kind in columns)
                            + ")")
                rows = duck.execute(f'select * from raw."{table}"').fetchall()
                execute_values(cur, f'insert into raw."{table}" values %s', rows, page_size=2000)
                copied[table] = len(rows)
    finally:
        duck.close()
    pg.commit()
    return copied


def postgres_build(host: str, dbname: str, work: Path) -> subprocess.CompletedProcess[str]:
    """`dbt build --target postgres`: every model, seed, data test and unit test."""
    env = {**os.environ, "BOARDSHIFT_PG_HOST": host, "BOARDSHIFT_PG_DBNAME": dbname,
           "BOARDSHIFT_AS_OF_DATE": AS_OF, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [sys.executable, "-m", "dbt.cli.main", "build", "--target", "postgres",
         "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
         "--no-use-colors"],
        env=env, capture_output=True, text=True, timeout=900, cwd=str(DBT_PROJECT))


def _value(v: object) -> object:
    if isinstance(v, float | decimal.Decimal):
        return float(f"{float(v):.9g}")
    return v


def table_differences(db: Path, pg: psycopg2.extensions.connection) -> tuple[int, list[str]]:
    """How many tables of COMPARED_SCHEMAS were compared, and how each that differs differs."""
    differences, compared = [], 0
    duck = duckdb.connect(str(db), read_only=True)
    try:
        tables = duck.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {COMPARED_SCHEMAS} and table_type = 'BASE TABLE' "
            "order by 1, 2").fetchall()
        with pg.cursor() as cur:
            for schema, table in tables:
                compared += 1
                columns = [c for (c,) in duck.execute(
                    "select column_name from information_schema.columns where table_schema = ? "
                    "and table_name = ? order by ordinal_position", [schema, table]).fetchall()]
                cur.execute("select column_name from information_schema.columns "
                            "where table_schema = %s and table_name = %s "
                            "order by ordinal_position", [schema, table])
                pg_columns = [c for (c,) in cur.fetchall()]
                if pg_columns != columns:
                    differences.append(f"{schema}.{table}: columns {columns} ≠ {pg_columns}")
                    continue
                on_duckdb = collections.Counter(
                    tuple(map(_value, row))
                    for row in duck.execute(f'select * from {schema}."{table}"').fetchall())
                cur.execute(f'select * from {schema}."{table}"')
                on_postgres = collections.Counter(tuple(map(_value, row)) for row in cur.fetchall())
                if on_duckdb != on_postgres:
                    differences.append(
                        f"{schema}.{table}: {sum(on_duckdb.values())} rows ≠ "
                        f"{sum(on_postgres.values())}; only on DuckDB "
                        f"{list((on_duckdb - on_postgres).elements())[:2]}, only on PostgreSQL "
                        f"{list((on_postgres - on_duckdb).elements())[:2]}")
    finally:
        duck.close()
    return compared, differences


def demo_raw(tmp: Path) -> Path:
    return defaults.DEFAULT_RAW


def elections_raw(tmp: Path) -> Path:
    from tests.test_elections_progress import write_raw

    write_raw(tmp / "raw")
    return tmp / "raw"


def district_raw(tmp: Path) -> Path:
    scale_data.write_scale(tmp / "raw", "district", seed=7)
    return tmp / "raw"


@pytest.mark.parametrize("raw_folder", [demo_raw, elections_raw, district_raw],
                         ids=["demo", "elections", "district"])
def test_the_project_builds_on_postgres_with_the_same_tables(
        raw_folder, postgres: tuple[str, str], tmp_path: Path) -> None:
    # the demo data in raw/ (weekly milestones, people on both boards), the hand-checked
    # elections folder of test_elections_progress (elected candidates missing from the roster
    # and the reverse) and a district-scale synthetic folder (300 districts, planted faults)
    db = duckdb_build(raw_folder(tmp_path), tmp_path)
    uri, host = postgres
    dbname = raw_folder.__name__
    admin = psycopg2.connect(uri)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"create database {dbname}")
    admin.close()
    pg = psycopg2.connect(host=host, dbname=dbname, user="postgres")
    try:
        copied = copy_raw_tables(db, pg)
        assert copied["board_members"] > 0 and copied["candidates"] > 0

        built = postgres_build(host, dbname, tmp_path / "pg_dbt")
        results = json.loads((tmp_path / "pg_dbt" / "target" / "run_results.json")
                             .read_text("utf-8"))["results"]
        failed = [r["unique_id"] for r in results if r["status"] not in ("success", "pass")]
        assert built.returncode == 0 and not failed, built.stdout[-4000:]
        kinds = collections.Counter(r["unique_id"].split(".")[0] for r in results)
        assert kinds["model"] >= 37 and kinds["test"] >= 99 and kinds["unit_test"] >= 21
        assert kinds["seed"] == 1

        compared, differences = table_differences(db, pg)
        assert compared >= 30  # 19 marts, 10 intermediate tables, the seed
        assert differences == []
    finally:
        pg.close()

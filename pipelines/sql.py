"""Ad-hoc read-only SQL on the published database, sandboxed as DuckDB's security guide advises:
an in-memory database with the file ATTACHed read-only, no file or network access, no extensions,
configuration locked, bounded memory and a time limit."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import polars as pl

from pipelines import defaults
from pipelines.errors import BoardshiftError

DEFAULT_TIMEOUT_S = defaults.SQL_TIMEOUT_S
DEFAULT_MAX_ROWS = defaults.SQL_MAX_ROWS


def sandbox(db: Path, memory_limit: str = "2GB") -> duckdb.DuckDBPyConnection:
    if not db.exists():
        raise BoardshiftError(f"数据库 {db} 不存在：请先运行 boardshift run")
    con = duckdb.connect(":memory:", config={
        "python_enable_replacements": False,
        "autoload_known_extensions": False,
        "autoinstall_known_extensions": False,
        "allow_community_extensions": False,
    })
    path = str(db).replace("'", "''")
    con.execute(f"attach '{path}' as warehouse (read_only)")
    con.execute("use warehouse")
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute("set threads = 2")
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con


ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def check_statement(sql: str) -> None:
    """Exactly one SELECT (or EXPLAIN): no CREATE, COPY, ATTACH, INSTALL, SET, PRAGMA, CALL, …"""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise BoardshiftError(f"查询失败：SQL 语法错误：{str(exc).strip()}") from exc
    if len(statements) != 1:
        raise BoardshiftError(f"查询失败：一次只能运行一条查询（收到 {len(statements)} 条）")
    kind = statements[0].type
    if kind not in ALLOWED:
        raise BoardshiftError(
            f"查询失败：只允许只读的 SELECT 查询，不允许 {kind.name}（read-only: SELECT only）"
        )


def query(db: Path, sql: str, timeout_s: float = DEFAULT_TIMEOUT_S,
          max_rows: int = DEFAULT_MAX_ROWS) -> tuple[pl.DataFrame, bool]:
    """Run one read-only query; returns (rows, truncated). Errors become one clear message."""
    check_statement(sql)
    con = sandbox(db)
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.start()
    try:
        relation = con.sql(sql)
        if relation is None:  # a statement with no result set
            return pl.DataFrame(), False
        reader = relation.to_arrow_reader(min(max_rows + 1, 100_000))
        batches, count = [], 0
        for batch in reader:
            batches.append(batch)
            count += batch.num_rows
            if count > max_rows:
                break
        import pyarrow as pa

        table = pa.Table.from_batches(batches, schema=reader.schema)
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return frame.head(max_rows), frame.height > max_rows
    except duckdb.InterruptException as exc:
        raise BoardshiftError(f"查询超过 {timeout_s:g} 秒，已停止 (query timed out)") from exc
    except duckdb.Error as exc:
        raise BoardshiftError(f"查询失败：{str(exc).strip()}") from exc
    finally:
        timer.cancel()
        con.close()

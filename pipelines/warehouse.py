"""The published DuckDB file: build beside it, checkpoint, swap in atomically; one writer at a time.

Readers (dashboard, `boardshift sql`, exports) open short-lived read-only connections to the
published path and see either the old file or the new one, never a half-built one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from pipelines.errors import BoardshiftError

# What the DuckDB of a build (ingest's connection, the dbt process) may use before it spills to
# disk beside the build file: the 2-core, 24 GiB machines are shared, and a nation's build must
# stay under 6 GiB in all. At the nation the member-level dbt models spill past it (4GB: dbt
# build ≈ 185 s; 5GB: ≈ 151 s, the dbt process peaking at 5.1 GiB — benchmarks/README.md).
# BOARDSHIFT_DUCKDB_MEMORY (e.g. "8GB") overrides it.
MEMORY_ENV = "BOARDSHIFT_DUCKDB_MEMORY"
DEFAULT_MEMORY_LIMIT = "5GB"


def memory_limit() -> str:
    return os.environ.get(MEMORY_ENV) or DEFAULT_MEMORY_LIMIT


# How the dbt process's DuckDB keeps the memory it frees (set for that process by
# dbt_runner.invocation; profiles.yml reads BLOCK_MEMORY_ENV). At its memory limit DuckDB hands
# freed memory back to the system each time it evicts a block, and takes it back page by page
# (each page zeroed by the kernel): at the nation the build faulted in ≈ 36 GB in ≈ 9.3 M pages,
# ≈ 27 s of system time in a 90 s build. A pool of blocks as large as the memory limit
# (`block_allocator_memory`, kept by DuckDB rather than handed back) and jemalloc's freed pages
# kept until DuckDB itself purges them: ≈ 4.5 M faults, system time ≈ 16.5 s, the build
# 87.0–93.1 → 79.0–84.1 s, the process's peak unchanged at 5.0 GiB (benchmarks/README.md,
# round 23).
BLOCK_MEMORY_ENV = "BOARDSHIFT_DUCKDB_BLOCK_MEMORY"
JEMALLOC_ENV = "DUCKDB_JE_MALLOC_CONF"  # read by DuckDB's own jemalloc when the process starts
JEMALLOC_CONF = "dirty_decay_ms:-1,muzzy_decay_ms:-1"


def block_memory(limit: str) -> str:
    """`block_allocator_memory` for a DuckDB held to `limit`: the same amount, or none ("0B",
    DuckDB's default) where DuckDB refuses that much (more than its address space for blocks,
    80 % of the machine's memory) or the limit itself."""
    try:
        duckdb.connect(config={"memory_limit": limit, "block_allocator_memory": limit}).close()
    except duckdb.Error:
        return "0B"
    return limit


def connect_build(path: Path) -> duckdb.DuckDBPyConnection:
    """A writable connection to a build file, within the memory limit."""
    return duckdb.connect(str(path), config={"memory_limit": memory_limit()})


def build_path(db: Path) -> Path:
    return db.with_name(db.name + ".next")


@contextlib.contextmanager
def writer_lock(db: Path) -> Iterator[None]:
    """Refuse a second concurrent build of the same database with a clear message."""
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    handle = lock_path.open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BoardshiftError(
                f"另一个 boardshift 正在更新 {db}，请等它结束后再运行 (another run is building this database)"
            ) from exc
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def fresh_build_file(db: Path) -> Path:
    """An empty build path beside the published file (left-overs of a killed run removed)."""
    path = build_path(db)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    return path


def copy_for_build(db: Path) -> Path:
    """A build file that starts as a copy of the published database."""
    if not db.exists():
        raise BoardshiftError(f"数据库 {db} 不存在：请先运行 boardshift ingest 或 boardshift run")
    path = fresh_build_file(db)
    shutil.copyfile(db, path)
    return path


def publish(build: Path, db: Path) -> None:
    """Checkpoint the build file, make sure nothing is left in a WAL, and swap it in atomically."""
    con = duckdb.connect(str(build))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    wal = build.with_name(build.name + ".wal")
    if wal.exists():
        raise BoardshiftError(f"内部错误：{build} 的 WAL 未清空，未发布")
    os.replace(build, db)


def discard(build: Path) -> None:
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)


def connect_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    if not db.exists():
        raise BoardshiftError(f"数据库 {db} 不存在：请先运行 boardshift run")
    return duckdb.connect(str(db), read_only=True)

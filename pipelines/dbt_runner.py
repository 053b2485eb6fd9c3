"""Running `dbt build` as a subprocess against a build file (in-process dbt keeps the file locked)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import dbt_worker, warehouse
from pipelines.errors import BoardshiftError

PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
AS_OF_ENV = "BOARDSHIFT_AS_OF_DATE"  # read by int_progress_weeks (env_var), unless --vars sets it
_COMMON = ["--no-use-colors"]
_PROGRESS = re.compile(r"\b(\d+) of (\d+) (START|OK|PASS|FAIL|ERROR|WARN|SKIP)\b")
THREADS_ENV = "BOARDSHIFT_DBT_THREADS"  # dbt's --threads for every build, if set
PARALLEL_THREADS = 4
PARALLEL_MAX_PERSON_ROWS = 1_000_000  # board members + candidates loaded


@dataclass
class DbtResult:
    passed: int
    warned: int
    failed: int
    skipped: int
    nodes: int


def build(db: Path, work_dir: Path, on_progress: Callable[[int, int, str], None] | None = None,
          select: str | None = None, as_of: dt.date | None = None,
          variables: dict[str, str] | None = None, unit_tests: bool = False) -> DbtResult:
    """`dbt build` on `db`; raises BoardshiftError naming the failing models and tests.

    `as_of` is the day the progress marts are judged on; it reaches dbt as the environment
    variable BOARDSHIFT_AS_OF_DATE, not as `--vars`: a new `--vars` value makes dbt re-parse the
    whole project (parse ≈ 3.6 s instead of ≈ 1 s), a new env_var value only the model that
    reads it (≈ 1.5 s). `variables`
    become `--vars` (and take precedence in the models). The unit tests (SQL on fixed fixtures,
    whatever the data) are left out unless `unit_tests`: the test suite runs them
    (`unit_tests()`); the data tests always run.
    """
    with start_build(db, work_dir, select, as_of, variables, unit_tests) as started:
        return started.run(on_progress)


def start_build(db: Path, work_dir: Path, select: str | None = None,
                as_of: dt.date | None = None, variables: dict[str, str] | None = None,
                unit_tests: bool = False) -> Started:
    """Start the `dbt build` of `build()` before `db` is ready: dbt is imported and the project
    parsed now (≈ 3 s that overlap the load); the build itself waits for `Started.run()`."""
    args = ["build"]
    if select:
        args += ["--select", select]
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    if variables:
        args += ["--vars", json.dumps(variables)]
    return Started(args, db, work_dir, as_of)


def data_tests(db: Path, work_dir: Path, select: str) -> DbtResult:
    """`dbt test --select <select>` on `db` (data tests only), whose models must exist; raises
    BoardshiftError naming the failing tests and their first rows."""
    with Started(["test", "--select", select, "--exclude-resource-type", "unit_test"],
                 db, work_dir, None) as started:
        return started.run()


def unit_tests(db: Path, work_dir: Path) -> DbtResult:
    """`dbt test --select test_type:unit` on `db`, whose models must exist (dbt reads the column
    types of a unit test's inputs from the database). Raises BoardshiftError on a failure."""
    with Started(["test", "--select", "test_type:unit"], db, work_dir, None) as started:
        return started.run()


def invocation(command: list[str], db: Path, work_dir: Path, as_of: dt.date | None = None,
               project_dir: Path = PROJECT_DIR,
               module: str = "dbt.cli.main") -> tuple[list[str], dict[str, str]]:
    """The dbt command line and environment for `command` on `db` (also used by the benchmarks).

    target/ (with partial_parse.msgpack) and logs/ go to `work_dir`, which the caller keeps
    between runs: dbt then re-parses only what changed, as long as the command-line vars and the
    profile (the db path) are the same. `module` runs it: dbt's own command line, or
    `pipelines.dbt_worker` (parse now, the command when told).
    """
    args = [
        sys.executable, "-m", module, *command,
        "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
        "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"),
        *_COMMON,
    ]
    limit = warehouse.memory_limit()
    env = {
        # dbt's log file at info level (what stdout shows): at debug it also logs every
        # statement of every node, ≈ 7 % of a build's time on small data. Set
        # DBT_LOG_LEVEL_FILE=debug to get the statements back.
        "DBT_LOG_LEVEL_FILE": "info",
        # DuckDB keeps the memory it frees (warehouse.py, BLOCK_MEMORY_ENV); a value the user
        # set is kept
        warehouse.JEMALLOC_ENV: warehouse.JEMALLOC_CONF,
        **os.environ, "BOARDSHIFT_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        warehouse.MEMORY_ENV: limit, warehouse.BLOCK_MEMORY_ENV: warehouse.block_memory(limit)}
    env.pop(AS_OF_ENV, None)
    if as_of is not None:
        env[AS_OF_ENV] = as_of.isoformat()
    return args, env


def threads_for(db: Path) -> int:
    """How many dbt nodes run at once on the loaded build file `db` (dbt's `--threads`).

    Several at once overlap dbt's own work of a node (≈ 15–25 ms of Python: compiling, logging,
    a cursor) with the DuckDB queries of others: at city scale the build takes ≈ 25 % less on 2
    cores. But all nodes share one DuckDB memory limit and the machine's memory: at the province
    (3.6 M person rows) four gained nothing in the benchmark and the peak went 1.8 → 3.9 GiB; at
    the nation two member-level models at once each spill the other's data (round 5, 4 GB:
    97 of 140 nodes done after 333 s, when one node at a time built all in ≈ 250 s). So
    PARALLEL_THREADS up to PARALLEL_MAX_PERSON_ROWS loaded person rows, else 1 (one model at a
    time, as in profiles.yml); BOARDSHIFT_DBT_THREADS=N sets it for every build.
    """
    setting = os.environ.get(THREADS_ENV, "").strip()
    if setting:
        if not setting.isdigit() or int(setting) < 1:
            raise BoardshiftError(f"{THREADS_ENV}={setting!r}：应为正整数 (a positive integer)")
        return int(setting)
    try:
        con = warehouse.connect_read_only(db)
        try:
            rows = con.execute("select (select count(*) from raw.board_members)"
                               " + (select count(*) from raw.candidates)").fetchall()[0][0]
        finally:
            con.close()
    except (BoardshiftError, duckdb.Error):  # nothing loaded: dbt will say what is missing
        return 1
    return PARALLEL_THREADS if rows <= PARALLEL_MAX_PERSON_ROWS else 1


class Started:
    """One dbt command in its own process (pipelines.dbt_worker), started ahead of its database.

    The process imports dbt and parses the project at once, without opening the database;
    `run()` tells it to go and waits for the result. Leaving the `with` block without `run()`
    (the load failed) ends the process before it touches the database.
    """

    def __init__(self, command: list[str], db: Path, work_dir: Path,
                 as_of: dt.date | None) -> None:
        if not (PROJECT_DIR / "dbt_project.yml").exists():
            raise BoardshiftError(f"找不到 dbt 项目：{PROJECT_DIR}")
        self.command = command
        self.db = db
        self.work_dir = work_dir
        self.output: list[str] = []  # what the process printed (dbt's log lines), once run
        args, env = invocation(command, db, work_dir, as_of, module="pipelines.dbt_worker")
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env,
                                     cwd=str(PROJECT_DIR))

    def __enter__(self) -> Started:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the process if it still runs: closing its stdin cancels a build not yet told to go."""
        proc = self.proc
        if proc.poll() is None:
            try:
                assert proc.stdin is not None
                proc.stdin.close()
            except OSError:
                pass
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None and not stream.closed:
                stream.close()

    def run(self, on_progress: Callable[[int, int, str], None] | None = None,
            threads: int | None = None) -> DbtResult:
        """Let the command go on the (now ready) database with `threads` dbt threads (default:
        threads_for() the database); raises BoardshiftError when it fails."""
        proc = self.proc
        assert proc.stdin is not None and proc.stdout is not None
        (self.work_dir / "target" / "run_results.json").unlink(missing_ok=True)  # not a stale one
        if threads is None:
            threads = threads_for(self.db)
        try:
            proc.stdin.write(f"{dbt_worker.GO} {threads}\n")
            proc.stdin.close()
        except OSError:  # the process has already ended: its parse failed
            pass
        lines = self.output
        for line in proc.stdout:
            lines.append(line.rstrip())
            match = _PROGRESS.search(line)
            if match and on_progress and match.group(3) != "START":
                on_progress(int(match.group(1)), int(match.group(2)), line.strip())
        code = proc.wait()
        result = _results(self.work_dir / "target" / "run_results.json")
        if code != 0:
            bad = [ln for ln in lines if re.search(r"\b(FAIL|ERROR)\b|Error|error|failed", ln)]
            detail = "\n".join(bad[-15:]) if bad else "\n".join(lines[-15:])
            rows = failing_rows(self.db, self.work_dir / "target" / "run_results.json")
            if rows:
                detail += "\n失败的数据测试找到的行 (failing rows of the data tests):\n" + "\n".join(rows)
            raise BoardshiftError(f"dbt {self.command[0]} 失败（退出码 {code}）；"
                                  f"日志见 {self.work_dir / 'logs'}：\n{detail}")
        return result


def failing_rows(db: Path, run_results: Path, tests: int = 5, rows: int = 5) -> list[str]:
    """The first `rows` rows of each failing data test (at most `tests`), e.g.
    `not_null_columns_one_down_one_up: column_name=age_down, null_rows=3`.

    dbt itself only says "Got 3 results"; the rows say what failed (which column is NULL, which
    value is not accepted, which key repeats). Each test's compiled SQL is re-run on `db`,
    read-only, after dbt has exited (the build file is discarded after a failure). Best effort:
    a test whose query fails here is left out.
    """
    if not run_results.exists():
        return []
    failed = [r for r in json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
              if r.get("status") == "fail" and r.get("unique_id", "").startswith("test.")
              and r.get("compiled_code")]
    if not failed:
        return []
    out: list[str] = []
    try:
        con = duckdb.connect(str(db), read_only=True,
                             config={"memory_limit": warehouse.memory_limit()})
    except duckdb.Error:
        return []
    try:
        for result in failed[:tests]:
            name = result["unique_id"].split(".")[2]
            try:
                cursor = con.execute(
                    f"select * from ({result['compiled_code']}\n) as failing limit {rows}")
                columns = [d[0] for d in cursor.description]
                found = cursor.fetchall()
            except duckdb.Error:
                continue
            out += [f"  {name}: " + ", ".join(f"{c}={v}" for c, v in zip(columns, row, strict=True))
                    for row in found]
    finally:
        con.close()
    return out


def _results(path: Path) -> DbtResult:
    if not path.exists():
        return DbtResult(0, 0, 0, 0, 0)
    data = json.loads(path.read_text(encoding="utf-8"))
    statuses = [r.get("status") for r in data.get("results", [])]
    return DbtResult(
        passed=sum(s in ("success", "pass") for s in statuses),
        warned=sum(s == "warn" for s in statuses),
        failed=sum(s in ("fail", "error") for s in statuses),
        skipped=sum(s == "skipped" for s in statuses),
        nodes=len(statuses),
    )

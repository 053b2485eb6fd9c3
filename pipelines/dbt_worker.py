"""A dbt process started before its database is ready: `python -m pipelines.dbt_worker ARGS…`.

Importing dbt and parsing the project (≈ 3 s, whatever the data) does not need the database, so
`dbt_runner.start` launches this process while the raw files are still being loaded: it imports
dbt and parses (`dbt parse` with the same flags, which does not open the DuckDB file), then waits
for one line on stdin. `build` runs the dbt command ARGS with the parsed manifest (no second
parse) and exits with dbt's code (0 ok, 1 a model or test failed, 2 dbt itself failed); `build N`
does so with N threads (dbt's `--threads`, chosen once the data is loaded); anything else, or end
of input (the load failed and the caller closed the pipe), exits 3 without touching the
database. One process per build, as before: when it exits, the DuckDB file is closed and
checkpointed (in-process dbt would keep it locked).
"""

from __future__ import annotations

import logging
import multiprocessing.util
import os
import signal
import sys
from pathlib import Path

GO = "build"
CANCELLED = 3
NO_WRITE_JSON = "--no-write-json"  # the command's: the parse has written manifest.json
_PARSE_FLAGS = {"--project-dir", "--profiles-dir", "--target-path", "--log-path", "--vars"}
_PARSE_SWITCHES = {"--no-use-colors"}


def parse_args(command: list[str]) -> list[str]:
    """The `dbt parse` command line for `command`: the flags that shape the manifest, the same.

    The parse writes manifest.json (and dbt's partial-parse state) while the raw files load;
    the command then runs with `--no-write-json` (writing the manifest again at its end took
    ≈ 0.2 s after the last node at city scale) and run_results.json is written here
    (`write_run_results`).
    """
    args = ["parse"]
    i = 1
    while i < len(command):
        if command[i] in _PARSE_FLAGS and i + 1 < len(command):
            args += command[i:i + 2]
            i += 2
            continue
        if command[i] in _PARSE_SWITCHES:
            args.append(command[i])
        i += 1
    return args


def main(command: list[str]) -> int:
    # Ctrl-C in the terminal reaches this process too: until told to go, the caller decides
    # (it closes stdin), so an interrupted load does not print a dbt traceback as well.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from dbt.cli.main import dbtRunner

    parsed = dbtRunner().invoke(parse_args(command))
    sys.stdout.flush()
    if not parsed.success:
        print(f"dbt parse failed: {parsed.exception or 'see the log above'}", flush=True)
        return 2
    go = sys.stdin.readline().split()
    if not go or go[0] != GO or len(go) > 2 or not all(word.isdigit() for word in go[1:]):
        return CANCELLED
    signal.signal(signal.SIGINT, signal.default_int_handler)
    threads = ["--threads", go[1]] if len(go) == 2 else []  # not part of the parse
    result = dbtRunner(manifest=parsed.result).invoke([*command, *threads, NO_WRITE_JSON])
    write_run_results(result.result, command)
    sys.stdout.flush()
    if result.success:
        return 0
    return 2 if result.exception is not None else 1


def target_path(command: list[str]) -> Path:
    """dbt's target folder for `command`: its `--target-path` (dbt_runner always gives one),
    else `target` in the working folder (the project's, where dbt_runner starts this process)."""
    if "--target-path" in command[:-1]:
        return Path(command[command.index("--target-path") + 1])
    return Path("target")


def write_run_results(outcome: object, command: list[str]) -> None:
    """run_results.json of the command, as dbt writes it with `--write-json`: each node's status,
    timing and failures (dbt_runner reads it). Nothing when dbt itself failed before running."""
    if hasattr(outcome, "write"):
        path = target_path(command) / "run_results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        outcome.write(str(path))


def exit_now(code: int) -> None:
    """Exit with `code` once the database is closed and the output written, without tearing the
    interpreter down: freeing dbt's modules and objects one by one takes ≈ 0.5 s, after the
    work is done. The DuckDB connection is closed (which checkpoints the file and releases its
    lock) and the log handlers flushed first; if dbt-duckdb no longer keeps its connection where
    we look, this falls back to a normal exit.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # the parse failed before dbt-duckdb was loaded
        sys.exit(code)
    if not hasattr(DuckDBConnectionManager, "_ENV"):
        sys.exit(code)
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
        DuckDBConnectionManager.close_all_connections()
    multiprocessing.util._exit_function()  # dbt's named semaphores: unlinked, not "leaked"
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main(sys.argv[1:]))

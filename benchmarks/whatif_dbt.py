"""What if dbt ran differently? Evidence for the dbt settings, with dbt's fixed cost broken down.

    .venv/bin/python -m benchmarks.whatif_dbt RAW_DIR [--variants current views …] [--repeat 3]
    .venv/bin/python -m benchmarks.whatif_dbt --db LOADED.duckdb …   # a database already loaded

Loads RAW_DIR once (run.run_ingest; or takes a loaded database), then, for each variant, runs
`dbt build` as the pipeline does (dbt_runner.invocation: same command line and environment) on
a fresh copy of the loaded database, against a *copy* of dbt_project/ (the repository's project
is not touched). Each variant keeps its own dbt work dir, so after one untimed priming run every
timed run parses warm (partial parsing), as a pipeline run with a kept `.dbt` dir does. Variants
are timed round-robin (variant A, B, …, A, B, …) so that the load of a shared machine spreads
over all of them; medians are printed.

* `current`: the project and the flags as the pipeline runs them (intermediate tables, unit
  tests excluded, as-of date as an environment variable);
* `views`: intermediate models as views (before: every model and data test that read one
  recomputed it);
* `staging_tables`: staging models as tables too (they are views over the loaded tables);
* `unit_tests`: the unit tests included (before: every production run ran them);
* `threads_2`: `threads: 2` in the profile (2 cores);
* `log_file_info`: `--log-level-file info` (the debug log file has every query of every node);
* `no_write_json`: `--no-write-json` (no manifest.json / run_results.json / graph.gpickle;
  dbt_runner reads run_results.json, so this is only a measurement);
* `quiet`: `--quiet` (no per-node lines on stdout; dbt_runner's progress needs them);
* `models_only`: `--exclude-resource-type test unit_test` — the models alone (a lower bound, not
  a recommendation).

Phases of one run, from the wall clock, dbt's log and run_results.json: `start` (interpreter and
`import dbt` until dbt logs "Running with dbt"), `parse` (until "Found … models"), `setup`
(adapter, schema list, cache; until the first node), `nodes` (first node start → last node end,
split into the summed node time by kind and `between`, dbt's bookkeeping between nodes) and
`end` (artifacts written, connections closed, interpreter exit). `cpu` is the user + system CPU
time of the dbt process: on a shared machine it varies much less than the wall time.

`--parse` also times `dbt parse` alone: cold (no target/), warm, warm after a new `--vars`
value (what a daily `--vars '{as_of_date: …}'` cost) and warm after a new
BOARDSHIFT_AS_OF_DATE value (what the pipeline does now), and `import dbt.cli.main`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run_benchmark import dbt_top_nodes
from pipelines import dbt_runner, run
from pipelines.progress import Progress

VARIANTS = ("current", "views", "staging_tables", "unit_tests", "threads_2", "log_file_info",
            "no_write_json", "quiet", "models_only")
AS_OF = dt.date(2026, 11, 25)
PHASES = ("start", "parse", "setup", "nodes", "end")


def project_copy(dest: Path, variant: str) -> Path:
    project = dest / "dbt_project"
    shutil.copytree(dbt_runner.PROJECT_DIR, project,
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    if variant == "views":
        yml = project / "dbt_project.yml"
        text, n = re.subn(r"(intermediate:\n(?:\s+#[^\n]*\n)*\s+\+materialized:) table", r"\1 view",
                          yml.read_text(encoding="utf-8"))
        assert n == 1, "dbt_project.yml: intermediate materialization not found"
        yml.write_text(text, encoding="utf-8")
    if variant == "staging_tables":
        yml = project / "dbt_project.yml"
        text, n = re.subn(r"(staging:\n(?:\s+#[^\n]*\n)*\s+\+materialized:) view", r"\1 table",
                          yml.read_text(encoding="utf-8"))
        assert n == 1, "dbt_project.yml: staging materialization not found"
        yml.write_text(text, encoding="utf-8")
    if variant == "threads_2":
        profiles = project / "profiles.yml"
        text, n = re.subn(r"threads: \d+", "threads: 2", profiles.read_text(encoding="utf-8"))
        assert n == 1, "profiles.yml: threads not found"
        profiles.write_text(text, encoding="utf-8")
    return project


def build_command(variant: str) -> list[str]:
    """`dbt build` and its selection as dbt_runner.build passes them, plus the variant's flags."""
    command = ["build", "--exclude-resource-type", "unit_test"]
    if variant == "unit_tests":
        command = ["build"]
    if variant == "models_only":
        command = ["build", "--exclude-resource-type", "test", "unit_test"]
    extra = {"log_file_info": ["--log-level-file", "info"], "no_write_json": ["--no-write-json"],
             "quiet": ["--quiet"]}
    return command + extra.get(variant, [])


def _log_section(logs: Path) -> tuple[str, dt.date]:
    text = (logs / "dbt.log").read_text(encoding="utf-8")
    heads = list(re.finditer(r"^=+ (\d\d:\d\d:\d\d\.\d+) \| [0-9a-f-]+ =+$", text, re.M))
    return text[heads[-1].start():], dt.date.today()


def _log_time(section: str, pattern: str, day: dt.date) -> float | None:
    match = re.search(r"^(\d\d:\d\d:\d\d\.\d+) [^\n]*" + pattern, section, re.M)
    if not match:
        return None
    return dt.datetime.combine(day, dt.time.fromisoformat(match.group(1))).timestamp()


def phases(work: Path, started: float, ended: float) -> dict[str, Any]:
    """Phases of the last run in `work` (see the module docstring), in seconds."""
    section, day = _log_section(work / "logs")
    running = _log_time(section, r"Running with dbt=", day)
    found = _log_time(section, r"\[MainThread\]: Found \d+ model", day)
    first = _log_time(section, r"\]: 1 of \d+ START ", day)
    finished = _log_time(section, r"\[MainThread\]: Finished running ", day)
    out: dict[str, Any] = {"wall": ended - started}
    if None in (running, found, first, finished):
        return out
    assert running and found and first and finished
    out.update(start=running - started, parse=found - running, setup=first - found,
               nodes=finished - first, end=ended - finished,
               full_parse="Unable to do partial parsing" in section)
    nodes = dbt_top_nodes(work / "target", top=6) if "--no-write-json" not in section else {}
    if nodes:
        out["node_seconds_by_kind"] = nodes["node_seconds_by_kind"]
        out["between"] = out["nodes"] - sum(nodes["node_seconds_by_kind"].values())
        out["n_nodes"] = nodes["nodes"]
        out["slowest"] = nodes["slowest"]
    return out


def measure(loaded: Path, work: Path, variant: str, project: Path) -> dict[str, Any]:
    build = work / "build.duckdb"
    shutil.copyfile(loaded, build)
    args, env = dbt_runner.invocation(build_command(variant), build, work / ".dbt", AS_OF,
                                      project_dir=project)
    (work / ".dbt" / "target" / "run_results.json").unlink(missing_ok=True)
    load = os.getloadavg()[0]
    cpu = _child_cpu()
    started = time.time()
    proc = subprocess.run(args, env=env, cwd=project, capture_output=True, text=True)
    ended = time.time()
    cpu = _child_cpu() - cpu
    if proc.returncode != 0:
        raise RuntimeError(f"{variant}: dbt build failed\n{proc.stdout[-3000:]}")
    return {"variant": variant, "load1": load, "cpu": cpu, "db_bytes": build.stat().st_size,
            **phases(work / ".dbt", started, ended)}


def _child_cpu() -> float:
    """User + system CPU seconds of the finished child processes: steadier than wall time on a
    shared machine (other processes' load stretches the wall time, not this)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parse_seconds(loaded: Path, work: Path, repeat: int) -> dict[str, Any]:
    """`dbt parse` cold, warm, after a new --vars value, after a new as-of env value."""
    project = project_copy(work / "parse", "current")
    dbt_work = work / "parse" / ".dbt"
    runs: dict[str, list[float]] = {}

    def timed(label: str, as_of: dt.date | None, *extra: str) -> None:
        args, env = dbt_runner.invocation(["parse", *extra], loaded, dbt_work, as_of,
                                          project_dir=project)
        cpu = _child_cpu()
        started = time.perf_counter()
        subprocess.run(args, env=env, cwd=project, check=True, capture_output=True)
        runs.setdefault(label, []).append(time.perf_counter() - started)
        runs.setdefault(label + "_cpu", []).append(_child_cpu() - cpu)

    for i in range(repeat):
        shutil.rmtree(dbt_work / "target", ignore_errors=True)
        timed("cold", AS_OF)
        timed("warm", AS_OF)
        day = AS_OF + dt.timedelta(days=i + 1)
        timed("warm_new_env_as_of", day)            # as the pipeline passes it now
        timed("warm_vars", None, "--vars", json.dumps({"as_of_date": day.isoformat()}))
        timed("warm_new_vars_value", None, "--vars",
              json.dumps({"as_of_date": (day + dt.timedelta(days=1)).isoformat()}))
        cpu = _child_cpu()
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import dbt.cli.main"], check=True)
        runs.setdefault("import_dbt", []).append(time.perf_counter() - started)
        runs.setdefault("import_dbt_cpu", []).append(_child_cpu() - cpu)
    return {k: statistics.median(v) for k, v in runs.items()} | {"runs": runs}


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": len(rows)}
    for key in ("wall", "cpu", *PHASES, "between"):
        values = [r[key] for r in rows if key in r]
        if values:
            out[key] = statistics.median(values)
    kinds = {k for r in rows for k in r.get("node_seconds_by_kind", {})}
    out["node_seconds_by_kind"] = {
        k: statistics.median(r["node_seconds_by_kind"].get(k, 0.0) for r in rows
                             if "node_seconds_by_kind" in r) for k in sorted(kinds)}
    out["n_nodes"] = rows[-1].get("n_nodes")
    out["db_bytes"] = rows[-1]["db_bytes"]
    out["load1"] = statistics.median(r["load1"] for r in rows)
    out["slowest"] = rows[-1].get("slowest")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("raw", type=Path, nargs="?")
    source.add_argument("--db", type=Path, help="an already loaded database (run_ingest)")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parse", action="store_true", help="also time `dbt parse` alone")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="boardshift-whatif-dbt-"))
    try:
        loaded = work / "loaded.duckdb"
        if args.db:
            shutil.copyfile(args.db, loaded)
        else:
            run.run_ingest(args.raw, loaded, Progress(quiet=True))
        result: dict[str, Any] = {"as_of": AS_OF.isoformat(), "variants": {}}
        if args.parse:
            result["parse"] = parse_seconds(loaded, work, args.repeat)
            print("dbt parse: " + ", ".join(f"{k} {v:.2f} s" for k, v in result["parse"].items()
                                            if k != "runs"), flush=True)
        projects = {}
        for variant in args.variants:
            (work / variant).mkdir()
            projects[variant] = project_copy(work / variant, variant)
            measure(loaded, work / variant, variant, projects[variant])  # priming: cold parse
        rows: dict[str, list[dict[str, Any]]] = {v: [] for v in args.variants}
        for _ in range(args.repeat):
            for variant in args.variants:
                rows[variant].append(measure(loaded, work / variant, variant, projects[variant]))
        for variant in args.variants:
            s = summary(rows[variant])
            result["variants"][variant] = {**s, "each": rows[variant]}
            print(f"{variant:14s} cpu {s['cpu']:6.2f} s, wall {s['wall']:6.2f} s = "
                  + " + ".join(f"{p} {s[p]:.2f}" for p in PHASES if p in s)
                  + (f"; nodes: between {s['between']:.2f}, " if "between" in s else "; ")
                  + ", ".join(f"{k} {v:.2f}" for k, v in s["node_seconds_by_kind"].items())
                  + f" ({s['n_nodes']} nodes, load {s['load1']:.1f})", flush=True)
        if args.json:
            args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

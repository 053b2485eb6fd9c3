"""What if the dbt project were configured differently? Evidence for the recommendations.

    .venv/bin/python -m benchmarks.whatif_dbt RAW_DIR [--variants baseline intermediate_tables …]

Loads RAW_DIR once (run.run_ingest), then runs the pipeline's own `dbt_runner.build` on a fresh
copy of the loaded database for each variant of a *copy* of dbt_project/ (the project in the
repository is not touched):

* `baseline`: the project as it is;
* `intermediate_tables`: `intermediate: +materialized: table` — each intermediate model computed
  once instead of once per mart and per test that reads it;
* `threads_2`: `threads: 2` in the profile (two nodes at a time);
* `no_unit_tests`: `--exclude-resource-type unit_test` (unit tests check the SQL on fixed
  fixtures: their result cannot depend on the data, so CI is enough);
* `all`: the three together;
* `models_only`: intermediate tables and `--exclude-resource-type test unit_test` — what a run
  costs without its data tests (a lower bound for dbt, not a recommendation to drop them).

Also times `dbt parse` alone, cold (no target folder) and warm (partial parsing), which every
`dbt build` does before its first node.

Prints wall seconds, dbt's own elapsed time, the summed node time by kind (model, test,
unit_test, seed) and the slowest nodes; `--json` writes them to a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run_benchmark import dbt_top_nodes
from pipelines import dbt_runner, run
from pipelines.progress import Progress

VARIANTS = ("baseline", "intermediate_tables", "threads_2", "no_unit_tests", "all",
            "models_only")


def project_copy(dest: Path, variant: str) -> Path:
    project = dest / "dbt_project"
    shutil.copytree(dbt_runner.PROJECT_DIR, project,
                    ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    if variant in ("intermediate_tables", "all", "models_only"):
        yml = project / "dbt_project.yml"
        text = yml.read_text(encoding="utf-8")
        text, n = re.subn(r"(intermediate:\n\s+\+materialized:) view", r"\1 table", text)
        assert n == 1, "dbt_project.yml: intermediate materialization not found"
        yml.write_text(text, encoding="utf-8")
    if variant in ("threads_2", "all"):
        profiles = project / "profiles.yml"
        text, n = re.subn(r"threads: \d+", "threads: 2", profiles.read_text(encoding="utf-8"))
        assert n == 1, "profiles.yml: threads not found"
        profiles.write_text(text, encoding="utf-8")
    return project


def dbt_command(project: Path, work: Path, command: str, *extra: str) -> list[str]:
    """The command dbt_runner.build runs, for another project folder and extra arguments."""
    return [sys.executable, "-m", "dbt.cli.main", command, "--project-dir", str(project),
            "--profiles-dir", str(project), "--target-path", str(work / "target"),
            "--log-path", str(work / "logs"), "--no-use-colors", *extra]


def measure(loaded: Path, work: Path, variant: str) -> dict[str, Any]:
    project = project_copy(work / variant, variant)
    build = work / variant / "build.duckdb"
    shutil.copyfile(loaded, build)
    dbt_work = work / variant / ".dbt"
    extra = ["--vars", json.dumps({"as_of_date": dt.date.today().isoformat()})]
    if variant in ("no_unit_tests", "all"):
        extra += ["--exclude-resource-type", "unit_test"]
    if variant == "models_only":
        extra += ["--exclude-resource-type", "test", "unit_test"]
    env = {**os.environ, "BOARDSHIFT_DB": str(build), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    proc = subprocess.run(dbt_command(project, dbt_work, "build", *extra), env=env,
                          cwd=project, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{variant}: dbt build failed\n{proc.stdout[-3000:]}")
    nodes = dbt_top_nodes(dbt_work / "target", top=10)
    return {"variant": variant, "seconds": seconds, "db_bytes": build.stat().st_size, **nodes}


def parse_seconds(loaded: Path, work: Path) -> dict[str, float]:
    project = project_copy(work / "parse", "baseline")
    env = {**os.environ, "BOARDSHIFT_DB": str(loaded), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    out = {}
    for label in ("cold", "warm"):
        started = time.perf_counter()
        subprocess.run(dbt_command(project, work / "parse" / ".dbt", "parse",
                                   "--vars", '{"as_of_date": "2026-01-01"}'),
                       env=env, cwd=project, check=True, capture_output=True)
        out[label] = time.perf_counter() - started
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import dbt.cli.main"], check=True)
    out["import_dbt"] = time.perf_counter() - started
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="boardshift-whatif-dbt-"))
    try:
        loaded = work / "loaded.duckdb"
        run.run_ingest(args.raw, loaded, Progress(quiet=True))
        results: list[dict[str, Any]] = []
        parse = parse_seconds(loaded, work)
        print("dbt parse: " + ", ".join(f"{k} {v:.2f} s" for k, v in parse.items()), flush=True)
        results.append({"variant": "parse", **parse})
        for _ in range(args.repeat):
            for variant in args.variants:
                shutil.rmtree(work / variant, ignore_errors=True)
                (work / variant).mkdir()
                r = measure(loaded, work, variant)
                results.append(r)
                print(f"{variant:20s} {r['seconds']:7.2f} s wall, {r['nodes']} nodes, dbt elapsed "
                      f"{r['elapsed']:.2f} s, node seconds "
                      + ", ".join(f"{k} {v:.2f}" for k, v in r["node_seconds_by_kind"].items()),
                      flush=True)
                print("   slowest: " + "; ".join(f"{n} {s}" for n, s in r["slowest"][:6]),
                      flush=True)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                 encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

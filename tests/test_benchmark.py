"""The benchmark runner (benchmarks/run_benchmark.py) at its smallest scale, as a user runs it.

The README's scale figures come from this script; here it runs once on a subdistrict and its
JSON and table are checked: every step timed, the floor's marts equal to the pipeline's, and
the CPU seconds it reports are the kernel's, within what two processes' clocks can hold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_at_a_subdistrict(tmp_path: Path) -> None:
    results = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run_benchmark", "--scales", "subdistrict",
         "--repeat", "1", "--work", str(tmp_path / "work"), "--results", str(results)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "BOARDSHIFT_ID_KEY": "test-benchmark"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads((results / "subdistrict.json").read_text(encoding="utf-8"))
    run = result["runs"][0]
    assert run["e2e"]["exit"] == 0
    assert "error" not in run["steps"]
    assert result["floor_vs_pipeline"]["one_down_one_up"]["mismatches"] == {}
    cores = len(os.sched_getaffinity(0))
    # CPU seconds: something, and no more than the cores could give in the wall time
    for cpu, wall in [(run["e2e"]["cpu_seconds"], run["e2e"]["seconds"]),
                      (run["floor"]["cpu_seconds"], run["floor"]["seconds"]),
                      *[(run["steps"][s]["cpu_seconds"], run["steps"][s]["seconds"])
                        for s in ("ingest", "dbt_build", "export")]]:
        assert 0 < cpu <= wall * cores + 0.5, (cpu, wall)
    assert 0 <= run["e2e"]["cpu_system_seconds"] < run["e2e"]["cpu_seconds"]
    # the dbt worker is a child process: its CPU (importing dbt alone takes over a second) is
    # counted in the dbt step, not lost
    assert run["steps"]["dbt_build"]["cpu_seconds"] > 1.0
    # memory is sampled for the sequential steps alone: a sampler thread for each part of each
    # batch took the GIL from the validation it was timing (the nation's ingest up to ≈ 25 % slower)
    assert all(run["steps"][s]["peak_rss_tree"] > 0 for s in ("ingest", "dbt_build", "export"))
    assert not [s for s in ("read", "validate", "pseudonymise", "load", "crosscheck")
                if "peak_rss_tree" in run["steps"][s]]
    assert run["steps"]["validate"]["calls"] >= 2 and run["steps"]["validate"]["seconds"] > 0
    # the end-to-end run counts its children too: at least the steps' CPU, less a margin
    steps_cpu = sum(run["steps"][s]["cpu_seconds"] for s in ("ingest", "dbt_build", "export"))
    assert run["e2e"]["cpu_seconds"] > 0.5 * steps_cpu
    assert result["median"]["cpu"]["e2e"] == run["e2e"]["cpu_seconds"]
    table = proc.stdout[proc.stdout.index("| scale |"):]
    assert "| CPU s (run / floor) | cores busy (run / floor) |" in table
    row = next(line for line in table.splitlines() if line.startswith("| subdistrict |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[-2] == f"{run['e2e']['cpu_seconds']:.2f} / {run['floor']['cpu_seconds']:.2f}"
    busy = run["e2e"]["cpu_seconds"] / run["e2e"]["seconds"]
    assert cells[-1].startswith(f"{busy:.2f} / ")

"""boardshift from one subdistrict to a whole country, measured against the DuckDB floor.

    .venv/bin/python -m benchmarks.run_benchmark [--scales subdistrict district city nation]
                                                 [--repeat 3] [--format parquet] [--work DIR]

For each scale, in this one process: write a synthetic raw folder (pipelines.scale_data, in a
child process so its memory does not count; not timed as part of the pipeline), then `repeat`
times

* **end to end**: `python -m pipelines.cli run` as a child process (the user's experience,
  interpreter start-up and imports included);
* **per step**, with the pipeline's own functions in this process, exactly as run.run_all chains
  them: ingest streams each file through read (readers.read), validate (validate.validate),
  pseudonymise (privacy.pseudonymise) and load (load.insert), each summed over its calls, then
  the cross-table checks (crosscheck.findings) — pseudonymise and load on ingest's loading
  thread, overlapping validation; dbt build (dbt_runner.Started.run: a `dbt` child process
  started before ingest, which imports dbt and parses meanwhile, timed from the go to its end),
  publish (warehouse.publish), export (exports.export); the sum is ingest + those three;
* **floor**: benchmarks/floor.sql in DuckDB (this process) straight from the raw files.

Times are wall-clock seconds; the table shows medians. CPU seconds (user + system, the kernel's
own accounting) are recorded too: of the end-to-end child and every process it waited for
(wait4), of each sequential step (this process and the children it reaped meanwhile: the dbt
worker's CPU, its import and parse during ingest included, counts in `dbt_build`) and of the
floor; CPU ÷ wall says how many of the cores the work kept busy. Peak memory is sampled every 20 ms from
/proc as the summed RSS of the process tree (a child's RSS is separate from its parent's:
`dbt` runs as a subprocess), and cross-checked with the kernel's ru_maxrss (wait4 for the end-to-end
child: the largest single process of that tree). The floor's marts are compared with the
pipeline's (row counts and every column). Results go to benchmarks/results/<scale>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.floor import compare_marts, run_floor
from pipelines import (
    crosscheck,
    dbt_runner,
    exports,
    ingest,
    load,
    privacy,
    readers,
    run,
    scale_data,
    validate,
    warehouse,
)
from pipelines.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SCALES = ("subdistrict", "district", "city", "nation")
# ingest interleaves read → validate → pseudonymise → load per file (batch); each is summed.
# Since round 3 pseudonymise + load run on a second thread while the next batch is validated,
# and dbt imports and parses during ingest: the wall time is ingest + the SEQUENTIAL steps.
STEPS = ("read", "validate", "pseudonymise", "load", "crosscheck", "dbt_build", "publish",
         "export")
SEQUENTIAL = ("ingest", "dbt_build", "publish", "export")
STEP_LABELS = {"ingest": "ingest (wall)", "read": "read", "validate": "validate", "pseudonymise": "pseudonymise",
               "load": "load", "crosscheck": "cross-table checks", "dbt_build": "dbt build",
               "publish": "publish", "export": "export"}
PAGE = os.sysconf("SC_PAGE_SIZE")
SNAPSHOT_MARKER = ".benchmark_snapshot"
# files of this benchmark that a snapshot of a commit may not have yet
OWN_FILES = ("benchmarks", "pipelines/scale_data.py")
GIB = 1024 ** 3
LARGE_ROWS = 1_000_000  # from this many person rows on, --repeat-large applies
# The day the runs are as of (the progress marts' as-of date, the future-date checks): mid-way
# through the synthetic data's coming round, so the weekly progress is that of a round in progress
# (a dozen weeks) whatever the day the benchmark runs.
AS_OF = dt.date.fromisoformat(scale_data.PROGRESS_AS_OF)


# ---------------------------------------------------------------- memory of a process tree
def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return found
    for task in tasks:  # a thread that ends between the listing and the read is skipped alone
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo += _children(p)
    return pids


def rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (FileNotFoundError, ProcessLookupError):
        return 0


class Sampler:
    """Peak summed RSS of a process tree, sampled in a thread; kills the tree over `limit`."""

    def __init__(self, root: int, limit: int | None = None, interval: float = 0.02,
                 kill_root: bool = False) -> None:
        self.root, self.limit, self.interval, self.kill_root = root, limit, interval, kill_root
        self.peak = 0
        self.start_rss = sum(rss(p) for p in tree(root))
        self.killed = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = tree(self.root)
            total = sum(rss(p) for p in pids)
            self.peak = max(self.peak, total)
            if self.limit and total > self.limit and not self.killed:
                self.killed = True
                for p in reversed(pids):  # only processes this benchmark started
                    if p != os.getpid() and (p != self.root or self.kill_root):
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(p, signal.SIGKILL)
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, sum(rss(p) for p in tree(self.root)))


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime


# ---------------------------------------------------------------- the machine
def machine() -> dict[str, Any]:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return ""

    versions = {}
    for pkg in ("duckdb", "polars", "dbt-core", "dbt-duckdb", "dataframely", "xlsxwriter",
                "pyarrow", "numpy"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    mem_kib = int(first("/proc/meminfo", "MemTotal").split()[0] or 0)
    return {
        "nproc": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)),
        "memory_gib": round(mem_kib / 1024 ** 2, 1), "cpu_model": first("/proc/cpuinfo", "model name"),
        "kernel": platform.release(), "python": platform.python_version(), **versions,
        "loadavg_at_start": os.getloadavg(),
    }


def code_state() -> dict[str, Any]:
    """Which code was measured: the commit and the files changed on top of it."""
    marker = ROOT / SNAPSHOT_MARKER
    if marker.exists():  # a clean snapshot (--snapshot): exactly that commit + the benchmark files
        return {"commit": marker.read_text().strip(), "changed": [], "snapshot": str(ROOT)}

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {"commit": git("rev-parse", "HEAD"),
            "changed": [line for line in git("status", "--porcelain").splitlines()
                        if not line.endswith(("benchmarks/", "scale_data.py", "test_scale_data.py"))]}


# ---------------------------------------------------------------- one measurement of each kind
def end_to_end(raw: Path, work: Path, limit: int | None, timeout: float) -> dict[str, Any]:
    db, out = work / "e2e" / "boardshift.duckdb", work / "e2e" / "exports"
    db.parent.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw), "--db", str(db),
            "--exports", str(out), "--as-of", scale_data.PROGRESS_AS_OF, "-q"]
    log = (work / "e2e.log").open("w")
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    with Sampler(proc.pid, limit, kill_root=True) as sampler:
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                for p in reversed(tree(proc.pid)):
                    os.kill(p, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    log.close()
    tail = (work / "e2e.log").read_text(errors="replace").strip().splitlines()[-3:]
    return {"seconds": seconds, "exit": proc.returncode, "peak_rss_tree": sampler.peak,
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "cpu_system_seconds": usage.ru_stime,
            "ru_maxrss_largest_process": usage.ru_maxrss * 1024, "killed_over_limit": sampler.killed,
            "timed_out": seconds >= timeout, "log_tail": tail}


# The pipeline's own functions, timed where run.run_all calls them: (module, attribute, step).
WRAPPED = (
    (ingest, "ingest", "ingest"),  # the whole of the four below (not added to the sum)
    (readers, "read", "read"),
    (validate, "validate", "validate"),
    (privacy, "pseudonymise", "pseudonymise"),
    (load, "insert", "load"),
    (crosscheck, "findings", "crosscheck"),
    (dbt_runner.Started, "run", "dbt_build"),  # from the go to the end (parse is earlier)
    (warehouse, "publish", "publish"),
    (exports, "export", "export"),
)


def _timing_wrapper(fn: Callable[..., Any], step: str, record: dict[str, Any],
                    limit: int | None) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        # Only the sequential steps are sampled for memory (the ingest's covers its parts): a
        # sampler is a thread of this process, and one more for each part of each batch, at
        # 50 reads of /proc a second each, took the GIL from validation often enough to make
        # the nation's ingest up to ≈ 25 % slower than unwrapped (round 21).
        entry = record.setdefault(step, {"seconds": 0.0, "calls": 0})
        sampling = step in SEQUENTIAL
        if sampling:
            gc.collect()
        started, cpu = time.perf_counter(), cpu_seconds()
        with Sampler(os.getpid(), limit) if sampling else contextlib.nullcontext() as sampler:
            if sampler is not None:
                entry.setdefault("start_rss", sampler.start_rss)
            try:
                value = fn(*args, **kwargs)
            except BaseException as exc:
                entry["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
                raise
            finally:
                entry["seconds"] += time.perf_counter() - started
                entry["calls"] += 1
                if sampler is not None:
                    entry["peak_rss_tree"] = max(entry.get("peak_rss_tree", 0), sampler.peak)
                if sampling:  # the threaded steps share the process's CPU: not apart
                    entry["cpu_seconds"] = entry.get("cpu_seconds", 0.0) + cpu_seconds() - cpu
        if step == "ingest":
            result = value
            record["rows"] = {"read": result.rows_read, "quarantined": result.quarantine.height,
                              "findings": result.findings.height}
            record["quarantine_reasons"] = dict(
                result.quarantine.group_by("reason_code").len().sort("reason_code").iter_rows())
            record["finding_codes"] = dict(
                result.findings.group_by("finding_code").len().sort("finding_code").iter_rows())
        return value

    return timed


def steps(raw: Path, work: Path, limit: int | None) -> dict[str, Any]:
    """run.run_all in this process, each pipeline function timed where run_all calls it."""
    db, out = work / "steps" / "boardshift.duckdb", work / "steps" / "exports"
    record: dict[str, Any] = {}
    originals = [(module, name, getattr(module, name)) for module, name, _ in WRAPPED]
    for module, name, step in WRAPPED:
        setattr(module, name, _timing_wrapper(getattr(module, name), step, record, limit))
    started = time.perf_counter()
    try:
        run.run_all(raw, db, out, Progress(quiet=True), AS_OF)
    except Exception as exc:  # recorded: a step that fails at this scale is a result too
        record["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
        record["traceback"] = traceback.format_exc(limit=4)[-1500:]
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
    record["seconds"] = time.perf_counter() - started
    record["other_seconds"] = record["seconds"] - sum(
        record[s]["seconds"] for s in SEQUENTIAL if s in record)
    record["dbt_top_nodes"] = dbt_top_nodes(db.parent / ".dbt" / "target")
    record["db"] = str(db)
    return record


def dbt_top_nodes(target: Path, top: int = 8) -> dict[str, Any]:
    """Where dbt's time goes: the slowest nodes and the total node time from run_results.json."""
    path = target / "run_results.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    nodes = sorted(((r["unique_id"], r.get("execution_time") or 0.0) for r in data["results"]),
                   key=lambda x: -x[1])
    by_kind: dict[str, float] = {}
    count: dict[str, int] = {}
    for uid, secs in nodes:
        kind = uid.split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + secs
        count[kind] = count.get(kind, 0) + 1
    return {"elapsed": data.get("elapsed_time"), "nodes": len(nodes), "nodes_by_kind": count,
            "node_seconds_by_kind": by_kind,
            "slowest": [[u.split(".", 2)[-1], round(s, 3)] for u, s in nodes[:top]]}


def floor(raw: Path, work: Path, fmt: str, limit: int | None) -> dict[str, Any]:
    db, out = work / "floor" / "floor.duckdb", work / "floor" / "exports"
    db.parent.mkdir(parents=True, exist_ok=True)
    gc.collect()
    started, cpu = time.perf_counter(), cpu_seconds()
    with Sampler(os.getpid(), limit) as sampler:
        try:
            sections = run_floor(raw, db, out, fmt)
        except Exception as exc:  # recorded, not fatal: the other scales still run
            return {"seconds": None, "failed_after": time.perf_counter() - started,
                    "error": f"{type(exc).__name__}: {str(exc)[:300]}", "sections": {},
                    "peak_rss_tree": sampler.peak, "start_rss": sampler.start_rss, "db": None}
    return {"seconds": sections.pop("total"), "sections": sections, "peak_rss_tree": sampler.peak,
            "cpu_seconds": cpu_seconds() - cpu, "start_rss": sampler.start_rss, "db": str(db)}


# ---------------------------------------------------------------- one scale
def generate(scale: str, raw: Path, fmt: str, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipelines.scale_data", "--scale", scale, "--out",
                    str(raw), "--format", fmt, "--seed", str(seed)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    readme = (raw / "README.md").read_text(encoding="utf-8")
    summary = json.loads(readme.split("```json", 1)[1].split("```", 1)[0])
    summary["generate_seconds_wall"] = round(time.perf_counter() - started, 2)
    return summary


def _median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def bench_scale(scale: str, args: argparse.Namespace, work_root: Path) -> dict[str, Any]:
    work = work_root / scale
    raw = work / "raw"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    print(f"[{scale}] generating …", flush=True)
    data = generate(scale, raw, args.format, args.seed)
    rows = data["member_rows"] + data["candidate_rows"]
    print(f"[{scale}] {data['districts']:,} districts, {rows:,} person rows "
          f"(generated in {data['generate_seconds_wall']} s)", flush=True)
    limit = int(args.max_rss_gib * GIB) if args.max_rss_gib else None
    runs: list[dict[str, Any]] = []
    comparison = None
    repeat = args.repeat if rows < LARGE_ROWS else args.repeat_large
    for i in range(repeat):
        run: dict[str, Any] = {"repeat": i + 1, "loadavg": os.getloadavg()}
        if not args.skip_e2e:
            run["e2e"] = end_to_end(raw, work, limit, args.timeout)
            print(f"[{scale}] #{i + 1} end to end {run['e2e']['seconds']:.2f} s "
                  f"(exit {run['e2e']['exit']})", flush=True)
        e2e_ok = args.skip_e2e or (run["e2e"]["exit"] == 0 or not run["e2e"]["killed_over_limit"])
        if not args.skip_steps and e2e_ok:
            run["steps"] = steps(raw, work, limit)
            shown = "  ".join(f"{s} {run['steps'][s]['seconds']:.2f}" for s in STEPS
                              if s in run["steps"])
            print(f"[{scale}] #{i + 1} steps: {shown}"
                  + (f"  ERROR {run['steps']['error']}" if "error" in run["steps"] else ""),
                  flush=True)
        run["floor"] = floor(raw, work, args.format, limit)
        print(f"[{scale}] #{i + 1} floor {_fmt(run['floor']['seconds'])} s "
              + " ".join(f"{k} {v:.2f}" for k, v in run["floor"]["sections"].items())
              + (f" ERROR {run['floor']['error']}" if "error" in run["floor"] else ""), flush=True)
        if (comparison is None and "steps" in run and "publish" in run["steps"]
                and run["floor"]["db"]):
            comparison = compare_marts(Path(run["steps"]["db"]), Path(run["floor"]["db"]))
        runs.append(run)
    result = {
        "scale": scale, "format": args.format, "seed": args.seed, "repeat": repeat,
        "when": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
        "code": code_state(),
        "data": data, "person_rows": rows, "runs": runs, "floor_vs_pipeline": comparison,
        "median": summarise(runs),
    }
    result["machine"]["loadavg_at_end"] = os.getloadavg()
    return result


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    med: dict[str, Any] = {}
    for s in STEPS:
        med[s] = _median([r["steps"][s]["seconds"] for r in runs
                          if "steps" in r and s in r["steps"] and "error" not in r["steps"][s]])
    med["ingest"] = _median([r["steps"]["ingest"]["seconds"] for r in runs
                             if "steps" in r and "ingest" in r["steps"]])
    med["steps_sum"] = (sum(med[s] for s in SEQUENTIAL)
                        if all(med[s] is not None for s in SEQUENTIAL) else None)
    ok_e2e = [r["e2e"] for r in runs if "e2e" in r and r["e2e"]["exit"] == 0]
    med["e2e"] = _median([e["seconds"] for e in ok_e2e])
    med["e2e_failed_after"] = _median([r["e2e"]["seconds"] for r in runs
                                       if "e2e" in r and r["e2e"]["exit"] != 0])
    med["floor"] = _median([r["floor"]["seconds"] for r in runs])
    med["floor_sections"] = {k: _median([r["floor"]["sections"].get(k) for r in runs])
                             for k in runs[0]["floor"]["sections"]} if runs else {}
    total = med["e2e"] if med["e2e"] is not None else med["steps_sum"]
    med["total"] = total
    med["total_over_floor"] = (total / med["floor"]) if total and med["floor"] else None
    med["cpu"] = {
        "e2e": _median([e["cpu_seconds"] for e in ok_e2e if "cpu_seconds" in e]),
        "floor": _median([r["floor"]["cpu_seconds"] for r in runs if "cpu_seconds" in r["floor"]]),
        **{s: _median([r["steps"][s]["cpu_seconds"] for r in runs if "steps" in r
                       and "cpu_seconds" in r["steps"].get(s, {})]) for s in SEQUENTIAL},
    }
    med["peak_rss_e2e_tree"] = max((r["e2e"]["peak_rss_tree"] for r in runs if "e2e" in r),
                                   default=None)
    med["peak_rss_steps_tree"] = max(
        (max((v["peak_rss_tree"] for k, v in r["steps"].items() if k in SEQUENTIAL), default=0)
         for r in runs if "steps" in r), default=None)
    med["peak_rss_floor"] = max((r["floor"]["peak_rss_tree"] for r in runs), default=None)
    med["peak_rss_by_step"] = {  # the sequential steps (ingest: its parts together)
        s: max((r["steps"][s]["peak_rss_tree"] for r in runs if "steps" in r and s in r["steps"]),
               default=None) for s in SEQUENTIAL}
    return med


# ---------------------------------------------------------------- output
def _fmt(v: float | None, unit: str = "") -> str:
    return "—" if v is None else f"{v:.2f}{unit}"


def _gib(v: int | None) -> str:
    return "—" if not v else f"{v / GIB:.2f}"


def _label(result: dict[str, Any]) -> str:
    return result["scale"] + ("" if result["format"] == "parquet" else f" ({result['format']})")


def table(results: list[dict[str, Any]]) -> str:
    columns = ("ingest", *STEPS)
    head = ("| scale | districts | person rows | " + " | ".join(STEP_LABELS[s] for s in columns)
            + " | Σ steps | end to end | floor | total ÷ floor "
            "| peak RSS GiB (run / steps / floor) | CPU s (run / floor) | cores busy (run / floor) |")
    lines = [head, "|" + "---|" * (len(columns) + 10)]
    for r in results:
        m = r["median"]
        e2e = _fmt(m["e2e"]) if m["e2e"] is not None else (
            f"fails after {_fmt(m['e2e_failed_after'])}" if m["e2e_failed_after"] else "—")
        (run_cpu, run_busy), (floor_cpu, floor_busy) = _cpu(m, "e2e"), _cpu(m, "floor")
        lines.append(
            f"| {_label(r)} | {r['data']['districts']:,} | {r['person_rows']:,} | "
            + " | ".join(_fmt(m.get(s)) for s in columns)
            + f" | {_fmt(m['steps_sum'])} | {e2e} | {_fmt(m['floor'])} | "
            f"{_fmt(m['total_over_floor'])} | {_gib(m['peak_rss_e2e_tree'])} / "
            f"{_gib(m['peak_rss_steps_tree'])} / {_gib(m['peak_rss_floor'])} | "
            f"{_fmt(run_cpu)} / {_fmt(floor_cpu)} | {_fmt(run_busy)} / {_fmt(floor_busy)} |")
    return "\n".join(lines)


def _cpu(med: dict[str, Any], which: str) -> tuple[float | None, float | None]:
    """CPU seconds, and CPU ÷ wall (the cores kept busy), of the run (`e2e`: end to end, else
    the steps summed) or of the `floor`."""
    cpu = med.get("cpu", {})
    seconds, wall = cpu.get(which), med["floor"] if which == "floor" else med["e2e"]
    if which == "e2e" and med["e2e"] is None:
        parts = [cpu.get(s) for s in SEQUENTIAL]
        seconds = sum(parts) if all(p is not None for p in parts) else None  # type: ignore[misc]
        wall = med["steps_sum"]
    return seconds, (seconds / wall if seconds is not None and wall else None)


def run_in_snapshot(rev: str, argv: list[str], results: Path) -> int:
    """Re-run this benchmark in a clean export of commit `rev` (others may be editing the tree)."""
    snap = Path(tempfile.mkdtemp(prefix="boardshift-snapshot-"))
    try:
        commit = subprocess.run(["git", "rev-parse", rev], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout.strip()
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(snap)], input=archive, check=True)
        for own in OWN_FILES:
            src = ROOT / own
            if src.is_dir():
                shutil.copytree(src, snap / own, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("results", "__pycache__"))
            else:
                shutil.copy2(src, snap / own)
        (snap / SNAPSHOT_MARKER).write_text(commit + "\n")
        env = {**os.environ, "PYTHONPATH": str(snap)}
        print(f"measuring commit {commit[:12]} in {snap}", flush=True)
        return subprocess.run([sys.executable, "-m", "benchmarks.run_benchmark", *argv,
                               "--results", str(results.resolve())], cwd=snap, env=env).returncode
    finally:
        shutil.rmtree(snap, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=list(DEFAULT_SCALES))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-large", type=int, default=1,
                        help=f"repeats for scales of {LARGE_ROWS:,}+ person rows (province, nation)")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--work", type=Path, help="folder for data and databases (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--max-rss-gib", type=float, default=16.0,
                        help="kill a run whose process tree exceeds this (protects a shared machine)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="end-to-end run time limit (s)")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument("--skip-steps", action="store_true")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--snapshot", metavar="REV", nargs="?", const="HEAD",
                        help="measure a clean export of commit REV (default HEAD) instead of the "
                             "working tree, with this benchmark's files copied in")
    args = parser.parse_args(argv)
    if args.snapshot:
        raw_argv = list(sys.argv[1:] if argv is None else argv)
        keep: list[str] = []
        skip_next = False
        for i, a in enumerate(raw_argv):
            if skip_next:
                skip_next = False
                continue
            if a == "--snapshot":
                nxt = raw_argv[i + 1] if i + 1 < len(raw_argv) else ""
                skip_next = bool(nxt) and not nxt.startswith("--")
                continue
            if a.startswith("--snapshot="):
                continue
            if a == "--results":
                skip_next = True
                continue
            keep.append(a)
        sys.exit(run_in_snapshot(args.snapshot, keep, args.results))

    work_root = args.work or Path(tempfile.mkdtemp(prefix="boardshift-bench-"))
    work_root.mkdir(parents=True, exist_ok=True)
    args.results.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for scale in args.scales:
            result = bench_scale(scale, args, work_root)
            suffix = "" if args.format == "parquet" else f"_{args.format}"
            (args.results / f"{scale}{suffix}.json").write_text(
                json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n",
                encoding="utf-8")
            results.append(result)
            if not args.keep:
                shutil.rmtree(work_root / scale, ignore_errors=True)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work_root, ignore_errors=True)
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(
        resource.RUSAGE_CHILDREN).ru_maxrss
    print()
    print(table(results))
    print(f"\nru_maxrss: this process {usage[0] / 1024 ** 2:.2f} GiB, largest child "
          f"{usage[1] / 1024 ** 2:.2f} GiB; machine: {json.dumps(machine(), default=str)}")


if __name__ == "__main__":
    main()

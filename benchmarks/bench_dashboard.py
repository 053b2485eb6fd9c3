"""How fast each dashboard page answers on a given database (made for city scale).

    .venv/bin/python -m benchmarks.bench_dashboard --db PATH [--runs 5] [--out FILE]

Per page of dashboard/app.py, in this one process:

* **full render** — the page script under streamlit.testing.v1.AppTest (app.py: sidebar, then
  the page; queries, tables, chart specs — all Python does for a page view): the first visit and
  the median of `runs` later runs (warm: st.cache_data filled).
* **data** — the page's calls into dashboard/data.py, the module the pages use. They are not
  listed here: during the first AppTest visit every top-level call a page makes into `data` is
  recorded (function and arguments), so what is replayed is exactly what the page asked for.
  cold = the replay right after st.cache_data.clear() (every query goes to DuckDB); warm = the
  median of `runs` replays (cache hits).

Default filters (the latest term, both bodies, all subdistricts: the largest view), no sign-in.
Prints a table and writes JSON (figures, each run, the machine, the load average) to
benchmarks/results/dashboard_city.json unless --out says otherwise. No thresholds asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import inspect
import json
import os
import platform
import statistics
import subprocess
import time
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
TARGET_MS = 300  # issue 6: overview and district pages, warm, at city scale
TARGET_PAGES = ("overview", "districts", "district_detail")


# ---------------------------------------------------------------- recording data calls
class Recorder:
    """Wraps every public function of dashboard.data; records the top-level calls (a data
    function calling another is one call) while `on`."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.on = False
        self._depth = 0
        self.originals: dict[str, Callable[..., Any]] = {}

    def install(self, module: Any) -> None:
        for name, fn in vars(module).items():
            if (name.startswith("_") or not inspect.isfunction(fn)
                    or fn.__module__ != module.__name__):
                continue
            self.originals[name] = fn
            setattr(module, name, self._wrap(name, fn))

    def _wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if self.on and self._depth == 0:
                self.calls.append((name, args, kwargs))
            self._depth += 1
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth -= 1
        return wrapper


def replay(originals: dict[str, Callable[..., Any]],
           calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> float:
    start = time.perf_counter()
    for name, args, kwargs in calls:
        originals[name](*args, **kwargs)
    return time.perf_counter() - start


# ---------------------------------------------------------------- the benchmark
def measure(db: Path, runs: int) -> dict[str, dict[str, Any]]:
    os.environ["BOARDSHIFT_DB"] = str(db)
    warnings.filterwarnings("ignore")
    import streamlit as st
    import streamlit.logger
    from streamlit.testing.v1 import AppTest

    streamlit.logger.set_log_level("error")  # "No runtime found" etc., once per query

    from dashboard import data, measure

    recorder = Recorder()
    recorder.install(data)
    st.cache_data.clear()
    at = AppTest.from_file(str(measure.APP), default_timeout=600)
    recorder.on = True
    start_app = measure.timed(at.run)  # the app opens on the overview
    recorder.on = False
    _check(at, "overview")
    figures: dict[str, dict[str, Any]] = {}
    for page in measure.PAGES:
        if page == "overview":
            first = start_app
        else:
            at.switch_page(f"views/{page}.py")
            recorder.calls, recorder.on = [], True
            first = measure.timed(at.run)
            recorder.on = False
            _check(at, page)
        calls = recorder.calls
        renders = [measure.timed(at.run) for _ in range(runs)]
        _check(at, page)
        streamlit.logger.set_log_level("error")  # AppTest runs reset it
        cold = []
        for _ in range(max(1, min(runs, 3))):  # a cold replay is expensive; 3 are enough
            st.cache_data.clear()
            cold.append(replay(recorder.originals, calls))
        warm = [replay(recorder.originals, calls) for _ in range(runs)]
        figures[page] = {
            "data_cold_ms": _ms(statistics.median(cold)),
            "data_warm_ms": _ms(statistics.median(warm)),
            "render_first_ms": _ms(first),
            "render_warm_ms": _ms(statistics.median(renders)),
            "data_calls": len(calls),
            "data_functions": sorted({name for name, _, _ in calls}),
            "runs_ms": {"data_cold": [_ms(x) for x in cold], "data_warm": [_ms(x) for x in warm],
                        "render_warm": [_ms(x) for x in renders]},
            "elements": _elements(at),
        }
        recorder.calls = []
        # leave the cache warm for the next page's first visit, as a user's session would
        at.run()
    return figures


def _check(at: Any, page: str) -> None:
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _elements(at: Any) -> dict[str, int]:
    """How much the page shows: a count per element kind, rows of its tables."""
    counts = {kind: len(at.get(kind)) for kind in
              ("metric", "code", "markdown", "dataframe", "selectbox", "multiselect",
               "vega_lite_chart", "expander")}
    counts["table_rows"] = sum(len(d.value) for d in at.dataframe)
    counts["selectbox_options"] = sum(len(s.options) for s in at.selectbox)
    return {k: v for k, v in counts.items() if v}


# ---------------------------------------------------------------- context
def machine() -> dict[str, Any]:
    versions = {}
    for pkg in ("streamlit", "duckdb", "polars", "altair", "pyarrow"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    model = ""
    with contextlib.suppress(OSError):
        model = next((line.split(":", 1)[1].strip()
                      for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    return {"nproc": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)),
            "cpu_model": model, "kernel": platform.release(),
            "python": platform.python_version(), **versions}


def database(db: Path) -> dict[str, Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {table: con.sql(f"select count(*) from {table}").fetchall()[0][0]  # noqa: S608
                  for table in ("board_composition", "board_members", "one_down_one_up",
                                "one_down_one_up_rollup")}
        counts["districts"] = con.sql(
            "select count(distinct district_code) from board_composition").fetchall()[0][0]
        counts["subdistricts"] = con.sql(
            "select count(distinct subdistrict) from board_composition").fetchall()[0][0]
    finally:
        con.close()
    return {"path": str(db), "bytes": db.stat().st_size, "rows": counts}


def commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "dashboard"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+dirty" if dirty else "")


def table(figures: dict[str, dict[str, Any]]) -> str:
    head = (f"{'page':<16}{'data cold':>11}{'data warm':>11}{'render warm':>13}"
            f"{'first visit':>13}{'calls':>7}")
    lines = [head, "-" * len(head)]
    for page, f in figures.items():
        mark = " *" if page in TARGET_PAGES else ""
        lines.append(f"{page:<16}{f['data_cold_ms']:>9.0f}ms{f['data_warm_ms']:>9.1f}ms"
                     f"{f['render_warm_ms']:>11.0f}ms{f['render_first_ms']:>11.0f}ms"
                     f"{f['data_calls']:>7}{mark}")
    lines.append(f"* target: warm full render < {TARGET_MS} ms (issue 6); medians")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS / "dashboard_city.json")
    args = parser.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db} does not exist: run `boardshift run` first")
    load_start = os.getloadavg()
    started = dt.datetime.now().isoformat(timespec="seconds")
    db_info = database(args.db.resolve())
    figures = measure(args.db.resolve(), args.runs)
    result = {
        "benchmark": "dashboard pages", "started": started, "commit": commit(),
        "runs": args.runs, "filters": "latest term, both bodies, all subdistricts; not signed in",
        "target_ms": TARGET_MS, "target_pages": TARGET_PAGES,
        "machine": {**machine(), "loadavg_at_start": load_start,
                    "loadavg_at_end": os.getloadavg()},
        "database": db_info, "pages": figures,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
    print(table(figures))
    print(f"load average {load_start[0]:.1f} → {result['machine']['loadavg_at_end'][0]:.1f}; "
          f"{result['machine']['nproc']} cores; written to {args.out}")


if __name__ == "__main__":
    main()

"""Profile one `boardshift run` (run.run_all, in this process) with pyinstrument.

    .venv/bin/pip install pyinstrument     # not a project dependency
    .venv/bin/python -m benchmarks.profile_steps RAW_DIR [--out benchmarks/results/profile_city.txt]

The call tree of the Python side (read, validate, pseudonymise, load, export; dbt shows as one
wait in dbt_runner.Started.run — its nodes are timed from run_results.json by run_benchmark).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from benchmarks.run_benchmark import AS_OF
from pipelines import run
from pipelines.progress import Progress


def main(argv: list[str] | None = None) -> None:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--interval", type=float, default=0.01)
    parser.add_argument("--show-polars", action="store_true", help="keep polars' own frames")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="boardshift-profile-"))
    profiler = Profiler(interval=args.interval)
    try:
        profiler.start()
        try:
            run.run_all(args.raw, work / "db.duckdb", work / "exports", Progress(quiet=True),
                        AS_OF)
        except Exception as exc:  # a failing step is still worth the profile up to it
            print(f"run failed: {type(exc).__name__}: {str(exc)[:300]}")
        finally:
            profiler.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False)
    if not args.show_polars:
        text = "\n".join(line for line in text.splitlines()
                         if not any(s in line for s in ("engine.py", "<built-in>", "_collect_eager",
                                                         "polars/_utils", "wrapper  polars")))
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

"""Markdown tables from benchmarks/results/*.json (the README's results and growth tables).

    .venv/bin/python -m benchmarks.report [--results benchmarks/results]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from benchmarks.run_benchmark import GIB, RESULTS, SEQUENTIAL, table

ORDER = ("subdistrict", "district", "city", "province", "nation")


def load(folder: Path) -> list[dict[str, Any]]:
    results = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")
               if not p.name.startswith(("whatif_", "dashboard_"))]
    return sorted(results, key=lambda r: (r["format"] != "parquet",
                                          ORDER.index(r["scale"]) if r["scale"] in ORDER else 99))


def growth(results: list[dict[str, Any]]) -> str:
    """Seconds and GiB per million person rows, and growth against the smallest scale."""
    rows = [r for r in results if r["format"] == "parquet"]
    if not rows:
        return ""
    base = rows[0]
    lines = ["| scale | person rows | × rows | read+validate µs/row | dbt build s | export s "
             "| end to end s | × time | floor s | × floor | peak RSS GiB | × RSS |",
             "|" + "---|" * 12]
    for r in rows:
        m, b = r["median"], base["median"]
        n = r["person_rows"]

        def ratio(a: float | None, z: float | None) -> str:
            return f"{a / z:.1f}" if a and z else "—"

        rv = (m["read"] + m["validate"]) if m.get("read") is not None else m.get("read_validate")
        total = m["e2e"] or m["e2e_failed_after"]
        lines.append(
            f"| {r['scale']} | {n:,} | {n / base['person_rows']:.0f} | "
            f"{_num(rv / n * 1e6 if rv else None)} | {_num(m['dbt_build'])} | "
            f"{_num(m['export'])} | {_num(total)}"
            f"{'' if m['e2e'] else ' (killed)'} | {ratio(m['e2e'], b['e2e'])} | "
            f"{m['floor'] or float('nan'):.2f} | {ratio(m['floor'], b['floor'])} | "
            f"{(m['peak_rss_e2e_tree'] or 0) / GIB:.2f} | "
            f"{ratio(m['peak_rss_e2e_tree'], b['peak_rss_e2e_tree'])} |")
    return "\n".join(lines)


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def machines(results: list[dict[str, Any]]) -> str:
    seen = []
    for r in results:
        m = r["machine"]
        line = (f"{m['nproc']} cores ({m['cpu_model']}), {m['memory_gib']} GiB, Linux "
                f"{m['kernel']}, Python {m['python']}, duckdb {m['duckdb']}, polars {m['polars']}, "
                f"dbt-core {m['dbt-core']}, dbt-duckdb {m['dbt-duckdb']}")
        if line not in seen:
            seen.append(line)
    commits = sorted({(r["scale"], r["format"], r["code"]["commit"][:12],
                       round(sum(x["loadavg"][0] for x in r["runs"]) / len(r["runs"]), 1))
                      for r in results})
    return "\n".join(seen) + "\n\n" + "\n".join(
        f"- {s} ({f}): commit {c}, mean 1-min load average during the runs {la}"
        for s, f, c, la in commits)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = load(args.results)
    print(table(results))
    print()
    print(growth(results))
    print()
    print(machines(results))
    print()
    for r in results:
        steps = r["runs"][0].get("steps", {})
        nodes = steps.get("dbt_top_nodes") or {}
        if nodes:
            print(f"{r['scale']} ({r['format']}): dbt nodes {nodes.get('nodes')}, "
                  f"elapsed {nodes['elapsed']:.1f} s, by kind "
                  + ", ".join(f"{k} {v:.1f}" for k, v in nodes["node_seconds_by_kind"].items())
                  + "; slowest " + "; ".join(f"{n} {s}" for n, s in nodes["slowest"][:5]))
        peaks = {s: round((v or 0) / GIB, 2) for s, v in r["median"]["peak_rss_by_step"].items()
                 if s in SEQUENTIAL}
        print(f"   peak RSS by step (GiB): {peaks}; floor sections: "
              f"{r['runs'][0]['floor']['sections']}")


if __name__ == "__main__":
    main()

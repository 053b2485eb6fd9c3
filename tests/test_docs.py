"""The docs stay true to the code: the generated contract and marts pages, the dbt sources, the
README's quick start and its Scale table (the results files it names)."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipelines import contract_doc, load

ROOT = Path(__file__).resolve().parent.parent


def test_contract_doc_is_current() -> None:
    committed = (ROOT / "docs" / "data_contract.md").read_text(encoding="utf-8")
    assert committed == contract_doc.render(), "run `make docs` and commit docs/data_contract.md"


def test_dbt_sources_match_the_loaded_tables() -> None:
    sources = yaml.safe_load((ROOT / "dbt_project/models/staging/_sources.yml").read_text("utf-8"))
    (raw,) = [s for s in sources["sources"] if s["name"] == "raw"]
    documented = {t["name"]: [c["name"] for c in t.get("columns", [])] for t in raw["tables"]}
    loaded = {name: [c for c, _, _ in cols] for name, cols in load.TABLES.items() if name != "run_info"}
    assert documented == loaded


def test_readme_quick_start_has_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Quick start")
    block = readme[start:].split("```")[1]
    commands = [ln for ln in block.splitlines()[1:] if ln.strip() and not ln.startswith("#")]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_marts_doc_is_current() -> None:
    from pipelines import marts_doc

    committed = (ROOT / "docs" / "marts.md").read_text(encoding="utf-8")
    assert committed == marts_doc.render(), "run `python -m pipelines.marts_doc --write`"


def test_readme_scale_table_is_its_results_files() -> None:
    """Each row of the README's Scale table is the medians of the results folder it names."""
    import json
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Scale (where we stand)"):]
    folder = ROOT / re.search(r"Results: `(benchmarks/results/[\w/]+)/`\.", section).group(1)
    header = next(ln for ln in section.splitlines() if ln.startswith("| scale | districts |"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    rows = section.split(header, 1)[1].splitlines()[2:]  # past the header's own line end and |---|
    rows = rows[:next(i for i, ln in enumerate(rows) if not ln.startswith("|"))]
    assert len(rows) == 5
    for line in rows:
        cells = dict(zip(columns, (c.strip() for c in line.strip("|").split("|")), strict=True))
        result = json.loads((folder / f"{cells['scale']}.json").read_text(encoding="utf-8"))
        median = result["median"]
        assert int(cells["person rows"].replace(",", "")) == result["person_rows"]
        assert int(cells["districts"].replace(",", "")) == result["data"]["districts"]
        for column, key in (("ingest¹", "ingest"), ("dbt build²", "dbt_build"),
                            ("export", "export"), ("end to end", "e2e"), ("floor", "floor"),
                            ("÷ floor", "total_over_floor")):
            shown = cells[column]
            decimals = len(shown.split(".")[1]) if "." in shown else 0
            assert float(shown) == round(median[key], decimals), (cells["scale"], column)
        peak = median["peak_rss_e2e_tree"] / 2**30
        assert cells["peak RSS³"] == f"{peak:.2f} GiB", cells["scale"]

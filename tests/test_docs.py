"""The docs stay true to the code: the generated contract page and the dbt sources."""

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

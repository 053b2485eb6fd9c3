"""The project's own generic data test `not_null_columns` (dbt_project/tests/generic/) catches
what the per-column `not_null` tests it replaced caught, and its failure names the column.

Each case copies the database that the real pipeline built from the hand-checked fixture
(conftest.fixture_db), puts a NULL where a model must have none, and runs the real dbt
(pipelines.dbt_runner, a subprocess) on the copy.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines import dbt_runner
from pipelines.errors import BoardshiftError

PROJECT = Path(__file__).resolve().parent.parent / "dbt_project"


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # one folder and one database path for the module: the second dbt run parses warm
    return tmp_path_factory.mktemp("dbt_tests")


def _copy(fixture_db: Path, work: Path, sql: str) -> Path:
    db = work / "broken.duckdb"
    shutil.copyfile(fixture_db, db)
    con = duckdb.connect(str(db))
    try:
        con.execute(sql)
    finally:
        con.close()
    return db


def _failed_tests(work: Path) -> dict[str, int]:
    results = json.loads((work / ".dbt" / "target" / "run_results.json").read_text("utf-8"))
    return {r["unique_id"].split(".")[2]: r["failures"] for r in results["results"]
            if r["status"] == "fail"}


def test_a_null_in_mart_columns_fails_and_names_each_column(fixture_db: Path,
                                                            work: Path) -> None:
    # one_down_one_up's non-key columns are checked together; the key keeps its own tests
    db = _copy(fixture_db, work, "update one_down_one_up set age_down = null, status = null "
                                 "where district_code = '0001'")
    with pytest.raises(BoardshiftError) as info:
        dbt_runner.data_tests(db, work / ".dbt", "one_down_one_up")
    message = str(info.value)
    # dbt's own line names the test; the rows appended by dbt_runner name the columns
    assert "FAIL 2 not_null_columns_one_down_one_up" in message
    assert "not_null_columns_one_down_one_up: column_name=age_down, null_rows=1" in message
    assert "not_null_columns_one_down_one_up: column_name=status, null_rows=1" in message
    # only that test failed (unique/not_null on board_id, relationships, accepted_values pass)
    assert _failed_tests(work) == {"not_null_columns_one_down_one_up": 2}


def test_a_raw_null_reaching_a_staging_view_fails_the_build(fixture_db: Path,
                                                            work: Path) -> None:
    # a loaded row without a term (the loader never lets one through; dbt is the second net)
    db = _copy(fixture_db, work, "update raw.elections set term = null "
                                 "where district_code = '0002'")
    with pytest.raises(BoardshiftError) as info:
        dbt_runner.build(db, work / ".dbt", select="stg_elections")
    assert "not_null_columns_stg_elections: column_name=term, null_rows=" in str(info.value)
    assert set(_failed_tests(work)) == {"not_null_columns_stg_elections"}


def test_every_non_key_not_null_check_is_one_query_per_model() -> None:
    """Per column only the keys' `unique` + `not_null`; every other not-NULL column is listed in
    its model's single `not_null_columns` test, and only columns the model documents."""
    import yaml

    paths = [*(PROJECT / "models").rglob("*.yml"), *(PROJECT / "seeds").rglob("*.yml")]
    checked = 0
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node in [*doc.get("models", []), *doc.get("seeds", [])]:
            columns = {c["name"]: [t if isinstance(t, str) else next(iter(t))
                                   for t in c.get("data_tests", []) or []]
                       for c in node.get("columns", [])}
            for column, tests in columns.items():
                if "not_null" in tests:
                    assert "unique" in tests, f"{node['name']}.{column}: not_null on a non-key"
            lists = [t["not_null_columns"] for t in node.get("data_tests", []) or []
                     if isinstance(t, dict) and "not_null_columns" in t]
            assert len(lists) <= 1, f"{node['name']}: more than one not_null_columns"
            for spec in lists:
                assert spec["name"] == f"not_null_columns_{node['name']}"
                names = spec["arguments"]["column_names"]
                assert names and set(names) <= set(columns), f"{node['name']}: {names}"
                assert len(set(names)) == len(names)
                checked += len(names)
    assert checked >= 100  # the 105 per-column not_null tests it replaced

"""The project's own generic data tests (dbt_project/tests/generic/) — `not_null_columns` and
`accepted_values_columns`, one query per model — catch what the per-column `not_null` and
`accepted_values` tests they replaced caught, and their failures name the column (and value);
`relationships_columns` (dbt's `relationships` for a key of several columns) names the key; the
singular test of the candidate ↔ member pairing names the side whose rows it does not hold once.

Each case copies the database that the real pipeline built from the hand-checked fixture
(conftest.fixture_db), puts a NULL or a value that is not accepted where a model must have none,
and runs the real dbt (pipelines.dbt_runner, a subprocess) on the copy.
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


def _rows(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _failed_tests(work: Path) -> dict[str, int]:
    results = json.loads((work / ".dbt" / "target" / "run_results.json").read_text("utf-8"))
    return {r["unique_id"].split(".")[2]: r["failures"] for r in results["results"]
            if r["status"] == "fail"}


def test_a_null_in_mart_columns_fails_and_names_each_column(fixture_db: Path,
                                                            work: Path) -> None:
    # one_down_one_up's not-NULL columns (its key too) are checked together
    db = _copy(fixture_db, work, "update one_down_one_up set age_down = null, status = null "
                                 "where district_code = '0001'")
    with pytest.raises(BoardshiftError) as info:
        dbt_runner.data_tests(db, work / ".dbt", "one_down_one_up")
    message = str(info.value)
    # dbt's own line names the test; the rows appended by dbt_runner name the columns
    assert "FAIL 2 not_null_columns_one_down_one_up" in message
    assert "not_null_columns_one_down_one_up: column_name=age_down, null_rows=1" in message
    assert "not_null_columns_one_down_one_up: column_name=status, null_rows=1" in message
    # only that test failed (unique on board_id and relationships pass; so do the accepted
    # values: a NULL status is accepted, as in dbt's accepted_values)
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


def test_a_null_key_fails_the_models_not_null_columns(fixture_db: Path, work: Path) -> None:
    # a key's not-NULL check is in its model's list too (its `unique` stays per column);
    # no relationships test points at this key, so nothing else fails
    db = _copy(fixture_db, work, "update one_down_one_up_rollup set rollup_id = null")
    rows = _rows(db, "select count(*) from one_down_one_up_rollup")
    assert rows >= 1
    with pytest.raises(BoardshiftError) as info:
        dbt_runner.data_tests(db, work / ".dbt", "one_down_one_up_rollup")
    assert (f"not_null_columns_one_down_one_up_rollup: column_name=rollup_id, "
            f"null_rows={rows}") in str(info.value)
    assert _failed_tests(work) == {"not_null_columns_one_down_one_up_rollup": 1}


def test_a_bad_value_in_mart_columns_fails_and_names_each_column_and_value(
        fixture_db: Path, work: Path) -> None:
    # one_down_one_up's accepted values (body, status) are checked together
    db = _copy(fixture_db, work, "update one_down_one_up set body = 'council', "
                                 "status = 'sideways' where district_code = '0001'")
    bad = _rows(db, "select count(*) from one_down_one_up where district_code = '0001'")
    assert bad >= 1
    with pytest.raises(BoardshiftError) as info:
        dbt_runner.data_tests(db, work / ".dbt", "one_down_one_up")
    message = str(info.value)
    # one failing row per column and value, as dbt's accepted_values counts values
    assert "FAIL 2 accepted_values_columns_one_down_one_up" in message
    assert (f"accepted_values_columns_one_down_one_up: column_name=body, value=council, "
            f"rows={bad}") in message
    assert (f"accepted_values_columns_one_down_one_up: column_name=status, value=sideways, "
            f"rows={bad}") in message
    assert _failed_tests(work) == {"accepted_values_columns_one_down_one_up": 2}


def test_rows_of_an_election_missing_from_the_other_model_fail_relationships_columns(
        fixture_db: Path, work: Path) -> None:
    # the candidate ↔ member pairing holds its election as three columns (no board_id); its
    # multi-column relationships test finds the rows of an election int_elections_summarised
    # lacks, and names the key and its row count
    election = "district_code = '0001' and body = 'party' and term = 2021"
    db = _copy(fixture_db, work, f"delete from intermediate.int_elections_summarised where {election}")
    rows = _rows(db, "select count(*) from intermediate.int_elections_candidates_matched_to_members"
                     f" where {election}")
    assert rows >= 1
    with pytest.raises(BoardshiftError) as info:
        dbt_runner.data_tests(db, work / ".dbt", "int_elections_candidates_matched_to_members")
    assert ("relationships_columns_int_elections_candidates_matched_to_members: "
            f"district_code=0001, body=party, term=2021, child_rows={rows}") in str(info.value)
    assert _failed_tests(work) == {
        "relationships_columns_int_elections_candidates_matched_to_members": 1}


def test_an_id_key_on_two_candidate_rows_of_an_election_fails_the_pairing(
        fixture_db: Path, work: Path) -> None:
    # the pairing's id_key pass does not rank: the loader keeps one row per person and board
    # (duplicate_person). A candidate row repeated in raw (dbt is the second net) would pair
    # twice with its member; the singular test counts each side's rows and names the side.
    paired = ("select c.source_row from raw.candidates c join raw.board_members m "
              "using (district_code, body, term, id_key) order by c.source_row limit 1")
    db = _copy(fixture_db, work, "insert into raw.candidates select * replace "
                                 "(source_row + 100000 as source_row) from raw.candidates "
                                 f"where source_row = ({paired})")
    members = _rows(db, "select count(*) from raw.board_members")
    with pytest.raises(BoardshiftError) as info:
        dbt_runner.build(db, work / ".dbt", select="int_elections_candidates_matched_to_members")
    assert ("assert_pairing_holds_each_candidate_and_member_row_once: side=board_members, "
            f"rows_in_model={members + 1}, rows_loaded={members}") in str(info.value)
    assert _failed_tests(work) == {"assert_pairing_holds_each_candidate_and_member_row_once": 1}


def test_a_bad_raw_value_reaching_a_staging_view_fails_the_build(fixture_db: Path,
                                                                 work: Path) -> None:
    # values the loader never lets through (dbt is the second net): a text one and a number
    # (education_level's values are `quote: false`)
    db = _copy(fixture_db, work, "update raw.board_members set gender = 'X', education_level = 9 "
                                 "where source_row = (select min(source_row) "
                                 "from raw.board_members)")
    bad = _rows(db, "select count(*) from raw.board_members where gender = 'X'")
    with pytest.raises(BoardshiftError) as info:
        dbt_runner.build(db, work / ".dbt", select="stg_board_members")
    message = str(info.value)
    assert (f"accepted_values_columns_stg_board_members: column_name=gender, value=X, "
            f"rows={bad}") in message
    assert (f"accepted_values_columns_stg_board_members: column_name=education_level, "
            f"value=9, rows={bad}") in message
    assert _failed_tests(work) == {"accepted_values_columns_stg_board_members": 2}


def _test_names(tests: list) -> list[str]:
    return [t if isinstance(t, str) else next(iter(t)) for t in tests or []]


def test_data_tests_are_per_column_only_on_keys_and_one_query_per_model_otherwise() -> None:
    """Per column only a key's `unique` (and `relationships`); every not-NULL column, keys
    included, is listed in its model's single `not_null_columns` test, and every column's
    accepted values in its model's single `accepted_values_columns` test — only columns the
    model documents."""
    import yaml

    paths = [*(PROJECT / "models").rglob("*.yml"), *(PROJECT / "seeds").rglob("*.yml")]
    not_null = accepted = 0
    for path in paths:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node in [*doc.get("models", []), *doc.get("seeds", [])]:
            model = node["name"]
            columns = {c["name"]: _test_names(c.get("data_tests"))
                       for c in node.get("columns", [])}
            for column, tests in columns.items():
                assert set(tests) <= {"unique", "relationships"}, f"{model}.{column}: {tests}"
            model_tests = node.get("data_tests", []) or []
            assert set(_test_names(model_tests)) <= {"not_null_columns", "accepted_values_columns",
                                                     "relationships_columns"}, model
            for spec in (t["relationships_columns"] for t in model_tests
                         if "relationships_columns" in t):
                # a key of several columns, which the model documents
                assert spec["name"] == f"relationships_columns_{model}"
                assert set(spec["arguments"]["column_names"]) <= set(columns), model
            specs = {kind: [t[kind] for t in model_tests if kind in t]
                     for kind in ("not_null_columns", "accepted_values_columns")}
            for kind, found in specs.items():
                assert len(found) <= 1, f"{model}: more than one {kind}"
                for spec in found:
                    assert spec["name"] == f"{kind}_{model}"

            names = [n for spec in specs["not_null_columns"]
                     for n in spec["arguments"]["column_names"]]
            assert set(names) <= set(columns), f"{model}: {names}"
            assert len(set(names)) == len(names), model
            keys = {c for c, tests in columns.items() if "unique" in tests}
            assert keys <= set(names), f"{model}: key {keys - set(names)} may be NULL"
            not_null += len(names)

            for spec in specs["accepted_values_columns"]:
                by_column = spec["arguments"]["values_by_column"]
                assert by_column and set(by_column) <= set(columns), f"{model}: {by_column}"
                for column, values in by_column.items():
                    if isinstance(values, dict):
                        assert set(values) <= {"values", "quote"}, f"{model}.{column}"
                        values = values["values"]
                    assert isinstance(values, list) and values, f"{model}.{column}"
                    assert len(set(values)) == len(values), f"{model}.{column}"
                accepted += len(by_column)
    # the 130 per-column not_null and 37 accepted_values tests they replaced (less the one
    # not-NULL board_id of int_board_members_aged, a model merged into the next one in round 7,
    # and the 8 of progress_weekly, a view since round 13 whose rows the wall chart's own
    # not-NULL test covers: every milestone, in the as-of week)
    assert not_null >= 123
    assert accepted >= 37

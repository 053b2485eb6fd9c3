"""The scale generator (pipelines/scale_data.py) and the DuckDB floor (benchmarks/floor.sql).

Only the small scales run here: the generator is deterministic, its ID numbers are valid, every
planted fault ends in the quarantine or the findings, and the floor computes the same marts as
the real pipeline.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from benchmarks.floor import compare_marts, run_floor
from pipelines import contract, idcard, ingest, scale_data, values

ROOT = Path(__file__).resolve().parent.parent
DATA_SUFFIXES = (".parquet", ".csv")


def data_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in DATA_SUFFIXES}


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    raw = tmp_path_factory.mktemp("district")
    return raw, scale_data.write_scale(raw, "district", seed=7)


# ---------------------------------------------------------------- the generator
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_same_seed_same_bytes(tmp_path: Path, fmt: str) -> None:
    a = scale_data.write_scale(tmp_path / "a", "subdistrict", seed=11, fmt=fmt)
    b = scale_data.write_scale(tmp_path / "b", "subdistrict", seed=11, fmt=fmt)
    c = scale_data.write_scale(tmp_path / "c", "subdistrict", seed=12, fmt=fmt)
    files_a, files_b = data_files(tmp_path / "a"), data_files(tmp_path / "b")
    assert len(files_a) == 9 and all(name.endswith(fmt) for name in files_a)
    assert files_a == files_b
    assert {k: v for k, v in a.items() if k != "seconds"} == {
        k: v for k, v in b.items() if k != "seconds"}
    assert data_files(tmp_path / "c") != files_a
    assert c["faults"].keys() == a["faults"].keys()


def test_shape_of_a_district(district: tuple[Path, dict]) -> None:
    raw, summary = district
    assert summary["districts"] == 300 and 10 <= summary["subdistricts"] <= 16
    assert summary["terms"] == [2015, 2018, 2021]
    boards = summary["boards"]["party"] + summary["boards"]["residents"]
    assert summary["boards"]["party"] == 300 and 280 <= summary["boards"]["residents"] <= 300
    assert summary["elections"] == 3 * boards
    # ≈ 4.1 members per board and round (a city of 12,100 boards: ≈ 49,000 members a round)
    assert 3.8 * 3 * boards < summary["member_rows"] < 4.4 * 3 * boards
    members = pl.read_parquet(raw / "board_members_2021.parquet")
    candidates = pl.read_parquet(raw / "candidates_2021.parquet")
    assert members.columns == list(scale_data.MEMBER_COLUMNS)
    assert candidates.columns == list(scale_data.CANDIDATE_COLUMNS)
    assert all(dtype == pl.String for dtype in members.dtypes + candidates.dtypes)
    # every contract column name is canonical, and every column is one the contract knows
    for frame, table in ((members, "board_members"), (candidates, "candidates")):
        assert set(frame.columns) <= set(contract.TABLES[table].column_names)
    # candidates: party ≥ ceil(1.2 × seats), residents seats + 1…3 (planted extra rows aside)
    elections = pl.read_parquet(raw / "elections.parquet").filter(pl.col("term") == "2021")
    per_board = (candidates.filter(pl.col("term").is_not_null()
                                   & ~pl.col("district_code").str.ends_with("999"))
                 .unique().group_by("district_code", "body").len("candidates"))
    body = pl.col("body").replace_strict(
        {w: b for b, w in zip(scale_data.BODIES, scale_data.BODY_WORDS_BY_TERM[2021],
                              strict=True)})
    joined = per_board.with_columns(body).join(
        elections.with_columns(pl.col("seats").cast(pl.Int64)), on=["district_code", "body"])
    party = joined.filter(pl.col("body") == "party")
    residents = joined.filter(pl.col("body") == "residents")
    assert (party["candidates"] >= (party["seats"] * 6 + 4) // 5).all()
    extra = residents["candidates"] - residents["seats"]
    assert extra.min() >= 1 and extra.max() <= 3


def test_some_people_sit_on_both_boards(district: tuple[Path, dict]) -> None:
    """交叉任职 and 一肩挑 as on real rosters (the demo data in raw/: 28 % of the member rows are a
    person on both boards, half the districts have 一肩挑): the same ID number on both boards of a
    district and term, never twice on one board."""
    raw, summary = district
    words = {w: b for words in scale_data.BODY_WORDS_BY_TERM.values()
             for b, w in zip(scale_data.BODIES, words, strict=True)}
    members = (pl.concat([pl.read_parquet(p) for p in sorted(raw.glob("board_members_*"))])
               .filter(pl.col("term").is_not_null() & ~pl.col("district_code").str.ends_with("999"))
               .with_columns(pl.col("body").replace_strict(words)))
    person = ["district_code", "term", "id_number"]
    # a person twice on one board: only the planted duplicates
    planted = sum(faults["duplicate_person"] for name, faults in summary["faults"].items()
                  if name.startswith("board_members"))
    assert members.height - members.select(*person, "body").n_unique() == planted
    members = members.unique(subset=[*person, "body"], keep="first")
    # ID order codes 000–499 are drawn for party boards, 500–999 for committees: a committee row
    # below 500 is a party member of the same district, so no two people share an ID number
    code = pl.col("id_number").str.slice(14, 3).cast(pl.Int32)
    party_ids = members.filter(pl.col("body") == "party").select("district_code", "id_number")
    assert members.filter(pl.col("body") == "party").select(code.max()).item() < 500
    seated = members.filter((pl.col("body") == "residents") & (code < 500)
                            & idcard.valid_id(pl.col("id_number")).is_not_null())  # not planted
    assert seated.height > 0
    assert seated.join(party_ids, on=["district_code", "id_number"], how="anti").height == 0
    on_both = members.group_by(person).agg(pl.col("body").n_unique().alias("boards"), pl.len())
    both_share = on_both.filter(pl.col("boards") == 2)["len"].sum() / members.height
    assert 0.2 < both_share < 0.45, both_share
    secretaries = members.filter((pl.col("body") == "party") & (pl.col("role") == "书记"))
    directors = members.filter((pl.col("body") == "residents") & (pl.col("role") == "主任"))
    yijiantiao = directors.join(secretaries, on=person).height / directors.height
    assert 0.3 < yijiantiao < 0.7, yijiantiao


def test_day_arithmetic_and_check_characters() -> None:
    days = np.arange(-25_000, 25_000, 7)
    y, m, d = scale_data._ymd(days)
    expected = (np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).astype(str)
    assert [f"{a:04d}-{b:02d}-{c:02d}" for a, b, c in zip(y, m, d, strict=True)] == list(expected)
    rng = np.random.default_rng(1)
    seq = rng.integers(0, 1000, days.size)
    county = "310107"
    county_sum = sum(int(c) * w for c, w in zip(county, idcard.WEIGHTS[:6], strict=True))
    index = scale_data.id_check_index(np.full(days.size, county_sum), y, m, d, seq)
    for i in range(0, days.size, 97):
        first17 = f"{county}{y[i]:04d}{m[i]:02d}{d[i]:02d}{seq[i]:03d}"
        assert scale_data.CHECK_CHARS[index[i]] == idcard.check_char(first17)


def test_typed_words_mean_what_the_generator_thinks() -> None:
    for level, words in scale_data.EDUCATION_TYPED.items():
        got = pl.select(values.education(pl.Series(list(words)))).to_series()
        assert got.to_list() == [level] * len(words), words
    unknown = pl.select(values.education(pl.Series(list(scale_data.UNKNOWN_EDUCATION))))
    assert unknown.to_series().null_count() == len(scale_data.UNKNOWN_EDUCATION)
    for term, words in scale_data.BODY_WORDS_BY_TERM.items():
        got = pl.select(values.body(pl.Series(list(words)))).to_series().to_list()
        assert got == list(scale_data.BODIES), term


def test_ids_are_valid_except_the_planted_ones(district: tuple[Path, dict]) -> None:
    raw, summary = district
    for name, planted in summary["faults"].items():
        frame = pl.read_parquet(raw / name).select(
            idcard.valid_id(pl.col("id_number")).alias("valid"),
            idcard.birth_date(pl.col("id_number")).alias("id_birth"),
            idcard.gender(pl.col("id_number")).alias("id_gender"),
            "gender", "birth_date")
        assert frame.height == summary["files"][name]
        assert frame["valid"].null_count() == planted["id_invalid"], name
        valid = frame.filter(pl.col("valid").is_not_null())
        assert (valid["id_gender"] == valid["gender"].replace_strict({"男": "M", "女": "F"})).all()
        born = valid["id_birth"].dt.strftime("%Y.%m" if "members" in name else "%Y-%m-%d")
        assert (born == valid["birth_date"]).all(), name


def test_planted_faults_land_in_quarantine_and_findings(district: tuple[Path, dict]) -> None:
    raw, summary = district
    frames, result = ingest.read_and_validate(raw, today=dt.date(2026, 11, 25))
    report = result.report
    assert (report["rows_loaded"] + report["rows_quarantined"] == report["rows_read"]).all()
    assert dict(zip(report["source_file"], report["rows_read"], strict=True)) == summary["files"]
    reasons = result.quarantine.group_by("source_file", "reason_code").len()
    codes = result.findings.group_by("source_file", "finding_code").len()

    def count(frame: pl.DataFrame, file: str, column: str, code: str) -> int:
        hit = frame.filter((pl.col("source_file") == file) & (pl.col(column) == code))
        return int(hit["len"].sum())

    for name, planted in summary["faults"].items():
        for kind in ("unknown_district", "missing_term", "duplicate_person"):
            assert count(reasons, name, "reason_code", kind) == planted[kind], (name, kind)
        for kind in ("id_invalid", "education_unreadable"):
            assert count(codes, name, "finding_code", kind) == planted[kind], (name, kind)
        quarantined = report.filter(pl.col("source_file") == name)["rows_quarantined"].item()
        assert quarantined == sum(planted[k] for k in ("unknown_district", "missing_term",
                                                        "duplicate_person"))
    progress = summary["progress"]
    name = f"milestones_{progress['term']}.parquet"
    for kind, planted in progress["faults"].items():
        assert count(reasons, name, "reason_code", kind) == planted > 0, kind
    loaded = report.filter(pl.col("source_file") == name)
    assert loaded["rows_quarantined"].item() == sum(progress["faults"].values())
    assert frames["milestones"].height == loaded["rows_loaded"].item() == \
        progress["rows"] - sum(progress["faults"].values())
    # nothing else is wrong with the data: only the planted kinds appear
    assert set(result.quarantine["reason_code"]) <= {"unknown_district", "missing_term",
                                                     "duplicate_person", "duplicate_stage",
                                                     "unknown_stage"}
    assert set(result.findings["finding_code"]) <= {"id_invalid", "education_unreadable"}
    for table in ("districts", "elections"):
        assert frames[table].height == summary["files"][f"{table}.parquet"]


def test_the_coming_round_is_in_progress(district: tuple[Path, dict]) -> None:
    """The 进度 table: every board of the round, each stage of its body once, planned in the
    procedure's order; as of the benchmark's date the early stages are mostly done, some are
    late, the last ones are still ahead (a wall chart with every colour)."""
    raw, summary = district
    progress = summary["progress"]
    frames, _ = ingest.read_and_validate(raw, today=dt.date(2026, 11, 25))
    milestones = frames["milestones"]
    boards = summary["boards"]["party"] + summary["boards"]["residents"]
    assert milestones.select("district_code", "body").n_unique() == boards
    assert milestones["term"].unique().to_list() == [progress["term"]] == [scale_data.COMING_TERM]
    stages = {body: [code for code, *_ in contract.STAGES[body]] for body in scale_data.BODIES}
    per_board = (milestones.sort("district_code", "body", "stage_order")
                 .group_by("district_code", "body", maintain_order=True)
                 .agg("stage", pl.col("planned_date").diff().min().alias("gap")))
    held = per_board.filter(pl.col("stage").list.len() == pl.col("body").replace_strict(
        {b: len(s) for b, s in stages.items()}))
    assert held.height >= boards - progress["faults"]["unknown_stage"]
    assert all(row["stage"] == stages[row["body"]] for row in held.iter_rows(named=True))
    assert held["gap"].min() > dt.timedelta(0)  # each stage planned after the one before
    as_of = dt.date.fromisoformat(progress["as_of"])
    done = milestones["actual_date"].is_not_null()
    assert (milestones.filter(done)["actual_date"] <= as_of).all()
    late = milestones.filter(~done & (pl.col("planned_date") < as_of))
    ahead = milestones.filter(~done & (pl.col("planned_date") > as_of))
    assert 0.4 < done.mean() < 0.8 and late.height > 0 and ahead.height > 0


# ---------------------------------------------------------------- the floor
def test_floor_matches_the_pipeline(district: tuple[Path, dict], tmp_path: Path) -> None:
    raw, _ = district
    db = tmp_path / "pipeline.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--raw", str(raw), "--db", str(db),
         "--exports", str(tmp_path / "exports"), "-q"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    floor_db = tmp_path / "floor.duckdb"
    timings = run_floor(raw, floor_db, tmp_path / "floor-exports")
    assert set(timings) >= {"load", "marts", "export", "total"}

    def statuses(path: Path) -> dict[str, str]:
        with duckdb.connect(str(path), read_only=True) as con:
            return dict(con.execute("select board_id, status from one_down_one_up").fetchall())

    pipeline, floor = statuses(db), statuses(floor_db)
    assert len(pipeline) > 1000 and pipeline == floor
    # most, not all, districts reach 一降一升 in a round
    share = sum(s == "one_down_one_up" for s in floor.values()) / len(floor)
    assert 0.5 < share < 0.9
    report = compare_marts(db, floor_db)
    for mart, found in report.items():
        assert found["pipeline_rows"] == found["floor_rows"] > 0, mart
        assert found["unmatched"] == 0 and found["mismatches"] == {}, (mart, found)


def test_compare_marts_sees_a_difference(district: tuple[Path, dict], tmp_path: Path) -> None:
    raw, _ = district
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    run_floor(raw, a, tmp_path / "out-a")
    run_floor(raw, b, tmp_path / "out-b")
    with duckdb.connect(str(b)) as con:
        con.execute("update one_down_one_up set mean_age_new = mean_age_new + 0.001 "
                    "where board_id = (select min(board_id) from one_down_one_up)")
        con.execute("delete from board_composition "
                    "where board_id = (select max(board_id) from board_composition)")
    report = compare_marts(a, b)
    assert report["one_down_one_up"]["mismatches"] == {"mean_age_new": 1}
    assert report["board_composition"]["unmatched"] == 1
    assert report["one_down_one_up_rollup"]["mismatches"] == {}

"""All database access of the dashboard (pages hold no SQL), and who may see names.

The pipeline publishes the database by building a new file and `os.replace`-ing it over the
published path (pipelines/warehouse.py). The dashboard therefore:

- opens the published file only read-only, with one short-lived connection per query that is
  closed before the query returns, so nothing ever holds the file between queries;
- caches query results with st.cache_data keyed on (path, st_ino, st_mtime_ns) of the published
  file: a swapped-in file has a new inode, so the next page load misses the cache and reads it;
- serialises its own connections with one process-wide lock. Within one process DuckDB shares a
  database instance between connections to the same path, and a new connection made while an
  old one is still open returns the *old* file's data (ecosystem.md §1); with at most one
  connection open at a time, every connection opens the file that is published at that moment.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import polars as pl
import streamlit as st

from dashboard import auth
from pipelines import contract, exports, run, sql
from pipelines import report as report_text

DB_ENV = "BOARDSHIFT_DB"
SQL_MAX_ROWS = 10_000
SQL_TIMEOUT_S = 10.0
SQL_EXAMPLE = """select district_name, body, term,
       round(age_shift, 1) as age_shift,
       round(college_share_shift_pp, 1) as college_pp,
       status
from one_down_one_up
order by status, district_name, body"""

_LOCK = threading.Lock()


class DataUnavailable(Exception):
    """The database (or its marts) is not there: pages show the message `key`, not a traceback."""

    def __init__(self, key: str, **fields: Any) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


class DbVersion(NamedTuple):
    """Identity of the published file: a rebuild swaps in a new inode and a new mtime."""

    path: str
    inode: int
    mtime_ns: int


@dataclass(frozen=True)
class Filters:
    """The sidebar filters: body None = both bodies; subdistrict None = all, "" = no subdistrict."""

    term: int
    body: str | None = None
    subdistrict: str | None = None

    def params(self) -> dict[str, Any]:
        return {"term": self.term, "body": self.body, "sub": self.subdistrict}


def can_see_names() -> bool:
    """Whether the current user may see members' names: signed in (dashboard/auth.py). Every
    list of names in the dashboard is behind this one function."""
    return auth.signed_in()


def db_path() -> Path:
    """The published database: $BOARDSHIFT_DB, else the pipeline's default."""
    return Path(os.environ.get(DB_ENV) or run.DEFAULT_DB)


def version() -> DbVersion:
    """The current published file, or DataUnavailable("no_db") when there is none yet."""
    path = db_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise DataUnavailable("no_db", path=path) from None
    return DbVersion(str(path), stat.st_ino, stat.st_mtime_ns)


def read(path: str, query: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    """Run one query on its own read-only connection, closed before returning (not cached)."""
    with _LOCK:
        try:
            con = duckdb.connect(path, read_only=True)
        except duckdb.IOException as exc:
            raise DataUnavailable("no_db", path=path) from exc
        try:
            return con.sql(query, params=params or None).pl()
        except duckdb.CatalogException as exc:
            raise DataUnavailable("no_marts") from exc
        finally:
            con.close()


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(db: DbVersion, query: str, params: tuple[tuple[str, Any], ...]) -> pl.DataFrame:
    return read(db.path, query, {k: list(v) if isinstance(v, tuple) else v for k, v in params})


def _q(query: str, **params: Any) -> pl.DataFrame:
    return _cached(version(), query, tuple(sorted(params.items())))


# ------------------------------------------------------------------ filters and overview
_BOARD_FILTER = """
    term = $term
    and ($body::varchar is null or body = $body)
    and ($sub::varchar is null or coalesce(subdistrict, '') = $sub)
"""


def terms() -> list[int]:
    return _q("select distinct term from board_composition order by term")["term"].to_list()


def subdistricts() -> list[str]:
    frame = _q("select distinct coalesce(subdistrict, '') as s from board_composition order by s")
    return frame["s"].to_list()


def rollup(f: Filters) -> pl.DataFrame:
    """one_down_one_up_rollup rows (pooled per subdistrict × body) for the filters."""
    return _q(f"select * from one_down_one_up_rollup where {_BOARD_FILTER} "
              "order by subdistrict, body", **f.params())


def board_counts(f: Filters) -> dict[str, int]:
    """Boards per body for the filters (to tell "no previous term" from "no rows")."""
    frame = _q(f"select body, count(*) as boards from board_composition where {_BOARD_FILTER} "
               "group by body", **f.params())
    return dict(zip(frame["body"].to_list(), frame["boards"].to_list(), strict=True))


def district_shifts(f: Filters) -> pl.DataFrame:
    """one_down_one_up rows (one per district and body) for the filters."""
    return _q(f"select * from one_down_one_up where {_BOARD_FILTER} "
              "order by district_code, body", **f.params())


# ------------------------------------------------------------------ composition
_CHOSEN_BOARDS = f"""
with chosen as (
    select board_id, district_code, body, prev_term from board_composition
    where {_BOARD_FILTER}
      and (len($districts::varchar[]) = 0 or list_contains($districts::varchar[], district_code))
), boards as (
    select board_id, 'new' as side from chosen
    union all
    select p.board_id, 'prev' as side
    from chosen c
    join board_composition p
      on p.district_code = c.district_code and p.body = c.body and p.term = c.prev_term
)
"""


def districts(subdistrict: str | None) -> pl.DataFrame:
    """district_code, district_name of the districts in a subdistrict (None = all)."""
    return _q("select distinct district_code, district_name from board_composition "
              "where $sub::varchar is null or coalesce(subdistrict, '') = $sub "
              "order by district_code", sub=subdistrict)


def district_subdistricts() -> pl.DataFrame:
    """district_code and subdistrict ('' = none, as in districts()) of every district, from its
    latest board."""
    return _q("select district_code, arg_max(coalesce(subdistrict, ''), term) as subdistrict "
              "from board_composition group by district_code order by district_code")


def member_profile(f: Filters, district_codes: tuple[str, ...] = ()) -> pl.DataFrame:
    """One row per member of the chosen boards (side 'new') and their previous boards (side
    'prev'): body, term, age, gender, education, party membership, continuing. No names."""
    return _q(_CHOSEN_BOARDS + """
        select b.side, m.board_id, m.body, m.term, m.age, m.gender, m.education_level,
               m.is_party_member, m.is_continuing
        from boards b join board_members m using (board_id)
        order by b.side desc, m.board_id
    """, districts=tuple(district_codes), **f.params())


def education_mix(profile: pl.DataFrame) -> pl.DataFrame:
    """Members per side and education level (0 = unknown), with the share within the side."""
    return (profile.with_columns(pl.col("education_level").fill_null(0))
            .group_by("side", "education_level").agg(members=pl.len())
            .with_columns(share=pl.col("members") / pl.col("members").sum().over("side"))
            .sort("side", "education_level", descending=[True, False]))


def side_summary(profile: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """Per side: members, boards, women's and party members' shares (over the known), continuing
    and new members (new side only, None when no board has a previous term)."""
    out: dict[str, dict[str, Any]] = {}
    for side in ("prev", "new"):
        rows = profile.filter(pl.col("side") == side)
        known_gender = rows["gender"].drop_nulls()
        known_party = rows["is_party_member"].drop_nulls()
        continuing = rows["is_continuing"].drop_nulls()
        out[side] = {
            "members": rows.height,
            "boards": rows["board_id"].n_unique(),
            "women_share": _share((known_gender == "F").sum(), known_gender.len()),
            "party_share": _share(known_party.sum(), known_party.len()),
            "continuing": int(continuing.sum()) if continuing.len() else None,
            "new": int((~continuing).sum()) if continuing.len() else None,
        }
    return out


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ------------------------------------------------------------------ district detail
def district_boards(district_code: str) -> pl.DataFrame:
    """board_composition rows of one district, every body and term."""
    return _q("select * from board_composition where district_code = $code order by body, term",
              code=district_code)


def district_board_shifts(district_code: str) -> pl.DataFrame:
    """one_down_one_up rows of one district (boards that have a previous term)."""
    return _q("select * from one_down_one_up where district_code = $code order by body, term",
              code=district_code)


def member_list(board_id: str) -> pl.DataFrame:
    """Members of one board with their names (never ID numbers): only if can_see_names()."""
    if not can_see_names():
        raise PermissionError("names are not shown to this user")
    return _q("""
        select name, gender, age, education_level, role, role_code, is_party_member,
               is_continuing
        from board_members where board_id = $board
        order by case role_code when 'secretary' then 1 when 'director' then 2
                 when 'deputy_secretary' then 3 when 'deputy_director' then 4 else 5 end, name
    """, board=board_id)


# ------------------------------------------------------------------ structure
_TERM_SUB = "term = $term and ($sub::varchar is null or coalesce(subdistrict, '') = $sub)"


def structure_rollup(f: Filters) -> pl.DataFrame:
    """district_structure_rollup rows (一肩挑, 交叉任职, secretaries, directors) per subdistrict."""
    return _q(f"select * from district_structure_rollup where {_TERM_SUB} order by subdistrict",
              term=f.term, sub=f.subdistrict)


def board_structure_rollup(f: Filters) -> pl.DataFrame:
    """board_structure_rollup rows (women, party members, age bands, education, 连任/新进)."""
    return _q(f"select * from board_structure_rollup where {_BOARD_FILTER} "
              "order by subdistrict, body", **f.params())


def district_structure(f: Filters) -> pl.DataFrame:
    """district_structure rows (one per district) for the term and subdistrict."""
    return _q(f"select * from district_structure where {_TERM_SUB} order by district_code",
              term=f.term, sub=f.subdistrict)


def structure_checks(f: Filters) -> pl.DataFrame:
    """structure_checks rows (boards breaking a structure rule) for the filters."""
    return _q(f"select * from structure_checks where {_BOARD_FILTER} "
              "order by district_code, body, rule_code", **f.params())


def report_paragraph(subdistrict: str, term: int) -> str:
    """The report paragraph of pipelines.report.subdistrict_report (the same text as
    report.md), on its own read-only connection."""
    return _cached_report(version(), subdistrict, term)


@st.cache_data(show_spinner=False, max_entries=512)  # a city has ~200 subdistricts
def _cached_report(db: DbVersion, subdistrict: str, term: int) -> str:
    with _LOCK:
        try:
            con = duckdb.connect(db.path, read_only=True)
        except duckdb.IOException as exc:
            raise DataUnavailable("no_db", path=db.path) from exc
        try:
            return report_text.subdistrict_report(con, subdistrict, term)
        finally:
            con.close()


# ------------------------------------------------------------------ elections
def election_results(f: Filters) -> pl.DataFrame:
    """election_results rows (one per district and body) for the filters."""
    return _q(f"select * from election_results where {_BOARD_FILTER} "
              "order by district_code, body", **f.params())


def election_rollup(f: Filters) -> pl.DataFrame:
    """election_results_rollup rows (pooled per subdistrict and body) for the filters."""
    return _q(f"select * from election_results_rollup where {_BOARD_FILTER} "
              "order by subdistrict, body", **f.params())


def roster_differences(f: Filters) -> pl.DataFrame:
    """election_roster_differences (names): only if can_see_names()."""
    if not can_see_names():
        raise PermissionError("names are not shown to this user")
    return _q(f"select * from election_roster_differences where {_BOARD_FILTER} "
              "order by district_code, body, side, source_file, source_row", **f.params())


# ------------------------------------------------------------------ progress
PROGRESS_STATUSES = ("done", "due", "late", "upcoming", "unplanned")


def progress_terms() -> list[int]:
    """Terms with milestones (the coming round has no boards yet), oldest first."""
    return _q("select distinct term from progress_weekly_summary order by term")["term"].to_list()


def progress_weeks(term: int) -> pl.DataFrame:
    """The report weeks of a term (week_start, week_end = its Sunday, status_date), oldest
    first; the last is the as-of week (judged on the as-of date). From the summary (a row per
    week and stage), not from progress_weekly: that is a view of every milestone in every week."""
    return _q("select distinct week_start, week_end, status_date from progress_weekly_summary "
              "where term = $term order by week_end", term=term)


def progress_cells(term: int, body: str, subdistrict: str | None,
                   week_end: dt.date | None) -> pl.DataFrame:
    """One row per district × stage: the wall chart (week_end None, the as-of week) or the
    statuses of one week from progress_weekly."""
    source, week = ("progress_wall_chart", "") if week_end is None else (
        "progress_weekly", "and week_end = $week")
    params: dict[str, Any] = {"term": term, "body": body, "sub": subdistrict}
    if week_end is not None:
        params["week"] = week_end
    return _q(f"""
        select district_code, district_name, subdistrict, stage, stage_order, stage_label_zh,
               planned_date, actual_date, status, days_late, days_done_late, week_end
        from {source}
        where term = $term and body = $body {week}
          and ($sub::varchar is null or coalesce(subdistrict, '') = $sub)
        order by district_code, stage_order""", **params)


def progress_summary(term: int, body: str, week_end: dt.date) -> pl.DataFrame:
    """progress_weekly_summary rows of one week, body and term, in stage order."""
    return _q("select * from progress_weekly_summary where term = $term and body = $body "
              "and week_end = $week order by stage_order", term=term, body=body, week=week_end)


def stage_names_en() -> dict[str, str]:
    """English stage names by stage code (pipelines.contract.STAGES)."""
    return {code: en for stages in contract.STAGES.values() for code, _, en, _ in stages}


# ------------------------------------------------------------------ data quality
def load_report() -> pl.DataFrame:
    return _q("select * from load_report order by table_name, source_file, source_sheet")


def quarantine() -> pl.DataFrame:
    return _q("select * from quarantine order by source_file, source_sheet, source_row")


def findings() -> pl.DataFrame:
    return _q("select * from data_quality_findings order by source_file, source_sheet, source_row")


def last_build() -> tuple[dt.datetime | None, dt.datetime]:
    """(raw.run_info.loaded_at of the last successful build or None, the file's mtime)."""
    db = version()
    mtime = dt.datetime.fromtimestamp(db.mtime_ns / 1e9)
    try:
        loaded = _cached(db, "select max(loaded_at) as at from raw.run_info", ())["at"][0]
    except DataUnavailable:
        loaded = None
    return loaded, mtime


# ------------------------------------------------------------------ SQL console, exports
def sql_query(text: str) -> tuple[pl.DataFrame, bool]:
    """Ad-hoc read-only SQL in pipelines.sql's sandbox (in-memory DuckDB + ATTACH READ_ONLY, no
    file access, locked configuration, time and row limits). Raises BoardshiftError."""
    return sql.query(Path(version().path), text, timeout_s=SQL_TIMEOUT_S, max_rows=SQL_MAX_ROWS)


def export_names() -> list[str]:
    """The exported tables, as file stems (one_down_one_up, …, quarantine, findings). The
    data-quality tables quote rows as typed (names included): only after sign-in."""
    return [stem for stem, (schema, _) in exports.TABLES.items()
            if schema == "main" or can_see_names()]


def csv_bytes(stem: str) -> bytes:
    return _cached_csv(version(), stem)


def workbook_bytes() -> bytes:
    return _cached_workbook(version())


@st.cache_data(show_spinner=False, max_entries=32)
def _cached_csv(db: DbVersion, stem: str) -> bytes:
    with _LOCK:
        return exports.csv_bytes(Path(db.path), stem)


@st.cache_data(show_spinner=False, max_entries=4)
def _cached_workbook(db: DbVersion) -> bytes:
    with _LOCK:
        return exports.workbook_bytes(Path(db.path))

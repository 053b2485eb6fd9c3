"""Findings that need two tables, computed by DuckDB over the loaded rows.

A board member missing from the candidates of an election that has candidates
(`member_not_candidate`), and a board with more members than seats (`board_larger_than_seats`).
They run after every batch of the person tables is loaded, so they see whole tables without
holding them in memory. People are the same by ID (the ID number, or its keyed hash `id_key` —
equal exactly when the numbers are) or by name, within one board.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.validate import FINDING_COLUMNS

SQL = """
with boards_with_candidates as (
    select distinct district_code, body, term from {candidates}
),
members_not_candidates as (
    select m.*
    from {members} as m
    where exists (select 1 from boards_with_candidates as b
                  where b.district_code = m.district_code and b.body = m.body and b.term = m.term)
      and not exists (select 1 from {candidates} as c
                      where c.district_code = m.district_code and c.body = m.body
                        and c.term = m.term and c.{id} = m.{id})
      and not exists (select 1 from {candidates} as c
                      where c.district_code = m.district_code and c.body = m.body
                        and c.term = m.term and c.name = m.name)
),
board_sizes as (
    select district_code, body, term, count(*) as members
    from {members}
    group by district_code, body, term
),
boards_over_seats as (
    select e.*, s.members
    from {elections} as e
    join board_sizes as s
      on s.district_code = e.district_code and s.body = e.body and s.term = e.term
    where e.seats is not null and s.members > e.seats
)
select 'board_members' as table_name, source_file, source_sheet, source_row,
       'name' as column_name, name as value, 'member_not_candidate' as finding_code,
       '班子成员“' || coalesce(name, '') || '”不在这次选举的候选人名单中' as message
from members_not_candidates
union all
select 'elections', source_file, source_sheet, source_row,
       'seats', cast(seats as varchar), 'board_larger_than_seats',
       '班子成员 ' || members || ' 人，多于应选人数 ' || seats || ' 人'
from boards_over_seats
order by table_name, source_file, source_sheet, source_row
"""

SCHEMA = {"table_name": pl.String, "source_file": pl.String, "source_sheet": pl.String,
          "source_row": pl.Int32, "column_name": pl.String, "value": pl.String,
          "finding_code": pl.String, "message": pl.String}


def findings(con: duckdb.DuckDBPyConnection, members: str, candidates: str, elections: str,
             id_column: str) -> pl.DataFrame:
    """The cross-table findings over the named relations (tables or registered frames)."""
    query = SQL.format(members=members, candidates=candidates, elections=elections, id=id_column)
    frame = con.sql(query).pl()
    return frame.cast(SCHEMA).select(FINDING_COLUMNS)  # type: ignore[arg-type]


def findings_in_memory(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The same findings for validated frames still in memory (ID numbers in clear)."""
    con = duckdb.connect()
    try:
        for name in ("board_members", "candidates", "elections"):
            con.register(name, frames[name].to_arrow())
        return findings(con, "board_members", "candidates", "elections", "id_number")
    finally:
        con.close()

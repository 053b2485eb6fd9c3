"""选举 Elections: per district the 差额比例, whether the Party's 20% rule held, 参选率, the
elected candidates' lowest and mean vote shares and 全票当选; the pooled rollup as cards; and the
elected candidates against the board rosters (names only behind data.can_see_names())."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import auth, data, report, ui
from dashboard.i18n import t

PAGE_KEY = "elections_page"


def cards(row: dict[str, Any]) -> None:
    margin, rule, turnout, unanimous = st.columns(4)
    margin.metric(t("card_margin"), report.percent(row["margin_ratio"]),
                  delta=t("seats_delta", seats=row["seats"], candidates=row["candidates"])
                  if row["seats"] is not None else None,
                  delta_color="off", delta_arrow="off", help=t("margin_help"), border=True)
    rule.metric(t("card_rule"), t("of", k=row["elections_meeting_party_20pct_rule"],
                                  n=row["elections_with_margin"]),
                help=t("rule_help"), border=True)
    turnout.metric(t("card_turnout"), report.percent(row["turnout"]), border=True)
    unanimous.metric(t("card_unanimous"),
                     "—" if row["unanimous_elected"] is None
                     else t("persons", value=row["unanimous_elected"]), border=True)


def _pct(column: str) -> pl.Expr:
    return (pl.col(column) * 100).round(1)


def election_table(results: pl.DataFrame) -> None:
    frame = ui.with_labels(results).select(
        district=pl.col("district_name"), body=pl.col("body_label"),
        seats=pl.col("seats"), candidates=pl.col("candidates"),
        margin=_pct("margin_ratio"), rule=ui.yes_no_expr("meets_party_20pct_rule"),
        turnout=_pct("turnout"), min_vote=_pct("min_vote_share"),
        mean_vote=_pct("mean_vote_share"), unanimous=pl.col("unanimous_elected"),
        members_not_candidates=pl.col("members_not_candidates"),
        elected_not_members=pl.col("elected_not_members"),
    )
    cc = st.column_config
    percent = "%.1f%%"
    config = {
        "district": cc.TextColumn(t("col_district"), pinned=True),
        "body": cc.TextColumn(t("col_body")),
        "seats": cc.NumberColumn(t("col_seats"), format="%d"),
        "candidates": cc.NumberColumn(t("col_candidates"), format="%d"),
        "margin": cc.NumberColumn(t("col_margin"), format=percent),
        "rule": cc.TextColumn(t("col_rule_met"), help=t("rule_help")),
        "turnout": cc.NumberColumn(t("col_turnout"), format=percent),
        "min_vote": cc.NumberColumn(t("col_min_vote"), format=percent),
        "mean_vote": cc.NumberColumn(t("col_mean_vote"), format=percent),
        "unanimous": cc.NumberColumn(t("col_unanimous"), format="%d"),
        "members_not_candidates": cc.NumberColumn(t("col_members_not_candidates"), format="%d"),
        "elected_not_members": cc.NumberColumn(t("col_elected_not_members"), format="%d"),
    }
    st.dataframe(frame, column_config=config, hide_index=True)


def roster(f: data.Filters, results: pl.DataFrame) -> None:
    st.subheader(t("roster_heading"))
    board_only = results["members_not_candidates"].drop_nulls().sum()
    elected_only = results["elected_not_members"].drop_nulls().sum()
    st.caption(t("roster_counts", board_only=board_only, elected_only=elected_only))
    if not board_only and not elected_only:
        st.success(t("no_roster_differences"))
        return
    if not data.can_see_names():
        auth.refuse()
        return
    diffs = data.roster_differences(f)
    rows = [{
        t("col_district"): r["district_name"], t("col_body"): ui.body_label(r["body"]),
        t("col_name"): r["name"], t("col_difference"): t(f"side_{r['side']}"),
        t("col_role"): r["role"] or "", t("col_votes"): r["votes"],
        t("col_file"): r["source_file"], t("col_row"): r["source_row"],
    } for r in diffs.iter_rows(named=True)]
    st.dataframe(pl.DataFrame(rows, infer_schema_length=None), hide_index=True)


def render() -> None:
    st.title(t("page_elections"))
    f = ui.filters()
    st.caption(t("elections_intro", term=f.term))
    results = data.election_results(f)
    if results.is_empty():
        st.info(t("no_elections"))
        return
    rollup = data.election_rollup(f)
    subdistricts = rollup["subdistrict"].fill_null("").unique(maintain_order=True).to_list()
    page = ui.page_of(subdistricts, PAGE_KEY)
    for row in rollup.filter(pl.col("subdistrict").fill_null("").is_in(page)).iter_rows(
            named=True):
        st.subheader(t("block_title", subdistrict=row["subdistrict"] or t("no_subdistrict"),
                       body=t(f"body_{row['body']}_heading")))
        cards(row)
    st.subheader(t("election_table"))
    election_table(results)
    roster(f, results)


render()

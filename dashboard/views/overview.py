"""总览 Overview: per subdistrict and body, how many districts reached 一降一升, the pooled mean
age and college-or-above share with their shifts, the report sentence, and who fell short.

With more subdistricts than fit on a page (a city has hundreds), a sortable table of every
subdistrict comes first and the blocks are shown a page of subdistricts at a time."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import data, report, ui
from dashboard.i18n import t

PAGE_KEY = "overview_page"


def cards(row: dict[str, Any]) -> None:
    districts, age, college, members = st.columns(4)
    districts.metric(t("card_districts"),
                     t("of", k=row["districts_one_down_one_up"], n=row["districts"]), border=True)
    age.metric(t("card_age"), t("years", value=report.one(row["mean_age_new"])),
               delta=t("years_shift", value=report.signed(row["age_shift"])),
               delta_color="inverse", border=True)
    college.metric(t("card_college"), report.percent(row["college_share_new"]),
                   delta=t("pp_shift", value=report.signed(row["college_share_shift_pp"])),
                   border=True)
    members.metric(t("card_members"), t("persons", value=row["members_new"]),
                   delta=t("members_delta", value=row["members_prev"]),
                   delta_color="off", delta_arrow="off", border=True)


def shortfalls(short: pl.DataFrame) -> None:
    """The districts of one block that fell short (`short`: their one_down_one_up rows)."""
    with st.expander(t("shortfalls"), expanded=True):
        if short.is_empty():
            st.success(t("all_achieved"))
            return
        st.markdown("\n".join(
            "- " + t("shortfall_item", district=r["district_name"],
                     status=ui.status_label(r["status"]), why=report.shortfall(r))
            for r in short.iter_rows(named=True)))


def block(row: dict[str, Any], short: pl.DataFrame) -> None:
    st.subheader(t("block_title", subdistrict=row["subdistrict"] or t("no_subdistrict"),
                   body=t(f"body_{row['body']}_heading")))
    cards(row)
    st.caption(t("sentence_label"))
    st.code(report.sentence(row), language=None, wrap_lines=True)
    shortfalls(short)


def subdistrict_table(rows: pl.DataFrame) -> None:
    """One row per subdistrict and body: the cards' figures, for all subdistricts at once."""
    st.subheader(t("subdistrict_table"))
    frame = ui.with_labels(rows).select(
        subdistrict=pl.col("subdistrict").fill_null(t("no_subdistrict")),
        body=pl.col("body_label"),
        districts=pl.col("districts"),
        achieved=pl.col("districts_one_down_one_up"),
        achieved_pct=pl.col("districts_one_down_one_up") / pl.col("districts") * 100,
        mean_age_new=pl.col("mean_age_new"),
        age_shift=pl.col("age_shift").round(1) + 0.0,
        college_pct_new=pl.col("college_share_new") * 100,
        college_share_shift_pp=pl.col("college_share_shift_pp").round(1) + 0.0,
        members_new=pl.col("members_new"),
    )
    cc = st.column_config
    st.dataframe(frame, hide_index=True, column_config={
        "subdistrict": cc.TextColumn(t("col_subdistrict"), pinned=True),
        "body": cc.TextColumn(t("col_body")),
        "districts": cc.NumberColumn(t("col_districts"), format="%d"),
        "achieved": cc.NumberColumn(t("col_achieved"), format="%d"),
        "achieved_pct": cc.NumberColumn(t("col_achieved_share"), format="%.1f%%"),
        "mean_age_new": cc.NumberColumn(t("col_age_new"), format="%.1f"),
        "age_shift": cc.NumberColumn(t("col_age_shift"), format="%+.1f"),
        "college_pct_new": cc.NumberColumn(t("col_college_new"), format="%.1f%%"),
        "college_share_shift_pp": cc.NumberColumn(t("col_pp_shift"), format="%+.1f"),
        "members_new": cc.NumberColumn(t("col_members_new"), format="%d"),
    })


def render() -> None:
    st.title(t("page_overview"))
    f = ui.filters()
    st.caption(t("overview_intro", term=f.term))
    rows = data.rollup(f)
    subdistricts = rows["subdistrict"].fill_null("").unique(maintain_order=True).to_list()
    if len(subdistricts) > ui.PAGE_SIZE:
        subdistrict_table(rows)
    page = ui.page_of(subdistricts, PAGE_KEY)
    shown = rows.filter(pl.col("subdistrict").fill_null("").is_in(page))
    short: dict[tuple[str, str], pl.DataFrame] = {}
    if not shown.is_empty():
        # one query for every district of the filters (not one per block), split per block
        shifts = data.district_shifts(f).filter(
            pl.col("status") != "one_down_one_up", pl.col("subdistrict").fill_null("").is_in(page))
        short = {(sub, body): frame for (sub, body), frame in shifts.with_columns(
            sub=pl.col("subdistrict").fill_null("")).partition_by(
            "sub", "body", as_dict=True, maintain_order=True).items()}
    empty = pl.DataFrame(schema={"district_name": pl.String, "status": pl.String})
    for body in ui.bodies(f):
        if rows.filter(pl.col("body") == body).is_empty():
            ui.explain_empty(f, body)
        for row in shown.filter(pl.col("body") == body).iter_rows(named=True):
            block(row, short.get((row["subdistrict"] or "", body), empty))


render()

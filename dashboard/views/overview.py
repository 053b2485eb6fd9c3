"""总览 Overview: per subdistrict and body, how many districts reached 一降一升, the pooled mean
age and college-or-above share with their shifts, the report sentence, and who fell short."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import data, report, ui
from dashboard.i18n import t


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


def shortfalls(shifts: pl.DataFrame) -> None:
    short = shifts.filter(pl.col("status") != "one_down_one_up")
    with st.expander(t("shortfalls"), expanded=True):
        if short.is_empty():
            st.success(t("all_achieved"))
            return
        st.markdown("\n".join(
            "- " + t("shortfall_item", district=r["district_name"],
                     status=ui.status_label(r["status"]), why=report.shortfall(r))
            for r in short.iter_rows(named=True)))


def block(row: dict[str, Any], f: data.Filters) -> None:
    st.subheader(t("block_title", subdistrict=row["subdistrict"] or t("no_subdistrict"),
                   body=t(f"body_{row['body']}_heading")))
    cards(row)
    st.caption(t("sentence_label"))
    st.code(report.sentence(row), language=None, wrap_lines=True)
    scope = data.Filters(term=f.term, body=row["body"], subdistrict=row["subdistrict"] or "")
    shortfalls(data.district_shifts(scope))


def render() -> None:
    st.title(t("page_overview"))
    f = ui.filters()
    st.caption(t("overview_intro", term=f.term))
    rows = data.rollup(f)
    for body in ui.bodies(f):
        mine = rows.filter(pl.col("body") == body)
        if mine.is_empty():
            ui.explain_empty(f, body)
        for row in mine.iter_rows(named=True):
            block(row, f)


render()

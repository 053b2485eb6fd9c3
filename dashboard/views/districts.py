"""居民区对比 Districts: the quadrant chart (age shift × college-share shift, the 一降一升 quadrant
shaded) next to a sortable table of one_down_one_up with status badges and the reason."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, data, report, ui
from dashboard.i18n import t

TABLE_COLUMNS = ("district_name", "body_label", "age_shift", "college_share_shift_pp",
                 "status_badge", "why", "mean_age_new", "college_pct_new", "prev_term")


def prepared(shifts: pl.DataFrame) -> pl.DataFrame:
    """Labels, the status as a one-item list (rendered as a coloured badge) and the reason."""
    out = ui.with_labels(shifts).with_columns(
        # one decimal as shown, and +0.0 rather than -0.0
        pl.col("age_shift", "college_share_shift_pp").round(1) + 0.0,
        district=pl.col("district_name"),
        college_pct_new=pl.col("college_share_new") * 100,
        status_badge=pl.concat_list(pl.col("status")),
    )
    return out.with_columns(why=report.shortfalls(out))


def column_config() -> dict[str, object]:
    cc = st.column_config
    return {
        "district_name": cc.TextColumn(t("col_district"), pinned=True),
        "body_label": cc.TextColumn(t("col_body")),
        "prev_term": cc.NumberColumn(t("col_prev_term"), format="%d"),
        "mean_age_new": cc.NumberColumn(t("col_age_new"), format="%.1f"),
        "age_shift": cc.NumberColumn(t("col_age_shift"), format="%+.1f"),
        "college_pct_new": cc.NumberColumn(t("col_college_new"), format="%.1f%%"),
        "college_share_shift_pp": cc.NumberColumn(t("col_pp_shift"), format="%+.1f"),
        "status_badge": cc.MultiselectColumn(
            t("col_status"), options=list(charts.STATUS_COLORS),
            color=list(charts.STATUS_COLORS.values()),
            format_func={s: ui.status_label(s) for s in charts.STATUS_COLORS}.__getitem__),
        "why": cc.TextColumn(t("col_why"), width="medium"),
    }


def render() -> None:
    st.title(t("page_districts"))
    f = ui.filters()
    shifts = data.district_shifts(f)
    if shifts.is_empty():
        ui.explain_empty(f)
        return
    frame = prepared(shifts)
    chart, table = st.columns(2, gap="medium")
    with chart:
        st.altair_chart(charts.quadrant(frame), width="stretch")
        dense = frame.drop_nulls(["age_shift", "college_share_shift_pp"]).height
        st.caption(t("quadrant_density_help" if dense > charts.QUADRANT_MAX_POINTS
                     else "quadrant_help"))
    with table:
        st.dataframe(frame.select(TABLE_COLUMNS), column_config=column_config(),
                     hide_index=True, height=min(36 + 35 * frame.height, 640))
        st.caption(t("districts_caption"))


render()

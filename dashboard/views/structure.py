"""结构 Structure: for the filtered subdistrict and term, 一肩挑 (per district) and 交叉任职 (per
person) with their shifts, the secretaries' and directors' age and education, per body the
women's, party members', age-band and education shares with shifts and 连任/新进, a table per
district, the structure-check flags, and the report paragraph of pipelines.report."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard import data, report, ui
from dashboard.i18n import t

PAGE_KEY = "structure_page"

MEASURES = (  # (board_structure_rollup column prefix, label key)
    ("women_share", "m_women"), ("party_member_share", "m_party"),
    ("age_35_and_under_share", "m_age_35"), ("age_36_45_share", "m_age_36_45"),
    ("age_46_55_share", "m_age_46_55"), ("age_56_and_over_share", "m_age_56"),
    ("bachelor_share", "m_bachelor"), ("high_school_share", "m_high_school"),
)


def pp(value: float | None) -> str | None:
    return None if value is None else t("pp_shift", value=report.signed(value))


def district_cards(row: dict[str, Any]) -> None:
    cols = st.columns(6)
    cols[0].metric(t("card_yijiantiao"), report.percent(row["yijiantiao_share"]),
                   delta=pp(row["yijiantiao_share_shift_pp"]), delta_color="off",
                   help=t("yijiantiao_help"), border=True)
    cols[1].metric(t("card_cross"), report.percent(row["cross_share"]),
                   delta=pp(row["cross_share_shift_pp"]), delta_color="off",
                   help=t("cross_help"), border=True)
    for col, who in zip(cols[2:], ("secretary", "director"), strict=False):
        age = row[f"{who}_mean_age"]
        shift = row[f"{who}_age_shift"]
        col.metric(t(f"card_{who}_age"),
                   "—" if age is None else t("years", value=report.one(age)),
                   delta=None if shift is None else t("years_shift", value=report.signed(shift)),
                   delta_color="inverse", border=True)
    for col, who in zip(cols[4:], ("secretary", "director"), strict=False):
        col.metric(t(f"card_{who}_college"), report.percent(row[f"{who}_college_share"]),
                   delta=pp(row[f"{who}_college_share_shift_pp"]), border=True)
    st.caption(t(
        "structure_counts", n=row["districts_with_both_boards"], k=row["yijiantiao_districts"],
        people=row["distinct_people"], cross=row["cross_people"],
        sec_edu=report.one(row["secretary_mean_edu_level"]),
        sec_edu_shift=t("levels_shift", value=report.signed(row["secretary_edu_level_shift"])),
        dir_edu=report.one(row["director_mean_edu_level"]),
        dir_edu_shift=t("levels_shift", value=report.signed(row["director_edu_level_shift"]))))


def measure_table(row: dict[str, Any]) -> pl.DataFrame:
    out = []
    for column, key in MEASURES:
        if column == "party_member_share" and row["body"] != "residents":
            continue
        shift = row[f"{column}_shift_pp"]
        out.append({t("col_measure"): t(key), t("col_new_value"): report.percent(row[column]),
                    t("col_prev_value"): report.percent(row[f"{column}_prev"]),
                    t("col_shift_pp"): "—" if shift is None else report.signed(shift)})
    return pl.DataFrame(out)


def body_block(row: dict[str, Any]) -> None:
    st.markdown(f"**{t('body_' + row['body'] + '_heading')}**")
    women, continuing, new = st.columns(3)
    women.metric(t("women_share"), report.percent(row["women_share"]),
                 delta=pp(row["women_share_shift_pp"]), delta_color="off", border=True)
    members = (row["continuing_members"] or 0) + (row["new_members"] or 0)
    for col, key, value in ((continuing, "continuing", row["continuing_members"]),
                            (new, "new_members", row["new_members"])):
        col.metric(t(key), "—" if value is None else t("persons", value=value),
                   delta=None if value is None or not members else report.percent(value / members),
                   delta_color="off", delta_arrow="off", border=True, help=t("continuing_help"))
    st.dataframe(measure_table(row), hide_index=True)


def district_table(frame: pl.DataFrame) -> None:
    table = frame.select(
        pl.col("district_name").alias(t("col_district")),
        ui.yes_no_expr("has_both_boards").alias(t("col_both_boards")),
        ui.yes_no_expr("is_yijiantiao").alias(t("col_yijiantiao")),
        ui.yes_no_expr("is_yijiantiao_prev").alias(t("col_yijiantiao_prev")),
        pl.col("cross_people").alias(t("col_cross_people")),
        pl.col("distinct_people").alias(t("col_distinct_people")),
        ui.formatted("cross_share", report.percent).alias(t("col_cross_share")),
        pl.col("secretary_age").alias(t("col_secretary_age")),
        pl.col("director_age").alias(t("col_director_age")),
        ui.formatted("secretary_edu_level", _edu).alias(t("col_secretary_edu")),
        ui.formatted("director_edu_level", _edu).alias(t("col_director_edu")),
    )
    st.dataframe(table, hide_index=True)


def _edu(level: float | None) -> str:
    if level is None:
        return ""
    return ui.edu_label(int(level)) if float(level).is_integer() else report.one(level)


def checks_table(checks: pl.DataFrame) -> None:
    st.subheader(t("checks_heading"))
    if checks.is_empty():
        st.success(t("no_checks"))
        return
    table = ui.with_labels(checks).select(
        pl.col("district_name").alias(t("col_district")),
        pl.col("body_label").alias(t("col_body")),
        pl.col("rule_text").alias(t("col_rule")), pl.col("rule_source").alias(t("col_rule_source")),
        pl.col("observed_value").alias(t("col_observed")),
        pl.col("limit_min").alias(t("col_min")), pl.col("limit_max").alias(t("col_max")),
        pl.col("rule_code").alias(t("col_reason_code")),
    )
    st.dataframe(table, hide_index=True)


def render() -> None:
    st.title(t("page_structure"))
    f = ui.filters()
    st.caption(t("structure_intro", term=f.term))
    rollups = data.structure_rollup(f)
    bodies = data.board_structure_rollup(f)
    if rollups.is_empty() and bodies.is_empty():
        st.info(t("no_structure"))
        return
    subs = sorted(set(rollups["subdistrict"].to_list()) | set(bodies["subdistrict"].to_list()),
                  key=lambda s: s or "")
    for sub in ui.page_of(subs, PAGE_KEY):
        st.subheader(sub or t("no_subdistrict"))
        for row in rollups.filter(pl.col("subdistrict").eq_missing(sub)).iter_rows(named=True):
            district_cards(row)
        mine = bodies.filter(pl.col("subdistrict").eq_missing(sub))
        if not mine.is_empty():
            st.markdown(f"##### {t('body_structure')}")
            columns = st.columns(mine.height, gap="medium")
            for column, row in zip(columns, mine.iter_rows(named=True), strict=True):
                with column:
                    body_block(row)
        if sub:
            st.caption(t("report_label"))
            st.code(data.report_paragraph(sub, f.term), language=None, wrap_lines=True)
    st.subheader(t("district_table"))
    district_table(data.district_structure(f))
    checks_table(data.structure_checks(f))


render()

"""进度 Progress: the wall chart (挂图作战) of a round — one row per district, one column per
stage, each cell coloured by its status (done / due / late / upcoming) with the days late as
text — for a chosen body and week (default: the latest, i.e. the wall chart as of the as-of
date), the weekly summary per stage, and the wall chart as a printable HTML file. At a city's
size the chart shows a page of subdistricts at a time, or only the districts with a late stage.

The round has its own choice here: the coming round (e.g. 2026) exists only in the milestones,
before any board is elected, so the sidebar's term (board terms) does not offer it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import streamlit as st

from dashboard import charts, data, ui
from dashboard.i18n import t

TERM_KEY, BODY_KEY, WEEK_KEY = "progress_term", "progress_body", "progress_week"
LATE_KEY, PAGE_KEY = "progress_late_only", "progress_page"
CHART_MAX_DISTRICTS = 100  # more districts than this: the chart shows a page of subdistricts


def _keep(key: str, options: list[Any], default: Any) -> None:
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def choices(f: data.Filters) -> tuple[int, str, dict[str, Any], bool] | None:
    """The round, body and week chosen on this page (None when there are no milestones)."""
    terms = data.progress_terms()
    if not terms:
        return None
    _keep(TERM_KEY, terms, terms[-1])
    _keep(BODY_KEY, list(ui.BODIES), f.body or ui.BODIES[0])
    term_col, body_col, week_col = st.columns([1, 1, 2])
    term = term_col.selectbox(t("progress_term"), terms, key=TERM_KEY)
    body_names = {b: ui.body_label(b) for b in ui.BODIES}
    body = body_col.radio(t("progress_body"), list(body_names), key=BODY_KEY,
                          format_func=body_names.__getitem__, horizontal=True)
    weeks = list(data.progress_weeks(term).iter_rows(named=True))
    if not weeks:
        return term, body, {}, True
    ends = [w["week_end"] for w in weeks]
    _keep(WEEK_KEY, ends, ends[-1])
    by_end = {w["week_end"]: w for w in weeks}
    labels = {end: _week_label(by_end[end], end == ends[-1]) for end in ends}
    chosen = week_col.selectbox(t("progress_week"), ends, key=WEEK_KEY,
                                format_func=labels.__getitem__)
    return term, body, by_end[chosen], chosen == ends[-1]


def _week_label(week: dict[str, Any], latest: bool) -> str:
    start, end = str(week["week_start"]), str(week["week_end"])
    if latest:
        return t("week_latest", start=start, end=end, as_of=str(week["status_date"]))
    return t("week_label", start=start, end=end)


def status_counts(cells: pl.DataFrame) -> None:
    counts = dict(cells.group_by("status").len().iter_rows())
    shown = [s for s in data.PROGRESS_STATUSES if s != "unplanned" or counts.get(s)]
    for column, status in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(t(f"prog_{status}"), counts.get(status, 0), border=True)


def charted(frame: pl.DataFrame) -> pl.DataFrame:
    """The cells the chart draws: only the districts with a late stage when asked, and a page of
    subdistricts at a time when there are more districts than CHART_MAX_DISTRICTS (a city's
    round has thousands: one chart of them all would be metres tall). The counts above it and
    the printable HTML keep every district."""
    total = frame["district_code"].n_unique()
    if st.checkbox(t("late_only"), key=LATE_KEY):
        late = frame.filter(pl.col("status") == "late")["district_code"].unique()
        frame = frame.filter(pl.col("district_code").is_in(late.implode()))
    if frame["district_code"].n_unique() > CHART_MAX_DISTRICTS:
        subdistricts = frame["subdistrict"].fill_null("").unique(maintain_order=True).to_list()
        page = ui.page_of(subdistricts, PAGE_KEY)
        frame = frame.filter(pl.col("subdistrict").fill_null("").is_in(page))
    shown = frame["district_code"].n_unique()
    if shown < total:
        st.caption(t("wall_shown", shown=shown, total=total))
    return frame


def summary_table(summary: pl.DataFrame) -> None:
    st.subheader(t("weekly_summary"))
    rows = [{
        t("col_stage"): ui.stage_label(r["stage"], r["stage_label_zh"]),
        t("col_boards"): r["boards"], t("col_done"): r["done"],
        t("col_done_in_week"): r["done_in_week"], t("col_late"): r["late"],
        t("col_due"): r["due"], t("col_upcoming"): r["upcoming"],
        t("col_max_days_late"): r["max_days_late"],
        t("col_done_share"): None if r["done_share"] is None else f"{r['done_share'] * 100:.1f}%",
    } for r in summary.iter_rows(named=True)]
    st.dataframe(pl.DataFrame(rows, infer_schema_length=None), hide_index=True)


def render() -> None:
    st.title(t("page_progress"))
    st.caption(t("progress_intro"))
    f = ui.filters()
    picked = choices(f)
    if picked is None:
        st.info(t("no_progress"))
        return
    term, body, week, latest = picked
    week_end: dt.date | None = None if latest or not week else week["week_end"]
    cells = data.progress_cells(term, body, f.subdistrict, week_end)
    if cells.is_empty():
        st.info(t("no_progress_rows"))
        return
    frame = ui.progress_labels(cells)
    title = t("wall_title", body=t(f"body_{body}_heading"), term=term,
              date=str(week["status_date"]) if week else "")
    status_counts(frame)
    shown = charted(frame)
    if shown.is_empty():
        st.info(t("no_late"))
    else:
        st.altair_chart(charts.wall_chart(shown, title), width="stretch")
    st.caption(t("print_hint"))
    st.download_button(t("download_wall"), charts.wall_chart_html(frame, title),
                       file_name=f"wall_chart_{term}_{body}_{week['week_end'] if week else ''}.html",
                       mime="text/html", key="download_wall")
    if week:
        summary_table(data.progress_summary(term, body, week["week_end"]))


render()

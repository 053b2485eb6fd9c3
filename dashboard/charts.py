"""Altair chart builders, the dashboard's only charting library: one style for all charts (a font
family that renders Chinese, the colour-blind-safe Okabe–Ito palette)."""

from __future__ import annotations

import math
from html import escape

import altair as alt
import polars as pl

from dashboard.i18n import t

FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", sans-serif'
OKABE_ITO = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
STATUS_COLORS = {
    "one_down_one_up": OKABE_ITO["bluish_green"], "age_down_only": OKABE_ITO["sky_blue"],
    "edu_up_only": OKABE_ITO["orange"], "neither": OKABE_ITO["vermillion"],
}
SIDE_COLORS = {"prev": OKABE_ITO["orange"], "new": OKABE_ITO["blue"]}
EDU_COLORS = {
    1: OKABE_ITO["vermillion"], 2: OKABE_ITO["orange"], 3: OKABE_ITO["yellow"],
    4: OKABE_ITO["sky_blue"], 5: OKABE_ITO["blue"], 6: OKABE_ITO["bluish_green"],
    0: OKABE_ITO["reddish_purple"],
}

# Fill the container's width, keep the height for the plot (Streamlit's default "fit" would
# squeeze the plot to make room for legends).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


_LABELS = {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 13}
_CONFIG = {  # one configure() call: each configure_*() call copies the whole chart
    "font": FONT,
    "axis": alt.AxisConfig(**_LABELS),
    "legend": alt.LegendConfig(**_LABELS, orient="bottom"),
    "header": alt.HeaderConfig(labelFont=FONT, titleFont=FONT, labelFontSize=13),
    "title": alt.TitleConfig(font=FONT, fontSize=14, anchor="start"),
    "text": alt.MarkConfig(font=FONT),
    "range": alt.RangeConfig(category=list(OKABE_ITO.values())),
}


def style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The house style: CJK-capable fonts everywhere and Okabe–Ito as the default palette."""
    return chart.configure(**_CONFIG)


def _status_scale() -> alt.Scale:
    return alt.Scale(domain=[t(f"status_{s}") for s in STATUS_COLORS],
                     range=list(STATUS_COLORS.values()))


def _domain(values: pl.Series, pad: float) -> list[float]:
    low = min(float(values.min() or 0.0), 0.0)
    high = max(float(values.max() or 0.0), 0.0)
    span = (high - low) or 1.0
    return [low - span * pad, high + span * pad]


QUADRANT_MAX_POINTS = 2_000  # above this (all subdistricts of a city), cells with counts
_POINT_COLUMNS = ("district", "body_label", "status_label", "age_shift", "college_share_shift_pp")


def quadrant(shifts: pl.DataFrame) -> alt.TopLevelMixin:
    """x = age shift (years), y = college-share shift (个百分点), one point per district and body;
    the 一降一升 quadrant (younger, better educated) shaded and labelled. `shifts` needs the
    columns district, body_label, status, status_label, age_shift, college_share_shift_pp.
    With more than QUADRANT_MAX_POINTS points, districts are counted per cell of a grid instead
    (quadrant_density): tens of thousands of points are slow to send and to draw, and unreadable."""
    points = shifts.drop_nulls(["age_shift", "college_share_shift_pp"])
    if points.height > QUADRANT_MAX_POINTS:
        return quadrant_density(points)
    points = points.select(_POINT_COLUMNS)  # only what the chart uses goes to the browser
    x_dom = _domain(points["age_shift"], 0.08)
    y_dom = _domain(points["college_share_shift_pp"], 0.08)
    x_title, y_title = t("col_age_shift"), t("col_pp_shift")
    x_scale = alt.Scale(domain=x_dom, nice=False, zero=False)
    y_scale = alt.Scale(domain=y_dom, nice=False, zero=False)
    x = alt.X("age_shift:Q", title=x_title, scale=x_scale)
    y = alt.Y("college_share_shift_pp:Q", title=y_title, scale=y_scale)
    shade, label, rules = _quadrant_frame(x_dom, y_dom, x_scale, y_scale)
    dots = alt.Chart(points).mark_point(filled=True, size=110, opacity=0.9).encode(
        x=x, y=y,
        color=alt.Color("status_label:N", title=t("col_status"), scale=_status_scale(),
                        legend=alt.Legend(columns=2)),
        shape=alt.Shape("body_label:N", title=t("col_body"), legend=alt.Legend(columns=1)),
        tooltip=[
            alt.Tooltip("district:N", title=t("col_district")),
            alt.Tooltip("body_label:N", title=t("col_body")),
            alt.Tooltip("age_shift:Q", title=x_title, format="+.1f"),
            alt.Tooltip("college_share_shift_pp:Q", title=y_title, format="+.1f"),
            alt.Tooltip("status_label:N", title=t("col_status")),
        ],
    )
    chart = alt.layer(shade, label, rules, dots).properties(
        height=400, title=t("quadrant_title"), autosize=FIT_WIDTH)
    return style(chart)


def _quadrant_frame(x_dom: list[float], y_dom: list[float],
                    x_scale: alt.Scale, y_scale: alt.Scale) -> tuple[alt.Chart, alt.Chart,
                                                                     alt.LayerChart]:
    """What both quadrant charts draw behind their data: the 一降一升 corner shaded, its label,
    and dashed rules at zero on both axes."""
    corner = pl.DataFrame({"x": [x_dom[0]], "x2": [0.0], "y": [0.0], "y2": [y_dom[1]],
                           "label": [t("quadrant_label")]})
    shade = alt.Chart(corner).mark_rect(color=OKABE_ITO["bluish_green"], opacity=0.12).encode(
        x=alt.X("x:Q", scale=x_scale), x2="x2:Q", y=alt.Y("y:Q", scale=y_scale), y2="y2:Q")
    label = alt.Chart(corner).mark_text(
        align="left", baseline="top", dx=6, dy=6, fontSize=14, fontWeight="bold",
        color=OKABE_ITO["bluish_green"]).encode(x="x:Q", y="y2:Q", text="label:N")
    zero = pl.DataFrame({"zero": [0.0]})
    rules = (alt.Chart(zero).mark_rule(color="#555555", strokeDash=[4, 4]).encode(x="zero:Q")
             + alt.Chart(zero).mark_rule(color="#555555", strokeDash=[4, 4]).encode(y="zero:Q"))
    return shade, label, rules


def _nice_step(low: float, high: float, cells: int) -> float:
    """A round cell width (1, 2, 2.5 or 5 × 10^k) giving about `cells` cells across low–high."""
    raw = (high - low) / cells
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if raw <= m * magnitude)


def quadrant_density(points: pl.DataFrame, cells: int = 30) -> alt.TopLevelMixin:
    """The quadrant chart for many districts: a grid of cells over the same axes, each cell
    coloured by how many districts (and bodies) fall in it, with how many of them reached
    一降一升 in the tooltip; the quadrant shaded and labelled as in quadrant()."""
    x_dom = _domain(points["age_shift"], 0.08)
    y_dom = _domain(points["college_share_shift_pp"], 0.08)
    x_step = _nice_step(*x_dom, cells)
    y_step = _nice_step(*y_dom, cells)
    grid = (points.group_by(
        x=(pl.col("age_shift") / x_step).floor() * x_step,
        y=(pl.col("college_share_shift_pp") / y_step).floor() * y_step)
        .agg(count=pl.len(), achieved=(pl.col("status") == "one_down_one_up").sum())
        .with_columns(x2=pl.col("x") + x_step, y2=pl.col("y") + y_step)
        .sort("x", "y"))
    x_title, y_title = t("col_age_shift"), t("col_pp_shift")
    x_scale = alt.Scale(domain=x_dom, nice=False, zero=False)
    y_scale = alt.Scale(domain=y_dom, nice=False, zero=False)
    shade, label, rules = _quadrant_frame(x_dom, y_dom, x_scale, y_scale)
    rects = alt.Chart(grid).mark_rect(stroke="#FFFFFF", strokeWidth=0.5).encode(
        x=alt.X("x:Q", title=x_title, scale=x_scale), x2="x2:Q",
        y=alt.Y("y:Q", title=y_title, scale=y_scale), y2="y2:Q",
        color=alt.Color("count:Q", title=t("col_cell_count"),
                        scale=alt.Scale(scheme="blues", zero=True)),
        tooltip=[
            alt.Tooltip("x:Q", title=f"{x_title} ≥", format="+.1f"),
            alt.Tooltip("x2:Q", title=f"{x_title} <", format="+.1f"),
            alt.Tooltip("y:Q", title=f"{y_title} ≥", format="+.1f"),
            alt.Tooltip("y2:Q", title=f"{y_title} <", format="+.1f"),
            alt.Tooltip("count:Q", title=t("col_cell_count")),
            alt.Tooltip("achieved:Q", title=t("col_cell_achieved")),
        ],
    )
    chart = alt.layer(shade, rects, label, rules).properties(
        height=400, title=t("quadrant_density_title", n=points.height), autosize=FIT_WIDTH)
    return style(chart)


def age_distribution(profile: pl.DataFrame) -> alt.TopLevelMixin:
    """Box plot of members' ages, previous vs new term (one panel per body): whiskers from the
    youngest to the oldest, the box from the first to the third quartile, the median as a white
    tick. The quartiles are computed here (linear interpolation, as Vega-Lite's box plot), so
    the chart gets one row per side and body, not one per member (a city has ~100,000).
    `profile` needs the columns side, side_label, body_label, age."""
    ages = profile.drop_nulls("age")
    sides = _side_order(ages)
    age = pl.col("age")
    stats = ages.group_by("side_label", "body_label").agg(
        low=age.min(), q1=age.quantile(0.25, "linear"), median=age.median(),
        q3=age.quantile(0.75, "linear"), high=age.max(), members=pl.len(),
    ).sort("body_label", "side_label")
    x = alt.X("side_label:N", title=None, sort=sides, axis=alt.Axis(labelAngle=0))
    color = alt.Color("side_label:N", title=t("col_side"), sort=sides,
                      scale=alt.Scale(domain=sides, range=_side_colors(ages)))
    y_title = t("col_age")
    tooltip = [alt.Tooltip("side_label:N", title=t("col_side")),
               alt.Tooltip("members:Q", title=t("col_count")),
               alt.Tooltip("low:Q", title=f"{y_title} min"),
               alt.Tooltip("q1:Q", title=f"{y_title} Q1", format=".1f"),
               alt.Tooltip("median:Q", title=f"{y_title} median", format=".1f"),
               alt.Tooltip("q3:Q", title=f"{y_title} Q3", format=".1f"),
               alt.Tooltip("high:Q", title=f"{y_title} max")]
    whiskers = alt.Chart().mark_rule().encode(
        x=x, y=alt.Y("low:Q", title=y_title, scale=alt.Scale(zero=False)), y2="high:Q",
        color=color)
    box = alt.Chart().mark_bar(size=36).encode(x=x, y="q1:Q", y2="q3:Q", color=color,
                                               tooltip=tooltip)
    median = alt.Chart().mark_tick(color="white", size=36, thickness=2).encode(
        x=x, y="median:Q", tooltip=tooltip)
    chart = alt.layer(whiskers, box, median, data=stats).properties(
        width=180, height=300).facet(column=alt.Column("body_label:N", title=None)).properties(
        title=t("age_dist"))
    return style(chart)


def education_mix(mix: pl.DataFrame) -> alt.TopLevelMixin:
    """Stacked 100% bars of education levels, previous vs new. `mix` needs side_label,
    education_level, education_label, members, share."""
    sides = _side_order(mix)
    levels = sorted(mix["education_level"].unique().to_list(), key=lambda v: (v == 0, v))
    labels = [t(f"edu_{level}" if level else "edu_unknown") for level in levels]
    chart = alt.Chart(mix).mark_bar(size=44).encode(
        x=alt.X("side_label:N", title=None, sort=sides, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("share:Q", title=t("col_share"), stack="normalize", axis=alt.Axis(format="%")),
        color=alt.Color("education_label:N", title=t("col_education"), sort=labels,
                        scale=alt.Scale(domain=labels, range=[EDU_COLORS[v] for v in levels])),
        order=alt.Order("education_level:Q", sort="ascending"),
        tooltip=[alt.Tooltip("side_label:N", title=t("col_side")),
                 alt.Tooltip("education_label:N", title=t("col_education")),
                 alt.Tooltip("members:Q", title=t("col_count")),
                 alt.Tooltip("share:Q", title=t("col_share"), format=".1%")],
    ).properties(height=300, title=t("edu_mix"), autosize=FIT_WIDTH)
    return style(chart)


def _side_order(frame: pl.DataFrame) -> list[str]:
    present = set(frame["side"].to_list())
    return [t(f"side_{s}") for s in ("prev", "new") if s in present]


def _side_colors(frame: pl.DataFrame) -> list[str]:
    present = set(frame["side"].to_list())
    return [SIDE_COLORS[s] for s in ("prev", "new") if s in present]


# ------------------------------------------------------------------ progress wall chart
PROGRESS_COLORS = {
    "done": OKABE_ITO["blue"], "due": OKABE_ITO["yellow"], "late": OKABE_ITO["vermillion"],
    "upcoming": "#E6E6E6", "unplanned": OKABE_ITO["reddish_purple"],
}
PROGRESS_TEXT = {"done": "#FFFFFF", "due": "#000000", "late": "#FFFFFF", "upcoming": "#000000",
                 "unplanned": "#000000"}


def _row_labels(cells: pl.DataFrame) -> pl.DataFrame:
    """cells with `row_label`: the district's name, followed by its code where two districts
    of the chart share the name (a city has many a 新村), so each district keeps its own row."""
    shared = pl.col("district_code").n_unique().over("district_name") > 1
    return cells.with_columns(
        pl.when(shared).then(pl.format("{}（{}）", "district_name", "district_code"))
        .otherwise(pl.col("district_name")).alias("row_label"))


def wall_chart(cells: pl.DataFrame, title: str) -> alt.TopLevelMixin:
    """挂图作战: one row per district, one column per stage, each cell coloured by status (with
    the status and days late as text, so colour is never the only cue). `cells` needs the columns
    district_code, district_name, stage_label, stage_order, status, status_label, cell_text."""
    statuses = [s for s in PROGRESS_COLORS if s in set(cells["status"].to_list()) or
                s != "unplanned"]
    labels = [t(f"prog_{s}") for s in statuses]
    stages = (cells.select("stage_label", "stage_order").unique()
              .sort("stage_order")["stage_label"].to_list())
    cells = _row_labels(cells)
    districts = cells["row_label"].unique(maintain_order=True).to_list()
    x = alt.X("stage_label:N", title=None, sort=stages,
              axis=alt.Axis(orient="top", labelAngle=0, labelLimit=160))
    y = alt.Y("row_label:N", title=None, sort=districts)
    base = alt.Chart(cells).encode(x=x, y=y)
    rect = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        color=alt.Color("status_label:N", title=None, sort=labels,
                        scale=alt.Scale(domain=labels, range=[PROGRESS_COLORS[s] for s in statuses])),
        tooltip=[alt.Tooltip("district_name:N", title=t("col_district")),
                 alt.Tooltip("stage_label:N", title=t("col_stage")),
                 alt.Tooltip("cell_text:N", title=t("col_status")),
                 alt.Tooltip("planned_date:T", title=t("col_planned"), format="%Y-%m-%d"),
                 alt.Tooltip("actual_date:T", title=t("col_actual"), format="%Y-%m-%d")],
    )
    text = base.mark_text(fontSize=12).encode(
        text="cell_text:N",
        color=alt.Color("status:N", legend=None,
                        scale=alt.Scale(domain=list(PROGRESS_TEXT),
                                        range=list(PROGRESS_TEXT.values()))),
    )
    chart = (rect + text).properties(height=max(28 * len(districts), 60), title=title,
                                      autosize=FIT_WIDTH)
    return style(chart)


def wall_chart_html(cells: pl.DataFrame, title: str, legend_note: str = "") -> str:
    """The wall chart as a standalone HTML page with inline colours, for printing."""
    stages = (cells.select("stage_label", "stage_order").unique()
              .sort("stage_order")["stage_label"].to_list())
    rows: dict[str, dict[str, tuple[str, str]]] = {}
    for r in _row_labels(cells).iter_rows(named=True):
        rows.setdefault(r["row_label"], {})[r["stage_label"]] = (r["status"], r["cell_text"])
    cell_style = "border:1px solid #999;padding:4px 8px;text-align:center;"
    head = "".join(f'<th style="{cell_style}">{escape(s)}</th>' for s in stages)
    body = []
    for district, cols in rows.items():
        tds = []
        for stage in stages:
            status, text = cols.get(stage, ("", ""))
            colour = PROGRESS_COLORS.get(status, "#FFFFFF")
            ink = PROGRESS_TEXT.get(status, "#000000")
            tds.append(f'<td class="{escape(status)}" style="{cell_style}background:{colour};'
                       f'color:{ink};">{escape(text)}</td>')
        body.append(f'<tr><th style="{cell_style}text-align:left;">{escape(district)}</th>'
                    f'{"".join(tds)}</tr>')
    legend = " ".join(
        f'<span style="display:inline-block;padding:2px 8px;margin-right:6px;'
        f'background:{PROGRESS_COLORS[s]};color:{PROGRESS_TEXT[s]};">{escape(t(f"prog_{s}"))}</span>'
        for s in PROGRESS_COLORS)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>
body {{ font-family: {FONT}; margin: 16px; }}
table {{ border-collapse: collapse; font-size: 12px; }}
* {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
@page {{ size: A4 landscape; margin: 10mm; }}
</style></head>
<body><h2>{escape(title)}</h2>
<p>{legend} {escape(legend_note)}</p>
<table><thead><tr><th style="{cell_style}"></th>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table></body></html>
"""

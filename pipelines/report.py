"""Report text in the style of published Chinese 换届 summaries, generated from the marts.

One place for the wording, used by the CLI's headline, the exported `report.md` and the
dashboard. Differences of shares are always "个百分点" (domain.md §1.1), never "%".
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import duckdb

from pipelines import warehouse

BODY_ZH = {"party": "居民区党组织", "residents": "居委会"}


def years(shift: float | None) -> str:
    """−2.94 → 下降2.9岁; 0 → 持平."""
    if shift is None:
        return ""
    if round(shift, 1) == 0:
        return "持平"
    return f"{'下降' if shift < 0 else '上升'}{abs(shift):.1f}岁"


def points(shift_pp: float | None) -> str:
    """9.21 → 提高9.2个百分点 (a difference of shares, in percentage points)."""
    if shift_pp is None:
        return ""
    if round(shift_pp, 1) == 0:
        return "持平"
    return f"{'提高' if shift_pp > 0 else '下降'}{abs(shift_pp):.1f}个百分点"


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def _with_shift(text: str, shift: str, against: str = "较上届") -> str:
    return f"{text}，{against}{shift}" if shift else text


def body_sentence(row: dict) -> str:
    """One body's 一降一升 result, from a one_down_one_up_rollup row."""
    body = BODY_ZH.get(row["body"], row["body"])
    age = _with_shift(f"成员平均年龄{row['mean_age_new']:.1f}岁", years(row["age_shift"]))
    edu = f"大专及以上学历占{percent(row['college_share_new'])}"
    if row["college_share_shift_pp"] is not None:
        edu = f"{edu}，{points(row['college_share_shift_pp'])}"
    return (f"新一届{body}成员{row['members_new']}人，{age}；{edu}；{row['districts']}个居民区中"
            f"{row['districts_one_down_one_up']}个实现“一降一升”")


def headline(row: dict) -> str:
    """The CLI's one-line answer, from a one_down_one_up_rollup row."""
    body = "居民区党组织" if row["body"] == "party" else "居民委员会"
    age = _with_shift(f"成员平均年龄{row['mean_age_new']:.1f}岁", years(row["age_shift"]))
    edu = f"大专及以上学历占{percent(row['college_share_new'])}"
    if row["college_share_shift_pp"] is not None:
        edu = f"{edu}，{points(row['college_share_shift_pp'])}"
    return (f"{row['subdistrict']} {row['term']} 年{body}换届：{row['districts']} 个居民区中 "
            f"{row['districts_one_down_one_up']} 个实现“一降一升”；{age}；{edu}。")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    try:
        cursor = con.execute(sql, params)
    except duckdb.CatalogException:  # a mart that this database does not have (yet)
        return []
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


# The rollups a subdistrict's paragraph is made of: part → (mart, order of its rows).
PARTS = {
    "shifts": ("one_down_one_up_rollup", "body"),
    "structure": ("district_structure_rollup", None),
    "boards": ("board_structure_rollup", "body"),
    "elections": ("election_results_rollup", "body"),
}


def subdistrict_report(con: duckdb.DuckDBPyConnection, subdistrict: str, term: int) -> str:
    """The whole subdistrict's 换届 in one paragraph: all the headline measures."""
    rows = {part: _rows(con, f"select * from {mart} where subdistrict = ? and term = ?"
                             + (f" order by {order}" if order else ""), [subdistrict, term])
            for part, (mart, order) in PARTS.items()}
    return paragraph(subdistrict, term, rows)


def paragraph(subdistrict: str, term: int, rows: dict[str, list[dict]]) -> str:
    """The paragraph from the rollup rows of one subdistrict and term (`PARTS`)."""
    parts: list[str] = []
    parts += [body_sentence(r) for r in rows["shifts"]]
    for r in rows["structure"]:
        if r["yijiantiao_share"] is not None:
            parts.append(_with_shift(f"书记、主任“一肩挑”比例达{percent(r['yijiantiao_share'])}",
                                     points(r["yijiantiao_share_shift_pp"]), "比上届"))
        if r["cross_share"] is not None:
            parts.append(_with_shift(f"交叉任职{r['cross_people']}人，占两委成员的"
                                     f"{percent(r['cross_share'])}", points(r["cross_share_shift_pp"]),
                                     "比上届"))
        if r["secretary_mean_age"] is not None:
            parts.append(_with_shift(f"书记平均年龄{r['secretary_mean_age']:.1f}岁",
                                     years(r["secretary_age_shift"])))
    for r in rows["boards"]:
        body = BODY_ZH.get(r["body"], r["body"])
        pieces = [_with_shift(f"{body}成员中女性占{percent(r['women_share'])}",
                              points(r["women_share_shift_pp"]))]
        if r["age_35_and_under_share"] is not None:
            pieces.append(f"35岁及以下占{percent(r['age_35_and_under_share'])}")
        if r["new_member_share"] is not None:
            pieces.append(f"新进{r['new_members']}人，占{percent(r['new_member_share'])}")
        parts.append("，".join(pieces))
    for r in rows["elections"]:
        body = BODY_ZH.get(r["body"], r["body"])
        pieces = []
        if r["margin_ratio"] is not None:
            pieces.append(f"{body}选举差额比例{percent(r['margin_ratio'])}")
        if r["turnout"] is not None:
            pieces.append(f"参选率{percent(r['turnout'])}")
        if pieces:
            parts.append("，".join(pieces))
    if not parts:
        return f"{subdistrict} {term} 年换届：暂无可报告的数据。"
    return f"{subdistrict}{term}年换届：" + "；".join(parts) + "。"


def latest_terms(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(subdistrict, latest term with a 一降一升 result) pairs, for the headline and report.md."""
    rows = _rows(con, "select subdistrict, max(term) as term from one_down_one_up_rollup "
                      "group by 1 order by 1", [])
    return [(r["subdistrict"], r["term"]) for r in rows]


def report_markdown(db: Path) -> str:
    """report.md: one paragraph per subdistrict for its latest compared round."""
    with closing(warehouse.connect_read_only(db)) as con:
        terms = latest_terms(con)
        lines = ["# 换届情况报告", "",
                 "由 boardshift 根据本次导入的名册自动生成；差值中的占比变化以“个百分点”计。", ""]
        latest = _latest_rows(con)
        for subdistrict, term in terms:
            rows = {part: latest[part].get((subdistrict, term), []) for part in PARTS}
            lines += [f"## {subdistrict} {term} 年", "", paragraph(subdistrict, term, rows), ""]
        if not terms:
            lines.append("没有可与上一届比较的班子，尚无一降一升结果。")
    return "\n".join(lines).rstrip() + "\n"


def _latest_rows(con: duckdb.DuckDBPyConnection) -> dict[str, dict[tuple[str, int], list[dict]]]:
    """Every part's rows of each subdistrict's latest term, read once (one query per mart)."""
    latest = ("(select subdistrict, max(term) as term from one_down_one_up_rollup group by 1)")
    grouped: dict[str, dict[tuple[str, int], list[dict]]] = {}
    for part, (mart, order) in PARTS.items():
        rows = _rows(con, f"select r.* from {mart} as r join {latest} as l "
                          "on r.subdistrict = l.subdistrict and r.term = l.term "
                          f"order by r.subdistrict{f', r.{order}' if order else ''}", [])
        by_unit: dict[tuple[str, int], list[dict]] = {}
        for row in rows:
            by_unit.setdefault((row["subdistrict"], row["term"]), []).append(row)
        grouped[part] = by_unit
    return grouped

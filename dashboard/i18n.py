"""Every label of the dashboard in Chinese (default) and English; `t(key)` picks the language
stored in st.session_state by the sidebar switch."""

from __future__ import annotations

from typing import Any

import streamlit as st

LANG_KEY = "lang"
LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}

# key: (中文, English). Placeholders are str.format fields.
_PAIRS: dict[str, tuple[str, str]] = {
    # app, sidebar
    "app_title": ("两委换届班子结构看板", "Board re-election dashboard"),
    "language": ("语言 Language", "Language 语言"),
    "filters": ("筛选", "Filters"),
    "f_body": ("组织类型", "Body"),
    "f_term": ("换届年份", "Term"),
    "f_subdistrict": ("街道", "Subdistrict"),
    "all_bodies": ("两委（全部）", "Both bodies"),
    "all_subdistricts": ("全部街道", "All subdistricts"),
    "no_subdistrict": ("（未注明街道）", "(no subdistrict)"),
    "db_caption": ("数据库：{path}", "Database: {path}"),
    # pages
    "page_overview": ("总览", "Overview"),
    "page_districts": ("居民区对比", "Districts"),
    "page_composition": ("班子结构", "Composition"),
    "page_detail": ("居民区详情", "District detail"),
    "page_quality": ("数据质量", "Data quality"),
    "page_sql": ("SQL 查询", "SQL query"),
    "page_exports": ("导出", "Exports"),
    # bodies, statuses, sides
    "body_party": ("党组织", "Party"),
    "body_residents": ("居委会", "Residents"),
    "body_party_long": ("居民区党组织", "residential-district Party organisations"),
    "body_residents_long": ("居民委员会", "residents' committees"),
    "body_party_heading": ("居民区党组织", "Residential-district Party organisations"),
    "body_residents_heading": ("居民委员会", "Residents' committees"),
    "status_one_down_one_up": ("一降一升", "One down, one up"),
    "status_age_down_only": ("仅年龄下降", "Age down only"),
    "status_edu_up_only": ("仅学历提升", "Education up only"),
    "status_neither": ("均未实现", "Neither"),
    "side_prev": ("上届", "Previous"),
    "side_new": ("本届", "New"),
    "edu_1": ("初中及以下", "Junior secondary or less"),
    "edu_2": ("高中/中专", "Senior secondary"),
    "edu_3": ("大专", "College (3-year)"),
    "edu_4": ("本科", "Bachelor"),
    "edu_5": ("硕士", "Master"),
    "edu_6": ("博士", "Doctorate"),
    "edu_unknown": ("学历不详", "Unknown"),
    "gender_M": ("男", "M"),
    "gender_F": ("女", "F"),
    "role_secretary": ("书记", "Secretary"),
    "role_deputy_secretary": ("副书记", "Deputy secretary"),
    "role_director": ("主任", "Director"),
    "role_deputy_director": ("副主任", "Deputy director"),
    "role_member": ("委员", "Member"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    # empty states and errors
    "no_db": ("还没有数据库（{path}）。请先运行 `boardshift run`，或用 `boardshift dashboard` "
              "启动（数据库不存在时会先用 raw/ 中的演示数据构建）。",
              "No database yet ({path}). Run `boardshift run` first, or start with "
              "`boardshift dashboard` (it builds the demo data from raw/ when the database is missing)."),
    "no_marts": ("数据库中还没有指标表：请运行 `boardshift build` 或 `boardshift run`。",
                 "The database has no marts yet: run `boardshift build` or `boardshift run`."),
    "no_rows": ("当前筛选条件下没有数据，请调整左侧的筛选条件。",
                "No data for the current filters; change the filters in the sidebar."),
    "no_prev": ("{body} {term} 年没有上一届班子可比较，暂无一降一升结果。",
                "The {body} of {term} have no previous term to compare with: no one-down-one-up result."),
    "no_prev_board": ("{term} 年是该班子的第一届，没有上一届可比较。",
                      "{term} is this board's first term: there is no previous term to compare with."),
    # units and formats
    "years": ("{value} 岁", "{value} yrs"),
    "years_shift": ("{value} 岁", "{value} yrs"),
    "pp_shift": ("{value} 个百分点", "{value} pp"),
    "persons": ("{value} 人", "{value}"),
    "of": ("{k} / {n}", "{k} of {n}"),
    # overview
    "overview_intro": ("{term} 年换届与上一届相比：平均年龄是否下降、大专及以上学历占比是否提高（一降一升）。",
                       "The {term} re-election compared with the previous term: did the mean age go "
                       "down and the college-or-above share go up (one down, one up)?"),
    "block_title": ("{subdistrict} · {body}", "{subdistrict} · {body}"),
    "card_districts": ("实现一降一升的居民区", "Districts with one down, one up"),
    "card_age": ("平均年龄（本届）", "Mean age (new)"),
    "card_college": ("大专及以上占比（本届）", "College or above (new)"),
    "card_members": ("成员人数（本届）", "Members (new)"),
    "members_delta": ("上届 {value} 人", "previous {value}"),
    "sentence": ("{subdistrict}{term}年{body}换届：{n}个居民区中{k}个实现“一降一升”。"
                 "新一届{body}成员平均年龄{age}，较上届{age_change}；大专及以上学历占{college}，{edu_change}。",
                 "{subdistrict}{term} re-election of the {body}: {k} of {n} districts reached “one "
                 "down, one up”. Mean age of the new members {age}, {age_change} on the previous "
                 "term; college or above {college}, {edu_change}."),
    "s_age": ("{value}岁", "{value} years"),
    "s_age_down": ("下降{value}岁", "down {value} years"),
    "s_age_up": ("上升{value}岁", "up {value} years"),
    "s_age_same": ("持平", "unchanged"),
    "s_edu_up": ("提高{value}个百分点", "up {value} percentage points"),
    "s_edu_down": ("下降{value}个百分点", "down {value} percentage points"),
    "s_edu_same": ("与上届持平", "unchanged"),
    "s_unknown": ("不详", "unknown"),
    "s_subdistrict": ("{name}", "{name}, "),
    "sentence_label": ("报告用语（可复制）", "Report sentence (copy)"),
    "shortfalls": ("未实现一降一升的居民区及原因", "Districts short of one down, one up, and why"),
    "shortfall_item": ("**{district}**（{status}）：{why}", "**{district}** ({status}): {why}"),
    "all_achieved": ("所有居民区均实现一降一升。", "Every district reached one down, one up."),
    "why_age_up": ("平均年龄上升{value}岁", "mean age up {value} years"),
    "why_age_same": ("平均年龄未下降", "mean age not lower"),
    "why_age_unknown": ("平均年龄不详", "mean age unknown"),
    "why_edu_down": ("大专及以上占比下降{value}个百分点", "college share down {value} pp"),
    "why_edu_same": ("大专及以上占比持平且平均学历未提高", "college share unchanged, mean level not higher"),
    "why_edu_unknown": ("学历不详", "education unknown"),
    "why_sep": ("；", "; "),
    # districts page
    "quadrant_title": ("各居民区平均年龄变化与大专及以上占比变化",
                       "Change in mean age vs change in college share, per district"),
    "quadrant_help": ("左上象限（阴影）= 一降一升：年龄下降、学历占比提高。",
                      "Upper-left quadrant (shaded) = one down, one up: younger and better educated."),
    "quadrant_label": ("一降一升", "One down, one up"),
    "col_district": ("居民区", "District"),
    "col_body": ("组织", "Body"),
    "col_prev_term": ("上届", "Prev. term"),
    "col_age_new": ("平均年龄", "Mean age"),
    "col_age_shift": ("年龄变化(岁)", "Age shift (yrs)"),
    "col_college_new": ("大专及以上", "College+"),
    "col_pp_shift": ("占比变化(个百分点)", "Share shift (pp)"),
    "col_status": ("结果", "Result"),
    "col_why": ("原因", "Why"),
    "col_term": ("换届年份", "Term"),
    "col_side": ("届别", "Term"),
    "col_age": ("年龄", "Age"),
    "col_count": ("人数", "Members"),
    "col_share": ("占比", "Share"),
    "col_education": ("学历", "Education"),
    "col_name": ("姓名", "Name"),
    "col_gender": ("性别", "Gender"),
    "col_role": ("职务", "Role"),
    "col_party": ("党员", "Party member"),
    "col_continuing": ("连任", "Continuing"),
    "districts_caption": ("点击表头可排序。", "Click a column header to sort."),
    # composition page
    "composition_intro": ("所选班子（{boards} 个）本届与上届的结构对比。",
                          "Structure of the chosen boards ({boards}), new term vs previous term."),
    "pick_districts": ("居民区（留空 = 全部）", "Districts (empty = all)"),
    "all_districts": ("全部居民区", "All districts"),
    "age_dist": ("年龄分布", "Age distribution"),
    "edu_mix": ("学历构成", "Education mix"),
    "women_share": ("女性占比", "Women"),
    "party_share": ("党员占比", "Party members"),
    "continuing": ("连任", "Continuing"),
    "new_members": ("新进", "New"),
    "continuing_help": ("与上一届同一居民区同一班子相比（身份证号，或姓名 + 出生日期）。",
                        "Compared with the previous board of the same district and body "
                        "(ID number, or name + birth date)."),
    "no_prev_side": ("所选班子没有上一届，只显示本届。",
                     "The chosen boards have no previous term: showing the new term only."),
    # detail page
    "pick_district": ("居民区", "District"),
    "board_heading": ("{body} · {term} 年", "{body} · {term}"),
    "metric_row": ("一降一升指标", "One-down-one-up metrics"),
    "findings": ("结论", "Findings"),
    "finding_age_down": ("平均年龄由{prev}岁降至{new}岁，下降{value}岁。",
                         "Mean age fell from {prev} to {new}, down {value} years."),
    "finding_age_up": ("平均年龄由{prev}岁升至{new}岁，上升{value}岁。",
                       "Mean age rose from {prev} to {new}, up {value} years."),
    "finding_age_same": ("平均年龄与上届持平（{new}岁）。", "Mean age unchanged ({new})."),
    "finding_edu_up": ("大专及以上学历占比由{prev}提高到{new}，提高{value}个百分点。",
                       "College-or-above share rose from {prev} to {new}, up {value} pp."),
    "finding_edu_down": ("大专及以上学历占比由{prev}降至{new}，下降{value}个百分点。",
                         "College-or-above share fell from {prev} to {new}, down {value} pp."),
    "finding_edu_same": ("大专及以上学历占比与上届持平（{new}）。",
                         "College-or-above share unchanged ({new})."),
    "finding_unknown": ("指标不详（缺少出生日期或学历）。",
                        "Metric unknown (birth dates or education missing)."),
    "finding_status": ("结果：{status}。", "Result: {status}."),
    "members_heading": ("成员名单", "Members"),
    "names_hidden": ("成员姓名需要登录后查看。", "Sign in to see members' names."),
    "mean_age": ("平均年龄", "Mean age"),
    "college_share": ("大专及以上", "College or above"),
    "members": ("人数", "Members"),
    "mean_edu_level": ("平均学历等级", "Mean education level"),
    # data quality
    "last_build": ("最近一次成功构建：{loaded}（数据库文件时间 {mtime}）",
                   "Last successful build: {loaded} (database file time {mtime})"),
    "last_build_unknown": ("最近一次成功构建：数据库文件时间 {mtime}",
                           "Last successful build: database file time {mtime}"),
    "load_report": ("各文件读取情况（读取 = 入库 + 隔离）", "Rows per file (read = loaded + quarantined)"),
    "quarantine": ("隔离的行及原因", "Quarantined rows and reasons"),
    "dq_findings": ("数据问题（已入库，相关字段置空）", "Data-quality findings (loaded, field left empty)"),
    "none_quarantined": ("没有隔离的行。", "No rows were quarantined."),
    "no_findings": ("没有数据问题。", "No data-quality findings."),
    "totals": ("共读取 {read} 行，入库 {loaded} 行，隔离 {quarantined} 行；数据问题 {findings} 条。",
               "{read} rows read, {loaded} loaded, {quarantined} quarantined; {findings} findings."),
    "col_table": ("表", "Table"),
    "col_file": ("文件", "File"),
    "col_sheet": ("工作表", "Sheet"),
    "col_row": ("行号", "Row"),
    "col_format": ("格式", "Format"),
    "col_encoding": ("编码", "Encoding"),
    "col_read": ("读取", "Read"),
    "col_loaded": ("入库", "Loaded"),
    "col_quarantined": ("隔离", "Quarantined"),
    "col_ignored": ("忽略的列", "Ignored columns"),
    "col_reason_code": ("原因代码", "Reason code"),
    "col_reason": ("原因", "Reason"),
    "col_column": ("列", "Column"),
    "col_value": ("原值", "Value"),
    "col_finding_code": ("问题代码", "Finding code"),
    "col_message": ("说明", "Message"),
    # sql page
    "sql_intro": ("对指标表运行只读 SQL（one_down_one_up、one_down_one_up_rollup、board_composition、"
                  "board_members、quarantine、data_quality_findings、load_report）。不能写入，不能读取磁盘文件；"
                  "最多 {rows} 行，{seconds} 秒超时。",
                  "Read-only SQL on the marts (one_down_one_up, one_down_one_up_rollup, "
                  "board_composition, board_members, quarantine, data_quality_findings, load_report). "
                  "No writes, no file access; at most {rows} rows, {seconds} s time limit."),
    "sql_box": ("SQL", "SQL"),
    "sql_run": ("运行查询", "Run query"),
    "sql_rows": ("{rows} 行", "{rows} rows"),
    "sql_truncated": ("结果超过 {rows} 行，只显示前 {rows} 行。",
                      "More than {rows} rows: showing the first {rows}."),
    "sql_empty": ("请输入一条 SQL 查询。", "Enter a SQL query."),
    "download_csv": ("下载 CSV", "Download CSV"),
    # exports page
    "exports_intro": ("从当前数据库生成的汇总表（与 `boardshift export` 写出的文件相同）。",
                      "Summary tables built from the current database (the same files "
                      "`boardshift export` writes)."),
    "workbook": ("汇总工作簿 summary.xlsx（每个指标表一个工作表，中文表头）",
                 "Workbook summary.xlsx (a sheet per mart, Chinese headers)"),
    "download_xlsx": ("下载 summary.xlsx", "Download summary.xlsx"),
    "csv_tables": ("单表 CSV（UTF-8，带 BOM，Excel 可直接打开）",
                   "Single tables as CSV (UTF-8 with BOM, opens in Excel)"),
    "export_one_down_one_up": ("一降一升（居民区）", "One down, one up (districts)"),
    "export_one_down_one_up_rollup": ("一降一升（街道汇总）", "One down, one up (subdistricts)"),
    "export_board_composition": ("班子结构", "Board composition"),
    "export_quarantine": ("隔离行", "Quarantined rows"),
    "export_findings": ("数据问题", "Data-quality findings"),
}

TEXT: dict[str, dict[str, str]] = {
    lang: {key: pair[i] for key, pair in _PAIRS.items()} for i, lang in enumerate(LANGS)
}


def lang() -> str:
    """The language chosen in the sidebar ("zh" until the user switches)."""
    chosen = st.session_state.get(LANG_KEY, "zh")
    return chosen if chosen in LANGS else "zh"


def t(key: str, **fields: Any) -> str:
    """The label `key` in the current language, with `fields` filled in."""
    text = TEXT[lang()][key]
    return text.format(**fields) if fields else text


def t_or(key: str, fallback: str) -> str:
    """The label `key`, or `fallback` when there is none (e.g. a mart added after this file)."""
    return TEXT[lang()].get(key, fallback)

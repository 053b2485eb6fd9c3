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
    # paging (city scale: hundreds of subdistricts, thousands of districts)
    "page_pick": ("显示的街道（共 {n} 个，每页 {size} 个）",
                  "Subdistricts shown ({n} in all, {size} a page)"),
    "page_range": ("第 {first}–{last} 个：{first_name} … {last_name}",
                   "{first}–{last}: {first_name} … {last_name}"),
    "pick_subdistrict_first": ("街道（先选街道，再选居民区）",
                               "Subdistrict (pick it first, then the district)"),
    "too_many_to_pick": ("全部街道共有 {n} 个居民区：下图和指标为全部居民区；在左侧选一个街道后可按居民区挑选。",
                         "All subdistricts hold {n} districts: the charts and figures cover them "
                         "all; choose a subdistrict in the sidebar to pick districts."),
    # pages
    "page_overview": ("总览", "Overview"),
    "page_districts": ("居民区对比", "Districts"),
    "page_composition": ("班子结构", "Composition"),
    "page_detail": ("居民区详情", "District detail"),
    "page_structure": ("结构", "Structure"),
    "page_elections": ("选举", "Elections"),
    "page_progress": ("进度", "Progress"),
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
    "subdistrict_table": ("各街道一览（点击表头可排序；下方为每页街道的详细结果）",
                          "Every subdistrict (click a column header to sort; the details of "
                          "one page of subdistricts follow)"),
    "col_subdistrict": ("街道", "Subdistrict"),
    "col_districts": ("居民区数", "Districts"),
    "col_achieved": ("实现一降一升", "One down, one up"),
    "col_achieved_share": ("实现比例", "Share reached"),
    "col_members_new": ("成员（本届）", "Members (new)"),
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
    "quadrant_density_title": ("各居民区平均年龄变化与大专及以上占比变化（{n} 个点，按格计数）",
                               "Change in mean age vs change in college share ({n} points, "
                               "counted per cell)"),
    "quadrant_density_help": ("点太多，按格汇总：颜色越深，格内居民区越多。左上象限（阴影）= 一降一升。"
                              "在左侧选一个街道可逐个显示居民区。",
                              "Too many points to draw one by one: each cell counts its "
                              "districts (darker = more). Upper-left quadrant (shaded) = one down, "
                              "one up. Choose a subdistrict in the sidebar to see each district."),
    "col_cell_count": ("居民区数", "Districts"),
    "col_cell_achieved": ("其中一降一升", "Of which one down, one up"),
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
    "names_hidden": ("成员姓名需要登录后查看。", "Sign in to see members' names. "),
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
    # sign-in (dashboard/auth.py)
    "auth_heading": ("登录", "Sign-in"),
    "auth_login": ("登录", "Sign in"),
    "auth_logout": ("退出登录", "Sign out"),
    "auth_signed_in_as": ("已登录：{who}", "Signed in: {who}"),
    "auth_signed_in": ("已登录（本地密码）。", "Signed in (local password)."),
    "auth_password": ("密码", "Password"),
    "auth_submit": ("登录", "Sign in"),
    "auth_wrong_password": ("密码不正确。", "Wrong password."),
    "auth_not_configured_short": ("未配置登录：不显示姓名。", "Sign-in not configured: no names shown."),
    "auth_refused_oidc": ("请点击左侧的“登录”按钮（单位统一身份认证）。",
                          "Use the “Sign in” button in the sidebar (your organisation's sign-in)."),
    "auth_refused_password": ("请在左侧输入看板密码登录。",
                              "Enter the dashboard password in the sidebar."),
    "auth_refused_none": ("本看板尚未配置登录，因此不显示姓名。管理员可在 .streamlit/secrets.toml 中配置 "
                          "[auth]（统一身份认证 OIDC），或用 `python -m dashboard.auth hash` 生成密码哈希，"
                          "写入环境变量 {env} 或 secrets.toml 的 [boardshift] password_hash（离线安装）。",
                          "Sign-in is not configured, so no names are shown. An administrator can "
                          "configure [auth] (OpenID Connect) in .streamlit/secrets.toml, or make a "
                          "password hash with `python -m dashboard.auth hash` and set it in the "
                          "environment variable {env} or as [boardshift] password_hash in "
                          "secrets.toml (offline installations)."),
    # structure page
    "structure_intro": ("{term} 年换届的两委班子结构，与上一届相比（占比变化以个百分点计）。",
                        "Structure of both boards in the {term} round, against the previous term "
                        "(share changes in percentage points)."),
    "card_yijiantiao": ("书记、主任“一肩挑”比例", "Secretary also director (一肩挑)"),
    "card_cross": ("交叉任职比例", "Cross-serving share"),
    "card_secretary_age": ("书记平均年龄", "Secretaries' mean age"),
    "card_director_age": ("主任平均年龄", "Directors' mean age"),
    "card_secretary_college": ("书记大专及以上", "Secretaries college+"),
    "card_director_college": ("主任大专及以上", "Directors college+"),
    "structure_counts": ("一肩挑：两委俱全的 {n} 个居民区中 {k} 个；交叉任职：两委成员 {people} 人中 {cross} 人"
                         "（按人计，不按职数）；书记平均学历等级 {sec_edu}（{sec_edu_shift}），主任 {dir_edu}"
                         "（{dir_edu_shift}）。",
                         "一肩挑: {k} of {n} districts with both boards; cross-serving: {cross} of "
                         "{people} people on the two boards (persons, not seats); secretaries' "
                         "mean education level {sec_edu} ({sec_edu_shift}), directors' {dir_edu} "
                         "({dir_edu_shift})."),
    "yijiantiao_help": ("按居民区计：一肩挑的居民区 ÷ 两委俱全的居民区。",
                        "Per district: districts with 一肩挑 ÷ districts with both boards."),
    "cross_help": ("按人计：交叉任职人数 ÷ 两委成员（去重）人数。",
                   "Per person: people on both boards ÷ distinct people on the two boards."),
    "body_structure": ("各班子成员结构", "Members of each body"),
    "col_measure": ("指标", "Measure"),
    "col_new_value": ("本届", "New"),
    "col_prev_value": ("上届", "Previous"),
    "col_shift_pp": ("变化(个百分点)", "Change (pp)"),
    "m_women": ("女性", "Women"),
    "m_party": ("党员（居委会）", "Party members (residents' committee)"),
    "m_age_35": ("35岁及以下", "35 or under"),
    "m_age_36_45": ("36–45岁", "36–45"),
    "m_age_46_55": ("46–55岁", "46–55"),
    "m_age_56": ("56岁及以上", "56 or over"),
    "m_bachelor": ("本科及以上", "Bachelor or above"),
    "m_high_school": ("高中(中专)及以上", "Senior secondary or above"),
    "district_table": ("各居民区", "Per district"),
    "col_both_boards": ("两委俱全", "Both boards"),
    "col_yijiantiao": ("一肩挑", "一肩挑"),
    "col_yijiantiao_prev": ("上届一肩挑", "一肩挑 (prev.)"),
    "col_cross_people": ("交叉任职(人)", "Cross-serving"),
    "col_distinct_people": ("两委成员(人)", "People"),
    "col_cross_share": ("交叉任职比例", "Cross-serving share"),
    "col_secretary_age": ("书记年龄", "Secretary's age"),
    "col_director_age": ("主任年龄", "Director's age"),
    "col_secretary_edu": ("书记学历", "Secretary's education"),
    "col_director_edu": ("主任学历", "Director's education"),
    "checks_heading": ("结构规则检查", "Structure checks"),
    "no_checks": ("没有违反结构规则的班子。", "No board breaks a structure rule."),
    "col_rule": ("规则", "Rule"),
    "col_rule_source": ("依据", "Source"),
    "col_observed": ("实际", "Observed"),
    "col_min": ("下限", "Min"),
    "col_max": ("上限", "Max"),
    "report_label": ("报告段落（与 report.md 相同，可复制）",
                     "Report paragraph (Chinese, the same text as report.md; copy)"),
    "no_structure": ("当前筛选条件下没有两委结构数据。", "No structure data for the current filters."),
    "levels_shift": ("{value}级", "{value} levels"),
    # elections page
    "elections_intro": ("{term} 年选举：差额比例、20%差额规定、参选率、得票率和全票当选；当选名单与班子名单的比对。",
                        "The {term} elections: margin, the 20% rule, turnout, vote shares and "
                        "unanimous elections; elected candidates against the board rosters."),
    "card_margin": ("差额比例", "Margin (差额比例)"),
    "card_rule": ("符合20%差额规定的选举", "Elections meeting the 20% rule"),
    "card_turnout": ("参选率", "Turnout"),
    "card_unanimous": ("全票当选", "Elected unanimously"),
    "margin_help": ("(候选人数 − 应选人数) ÷ 应选人数，汇总计算。",
                    "(candidates − seats) ÷ seats, pooled."),
    "rule_help": ("候选人数 ≥ 应选人数 × 1.2（向上取整），党组织选举适用；居委会仅作对照。",
                  "Candidates ≥ ceil(1.2 × seats); binding for the Party, shown for comparison for "
                  "residents' committees."),
    "seats_delta": ("应选 {seats} 人，候选 {candidates} 人", "{seats} seats, {candidates} candidates"),
    "col_seats": ("应选", "Seats"),
    "col_candidates": ("候选人", "Candidates"),
    "col_margin": ("差额比例", "Margin"),
    "col_rule_met": ("符合20%规定", "20% rule met"),
    "col_turnout": ("参选率", "Turnout"),
    "col_min_vote": ("最低得票率", "Min vote share"),
    "col_mean_vote": ("平均得票率", "Mean vote share"),
    "col_unanimous": ("全票当选", "Unanimous"),
    "col_members_not_candidates": ("班子成员非候选人", "Members not candidates"),
    "col_elected_not_members": ("当选未进班子", "Elected, not members"),
    "election_table": ("各居民区选举", "Elections per district"),
    "roster_heading": ("当选名单与班子名单的差异", "Elected candidates vs board rosters"),
    "roster_counts": ("班子成员中未作为候选人的 {board_only} 人；当选但不在班子名单的 {elected_only} 人。",
                      "{board_only} board members were never candidates; {elected_only} elected "
                      "candidates are not on the board."),
    "no_roster_differences": ("当选名单与班子名单一致。", "The elected candidates match the boards."),
    "side_board_only": ("在班子名单，非候选人", "On the board, never a candidate"),
    "side_elected_only": ("当选，不在班子名单", "Elected, not on the board"),
    "col_votes": ("得票", "Votes"),
    "col_difference": ("差异", "Difference"),
    "no_elections": ("当前筛选条件下没有选举数据。", "No elections for the current filters."),
    # progress page
    "progress_intro": ("换届选情挂图作战：每个居民区一行、每个阶段一列，颜色表示状态。",
                       "The wall chart (挂图作战): one row per district, one column per stage, "
                       "coloured by status."),
    "progress_term": ("换届轮次", "Round"),
    "progress_body": ("组织类型", "Body"),
    "progress_week": ("周次", "Week"),
    "week_label": ("{start} 至 {end}", "{start} to {end}"),
    "week_latest": ("{start} 至 {end}（截至 {as_of}，最新）", "{start} to {end} (as of {as_of}, latest)"),
    "wall_title": ("{body} {term} 年换届进度（截至 {date}）", "{body}, {term} round (as of {date})"),
    "prog_done": ("已完成", "Done"),
    "prog_due": ("本周到期", "Due this week"),
    "prog_late": ("逾期", "Late"),
    "prog_upcoming": ("未到期", "Upcoming"),
    "prog_unplanned": ("未定计划", "Unplanned"),
    "cell_late": ("逾期{days}天", "late {days} d"),
    "cell_done_late": ("完成(晚{days}天)", "done ({days} d late)"),
    "col_stage": ("阶段", "Stage"),
    "col_planned": ("计划日期", "Planned"),
    "col_actual": ("完成日期", "Done on"),
    "col_boards": ("班子数", "Boards"),
    "col_done": ("已完成", "Done"),
    "col_done_in_week": ("本周完成", "Done this week"),
    "col_late": ("逾期", "Late"),
    "col_due": ("本周到期", "Due"),
    "col_upcoming": ("未到期", "Upcoming"),
    "col_max_days_late": ("最多逾期(天)", "Most days late"),
    "col_done_share": ("完成率", "Done"),
    "weekly_summary": ("本周汇总：各阶段已完成、逾期、到期的班子数", "This week: boards done, late and due per stage"),
    "print_hint": ("打印：下载 HTML 挂图，用浏览器打开后打印（建议横向）；或直接在本页按 Ctrl+P。",
                   "To print: download the wall chart as HTML, open it in a browser and print "
                   "(landscape); or press Ctrl+P on this page."),
    "late_only": ("只看有逾期阶段的居民区", "Only districts with a late stage"),
    "wall_shown": ("图中显示 {shown} 个居民区（共 {total} 个；上方计数和可打印的挂图含全部居民区）",
                   "The chart shows {shown} of {total} districts (the counts above and the "
                   "printable wall chart hold them all)"),
    "no_late": ("没有逾期的阶段。", "No stage is late."),
    "download_wall": ("下载挂图（HTML，可打印）", "Download the wall chart (HTML, printable)"),
    "no_progress": ("还没有换届进度数据（进度表，如 raw/进度_2026.xlsx）。",
                    "No progress data yet (a milestones file such as raw/进度_2026.xlsx)."),
    "no_progress_rows": ("该轮次、组织类型和街道没有进度数据。",
                         "No progress rows for this round, body and subdistrict."),
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


def texts() -> dict[str, str]:
    """Every label in the current language, for loops over thousands of rows (t() reads the
    language from st.session_state on each call)."""
    return TEXT[lang()]

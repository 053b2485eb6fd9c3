"""The marts users get: which ones are exported, their Chinese sheet names and column headers.

Headers come from one vocabulary (column → 中文) plus the suffix rules of the marts' naming
(`_prev` 上届…, `_shift_pp` …变化(个百分点), `_shift` …变化), so a new column of an existing kind
gets a Chinese header without another table to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines import contract

STATUS_ZH = {
    "one_down_one_up": "一降一升", "age_down_only": "仅年龄下降",
    "edu_up_only": "仅学历提升", "neither": "均未实现",
    # progress statuses
    "done": "已完成", "late": "逾期", "due": "本周到期", "upcoming": "未到期", "unplanned": "未排期",
}
BODY_ZH = {"party": "党组织", "residents": "居委会"}

VOCABULARY: dict[str, str] = {
    # keys and places
    "board_id": "班子编号", "rollup_id": "汇总编号", "district_term_id": "编号", "check_id": "编号",
    "election_id": "选举编号", "summary_id": "编号", "wall_chart_id": "编号", "progress_id": "编号",
    "district_code": "居民区代码", "district_name": "居民区名称", "subdistrict": "街道",
    "city_district": "区", "body": "组织类型", "term": "换届年份", "prev_term": "上届",
    "districts": "居民区数", "districts_with_both_boards": "两委俱全的居民区数",
    "election_date": "选举日期", "elections": "选举数",
    # people and ages
    "members": "人数", "members_new": "本届人数", "members_prev": "上届人数",
    "members_with_age": "有年龄的人数", "mean_age": "平均年龄(岁)", "median_age": "年龄中位数(岁)",
    "mean_age_new": "本届平均年龄(岁)", "age_shift": "平均年龄变化(岁)",
    **{code: label for code, label, _, _ in contract.AGE_BANDS},
    **{f"{code}_share": f"{label}占比" for code, label, _, _ in contract.AGE_BANDS},
    "women": "女性人数", "women_share": "女性占比", "party_members": "党员人数",
    "party_member_share": "党员占比",
    **{f"edu_level_{k}": v for k, v in contract.EDUCATION_LEVELS.items()},
    "edu_unknown": "学历不详", "college_share": "大专及以上占比", "college_share_new": "本届大专及以上占比",
    "college_share_shift_pp": "大专及以上占比变化(个百分点)",
    "bachelor_share": "本科及以上占比", "high_school_share": "高中(中专)及以上占比",
    "mean_edu_level": "平均学历等级", "mean_edu_level_new": "本届平均学历等级",
    "edu_level_shift": "平均学历等级变化",
    "age_down": "年龄下降", "edu_up": "学历提升", "status": "结果",
    "continuing_members": "连任人数", "new_members": "新进人数", "new_member_share": "新进占比",
    "districts_one_down_one_up": "实现一降一升的居民区数", "districts_age_down_only": "仅年龄下降的居民区数",
    "districts_edu_up_only": "仅学历提升的居民区数", "districts_neither": "均未实现的居民区数",
    # structure
    "has_both_boards": "两委俱全", "party_board_members": "党组织成员数",
    "residents_committee_members": "居委会成员数", "distinct_people": "两委成员(人)",
    "cross_people": "交叉任职人数", "cross_share": "交叉任职占比", "is_yijiantiao": "一肩挑",
    "yijiantiao_districts": "一肩挑的居民区数", "yijiantiao_share": "一肩挑比例",
    "secretaries": "书记人数", "secretary_age": "书记年龄(岁)", "secretary_edu_level": "书记学历等级",
    "secretary_mean_age": "书记平均年龄(岁)", "secretary_age_shift": "书记平均年龄变化(岁)",
    "secretary_mean_edu_level": "书记平均学历等级", "secretary_edu_level_shift": "书记学历等级变化",
    "secretary_college_share": "书记大专及以上占比",
    "directors": "主任人数", "director_age": "主任年龄(岁)", "director_edu_level": "主任学历等级",
    "director_mean_age": "主任平均年龄(岁)", "director_age_shift": "主任平均年龄变化(岁)",
    "director_mean_edu_level": "主任平均学历等级", "director_edu_level_shift": "主任学历等级变化",
    "director_college_share": "主任大专及以上占比",
    "rule_code": "规则代码", "rule_text": "规则", "rule_source": "依据",
    "observed_value": "实际值", "limit_min": "下限", "limit_max": "上限",
    # elections
    "seats": "应选人数", "candidates": "候选人数", "elected": "当选人数",
    "candidates_per_seat": "候选人与应选人数之比", "margin_ratio": "差额比例",
    "party_rule_min_candidates": "差额20%所需候选人数", "meets_party_20pct_rule": "符合差额20%",
    "elections_with_margin": "有差额数据的选举数",
    "elections_meeting_party_20pct_rule": "符合差额20%的选举数",
    "registered_voters": "登记选民数", "ballots_cast": "参加投票人数", "turnout": "参选率",
    "elections_with_turnout": "有参选率数据的选举数", "elected_with_votes": "有票数的当选人数",
    "min_vote_share": "最低得票率", "mean_vote_share": "平均得票率", "unanimous_elected": "全票当选人数",
    "elections_with_roster_compared": "已核对名单的选举数",
    "members_not_candidates": "非候选人的成员数", "elected_not_members": "当选但不在班子的人数",
    # progress
    "week_start": "周起", "week_end": "周止", "status_date": "统计日", "as_of_date": "截至",
    "stage": "阶段代码", "stage_order": "阶段序号", "stage_label_zh": "阶段",
    "planned_date": "计划日期", "actual_date": "完成日期", "days_late": "逾期天数",
    "days_done_late": "晚于计划完成天数", "boards": "班子数", "done": "已完成",
    "done_in_week": "本周完成", "late": "逾期", "due": "本周到期", "upcoming": "未到期",
    "unplanned": "未排期", "max_days_late": "最长逾期天数", "done_after_plan": "晚于计划完成数",
    "done_share": "完成比例",
}


def label(column: str) -> str:
    """The Chinese header of a mart column: the vocabulary, else a suffix rule, else the name."""
    if column in VOCABULARY:
        return VOCABULARY[column]
    for suffix, template in (("_shift_pp", "{}变化(个百分点)"), ("_prev", "上届{}"),
                             ("_shift", "{}变化")):
        if column.endswith(suffix) and (base := column[: -len(suffix)]) in VOCABULARY:
            return template.format(VOCABULARY[base].replace("本届", ""))
    return column


@dataclass(frozen=True)
class Mart:
    name: str
    sheet_zh: str


# The exported marts, in the workbook's sheet order. Member-level marts (names) are not exported.
MARTS: tuple[Mart, ...] = (
    Mart("one_down_one_up", "一降一升_居民区"),
    Mart("one_down_one_up_rollup", "一降一升_街道汇总"),
    Mart("board_composition", "班子结构"),
    Mart("board_structure", "结构_班子"),
    Mart("board_structure_rollup", "结构_街道汇总"),
    Mart("district_structure", "一肩挑与交叉任职_居民区"),
    Mart("district_structure_rollup", "一肩挑与交叉任职_街道"),
    Mart("city_district_structure_rollup", "一肩挑与交叉任职_区"),
    Mart("structure_checks", "结构检查"),
    Mart("election_results", "选举_居民区"),
    Mart("election_results_rollup", "选举_街道汇总"),
    Mart("progress_weekly_summary", "进度_每周汇总"),
    Mart("progress_wall_chart", "进度_挂图"),
)

# Columns that count people: with small-group suppression on, 1…N−1 is shown as "<N".
PERSON_COUNTS = frozenset({
    "members", "members_new", "members_prev", "members_with_age", "women", "party_members",
    "edu_unknown", "continuing_members", "new_members", "distinct_people", "cross_people",
    "secretaries", "directors", "party_board_members", "residents_committee_members",
    "unanimous_elected", "members_not_candidates", "elected_not_members", "elected",
    "elected_with_votes", "candidates",
    *(code for code, _, _, _ in contract.AGE_BANDS),
    *(f"edu_level_{k}" for k in contract.EDUCATION_LEVELS),
})
# The column that says how many people a row describes (first one present).
GROUP_SIZE_COLUMNS = ("members_new", "members", "distinct_people")

QUARANTINE_LABELS = {
    "table_name": "表", "source_file": "文件", "source_sheet": "工作表", "source_row": "行号",
    "reason_code": "原因代码", "reason": "原因", "original_values": "原始内容",
}
FINDING_LABELS = {
    "table_name": "表", "source_file": "文件", "source_sheet": "工作表", "source_row": "行号",
    "column_name": "列", "value": "原值", "finding_code": "问题代码", "message": "说明",
}

"""The marts users get: which ones are exported, their Chinese names and column headers."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines import contract


@dataclass(frozen=True)
class Mart:
    name: str
    sheet_zh: str
    labels_zh: dict[str, str]


STATUS_ZH = {
    "one_down_one_up": "一降一升", "age_down_only": "仅年龄下降",
    "edu_up_only": "仅学历提升", "neither": "均未实现",
}
BODY_ZH = {"party": "党组织", "residents": "居委会"}

_SHIFTS = {
    "prev_term": "上届", "members_prev": "上届人数", "members_new": "本届人数",
    "mean_age_prev": "上届平均年龄(岁)", "mean_age_new": "本届平均年龄(岁)",
    "age_shift": "平均年龄变化(岁)", "college_share_prev": "上届大专及以上占比",
    "college_share_new": "本届大专及以上占比", "college_share_shift_pp": "大专及以上占比变化(个百分点)",
    "mean_edu_level_prev": "上届平均学历等级", "mean_edu_level_new": "本届平均学历等级",
    "edu_level_shift": "平均学历等级变化", "age_down": "年龄下降", "edu_up": "学历提升",
    "status": "结果",
}
_BOARD = {"board_id": "班子编号", "district_code": "居民区代码", "district_name": "居民区名称",
          "subdistrict": "街道", "body": "组织类型", "term": "换届年份"}

MARTS: tuple[Mart, ...] = (
    Mart("one_down_one_up", "一降一升_居民区", {**_BOARD, **_SHIFTS}),
    Mart("one_down_one_up_rollup", "一降一升_街道汇总", {
        "rollup_id": "汇总编号", "subdistrict": "街道", "body": "组织类型", "term": "换届年份",
        "districts": "居民区数", **_SHIFTS,
        "districts_one_down_one_up": "实现一降一升的居民区数",
        "districts_age_down_only": "仅年龄下降的居民区数",
        "districts_edu_up_only": "仅学历提升的居民区数", "districts_neither": "均未实现的居民区数",
    }),
    Mart("board_composition", "班子结构", {
        **_BOARD, "election_date": "选举日期", "members": "人数", "members_with_age": "有年龄的人数",
        "mean_age": "平均年龄(岁)", "median_age": "年龄中位数(岁)",
        **{code: label for code, label, _, _ in contract.AGE_BANDS},
        "women": "女性人数", "women_share": "女性占比", "party_members": "党员人数",
        "party_member_share": "党员占比",
        **{f"edu_level_{k}": v for k, v in contract.EDUCATION_LEVELS.items()},
        "edu_unknown": "学历不详", "college_share": "大专及以上占比", "bachelor_share": "本科及以上占比",
        "prev_term": "上届", "continuing_members": "连任人数", "new_members": "新进人数",
        "new_member_share": "新进占比",
    }),
)

QUARANTINE_LABELS = {
    "table_name": "表", "source_file": "文件", "source_sheet": "工作表", "source_row": "行号",
    "reason_code": "原因代码", "reason": "原因", "original_values": "原始内容",
}
FINDING_LABELS = {
    "table_name": "表", "source_file": "文件", "source_sheet": "工作表", "source_row": "行号",
    "column_name": "列", "value": "原值", "finding_code": "问题代码", "message": "说明",
}

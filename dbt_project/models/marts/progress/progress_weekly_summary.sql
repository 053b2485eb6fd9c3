-- The weekly progress report per body × term × stage: how many boards
-- (district × body × term with a row for that stage) are done, late, due,
-- upcoming or unplanned as of each week's status date, and how many
-- finished the stage within the week.

with

progress as (

    select * from {{ ref('progress_weekly') }}

),

counted as (

    select
        week_start,
        week_end,
        status_date,
        body,
        term,
        stage,
        stage_order,
        stage_label_zh,
        count(*) as boards,
        count(case when status = 'done' then 1 end) as done,
        count(
            case when actual_date between week_start and status_date then 1 end
        ) as done_in_week,
        count(case when status = 'late' then 1 end) as late,
        count(case when status = 'due' then 1 end) as due,
        count(case when status = 'upcoming' then 1 end) as upcoming,
        count(case when status = 'unplanned' then 1 end) as unplanned,
        max(days_late) as max_days_late,
        count(case when days_done_late > 0 then 1 end) as done_after_plan

    from progress

    group by 1, 2, 3, 4, 5, 6, 7, 8

),

final as (

    select
        {{ dbt.concat([
            dbt.cast("week_end", dbt.type_string()), "'|'", "body", "'|'",
            dbt.cast("term", dbt.type_string()), "'|'", "stage"
        ]) }} as summary_id,
        week_start,
        week_end,
        status_date,
        body,
        term,
        stage,
        stage_order,
        stage_label_zh,
        boards,
        done,
        done_in_week,
        late,
        due,
        upcoming,
        unplanned,
        max_days_late,
        done_after_plan,
        {{ safe_divide('done', 'boards') }} as done_share

    from counted

)

select * from final

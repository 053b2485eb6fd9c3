-- The wall chart (挂图作战): every district × body × term × stage as of the
-- as-of date, i.e. the rows of progress_weekly for the week that contains
-- the as-of date (judged on the as-of date itself).

with

progress as (

    select * from {{ ref('progress_weekly') }}

),

weeks as (

    select * from {{ ref('int_progress_weeks') }}

),

as_of_weeks as (

    select
        term,
        week_end,
        as_of_date

    from weeks

    where is_as_of_week

),

final as (

    select
        {{ dbt.concat(["progress.board_id", "'|'", "progress.stage"]) }}
            as wall_chart_id,
        as_of_weeks.as_of_date,
        progress.week_end,
        progress.board_id,
        progress.district_code,
        progress.district_name,
        progress.subdistrict,
        progress.body,
        progress.term,
        progress.stage,
        progress.stage_order,
        progress.stage_label_zh,
        progress.planned_date,
        progress.actual_date,
        progress.status,
        progress.days_late,
        progress.days_done_late

    from progress

    inner join as_of_weeks
        on
            progress.term = as_of_weeks.term
            and progress.week_end = as_of_weeks.week_end

)

select * from final

-- The wall chart (挂图作战): every district × body × term × stage as of the
-- as-of date, i.e. the rows of progress_weekly for the week that contains
-- the as-of date (judged on the as-of date itself: that week's status_date).
-- progress_weekly is a view: the filter on its is_as_of_week reaches the
-- weeks it is built from, so only that week's rows are computed.

with

progress as (

    select * from {{ ref('progress_weekly') }}

),

as_of_week as (

    select *

    from progress

    where is_as_of_week

),

final as (

    select
        {{ dbt.concat(["board_id", "'|'", "stage"]) }} as wall_chart_id,
        status_date as as_of_date,
        week_end,
        board_id,
        district_code,
        district_name,
        subdistrict,
        body,
        term,
        stage,
        stage_order,
        stage_label_zh,
        planned_date,
        actual_date,
        status,
        days_late,
        days_done_late

    from as_of_week

)

select * from final

-- The weekly progress report (选情周报): one row per week × district × body ×
-- term × stage, with the stage's status as of that week's status date (the
-- week's Sunday, or the as-of date for the as-of week):
--   done      actual_date ≤ status date
--   late      not done, planned_date < status date (the planned day has passed)
--   due       not done, planned from the status date to the week's Sunday
--   upcoming  not done, planned after the week's Sunday
--   unplanned not done, no planned date
-- actual_date is shown only once it has happened (≤ the status date): a past
-- week's snapshot does not show a completion that came later.

with

weeks as (

    select * from {{ ref('int_progress_weeks') }}

),

milestones as (

    select * from {{ ref('stg_milestones') }}

),

stage_labels as (

    select * from {{ ref('stage_labels') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

milestones_by_week as (

    select
        weeks.week_start,
        weeks.week_end,
        weeks.status_date,
        weeks.is_as_of_week,
        milestones.district_code,
        milestones.body,
        milestones.term,
        milestones.stage,
        milestones.stage_order,
        milestones.planned_date,
        milestones.actual_date

    from milestones

    inner join weeks
        on milestones.term = weeks.term

),

statuses as (

    select
        *,
        case
            when actual_date <= status_date then 'done'
            when planned_date is null then 'unplanned'
            when planned_date < status_date then 'late'
            when planned_date <= week_end then 'due'
            else 'upcoming'
        end as status

    from milestones_by_week

),

final as (

    select
        {{ dbt.concat([
            board_id('statuses.district_code', 'statuses.body', 'statuses.term'),
            "'|'", "statuses.stage", "'|'",
            dbt.cast("statuses.week_end", dbt.type_string())
        ]) }} as progress_id,
        statuses.week_start,
        statuses.week_end,
        statuses.status_date,
        statuses.is_as_of_week,
        {{ board_id('statuses.district_code', 'statuses.body', 'statuses.term') }}
            as board_id,
        statuses.district_code,
        districts.district_name,
        districts.subdistrict,
        statuses.body,
        statuses.term,
        statuses.stage,
        statuses.stage_order,
        stage_labels.stage_label_zh,
        statuses.planned_date,
        case
            when statuses.status = 'done' then statuses.actual_date
        end as actual_date,
        statuses.status,
        case
            when statuses.status = 'late'
                then {{ dbt.datediff(
                    'statuses.planned_date', 'statuses.status_date', 'day'
                ) }}
        end as days_late,
        case
            when statuses.status = 'done' and statuses.planned_date is not null
                then greatest(
                    {{ dbt.datediff(
                        'statuses.planned_date', 'statuses.actual_date', 'day'
                    ) }},
                    0
                )
        end as days_done_late

    from statuses

    left join stage_labels
        on
            statuses.body = stage_labels.body
            and statuses.stage = stage_labels.stage

    left join districts
        on statuses.district_code = districts.district_code

)

select * from final

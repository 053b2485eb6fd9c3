-- The weeks of the weekly progress report (选情周报), per term: ISO weeks
-- (Monday–Sunday, keyed by their Sunday `week_end`) from the week of the
-- term's earliest planned or actual date up to the week that contains the
-- as-of date. A term whose dates all lie after the as-of week gets only the
-- as-of week (its stages show as upcoming). A term whose every stage was done
-- by the as-of date stops at the week of its last completion, and then has
-- the as-of week as well (the wall chart's): the weeks in between would all
-- read the same, and a finished round would otherwise add a week to every
-- report for ever. Each week is judged on its `status_date`: its Sunday, or
-- the as-of date for the as-of week.
--
-- The as-of date (YYYY-MM-DD) is the dbt var `as_of_date`, else the
-- environment variable BOARDSHIFT_AS_OF_DATE, else today (current_date), e.g.
--   dbt build --vars '{as_of_date: "2026-11-25"}'
--   BOARDSHIFT_AS_OF_DATE=2026-11-25 dbt build
-- The pipeline sets the environment variable: a changed --vars makes dbt
-- re-parse the whole project, a changed env_var only the files that read it.

{%- set as_of_var = var('as_of_date', none)
    or env_var('BOARDSHIFT_AS_OF_DATE', '') %}
{%- if as_of_var %}
    {%- set as_of_text = as_of_var | string | trim %}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', as_of_text) %}
        {{ exceptions.raise_compiler_error(
            "as_of_date must be a date YYYY-MM-DD (var as_of_date or"
            ~ " BOARDSHIFT_AS_OF_DATE), got: " ~ as_of_text
        ) }}
    {%- endif %}
    {%- set as_of_sql = "cast('" ~ as_of_text ~ "' as date)" %}
{%- else %}
    {%- set as_of_sql = "current_date" %}
{%- endif %}

with recursive

milestones as (

    select * from {{ ref('stg_milestones') }}

),

as_of as (

    select
        {{ as_of_sql }} as as_of_date,
        {{ iso_week_end(as_of_sql) }} as as_of_week_end

),

term_first_dates as (

    select
        milestones.term,
        min(least(milestones.planned_date, milestones.actual_date)) as first_date,
        -- the last completion, when every stage was done by the as-of date
        case
            when count(*) = count(
                case when milestones.actual_date <= as_of.as_of_date then 1 end
            )
                then max(milestones.actual_date)
        end as finished_date

    from milestones

    cross join as_of

    group by 1

),

term_spans as (

    select
        term_first_dates.term,
        least(
            {{ iso_week_end('term_first_dates.first_date') }},
            as_of.as_of_week_end
        ) as first_week_end,
        as_of.as_of_week_end,
        as_of.as_of_date,
        {{ iso_week_end('term_first_dates.finished_date') }} as finished_week_end,
        cast(
            {{ dbt.datediff(
                iso_week_end('term_first_dates.first_date'),
                'as_of.as_of_week_end',
                'day'
            ) }} / 7 as {{ dbt.type_int() }}
        ) as weeks_before_as_of_week

    from term_first_dates

    cross join as_of

    where term_first_dates.first_date is not null

),

weeks_in_longest_span as (

    select greatest(coalesce(max(weeks_before_as_of_week), 0), 0) + 1 as weeks

    from term_spans

),

-- 1, 2, … up to the longest span (at least 1). A recursive CTE, not
-- dbt.generate_series: outside dbt-duckdb that macro needs its upper bound as
-- a number when the SQL is compiled, not as a query.
week_numbers as (

    select 1 as generated_number

    union all

    select week_numbers.generated_number + 1

    from week_numbers

    cross join weeks_in_longest_span

    where week_numbers.generated_number < weeks_in_longest_span.weeks

),

weeks as (

    select
        term_spans.term,
        cast(
            {{ dbt.dateadd(
                'day',
                '7 * (week_numbers.generated_number - 1)',
                'term_spans.first_week_end'
            ) }} as date
        ) as week_end,
        term_spans.as_of_date,
        term_spans.as_of_week_end,
        term_spans.finished_week_end

    from term_spans

    inner join week_numbers
        on
            week_numbers.generated_number
            <= greatest(term_spans.weeks_before_as_of_week, 0) + 1

),

-- a finished term: its weeks up to its last completion, and the as-of week
weeks_reported as (

    select *

    from weeks

    where
        finished_week_end is null
        or week_end <= finished_week_end
        or week_end = as_of_week_end

),

final as (

    select
        {{ dbt.concat([
            dbt.cast("term", dbt.type_string()), "'|'",
            dbt.cast("week_end", dbt.type_string())
        ]) }} as week_id,
        term,
        cast({{ dbt.dateadd('day', -6, 'week_end') }} as date) as week_start,
        week_end,
        least(week_end, as_of_date) as status_date,
        as_of_date,
        week_end = as_of_week_end as is_as_of_week

    from weeks_reported

)

select * from final

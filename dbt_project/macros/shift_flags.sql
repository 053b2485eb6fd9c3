{#
    The "一降一升" (age down, education up) flags, shared by one_down_one_up
    (per board) and one_down_one_up_rollup (pooled per subdistrict).
    A comparison with a NULL side counts as false.
#}

{% macro is_age_down(age_shift) -%}
    coalesce({{ age_shift }} < 0, false)
{%- endmacro %}

{#
    Education is up when the college share (大专及以上) rose, or, when the
    share is exactly equal, when the mean education level rose.
#}
{% macro is_edu_up(
    college_share_new, college_share_prev, mean_edu_level_new, mean_edu_level_prev
) -%}
    coalesce(
        case
            when {{ college_share_new }} > {{ college_share_prev }} then true
            when {{ college_share_new }} = {{ college_share_prev }}
                then {{ mean_edu_level_new }} > {{ mean_edu_level_prev }}
            else false
        end,
        false
    )
{%- endmacro %}

{% macro shift_status(age_down, edu_up) -%}
    case
        when {{ age_down }} and {{ edu_up }} then 'one_down_one_up'
        when {{ age_down }} then 'age_down_only'
        when {{ edu_up }} then 'edu_up_only'
        else 'neither'
    end
{%- endmacro %}

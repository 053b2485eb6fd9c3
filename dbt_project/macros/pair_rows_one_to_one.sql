{#
    One matching pass between the candidates and the board members of the
    same election (int_elections_candidates_matched_to_members): a full outer
    join of `candidates` and `members` (relations with at least the columns
    of stg_candidates / stg_board_members that the model keeps) on the election
    (district_code, body, term) and equal, non-null `keys` (an equality with
    a NULL side is never true). One to one: when several rows on a side share
    the same key, the n-th candidate row in row order (source_file,
    source_sheet, source_row, name) pairs with the n-th member row.
    Returns one row per pair and one per row left unmatched, in the shape of
    the model's output (plus each side's name, id_key and birth date, which
    the next pass needs); `matched_by` is NULL on an unmatched row.
    Used three times (id_key; name + birth date; name), each on the rows the
    earlier passes left unmatched.
    A key is rarely on more than one row of a side, so only those rows are
    ranked (rank_rows_by_key); `candidates` and `members` are each read three
    times: pass a table or view, or a small CTE, not a wide CTE (an engine
    may hold a CTE read more than once whole).
    `keys_unique=true`: the keys are on one row of a side at most (the id_key
    pass: the loader keeps one row per person and board), so every row is
    rank 1 and neither side is ranked nor read more than once. Were a key on
    two rows after all, the join would pair each with each: the test
    assert_pairing_holds_each_candidate_and_member_row_once fails the build.
#}
{% macro pair_rows_one_to_one(candidates, members, keys, matched_by, keys_unique=false) -%}
    select
        coalesce(
            ranked_members.district_code, ranked_candidates.district_code
        ) as district_code,
        coalesce(ranked_members.body, ranked_candidates.body) as body,
        coalesce(ranked_members.term, ranked_candidates.term) as term,
        coalesce(ranked_members.name, ranked_candidates.name) as name,
        ranked_candidates.key_rank is not null as is_candidate,
        ranked_members.key_rank is not null as is_member,
        case
            when
                ranked_candidates.key_rank is not null
                and ranked_members.key_rank is not null
                then '{{ matched_by }}'
        end as matched_by,
        ranked_candidates.elected,
        ranked_candidates.votes,
        ranked_candidates.role as candidate_role,
        ranked_members.role as member_role,
        ranked_candidates.source_file as candidate_source_file,
        ranked_candidates.source_sheet as candidate_source_sheet,
        ranked_candidates.source_row as candidate_source_row,
        ranked_members.source_file as member_source_file,
        ranked_members.source_sheet as member_source_sheet,
        ranked_members.source_row as member_source_row,
        ranked_candidates.name as candidate_name,
        ranked_candidates.id_key as candidate_id_key,
        ranked_candidates.birth_date as candidate_birth_date,
        ranked_members.name as member_name,
        ranked_members.id_key as member_id_key,
        ranked_members.birth_date as member_birth_date

    from (
        {{ rank_rows_by_key(candidates, keys, keys_unique) }}
    ) as ranked_candidates

    full outer join (
        {{ rank_rows_by_key(members, keys, keys_unique) }}
    ) as ranked_members
        on
            ranked_candidates.district_code = ranked_members.district_code
            and ranked_candidates.body = ranked_members.body
            and ranked_candidates.term = ranked_members.term
            {% for key in keys %}
            and ranked_candidates.{{ key }} = ranked_members.{{ key }}
            {% endfor %}
            and ranked_candidates.key_rank = ranked_members.key_rank
{%- endmacro %}


{#
    The rows of `relation` with `key_rank`: the n-th row (in row order
    source_file, source_sheet, source_row, name) among the rows of the same
    election (district_code, body, term) and the same non-null `keys`. A row
    whose key is on no other row (nearly all) is rank 1 without being sorted:
    only the rows of a repeated key go through the window (ranking every
    row of the nation's 21 million candidates cost ≈ 45 s of CPU). A row
    with a NULL key never pairs; it is rank 1. `keys_unique=true`: every row
    is rank 1, as it is when no key repeats, without looking for repeats.
#}
{% macro rank_rows_by_key(relation, keys, keys_unique=false) -%}
    {%- if keys_unique -%}
    select
        keyed_rows.*,
        cast(1 as {{ dbt.type_bigint() }}) as key_rank
    from {{ relation }} as keyed_rows
    {%- else -%}
    {%- set key_list = keys | join(', ') -%}
    {%- set same_key -%}
        repeated_keys.district_code = keyed_rows.district_code
        and repeated_keys.body = keyed_rows.body
        and repeated_keys.term = keyed_rows.term
        {%- for key in keys %}
        and repeated_keys.{{ key }} = keyed_rows.{{ key }}
        {%- endfor %}
    {%- endset -%}
    with repeated_keys as (
        select
            district_code,
            body,
            term,
            {{ key_list }}
        from {{ relation }}
        where
            {%- for key in keys %}
            {{ 'and ' if not loop.first }}{{ key }} is not null
            {%- endfor %}
        group by district_code, body, term, {{ key_list }}
        having count(*) > 1
    )

    select
        keyed_rows.*,
        cast(1 as {{ dbt.type_bigint() }}) as key_rank
    from {{ relation }} as keyed_rows
    where not exists (
        select 1 from repeated_keys
        where {{ same_key }}
    )

    union all

    select
        keyed_rows.*,
        row_number() over (
            partition by district_code, body, term, {{ key_list }}
            order by source_file, source_sheet, source_row, name
        ) as key_rank
    from {{ relation }} as keyed_rows
    where exists (
        select 1 from repeated_keys
        where {{ same_key }}
    )
{%- endif -%}
{%- endmacro %}

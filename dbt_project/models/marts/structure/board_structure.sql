-- Structure of every board (district × body × term): women, Party members
-- (residents' committee only), the four age bands, 本科及以上 and
-- 高中(中专)及以上, each a share over the members for whom it is known,
-- against the board of the latest earlier term (shifts in percentage
-- points). Counts are in board_composition.

{% set shares = structure_shares() %}

with

boards as (

    select * from {{ ref('int_structure_board_totals') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

board_shares as (

    select
        board_id,
        prev_board_id,
        district_code,
        body,
        term,
        prev_term,
        members,
        {% for share in shares %}
        {% if share.residents_only %}
        case
            when body = 'residents'
                then {{ safe_divide(share.numerator, share.denominator) }}
        end as {{ share.name }}{{ "," if not loop.last }}
        {% else %}
        {{ safe_divide(share.numerator, share.denominator) }}
            as {{ share.name }}{{ "," if not loop.last }}
        {% endif %}
        {% endfor %}

    from boards

),

final as (

    select
        current_boards.board_id,
        current_boards.district_code,
        districts.district_name,
        districts.subdistrict,
        districts.city_district,
        current_boards.body,
        current_boards.term,
        current_boards.prev_term,
        current_boards.members,
        previous_boards.members as members_prev,
        {% for share in shares %}
        current_boards.{{ share.name }},
        previous_boards.{{ share.name }} as {{ share.name }}_prev,
        (current_boards.{{ share.name }} - previous_boards.{{ share.name }})
        * 100 as {{ share.name }}_shift_pp{{ "," if not loop.last }}
        {% endfor %}

    from board_shares as current_boards

    left join board_shares as previous_boards
        on current_boards.prev_board_id = previous_boards.board_id

    left join districts
        on current_boards.district_code = districts.district_code

)

select * from final

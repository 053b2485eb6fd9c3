-- Boards that break a structure rule: one row per board and broken rule,
-- with the value observed and the limit (limit_min / limit_max, NULL when
-- the rule has no such side). A rule whose input is missing is not checked:
-- the seat rules need seats (应选人数), the candidate rule at least one
-- candidate row, the residents' committee rules at least one member (and
-- the women rule every member's gender).

with

boards as (

    select * from {{ ref('int_boards_summarised') }}

),

-- seats, and the candidate rows and the elected among them, of each
-- election: counted once, from the matched people (which hold every
-- candidate row once), not again from the candidate rows (at the nation 21
-- million)
elections as (

    select * from {{ ref('int_elections_summarised') }}

),

districts as (

    select * from {{ ref('stg_districts') }}

),

board_facts as (

    select
        boards.board_id,
        boards.district_code,
        boards.body,
        boards.term,
        boards.members,
        boards.members_with_gender,
        boards.women,
        elections.seats,
        coalesce(elections.candidates, 0) as candidates,
        coalesce(elections.elected, 0) as elected_candidates

    from boards

    inner join elections
        on
            boards.district_code = elections.district_code
            and boards.body = elections.body
            and boards.term = elections.term

),

residents_size_breaches as (

    -- 《中华人民共和国城市居民委员会组织法》第七条：居民委员会由主任、
    -- 副主任和委员共五至九人组成。
    select
        board_id,
        'residents_size_out_of_range' as rule_code,
        '居民委员会由主任、副主任和委员共五至九人组成' as rule_text,
        '《城市居民委员会组织法》第七条' as rule_source,
        members as observed_value,
        5 as limit_min,
        9 as limit_max

    from board_facts

    where
        body = 'residents'
        and members > 0
        and (members < 5 or members > 9)

),

residents_no_woman_breaches as (

    -- Provincial 居民委员会选举办法 (e.g. 重庆市居民委员会选举办法, 2025):
    -- 居民委员会成员中应当有妇女成员 (at least one woman); see
    -- /work/shared/reference/domain.md §4.1. Checked only when every
    -- member's gender is known.
    select
        board_id,
        'residents_no_woman' as rule_code,
        '居民委员会成员中应当至少有一名妇女成员' as rule_text,
        '省级居民委员会选举办法（如《重庆市居民委员会选举办法》）' as rule_source,
        women as observed_value,
        1 as limit_min,
        cast(null as integer) as limit_max

    from board_facts

    where
        body = 'residents'
        and members > 0
        and members_with_gender = members
        and women = 0

),

party_candidate_breaches as (

    -- 《中国共产党基层组织选举工作条例》(2020) 第十三条：委员候选人的差额
    -- 不少于应选人数的20%, i.e. candidates ≥ ceil(1.2 × seats) (进一法;
    -- seats × 6 / 5 keeps whole seats exact in floating point).
    select
        board_id,
        'party_too_few_candidates' as rule_code,
        '委员候选人的差额不少于应选人数的20%' as rule_text,
        '《中国共产党基层组织选举工作条例》第十三条' as rule_source,
        candidates as observed_value,
        cast(ceil(seats * 6 / 5.0) as integer) as limit_min,
        cast(null as integer) as limit_max

    from board_facts

    where
        body = 'party'
        and seats is not null
        and candidates > 0
        and candidates < ceil(seats * 6 / 5.0)

),

elected_over_seats_breaches as (

    -- Seats (应选人数, elections.seats) cap the number elected: a ballot is
    -- valid only if it names no more than the seats (选举办法 of both
    -- bodies; domain.md §4.1 and §4.2), so elected candidates > seats means
    -- a wrong count or a wrong seats figure.
    select
        board_id,
        'elected_over_seats' as rule_code,
        '当选人数不得多于应选人数' as rule_text,
        '应选人数（选举表）' as rule_source,
        elected_candidates as observed_value,
        cast(null as integer) as limit_min,
        seats as limit_max

    from board_facts

    where
        seats is not null
        and elected_candidates > seats

),

members_over_seats_breaches as (

    -- Same source: the board cannot have more members than seats filled
    -- (the loader also reports this as the finding board_larger_than_seats).
    select
        board_id,
        'members_over_seats' as rule_code,
        '班子成员人数不得多于应选人数' as rule_text,
        '应选人数（选举表）' as rule_source,
        members as observed_value,
        cast(null as integer) as limit_min,
        seats as limit_max

    from board_facts

    where
        seats is not null
        and members > seats

),

breaches as (

    select * from residents_size_breaches
    union all
    select * from residents_no_woman_breaches
    union all
    select * from party_candidate_breaches
    union all
    select * from elected_over_seats_breaches
    union all
    select * from members_over_seats_breaches

),

final as (

    select
        {{ dbt.concat(["breaches.board_id", "'|'", "breaches.rule_code"]) }}
            as check_id,
        breaches.board_id,
        board_facts.district_code,
        districts.district_name,
        districts.subdistrict,
        board_facts.body,
        board_facts.term,
        breaches.rule_code,
        breaches.rule_text,
        breaches.rule_source,
        cast(breaches.observed_value as integer) as observed_value,
        cast(breaches.limit_min as integer) as limit_min,
        cast(breaches.limit_max as integer) as limit_max

    from breaches

    inner join board_facts
        on breaches.board_id = board_facts.board_id

    left join districts
        on board_facts.district_code = districts.district_code

)

select * from final

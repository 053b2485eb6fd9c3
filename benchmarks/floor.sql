-- The DuckDB floor: the three marts of the dbt project (one_down_one_up,
-- one_down_one_up_rollup, board_composition) computed by one hand-written script
-- straight from the raw files, without the pipeline's validation, quarantine,
-- findings, provenance, pseudonymisation, other marts, dbt tests or Excel export.
-- It is the least work DuckDB needs to produce the same answer from the same
-- files: the three marts read districts, elections and board members only, so
-- the candidates files are not read. benchmarks/floor.py runs it section by
-- section; benchmarks/run_benchmark.py compares it with the pipeline.
--
-- {{ source('<table>') }} is replaced by the runner with read_parquet(...) or
-- read_csv(..., all_varchar = true) over <raw>/<table>*.<ext>; {{ out }} by a
-- folder for the exported files. Sections (-- @section <name>) are timed apart.
--
-- Same definitions as dbt_project/models (staging → intermediate → marts) and the
-- loader's placement rules (pipelines/validate.py) as far as they change the marts:
--   * a person row counts only when its district is listed and its district ×
--     body × term has an election; the first row of one person on one board
--     (valid ID, else name + 出生年月, else name) is kept;
--   * a valid ID (18 characters, GB 11643 check character, real date) gives
--     birth date and gender; else the 出生年月 column (year-month → the 1st);
--   * age = 周岁 on the board's own election day; education words → six levels
--     (contract.EDUCATION_WORDS), unknown words → NULL;
--   * continuing (连任) = same ID, or same name and birth date, on the board of
--     the latest earlier term of the same district and body.
-- Value forms: exactly one form per column is parsed (those benchmarks' data and
-- most rosters use); the pipeline accepts every form listed in docs/data_contract.md
-- (NFKC folding, 15-digit IDs, Excel serials, `2021年`, …). That is part of the gap.

-- @section vocabulary
set preserve_insertion_order = false;  -- the exports below are ordered explicitly
create or replace temp table body_words (word varchar, body varchar);
insert into body_words values
        ('party', 'party'), ('党组织', 'party'), ('党委', 'party'), ('党总支', 'party'),
        ('党支部', 'party'), ('居民区党组织', 'party'), ('居民区党总支', 'party'), ('居民区党支部', 'party'),
        ('社区党组织', 'party'), ('党组织委员会', 'party'), ('党', 'party'), ('partycommittee', 'party'),
        ('residents', 'residents'), ('resident', 'residents'), ('居委会', 'residents'),
        ('居民委员会', 'residents'), ('居委', 'residents'), ('社区居委会', 'residents'),
        ('residentscommittee', 'residents');
create or replace temp table gender_words (word varchar, gender varchar);
insert into gender_words values
        ('男', 'M'), ('男性', 'M'), ('m', 'M'), ('male', 'M'), ('女', 'F'), ('女性', 'F'),
        ('f', 'F'), ('female', 'F');
create or replace temp table education_words (word varchar, level integer);
insert into education_words values
        ('初中及以下', 1), ('初中', 1), ('初级中学', 1), ('小学', 1), ('文盲', 1), ('半文盲', 1), ('扫盲', 1),
        ('未上学', 1), ('不识字', 1), ('初中以下', 1), ('juniorhigh', 1), ('juniorhighorbelow', 1),
        ('middleschool', 1), ('primary', 1), ('primaryschool', 1), ('none', 1),
        ('illiterate', 1), ('高中/中专', 2), ('高中(中专)', 2), ('高中中专', 2), ('高中', 2), ('普通高中', 2),
        ('普通高级中学', 2), ('中专', 2), ('中等专科', 2), ('中等专业学校', 2), ('职高', 2), ('职业高中', 2),
        ('技校', 2), ('技工学校', 2), ('中技', 2), ('中职', 2), ('中等职业教育', 2), ('highschool', 2),
        ('seniorhigh', 2), ('secondary', 2), ('secondaryvocational', 2),
        ('vocationalsecondary', 2), ('technicalschool', 2), ('大专', 3), ('大学专科', 3), ('专科', 3),
        ('高职', 3), ('高专', 3), ('高等专科', 3), ('高等职业教育', 3), ('college', 3), ('associate', 3),
        ('juniorcollege', 3), ('associatedegree', 3), ('本科', 4), ('大学本科', 4), ('大学', 4),
        ('大本', 4), ('学士', 4), ('大学普通班', 4), ('bachelor', 4), ('bachelors', 4),
        ('undergraduate', 4), ('university', 4), ('硕士', 5), ('硕士研究生', 5), ('研究生', 5),
        ('研究生班', 5), ('mba', 5), ('mpa', 5), ('master', 5), ('masters', 5),
        ('postgraduate', 5), ('graduate', 5), ('博士', 6), ('博士研究生', 6), ('博士后', 6),
        ('doctor', 6), ('doctorate', 6), ('phd', 6);

-- @section load
create or replace temp table floor_districts as
select
    trim(district_code) as district_code,
    any_value(trim(district_name)) as district_name,
    any_value(trim(subdistrict)) as subdistrict,
    any_value(trim(city_district)) as city_district
from {{ source('districts') }}
where nullif(trim(district_code), '') is not null
group by 1;

create or replace temp table floor_elections as
with typed as (
    select
        trim(e.district_code) as district_code,
        b.body,
        try_cast(trim(e.term) as integer) as term,
        try_cast(trim(e.election_date) as date) as election_date
    from {{ source('elections') }} as e
    inner join body_words as b on lower(trim(e.body)) = b.word
)
select distinct on (district_code, body, term) typed.*
from typed
semi join floor_districts using (district_code)
where term is not null;

-- board members: typed, placed on a board that has an election, one row per
-- person and board (exact copies are the only repeats in the benchmark data)
create or replace temp table floor_members as
with typed as (
    select
        trim(m.district_code) as district_code,
        b.body,
        try_cast(trim(m.term) as integer) as term,
        upper(trim(m.id_number)) as id,
        nullif(trim(m.name), '') as name,
        coalesce(try_cast(trim(m.birth_date) as date),
                 try_strptime(trim(m.birth_date) || '.01', '%Y.%m.%d')::date) as birth_col,
        lower(trim(m.gender)) as gender_word,
        trim(m.education) as education_word,
        nullif(trim(m.political_status), '') as political_status
    from {{ source('board_members') }} as m
    left join body_words as b on lower(trim(m.body)) = b.word
),
checked as (
    select
        *,
        case when regexp_full_match(id, '[0-9]{17}[0-9X]') then try_cast(id[1:17] as bigint) end
            as n17
    from typed
),
valid as (
    -- GB 11643: weighted digit sum mod 11 → 10X98765432; digits by integer arithmetic
    select
        * exclude (n17),
        case when n17 is not null
            and substr('10X98765432', 1 + ((
                7 * (n17 // 10000000000000000 % 10) + 9 * (n17 // 1000000000000000 % 10)
                + 10 * (n17 // 100000000000000 % 10) + 5 * (n17 // 10000000000000 % 10)
                + 8 * (n17 // 1000000000000 % 10) + 4 * (n17 // 100000000000 % 10)
                + 2 * (n17 // 10000000000 % 10) + 1 * (n17 // 1000000000 % 10)
                + 6 * (n17 // 100000000 % 10) + 3 * (n17 // 10000000 % 10)
                + 7 * (n17 // 1000000 % 10) + 9 * (n17 // 100000 % 10)
                + 10 * (n17 // 10000 % 10) + 5 * (n17 // 1000 % 10)
                + 8 * (n17 // 100 % 10) + 4 * (n17 // 10 % 10) + 2 * (n17 % 10)
            ) % 11)::integer, 1) = id[18]
            and try_strptime(id[7:14], '%Y%m%d') is not null
        then id end as valid_id
    from checked
),
placed as (
    select
        v.district_code,
        v.body,
        v.term,
        v.valid_id as id_key,
        v.name,
        coalesce(try_strptime(v.valid_id[7:14], '%Y%m%d')::date, v.birth_col) as birth_date,
        coalesce(case when v.valid_id is not null
                      then case when (ascii(v.valid_id[17]) - 48) % 2 = 1 then 'M' else 'F' end
                 end,
                 g.gender) as gender,
        edu.level as education_level,
        case when v.political_status is not null
             then v.political_status in ('中共党员', '中共预备党员', '党员', '预备党员', 'cpcmember', 'partymember') end as is_party_member,
        coalesce(v.valid_id, v.name || '|' || cast(v.birth_col as varchar), v.name)
            as person_key
    from valid as v
    left join gender_words as g on v.gender_word = g.word
    left join education_words as edu on v.education_word = edu.word
    semi join floor_elections as e
        on v.district_code = e.district_code and v.body = e.body and v.term = e.term
    where v.valid_id is not null or v.name is not null
)
select distinct on (district_code, body, term, person_key) *
from placed;

-- @section marts
-- boards (every election) with the latest earlier term of the same district and body
create or replace temp table floor_boards as
select
    district_code, body, term, election_date,
    lag(term) over (partition by district_code, body order by term) as prev_term
from floor_elections;

create or replace temp table floor_members_aged as
select
    m.*,
    b.prev_term,
    cast(
        year(b.election_date) - year(m.birth_date)
        - case when month(b.election_date) * 100 + day(b.election_date)
                    < month(m.birth_date) * 100 + day(m.birth_date) then 1 else 0 end
        as integer
    ) as age
from floor_members as m
inner join floor_boards as b using (district_code, body, term);

-- continuing (连任): two equality joins to the previous term's board (hash joins that can
-- spill), not one join with an OR; (district_code, body, term, person_key) is unique
create or replace temp table floor_continuing as
select cur.district_code, cur.body, cur.term, cur.person_key
from floor_members_aged as cur
inner join floor_members as prev
    on prev.district_code = cur.district_code and prev.body = cur.body
    and prev.term = cur.prev_term and prev.id_key = cur.id_key
union
select cur.district_code, cur.body, cur.term, cur.person_key
from floor_members_aged as cur
inner join floor_members as prev
    on prev.district_code = cur.district_code and prev.body = cur.body
    and prev.term = cur.prev_term and prev.name = cur.name
    and prev.birth_date = cur.birth_date;

create or replace temp table floor_boards_summarised as
with flagged as (
    select
        cur.*,
        case
            when cur.prev_term is null then null
            else c.person_key is not null
        end as is_continuing
    from floor_members_aged as cur
    left join floor_continuing as c using (district_code, body, term, person_key)
),
totals as (
    select
        district_code, body, term,
        count(*) as members,
        count(age) as members_with_age,
        cast(sum(age) as bigint) as age_total,
        quantile_cont(age, 0.5) as median_age,
        count(*) filter (where age <= 35) as age_35_and_under,
        count(*) filter (where age between 36 and 45) as age_36_45,
        count(*) filter (where age between 46 and 55) as age_46_55,
        count(*) filter (where age >= 56) as age_56_and_over,
        count(gender) as members_with_gender,
        count(*) filter (where gender = 'F') as women,
        count(is_party_member) as members_with_political_status,
        count(*) filter (where is_party_member) as party_members,
        count(education_level) as members_with_education,
        cast(sum(education_level) as bigint) as education_level_total,
        count(*) filter (where education_level = 1) as edu_level_1,
        count(*) filter (where education_level = 2) as edu_level_2,
        count(*) filter (where education_level = 3) as edu_level_3,
        count(*) filter (where education_level = 4) as edu_level_4,
        count(*) filter (where education_level = 5) as edu_level_5,
        count(*) filter (where education_level = 6) as edu_level_6,
        count(*) filter (where education_level is null) as edu_unknown,
        count(*) filter (where education_level >= 3) as college_members,
        count(*) filter (where education_level >= 4) as bachelor_members,
        count(*) filter (where is_continuing) as continuing_members
    from flagged
    group by all
)
select
    b.district_code || '|' || b.body || '|' || cast(b.term as varchar) as board_id,
    b.district_code || '|' || b.body || '|' || cast(b.prev_term as varchar) as prev_board_id,
    b.district_code, b.body, b.term, b.prev_term, b.election_date,
    coalesce(t.members, 0) as members,
    coalesce(t.members_with_age, 0) as members_with_age,
    t.age_total,
    t.median_age,
    coalesce(t.age_35_and_under, 0) as age_35_and_under,
    coalesce(t.age_36_45, 0) as age_36_45,
    coalesce(t.age_46_55, 0) as age_46_55,
    coalesce(t.age_56_and_over, 0) as age_56_and_over,
    coalesce(t.members_with_gender, 0) as members_with_gender,
    coalesce(t.women, 0) as women,
    coalesce(t.members_with_political_status, 0) as members_with_political_status,
    coalesce(t.party_members, 0) as party_members,
    coalesce(t.members_with_education, 0) as members_with_education,
    t.education_level_total,
    coalesce(t.edu_level_1, 0) as edu_level_1,
    coalesce(t.edu_level_2, 0) as edu_level_2,
    coalesce(t.edu_level_3, 0) as edu_level_3,
    coalesce(t.edu_level_4, 0) as edu_level_4,
    coalesce(t.edu_level_5, 0) as edu_level_5,
    coalesce(t.edu_level_6, 0) as edu_level_6,
    coalesce(t.edu_unknown, 0) as edu_unknown,
    coalesce(t.college_members, 0) as college_members,
    coalesce(t.bachelor_members, 0) as bachelor_members,
    case when b.prev_term is not null then coalesce(t.continuing_members, 0) end
        as continuing_members,
    case when b.prev_term is not null
         then coalesce(t.members, 0) - coalesce(t.continuing_members, 0) end as new_members
from floor_boards as b
left join totals as t using (district_code, body, term);

create or replace macro floor_div(n, d) as cast(n as double) / nullif(d, 0);
create or replace macro floor_edu_up(cn, cp, ln, lp) as coalesce(
    case when cn > cp then true when cn = cp then ln > lp else false end, false);
create or replace macro floor_status(age_down, edu_up) as case
    when age_down and edu_up then 'one_down_one_up'
    when age_down then 'age_down_only'
    when edu_up then 'edu_up_only'
    else 'neither' end;

create or replace table board_composition as
select
    b.board_id, b.district_code, d.district_name, d.subdistrict, b.body, b.term,
    b.election_date, b.members, b.members_with_age,
    floor_div(b.age_total, b.members_with_age) as mean_age,
    b.median_age, b.age_35_and_under, b.age_36_45, b.age_46_55, b.age_56_and_over,
    b.women, floor_div(b.women, b.members_with_gender) as women_share,
    b.party_members, floor_div(b.party_members, b.members_with_political_status)
        as party_member_share,
    b.edu_level_1, b.edu_level_2, b.edu_level_3, b.edu_level_4, b.edu_level_5, b.edu_level_6,
    b.edu_unknown,
    floor_div(b.college_members, b.members_with_education) as college_share,
    floor_div(b.bachelor_members, b.members_with_education) as bachelor_share,
    b.prev_term, b.continuing_members, b.new_members,
    floor_div(b.new_members, b.members) as new_member_share
from floor_boards_summarised as b
left join floor_districts as d on b.district_code = d.district_code;

create or replace table one_down_one_up as
with pairs as (
    select
        n.board_id, n.district_code, n.body, n.term, n.prev_term,
        p.members as members_prev, n.members as members_new,
        floor_div(p.age_total, p.members_with_age) as mean_age_prev,
        floor_div(n.age_total, n.members_with_age) as mean_age_new,
        floor_div(p.college_members, p.members_with_education) as college_share_prev,
        floor_div(n.college_members, n.members_with_education) as college_share_new,
        floor_div(p.education_level_total, p.members_with_education) as mean_edu_level_prev,
        floor_div(n.education_level_total, n.members_with_education) as mean_edu_level_new
    from floor_boards_summarised as n
    inner join floor_boards_summarised as p
        on n.district_code = p.district_code and n.body = p.body and n.prev_term = p.term
),
flagged as (
    select
        *,
        mean_age_new - mean_age_prev as age_shift,
        (college_share_new - college_share_prev) * 100 as college_share_shift_pp,
        mean_edu_level_new - mean_edu_level_prev as edu_level_shift,
        coalesce(mean_age_new - mean_age_prev < 0, false) as age_down,
        floor_edu_up(college_share_new, college_share_prev, mean_edu_level_new,
                     mean_edu_level_prev) as edu_up
    from pairs
)
select
    f.board_id, f.district_code, d.district_name, d.subdistrict, f.body, f.term, f.prev_term,
    f.members_prev, f.members_new, f.mean_age_prev, f.mean_age_new, f.age_shift,
    f.college_share_prev, f.college_share_new, f.college_share_shift_pp,
    f.mean_edu_level_prev, f.mean_edu_level_new, f.edu_level_shift,
    f.age_down, f.edu_up, floor_status(f.age_down, f.edu_up) as status
from flagged as f
left join floor_districts as d on f.district_code = d.district_code;

create or replace table one_down_one_up_rollup as
with pooled as (
    select
        s.subdistrict, s.body, s.term,
        max(s.prev_term) as prev_term,
        count(distinct s.district_code) as districts,
        cast(sum(p.members) as bigint) as members_prev,
        cast(sum(n.members) as bigint) as members_new,
        floor_div(sum(p.age_total), sum(p.members_with_age)) as mean_age_prev,
        floor_div(sum(n.age_total), sum(n.members_with_age)) as mean_age_new,
        floor_div(sum(p.college_members), sum(p.members_with_education)) as college_share_prev,
        floor_div(sum(n.college_members), sum(n.members_with_education)) as college_share_new,
        floor_div(sum(p.education_level_total), sum(p.members_with_education))
            as mean_edu_level_prev,
        floor_div(sum(n.education_level_total), sum(n.members_with_education))
            as mean_edu_level_new,
        count(*) filter (where s.status = 'one_down_one_up') as districts_one_down_one_up,
        count(*) filter (where s.status = 'age_down_only') as districts_age_down_only,
        count(*) filter (where s.status = 'edu_up_only') as districts_edu_up_only,
        count(*) filter (where s.status = 'neither') as districts_neither
    from one_down_one_up as s
    inner join floor_boards_summarised as n
        on s.district_code = n.district_code and s.body = n.body and s.term = n.term
    inner join floor_boards_summarised as p
        on n.district_code = p.district_code and n.body = p.body and n.prev_term = p.term
    group by 1, 2, 3
),
flagged as (
    select
        *,
        mean_age_new - mean_age_prev as age_shift,
        (college_share_new - college_share_prev) * 100 as college_share_shift_pp,
        mean_edu_level_new - mean_edu_level_prev as edu_level_shift,
        coalesce(mean_age_new - mean_age_prev < 0, false) as age_down,
        floor_edu_up(college_share_new, college_share_prev, mean_edu_level_new,
                     mean_edu_level_prev) as edu_up
    from pooled
)
select
    coalesce(subdistrict, '') || '|' || body || '|' || cast(term as varchar) as rollup_id,
    subdistrict, body, term, prev_term, districts, members_prev, members_new,
    mean_age_prev, mean_age_new, age_shift, college_share_prev, college_share_new,
    college_share_shift_pp, mean_edu_level_prev, mean_edu_level_new, edu_level_shift,
    age_down, edu_up, floor_status(age_down, edu_up) as status,
    districts_one_down_one_up, districts_age_down_only, districts_edu_up_only, districts_neither
from flagged;

-- @section export
copy (select * from one_down_one_up order by 1) to '{{ out }}/one_down_one_up.parquet' (format parquet);
copy (select * from one_down_one_up order by 1) to '{{ out }}/one_down_one_up.csv' (header);
copy (select * from one_down_one_up_rollup order by 1)
    to '{{ out }}/one_down_one_up_rollup.parquet' (format parquet);
copy (select * from one_down_one_up_rollup order by 1)
    to '{{ out }}/one_down_one_up_rollup.csv' (header);
copy (select * from board_composition order by 1)
    to '{{ out }}/board_composition.parquet' (format parquet);
copy (select * from board_composition order by 1) to '{{ out }}/board_composition.csv' (header);
checkpoint;

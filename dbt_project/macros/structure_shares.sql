{#
    The composition shares of board_structure (per board) and
    board_structure_rollup (pooled per subdistrict × body × term): each is a
    count over the members for whom the attribute is known, both columns of
    int_structure_board_totals. `residents_only`: NULL on party boards (every
    member of a Party committee is a Party member).
#}
{% macro structure_shares() %}
    {{ return([
        {'name': 'women_share', 'numerator': 'women',
         'denominator': 'members_with_gender', 'residents_only': false},
        {'name': 'party_member_share', 'numerator': 'party_members',
         'denominator': 'members_with_political_status', 'residents_only': true},
        {'name': 'age_35_and_under_share', 'numerator': 'age_35_and_under',
         'denominator': 'members_with_age', 'residents_only': false},
        {'name': 'age_36_45_share', 'numerator': 'age_36_45',
         'denominator': 'members_with_age', 'residents_only': false},
        {'name': 'age_46_55_share', 'numerator': 'age_46_55',
         'denominator': 'members_with_age', 'residents_only': false},
        {'name': 'age_56_and_over_share', 'numerator': 'age_56_and_over',
         'denominator': 'members_with_age', 'residents_only': false},
        {'name': 'bachelor_share', 'numerator': 'bachelor_members',
         'denominator': 'members_with_education', 'residents_only': false},
        {'name': 'high_school_share', 'numerator': 'high_school_members',
         'denominator': 'members_with_education', 'residents_only': false},
    ]) }}
{% endmacro %}

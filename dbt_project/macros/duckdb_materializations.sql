{#
    Tables and views on DuckDB in one statement each: `create or replace table … as`
    and `create or replace view … as`, which DuckDB runs atomically.

    dbt-duckdb's own materializations build under a temporary name, rename it into
    place and drop a backup, with a check for foreign keys, partitioning, indexes,
    grants and docs between the steps: about ten adapter calls a model, each a dbt
    macro context of its own. This project uses none of those features, and at city
    scale that work was ≈ 15 % of `dbt build` (benchmarks/README.md, round 10:
    all 6 interleaved pairs of builds faster, median 6.9 → 5.8 s; every table and
    view identical).

    A relation of the other kind under the model's name (a view where the model is now
    a table, or the reverse) is dropped first: DuckDB does not replace one kind with the
    other. Hooks run where dbt's own materializations run them. Other engines (the
    postgres and spark targets) keep their adapters' materializations.
#}
{% materialization table, adapter='duckdb', supported_languages=['sql'] %}
    {{ return(replace_relation_as('table')) }}
{% endmaterialization %}

{% materialization view, adapter='duckdb', supported_languages=['sql'] %}
    {{ return(replace_relation_as('view')) }}
{% endmaterialization %}

{#- The model as a `kind` ('table' or 'view') under its own name, in one statement. -#}
{% macro replace_relation_as(kind) %}
    {%- set existing = load_cached_relation(this) -%}
    {%- set target = this.incorporate(type=kind) -%}
    {%- if existing is not none and existing.type != kind -%}
        {% do adapter.drop_relation(existing) %}
    {%- endif -%}
    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}
    {% call statement('main') -%}
        create or replace {{ kind }} {{ target }} as (
            {{ compiled_code }}
        )
    {%- endcall %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do adapter.commit() %}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target]}) }}
{% endmacro %}

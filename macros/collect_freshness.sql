{% macro collect_freshness(source, loaded_at_field, filter) -%}
    {#- Overrides dbt's macro behind `dbt source freshness` (same query) so that ages can be measured back from a
        stated moment instead of the wall clock: `snapshotted_at` is the env var CX_FRESHNESS_AS_OF (an ISO date
        or timestamp, UTC) when set, else current_timestamp as in dbt. The nightly's own freshness check
        (scripts/ops/freshness.py) measures from the same moment and passes it here when it falls back to dbt;
        docs/operations.md, "Source freshness". -#}
    {%- set as_of = env_var('CX_FRESHNESS_AS_OF', '') | trim -%}
    {%- call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        select
            max({{ loaded_at_field }}) as max_loaded_at,
            {% if as_of -%}
                cast({{ dbt.string_literal(as_of) }} as timestamptz)
            {%- else -%}
                {{ current_timestamp() }}
            {%- endif %} as snapshotted_at
        from {{ source }}
        {% if filter -%}
            where {{ filter }}
        {%- endif %}
    {%- endcall -%}
    {{ return(load_result('collect_freshness')) }}
{%- endmacro %}

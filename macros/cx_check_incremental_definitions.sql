{% macro cx_check_incremental_definitions() -%}
    {#- on-run-start: warn, before anything is built, when the run builds an incremental model incrementally
        although its definition changed since its stored rows were built (cx_stale_incremental_models). -#}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set stale = cx_stale_incremental_models(selected_resources, cx_stored_incremental_definitions()) -%}
        {%- do cx_warn_stale_incremental_models(stale) -%}
    {%- endif -%}
{%- endmacro %}

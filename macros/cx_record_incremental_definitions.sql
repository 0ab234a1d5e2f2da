{% macro cx_record_incremental_definitions() -%}
    {#- on-run-end: SQL that records, per incremental model this run built from scratch (a full refresh, or no
        definition stored yet), the definition its rows now follow (ops.dbt_incremental_definitions). A model built
        incrementally keeps the definition stored before, so a stale one is named again on every run until it is
        rebuilt with --full-refresh; the warning is repeated here, at the end of the log. -#}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set stored = cx_stored_incremental_definitions() -%}
        {%- set built = [] -%}
        {%- for result in results if result.status == 'success' -%}
            {%- do built.append(result.node.unique_id) -%}
        {%- endfor -%}
        {%- do cx_warn_stale_incremental_models(cx_stale_incremental_models(built, stored)) -%}
        {%- set rows = [] -%}
        {%- for unique_id in built -%}
            {%- set node = graph.nodes.get(unique_id) -%}
            {%- if node and node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
                {%- set full_refresh = node.config.full_refresh if node.config.full_refresh is not none else flags.FULL_REFRESH -%}
                {%- if full_refresh or unique_id not in stored -%}
                    {%- do rows.append("('" ~ unique_id ~ "', '" ~ cx_incremental_definition(node) ~ "')") -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if rows -%}
            create schema if not exists ops;
            create table if not exists ops.dbt_incremental_definitions (
                model varchar primary key, definition varchar not null, built_at timestamp, invocation_id varchar
            );
            insert or replace into ops.dbt_incremental_definitions
            select model, definition, cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp), '{{ invocation_id }}'
            from (values {{ rows | join(', ') }}) as built (model, definition);
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

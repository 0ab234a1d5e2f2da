{% macro cx_stored_incremental_definitions() -%}
    {#- ops.dbt_incremental_definitions as a dict: model unique id -> the definition digest its stored rows were
        computed under ({} when the table does not exist yet). One catalog look-up and one small query. -#}
    {%- set relation = adapter.get_relation(database=target.database, schema='ops', identifier='dbt_incremental_definitions') -%}
    {%- set stored = {} -%}
    {%- if relation is not none -%}
        {%- for row in run_query('select model, definition from ' ~ relation).rows -%}
            {%- do stored.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{- return(stored) -}}
{%- endmacro %}

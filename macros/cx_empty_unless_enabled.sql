{% macro cx_empty_unless_enabled(source_name) -%}
    {#- `where false` when the platform source is off (cx_enabled_sources), else nothing: appended to a platform's
        reconciliation mart, a constant the planner uses to skip the whole plan (it read every fact each night). -#}
    {%- if source_name not in cx_enabled_sources() -%}
        where false
    {%- endif -%}
{%- endmacro %}

{% macro cx_regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('cx_regexp_replace_all', 'cx_outcomes')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__cx_regexp_replace_all(expression, pattern, replacement) -%}
    {#- Spark, Trino, Snowflake: regexp_replace replaces every match -#}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{% macro duckdb__cx_regexp_replace_all(expression, pattern, replacement) -%}
    {#- DuckDB replaces only the first match unless given the 'g' option -#}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__cx_regexp_replace_all(expression, pattern, replacement) -%}
    {#- Spark's string literals treat a backslash as an escape character: double it, so the regex sees '\+' -#}
    regexp_replace({{ expression }}, '{{ pattern | replace("\\", "\\\\") }}', '{{ replacement | replace("\\", "\\\\") }}')
{%- endmacro %}

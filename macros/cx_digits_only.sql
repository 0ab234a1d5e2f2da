{% macro cx_digits_only(expression) -%}
    {{ return(adapter.dispatch('cx_digits_only', 'cx_outcomes')(expression)) }}
{%- endmacro %}

{% macro default__cx_digits_only(expression) -%}
    {#- Spark, Trino, Snowflake: regexp_replace replaces every match -#}
    regexp_replace({{ expression }}, '[^0-9]', '')
{%- endmacro %}

{% macro duckdb__cx_digits_only(expression) -%}
    {#- DuckDB replaces only the first match unless given the 'g' option -#}
    regexp_replace({{ expression }}, '[^0-9]', '', 'g')
{%- endmacro %}

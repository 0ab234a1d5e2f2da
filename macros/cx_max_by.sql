{% macro cx_max_by(expression, order_by) -%}
    {{ return(adapter.dispatch('cx_max_by', 'cx_outcomes')(expression, order_by)) }}
{%- endmacro %}

{% macro default__cx_max_by(expression, order_by) -%}
    {#- The value of `expression` on the row of the group with the largest `order_by`, null when that row's value
        is null (Spark's, Trino's max_by). -#}
    max_by({{ expression }}, {{ order_by }})
{%- endmacro %}

{% macro duckdb__cx_max_by(expression, order_by) -%}
    {#- DuckDB's max_by (arg_max) skips the rows whose value is null, so it would return an earlier row's value;
        arg_max_null keeps the null of the row with the largest order_by. -#}
    arg_max_null({{ expression }}, {{ order_by }})
{%- endmacro %}

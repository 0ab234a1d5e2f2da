{% macro cx_safe_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('cx_safe_cast', 'cx_outcomes')(expression, data_type)) }}
{%- endmacro %}

{% macro default__cx_safe_cast(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__cx_safe_cast(expression, data_type) -%}
    {#- dbt.safe_cast is a plain cast on dbt-duckdb and raises on a bad value; try_cast returns null. -#}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

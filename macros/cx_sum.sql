{% macro cx_sum(expression) -%}
    {{ return(adapter.dispatch('cx_sum', 'cx_outcomes')(expression)) }}
{%- endmacro %}

{% macro default__cx_sum(expression) -%}
    {#- Order-independent sum of a double: each value is rounded to 1e-9 and added exactly in DECIMAL, so the
        result does not depend on how the engine split the rows across threads (SPEC §4.7: the same raw data
        gives the same warehouse, row for row). -#}
    cast(sum(cast({{ expression }} as decimal(38, 9))) as {{ dbt.type_float() }})
{%- endmacro %}

{% macro duckdb__cx_sum(expression) -%}
    {#- dbt.type_float() is a 32-bit REAL on DuckDB; results stay DOUBLE. -#}
    cast(sum(cast({{ expression }} as decimal(38, 9))) as double)
{%- endmacro %}

{% macro spark__cx_sum(expression) -%}
    {#- dbt.type_float() is a 32-bit FLOAT on Spark; results stay DOUBLE. -#}
    cast(sum(cast({{ expression }} as decimal(38, 9))) as double)
{%- endmacro %}

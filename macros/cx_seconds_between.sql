{% macro cx_seconds_between(start_timestamp, end_timestamp) -%}
    {{ return(adapter.dispatch('cx_seconds_between', 'cx_outcomes')(start_timestamp, end_timestamp)) }}
{%- endmacro %}

{% macro default__cx_seconds_between(start_timestamp, end_timestamp) -%}
    {{ dbt.datediff(start_timestamp, end_timestamp, 'second') }}
{%- endmacro %}

{% macro duckdb__cx_seconds_between(start_timestamp, end_timestamp) -%}
    {#- Exact elapsed seconds (fractions kept). dbt.datediff counts unit boundaries, which is not elapsed time. -#}
    (epoch({{ end_timestamp }}) - epoch({{ start_timestamp }}))
{%- endmacro %}

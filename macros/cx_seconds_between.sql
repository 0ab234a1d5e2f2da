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

{% macro spark__cx_seconds_between(start_timestamp, end_timestamp) -%}
    {#- The same arithmetic as DuckDB's epoch() difference (microseconds / 1e6 as doubles, then subtracted), so
        both engines give the same double. -#}
    (unix_micros(cast({{ end_timestamp }} as timestamp)) / 1e6 - unix_micros(cast({{ start_timestamp }} as timestamp)) / 1e6)
{%- endmacro %}

{% macro cx_local_to_utc(local_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('cx_local_to_utc', 'cx_outcomes')(local_timestamp, time_zone)) }}
{%- endmacro %}

{% macro default__cx_local_to_utc(local_timestamp, time_zone) -%}
    {#- A wall-clock time in an IANA time zone as a naive UTC timestamp (daylight saving applied). -#}
    to_utc_timestamp({{ local_timestamp }}, {{ time_zone }})
{%- endmacro %}

{% macro duckdb__cx_local_to_utc(local_timestamp, time_zone) -%}
    timezone('UTC', timezone({{ time_zone }}, {{ local_timestamp }}))
{%- endmacro %}

{% macro cx_to_reporting_date(utc_timestamp) -%}
    {{ return(adapter.dispatch('cx_to_reporting_date', 'cx_outcomes')(utc_timestamp)) }}
{%- endmacro %}

{% macro default__cx_to_reporting_date(utc_timestamp) -%}
    cast(convert_timezone('UTC', '{{ var("reporting_timezone") }}', {{ utc_timestamp }}) as date)
{%- endmacro %}

{% macro duckdb__cx_to_reporting_date(utc_timestamp) -%}
    {#- Calendar date in var('reporting_timezone') of a naive UTC timestamp, whatever the session time zone. -#}
    {%- if var('reporting_timezone') | upper == 'UTC' -%}
        cast({{ utc_timestamp }} as date)
    {%- else -%}
        cast(timezone('{{ var("reporting_timezone") }}', timezone('UTC', {{ utc_timestamp }})) as date)
    {%- endif -%}
{%- endmacro %}

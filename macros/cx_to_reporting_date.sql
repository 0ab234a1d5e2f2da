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

{% macro spark__cx_to_reporting_date(utc_timestamp) -%}
    {#- Spark's session time zone is UTC (profiles.yml): a timestamp's date is its UTC date. -#}
    {%- if var('reporting_timezone') | upper == 'UTC' -%}
        cast({{ utc_timestamp }} as date)
    {%- else -%}
        to_date(from_utc_timestamp({{ utc_timestamp }}, '{{ var("reporting_timezone") }}'))
    {%- endif -%}
{%- endmacro %}

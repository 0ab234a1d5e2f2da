{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {#- Overrides dbt-spark's dateadd (dbt.dateadd on Spark), which goes through unix seconds (dropping the
        microseconds) and raises on a null timestamp (assert_not_null). timestampadd keeps the microseconds and
        gives null for null, as DuckDB's `x + n * interval 1 <unit>` does; quarter and week as 3 months and 7 days,
        as dbt-duckdb maps them. -#}
    {%- set unit = datepart | lower -%}
    {%- if unit == 'quarter' -%}
        timestampadd(MONTH, cast({{ interval }} as bigint) * 3, {{ from_date_or_timestamp }})
    {%- elif unit == 'week' -%}
        timestampadd(DAY, cast({{ interval }} as bigint) * 7, {{ from_date_or_timestamp }})
    {%- else -%}
        timestampadd({{ unit | upper }}, cast({{ interval }} as bigint), {{ from_date_or_timestamp }})
    {%- endif -%}
{%- endmacro %}

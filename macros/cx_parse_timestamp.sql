{% macro cx_parse_timestamp(expression, source_type) -%}
    {{ return(adapter.dispatch('cx_parse_timestamp', 'cx_outcomes')(expression, source_type)) }}
{%- endmacro %}

{% macro default__cx_parse_timestamp(expression, source_type) -%}
    {{ cx_safe_cast(expression, dbt.type_timestamp()) }}
{%- endmacro %}

{% macro duckdb__cx_parse_timestamp(expression, source_type) -%}
    {#- A naive UTC timestamp from whatever the feed delivered (SPEC §2):
        TIMESTAMP WITH TIME ZONE → converted to UTC; naive TIMESTAMP → taken as UTC;
        ISO-8601 text → with an offset (Z, +02:00) converted to UTC, without one taken as UTC.
        Unparseable or empty text gives null (the caller flags it as invalid_timestamp).
        Independent of the session time zone. -#}
    {%- set t = (source_type or 'VARCHAR') | upper -%}
    {%- if 'WITH TIME ZONE' in t -%}
        timezone('UTC', {{ expression }})
    {%- elif t.startswith('TIMESTAMP') or t == 'DATE' -%}
        cast({{ expression }} as timestamp)
    {%- else -%}
        case
            when regexp_matches(
                trim(cast({{ expression }} as varchar)),
                '\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$'
            )
                then timezone(
                    'UTC',
                    try_cast(trim(cast({{ expression }} as varchar)) as timestamptz)
                )
            else try_cast(trim(cast({{ expression }} as varchar)) as timestamp)
        end
    {%- endif -%}
{%- endmacro %}

{% macro spark__cx_parse_timestamp(expression, source_type) -%}
    {#- Spark: the same rules as DuckDB's. The session time zone is UTC (profiles.yml), so a text timestamp
        without an offset is taken as UTC and one with an offset (Z, +02:00) is converted to UTC. Only ISO-8601
        shapes are parsed (Spark's cast alone would also take '2025' or '2025-01'); anything else gives null. -#}
    {%- set t = (source_type or 'STRING') | upper -%}
    {%- if t.startswith('TIMESTAMP') or t == 'DATE' -%}
        cast({{ expression }} as timestamp)
    {%- else -%}
        case
            when regexp_like(
                trim(cast({{ expression }} as string)),
                '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?[ ]*([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)?$'
            )
                then cast(trim(cast({{ expression }} as string)) as timestamp)
        end
    {%- endif -%}
{%- endmacro %}

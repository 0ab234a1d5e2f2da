{% macro cx_as_of_literal() -%}
    {#- The explicit var('as_of') as a naive UTC timestamp expression, or none when the var is not set. -#}
    {%- set value = var('as_of', none) -%}
    {%- if value is none or (value | string | trim) in ('', 'none', 'None', 'null') -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(cx_parse_timestamp("'" ~ (value | string | trim) ~ "'", 'VARCHAR')) }}
{%- endmacro %}

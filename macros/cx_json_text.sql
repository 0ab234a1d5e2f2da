{% macro cx_json_text(json_column, key) -%}
    {{ return(adapter.dispatch('cx_json_text', 'cx_outcomes')(json_column, key)) }}
{%- endmacro %}

{% macro default__cx_json_text(json_column, key) -%}
    json_extract_scalar({{ json_column }}, '$.{{ key }}')
{%- endmacro %}

{% macro duckdb__cx_json_text(json_column, key) -%}
    {#- Text value of one top-level key of a JSON object (null when absent). -#}
    json_extract_string({{ json_column }}, '$.{{ key }}')
{%- endmacro %}

{% macro spark__cx_json_text(json_column, key) -%}
    get_json_object({{ json_column }}, '$.{{ key }}')
{%- endmacro %}

{% macro cx_trim(expression) -%}
    {{ return(adapter.dispatch('cx_trim', 'cx_outcomes')(expression)) }}
{%- endmacro %}

{% macro default__cx_trim(expression) -%}
    trim({{ expression }})
{%- endmacro %}

{% macro duckdb__cx_trim(expression) -%}
    {#- Strips all leading/trailing whitespace (space, tab, newline, carriage return, form feed, vertical tab):
        DuckDB's one-argument trim() strips spaces only, and a key of '\t ' must count as empty (SPEC §6). -#}
    trim({{ expression }}, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13))
{%- endmacro %}

{% macro cx_split_part(text, delimiter, part) -%}
    {{ return(adapter.dispatch('cx_split_part', 'cx_outcomes')(text, delimiter, part)) }}
{%- endmacro %}

{% macro default__cx_split_part(text, delimiter, part) -%}
    {#- The part-th (1-based) piece of text split at a literal one-character delimiter; part may be a column
        (dbt's split_part needs a literal part number on Spark). -#}
    {{ dbt.split_part(text, delimiter, part) }}
{%- endmacro %}

{% macro spark__cx_split_part(text, delimiter, part) -%}
    {#- Spark's split takes a regular expression: the delimiter must be a character with no regex meaning -#}
    element_at(split({{ text }}, {{ delimiter }}), {{ part }})
{%- endmacro %}

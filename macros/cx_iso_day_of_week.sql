{% macro cx_iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('cx_iso_day_of_week', 'cx_outcomes')(date_expression)) }}
{%- endmacro %}

{% macro default__cx_iso_day_of_week(date_expression) -%}
    {#- ISO day of the week: 1 = Monday … 7 = Sunday -#}
    extract(isodow from {{ date_expression }})
{%- endmacro %}

{% macro spark__cx_iso_day_of_week(date_expression) -%}
    extract(dayofweek_iso from {{ date_expression }})
{%- endmacro %}

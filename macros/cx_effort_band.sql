{% macro cx_effort_band(index_column) -%}
    {#- Band label of an effort index from var('effort_band_edges') (default [1, 3, 6, 10] → <1, 1-3, 3-6, 6-10,
        10+; lower edge inclusive). -#}
    {%- set edges = var('effort_band_edges') -%}
    case
        when {{ index_column }} is null then null
        when {{ index_column }} < {{ edges[0] }} then '<{{ edges[0] }}'
        {%- for i in range(1, edges | length) %}
        when {{ index_column }} < {{ edges[i] }} then '{{ edges[i - 1] }}-{{ edges[i] }}'
        {%- endfor %}
        else '{{ edges[-1] }}+'
    end
{%- endmacro %}

{% macro cx_effort_band_order(index_column) -%}
    {#- Sort order (1, 2, …) of the band cx_effort_band gives. -#}
    {%- set edges = var('effort_band_edges') -%}
    case
        when {{ index_column }} is null then null
        {%- for i in range(edges | length) %}
        when {{ index_column }} < {{ edges[i] }} then {{ i + 1 }}
        {%- endfor %}
        else {{ (edges | length) + 1 }}
    end
{%- endmacro %}

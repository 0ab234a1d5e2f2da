{% macro cx_row_to_json(column_names) -%}
    {{ return(adapter.dispatch('cx_row_to_json', 'cx_outcomes')(column_names)) }}
{%- endmacro %}

{% macro default__cx_row_to_json(column_names) -%}
    to_json(named_struct(
        {%- for c in column_names %}'{{ c }}', {{ adapter.quote(c) }}{{ ',' if not loop.last }}{% endfor -%}
    ))
{%- endmacro %}

{% macro duckdb__cx_row_to_json(column_names) -%}
    {#- The raw row (every column as delivered, plus the source file) as JSON object text. -#}
    cast(to_json(struct_pack(
        {%- for c in column_names %}{{ adapter.quote(c) }} := {{ adapter.quote(c) }}{{ ', ' if not loop.last }}{% endfor -%}
    )) as varchar)
{%- endmacro %}

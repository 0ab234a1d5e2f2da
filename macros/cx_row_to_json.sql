{% macro cx_row_to_json(column_names, replacements={}) -%}
    {{ return(adapter.dispatch('cx_row_to_json', 'cx_outcomes')(column_names, replacements)) }}
{%- endmacro %}

{% macro default__cx_row_to_json(column_names, replacements={}) -%}
    to_json(named_struct(
        {%- for c in column_names %}'{{ c }}', {{ replacements.get(c | lower, adapter.quote(c)) }}{{ ',' if not loop.last }}{% endfor -%}
    ))
{%- endmacro %}

{% macro duckdb__cx_row_to_json(column_names, replacements={}) -%}
    {#- The raw row (every column as delivered, plus the source file) as JSON object text; a column named in
        replacements (lower case) is written as that expression instead (personal data as its hash, SPEC §7). -#}
    cast(to_json(struct_pack(
        {%- for c in column_names %}{{ adapter.quote(c) }} := {{ replacements.get(c | lower, adapter.quote(c)) }}{{ ', ' if not loop.last }}{% endfor -%}
    )) as varchar)
{%- endmacro %}

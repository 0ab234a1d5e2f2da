{% macro cx_source_contract(source_name, table_name) -%}
    {#- The contract of one raw table from cx_raw_contract(), with column defaults filled in:
        {'meta': table-level entries, 'columns': [{'name', 'cx_type', 'required', 'accepted_values',
        'non_negative'}]}. -#}
    {%- set table = cx_raw_contract()[table_name] -%}
    {%- if table.source != source_name -%}
        {{ exceptions.raise_compiler_error("raw table '" ~ table_name ~ "' belongs to source '" ~ table.source
            ~ "', not '" ~ source_name ~ "'") }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in table.columns -%}
        {%- do columns.append({
            'name': column.name,
            'cx_type': column.cx_type,
            'required': column.get('required', false),
            'accepted_values': column.get('accepted_values', []),
            'non_negative': column.get('non_negative', false),
        }) -%}
    {%- endfor -%}
    {{ return({'meta': table, 'columns': columns}) }}
{%- endmacro %}

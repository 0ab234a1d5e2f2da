{% macro cx_source_contract(source_name, table_name) -%}
    {#- The SPEC §2 contract of one raw table as declared in models/staging/_sources.yml:
        {'meta': table meta, 'columns': [{'name', 'cx_type', 'required', 'accepted_values', 'non_negative'}]}. -#}
    {%- for node in graph.sources.values() -%}
        {%- if node.source_name == source_name and node.name == table_name -%}
            {%- set columns = [] -%}
            {%- for column in node.columns.values() -%}
                {%- do columns.append({
                    'name': column.name,
                    'cx_type': column.meta.get('cx_type', 'text'),
                    'required': column.meta.get('required', false),
                    'accepted_values': column.meta.get('accepted_values', []),
                    'non_negative': column.meta.get('non_negative', false),
                }) -%}
            {%- endfor -%}
            {{ return({'meta': node.meta, 'columns': columns}) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{% macro cx_source_contract(source_name, table_name) -%}
    {#- The contract of one raw table from cx_raw_contract(), with column defaults filled in:
        {'meta': table-level entries, 'columns': [{'name', 'cx_type', 'required', 'accepted_values',
        'non_negative', 'pii', 'stored_as'}]}. stored_as is the column's name in the base model: its own name,
        <name>_hash for an email, phone or endpoint (SPEC §7: stored only as a salted hash), or none for a name
        that is not stored (a pii name whose expose_var is not true). -#}
    {%- set table = cx_raw_contract()[table_name] -%}
    {%- if table.source != source_name -%}
        {{ exceptions.raise_compiler_error("raw table '" ~ table_name ~ "' belongs to source '" ~ table.source
            ~ "', not '" ~ source_name ~ "'") }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in table.columns -%}
        {%- set pii = column.get('pii') -%}
        {%- if pii in ('email', 'phone', 'endpoint') -%}
            {%- set stored_as = column.name ~ '_hash' -%}
        {%- elif pii == 'name' -%}
            {%- set stored_as = column.name if (column.get('expose_var') and var(column.expose_var, false)) else none -%}
        {%- else -%}
            {%- set stored_as = column.name -%}
        {%- endif -%}
        {%- do columns.append({
            'name': column.name,
            'cx_type': column.cx_type,
            'required': column.get('required', false),
            'accepted_values': column.get('accepted_values', []),
            'non_negative': column.get('non_negative', false),
            'pii': pii,
            'stored_as': stored_as,
        }) -%}
    {%- endfor -%}
    {{ return({'meta': table, 'columns': columns}) }}
{%- endmacro %}

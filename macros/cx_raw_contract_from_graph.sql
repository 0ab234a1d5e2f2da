{% macro cx_raw_contract_from_graph() -%}
    {#- The raw landing-zone contract of SPEC §2 as dbt's graph holds it: the `meta` of the tables and columns of
        models/staging/crm/_crm__sources.yml and models/staging/platform/_platform__sources.yml (a table belongs
        to the contract when its meta has a contract_position), the contract's one home. cx_raw_contract (the
        copy generated from the same YAML, which unit tests and parsing can read) is checked against it.
        Returns {table name: {source, position, primary_key, the table-specific SPEC §6 checks (time_order =
        [start, end], after_load_check, score_check, orphan_column), columns: [{name, cx_type, required, ...}]}}
        in contract order; a column's accepted_values_of (source.table.column) is replaced by that column's
        accepted_values. The graph is empty at parse time and inside unit tests: the contract is then {}. -#}
    {%- set contract = {} -%}
    {%- if not execute or not graph.get('sources') -%}
        {{ return(contract) }}
    {%- endif -%}
    {%- set tables = [] -%}
    {%- for node in graph.sources.values() if node.meta.get('contract_position') is not none -%}
        {%- do tables.append(node) -%}
    {%- endfor -%}
    {%- for node in tables | sort(attribute='meta.contract_position') -%}
        {%- set table = {'source': node.source_name, 'position': node.meta.contract_position} -%}
        {%- for key, value in node.meta.items() if key not in node.source_meta and key != 'contract_position' -%}
            {%- do table.update({key: value}) -%}
        {%- endfor -%}
        {%- set columns = [] -%}
        {%- for column in node.columns.values() -%}
            {%- set entry = {'name': column.name} -%}
            {%- do entry.update(column.meta) -%}
            {%- do columns.append(entry) -%}
        {%- endfor -%}
        {%- do table.update({'columns': columns}) -%}
        {%- do contract.update({node.name: table}) -%}
    {%- endfor -%}
    {%- for table in contract.values() -%}
        {%- for column in table.columns if column.get('accepted_values_of') -%}
            {%- set parts = column.accepted_values_of.split('.') -%}
            {%- set referenced = contract[parts[1]].columns | selectattr('name', 'equalto', parts[2]) | list -%}
            {%- do column.update({'accepted_values': referenced[0].accepted_values}) -%}
            {%- do column.pop('accepted_values_of') -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(contract) }}
{%- endmacro %}

{% macro cx_contract_accepted_values(of) -%}
    {#- The accepted values of a raw-contract enum (`of`: table.column, e.g. contacts.channel), from
        cx_raw_contract(), where the enum is written once. Stops the run when the column is not an enum. -#}
    {%- set table_name, contract_column = of.split('.') -%}
    {%- set matches = cx_raw_contract()[table_name].columns | selectattr('name', 'equalto', contract_column) | list -%}
    {%- if not matches or not matches[0].get('accepted_values') -%}
        {{ exceptions.raise_compiler_error("the raw contract has no enum column '" ~ of ~ "'") }}
    {%- endif -%}
    {{ return(matches[0].accepted_values) }}
{%- endmacro %}

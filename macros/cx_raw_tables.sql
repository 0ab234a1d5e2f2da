{% macro cx_raw_tables() -%}
    {#- The raw tables of the contract (cx_raw_contract) as (source name, table name), in contract order. -#}
    {%- set tables = [] -%}
    {%- for table_name, table in cx_raw_contract().items() -%}
        {%- do tables.append((table.source, table_name)) -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}

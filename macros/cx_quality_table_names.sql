{% macro cx_quality_table_names() -%}
    {#- The table names mart_data_quality and the quarantine report: the raw contract's tables (cx_raw_tables),
        then each platform object under its own name (cx_platform_adapters' quality_table). -#}
    {%- set names = [] -%}
    {%- for source_name, table_name in cx_raw_tables() -%}
        {%- do names.append(table_name) -%}
    {%- endfor -%}
    {%- for adapter_spec in cx_platform_adapters().values() -%}
        {%- for object_spec in adapter_spec.objects.values() -%}
            {%- do names.append(object_spec.quality_table) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{% macro cx_platform_table(source_name, table_name) -%}
    {#- A platform adapter's table as its mapping reads it (SPEC §8.4, §8.5: the tables Fivetran's connectors land):
        the source when the adapter is on and the table has files; otherwise an empty relation with the columns the
        adapter reads (cx_platform_columns): an optional table (not in the adapter's `requires`) without files, or
        the adapter off (nothing is read, not even looked for, and a unit test of another source needs none of its
        fixtures). A required table without files is left to the source, whose read then fails naming the folder;
        the nightly's landing-zone check says it first, in one line. At parse time the source is always named, so
        the DAG is the same whichever sources are on. -#}
    {%- if not execute -%}
        {{ return(source(source_name, table_name)) }}
    {%- endif -%}
    {%- set columns = cx_platform_columns(source_name) -%}
    {%- if table_name not in columns -%}
        {{ exceptions.raise_compiler_error("cx_platform_table: no columns for " ~ source_name ~ " table '" ~ table_name
            ~ "' in cx_" ~ source_name ~ "_columns (macros/cx_" ~ source_name ~ "_columns.sql)") }}
    {%- endif -%}
    {%- if source_name in cx_enabled_sources() -%}
        {%- set relation = source(source_name, table_name) -%}
        {%- if '__dbt__cte__' in (relation | string) or target.name == 'lint'
            or table_name in cx_platform_adapters()[source_name].requires -%}
            {{ return(relation) }}
        {%- endif -%}
        {%- if cx_raw_files_present(source_name ~ '/' ~ table_name ~ '/**/*.parquet', relation) -%}
            {{ return(relation) }}
        {%- endif -%}
    {%- endif -%}
    {%- set types = {'bigint': dbt.type_bigint(), 'text': dbt.type_string(), 'timestamp': dbt.type_timestamp(),
        'boolean': dbt.type_boolean(), 'date': 'date', 'double': 'double'} -%}
    {%- set selected = [] -%}
    {%- for name, type in columns[table_name].items() -%}
        {%- do selected.append('cast(null as ' ~ types[type] ~ ') as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return('(select ' ~ (selected | join(', ')) ~ ' where false)') }}
{%- endmacro %}

{% macro cx_platform_columns(source_name) -%}
    {#- The columns a platform adapter reads from each of its tables, with their types: the one list per platform
        (cx_zendesk_columns, cx_salesforce_columns). -#}
    {%- if source_name == 'zendesk' -%}
        {{ return(cx_zendesk_columns()) }}
    {%- elif source_name == 'salesforce' -%}
        {{ return(cx_salesforce_columns()) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("cx_platform_columns: no column list for source '" ~ source_name ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro cx_zendesk_table(table_name) -%}
    {#- A Zendesk table as the adapter reads it (SPEC §8.4): the source when the adapter is on and the table has
        files; otherwise an empty relation with the columns the adapter reads (cx_zendesk_columns): an optional
        table (meta.optional in the sources YAML) without files, or the adapter off (nothing is read, not even
        looked for, and a unit test of another source needs no Zendesk fixtures). A required table without files
        is left to the source, whose read then fails naming the folder; the nightly's landing-zone check says it
        first, in one line. At parse time the source is always named, so the DAG is the same either way. -#}
    {%- if not execute -%}
        {{ return(source('zendesk', table_name)) }}
    {%- endif -%}
    {%- set columns = cx_zendesk_columns() -%}
    {%- if table_name not in columns -%}
        {{ exceptions.raise_compiler_error("cx_zendesk_table: no columns for Zendesk table '" ~ table_name
            ~ "' in cx_zendesk_columns (macros/cx_zendesk_tables.sql)") }}
    {%- endif -%}
    {%- if 'zendesk' in cx_enabled_sources() -%}
        {%- set relation = source('zendesk', table_name) -%}
        {%- if '__dbt__cte__' in (relation | string) or target.name == 'lint'
            or table_name in cx_platform_adapters().zendesk.requires -%}
            {{ return(relation) }}
        {%- endif -%}
        {%- set globbed = run_query("select count(*) from glob('" ~ var('raw_dir') ~ "/zendesk/" ~ table_name
            ~ "/**/*.parquet')") -%}
        {%- if globbed.columns[0].values()[0] > 0 -%}
            {{ return(relation) }}
        {%- endif -%}
    {%- endif -%}
    {%- set types = {'bigint': dbt.type_bigint(), 'text': dbt.type_string(), 'timestamp': dbt.type_timestamp(),
        'boolean': dbt.type_boolean(), 'date': 'date'} -%}
    {%- set selected = [] -%}
    {%- for name, type in columns[table_name].items() -%}
        {%- do selected.append('cast(null as ' ~ types[type] ~ ') as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return('(select ' ~ (selected | join(', ')) ~ ' where false)') }}
{%- endmacro %}

{% macro cx_zendesk_columns() -%}
    {#- The columns the Zendesk adapter reads from each table Fivetran's connector lands, with their types
        (docs/sources/zendesk.md, section 2, describes them; the sources YAML documents each;
        tests/unit/test_zendesk_columns.py keeps the three in step), plus the reader's filename and
        file_row_number. The tables of the adapter's `requires` (cx_platform_adapters) must have files; the others
        are optional. -#}
    {%- set file = {'filename': 'text', 'file_row_number': 'bigint'} -%}
    {%- set tables = {
        'ticket': {'id': 'bigint', 'created_at': 'timestamp', 'updated_at': 'timestamp', 'status': 'text',
            'via_channel': 'text', 'requester_id': 'bigint', 'assignee_id': 'bigint', 'group_id': 'bigint',
            'merged_ticket_ids': 'text', '_fivetran_synced': 'timestamp', '_fivetran_deleted': 'boolean'},
        'ticket_comment': {'id': 'bigint', 'ticket_id': 'bigint', 'user_id': 'bigint', 'created': 'timestamp',
            'public': 'boolean', '_fivetran_synced': 'timestamp', '_fivetran_deleted': 'boolean'},
        'ticket_field_history': {'ticket_id': 'bigint', 'field_name': 'text', 'value': 'text',
            'updated': 'timestamp', 'user_id': 'bigint', '_fivetran_synced': 'timestamp'},
        'ticket_tag': {'ticket_id': 'bigint', 'tag': 'text', '_fivetran_synced': 'timestamp'},
        'user': {'id': 'bigint', 'role': 'text', 'email': 'text', 'phone': 'text', 'external_id': 'text',
            'updated_at': 'timestamp', '_fivetran_synced': 'timestamp', '_fivetran_deleted': 'boolean'},
        'group': {'id': 'bigint', 'name': 'text', 'updated_at': 'timestamp', '_fivetran_synced': 'timestamp',
            '_fivetran_deleted': 'boolean'},
        'schedule': {'id': 'bigint', 'name': 'text', 'time_zone': 'text', 'start_time': 'bigint',
            'end_time': 'bigint', '_fivetran_synced': 'timestamp', '_fivetran_deleted': 'boolean'},
        'schedule_holiday': {'id': 'bigint', 'schedule_id': 'bigint', 'name': 'text', 'start_date': 'date',
            'end_date': 'date', '_fivetran_synced': 'timestamp', '_fivetran_deleted': 'boolean'},
        'ticket_schedule': {'ticket_id': 'bigint', 'schedule_id': 'bigint', 'created_at': 'timestamp',
            '_fivetran_synced': 'timestamp'},
    } -%}
    {%- for table in tables.values() -%}
        {%- do table.update(file) -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}

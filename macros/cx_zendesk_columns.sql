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

{% macro cx_salesforce_columns() -%}
    {#- The columns the Salesforce adapter reads from each object Fivetran's Salesforce connector lands (snake_case
        field names; custom fields without the double underscore: Preferred_Channel__c -> preferred_channel_c),
        with their types (docs/sources/salesforce.md, section 2, describes them; the sources YAML documents each),
        plus the reader's filename and file_row_number. The objects of the adapter's `requires`
        (cx_platform_adapters) must have files; the others are optional. A field a var names
        (salesforce_intent_field, salesforce_preferred_channel_field, salesforce_segment_field) is read under that
        name: the defaults are listed here. -#}
    {%- set file = {'filename': 'text', 'file_row_number': 'bigint'} -%}
    {%- set fivetran = {'_fivetran_synced': 'timestamp', '_fivetran_deleted': 'boolean'} -%}
    {%- set tables = {
        'case': {'id': 'text', 'contact_id': 'text', 'account_id': 'text', 'origin': 'text', 'status': 'text',
            'is_closed': 'boolean', 'closed_date': 'timestamp', 'created_date': 'timestamp', 'owner_id': 'text',
            'parent_id': 'text', 'master_record_id': 'text', 'reason': 'text', 'supplied_email': 'text',
            'supplied_phone': 'text', 'system_modstamp': 'timestamp', 'is_deleted': 'boolean'},
        'case_history': {'id': 'text', 'case_id': 'text', 'field': 'text', 'old_value': 'text', 'new_value': 'text',
            'created_date': 'timestamp', 'is_deleted': 'boolean'},
        'messaging_session': {'id': 'text', 'case_id': 'text', 'agent_type': 'text', 'status': 'text',
            'start_time': 'timestamp', 'accept_time': 'timestamp', 'end_time': 'timestamp',
            'system_modstamp': 'timestamp', 'is_deleted': 'boolean'},
        'voice_call': {'id': 'text', 'call_type': 'text', 'vendor_call_key': 'text', 'parent_voice_call_id': 'text',
            'related_record_id': 'text', 'from_phone_number': 'text', 'to_phone_number': 'text',
            'call_start_date_time': 'timestamp', 'call_accept_date_time': 'timestamp',
            'call_end_date_time': 'timestamp', 'call_duration_in_seconds': 'double', 'total_hold_duration': 'double',
            'agent_interaction_duration': 'double', 'after_conversation_actual_duration': 'double',
            'system_modstamp': 'timestamp', 'is_deleted': 'boolean'},
        'contact': {'id': 'text', 'account_id': 'text', 'name': 'text', 'email': 'text', 'phone': 'text',
            'created_date': 'timestamp', 'preferred_channel_c': 'text', 'system_modstamp': 'timestamp',
            'is_deleted': 'boolean'},
        'account': {'id': 'text', 'type': 'text', 'billing_country': 'text', 'system_modstamp': 'timestamp',
            'is_deleted': 'boolean'},
        'group': {'id': 'text', 'name': 'text', 'type': 'text', 'system_modstamp': 'timestamp'},
    } -%}
    {%- for table in tables.values() -%}
        {%- do table.update(fivetran) -%}
        {%- do table.update(file) -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}

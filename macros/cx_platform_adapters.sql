{% macro cx_platform_adapters() -%}
    {#- The platform adapters of SPEC §8: the one place that says which platform objects exist, where their files
        land under the raw dir, which SPEC §2 table each feeds and which §2 tables each provides (a landing-zone
        table an enabled adapter provides may be absent). Read by cx_stage_source (the adapter's mapped rows join
        the §2 table's validation and dedupe), by stg_quality__row_statuses, and by scripts/ops (landing-zone check,
        conservation) through the same plain-Jinja rendering as cx_raw_contract.
        Per object: mapping (the macro whose SQL maps the platform's records onto the §2 table's columns, as text;
        inlined by cx_stage_source, never a view: see cx_platform_mapping),
        maps_to (the §2 table), files (glob under the raw dir), format (how the files are read), quality_table
        (its name in mart_data_quality), hashed_columns (personal-data columns the view already delivers as
        <name>_hash, made with cx_pii_hash: the mapping is the first reader of the raw files), extra_columns (what the records carry beyond §2's columns, typed and
        stored beside them: text, lower, double, boolean or timestamp; null for other sources' rows; a column
        two objects share is one column), format (json_lines or parquet: how scripts/ops counts the records
        delivered), rows_where (optional {column: [values]}: the only rows of the files that are records of this
        object, compared trimmed and lower-cased; the mapping and scripts/ops' count apply it), mapping_reasons
        (true when the mapping delivers _mapping_reason: a SPEC §6 reason only the platform's model can see).
        An object that feeds no SPEC §2 table but must be accounted for row by row (Zendesk's comments) has
        maps_to none and a statuses_model: a view in stg_quality__row_statuses' shape that it unions.
        Per adapter: provides, requires (tables without which the adapter cannot map: the landing-zone check names
        a missing one), events_model (the view of the events its contacts imply, unioned in
        stg_platform__contact_events), folds (optional {SPEC §2 table: {model, where}}: the accepted rows that the
        table's staging model leaves out because another source's record stands for them: Salesforce voice calls
        counted as their Amazon Connect contact; the nightly's staged check subtracts them). -#}
    {{ return({
        'amazon_connect': {
            'provides': ['contacts', 'contact_events'],
            'requires': ['contact_records'],
            'events_model': 'stg_amazon_connect__contact_events',
            'objects': {
                'contact_records': {
                    'mapping': 'cx_amazon_connect_contact_records',
                    'maps_to': 'contacts',
                    'files': 'amazon_connect/contact_records/**/*.json*',
                    'format': 'json_lines',
                    'quality_table': 'amazon_connect.contact_records',
                    'hashed_columns': ['customer_endpoint'],
                    'extra_columns': [
                        {'name': 'dequeued_at', 'cx_type': 'timestamp'},
                        {'name': 'hold_seconds_reported', 'cx_type': 'double'},
                        {'name': 'holds_reported', 'cx_type': 'double'},
                        {'name': 'agent_interaction_seconds', 'cx_type': 'double'},
                        {'name': 'after_contact_work_seconds', 'cx_type': 'double'},
                        {'name': 'bot_outcome', 'cx_type': 'lower'},
                        {'name': 'ai_assist', 'cx_type': 'boolean'},
                        {'name': 'auth_method', 'cx_type': 'lower'},
                        {'name': 'auth_result', 'cx_type': 'lower'},
                        {'name': 'synthetic_voice_score', 'cx_type': 'double'},
                    ],
                },
            },
        },
        'zendesk': {
            'provides': ['contacts', 'contact_events'],
            'requires': ['ticket', 'ticket_comment', 'ticket_field_history', 'ticket_tag', 'user', 'group'],
            'events_model': 'stg_zendesk__contact_events',
            'objects': {
                'tickets': {
                    'mapping': 'cx_zendesk_tickets',
                    'maps_to': 'contacts',
                    'files': 'zendesk/ticket/**/*.parquet',
                    'format': 'parquet',
                    'quality_table': 'zendesk.ticket',
                    'hashed_columns': ['customer_endpoint'],
                    'mapping_reasons': true,
                    'extra_columns': [
                        {'name': 'bot_outcome', 'cx_type': 'lower'},
                        {'name': 'ai_assist', 'cx_type': 'boolean'},
                        {'name': 'last_solved_at', 'cx_type': 'timestamp'},
                        {'name': 'reopens', 'cx_type': 'double'},
                        {'name': 'public_agent_comments', 'cx_type': 'double'},
                        {'name': 'ticket_status', 'cx_type': 'lower'},
                        {'name': 'via_channel', 'cx_type': 'lower'},
                        {'name': 'schedule_id', 'cx_type': 'text'},
                    ],
                },
                'ticket_comments': {
                    'maps_to': none,
                    'statuses_model': 'stg_zendesk__ticket_comment_statuses',
                    'files': 'zendesk/ticket_comment/**/*.parquet',
                    'format': 'parquet',
                    'quality_table': 'zendesk.ticket_comment',
                },
                'satisfaction_ratings': {
                    'mapping': 'cx_zendesk_satisfaction_ratings',
                    'maps_to': 'survey_responses',
                    'files': 'zendesk/ticket_field_history/**/*.parquet',
                    'format': 'parquet',
                    'rows_where': {'field_name': ['satisfaction_score'], 'value': ['good', 'bad']},
                    'quality_table': 'zendesk.satisfaction_ratings',
                    'hashed_columns': [],
                    'mapping_reasons': true,
                    'extra_columns': [],
                },
            },
        },
        'salesforce': {
            'provides': ['contacts', 'contact_events', 'customers'],
            'requires': ['case', 'case_history', 'contact', 'account', 'group'],
            'events_model': 'stg_salesforce__contact_events',
            'folds': {'contacts': {'model': 'stg_salesforce__contacts', 'where': 'connect_contact_id is not null'}},
            'objects': {
                'cases': {
                    'mapping': 'cx_salesforce_cases',
                    'maps_to': 'contacts',
                    'files': 'salesforce/case/**/*.parquet',
                    'format': 'parquet',
                    'quality_table': 'salesforce.case',
                    'hashed_columns': ['customer_endpoint'],
                    'extra_columns': [
                        {'name': 'salesforce_object', 'cx_type': 'text'},
                        {'name': 'case_status', 'cx_type': 'text'},
                        {'name': 'case_is_closed', 'cx_type': 'boolean'},
                        {'name': 'case_closed_at', 'cx_type': 'timestamp'},
                        {'name': 'owner_changes', 'cx_type': 'double'},
                        {'name': 'reopens', 'cx_type': 'double'},
                    ],
                },
                'messaging_sessions': {
                    'mapping': 'cx_salesforce_messaging_sessions',
                    'maps_to': 'contacts',
                    'files': 'salesforce/messaging_session/**/*.parquet',
                    'format': 'parquet',
                    'quality_table': 'salesforce.messaging_session',
                    'hashed_columns': ['customer_endpoint'],
                    'mapping_reasons': true,
                    'extra_columns': [
                        {'name': 'salesforce_object', 'cx_type': 'text'},
                        {'name': 'agent_type', 'cx_type': 'lower'},
                    ],
                },
                'voice_calls': {
                    'mapping': 'cx_salesforce_voice_calls',
                    'maps_to': 'contacts',
                    'files': 'salesforce/voice_call/**/*.parquet',
                    'format': 'parquet',
                    'quality_table': 'salesforce.voice_call',
                    'hashed_columns': ['customer_endpoint'],
                    'extra_columns': [
                        {'name': 'salesforce_object', 'cx_type': 'text'},
                        {'name': 'vendor_call_key', 'cx_type': 'text'},
                        {'name': 'hold_seconds_reported', 'cx_type': 'double'},
                        {'name': 'agent_interaction_seconds', 'cx_type': 'double'},
                        {'name': 'after_contact_work_seconds', 'cx_type': 'double'},
                        {'name': 'call_duration_seconds', 'cx_type': 'double'},
                    ],
                },
                'case_history': {
                    'maps_to': none,
                    'statuses_model': 'stg_salesforce__case_history_statuses',
                    'files': 'salesforce/case_history/**/*.parquet',
                    'format': 'parquet',
                    'quality_table': 'salesforce.case_history',
                },
                'contacts': {
                    'mapping': 'cx_salesforce_contacts',
                    'maps_to': 'customers',
                    'files': 'salesforce/contact/**/*.parquet',
                    'format': 'parquet',
                    'quality_table': 'salesforce.contact',
                    'hashed_columns': ['full_name', 'email', 'phone'],
                    'extra_columns': [],
                },
            },
        },
    }) }}
{%- endmacro %}

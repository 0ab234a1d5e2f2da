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
        stored beside them: text, lower, double, boolean or timestamp; null for other sources' rows). -#}
    {{ return({
        'amazon_connect': {
            'provides': ['contacts', 'contact_events'],
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
    }) }}
{%- endmacro %}

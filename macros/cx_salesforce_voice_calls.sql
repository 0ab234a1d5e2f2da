{% macro cx_salesforce_voice_calls() -%}
    {#- SPEC §8.5: each delivered Salesforce voice call version mapped onto SPEC §2's `contacts` columns, as text
    (cx_stage_source): a contact on voice, started at call_start_date_time, the agent connect at
    call_accept_date_time, ended at call_end_date_time. A transferred call is a new call whose parent_voice_call_id is
    the call it came from: previous_contact_id = the parent, initial_contact_id = the first call of the chain
    (followed up to 10 parents; the parents synced by the day this version was, so a night maps a call as a full
    refresh does), initiation_method transfer; else from call_type (Inbound, Outbound, Callback; any other value is
    passed through and quarantined as unknown_enum). case_id = related_record_id when it is a case (500…): the case
    lends the call its customer, intent and disposition in stg_platform__contacts, which also counts a call whose
    vendor_call_key is an Amazon Connect contact once (SPEC §8.5, Service Cloud Voice). customer_endpoint: the
    caller's number (from_phone_number; to_phone_number of an outbound call), hashed (SPEC §7). Agent and queue only
    from the fields vars salesforce_agent_field / salesforce_queue_field name. Deleted calls are excluded. -#}
{%- set text = dbt.type_string() -%}
{%- set agent_field = var('salesforce_agent_field') -%}
{%- set queue_field = var('salesforce_queue_field') -%}
{%- set max_parents = 10 -%}
{%- set call_type = 'lower(' ~ cx_trim('call_versions.call_type') ~ ')' %}

with

call_versions as (
    select * from {{ cx_platform_table('salesforce', 'voice_call') }}
),

parents as (
    -- each call that has a parent, and the first day a version naming one was synced (a call's parent never
    -- changes in Salesforce; if versions disagree, the largest id is taken)
    select
        id as call_id,
        max(nullif({{ cx_trim('parent_voice_call_id') }}, '')) as parent_id,
        min(cast(_fivetran_synced as date)) as known_on
    from call_versions
    where nullif({{ cx_trim('parent_voice_call_id') }}, '') is not null
    group by id
),

mapped as (
    select
        call_versions.id as contact_id,
        coalesce(
            {%- for level in range(max_parents, 0, -1) %}
            parent_{{ level }}.parent_id,
            {%- endfor %}
            nullif({{ cx_trim('call_versions.parent_voice_call_id') }}, ''),
            call_versions.id
        ) as initial_contact_id,
        nullif({{ cx_trim('call_versions.parent_voice_call_id') }}, '') as previous_contact_id,
        cast(null as {{ text }}) as customer_id,
        'voice' as channel,
        case
            when nullif({{ cx_trim('call_versions.parent_voice_call_id') }}, '') is not null then 'transfer'
            when {{ call_type }} in ('inbound', 'outbound', 'callback') then {{ call_type }}
            else call_versions.call_type
        end as initiation_method,
        {{ 'cast(call_versions.' ~ adapter.quote(queue_field) ~ ' as ' ~ text ~ ')' if queue_field
            else 'cast(null as ' ~ text ~ ')' }} as queue,
        {{ 'cast(call_versions.' ~ adapter.quote(agent_field) ~ ' as ' ~ text ~ ')' if agent_field
            else 'cast(null as ' ~ text ~ ')' }} as agent_id,
        cast(null as {{ text }}) as intent,
        cast(call_versions.call_start_date_time as {{ text }}) as initiated_at,
        cast(null as {{ text }}) as enqueued_at,
        cast(call_versions.call_accept_date_time as {{ text }}) as connected_to_agent_at,
        cast(call_versions.call_end_date_time as {{ text }}) as disconnected_at,
        cast(null as {{ text }}) as disconnect_reason,
        cast(null as {{ text }}) as disposition,
        {{ cx_pii_hash(
            "case when " ~ call_type ~ " = 'outbound' then call_versions.to_phone_number"
            ~ " else call_versions.from_phone_number end",
            'endpoint'
        ) }} as customer_endpoint_hash,
        case
            when {{ cx_salesforce_id_is('call_versions.related_record_id', 'case') }}
                then {{ cx_trim('call_versions.related_record_id') }}
        end as case_id,
        -- SPEC §8.1, §8.5: system_modstamp orders a call's versions
        cast(call_versions.system_modstamp as {{ text }}) as _loaded_at,
        -- beside SPEC §2's columns (docs/sources/salesforce.md)
        'voice_call' as salesforce_object,
        nullif({{ cx_trim('call_versions.vendor_call_key') }}, '') as vendor_call_key,
        cast(call_versions.total_hold_duration as {{ text }}) as hold_seconds_reported,
        cast(call_versions.agent_interaction_duration as {{ text }}) as agent_interaction_seconds,
        cast(call_versions.after_conversation_actual_duration as {{ text }}) as after_contact_work_seconds,
        cast(call_versions.call_duration_in_seconds as {{ text }}) as call_duration_seconds,
        false as _is_malformed,
        case
            when coalesce(call_versions.is_deleted, false) or coalesce(call_versions._fivetran_deleted, false)
                then 'deleted'
        end as _excluded_reason,
        {{ cx_row_to_json(
            ['id', 'call_type', 'vendor_call_key', 'parent_voice_call_id', 'related_record_id',
                'call_start_date_time', 'call_accept_date_time', 'call_end_date_time', 'system_modstamp'],
            {'id': 'call_versions.id', 'call_type': 'call_versions.call_type',
                'vendor_call_key': 'call_versions.vendor_call_key',
                'parent_voice_call_id': 'call_versions.parent_voice_call_id',
                'related_record_id': 'call_versions.related_record_id',
                'call_start_date_time': 'call_versions.call_start_date_time',
                'call_accept_date_time': 'call_versions.call_accept_date_time',
                'call_end_date_time': 'call_versions.call_end_date_time',
                'system_modstamp': 'call_versions.system_modstamp'}
        ) }} as _raw_line,
        call_versions.filename,
        call_versions.file_row_number
    from call_versions
    {%- for level in range(1, max_parents + 1) %}
    left join parents as parent_{{ level }}
        on
            {{ 'nullif(' ~ cx_trim('call_versions.parent_voice_call_id') ~ ", '')" if level == 1
                else 'parent_' ~ (level - 1) ~ '.parent_id' }} = parent_{{ level }}.call_id
            and parent_{{ level }}.known_on <= cast(call_versions._fivetran_synced as date)
    {%- endfor %}
)

select * from mapped
{%- endmacro %}

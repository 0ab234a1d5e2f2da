{% macro cx_salesforce_messaging_sessions() -%}
    {#- SPEC §8.5: each delivered Salesforce messaging session version mapped onto SPEC §2's `contacts` columns, as
    text (cx_stage_source): a contact on the messaging channel that is its own attempt (contact_id = its id), inbound,
    started at start_time, the agent connect at accept_time (null when no agent accepted), ended at end_time, no
    enqueue time; case_id its case, from which stg_platform__contacts lends it the customer, intent and disposition.
    agent_type says who took part (stg_salesforce__contact_events makes the events): Bot, BotToAgent, Agent;
    System sessions are excluded (reason system), deleted ones too (deleted); any other agent_type is quarantined
    (unknown_enum). Agent and queue only from the fields vars salesforce_agent_field / salesforce_queue_field name
    (default: not carried). Each version maps from itself alone. docs/sources/salesforce.md field by field. -#}
{%- set text = dbt.type_string() -%}
{%- set agent_field = var('salesforce_agent_field') -%}
{%- set queue_field = var('salesforce_queue_field') -%}
{%- set agent_type = 'lower(' ~ cx_trim('agent_type') ~ ')' %}

with

session_versions as (
    select * from {{ cx_platform_table('salesforce', 'messaging_session') }}
),

mapped as (
    select
        id as contact_id,
        id as initial_contact_id,
        cast(null as {{ text }}) as previous_contact_id,
        cast(null as {{ text }}) as customer_id,
        'messaging' as channel,
        'inbound' as initiation_method,
        {{ 'cast(' ~ adapter.quote(queue_field) ~ ' as ' ~ text ~ ')' if queue_field else 'cast(null as ' ~ text ~ ')' }}
            as queue,
        {{ 'cast(' ~ adapter.quote(agent_field) ~ ' as ' ~ text ~ ')' if agent_field else 'cast(null as ' ~ text ~ ')' }}
            as agent_id,
        cast(null as {{ text }}) as intent,
        cast(start_time as {{ text }}) as initiated_at,
        cast(null as {{ text }}) as enqueued_at,
        cast(accept_time as {{ text }}) as connected_to_agent_at,
        cast(end_time as {{ text }}) as disconnected_at,
        cast(null as {{ text }}) as disconnect_reason,
        cast(null as {{ text }}) as disposition,
        cast(null as {{ text }}) as customer_endpoint_hash,
        case_id,
        -- SPEC §8.1, §8.5: system_modstamp orders a session's versions
        cast(system_modstamp as {{ text }}) as _loaded_at,
        -- beside SPEC §2's columns (docs/sources/salesforce.md)
        'messaging_session' as salesforce_object,
        agent_type,
        false as _is_malformed,
        case
            when coalesce(is_deleted, false) or coalesce(_fivetran_deleted, false) then 'deleted'
            when {{ agent_type }} = 'system' then 'system'
        end as _excluded_reason,
        -- an agent_type Salesforce may add later is visible, never bucketed (SPEC §8.1)
        case when {{ agent_type }} not in ('bot', 'bottoagent', 'agent', 'system') then 'unknown_enum' end
            as _mapping_reason,
        {{ cx_row_to_json(
            ['id', 'case_id', 'agent_type', 'status', 'start_time', 'accept_time', 'end_time', 'system_modstamp']
        ) }} as _raw_line,
        filename,
        file_row_number
    from session_versions
)

select * from mapped
{%- endmacro %}

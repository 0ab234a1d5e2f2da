{#- SPEC §8.5: the events an accepted Salesforce contact implies, at its own times (nothing invented: no IVR, holds,
    bot turns, AI assistance or voice authentication). Every contact: agent_connect at its agent connect,
    disconnect at its end. A messaging session whose agent_type is Bot or BotToAgent: bot_start at its start;
    BotToAgent: bot_handoff at the agent's accept. A case: a transfer {to_queue} at each owner change after its first
    agent (case_history, as of the accepted version; to_queue is the new owner's name when it is a queue, null for
    a user) — transfers that create no contacts (SPEC §8.5). A voice call counted as its Amazon Connect contact
    implies nothing (the Connect record's events stand). event_id = <contact_id>:<kind>, a transfer's
    <contact_id>:transfer:<history id>. -#}
{{ config(materialized='view') }}
{%- set kinds = [
    ('agent_connect', 'contacts.connected_to_agent_at', 'true', none),
    ('disconnect', 'contacts.disconnected_at', 'true', none),
    ('bot_start', 'contacts.initiated_at', "contacts.agent_type in ('bot', 'bottoagent')", none),
    ('bot_handoff', 'contacts.connected_to_agent_at', "contacts.agent_type = 'bottoagent'", none),
] %}

with

contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
    where connect_contact_id is null
),

owner_changes as (
    {{ cx_salesforce_history('Owner') }}
),

queue_versions as (
    {{ cx_platform_versions('salesforce', 'group', 'queue_id', {'name': 'name'}, 'system_modstamp') }}
),

implied as (
    {{ cx_implied_events('contacts', kinds) }}
),

transfers as (
    select
        contacts.contact_id || ':transfer:' || owner_changes.history_id as event_id,
        contacts.contact_id,
        'transfer' as event_type,
        owner_changes.changed_at as event_at,
        {{ cx_row_to_json(['to_queue'], {'to_queue': 'queues.name'}) }} as attributes,
        contacts._loaded_at,
        contacts._load_date,
        contacts._batch_at
    from contacts
    inner join owner_changes
        on
            contacts.contact_id = owner_changes.case_id
            and contacts.connected_to_agent_at < owner_changes.changed_at
            and contacts._loaded_at >= owner_changes.changed_at
    left join queue_versions as queues
        on
            owner_changes.new_value = queues.queue_id
            and (queues.valid_from is null or owner_changes.changed_at >= queues.valid_from)
            and (queues.valid_to is null or owner_changes.changed_at < queues.valid_to)
    where contacts.salesforce_object = 'case'
),

final as (
    select * from implied
    union all
    select * from transfers
)

select * from final

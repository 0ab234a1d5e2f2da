{#- SPEC §8.2: the events an Amazon Connect contact record implies, one per kind, at the record's own times
    (nothing invented: a kind the record does not show is absent). queue_enter / queue_exit at Queue.Enqueue /
    DequeueTimestamp; agent_connect at Agent.ConnectedToAgentTimestamp; disconnect at DisconnectTimestamp;
    bot_start (at initiation) and bot_end {outcome} (at enqueue, else disconnect) when the bot_outcome attribute is
    set; ai_suggestion at the agent connect when the ai_assist attribute is true; auth_attempt {method, result,
    synthetic_voice_score} at initiation when auth_result is set. No hold, transfer or IVR events: holds come from
    CustomerHoldDuration, transfers from the chain's initiation_method, and IVR menus are not in the record.
    Built from the accepted record only (a superseded delivery implies nothing); event_id = <ContactId>:<kind>. -#}
{{ config(materialized='view') }}
{%- set kinds = [
    ('queue_enter', 'contacts.enqueued_at', 'true', none),
    ('queue_exit', 'records.dequeued_at', 'contacts.enqueued_at is not null', none),
    ('agent_connect', 'contacts.connected_to_agent_at', 'true', none),
    ('disconnect', 'contacts.disconnected_at', 'true', none),
    ('bot_start', 'contacts.initiated_at', 'records.bot_outcome is not null', none),
    ('bot_end', 'coalesce(contacts.enqueued_at, contacts.disconnected_at)', 'records.bot_outcome is not null',
        cx_row_to_json(['outcome'], {'outcome': 'records.bot_outcome'})),
    ('ai_suggestion', 'contacts.connected_to_agent_at', 'coalesce(records.ai_assist, false)', none),
    ('auth_attempt', 'contacts.initiated_at', 'records.auth_result is not null',
        cx_row_to_json(['method', 'result', 'synthetic_voice_score'], {
            'method': 'records.auth_method',
            'result': 'records.auth_result',
            'synthetic_voice_score': 'records.synthetic_voice_score',
        })),
] %}

with

contacts as (
    select * from {{ ref('stg_platform__contacts') }}
),

base as (
    select * from {{ ref('base_platform__contacts') }}
),

records as (
    -- the accepted Connect records' fields beyond SPEC §2's contact columns
    select
        contact_id,
        dequeued_at,
        bot_outcome,
        ai_assist,
        auth_method,
        auth_result,
        synthetic_voice_score
    from base
    where
        _status = 'accepted' and source_system = 'amazon_connect'
        {%- if 'amazon_connect' not in cx_enabled_sources() %}
            -- the adapter is off: no Connect record can be accepted, and a constant lets the planner skip
            -- the scan and the identity join of stg_platform__contacts (6 s per read at L otherwise)
            and false
        {%- endif %}
),

events as (
    {%- for kind, event_at, condition, attributes in kinds %}
        select
            contacts.contact_id || ':{{ kind }}' as event_id,
            contacts.contact_id,
            '{{ kind }}' as event_type,
            {{ event_at }} as event_at,
            {{ attributes if attributes else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as attributes,
            contacts._loaded_at,
            contacts._load_date,
            contacts._batch_at
        from contacts
        inner join records
            on contacts.contact_id = records.contact_id
        where {{ condition }} and {{ event_at }} is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select * from events
)

select * from final

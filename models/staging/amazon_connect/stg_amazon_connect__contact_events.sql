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
    ('queue_enter', 'records.enqueued_at', 'true', none),
    ('queue_exit', 'records.dequeued_at', 'records.enqueued_at is not null', none),
    ('agent_connect', 'records.connected_to_agent_at', 'true', none),
    ('disconnect', 'records.disconnected_at', 'true', none),
    ('bot_start', 'records.initiated_at', 'records.bot_outcome is not null', none),
    ('bot_end', 'coalesce(records.enqueued_at, records.disconnected_at)', 'records.bot_outcome is not null',
        cx_row_to_json(['outcome'], {'outcome': 'records.bot_outcome'})),
    ('ai_suggestion', 'records.connected_to_agent_at', 'coalesce(records.ai_assist, false)', none),
    ('auth_attempt', 'records.initiated_at', 'records.auth_result is not null',
        cx_row_to_json(['method', 'result', 'synthetic_voice_score'], {
            'method': 'records.auth_method',
            'result': 'records.auth_result',
            'synthetic_voice_score': 'records.synthetic_voice_score',
        })),
] %}

with

base as (
    select * from {{ ref('base_platform__contacts') }}
),

records as (
    -- the accepted Connect records: base_platform__contacts has every column these events need (contact_id is
    -- unique among its accepted rows), so the customer identity of stg_platform__contacts is not read
    select
        contact_id,
        initiated_at,
        enqueued_at,
        dequeued_at,
        connected_to_agent_at,
        disconnected_at,
        bot_outcome,
        ai_assist,
        auth_method,
        auth_result,
        synthetic_voice_score,
        _loaded_at,
        _load_date,
        _batch_at
    from base
    where
        _status = 'accepted' and source_system = 'amazon_connect'
        {%- if 'amazon_connect' not in cx_enabled_sources() %}
            -- the adapter is off: no Connect record can be accepted, and a constant lets the planner skip
            -- the scan
            and false
        {%- endif %}
),

events as (
    {{ cx_implied_events('records', kinds) }}
),

final as (
    select * from events
)

select * from final

{#- The accepted Zendesk tickets (SPEC §8.4): the times and flags their implied events need
    (stg_zendesk__contact_events) and what Zendesk's own ticket metrics need beyond SPEC §2's columns, as of the
    ticket's accepted version: status (and is_solved, Zendesk's solved-or-closed, said once here), reopens, public
    agent comments, the last solve and the schedule (docs/sources/zendesk.md). Keyed by contact_id
    (zendesk:<ticket id>). A view: a projection of base_platform__contacts. -#}
{{ config(materialized='view') }}
with

base as (
    select * from {{ ref('base_platform__contacts') }}
),

final as (
    select
        contact_id,
        initiated_at,
        connected_to_agent_at,
        disconnected_at,
        bot_outcome,
        ai_assist,
        ticket_status,
        coalesce(ticket_status in ('solved', 'closed'), false) as is_solved,
        via_channel,
        reopens,
        public_agent_comments,
        last_solved_at,
        schedule_id,
        _loaded_at,
        _load_date,
        _batch_at
    from base
    where
        _status = 'accepted' and source_system = 'zendesk'
        {%- if 'zendesk' not in cx_enabled_sources() %}
            -- the adapter is off: no ticket can be accepted, and a constant lets the planner skip the scan
            and false
        {%- endif %}
)

select * from final

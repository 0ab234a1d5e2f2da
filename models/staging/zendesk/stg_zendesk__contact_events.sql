{#- SPEC §8.4: the events an accepted Zendesk ticket implies, one per kind, at the ticket's own times (nothing
    invented: no transfers, IVR, holds or voice authentication): agent_connect at the first public agent comment,
    disconnect at the ticket's end (first solve, else close, else its latest update); when the ticket carries the
    bot tag (var zendesk_bot_tag), bot_start at creation and bot_end {outcome: success when solved without a public
    agent comment, else failed} at the first agent comment or the end; when it carries the AI tag (var
    zendesk_ai_tag), ai_suggestion at the first agent comment. Built from the accepted ticket version only
    (stg_zendesk__tickets: a superseded version implies nothing); event_id = zendesk:<ticket id>:<kind>. -#}
{{ config(materialized='view') }}
{%- set kinds = [
    ('agent_connect', 'tickets.connected_to_agent_at', 'true', none),
    ('disconnect', 'tickets.disconnected_at', 'true', none),
    ('bot_start', 'tickets.initiated_at', 'tickets.bot_outcome is not null', none),
    ('bot_end', 'coalesce(tickets.connected_to_agent_at, tickets.disconnected_at)', 'tickets.bot_outcome is not null',
        cx_row_to_json(['outcome'], {'outcome': 'tickets.bot_outcome'})),
    ('ai_suggestion', 'tickets.connected_to_agent_at', 'coalesce(tickets.ai_assist, false)', none),
] %}

with

tickets as (
    select * from {{ ref('stg_zendesk__tickets') }}
),

events as (
    {{ cx_implied_events('tickets', kinds) }}
),

final as (
    select * from events
)

select * from final

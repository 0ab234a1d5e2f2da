{#- The accepted Zendesk tickets (SPEC §8.4) with what Zendesk's own ticket metrics need beyond SPEC §2's columns,
    as of the ticket's accepted version: status, reopens, public agent comments, the last solve and the schedule
    (docs/sources/zendesk.md). Keyed by contact_id (zendesk:<ticket id>), so mart_zendesk_reconciliation can put
    them beside fct_contacts. A view: a projection of base_platform__contacts. -#}
{{ config(materialized='view') }}
with

base as (
    select * from {{ ref('base_platform__contacts') }}
),

final as (
    select
        contact_id,
        ticket_status,
        via_channel,
        reopens,
        public_agent_comments,
        last_solved_at,
        schedule_id
    from base
    where
        _status = 'accepted' and source_system = 'zendesk'
        {%- if 'zendesk' not in cx_enabled_sources() %}
            -- the adapter is off: no ticket can be accepted
            and false
        {%- endif %}
)

select * from final

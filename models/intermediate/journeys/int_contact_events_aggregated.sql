{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='contact_id',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where contact_id in ({{ cx_changed_contacts() }}){% endif %}",
) }}
{#- Incremental: a run recomputes the contacts whose contact row or events changed (cx_changed_contacts); the
    pre-hook first deletes their stored rows, so a contact left without events disappears as in a full refresh. -#}
-- depends_on: {{ ref('base_platform__contacts') }}
-- depends_on: {{ ref('base_platform__contact_events') }}
with

events as (
    select * from {{ ref('stg_platform__contact_events') }}
),

contacts as (
    select * from {{ ref('stg_platform__contacts') }}
),
{%- if is_incremental() %}

changed_contacts as (
    {{ cx_changed_contacts() }}
),
{%- endif %}

events_with_next_hold_end as (
    select
        events.*,
        -- SPEC §4.5: each hold_start runs to the next hold_end of the same contact
        min(case when events.event_type = 'hold_end' then events.event_at end) over (
            partition by events.contact_id
            order by events.event_at, events.event_id
            rows between 1 following and unbounded following
        ) as next_hold_end_at
    from events
    {%- if is_incremental() %}
    where events.contact_id in (select changed_contacts.contact_id from changed_contacts)
    {%- endif %}
),

holds_closed as (
    select
        events_with_next_hold_end.*,
        -- an unmatched hold_start closes at disconnect
        case
            when events_with_next_hold_end.event_type = 'hold_start'
                then {{ cx_seconds_between(
                    'events_with_next_hold_end.event_at',
                    'coalesce(events_with_next_hold_end.next_hold_end_at, contacts.disconnected_at)'
                ) }}
        end as hold_seconds
    from events_with_next_hold_end
    inner join contacts
        on events_with_next_hold_end.contact_id = contacts.contact_id
),

aggregated as (
    select
        contact_id,
        count(*) as events,
        count(case when event_type in ('bot_start', 'bot_turn') then 1 end) > 0 as has_bot,
        count(case when event_type = 'bot_handoff' then 1 end) > 0 as has_bot_handoff,
        count(case when event_type in ('ai_suggestion', 'ai_summary') then 1 end) > 0 as has_ai_assist,
        count(case when event_type = 'ai_suggestion' then 1 end) as ai_suggestions,
        count(case when event_type = 'ai_suggestion' and is_suggestion_accepted then 1 end)
            as ai_suggestions_accepted,
        count(case when event_type = 'ivr_menu' then 1 end) as ivr_steps,
        count(case when event_type = 'hold_start' then 1 end) as holds,
        coalesce({{ cx_sum('hold_seconds') }}, 0) as hold_seconds,
        count(case when event_type = 'transfer' then 1 end) as transfer_events,
        count(case when event_type = 'auth_attempt' then 1 end) as auth_attempts,
        count(case when event_type = 'auth_attempt' and auth_result = 'fail' then 1 end) as failed_auths,
        count(case when event_type = 'sensitive_action' then 1 end) as sensitive_actions,
        max(case when event_type = 'auth_attempt' then synthetic_voice_score end) as max_synthetic_voice_score,
        {{ cx_batch_at() }} as _batch_at
    from holds_closed
    group by contact_id
)

select * from aggregated
